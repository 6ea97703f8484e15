/**
 * The emission context of reverse mode (src/ad/): the module's imports and Stan locations, the
 * plan the analysis made (./plan.ts), and the `Emitter` that names variables, adjoints, bound
 * temporaries and kernel calls for the forward sweep (./forward.ts) and the reverse sweep
 * (./reverse.ts), both of which build sweep IR (src/ir/jsIr.ts).
 */
import { KERNEL_RULES, RNG_RULES, SCALAR_RULES } from "../primitives/registry";
import { partialsUsage } from "../primitives/formulaUsage";
import { type Arg, type IrVar, type LStmt, type LValue, type Loc, type SExpr, forEachRead, exprIsInt, guardKept, hasCheckedDivision, isActive } from "../ir/ir";
import { type JsExpr, type JsStmt, jsCall, jsIndex, jsLit, jsName, jsProduct, jsStr } from "../ir/jsIr";
import { type JsContext, toJs, toJsCond } from "../ir/toJsIr";
import { indexKey } from "./keys";

// ---------------------------------------------------------------------------------------------
// Shared emission context (one per generated function)

export interface ModuleContext {
  readonly file: string;
  /** Runtime functions used (imports). */
  readonly imports: Set<string>;
  /** Support helpers used. */
  readonly support: Set<string>;
  /** Stan locations for runtime errors: index → "'m1.stan', line 42, column 2". */
  readonly locations: string[];
  /** The same, location → index (a lookup per statement must not scan the list). */
  readonly locationIndex: Map<string, number>;
  /** Per kernel call site: the length of each partial buffer (undefined = argument is constant). */
  readonly partialBuffers: Map<number, (JsExpr | undefined)[]>;
  /** The size of each dim of a variable. */
  readonly dims: (v: IrVar) => readonly JsExpr[];
  /** Buffers of containers sized at run time passed whole: each gets a cache of views by length (`<name>_views__`). */
  readonly lengthViews: Map<string, "Float64Array" | "Int32Array">;
  /** Data ints declared with a lower bound of 0 or more: a size that reads one needs no check. */
  readonly nonNegativeData: ReadonlySet<IrVar>;
}

/**
 * Stan's check of a user variable's declared sizes before it is allocated (`vector[N] mu` with
 * N = -2 names mu and N; a negative typed-array length would not name them, and two negative
 * sizes would multiply to a positive length): one line per size that may be negative.
 */
export function sizeChecks(m: ModuleContext, v: IrVar): JsStmt[] {
  // (sizes known only at run time are checked where the declaration runs, by the lowering)
  if (v.stanName.endsWith("__") || v.role === "data" || v.role === "theta" || v.role === "loop" || v.role === "temp" || v.capacity) return [];
  const checks: JsStmt[] = [];
  const sizes = m.dims(v);
  v.dims.forEach((d, i) => {
    const literal = d.k === "num" && Number(d.text) >= 0;
    const boundedData = d.k === "read" && d.at === undefined && m.nonNegativeData.has(d.v);
    if (literal || boundedData) return;
    m.support.add("checkSize__");
    checks.push({ k: "effect", e: jsCall("checkSize__", jsStr(v.stanName), { k: "quote", e: sizes[i] }, sizes[i]) });
  });
  return checks;
}

/** Activity and tape decisions for the density region (parameters → TP → model). */
export interface AdPlan {
  /** Assignments whose old value must be saved before they run. */
  readonly saves: Set<LStmt>;
  /** if/for/while statements whose branch / bounds / trip count is recorded on the tape. */
  readonly taped: Set<LStmt>;
  /** Kernel call sites evaluated with partials in the forward sweep (outside loops). */
  readonly forwardPartials: Set<number>;
  /**
   * Loops differentiated in joint mode: each iteration's adjoint statements run right after its
   * forward statements, seeded with the known adjoints of the accumulators it feeds (below).
   */
  readonly joint: Map<LStmt, Map<IrVar, number>>;
  /**
   * Arrays only ever touched inside one joint-mode loop (argument checks aside), at that loop's
   * own index, and overwritten first in each iteration: their adjoint lives in one scalar per
   * iteration, so the hot loop keeps it in a register. Maps the array to the loop variable.
   */
  readonly promoted: Map<IrVar, IrVar>;
  /**
   * Promoted arrays whose *value* also lives in the per-iteration scalar `<name>_e__` (their
   * element is never stored). Maps the array to the index variables at which it may be read:
   * the joint loop's own, and those of the argument-check loops after it.
   */
  readonly promotedValues: Map<IrVar, Set<IrVar>>;
  /**
   * Argument-check loops that read promoted values: before their checks, each iteration
   * recomputes the values (the joint loop's statements that produce them, `from` → the check
   * loop's variable). Only runs when a density is not finite, to name the offending element.
   */
  readonly rematerialize: Map<LStmt, { readonly stmts: readonly LStmt[]; readonly from: IrVar }>;
}

