/**
 * What the compiler knows about one built-in function, declared once (JAX-style: one entry per
 * primitive). An entry gives its Stan signatures and how a call lowers:
 *
 * - `scalar`: a function of scalars with one partial per argument, elementwise over containers
 *   (`exp`, `lbeta`, `fma`). Value and partials are *formulas* over an `ExprBuilder`, so the same
 *   rule prints JavaScript, builds IR, or reports which arguments a partial reads.
 * - `density`: a log density as a sum of terms (`normal_lpdf`); the lowering expands it into one
 *   fused loop and reverse mode differentiates the terms through the scalar rules.
 * - `kernel`: a runtime kernel with hand-derived partials (`name` / `name_vp` in src/runtime/math).
 * - `glm`: a GLM density, the linear predictor expanded and passed to another entry's density.
 * - `expand`: expanded by the lowering into loops of scalar statements (container functions,
 *   linear algebra), so reverse mode differentiates the loops.
 * - `rng`: a random number generator for generated quantities (runtime `name(rng, …)`).
 * - `constant`: a zero-argument value (`pi()`), as JavaScript.
 * - `operator`: an operator's function name (`add`, `elt_multiply`); the lowering of the operator
 *   itself does the work.
 *
 * A Stan function stan2ts does not compile yet is registered with `unsupported` (a reason): the
 * type checker rejects its calls with that reason, so every call `check` accepts also compiles.
 * `src/primitives/registry.ts` derives every table the compiler uses from these entries.
 */
import type { StanType } from "../ast/ast";
import type { Span } from "../common/span";
import type { ElemType, IrVar, LStmt, Loc, SExpr, ValueBase } from "../ir/ir";
import type { ContainerValue, LIndex, Value } from "../ir/values";

export interface FunctionSignature {
  readonly args: readonly StanType[];
  readonly returnType: StanType;
  /** Argument positions that must not depend on parameters. */
  readonly dataOnlyArgs?: readonly number[];
}

/**
 * Builds scalar expressions. `T` is the lowering's IR expression, JavaScript text (printing a
 * value or a partial), or the set of inputs an expression reads (which partials need what).
 * `call` names another primitive with a scalar rule (or a zero-argument constant).
 */
export interface ExprBuilder<T> {
  readonly num: (x: number) => T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
  readonly mul: (a: T, b: T) => T;
  readonly div: (a: T, b: T) => T;
  readonly neg: (a: T) => T;
  readonly call: (fn: string, ...args: T[]) => T;
  /** c ? t : f, with c a comparison built by `cmp` (or `or` of comparisons). */
  readonly ifElse: (c: T, t: T, f: T) => T;
  readonly cmp: (op: "==" | "!=" | "<" | "<=" | ">" | ">=", a: T, b: T) => T;
  readonly or: (a: T, b: T) => T;
}

/** A formula over the arguments (and, for partials, the function's own value `out`). */
export type Formula = <T>(b: ExprBuilder<T>, args: readonly T[]) => T;
export type PartialsFormula = <T>(b: ExprBuilder<T>, args: readonly T[], out: T) => readonly T[];

export interface ScalarRule {
  readonly arity: number;
  /**
   * The value: `js` names a JavaScript function (an exact `Math` function such as `Math.sqrt`, or a
   * function of src/runtime/math that the generated module imports — `exp`, `log`, … come from
   * src/runtime/math/elementary, the same bits on every engine); `formula` computes it from other
   * primitives. With
   * `inlineForNames`, a call whose arguments are all plain names prints that formula instead
   * (`square(x)` → `x * x`).
   */
  readonly value:
    | { readonly js: string; readonly inlineForNames?: Formula }
    | { readonly formula: Formula };
  /** ∂value/∂argument i. Absent: integer-valued or piecewise constant (no adjoint). */
  readonly partials?: PartialsFormula;
  /** Plain-math statement of each partial, for the comment next to the adjoint statement. */
  readonly math?: readonly string[];
  /** Integer result when every argument is an integer (abs, min, max, …). */
  readonly intWhenIntArgs?: boolean;
  /** Integer result always (int_step, …). */
  readonly alwaysInt?: boolean;
}

