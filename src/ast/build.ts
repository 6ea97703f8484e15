/**
 * Small typed constructors for untyped Stan AST nodes, for stages that write Stan code as trees
 * (brms's program, the sufficient-statistics rewrite). Every node made by one builder carries the
 * builder's span: the source line the generated code stands for, which runtime errors and
 * comments quote.
 *
 * The constructors make exactly the nodes the parser makes for the same text: a loop or branch
 * body is the statement given (a block only when it is one), and parentheses appear only where
 * a `paren` node is built.
 */
import type { AssignOperator, BinaryOperator, DeclType, DeclTypeName, Expr, Index, Stmt, Transform } from "./ast";
import { assertNever } from "../common/assertNever";
import type { Span } from "../common/span";

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
  readonly sizes?: readonly Expr[];
  readonly arrayDims?: readonly Expr[];
  readonly lower?: Expr;
  readonly upper?: Expr;
  readonly init?: Expr;
}

/** An index position: an expression, or `"all"` for the empty index of `a[, j]`. */
export type IndexArg = Expr | "all";

/** Constructors whose nodes all carry `span`. */
export function nodeBuilder(span: Span) {
  const meta = { span };
  const b = {
    v: (name: string): Expr => ({ kind: "Variable", meta, name }),
    int: (n: number): Expr => ({ kind: "IntLiteral", meta, text: String(n) }),
    /** A real literal as written (`1e-10`, `0.5`). */
    real: (text: string): Expr => ({ kind: "RealLiteral", meta, text }),
    str: (value: string): Expr => ({ kind: "StringLiteral", meta, value }),
    call: (name: string, ...args: Expr[]): Expr => ({ kind: "FunctionCall", meta, name, nameSpan: span, args, conditional: false }),
    /** `name(first | rest...)`. */
    lpdf: (name: string, first: Expr, ...rest: Expr[]): Expr => ({
      kind: "FunctionCall",
      meta,
      name,
      nameSpan: span,
      args: [first, ...rest],
      conditional: true,
    }),
    bin: (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: "BinaryOp", meta, op, left, right }),
    /** `a + b + …` (at least one term), grouped to the left as the parser groups it. */
    sum: (...terms: Expr[]): Expr => terms.reduce((acc, e) => b.bin("+", acc, e)),
    /** `a * b * …` (at least one factor), grouped to the left. */
    product: (...factors: Expr[]): Expr => factors.reduce((acc, e) => b.bin("*", acc, e)),
    neg: (operand: Expr): Expr => ({ kind: "PrefixOp", meta, op: "-", operand }),
    not: (operand: Expr): Expr => ({ kind: "PrefixOp", meta, op: "!", operand }),
    paren: (inner: Expr): Expr => ({ kind: "Paren", meta, inner }),
    rowVector: (...elements: Expr[]): Expr => ({ kind: "RowVectorLiteral", meta, elements }),
    idx: (target: Expr, ...indices: IndexArg[]): Expr => ({
      kind: "Indexed",
      meta,
      target,
      indices: indices.map((i): Index => (i === "all" ? { kind: "All" } : { kind: "Single", expr: i })),
    }),

    assign: (lhs: Expr, rhs: Expr, op: AssignOperator = "="): Stmt => ({ kind: "Assign", span, lhs, op, rhs }),
    targetPlus: (expr: Expr): Stmt => ({ kind: "TargetPlus", span, expr }),
    reject: (...args: Expr[]): Stmt => ({ kind: "Reject", span, args }),
    block: (stmts: readonly Stmt[]): Stmt => ({ kind: "Block", span, stmts }),
    /** `for (variable in lower:upper) body` */
    forLoop: (variable: string, lower: Expr, upper: Expr, body: Stmt): Stmt => ({ kind: "For", span, variable, lower, upper, body }),
    ifElse: (condition: Expr, then: Stmt, otherwise?: Stmt): Stmt =>
      otherwise ? { kind: "IfElse", span, condition, then, otherwise } : { kind: "IfElse", span, condition, then },
    decl: (typeName: DeclTypeName, name: string, options: DeclOptions = {}): Stmt => {
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
    },
  };
  return b;
}

export type NodeBuilder = ReturnType<typeof nodeBuilder>;

/**
 * An untyped copy of `e` (typed or not) whose every node carries `span`. `replace` may substitute
 * a variable (a loop variable renamed for the code the copy goes into).
 */
export function copyExpr(e: Expr<unknown>, span: Span, replace?: (name: string) => Expr | undefined): Expr {
  const meta = { span };
  const copy = (x: Expr<unknown>): Expr => copyExpr(x, span, replace);
  switch (e.kind) {
    case "IntLiteral":
    case "RealLiteral":
      return { kind: e.kind, meta, text: e.text };
    case "StringLiteral":
      return { kind: "StringLiteral", meta, value: e.value };
    case "Variable":
      return replace?.(e.name) ?? { kind: "Variable", meta, name: e.name };
    case "FunctionCall":
      return { kind: "FunctionCall", meta, name: e.name, nameSpan: span, args: e.args.map(copy), conditional: e.conditional };
    case "BinaryOp":
      return { kind: "BinaryOp", meta, op: e.op, left: copy(e.left), right: copy(e.right) };
    case "PrefixOp":
      return { kind: "PrefixOp", meta, op: e.op, operand: copy(e.operand) };
    case "Transpose":
      return { kind: "Transpose", meta, operand: copy(e.operand) };
    case "TernaryIf":
      return { kind: "TernaryIf", meta, condition: copy(e.condition), then: copy(e.then), otherwise: copy(e.otherwise) };
    case "Indexed":
      return { kind: "Indexed", meta, target: copy(e.target), indices: e.indices.map((i) => copyIndex(i, copy)) };
    case "ArrayLiteral":
      return { kind: "ArrayLiteral", meta, elements: e.elements.map(copy) };
    case "RowVectorLiteral":
      return { kind: "RowVectorLiteral", meta, elements: e.elements.map(copy) };
    case "Paren":
      return { kind: "Paren", meta, inner: copy(e.inner) };
    default:
      return assertNever(e, "expression");
  }
}

function copyIndex(i: Index<unknown>, copy: (x: Expr<unknown>) => Expr): Index {
  switch (i.kind) {
    case "Single":
      return { kind: "Single", expr: copy(i.expr) };
    case "All":
      return { kind: "All" };
    case "Upfrom":
      return { kind: "Upfrom", lower: copy(i.lower) };
    case "Downfrom":
      return { kind: "Downfrom", upper: copy(i.upper) };
    case "Between":
      return { kind: "Between", lower: copy(i.lower), upper: copy(i.upper) };
    default:
      return assertNever(i, "index");
  }
}

/** Whether two expressions are the same tree (spans and types aside). */
export function sameExpr(a: Expr<unknown>, b: Expr<unknown>): boolean {
  return sameTree(a, b);
}

function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameTree(x, b[i]));
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== "meta" && k !== "nameSpan" && o[k] !== undefined);
  const kx = keys(x);
  const ky = keys(y);
  return kx.length === ky.length && kx.every((k) => sameTree(x[k], y[k]));
}