export function emptyPlan(): AdPlan {
  return {
    saves: new Set(),
    taped: new Set(),
    forwardPartials: new Set(),
    joint: new Map(),
    promoted: new Map(),
    promotedValues: new Map(),
    rematerialize: new Map(),
  };
}

export class Emitter {
  readonly usedScalars = new Set<IrVar>();
  readonly usedAdjScalars = new Set<IrVar>();
  private counter = 0;
  /** The adjoint statements of a joint-mode loop body (set by the gradient function). */
  reverseBody?: (stmts: readonly LStmt[]) => JsStmt[];
  /**
   * Adjoint arrays zeroed at the start of one `if` branch (the forward sweep's) instead of at the
   * top of the gradient: every use of them lies in that branch (see `branchLocalAdjoints`), so a
   * gradient that takes the other branch does not clear them.
   */
  readonly branchFills = new Map<readonly LStmt[], readonly IrVar[]>();

  constructor(
    readonly m: ModuleContext,
    readonly mode: "value" | "gradient",
    readonly plan: AdPlan,
    readonly jacobian: boolean,
  ) {}

  readonly ctx: JsContext = {
    name: (v) => this.varName(v),
    // a container sized at run time: its sizes are scalars assigned where it comes into scope
    dims: (v) => (v.capacity ? v.dims.map((d) => toJs(d, this.ctx)) : this.m.dims(v)),
    wholeArg: (v) => (v.capacity ? this.lengthView(this.varName(v), v, v.elem === "int" ? "Int32Array" : "Float64Array") : undefined),
    kernelCall: (e, args) => this.kernelCall(e, args),
    useFunction: (f) => this.useFunction(f),
    element: (v, at) => this.promotedValue(v, at),
    subst: (e) => (this.bound.size === 0 ? undefined : this.bound.get(indexKey(e) as string)?.name),
  };

  /**
   * Arguments of nonlinear calls bound to a const at the top of a loop iteration, so the
   * value and its adjoint statements (in joint mode, right after) share one evaluation:
   * expression key → name and the variables it reads (an assignment to one of them drops it).
   */
  readonly bound = new Map<string, { readonly name: string; readonly reads: ReadonlySet<IrVar> }>();
  /** Whether forward statements may bind call arguments (top level of a loop body). */
  bindArgs = false;

  /** Adds `const zN__ = arg;` for each compound argument of a scalar function call in `e`. */
  bindCallArgs(e: SExpr, out: JsStmt[]): void {
    if (!this.bindArgs) return;
    const visit = (x: SExpr): void => {
      switch (x.k) {
        case "bin":
          visit(x.l);
          visit(x.r);
          return;
        case "neg":
        case "not":
          visit(x.e);
          return;
        case "cond":
          visit(x.c);
          return;
        case "guard":
          if (guardKept(x)) visit(x.e);
          return;
        case "call": {
          for (const a of x.args) if (a.k !== "whole") visit(a);
          const rule = SCALAR_RULES.get(x.fn);
          if (!rule || x.args.length !== 1 || usesOut(x.fn)) return;
          const arg = x.args[0];
          if (arg.k === "whole" || arg.k === "read" || arg.k === "num" || exprIsInt(arg)) return;
          const key = indexKey(arg) as string;
          if (this.bound.has(key)) return;
          const name = this.fresh("z");
          out.push({ k: "decl", kind: "const", name, init: this.expr(arg) });
          const reads = new Set<IrVar>();
          forEachRead(arg, (v) => reads.add(v));
          this.bound.set(key, { name, reads });
          return;
        }
        default:
          return;
      }
    };
    visit(e);
  }

  /** An assignment to `v`: bound expressions reading it no longer hold their value. */
  unbind(v: IrVar): void {
    for (const [k, b] of this.bound) if (b.reads.has(v)) this.bound.delete(k);
  }

  readonly usedPromoted = new Set<IrVar>();
  readonly usedPromotedValues = new Set<IrVar>();