export interface DensityTerm {
  /** Indices of the arguments (0 = variate) the term depends on. */
  readonly deps: readonly number[];
  readonly f: Formula;
}

export type ArgCheck = "finite" | "not_nan" | "positive" | "positive_finite" | "nonnegative" | "unit_interval" | "probability" | "angle";

export interface DensityRule {
  /** Stan's argument names, for error messages. */
  readonly argNames: readonly string[];
  /** Arguments that must be integers (the variate of an `_lpmf`, trial counts). */
  readonly intArgs?: readonly number[];
  readonly checks: readonly (readonly [number, ArgCheck])[];
  /**
   * Terms of the log density of one element; with `propto` (the `~` form) a term whose
   * arguments are all data is dropped, as Stan's `include_summand`. Terms that depend only on
   * scalar arguments are added once, times the number of elements.
   */
  readonly terms: readonly DensityTerm[];
  /** Plain-math statement of the density, for the comment on the generated loop. */
  readonly math: string;
}

/** How one kernel argument is passed. `real` = number or Float64Array (vectorised). */
export type KernelArgKind = "real" | "int" | "vector" | "matrix" | "vectors" | "cholesky";

/** One kernel argument as code (`T`: the sweep IR's expressions, or text) and its sizes. */
export interface KernelArgCode<T> {
  readonly js: T;
  /** Each Stan dim of the argument ([] for a scalar). */
  readonly dims: readonly T[];
}

/**
 * A runtime kernel with hand-derived partials: the generated code calls `name(args…, propto)` for
 * the value and `name_vp(args…, propto, d_arg…)` for value plus partials, then applies
 * `arg_adj += result_adj · d_arg` (docs/kernel-conventions.md).
 */
export interface KernelRule {
  /** Argument kinds in Stan order (the variate first). */
  readonly args: readonly KernelArgKind[];
  /** Whether the kernel takes the `propto` flag (densities do, log CDFs do not). */
  readonly propto: boolean;
  /** Plain math for each partial, for comments in the adjoint code. */
  readonly partials: readonly string[];
  /** Arguments the kernel takes no partials buffer for (integer arguments). */
  readonly noPartials?: readonly number[];
  /**
   * Positional value arguments of the runtime kernel from each Stan argument's JS and sizes
   * (matrices pass their sizes after them). Default: the arguments as they are.
   */
  readonly layout?: <T>(args: readonly KernelArgCode<T>[]) => readonly T[];
}

/**
 * A random number generator: runtime `name(rng, …)`. `s` = scalar argument (vectorised
 * elementwise when a container is passed), `v` = a whole vector.
 */
export interface RngRule {
  readonly args: readonly ("s" | "v")[];
  readonly intResult: boolean;
  /**
   * Set for a generator of a whole vector or matrix (`multi_normal_rng`): the runtime
   * `name(rng, out, …args, …sizes)` writes the draw (or an array of draws) into `out`; this gives
   * the result's shape and the sizes passed after the arguments, from the arguments' values.
   */
  readonly draws?: (args: readonly Value[]) => RngDrawShape;
}

/** The result of a generator that writes a whole container. */
export interface RngDrawShape {
  readonly elem: ElemType;
  readonly base: ValueBase;
  readonly arrayDims: number;
  readonly dims: readonly SExpr[];
  /** Extra size arguments of the runtime generator (e.g. the matrix dimension K). */
  readonly sizes: readonly SExpr[];
}

/** A GLM density: `alpha + x * beta` expanded, then the density `of` another entry. */
export interface GlmRule {
  readonly of: string;
}

/**
 * What an expansion may ask of the lowering: fresh temporaries, loops, statements, and the
 * lowering of other calls and operators. `Lowerer` (src/ir/lowerProgram.ts) implements it;
 * expansions program against this interface, so src/primitives never imports the lowering.
 */
