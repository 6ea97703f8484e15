/** Constructors for the Stan functions brms adds to a program's functions block, as AST. */
import type { Expr, FunctionDef, StanType, Stmt } from "../../ast/ast";
import { syntheticSpan } from "../../common/span";
import * as b from "../stanBuilders";

const span = syntheticSpan("<brms>");

/** A parameter: its name and type (`["y", REAL]`). */
export type Param = readonly [string, StanType];

export function functionDef(name: string, returnType: StanType, params: readonly Param[], body: readonly Stmt[]): FunctionDef {
  return {
    kind: "FunctionDef",
    span,
    name,
    nameSpan: span,
    returnType,
    params: params.map(([pname, type]) => ({ name: pname, type, dataOnly: false, span })),
    body: b.block(body),
  };
}

export const ret = (value: Expr): Stmt => ({ kind: "Return", span, value });

/** `if (condition) { return a; } else { …otherwise }`, the else part a block or a further if. */
export function ifReturn(condition: Expr, then: readonly Stmt[], otherwise: Stmt): Stmt {
  return b.ifElse(condition, b.block(then), otherwise);
}

/** Postfix transposition `e'`. */
export const transpose = (operand: Expr): Expr => ({ kind: "Transpose", meta: { span }, operand });