  /** `v[i]` of an array whose value lives in a per-iteration scalar, else undefined. */
  promotedValue(v: IrVar, at: SExpr): string | undefined {
    const ivs = this.plan.promotedValues.get(v);
    if (!ivs || !(at.k === "read" && at.at === undefined && ivs.has(at.v))) return undefined;
    this.usedPromotedValues.add(v);
    return `${v.js}_e__`;
  }

  /** `v[i]` of an array promoted to a per-iteration scalar (value or adjoint), else undefined. */
  promotedElement(v: IrVar, at: SExpr, adjoint: boolean): string | undefined {
    const iv = this.plan.promoted.get(v);
    if (!iv || !(at.k === "read" && at.v === iv && at.at === undefined)) return undefined;
    this.usedPromoted.add(v);
    return adjoint ? `${v.js}_e_adj__` : `${v.js}_e__`;
  }

  useFunction(f: string): void {
    // the support module's helpers end in `__`; the runtime's math keeps Stan's names
    if (f.endsWith("__")) this.m.support.add(f);
    else this.m.imports.add(f);
  }

  varName(v: IrVar): string {
    if (v.role === "theta") return "theta__";
    if (v.role === "target") return "lp__";
    if (
      v.dims.length === 0 &&
      v.role !== "data" &&
      v.role !== "transformed data" &&
      v.role !== "loop"
    )
      this.usedScalars.add(v);
    return v.js;
  }

  adjName(v: IrVar): string {
    if (v.role === "theta") return "grad__";
    if (v.dims.length === 0) this.usedAdjScalars.add(v);
    return `${v.js}_adj__`;
  }

  fresh(hint: string): string {
    return `${hint}${++this.counter}__`;
  }

  expr(e: SExpr): JsExpr {
    return toJs(e, this.ctx);
  }

  cond(e: SExpr): JsExpr {
    return toJsCond(e, this.ctx);
  }

  name(v: IrVar): JsExpr {
    return jsName(this.varName(v));
  }

  adj(v: IrVar): JsExpr {
    return jsName(this.adjName(v));
  }

  lvalue(l: LValue): JsExpr {
    if (l.at === undefined) return this.name(l.v);
    const promoted = this.promotedValue(l.v, l.at);
    return promoted !== undefined ? jsName(promoted) : jsIndex(this.name(l.v), this.expr(l.at));
  }

  /** Adjoint elements summed in a local while a reverse loop runs (key: variable id | index). */
  readonly registerAdjoints = new Map<string, { readonly name: string; used: boolean }>();

  adjRef(l: { v: IrVar; at?: SExpr }): JsExpr {
    if (l.at === undefined) return this.adj(l.v);
    const sum = this.registerAdjoints.get(`${l.v.id}|${indexKey(l.at)}`);
    if (sum) {
      sum.used = true;
      return jsName(sum.name);
    }
    const promoted = this.promotedElement(l.v, l.at, true);
    return promoted !== undefined ? jsName(promoted) : jsIndex(this.adj(l.v), this.expr(l.at));
  }

  location(loc: Loc | undefined): number | undefined {
    if (!loc) return undefined;
    const text = `'${baseName(loc.span.file || this.m.file)}', line ${loc.span.start.line}, column ${loc.span.start.column - 1}`;
    let i = this.m.locationIndex.get(text);
    if (i === undefined) {
      i = this.m.locations.length;
      this.m.locations.push(text);
      this.m.locationIndex.set(text, i);
    }
    return i;
  }

  /** Kernel call in forward code: `_vp` with partial buffers where the plan says so, or where `propto` needs to know which arguments are constant. */
  private kernelCall(e: Extract<SExpr, { k: "call" }>, args: readonly JsExpr[]): JsExpr {
    const rule = KERNEL_RULES.get(e.fn);
    if (!rule) throw new Error(`internal error: ${e.fn} is not a kernel`);
    const active = e.args.map((a) => isActive(a));
    const anyActive = active.some((x) => x);
    const allActive = active.every((x) => x);
    if (e.propto && !anyActive) return jsLit("0");
    const wantPartials =
      (this.mode === "gradient" && this.plan.forwardPartials.has(e.site)) ||
      (e.propto && !allActive);
    const propto = rule.propto ? [jsLit(String(e.propto))] : [];
    if (!wantPartials) {
      this.m.imports.add(e.fn);
      return jsCall(e.fn, ...args, ...propto);
    }
    this.m.imports.add(`${e.fn}_vp`);
    return jsCall(`${e.fn}_vp`, ...args, ...propto, ...this.partialBuffers(e));
  }

