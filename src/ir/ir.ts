/**
 * The lowered program (IR). Every value has a storage: a scalar is a JS `let`, anything else is
 * one flat typed array (vectors, row vectors, arrays: outermost index first; matrices column-major;
 * an array of vectors stores vector n at offset n·K). Expressions in the IR are scalar (`SExpr`):
 * container arithmetic has already been scalarised into loops over flat indices, and every
 * container-valued primitive has been expanded into loops by the lowering, so reverse mode only
 * ever differentiates scalar statements, loops and conditionals.
 */
import type { Span } from "../common/span";

export type ElemType = "int" | "real";
export type ValueBase = "int" | "real" | "vector" | "row_vector" | "matrix";

export type VarRole =
  | "data"
  | "transformed data"
  | "theta"
  | "parameters"
  | "transformed parameters"
  | "model"
  | "generated quantities"
  | "loop"
  | "temp"
  | "target"
  | "function";

export interface IrVar {
  readonly id: number;
  /** JavaScript identifier (Stan name, mangled when it is a JS reserved word). */
  readonly js: string;
  /** The name the user wrote (or the compiler-made name). */
  readonly stanName: string;
  readonly elem: ElemType;
  readonly base: ValueBase;
  readonly arrayDims: number;
  /** Array sizes then vector/matrix sizes; empty for a scalar. Data-level expressions (see `capacity`). */
  readonly dims: readonly SExpr[];
  /**
   * Set when a size is known only at run time (a slice `x[a:b]` with row-dependent bounds, a
   * function local `vector[n] v` with `n` an argument or loop variable): `dims` then read scalars
   * assigned where the variable comes into scope, and this data-level bound on the element count,
   * computed once at data load, is the length of its buffers (allocated once, as any other).
   */
  readonly capacity?: SExpr;
  readonly role: VarRole;
  /** Set by activity analysis: the value depends on the parameters. */
  active: boolean;
}