export interface LoweringContext {
  /** The Stan statement being lowered (for statements an expansion emits). */
  readonly currentLoc: Loc | undefined;
  /** A fresh container temporary. */
  temp(elem: ElemType, base: ValueBase, arrayDims: number, dims: readonly SExpr[], hint?: string): IrVar;
  /** A fresh scalar temporary. */
  scalarTemp(elem: ElemType, hint?: string): IrVar;
  emit(s: LStmt): void;
  /** The statements `fn` emits, returned instead of emitted. */
  collect(fn: () => void): LStmt[];
  /** `for (i in 0:n-1) body(i)`. */
  loop(n: SExpr, body: (i: SExpr) => void, loc?: Loc): void;
  nextSite(): number;
  /** A call of a primitive with a scalar rule, on scalar arguments. */
  scalarCall(fn: string, args: SExpr[], sp: Span): SExpr;
  /** Any call (user function or primitive) on lowered arguments. */
  callWithValues(name: string, args: Value[], sp: Span, propto: boolean): Value;
  /** A density's terms summed over the (broadcast) arguments, its checks named `displayName`. */
  density(rule: DensityRule & { readonly name: string }, args: readonly Value[], sp: Span, propto: boolean, displayName?: string): Value;
  /** A binary operator (`+`, `*`, `.*`, …) on lowered operands. */
  binary(op: string, l: Value, r: Value, sp: Span): Value;
  zip(l: Value, r: Value, f: (a: SExpr, b: SExpr) => SExpr, sp: Span): Value;
  multiply(l: ContainerValue, r: ContainerValue, sp: Span): Value;
  dot(a: ContainerValue, b: ContainerValue): SExpr;
  sum(v: ContainerValue): SExpr;
  index(c: ContainerValue, idx: readonly LIndex[], sp: Span): Value;
  materialize(v: ContainerValue): IrVar;
  materializeValue(v: Value): Value;
}

/** Lowers a call into IR statements and a value (container functions, linear algebra). */
export type Expansion = (l: LoweringContext, args: Value[], sp: Span) => Value;

export interface Primitive {
  readonly name: string;
  readonly family: string;
  readonly signatures: readonly FunctionSignature[];
  readonly scalar?: ScalarRule;
  readonly density?: DensityRule;
  readonly kernel?: KernelRule;
  readonly glm?: GlmRule;
  /** Takes precedence over `scalar` (which it may call for all-scalar arguments). */
  readonly expand?: Expansion;
  readonly rng?: RngRule;
  /** JavaScript for the zero-argument form (`pi()`, `log2()`). */
  readonly constant?: string;
  readonly operator?: true;
  /**
   * Where the gradient tests sample each argument (as Stan Math's `expect_ad` test values): an
   * interval inside the function's domain, away from kinks, whose ends are the edge values the
   * tests also try; for an integer argument the inclusive range of values; for a vector or matrix
   * argument that must have a structure, that structure (test/primitives/signatureCases.ts builds
   * it from unconstrained parameters). `undefined` at a position keeps the default there: a
   * density's checks decide, else (−2, 2) inside and ±10 at the edges.
   */
  readonly testDomain?: readonly (TestDomain | undefined)[];
  /** A Stan function not compiled yet: why (the type checker reports it at the call). */
  readonly unsupported?: string;
  /** A remark docs/functions.md prints after how the entry lowers (a variant Stan itself lacks, …). */
  readonly note?: string;
}

/**
 * Where a test samples one argument: an interval `[lo, hi]` (elementwise for containers), or a
 * structure the value must have: `simplex`, `ordered` (vectors); `spd` (symmetric positive
 * definite), `cholesky_factor_cov` (lower triangular, positive diagonal), `corr_matrix`,
 * `cholesky_factor_corr`, `symmetric` (matrices).
 */
export type TestDomain =
  | readonly [number, number]
  | "simplex"
  | "ordered"
  | "spd"
  | "cholesky_factor_cov"
  | "corr_matrix"
  | "cholesky_factor_corr"
  | "symmetric";

/** The lowering parts of an entry, for checks that every entry has one. */
export const LOWERING_KEYS = ["scalar", "density", "kernel", "glm", "expand", "rng", "constant", "operator"] as const;