  /** The call site's partial buffers as kernel arguments (null for a constant argument); records their lengths. */
  partialBuffers(e: Extract<SExpr, { k: "call" }>): JsExpr[] {
    const skip = KERNEL_RULES.get(e.fn)?.noPartials ?? [];
    const lengths = e.args.map((a, i) =>
      isActive(a) && !skip.includes(i)
        ? a.k === "whole"
          ? this.wholeLength(a.v)
          : jsLit("1")
        : undefined,
    );
    this.m.partialBuffers.set(e.site, lengths);
    return lengths.flatMap((len, i) => {
      if (skip.includes(i)) return [];
      if (len === undefined) return [jsLit("null")];
      const a = e.args[i];
      return [a.k === "whole" && a.v.capacity ? this.lengthView(partialName(e.site, i), a.v, "Float64Array") : jsName(partialName(e.site, i))];
    });
  }

  /** The length of a variable's buffers: its size, or the bound on it when the size is known only at run time. */
  wholeLength(v: IrVar): JsExpr {
    return v.capacity ? toJs(v.capacity, { name: (x) => x.js, dims: () => [] }) : jsProduct(this.m.dims(v));
  }

  /** The number of elements a variable holds now (its size at run time). */
  currentLength(v: IrVar): JsExpr {
    return jsProduct(this.ctx.dims(v));
  }

  /**
   * The first elements of `buffer` (a buffer of run-time sized `v`), as long as `v` is now: a view
   * made the first time each length is met and kept (`lengthView__`), so kernels that read a
   * container's length see the right one and evaluations allocate nothing once every length was met.
   */
  lengthView(buffer: string, v: IrVar, ctor: "Float64Array" | "Int32Array"): JsExpr {
    this.m.lengthViews.set(buffer, ctor);
    this.useFunction("lengthView__");
    return jsCall("lengthView__", jsName(`${buffer}_views__`), jsName(buffer), this.currentLength(v));
  }
}

export function partialName(site: number, arg: number): string {
  return `d${site}_${arg}__`;
}

export function baseName(f: string): string {
  const i = Math.max(f.lastIndexOf("/"), f.lastIndexOf("\\"));
  return i >= 0 ? f.slice(i + 1) : f;
}

/** Every call node in `e`, outermost first (the untaken guard's term included). */
function forEachCall(e: Arg, visit: (call: Extract<SExpr, { k: "call" }>) => void): void {
  if (e.k === "call") {
    visit(e);
    for (const a of e.args) forEachCall(a, visit);
  } else if (e.k === "bin") {
    forEachCall(e.l, visit);
    forEachCall(e.r, visit);
  } else if (e.k === "neg" || e.k === "not" || e.k === "guard") forEachCall(e.e, visit);
  else if (e.k === "cond") {
    forEachCall(e.c, visit);
    forEachCall(e.t, visit);
    forEachCall(e.f, visit);
  }
}

export function kernelCalls(e: Arg, out: Extract<SExpr, { k: "call" }>[]): void {
  forEachCall(e, (call) => {
    if (KERNEL_RULES.has(call.fn)) out.push(call);
  });
}

/**
 * Whether `e` calls a kernel or a generator (both check their arguments) or divides integers by
 * a divisor that may be 0: these can throw.
 */
function callsCheckedFunction(e: Arg): boolean {
  let found = hasCheckedDivision(e);
  forEachCall(e, (call) => (found ||= KERNEL_RULES.has(call.fn) || RNG_RULES.has(call.fn)));
  return found;
}


export function canThrow(s: LStmt): boolean {
  switch (s.k) {
    case "assign":
      return callsCheckedFunction(s.rhs) || (s.lhs.at !== undefined && hasCheckedDivision(s.lhs.at));
    case "target":
      // (generators cannot appear in the density)
      return callsCheckedFunction(s.e);
    case "alloc":
      return s.init !== undefined && callsCheckedFunction(s.init);
    case "check":
    case "reject":
    case "fatal":
    case "transform":
    case "untransform":
    case "draw":
      return true;
    default:
      return false;
  }
}


export function usesOut(fn: string): boolean {
  const rule = SCALAR_RULES.get(fn);
  return rule?.partials !== undefined && partialsUsage(rule).out;
}