export function isScalarVar(v: IrVar): boolean {
  return v.dims.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Scalar expressions

export type BinOp = "+" | "-" | "*" | "/" | "%" | "%/%" | "^" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "&&" | "||";

export type SExpr =
  | { readonly k: "num"; readonly text: string; readonly isInt: boolean }
  /** Read of a scalar variable (`at` absent) or element `at` (0-based flat index) of a container. */
  | { readonly k: "read"; readonly v: IrVar; readonly at?: SExpr }
  /**
   * `checked`: the program's own integer `/`, `%/%` or `%` whose divisor may be 0, which throws
   * Stan's error (compiler-made index arithmetic divides by sizes and stays a plain operator).
   */
  | { readonly k: "bin"; readonly op: BinOp; readonly l: SExpr; readonly r: SExpr; readonly isInt: boolean; readonly checked?: boolean }
  | { readonly k: "neg"; readonly e: SExpr; readonly isInt: boolean }
  | { readonly k: "not"; readonly e: SExpr }
  | { readonly k: "cond"; readonly c: SExpr; readonly t: SExpr; readonly f: SExpr; readonly isInt: boolean }
  /** A call whose result is a scalar; arguments are scalars or whole containers. */
  | { readonly k: "call"; readonly fn: string; readonly args: readonly Arg[]; readonly isInt: boolean; readonly site: number; readonly propto: boolean; readonly span: Span }
  /**
   * A density term under `~` (propto): it counts only when one of `deps` depends on the
   * parameters, as Stan's include_summand; decided after activity analysis, printed as 0 otherwise.
   */
  | { readonly k: "guard"; readonly deps: readonly Arg[]; readonly e: SExpr };

/** Whether a guarded term is kept (some dependency is active). */
export function guardKept(e: { readonly deps: readonly Arg[] }): boolean {
  return e.deps.some((d) => isActive(d));
}

/** A whole container passed to a kernel, with its element count and shape. */
export interface WholeArg {
  readonly k: "whole";
  readonly v: IrVar;
}

export type Arg = SExpr | WholeArg;

export function isWhole(a: Arg): a is WholeArg {
  return a.k === "whole";
}

export function num(value: number | string, isInt = false): SExpr {
  const text = typeof value === "number" ? numberText(value, isInt) : value;
  return { k: "num", text, isInt };
}

function numberText(x: number, isInt: boolean): string {
  if (isInt) return String(Math.trunc(x));
  return String(x);
}

export function read(v: IrVar, at?: SExpr): SExpr {
  return at === undefined ? { k: "read", v } : { k: "read", v, at };
}

/** Arithmetic with light constant folding so index expressions stay readable. */
/** The program's integer division or modulus: checked for a zero divisor unless it is a nonzero literal. */
export function checkedIntDivision(op: "/" | "%/%" | "%", l: SExpr, r: SExpr): SExpr {
  const e = bin(op, l, r);
  const nonzeroLiteral = r.k === "num" && Number(r.text) !== 0;
  return e.k === "bin" && e.isInt && !nonzeroLiteral ? { ...e, checked: true } : e;
}

export function bin(op: BinOp, l: SExpr, r: SExpr): SExpr {
  const isInt =
    op === "==" || op === "!=" || op === "<" || op === "<=" || op === ">" || op === ">=" || op === "&&" || op === "||"
      ? true
      : op === "/"
        ? exprIsInt(l) && exprIsInt(r)
        : op === "%/%" || op === "%"
          ? true
          : exprIsInt(l) && exprIsInt(r);
  if (isInt && l.k === "num" && r.k === "num" && (op === "+" || op === "-" || op === "*")) {
    const a = Number(l.text);
    const b = Number(r.text);
    return num(op === "+" ? a + b : op === "-" ? a - b : a * b, true);
  }
  if (op === "+" && isZero(r)) return l;
  if (op === "+" && isZero(l)) return r;
  if (op === "-" && isZero(r)) return l;
  if (op === "*" && isOne(r) && (isInt || !exprIsInt(l))) return l;
  if (op === "/" && isOne(r) && !isInt && !exprIsInt(l)) return l;
  if (op === "*" && isOne(l) && (isInt || !exprIsInt(r))) return r;
  if (op === "*" && isInt && (isZero(l) || isZero(r))) return num(0, true);
  // (x + a) - b with integer literals a, b: fold the constants
  if ((op === "-" || op === "+") && isInt && r.k === "num" && l.k === "bin" && l.isInt && (l.op === "+" || l.op === "-") && l.r.k === "num") {
    const inner = (l.op === "+" ? 1 : -1) * Number(l.r.text) + (op === "+" ? 1 : -1) * Number(r.text);
    if (inner === 0) return l.l;
    return inner > 0 ? bin("+", l.l, num(inner, true)) : bin("-", l.l, num(-inner, true));
  }
  return { k: "bin", op, l, r, isInt };
}

function isZero(e: SExpr): boolean {
  return e.k === "num" && Number(e.text) === 0 && e.isInt;
}
function isOne(e: SExpr): boolean {
  return e.k === "num" && Number(e.text) === 1;
}

export function exprIsInt(e: SExpr): boolean {
  switch (e.k) {
    case "num":
      return e.isInt;
    case "read":
      return e.v.elem === "int";
    case "bin":
    case "neg":
    case "cond":
    case "call":
      return e.isInt;
    case "not":
      return true;
    case "guard":
      return exprIsInt(e.e);
  }
}

/** Whether the expression's value depends on the parameters (uses `IrVar.active`). */
export function isActive(e: Arg): boolean {
  if (e.k !== "whole" && exprIsInt(e)) return false;
  switch (e.k) {
    case "whole":
      return e.v.active;
    case "num":
      return false;
    case "read":
      return e.v.active;
    case "bin":
      // the right operand first: a long sum leans left, so its right operands are shallow and
      // an active one answers at once (left first walked the whole chain at every node)
      return isActive(e.r) || isActive(e.l);
    case "neg":
    case "not":
      return isActive(e.e);
    case "cond":
      return isActive(e.t) || isActive(e.f);
    case "call":
      return e.args.some(isActive);
    case "guard":
      return guardKept(e) && isActive(e.e);
  }
}

/** Every variable an expression reads (values, including those read by index expressions). */
export function forEachRead(e: Arg, visit: (v: IrVar) => void): void {
  switch (e.k) {
    case "whole":
      visit(e.v);
      // a container sized at run time is passed with its sizes, scalars the code assigned
      if (e.v.capacity) for (const d of e.v.dims) forEachRead(d, visit);
      return;
    case "num":
      return;
    case "read":
      visit(e.v);
      if (e.at) forEachRead(e.at, visit);
      return;
    case "bin":
      forEachRead(e.l, visit);
      forEachRead(e.r, visit);
      return;
    case "neg":
    case "not":
      forEachRead(e.e, visit);
      return;
    case "cond":
      forEachRead(e.c, visit);
      forEachRead(e.t, visit);
      forEachRead(e.f, visit);
      return;
    case "call":
      for (const a of e.args) forEachRead(a, visit);
      return;
    case "guard":
      if (guardKept(e)) forEachRead(e.e, visit);
      return;
  }
}

// ---------------------------------------------------------------------------------------------
// Statements

/** Where a statement came from: the Stan source line, quoted in comments and runtime errors. */
export interface Loc {
  readonly span: Span;
  /** The Stan statement text (first line), for comments. */
  readonly text: string;
}

export interface LValue {
  readonly v: IrVar;
  /** Flat 0-based element index; absent for a scalar variable. */
  readonly at?: SExpr;
}

export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=";

export type LStmt =
  | { readonly k: "assign"; readonly lhs: LValue; readonly op: AssignOp; readonly rhs: SExpr; readonly loc?: Loc }
  /** `target += e` (and `jacobian += e`, and the Jacobian terms of the constraint transforms). */
  | { readonly k: "target"; readonly e: SExpr; readonly loc?: Loc; readonly jacobian: boolean }
  | { readonly k: "for"; readonly v: IrVar; readonly lo: SExpr; readonly hi: SExpr; readonly body: readonly LStmt[]; readonly loc?: Loc }
  | { readonly k: "while"; readonly cond: SExpr; readonly body: readonly LStmt[]; readonly loc?: Loc }
  | { readonly k: "if"; readonly cond: SExpr; readonly then: readonly LStmt[]; readonly otherwise: readonly LStmt[]; readonly loc?: Loc }
  | { readonly k: "print" | "reject" | "fatal"; readonly args: readonly (SExpr | string)[]; readonly loc?: Loc }
  | { readonly k: "break" | "continue"; readonly loc?: Loc }
  /**
   * A runtime argument or constraint check (value mode and forward sweep only). A failed check
   * rejects the point (`StanDomainError`); a `fatal` one (an index out of range, Stan's
   * std::out_of_range) stops the run (`StanDataError`).
   */
  | { readonly k: "check"; readonly cond: SExpr; readonly message: readonly (SExpr | string)[]; readonly data: boolean; readonly fatal?: boolean; readonly loc?: Loc }
  /**
   * A generator of a whole vector or matrix (`multi_normal_rng`, `wishart_rng`; generated quantities
   * only): the runtime `fn(rng, out, …args)` writes one draw into `out` (arrays of draws included).
   */
  | { readonly k: "draw"; readonly fn: string; readonly out: IrVar; readonly args: readonly Arg[]; readonly loc?: Loc }
  /** Fills a container with NaN (Stan's initial value for locals) or zero. */
  | { readonly k: "fill"; readonly v: IrVar; readonly value: "NaN" | "0"; readonly loc?: Loc }
  /**
   * A structured constraint transform (`transforms.ts` kernels): constrain writes `v` from
   * theta[offset …] and adds the log-Jacobian; untransform is the inverse, for inits. `count`
   * elements of an array are handled one after another (each `freeSize` values long).
   */
  | { readonly k: "transform" | "untransform"; readonly kernel: string; readonly v: IrVar; readonly offset: SExpr; readonly sizes: readonly SExpr[]; readonly freeSize: SExpr; readonly count: SExpr; readonly loc?: Loc }
  /**
   * Allocates a transformed-data variable or temporary at its declaration (data-load code only);
   * a scalar with `init` is bound once, as a constant.
   */
  | { readonly k: "alloc"; readonly v: IrVar; readonly init?: SExpr; readonly loc?: Loc }
  /** A marker that only carries a comment (the Stan line a group of statements implements). */
  | { readonly k: "comment"; readonly loc: Loc };

// ---------------------------------------------------------------------------------------------
// Program

export type Bound = { readonly lower?: SExpr; readonly upper?: SExpr };

export interface DataDecl {
  readonly v: IrVar;
  readonly bound: Bound;
  readonly loc: Loc;
}

/** One parameter: its slice of the unconstrained vector and how to map it. */
export interface ParamDecl {
  readonly v: IrVar;
  /** Name of the JS const holding the offset into theta. */
  readonly offsetJs: string;
  /** Number of unconstrained coordinates (data-level expression). */
  readonly unconstrainedSize: SExpr;
  /** Constrain: writes `v` from theta, adds the log-Jacobian when `jacobian` statements run. */
  readonly constrain: readonly LStmt[];
  /** Unconstrain: reads `v` (already filled from user values) and writes theta. */
  readonly unconstrain: readonly LStmt[];
  /** Names of the unconstrained coordinates, in order, as data-level code. */
  readonly transformName: string;
  readonly loc: Loc;
}

export interface OutputDecl {
  readonly v: IrVar;
  readonly block: "parameters" | "transformed parameters" | "generated quantities";
}

export interface IrProgram {
  readonly name: string;
  readonly file: string;
  readonly stanCode: string;
  readonly data: readonly DataDecl[];
  readonly transformedData: readonly LStmt[];
  readonly params: readonly ParamDecl[];
  readonly transformedParams: readonly LStmt[];
  /** Constraint checks on transformed parameters (run after the block). */
  readonly transformedParamChecks: readonly LStmt[];
  readonly model: readonly LStmt[];
  readonly generatedQuantities: readonly LStmt[];
  readonly generatedQuantityChecks: readonly LStmt[];
  readonly outputs: readonly OutputDecl[];
  /** Every variable the program uses (data, parameters, locals, temporaries), by id. */
  readonly vars: readonly IrVar[];
  /**
   * How many compiler-numbered names (`i3__`, `r12__`, `hoisted14__`) exist so far: an IR pass
   * that adds temporaries continues the numbering from here (`src/ir/freshVars.ts`).
   */
  readonly tempCount: number;
  readonly theta: IrVar;
  readonly target: IrVar;
  /** Stan source locations, by index (runtime errors name them). */
  readonly sourceText: string;
}

/** Whether `e` holds the program's integer division by a divisor that may be 0 (it throws when it is). */
export function hasCheckedDivision(e: Arg): boolean {
  switch (e.k) {
    case "bin":
      return e.checked === true || hasCheckedDivision(e.l) || hasCheckedDivision(e.r);
    case "read":
      return e.at !== undefined && hasCheckedDivision(e.at);
    case "neg":
    case "not":
    case "guard":
      return hasCheckedDivision(e.e);
    case "cond":
      return hasCheckedDivision(e.c) || hasCheckedDivision(e.t) || hasCheckedDivision(e.f);
    case "call":
      return e.args.some(hasCheckedDivision);
    default:
      return false;
  }
}

/**
 * An expression without calls (index expressions included): evaluating it cannot throw, unless
 * it divides integers (`hasCheckedDivision`), which passes that move code keep in place.
 */
export function callFree(e: SExpr): boolean {
  switch (e.k) {
    case "call":
      return false;
    case "num":
      return true;
    case "read":
      return e.at === undefined || callFree(e.at);
    case "bin":
      return callFree(e.l) && callFree(e.r);
    case "neg":
    case "not":
    case "guard":
      return callFree(e.e);
    case "cond":
      return callFree(e.c) && callFree(e.t) && callFree(e.f);
  }
}
