/** Small constructors for Stan AST nodes made by the brms front end (all with synthetic spans). */
import type { AssignOperator, BinaryOperator, DeclType, DeclTypeName, Expr, Index, Stmt, Transform } from "../ast/ast";
import { syntheticSpan } from "../common/span";
import { formatRNumber, type RExpr } from "./rAst";

const span = syntheticSpan("<brms>");

export const v = (name: string): Expr => ({ kind: "Variable", meta: { span }, name });
export const int = (n: number): Expr => ({ kind: "IntLiteral", meta: { span }, text: String(n) });
export const real = (text: string): Expr => ({ kind: "RealLiteral", meta: { span }, text });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: "FunctionCall", meta: { span }, name, nameSpan: span, args, conditional: false });
/** `name(first | rest...)`. */
export const lpdf = (name: string, first: Expr, ...rest: Expr[]): Expr => ({
  kind: "FunctionCall",
  meta: { span },
  name,
  nameSpan: span,
  args: [first, ...rest],
  conditional: true,
});
export const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: "BinaryOp", meta: { span }, op, left, right });
export const neg = (operand: Expr): Expr => ({ kind: "PrefixOp", meta: { span }, op: "-", operand });
export const not = (operand: Expr): Expr => ({ kind: "PrefixOp", meta: { span }, op: "!", operand });
export const paren = (inner: Expr): Expr => ({ kind: "Paren", meta: { span }, inner });
export const rowVector = (...elements: Expr[]): Expr => ({ kind: "RowVectorLiteral", meta: { span }, elements });
export const idx = (target: Expr, ...indices: (Expr | "all")[]): Expr => ({
  kind: "Indexed",
  meta: { span },
  target,
  indices: indices.map((i): Index => (i === "all" ? { kind: "All" } : { kind: "Single", expr: i })),
});

export const assign = (lhs: Expr, rhs: Expr, op: AssignOperator = "="): Stmt => ({ kind: "Assign", span, lhs, op, rhs });
export const targetPlus = (expr: Expr): Stmt => ({ kind: "TargetPlus", span, expr });
export const block = (stmts: Stmt[]): Stmt => ({ kind: "Block", span, stmts });
export const forLoop = (variable: string, lower: Expr, upper: Expr, body: Stmt[]): Stmt => ({
  kind: "For",
  span,
  variable,
  lower,
  upper,
  body: block(body),
});
export const ifThen = (condition: Expr, then: Stmt[]): Stmt => ({ kind: "IfElse", span, condition, then: block(then) });

const BASE: Record<DeclTypeName, DeclType["base"]> = {
  int: "int",
  real: "real",
  complex: "complex",
  vector: "vector",
  row_vector: "row_vector",
  matrix: "matrix",
  simplex: "vector",
  unit_vector: "vector",
  sum_to_zero_vector: "vector",
  ordered: "vector",
  positive_ordered: "vector",
  cholesky_factor_corr: "matrix",
  cholesky_factor_cov: "matrix",
  corr_matrix: "matrix",
  cov_matrix: "matrix",
};

export interface DeclOptions {
  readonly sizes?: Expr[];
  readonly arrayDims?: Expr[];
  readonly lower?: Expr;
  readonly upper?: Expr;
  readonly init?: Expr;
}

export function decl(typeName: DeclTypeName, name: string, options: DeclOptions = {}): Stmt {
  let transform: Transform = { kind: "none" };
  if (options.lower && options.upper) transform = { kind: "lowerUpper", lower: options.lower, upper: options.upper };
  else if (options.lower) transform = { kind: "lower", lower: options.lower };
  else if (options.upper) transform = { kind: "upper", upper: options.upper };
  else if (typeName === "cholesky_factor_corr" || typeName === "corr_matrix") transform = { kind: typeName };
  return {
    kind: "VarDecl",
    span,
    name,
    nameSpan: span,
    declType: { typeName, base: BASE[typeName], sizes: options.sizes ?? [], arrayDims: options.arrayDims ?? [], transform },
    init: options.init,
  };
}

/** A numeric prior argument written in R (`0.2`, `-1`, `1/2`) as a Stan expression. */
export function fromR(e: RExpr): Expr {
  switch (e.kind) {
    case "Num": {
      const text = formatRNumber(e.value);
      return /^-?\d+$/.test(text) ? int(e.value) : real(text);
    }
    case "Unary":
      return e.op === "-" ? neg(fromR(e.operand)) : fromR(e.operand);
    case "Paren":
      return paren(fromR(e.inner));
    case "Binary":
      return bin(e.op === "^" ? "^" : (e.op as BinaryOperator), fromR(e.left), fromR(e.right));
    default:
      throw new Error(`internal: prior argument of kind ${e.kind}`);
  }
}
