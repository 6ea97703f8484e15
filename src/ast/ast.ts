/**
 * The Stan AST: one tree shape for every stage. Nodes are discriminated unions on `kind` with
 * readonly fields. Expression nodes are generic in their metadata, as in stanc3: the parser makes
 * `Expr<Untyped>` (just a span); the type checker returns a copy as `Expr<Typed>` whose metadata
 * adds the Stan type and whether the value depends on parameters.
 */
import type { Span } from "../common/span";

// ---------------------------------------------------------------------------------------------
// Types

/** Element kinds of Stan values. `string` only appears as print/reject arguments. */
export type BaseType = "int" | "real" | "complex" | "vector" | "row_vector" | "matrix" | "string" | "void";

/** An unsized Stan type: a base type wrapped in `arrayDims` array dimensions. */
export interface StanType {
  readonly base: BaseType;
  readonly arrayDims: number;
}

/** Whether a value is known at data load ("data") or changes with the parameters ("param"). */
export type AdLevel = "data" | "param";

/** Where a variable was declared; decides what may read or assign it. */
export type VarOrigin =
  | "data"
  | "transformed data"
  | "parameters"
  | "transformed parameters"
  | "model"
  | "generated quantities"
  | "function argument"
  | "loop"
  | "local";

export interface Untyped {
  readonly span: Span;
}

export interface Typed {
  readonly span: Span;
  readonly type: StanType;
  readonly adLevel: AdLevel;
  /** Variables only: the block or scope that declared it. */
  readonly origin?: VarOrigin;
  /** Function calls only: how the call was resolved. */
  readonly signature?: ResolvedSignature;
}

