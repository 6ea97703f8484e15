/**
 * Small constructors for Stan AST nodes made by the brms front end, all with one synthetic span:
 * src/ast/build.ts's, with loop and branch bodies given as statement lists.
 */
import type { BinaryOperator, Expr, Stmt } from "../ast/ast";
import { nodeBuilder } from "../ast/build";
import { syntheticSpan } from "../common/span";
import { formatRNumber, type RExpr } from "./rAst";

const b = nodeBuilder(syntheticSpan("<brms>"));

export const { v, int, real, call, lpdf, bin, neg, not, paren, rowVector, idx, assign, targetPlus, block, decl, ifElse } = b;

export const forLoop = (variable: string, lower: Expr, upper: Expr, body: Stmt[]): Stmt => b.forLoop(variable, lower, upper, block(body));
export const ifThen = (condition: Expr, then: Stmt[]): Stmt => b.ifElse(condition, block(then));
export const whileLoop = (condition: Expr, body: Stmt[]): Stmt => ({ kind: "While", span: syntheticSpan("<brms>"), condition, body: block(body) });

/** A prior argument written in R (`0.2`, `-1`, `1/2`) as a Stan expression. */
export function fromR(e: RExpr): Expr {
  switch (e.kind) {
    case "Num": {
      // A numeral keeps its text: brms's own defaults write `normal(5.0, 0.8)`, user priors arrive deparsed.
      const text = /^[0-9.]+$/.test(e.text) ? e.text : formatRNumber(e.value);
      return /^-?\d+$/.test(text) ? int(e.value) : real(text);
    }
    case "Unary":
      return e.op === "-" ? neg(fromR(e.operand)) : fromR(e.operand);
    case "Paren":
      return paren(fromR(e.inner));
    case "Binary":
      return bin(e.op === "^" ? "^" : (e.op as BinaryOperator), fromR(e.left), fromR(e.right));
    case "Name":
      // Only brms's own defaults name data (`uniform(0, min_Y)`); user priors are checked to be numeric.
      return v(e.name);
    default:
      throw new Error(`internal: prior argument of kind ${e.kind}`);
  }
}