export interface ResolvedSignature {
  /** "builtin" for the signature table, "user" for the functions block. */
  readonly source: "builtin" | "user";
  readonly returnType: StanType;
  readonly argTypes: readonly StanType[];
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type BinaryOperator =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "\\"
  | ".*"
  | "./"
  | "^"
  | ".^"
  | "%/%";

export type PrefixOperator = "!" | "-" | "+";

export interface IntLiteral<M = Untyped> {
  readonly kind: "IntLiteral";
  readonly meta: M;
  /** Source text, so large values and formatting survive. */
  readonly text: string;
}

export interface RealLiteral<M = Untyped> {
  readonly kind: "RealLiteral";
  readonly meta: M;
  readonly text: string;
}

export interface StringLiteral<M = Untyped> {
  readonly kind: "StringLiteral";
  readonly meta: M;
  /** The string's contents without quotes, escapes left as written. */
  readonly value: string;
}

export interface Variable<M = Untyped> {
  readonly kind: "Variable";
  readonly meta: M;
  readonly name: string;
}

export interface FunctionCall<M = Untyped> {
  readonly kind: "FunctionCall";
  readonly meta: M;
  readonly name: string;
  readonly nameSpan: Span;
  readonly args: readonly Expr<M>[];
  /** True for the `foo_lpdf(y | mu, sigma)` form: the first argument is before the bar. */
  readonly conditional: boolean;
}

export interface BinaryOp<M = Untyped> {
  readonly kind: "BinaryOp";
  readonly meta: M;
  readonly op: BinaryOperator;
  readonly left: Expr<M>;
  readonly right: Expr<M>;
}

export interface PrefixOp<M = Untyped> {
  readonly kind: "PrefixOp";
  readonly meta: M;
  readonly op: PrefixOperator;
  readonly operand: Expr<M>;
}

/** Postfix `'`: transposition. */
export interface Transpose<M = Untyped> {
  readonly kind: "Transpose";
  readonly meta: M;
  readonly operand: Expr<M>;
}

export interface TernaryIf<M = Untyped> {
  readonly kind: "TernaryIf";
  readonly meta: M;
  readonly condition: Expr<M>;
  readonly then: Expr<M>;
  readonly otherwise: Expr<M>;
}

/** `a[i, j]`; `a[i][j]` is two nested Indexed nodes. */
export interface Indexed<M = Untyped> {
  readonly kind: "Indexed";
  readonly meta: M;
  readonly target: Expr<M>;
  readonly indices: readonly Index<M>[];
}

/** `{a, b, c}` */
export interface ArrayLiteral<M = Untyped> {
  readonly kind: "ArrayLiteral";
  readonly meta: M;
  readonly elements: readonly Expr<M>[];
}

/** `[a, b, c]` (a row vector; a row of row vectors is a matrix). */
export interface RowVectorLiteral<M = Untyped> {
  readonly kind: "RowVectorLiteral";
  readonly meta: M;
  readonly elements: readonly Expr<M>[];
}

/** Parentheses as written, kept so printed code and comments match the source. */
export interface Paren<M = Untyped> {
  readonly kind: "Paren";
  readonly meta: M;
  readonly inner: Expr<M>;
}

export type Expr<M = Untyped> =
  | IntLiteral<M>
  | RealLiteral<M>
  | StringLiteral<M>
  | Variable<M>
  | FunctionCall<M>
  | BinaryOp<M>
  | PrefixOp<M>
  | Transpose<M>
  | TernaryIf<M>
  | Indexed<M>
  | ArrayLiteral<M>
  | RowVectorLiteral<M>
  | Paren<M>;

/**
 * One index position. `Single` holds an int (one element) or an int array (multi-indexing); the
 * type checker tells which from the expression's type. `All` is the empty index in `a[, j]`.
 */
export type Index<M = Untyped> =
  | { readonly kind: "Single"; readonly expr: Expr<M> }
  | { readonly kind: "All" }
  | { readonly kind: "Upfrom"; readonly lower: Expr<M> } // a[4:]
  | { readonly kind: "Downfrom"; readonly upper: Expr<M> } // a[:3]
  | { readonly kind: "Between"; readonly lower: Expr<M>; readonly upper: Expr<M> }; // a[2:K]

// ---------------------------------------------------------------------------------------------
// Declarations

/** The constraint written on a declaration, with its argument expressions. */
export type Transform<M = Untyped> =
  | { readonly kind: "none" }
  | { readonly kind: "lower"; readonly lower: Expr<M> }
  | { readonly kind: "upper"; readonly upper: Expr<M> }
  | { readonly kind: "lowerUpper"; readonly lower: Expr<M>; readonly upper: Expr<M> }
  | { readonly kind: "offsetMultiplier"; readonly offset?: Expr<M>; readonly multiplier?: Expr<M> }
  | { readonly kind: "simplex" }
  | { readonly kind: "unit_vector" }
  | { readonly kind: "sum_to_zero_vector" }
  | { readonly kind: "ordered" }
  | { readonly kind: "positive_ordered" }
  | { readonly kind: "cholesky_factor_corr" }
  | { readonly kind: "cholesky_factor_cov" }
  | { readonly kind: "corr_matrix" }
  | { readonly kind: "cov_matrix" };

/** The keyword a declaration was written with (`simplex`, `vector`, `cholesky_factor_corr`, …). */
export type DeclTypeName =
  | "int"
  | "real"
  | "complex"
  | "vector"
  | "row_vector"
  | "matrix"
  | "simplex"
  | "unit_vector"
  | "sum_to_zero_vector"
  | "ordered"
  | "positive_ordered"
  | "cholesky_factor_corr"
  | "cholesky_factor_cov"
  | "corr_matrix"
  | "cov_matrix";

/**
 * A sized declaration type. `base` is the value's element type after the constraint is applied
 * (`simplex[K]` → vector, `corr_matrix[K]` → matrix); `sizes` are as written after the keyword
 * (`vector[N]` → [N], `matrix[R, C]` → [R, C], `corr_matrix[K]` → [K],
 * `cholesky_factor_cov[M, N]` → [M, N]); `arrayDims` are the array sizes, outermost first.
 */
export interface DeclType<M = Untyped> {
  readonly typeName: DeclTypeName;
  readonly base: "int" | "real" | "complex" | "vector" | "row_vector" | "matrix";
  readonly sizes: readonly Expr<M>[];
  readonly arrayDims: readonly Expr<M>[];
  readonly transform: Transform<M>;
}

// ---------------------------------------------------------------------------------------------
// Statements

export type AssignOperator = "=" | "+=" | "-=" | "*=" | "/=" | ".*=" | "./=";

export interface VarDecl<M = Untyped> {
  readonly kind: "VarDecl";
  readonly span: Span;
  readonly name: string;
  readonly nameSpan: Span;
  readonly declType: DeclType<M>;
  readonly init?: Expr<M>;
  /** Written in the pre-2.33 form `real x[N];` (the printer writes the modern form). */
  readonly legacyArraySyntax?: boolean;
}

export interface Assign<M = Untyped> {
  readonly kind: "Assign";
  readonly span: Span;
  /** A Variable or an Indexed chain rooted at a Variable. */
  readonly lhs: Expr<M>;
  readonly op: AssignOperator;
  readonly rhs: Expr<M>;
}

/** `y ~ normal(mu, sigma) T[lo, hi];` */
export interface Tilde<M = Untyped> {
  readonly kind: "Tilde";
  readonly span: Span;
  readonly lhs: Expr<M>;
  readonly distribution: string;
  readonly distributionSpan: Span;
  readonly args: readonly Expr<M>[];
  readonly truncation?: { readonly lower?: Expr<M>; readonly upper?: Expr<M> };
  /** Typed tree only: the density function the statement calls (`normal_lpdf`, `poisson_lpmf`, a user function). */
  readonly resolvedName?: string;
}

export interface TargetPlus<M = Untyped> {
  readonly kind: "TargetPlus";
  readonly span: Span;
  readonly expr: Expr<M>;
}

/** `jacobian += e;` (Stan 2.36, transformed parameters block / `_jacobian` functions). */
export interface JacobianPlus<M = Untyped> {
  readonly kind: "JacobianPlus";
  readonly span: Span;
  readonly expr: Expr<M>;
}

export interface For<M = Untyped> {
  readonly kind: "For";
  readonly span: Span;
  readonly variable: string;
  readonly lower: Expr<M>;
  readonly upper: Expr<M>;
  readonly body: Stmt<M>;
}

export interface ForEach<M = Untyped> {
  readonly kind: "ForEach";
  readonly span: Span;
  readonly variable: string;
  readonly collection: Expr<M>;
  readonly body: Stmt<M>;
}

export interface While<M = Untyped> {
  readonly kind: "While";
  readonly span: Span;
  readonly condition: Expr<M>;
  readonly body: Stmt<M>;
}

export interface IfElse<M = Untyped> {
  readonly kind: "IfElse";
  readonly span: Span;
  readonly condition: Expr<M>;
  readonly then: Stmt<M>;
  readonly otherwise?: Stmt<M>;
}

export interface Break {
  readonly kind: "Break";
  readonly span: Span;
}

export interface Continue {
  readonly kind: "Continue";
  readonly span: Span;
}

export interface Return<M = Untyped> {
  readonly kind: "Return";
  readonly span: Span;
  readonly value?: Expr<M>;
}

/** `print(...)`, `reject(...)`, `fatal_error(...)`: arguments are expressions or string literals. */
export interface Print<M = Untyped> {
  readonly kind: "Print" | "Reject" | "FatalError";
  readonly span: Span;
  readonly args: readonly Expr<M>[];
}

export interface BlockStmt<M = Untyped> {
  readonly kind: "Block";
  readonly span: Span;
  readonly stmts: readonly Stmt<M>[];
}

export interface Profile<M = Untyped> {
  readonly kind: "Profile";
  readonly span: Span;
  readonly name: string;
  readonly stmts: readonly Stmt<M>[];
}

/** A call used as a statement (void user functions, `_lp` functions). */
export interface CallStmt<M = Untyped> {
  readonly kind: "CallStmt";
  readonly span: Span;
  readonly call: FunctionCall<M>;
}

export type Stmt<M = Untyped> =
  | VarDecl<M>
  | Assign<M>
  | Tilde<M>
  | TargetPlus<M>
  | JacobianPlus<M>
  | For<M>
  | ForEach<M>
  | While<M>
  | IfElse<M>
  | Break
  | Continue
  | Return<M>
  | Print<M>
  | BlockStmt<M>
  | Profile<M>
  | CallStmt<M>;

// ---------------------------------------------------------------------------------------------
// Functions and program

export interface FunctionParam {
  readonly name: string;
  readonly type: StanType;
  /** Declared `data`: the argument may not depend on parameters. */
  readonly dataOnly: boolean;
  readonly span: Span;
}

export interface FunctionDef<M = Untyped> {
  readonly kind: "FunctionDef";
  readonly span: Span;
  readonly name: string;
  readonly nameSpan: Span;
  readonly returnType: StanType;
  readonly params: readonly FunctionParam[];
  /** Absent for a forward declaration. */
  readonly body?: Stmt<M>;
}

export type BlockName =
  | "functions"
  | "data"
  | "transformed data"
  | "parameters"
  | "transformed parameters"
  | "model"
  | "generated quantities";

export const BLOCK_ORDER: readonly BlockName[] = [
  "functions",
  "data",
  "transformed data",
  "parameters",
  "transformed parameters",
  "model",
  "generated quantities",
];

export interface ProgramBlock<M = Untyped> {
  readonly span: Span;
  readonly stmts: readonly Stmt<M>[];
}

export interface Program<M = Untyped> {
  readonly file: string;
  readonly functions?: { readonly span: Span; readonly defs: readonly FunctionDef<M>[] };
  readonly data?: ProgramBlock<M>;
  readonly transformedData?: ProgramBlock<M>;
  readonly parameters?: ProgramBlock<M>;
  readonly transformedParameters?: ProgramBlock<M>;
  readonly model?: ProgramBlock<M>;
  readonly generatedQuantities?: ProgramBlock<M>;
}

export type TypedProgram = Program<Typed>;
export type TypedExpr = Expr<Typed>;
export type TypedStmt = Stmt<Typed>;

// ---------------------------------------------------------------------------------------------
// Small helpers used across stages

export const INT: StanType = { base: "int", arrayDims: 0 };
export const REAL: StanType = { base: "real", arrayDims: 0 };
export const VECTOR: StanType = { base: "vector", arrayDims: 0 };
export const ROW_VECTOR: StanType = { base: "row_vector", arrayDims: 0 };
export const MATRIX: StanType = { base: "matrix", arrayDims: 0 };
export const VOID: StanType = { base: "void", arrayDims: 0 };

export function arrayOf(t: StanType, dims = 1): StanType {
  return { base: t.base, arrayDims: t.arrayDims + dims };
}

export function typeToString(t: StanType): string {
  const base = t.base;
  if (t.arrayDims === 0) return base;
  return `array[${",".repeat(t.arrayDims - 1)}] ${base}`;
}

export function sameType(a: StanType, b: StanType): boolean {
  return a.base === b.base && a.arrayDims === b.arrayDims;
}
