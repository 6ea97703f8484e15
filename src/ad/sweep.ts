/**
 * Reverse-mode source transformation over the IR, Tapenade-style.
 *
 * Forward sweep: the statements as written, plus what the reverse sweep needs and could not
 * recompute — values about to be overwritten (only when some adjoint statement reads them),
 * branches taken when the test is not plain data, loop bounds and while-loop trip counts likewise,
 * and density partials for calls outside loops (`_vp` kernels fill per-call-site buffers).
 * Reverse sweep: statements in reverse order, each replaced by its adjoint statements
 * (`x_adj__ += result_adj · ∂result/∂x`), restoring overwritten values from the tape just before
 * the statement that overwrote them is differentiated. Statements that do not depend on the
 * parameters produce no adjoint code.
 */
import { fail } from "../common/diagnostics";
import { KERNEL_RULES, SCALAR_RULES } from "../primitives/registry";
import { partialsUsage } from "../primitives/formulaUsage";
import {
  type Arg,
  type IrVar,
  type LStmt,
  type LValue,
  type Loc,
  type SExpr,
  callFree,
  forEachRead,
  exprIsInt,
  guardKept,
  isActive,
  read,
} from "../ir/ir";
import { substituteStmt } from "../ir/fuseLoops";
import { collectWritten, walkExprs } from "../ir/mapIr";
import {
  type PrintContext,
  atomOut,
  atomText,
  isAtomic,
  jsBuilder,
  scalarValueJs,
  kernelArgs,
  printArg,
  printCond,
  printExpr,
  unwrapParens,
} from "../ir/printJs";
import { totalSize } from "../ir/values";

// ---------------------------------------------------------------------------------------------
// Output: lines of JS, one statement a line (src/codegen/layout.ts indents the module afterwards)

export class Writer {
  readonly lines: string[] = [];
  line(s: string): void {
    this.lines.push(s);
  }
  append(w: Writer): void {
    for (const l of w.lines) this.lines.push(l);
  }
  get empty(): boolean {
    return this.lines.every((l) => l.startsWith("//"));
  }
}

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
  /** Per kernel call site: JS lengths of each partial buffer (undefined = argument is constant). */
  readonly partialBuffers: Map<number, (string | undefined)[]>;
  /** JS for the size of each dim of a variable. */
  readonly dimsJs: (v: IrVar) => readonly string[];
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
  /** Emits the adjoint statements of a joint-mode loop body (set by the gradient function). */
  reverseBody?: (stmts: readonly LStmt[], w: Writer) => void;
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

  readonly print: PrintContext = {
    name: (v) => this.varName(v),
    dims: (v) => this.m.dimsJs(v),
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

  /** Emits `const zN__ = arg;` for each compound argument of a scalar function call in `e`. */
  bindCallArgs(e: SExpr, w: Writer): void {
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
          w.line(`const ${name} = ${this.expr(arg)};`);
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
    if (f === "formatContainer__") this.m.support.add(f);
    else if (f !== "pow") this.m.imports.add(f);
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

  expr(e: SExpr): string {
    return unwrapParens(printExpr(e, this.print));
  }

  cond(e: SExpr): string {
    return printCond(e, this.print);
  }

  lvalue(l: LValue): string {
    if (l.at === undefined) return this.varName(l.v);
    return this.promotedValue(l.v, l.at) ?? `${this.varName(l.v)}[${this.expr(l.at)}]`;
  }

  /** Adjoint elements summed in a local while a reverse loop runs (key: variable id | index). */
  readonly registerAdjoints = new Map<string, { readonly name: string; used: boolean }>();

  adjRef(l: { v: IrVar; at?: SExpr }): string {
    if (l.at === undefined) return this.adjName(l.v);
    const sum = this.registerAdjoints.get(`${l.v.id}|${indexKey(l.at)}`);
    if (sum) {
      sum.used = true;
      return sum.name;
    }
    return this.promotedElement(l.v, l.at, true) ?? `${this.adjName(l.v)}[${this.expr(l.at)}]`;
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
  private kernelCall(e: Extract<SExpr, { k: "call" }>, args: readonly string[]): string {
    const rule = KERNEL_RULES.get(e.fn);
    if (!rule) throw new Error(`internal error: ${e.fn} is not a kernel`);
    const active = e.args.map((a) => isActive(a));
    const anyActive = active.some((x) => x);
    const allActive = active.every((x) => x);
    if (e.propto && !anyActive) return "0";
    const wantPartials =
      (this.mode === "gradient" && this.plan.forwardPartials.has(e.site)) ||
      (e.propto && !allActive);
    if (!wantPartials) {
      this.m.imports.add(e.fn);
      return `${e.fn}(${[...args, ...(rule.propto ? [String(e.propto)] : [])].join(", ")})`;
    }
    this.m.imports.add(`${e.fn}_vp`);
    const bufs = this.partialBuffers(e);
    return `${e.fn}_vp(${[...args, ...(rule.propto ? [String(e.propto)] : []), ...bufs].join(", ")})`;
  }

  partialBuffers(e: Extract<SExpr, { k: "call" }>): string[] {
    const skip = KERNEL_RULES.get(e.fn)?.noPartials ?? [];
    const lengths = e.args.map((a, i) =>
      isActive(a) && !skip.includes(i)
        ? a.k === "whole"
          ? this.wholeLength(a.v)
          : "1"
        : undefined,
    );
    this.m.partialBuffers.set(e.site, lengths);
    return lengths.flatMap((len, i) =>
      skip.includes(i) ? [] : [len === undefined ? "null" : partialName(e.site, i)],
    );
  }

  wholeLength(v: IrVar): string {
    const dims = this.m.dimsJs(v);
    return dims.length === 0 ? "1" : dims.join(" * ");
  }
}

export function partialName(site: number, arg: number): string {
  return `d${site}_${arg}__`;
}

function baseName(f: string): string {
  const i = Math.max(f.lastIndexOf("/"), f.lastIndexOf("\\"));
  return i >= 0 ? f.slice(i + 1) : f;
}

function kernelCalls(e: Arg, out: Extract<SExpr, { k: "call" }>[]): void {
  if (e.k === "call") {
    if (KERNEL_RULES.has(e.fn)) out.push(e);
    for (const a of e.args) kernelCalls(a, out);
  } else if (e.k === "bin") {
    kernelCalls(e.l, out);
    kernelCalls(e.r, out);
  } else if (e.k === "neg" || e.k === "not" || e.k === "guard") kernelCalls(e.e, out);
  else if (e.k === "cond") {
    kernelCalls(e.c, out);
    kernelCalls(e.t, out);
    kernelCalls(e.f, out);
  }
}


function canThrow(s: LStmt): boolean {
  switch (s.k) {
    case "assign": {
      const calls: Extract<SExpr, { k: "call" }>[] = [];
      kernelCalls(s.rhs, calls);
      return calls.length > 0;
    }
    case "target": {
      const calls: Extract<SExpr, { k: "call" }>[] = [];
      kernelCalls(s.e, calls);
      return calls.length > 0;
    }
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

// ---------------------------------------------------------------------------------------------
// Forward code (value mode, and the forward sweep of gradient mode)

const PUSH = (x: string) =>
  `if (tp__ === tape__.length) tape__ = growTape__(tape__);\ntape__[tp__++] = ${x};`;

export function emitForward(em: Emitter, stmts: readonly LStmt[], w: Writer): void {
  for (const s of stmts) {
    // only the top level of a loop body binds (a const in a nested block is not seen after it)
    const compound = s.k === "for" || s.k === "while" || s.k === "if";
    const was = em.bindArgs;
    if (compound) em.bindArgs = false;
    forwardStmt(em, s, w);
    em.bindArgs = was;
  }
}

/**
 * A loop body; `bind`: its top-level statements may bind call arguments for this iteration.
 * Returns the keys bound before it: the caller forgets the others once the iteration's block
 * ends (assignments in the body have already dropped outer bindings they invalidate).
 */
function loopBody(em: Emitter, body: readonly LStmt[], w: Writer, bind: boolean): Set<string> {
  const outer = new Set(em.bound.keys());
  const was = em.bindArgs;
  em.bindArgs = bind;
  emitForward(em, body, w);
  em.bindArgs = was;
  return outer;
}

function forgetInner(em: Emitter, outer: ReadonlySet<string>): void {
  for (const k of [...em.bound.keys()]) if (!outer.has(k)) em.bound.delete(k);
}

function setLoc(em: Emitter, s: LStmt, w: Writer): void {
  if (!canThrow(s)) return;
  const i = em.location(s.loc);
  if (i !== undefined) w.line(`loc__ = ${i};`);
}

function forwardStmt(em: Emitter, s: LStmt, w: Writer): void {
  const grad = em.mode === "gradient";
  switch (s.k) {
    case "comment":
      w.line(
        `// ${baseName(s.loc.span.file || em.m.file)}:${s.loc.span.start.line}  ${commentText(s.loc.text)}`,
      );
      return;
    case "assign": {
      setLoc(em, s, w);
      if (grad && em.plan.saves.has(s)) {
        em.m.support.add("growTape__");
        w.line(PUSH(em.lvalue(s.lhs)));
      }
      em.bindCallArgs(s.rhs, w);
      w.line(`${em.lvalue(s.lhs)} ${s.op} ${em.expr(s.rhs)};`);
      em.unbind(s.lhs.v);
      return;
    }
    case "target":
      if (s.jacobian && !em.jacobian) return;
      setLoc(em, s, w);
      em.bindCallArgs(s.e, w);
      w.line(`lp__ += ${em.expr(s.e)};`);
      return;
    case "for": {
      const v = em.varName(s.v);
      const taped = grad && em.plan.taped.has(s);
      if (taped) {
        const lo = em.fresh("lo");
        const hi = em.fresh("hi");
        w.line(`{`);
        w.line(`const ${lo} = ${em.expr(s.lo)};`);
        w.line(`const ${hi} = ${em.expr(s.hi)};`);
        w.line(`for (let ${v} = ${lo}; ${v} <= ${hi}; ${v}++) {`);
        emitForward(em, s.body, w);
        w.line(`}`);
        em.m.support.add("growTape__");
        w.line(PUSH(lo));
        w.line(PUSH(hi));
        w.line(`}`);
        return;
      }
      const joint = grad ? em.plan.joint.get(s) : undefined;
      if (joint && em.reverseBody) {
        // joint mode: the accumulators' adjoints are known now, so each iteration is
        // differentiated right after it runs (one pass instead of a forward and a reverse loop)
        for (const [acc, adj] of joint) w.line(`${em.adjName(acc)} = ${adj};`);
        w.line(`for (let ${v} = ${em.expr(s.lo)}; ${v} <= ${bound(em, s.hi)}; ${v}++) {`);
        const outer = loopBody(em, s.body, w, true);
        w.line(`// adjoint of this iteration (joint mode)`);
        em.reverseBody(s.body, w);
        forgetInner(em, outer);
        w.line(`}`);
        for (const acc of joint.keys()) w.line(`${em.adjName(acc)} = 0;`);
        return;
      }
      w.line(`for (let ${v} = ${em.expr(s.lo)}; ${v} <= ${bound(em, s.hi)}; ${v}++) {`);
      const remat = em.plan.rematerialize.get(s);
      // (value mode: no adjoint code elsewhere reads the bound names, so any loop may bind)
      if (remat) {
        // the checked values were never stored: recompute this element's (error path only)
        // (copies: the plan's tape and joint-mode decisions are keyed by the original statements)
        w.line(`// recompute this element's values: the loop above kept them in registers, not arrays`);
        emitForward(em, remat.stmts.map((t) => substituteStmt(t, remat.from, read(s.v))), w);
      }
      forgetInner(em, loopBody(em, s.body, w, !grad));
      w.line(`}`);
      return;
    }
    case "while": {
      if (grad && em.plan.taped.has(s)) {
        const n = em.fresh("trips");
        w.line(`{`);
        w.line(`let ${n} = 0;`);
        w.line(`while (${em.cond(s.cond)}) {`);
        w.line(`${n}++;`);
        emitForward(em, s.body, w);
        w.line(`}`);
        em.m.support.add("growTape__");
        w.line(PUSH(n));
        w.line(`}`);
        return;
      }
      w.line(`while (${em.cond(s.cond)}) {`);
      emitForward(em, s.body, w);
      w.line(`}`);
      return;
    }
    case "if": {
      const taped = grad && em.plan.taped.has(s);
      const fills = (branch: readonly LStmt[]) => {
        if (grad) for (const v of em.branchFills.get(branch) ?? []) w.line(`${em.adjName(v)}.fill(0);`);
      };
      if (s.cond.k === "num" && s.cond.text === "1" && !taped) {
        fills(s.then);
        emitForward(em, s.then, w);
        return;
      }
      w.line(`if (${em.cond(s.cond)}) {`);
      fills(s.then);
      emitForward(em, s.then, w);
      if (taped) {
        em.m.support.add("growTape__");
        w.line(PUSH("1"));
      }
      if (s.otherwise.length > 0 || taped) {
        w.line(`} else {`);
        fills(s.otherwise);
        emitForward(em, s.otherwise, w);
        if (taped) w.line(PUSH("0"));
      }
      w.line(`}`);
      return;
    }
    case "print":
      em.m.support.add("print__");
      w.line(
        `print__(${s.args.map((a) => (typeof a === "string" ? JSON.stringify(a) : em.expr(a))).join(", ")});`,
      );
      return;
    case "reject":
    case "fatal": {
      setLoc(em, s, w);
      em.m.support.add("message__");
      const cls = s.k === "reject" ? "StanDomainError" : "StanDataError";
      w.line(
        `throw new ${cls}(message__(${s.args.map((a) => (typeof a === "string" ? JSON.stringify(a) : em.expr(a))).join(", ")}));`,
      );
      return;
    }
    case "break":
    case "continue":
      w.line(`${s.k};`);
      return;
    case "alloc": {
      const v = s.v;
      if (s.init !== undefined) {
        setLoc(em, s, w);
        w.line(`const ${v.js} = ${em.expr(s.init)};`);
      } else if (v.dims.length === 0) w.line(`let ${v.js} = ${v.elem === "int" ? "0" : "NaN"};`);
      else
        w.line(
          `const ${v.js} = new ${v.elem === "int" ? "Int32Array" : "Float64Array"}(${em.wholeLength(v)});`,
        );
      return;
    }
    case "fill":
      w.line(`${em.varName(s.v)}.fill(${s.value});`);
      return;
    case "draw": {
      setLoc(em, s, w);
      em.m.imports.add(s.fn);
      const args = s.args.map((a) => (a.k === "whole" ? em.varName(a.v) : em.expr(a)));
      w.line(`${s.fn}(${["rng__", em.varName(s.out), ...args].join(", ")});`);
      em.unbind(s.out);
      return;
    }
    case "check": {
      // an index check names its Stan line only when it fails: no location store per element
      const failLoc = s.fatal && callFree(s.cond) ? em.location(s.loc) : undefined;
      if (failLoc === undefined) setLoc(em, s, w);
      em.m.support.add("message__");
      // the message is built only when the check fails; a fatal check's integers (indices,
      // sizes) print exactly, not in print()'s 6 significant digits
      const parts = s.message.map((a) =>
        typeof a === "string" ? JSON.stringify(a) : s.fatal && exprIsInt(a) ? `String(${em.expr(a)})` : em.expr(a),
      );
      const error = `new ${s.fatal ? "StanDataError" : "StanDomainError"}(message__(${parts.join(", ")}))`;
      if (failLoc === undefined) w.line(`if (!(${em.cond(s.cond)})) throw ${error};`);
      else w.line(`if (!(${em.cond(s.cond)})) { loc__ = ${failLoc}; throw ${error}; }`);
      return;
    }
    case "transform": {
      setLoc(em, s, w);
      em.m.imports.add(`${s.kernel}_constrain`);
      const sizes = s.sizes.map((x) => em.expr(x)).join(", ");
      if (single(s)) {
        const call = `${s.kernel}_constrain(${em.varName(s.v)}, theta__, ${em.expr(s.offset)}, ${sizes})`;
        w.line(em.jacobian ? `lp__ += ${call};` : `${call};`);
      } else {
        // an array of constrained values: one kernel call per element, on views made once per instance
        const call = `${s.kernel}_constrain(${s.v.js}_views__[k__], theta__, ${em.expr(s.offset)} + k__ * (${em.expr(s.freeSize)}), ${sizes})`;
        w.line(
          `for (let k__ = 0; k__ < ${em.expr(s.count)}; k__++) ${em.jacobian ? `lp__ += ${call}` : call};`,
        );
      }
      return;
    }
    case "untransform": {
      em.m.imports.add(`${s.kernel}_unconstrain`);
      const sizes = s.sizes.map((x) => em.expr(x)).join(", ");
      if (single(s)) {
        w.line(
          `${s.kernel}_unconstrain(theta__, ${em.expr(s.offset)}, ${em.varName(s.v)}, ${sizes}, ${JSON.stringify(s.v.stanName)});`,
        );
      } else {
        w.line(
          `for (let k__ = 0; k__ < ${em.expr(s.count)}; k__++) ${s.kernel}_unconstrain(theta__, ${em.expr(s.offset)} + k__ * (${em.expr(s.freeSize)}), ${s.v.js}_views__[k__], ${sizes}, ${JSON.stringify(s.v.stanName)} + "[" + (k__ + 1) + "]");`,
        );
      }
      return;
    }
  }
}

function single(s: Extract<LStmt, { k: "transform" | "untransform" }>): boolean {
  return s.count.k === "num" && s.count.text === "1";
}

/** A loop bound beside `<=` / `>=`: parenthesised unless arithmetic (which binds tighter). */
function bound(em: Emitter, e: SExpr): string {
  const t = em.expr(e);
  const arithmetic = e.k === "neg" || (e.k === "bin" && (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === "%" || e.op === "%/%" || e.op === "^"));
  return isAtomic(t) || arithmetic ? t : `(${t})`;
}

function commentText(t: string): string {
  return t.replace(/\*\//g, "* /").replace(/[\r\n]+/g, " ");
}

// ---------------------------------------------------------------------------------------------
// Planning: activity, then which values the reverse sweep reads, then what to save

interface Site {
  readonly pos: number;
  readonly loops: readonly LStmt[];
  /** Set for a read, by a statement, of the element it has just written. */
  readonly postOf?: LStmt;
  /** The element read (key of its flat index), when one element is read. */
  readonly at?: string;
}

const KEYS = { name: (v: IrVar) => `${v.js}#${v.id}`, dims: () => [] as string[] };
/**
 * Keys of expression nodes, remembered per node: printing with `em.bound` substitutions asks for
 * the key of every node it prints, and a key costs the size of the node's subtree (nested calls
 * made that cubic in the depth). Nodes are immutable, and activity (which `guard` printing reads)
 * is settled before any key is asked for.
 */
const indexKeys = new WeakMap<SExpr, string>();
function indexKey(e: SExpr | undefined): string | undefined {
  if (e === undefined) return undefined;
  let key = indexKeys.get(e);
  if (key === undefined) indexKeys.set(e, (key = printExpr(e, KEYS)));
  return key;
}

/** Like forEachRead, with the element index of each read (undefined = the whole variable). */
function forEachReadAt(e: Arg, visit: (v: IrVar, at: SExpr | undefined) => void): void {
  switch (e.k) {
    case "whole":
      visit(e.v, undefined);
      return;
    case "num":
      return;
    case "read":
      visit(e.v, e.at);
      if (e.at) forEachReadAt(e.at, visit);
      return;
    case "bin":
      forEachReadAt(e.l, visit);
      forEachReadAt(e.r, visit);
      return;
    case "neg":
    case "not":
      forEachReadAt(e.e, visit);
      return;
    case "cond":
      forEachReadAt(e.c, visit);
      forEachReadAt(e.t, visit);
      forEachReadAt(e.f, visit);
      return;
    case "call":
      for (const a of e.args) forEachReadAt(a, visit);
      return;
    case "guard":
      if (guardKept(e)) forEachReadAt(e.e, visit);
      return;
  }
}

/** `x[at] = …` inside a loop writes a different element on every iteration of its innermost loop. */
function injectiveInInnermostLoop(s: LStmt, loops: readonly LStmt[]): boolean {
  if (s.k !== "assign" || s.lhs.at === undefined || loops.length === 0) return false;
  const inner = loops[loops.length - 1];
  if (inner.k !== "for") return false;
  let ok = true;
  let seen = false;
  forEachRead(s.lhs.at, (v) => {
    if (v === inner.v) seen = true;
    else if (v.role !== "data" && v.role !== "transformed data") ok = false;
  });
  const calls: Extract<SExpr, { k: "call" }>[] = [];
  kernelCalls(s.lhs.at, calls);
  return ok && seen && calls.length === 0 && affineIn(s.lhs.at, inner.v);
}

function affineIn(e: SExpr, v: IrVar): boolean {
  switch (e.k) {
    case "read":
      return e.at === undefined;
    case "num":
      return true;
    case "bin":
      if (e.op === "+" || e.op === "-") return affineIn(e.l, v) && affineIn(e.r, v);
      if (e.op === "*") {
        const lv = readsVar(e.l, v);
        const rv = readsVar(e.r, v);
        return !(lv && rv) && affineIn(e.l, v) && affineIn(e.r, v);
      }
      return !readsVar(e, v);
    default:
      return !readsVar(e, v);
  }
}

function readsVar(e: SExpr, v: IrVar): boolean {
  let found = false;
  forEachRead(e, (x) => {
    if (x === v) found = true;
  });
  return found;
}

export function analyse(region: readonly LStmt[], m: ModuleContext, jacobian: boolean): AdPlan {
  propagateActivity(region);
  const plan = emptyPlan();
  // positions and loop nesting of every statement
  const sites = new Map<LStmt, Site>();
  /** Position of the last statement inside each loop. */
  const loopEnd = new Map<LStmt, number>();
  let pos = 0;
  const walk = (stmts: readonly LStmt[], loops: readonly LStmt[]) => {
    for (const s of stmts) {
      sites.set(s, { pos: pos++, loops });
      if (s.k === "for" || s.k === "while") walk(s.body, [...loops, s]);
      else if (s.k === "if") {
        walk(s.then, loops);
        walk(s.otherwise, loops);
      }
      if (s.k === "for" || s.k === "while") loopEnd.set(s, pos - 1);
    }
  };
  walk(region, []);
  // kernel calls outside loops compute their partials in the forward sweep
  for (const [s, site] of sites) {
    if (site.loops.length > 0) continue;
    const calls: Extract<SExpr, { k: "call" }>[] = [];
    if (s.k === "assign") kernelCalls(s.rhs, calls);
    if (s.k === "target") kernelCalls(s.e, calls);
    for (const c of calls) if (isActive(c)) plan.forwardPartials.add(c.site);
  }
  const assigned = assignedVars(region);
  findJointLoops(new RegionIndex(region), plan);
  // iterate: saves change what the reverse sweep contains (restores), which changes taping
  for (let iter = 0; iter < 5; iter++) {
    const readers = new Map<IrVar, Site[]>();
    const em = new Emitter(m, "gradient", plan, jacobian);
    const rev = new Reverse(em, assigned, (v, s, post, at) => {
      const site = sites.get(s);
      if (!site) return;
      const list = readers.get(v) ?? [];
      // a read of the value a statement just wrote happens after that statement
      list.push(
        post
          ? { pos: site.pos + 0.5, loops: site.loops, postOf: s, at: indexKey(at) }
          : { ...site, at: indexKey(at) },
      );
      readers.set(v, list);
    });
    rev.stmts(region, new Writer());
    const before = plan.saves.size + plan.taped.size;
    // each variable's readers in program order, so an assignment looks only at the readers that
    // can matter (those before it, or after it in its own outermost loop), not at all of them
    for (const rs of readers.values()) rs.sort((a, b) => a.pos - b.pos);
    for (const [s, site] of sites) {
      if (s.k !== "assign") continue;
      const rs = readers.get(s.lhs.v);
      if (!rs) continue;
      const injective = injectiveInInnermostLoop(s, site.loops);
      const element = indexKey(s.lhs.at);
      const inner = site.loops[site.loops.length - 1];
      const needs = (r: Site) => {
        // In a loop that writes a different element each iteration, a later read of the same
        // element in the same iteration sees this statement's value (or a later one): no save.
        if (
          injective &&
          r.pos > site.pos &&
          r.at !== undefined &&
          r.at === element &&
          r.loops.includes(inner)
        )
          return false;
        // A joint-mode loop differentiates each iteration right after it runs: inside it, a later
        // statement of the same iteration reads this value (straight-line code) — no save.
        if (site.loops.length === 1 && plan.joint.has(site.loops[0]) && r.pos > site.pos && r.loops[0] === site.loops[0])
          return false;
        return r.pos <= site.pos || r.loops.some((l) => site.loops.includes(l));
      };
      // a reader at or before the statement always needs the value; a later one only inside the
      // statement's outermost loop (sharing any loop means sharing that one), a contiguous range
      if (rs[0].pos <= site.pos) plan.saves.add(s);
      else if (site.loops.length > 0) {
        // (a read just after the loop's last statement is at its position + 0.5)
        const end = loopEnd.get(site.loops[0])! + 0.5;
        for (let i = firstAfter(rs, site.pos); i < rs.length && rs[i].pos <= end; i++) {
          if (needs(rs[i])) {
            plan.saves.add(s);
            break;
          }
        }
      }
    }
    for (const s of rev.tapedControl) plan.taped.add(s);
    if (plan.saves.size + plan.taped.size === before && iter > 0) break;
  }
  return plan;
}

/**
 * The density region's statements in program order (pre-order: a statement, then the statements
 * inside it), with what the planning passes ask of them — which statements are inside which, and
 * where each variable is read and written — computed once, so no pass rescans the region per
 * statement or per loop.
 */
class RegionIndex {
  /** Every statement, pre-order; the statements inside one follow it contiguously. */
  readonly order: LStmt[] = [];
  /** Position of a statement in `order`. */
  readonly pos = new Map<LStmt, number>();
  /** Position of the last statement inside a statement (itself when it has none). */
  readonly end = new Map<LStmt, number>();
  /** The statement (for, while or if) directly containing one, if any. */
  readonly parent = new Map<LStmt, LStmt>();
  /** Whether a statement is not inside any for or while loop (it may be inside an if). */
  readonly top = new Map<LStmt, boolean>();
  /** Every access to each variable, in program order. */
  readonly accesses = new Map<IrVar, Access[]>();
  private readonly checksOnlyMemo = new Map<LStmt, boolean>();

  constructor(region: readonly LStmt[]) {
    this.visit(region, undefined, true);
    this.order.forEach((t, i) => this.indexAccesses(t, i));
  }

  private visit(stmts: readonly LStmt[], parent: LStmt | undefined, top: boolean): void {
    for (const s of stmts) {
      this.pos.set(s, this.order.length);
      this.order.push(s);
      if (parent) this.parent.set(s, parent);
      this.top.set(s, top);
      if (s.k === "for" || s.k === "while") this.visit(s.body, s, false);
      else if (s.k === "if") {
        this.visit(s.then, s, top);
        this.visit(s.otherwise, s, top);
      }
      this.end.set(s, this.order.length - 1);
    }
  }

  /** The accesses a statement makes itself (a for/while/if: its header only). */
  private indexAccesses(t: LStmt, pos: number): void {
    const add = (v: IrVar, kind: Access["kind"], at: SExpr | undefined) => {
      let list = this.accesses.get(v);
      if (!list) this.accesses.set(v, (list = []));
      list.push({ t, pos, kind, at });
    };
    const reads = (e: SExpr) => forEachReadAt(e, (v, at) => add(v, "read", at));
    if (t.k === "for") {
      reads(t.lo);
      reads(t.hi);
    } else if (t.k === "while" || t.k === "if") reads(t.cond);
    else walkExprs([t], reads);
    if (t.k === "assign") add(t.lhs.v, "write", t.lhs.at);
    if (t.k === "transform" || t.k === "untransform" || t.k === "alloc" || t.k === "fill") add(t.v, "other", undefined);
  }

  /** Whether `x` is inside `container` (not `container` itself). */
  inside(x: LStmt, container: LStmt): boolean {
    const p = this.pos.get(x)!;
    return p > this.pos.get(container)! && p <= this.end.get(container)!;
  }

  /**
   * A statement that only checks arguments (no assignment, no target): it never affects
   * adjoints. Remembered: each statement's answer is asked for many times.
   */
  checksOnly(s: LStmt): boolean {
    let r = this.checksOnlyMemo.get(s);
    if (r === undefined) {
      if (s.k === "check" || s.k === "comment") r = true;
      else if (s.k === "if") r = s.then.every((x) => this.checksOnly(x)) && s.otherwise.every((x) => this.checksOnly(x));
      else if (s.k === "for") r = s.body.every((x) => this.checksOnly(x));
      else r = false;
      this.checksOnlyMemo.set(s, r);
    }
    return r;
  }
}

/** One access of a variable by a statement: a read (with its element index), a write, or another use (transform, fill, alloc). */
interface Access {
  readonly t: LStmt;
  readonly pos: number;
  readonly kind: "read" | "write" | "other";
  readonly at: SExpr | undefined;
}

/** Depth of call nesting of the expressions `bindNestedCalls` has visited. */
const callDepths = new WeakMap<SExpr, number>();

/** Index of the first site (sorted by position) after `pos`. */
function firstAfter(sorted: readonly Site[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Joint mode applies to a top-level loop (not inside another loop) when (1) every scalar it
 * writes is either an accumulator (`acc += …` only, read nowhere in the loop) or a temporary,
 * (2) nothing it writes except accumulators is used after it, (3) after it, accumulators appear
 * only as plain summands of `target +=` (so their adjoint is a known count), and (4) nothing it
 * reads is assigned after it (so no later adjoint statement resets what it accumulated).
 * "After it" counts the statements following the loop that are not argument checks; each loop
 * looks at them through the per-variable access lists, never by rescanning the program.
 */
function findJointLoops(index: RegionIndex, plan: AdPlan): void {
  // For the statements that are not argument checks: per variable, the last position of a
  // statement other than `target +=` that reads it (with everything inside it, as a whole), the
  // last assignment to it, and the `target +=` statements reading it.
  const lastRead = new Map<IrVar, number>();
  const lastAssign = new Map<IrVar, number>();
  const targetsReading = new Map<IrVar, number[]>();
  for (const [v, list] of index.accesses) {
    for (const a of list) {
      if (a.kind === "write" && a.t.k === "assign") lastAssign.set(v, Math.max(lastAssign.get(v) ?? -1, a.pos));
      if (a.kind !== "read") continue;
      if (a.t.k === "target") {
        const targets = targetsReading.get(v) ?? [];
        if (targets[targets.length - 1] !== a.pos) targets.push(a.pos);
        targetsReading.set(v, targets);
      }
      // the innermost statement containing the read (or making it) that is neither an argument
      // check nor `target +=` reads it too, as a whole; it comes last among those that do
      let q: LStmt | undefined = a.t;
      while (q !== undefined && (q.k === "target" || index.checksOnly(q))) q = index.parent.get(q);
      if (q !== undefined) lastRead.set(v, Math.max(lastRead.get(v) ?? -1, index.pos.get(q)!));
    }
  }
  for (const s of index.order) {
    if (!index.top.get(s) || s.k !== "for") continue;
    const end = index.end.get(s)!;
    if (!isActiveLoop(s)) continue;
    let dataBounds = true;
    for (const b of [s.lo, s.hi]) forEachRead(b, (v) => (dataBounds &&= v.role === "data" || v.role === "transformed data"));
    if (!dataBounds) continue;
    const writes = new Map<IrVar, ("=" | "+=" | "other")[]>();
    const reads = new Set<IrVar>();
    walkAssigns(s.body, (a) => {
      const list = writes.get(a.lhs.v) ?? [];
      list.push(a.op === "+=" ? "+=" : a.op === "=" ? "=" : "other");
      writes.set(a.lhs.v, list);
    });
    walkExprs([s], (e) => forEachRead(e, (v) => reads.add(v)));
    if (hasControl(s.body)) continue;
    const accumulators = new Map<IrVar, number>();
    let eligible = true;
    for (const [v, ops] of writes) {
      if (v.role === "target") eligible = false;
      else if (v.dims.length === 0 && ops.every((o) => o === "+=") && v.active) {
        // read anywhere in the loop other than as its own accumulation? (conservative: any read)
        if (reads.has(v)) eligible = false;
        accumulators.set(v, 0);
      }
      if (!eligible) break;
    }
    if (!eligible) continue;
    const after = (p: number | undefined) => p !== undefined && p > end;
    // (4) nothing it reads is assigned after it
    if ([...reads].some((v) => after(lastAssign.get(v)))) continue;
    // (2) nothing it writes is read after it (other than by `target +=`), nor assigned, unless an accumulator
    if ([...writes.keys()].some((v) => after(lastRead.get(v)) || (!accumulators.has(v) && after(lastAssign.get(v))))) continue;
    // (3) the accumulators' uses after it are plain summands of `target +=`
    const targets = new Set<number>();
    for (const v of accumulators.keys()) for (const p of targetsReading.get(v) ?? []) if (p > end) targets.add(p);
    for (const p of [...targets].sort((a, b) => a - b)) {
      const t = index.order[p];
      if (t.k !== "target") continue;
      const counts = summands(t.e, accumulators);
      if (counts === undefined) {
        eligible = false;
        break;
      }
      for (const [v, c] of counts) accumulators.set(v, (accumulators.get(v) ?? 0) + c);
    }
    if (!eligible || accumulators.size === 0) continue;
    plan.joint.set(s, accumulators);
    promoteArrays(index, s, plan);
  }
}

function promoteArrays(index: RegionIndex, loop: Extract<LStmt, { k: "for" }>, plan: AdPlan): void {
  const candidates = new Set<IrVar>();
  walkAssigns(loop.body, (a) => {
    if (a.lhs.v.dims.length > 0 && (a.lhs.v.role === "model" || a.lhs.v.role === "temp")) candidates.add(a.lhs.v);
  });
  const iv = loop.v;
  const atIv = (at: SExpr | undefined) => at !== undefined && at.k === "read" && at.v === iv && at.at === undefined;
  // every access anywhere in the region must be inside this loop, at element iv (argument
  // checks read values, never adjoints: only the adjoint is promoted)
  for (const v of candidates) {
    const confined = (index.accesses.get(v) ?? []).every(
      (a) => index.checksOnly(a.t) || (a.kind !== "other" && index.inside(a.t, loop) && atIv(a.at)),
    );
    // the first statement of the body that touches v must overwrite v[i]
    if (!confined || !overwrittenFirst(loop.body, v)) candidates.delete(v);
  }
  for (const v of candidates) plan.promoted.set(v, iv);
  promoteValues(index, loop, candidates, plan);
}

/**
 * Of the arrays whose adjoint is promoted, those whose value can live in a per-iteration scalar
 * too: besides the joint loop, only argument-check loops over the same elements read them (each
 * at its own index), and the loop's statements that produce them can be replayed there (they
 * write only promoted arrays and per-iteration scalars, and read nothing else the loop writes).
 */
function promoteValues(
  index: RegionIndex,
  loop: Extract<LStmt, { k: "for" }>,
  promoted: ReadonlySet<IrVar>,
  plan: AdPlan,
): void {
  if (promoted.size === 0) return;
  const accumulators = plan.joint.get(loop) ?? new Map<IrVar, number>();
  const writtenInLoop = new Set<IrVar>();
  walkAssigns(loop.body, (a) => writtenInLoop.add(a.lhs.v));
  // the replayable slice: assignments to promoted arrays and per-iteration scalars, in order
  const perIteration = (v: IrVar) => v.dims.length === 0 && !accumulators.has(v) && v.role !== "target" && overwrittenFirst(loop.body, v);
  const producesValue = (v: IrVar) => promoted.has(v) || perIteration(v);
  let replayable = true;
  const slice = (stmts: readonly LStmt[]): LStmt[] => {
    const out: LStmt[] = [];
    for (const t of stmts) {
      if (t.k === "assign") {
        if (producesValue(t.lhs.v)) out.push(t);
      } else if (t.k === "for" || t.k === "if") {
        const writes: IrVar[] = [];
        walkAssigns([t], (a) => writes.push(a.lhs.v));
        if (writes.length === 0) continue;
        if (!writes.every(producesValue)) {
          if (writes.some(producesValue)) replayable = false;
          continue;
        }
        out.push(t);
      } else if (t.k === "while" || t.k === "transform" || t.k === "fill" || t.k === "alloc") replayable = false;
    }
    return out;
  };
  const replay = slice(loop.body);
  const replayWrites = new Set<IrVar>();
  walkAssigns(replay, (a) => replayWrites.add(a.lhs.v));
  walkExprs(replay, (e) =>
    forEachRead(e, (v) => {
      if (writtenInLoop.has(v) && !replayWrites.has(v)) replayable = false;
    }),
  );
  if (!replayable) return;
  // every read outside the loop must be in a check loop over the same elements, at its index:
  // the outermost argument-check for loop containing the read (or making it) with the same trip
  const tripKey = (f: Extract<LStmt, { k: "for" }>) => `${indexKey(f.lo)}..${indexKey(f.hi)}`;
  const loopTrip = tripKey(loop);
  const checkLoopOf = (t: LStmt): Extract<LStmt, { k: "for" }> | undefined => {
    let found: Extract<LStmt, { k: "for" }> | undefined;
    for (let q: LStmt | undefined = t; q !== undefined; q = index.parent.get(q))
      if (q.k === "for" && index.checksOnly(q) && tripKey(q) === loopTrip) found = q;
    return found;
  };
  const values = new Set(promoted);
  const checkLoops = new Set<LStmt>();
  for (const v of promoted) {
    for (const a of index.accesses.get(v) ?? []) {
      if (a.kind !== "read" || a.t === loop || index.inside(a.t, loop)) continue;
      const inCheckLoop = checkLoopOf(a.t);
      const at = a.at;
      const atOwnIndex = inCheckLoop && at !== undefined && at.k === "read" && at.v === inCheckLoop.v && at.at === undefined;
      if (atOwnIndex) checkLoops.add(inCheckLoop);
      else {
        values.delete(v);
        break;
      }
    }
  }
  if (values.size === 0) return;
  // the replayed statements must produce every value kept (an array written only partly
  // in the slice could not be recomputed)
  for (const v of values) if (!replayWrites.has(v)) values.delete(v);
  if (values.size === 0) return;
  for (const v of values) plan.promotedValues.set(v, new Set([loop.v]));
  for (const c of checkLoops) {
    if (c.k !== "for") continue;
    for (const v of values) plan.promotedValues.get(v)?.add(c.v);
    plan.rematerialize.set(c, { stmts: replay, from: loop.v });
  }
}

/** Whether the first statement of `body` touching `v` assigns it with `=` without reading it. */
function overwrittenFirst(body: readonly LStmt[], v: IrVar): boolean {
  for (const t of body) {
    let reads = false;
    walkExprs([t], (e) => forEachRead(e, (x) => (reads ||= x === v)));
    let writes = false;
    walkAssigns([t], (a) => (writes ||= a.lhs.v === v));
    if (!reads && !writes) continue;
    return t.k === "assign" && t.lhs.v === v && t.op === "=" && !reads;
  }
  return false;
}

function isActiveLoop(s: LStmt): boolean {
  let active = false;
  walkAssigns([s], (a) => {
    if (a.lhs.v.active) active = true;
  });
  return active;
}

function hasControl(stmts: readonly LStmt[]): boolean {
  return stmts.some(
    (s) =>
      s.k === "while" || s.k === "break" || s.k === "continue" || s.k === "target" || s.k === "transform" ||
      (s.k === "if" && (hasControl(s.then) || hasControl(s.otherwise))) || (s.k === "for" && hasControl(s.body)),
  );
}

function walkAssigns(stmts: readonly LStmt[], f: (a: Extract<LStmt, { k: "assign" }>) => void): void {
  for (const s of stmts) {
    if (s.k === "assign") f(s);
    else if (s.k === "for" || s.k === "while") walkAssigns(s.body, f);
    else if (s.k === "if") {
      walkAssigns(s.then, f);
      walkAssigns(s.otherwise, f);
    }
  }
}

/** Counts accumulators appearing as plain summands of e; undefined if one appears any other way. */
function summands(e: SExpr, accs: ReadonlyMap<IrVar, number>): Map<IrVar, number> | undefined {
  const counts = new Map<IrVar, number>();
  let ok = true;
  const visit = (x: SExpr) => {
    if (x.k === "bin" && x.op === "+") {
      visit(x.l);
      visit(x.r);
      return;
    }
    if (x.k === "read" && x.at === undefined && accs.has(x.v)) {
      counts.set(x.v, (counts.get(x.v) ?? 0) + 1);
      return;
    }
    forEachRead(x, (v) => {
      if (accs.has(v)) ok = false;
    });
  };
  visit(e);
  return ok ? counts : undefined;
}

/**
 * Marks variables whose values depend on the parameters (fixpoint over the region). One pass in
 * program order, then a worklist: a variable that becomes active re-examines only the
 * assignments that read it, so activity flowing backwards (through loops) costs no full passes.
 */
export function propagateActivity(region: readonly LStmt[]): void {
  const assignsReading = new Map<IrVar, Extract<LStmt, { k: "assign" }>[]>();
  const activated: IrVar[] = [];
  const activate = (v: IrVar) => {
    v.active = true;
    activated.push(v);
  };
  const consider = (s: Extract<LStmt, { k: "assign" }>) => {
    if (!s.lhs.v.active && s.lhs.v.elem === "real" && isActive(s.rhs)) activate(s.lhs.v);
  };
  const visit = (stmts: readonly LStmt[]) => {
    for (const s of stmts) {
      if (s.k === "assign") {
        // every variable the right-hand side's activity can depend on (guards included)
        forEachVarIn(s.rhs, (v) => {
          const list = assignsReading.get(v);
          if (!list) assignsReading.set(v, [s]);
          else if (list[list.length - 1] !== s) list.push(s);
        });
        consider(s);
      } else if (s.k === "for" || s.k === "while") visit(s.body);
      else if (s.k === "if") {
        visit(s.then);
        visit(s.otherwise);
      } else if (s.k === "transform") {
        if (!s.v.active) activate(s.v);
      }
    }
  };
  visit(region);
  for (let i = 0; i < activated.length; i++) for (const s of assignsReading.get(activated[i]) ?? []) consider(s);
}

/** Every variable an expression mentions, in any operand (unlike forEachRead, guards' too). */
function forEachVarIn(e: Arg, visit: (v: IrVar) => void): void {
  switch (e.k) {
    case "whole":
    case "read":
      visit(e.v);
      if (e.k === "read" && e.at) forEachVarIn(e.at, visit);
      return;
    case "num":
      return;
    case "bin":
      forEachVarIn(e.l, visit);
      forEachVarIn(e.r, visit);
      return;
    case "neg":
    case "not":
      forEachVarIn(e.e, visit);
      return;
    case "cond":
      forEachVarIn(e.c, visit);
      forEachVarIn(e.t, visit);
      forEachVarIn(e.f, visit);
      return;
    case "call":
      for (const a of e.args) forEachVarIn(a, visit);
      return;
    case "guard":
      for (const d of e.deps) forEachVarIn(d, visit);
      forEachVarIn(e.e, visit);
      return;
  }
}

function assignedVars(region: readonly LStmt[]): Set<IrVar> {
  const out = new Set<IrVar>();
  const visit = (stmts: readonly LStmt[]) => {
    for (const s of stmts) {
      if (s.k === "assign") out.add(s.lhs.v);
      else if (s.k === "for" || s.k === "while") visit(s.body);
      else if (s.k === "if") {
        visit(s.then);
        visit(s.otherwise);
      }
    }
  };
  visit(region);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reverse sweep

export class Reverse {
  /** Control statements that need their branch / bounds / trips on the tape. */
  readonly tapedControl = new Set<LStmt>();
  private current: LStmt | undefined;
  private loopDepth = 0;
  /** Keys in `em.bound` of nested call values named by `bindNestedCalls` (while their statement is written). */
  private readonly nestedBound = new Set<string>();

  constructor(
    readonly em: Emitter,
    private readonly assigned: ReadonlySet<IrVar>,
    private readonly onRead?: (v: IrVar, s: LStmt, post: boolean, at: SExpr | undefined) => void,
  ) {}

  /** Value text for use in adjoint code; records the variables it reads. */
  private val(e: SExpr): string {
    this.reads(e);
    return printExpr(e, this.em.print);
  }

  /** Records the variables `e` reads; `post` = the value just after the current statement ran. */
  private reads(e: Arg, post = false): void {
    const s = this.current;
    if (!s || !this.onRead) return;
    forEachReadAt(e, (v, at) => this.onRead?.(v, s, post, at));
  }

  /** Only data and loop variables can be re-evaluated in the reverse sweep without the tape. */
  private pure(e: SExpr): boolean {
    let ok = true;
    forEachRead(e, (v) => {
      if (v.role !== "loop" && this.assigned.has(v)) ok = false;
      if (v.active) ok = false;
    });
    const calls: Extract<SExpr, { k: "call" }>[] = [];
    kernelCalls(e, calls);
    return ok && calls.length === 0;
  }

  stmts(stmts: readonly LStmt[], w: Writer): void {
    // groups start at comments (the Stan line a group implements); reverse groups, then statements
    const groups: LStmt[][] = [];
    for (const s of stmts) {
      if (s.k === "comment" || groups.length === 0) groups.push([]);
      groups[groups.length - 1].push(s);
    }
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g];
      const inner = new Writer();
      for (let i = group.length - 1; i >= 0; i--) {
        if (group[i].k !== "comment") this.stmt(group[i], inner);
      }
      if (inner.empty) continue;
      const head = group[0];
      if (head.k === "comment") {
        w.line(
          `// adjoint of ${baseName(head.loc.span.file || this.em.m.file)}:${head.loc.span.start.line}  ${commentText(head.loc.text)}`,
        );
      }
      w.append(inner);
    }
  }

  private stmt(s: LStmt, w: Writer): void {
    const prev = this.current;
    this.current = s;
    try {
      this.stmtInner(s, w);
    } finally {
      this.current = prev;
    }
  }

  private stmtInner(s: LStmt, w: Writer): void {
    const em = this.em;
    switch (s.k) {
      case "assign":
        return this.assign(s, w);
      case "target":
        if (s.jacobian && !em.jacobian) return;
        if (!isActive(s.e)) return;
        this.block(w, (b) => this.prop(s.e, "1", b));
        return;
      case "for": {
        const body = new Writer();
        // adjoints the loop only adds to, at an element that does not change in the loop
        // (b_adj[k] in Σ_n over a column): summed in a register, added once after the loop
        const sums = this.loopInvariantAdjoints(s);
        const before = new Map(em.registerAdjoints);
        for (const x of sums) em.registerAdjoints.set(x.key, { name: x.name, used: false });
        this.loopDepth++;
        this.stmts(s.body, body);
        this.loopDepth--;
        const used = sums.filter((x) => em.registerAdjoints.get(x.key)?.used);
        em.registerAdjoints.clear();
        for (const [k, x] of before) em.registerAdjoints.set(k, x);
        if (body.empty) return;
        // a joint-mode loop was differentiated during the forward sweep
        if (this.em.plan.joint.has(s) && this.em.reverseBody) return;
        this.requireNoJumps(s.body, s);
        const v = em.varName(s.v);
        if (this.pure(s.lo) && this.pure(s.hi)) {
          this.reads(s.lo);
          this.reads(s.hi);
          for (const x of used) w.line(`let ${x.name} = 0;`);
          w.line(`for (let ${v} = ${em.expr(s.hi)}; ${v} >= ${bound(em, s.lo)}; ${v}--) {`);
          w.append(body);
          w.line(`}`);
          for (const x of used) w.line(`${em.adjRef({ v: x.v, at: x.at })} += ${x.name};`);
        } else {
          this.tapedControl.add(s);
          const lo = em.fresh("lo");
          const hi = em.fresh("hi");
          w.line(`{`);
          w.line(`const ${hi} = tape__[--tp__];`);
          w.line(`const ${lo} = tape__[--tp__];`);
          for (const x of used) w.line(`let ${x.name} = 0;`);
          w.line(`for (let ${v} = ${hi}; ${v} >= ${lo}; ${v}--) {`);
          w.append(body);
          w.line(`}`);
          for (const x of used) w.line(`${em.adjRef({ v: x.v, at: x.at })} += ${x.name};`);
          w.line(`}`);
        }
        return;
      }
      case "while": {
        const body = new Writer();
        this.loopDepth++;
        this.stmts(s.body, body);
        this.loopDepth--;
        if (body.empty) return;
        this.requireNoJumps(s.body, s);
        this.tapedControl.add(s);
        const n = em.fresh("trips");
        const k = em.fresh("k");
        w.line(`{`);
        w.line(`const ${n} = tape__[--tp__];`);
        w.line(`for (let ${k} = 0; ${k} < ${n}; ${k}++) {`);
        w.append(body);
        w.line(`}`);
        w.line(`}`);
        return;
      }
      case "if": {
        const then = new Writer();
        const otherwise = new Writer();
        this.stmts(s.then, then);
        this.stmts(s.otherwise, otherwise);
        if (then.empty && otherwise.empty) return;
        if (s.cond.k === "num" && s.cond.text === "1") {
          w.append(then);
          return;
        }
        let test: string;
        if (this.pure(s.cond)) {
          this.reads(s.cond);
          test = em.cond(s.cond);
        } else {
          this.tapedControl.add(s);
          test = `tape__[--tp__] !== 0`;
        }
        w.line(`if (${test}) {`);
        w.append(then);
        if (!otherwise.empty) {
          w.line(`} else {`);
          w.append(otherwise);
        }
        w.line(`}`);
        return;
      }
      case "fill":
        // every element is overwritten with a constant: what reached it before does not count
        if (s.v.active) w.line(`${em.adjName(s.v)}.fill(0);`);
        return;
      case "transform": {
        em.m.imports.add(`${s.kernel}_constrain_adj`);
        const v = em.varName(s.v);
        const sizes = s.sizes.map((x) => em.expr(x)).join(", ");
        if (single(s)) {
          w.line(
            `${s.kernel}_constrain_adj(${v}, ${em.adjName(s.v)}, theta__, ${em.expr(s.offset)}, ${sizes}, ${em.jacobian ? 1 : 0}, grad__);`,
          );
        } else {
          w.line(
            `for (let k__ = ${em.expr(s.count)} - 1; k__ >= 0; k__--) ${s.kernel}_constrain_adj(${s.v.js}_views__[k__], ${s.v.js}_adj_views__[k__], theta__, ${em.expr(s.offset)} + k__ * (${em.expr(s.freeSize)}), ${sizes}, ${em.jacobian ? 1 : 0}, grad__);`,
          );
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Array elements read in the loop at an index the loop does not change, whose variable the loop
   * never assigns: their adjoints only accumulate there.
   */
  private loopInvariantAdjoints(loop: Extract<LStmt, { k: "for" }>): { key: string; name: string; v: IrVar; at: SExpr }[] {
    const written = new Set<IrVar>();
    collectWritten([loop], written);
    const out = new Map<string, { key: string; name: string; v: IrVar; at: SExpr }>();
    walkExprs(loop.body, (e) =>
      forEachReadAt(e, (v, at) => {
        if (at === undefined || !v.active || v.dims.length === 0 || written.has(v) || v.role === "theta") return;
        if (this.em.plan.promoted.has(v)) return;
        let invariant = true;
        forEachRead(at, (x) => (invariant &&= !written.has(x)));
        if (!invariant) return;
        const key = `${v.id}|${indexKey(at)}`;
        if (!out.has(key) && !this.em.registerAdjoints.has(key)) out.set(key, { key, name: this.em.fresh(`${v.js}_sum`), v, at });
      }),
    );
    return [...out.values()];
  }

  private requireNoJumps(stmts: readonly LStmt[], loop: LStmt): void {
    const visit = (ss: readonly LStmt[]) => {
      for (const s of ss) {
        if (s.k === "break" || s.k === "continue") {
          fail(
            "Semantic error",
            s.loc?.span ?? loop.loc?.span,
            `stan2ts cannot yet differentiate a loop that uses '${s.k}' and depends on parameters.`,
          );
        }
        if (s.k === "if") {
          visit(s.then);
          visit(s.otherwise);
        }
      }
    };
    visit(stmts);
  }

  private block(w: Writer, fn: (b: Writer) => void): void {
    const b = new Writer();
    fn(b);
    if (b.lines.length === 0) return;
    const declares = b.lines.some((l) => l.startsWith("const "));
    if (declares) w.line("{");
    w.append(b);
    if (declares) w.line("}");
  }

  private assign(s: Extract<LStmt, { k: "assign" }>, w: Writer): void {
    const em = this.em;
    const active = s.lhs.v.active;
    const saved = em.plan.saves.has(s);
    if (!active && !saved) return;
    this.block(w, (b) => {
      let a: string | undefined;
      const rhsActive = isActive(s.rhs);
      // exp-like rules reuse their result: read it from the left-hand side before it is restored
      let out: string | undefined;
      const reciprocal = s.rhs.k === "bin" && s.rhs.op === "/" && s.rhs.l.k === "num" && Number(s.rhs.l.text) === 1 && !s.rhs.isInt;
      if (active && rhsActive && s.op === "=" && ((s.rhs.k === "call" && usesOut(s.rhs.fn)) || reciprocal)) {
        out = em.fresh("y");
        if (s.lhs.at) this.reads(s.lhs.at);
        this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at }, true);
        b.line(`const ${out} = ${em.lvalue(s.lhs)};`);
      }
      if (active) {
        if (s.lhs.at) this.reads(s.lhs.at);
        const ref = em.adjRef(s.lhs);
        const needA = rhsActive || s.op === "*=" || s.op === "/=";
        if (needA && (s.op === "=" || s.op === "*=" || s.op === "/=" || rhsActive)) {
          a = em.fresh("g");
          b.line(`const ${a} = ${ref};`);
        }
        if (s.op === "=" || (s.op === "*=" && rhsActive) || (s.op === "/=" && rhsActive))
          b.line(`${ref} = 0;`);
      }
      if (saved) {
        if (s.lhs.at) this.reads(s.lhs.at);
        b.line(`${em.lvalue(s.lhs)} = tape__[--tp__];`);
      }
      if (!active) return;
      const ref = em.adjRef(s.lhs);
      switch (s.op) {
        case "=":
        case "+=":
          if (rhsActive && a) {
            if (out !== undefined && s.rhs.k === "call") this.propCall(s.rhs, a, b, out);
            else if (out !== undefined && s.rhs.k === "bin") {
              // x = 1 / r: ∂x/∂r = −1/r² = −x²
              b.line(`// ∂/∂r (1 / r) = −1 / r² = −(1 / r)²`);
              this.prop(s.rhs.r, `-${wrapAtom(a)} * ${out} * ${out}`, b);
            } else this.prop(s.rhs, a, b);
          }
          return;
        case "-=":
          if (rhsActive && a) this.prop(s.rhs, neg(a), b);
          return;
        case "*=": {
          // x = x·r: ∂/∂x = r, ∂/∂r = x (old x, restored above)
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.line(`${ref} += ${mul(a, r)};`);
            this.prop(s.rhs, mul(a, em.lvalue(s.lhs)), b);
          } else {
            b.line(`${ref} *= ${wrapAtom(r)};`);
          }
          return;
        }
        case "/=": {
          // x = x / r: ∂/∂x = 1/r, ∂/∂r = −x / r²
          const r = this.val(s.rhs);
          if (rhsActive && a) {
            this.reads({ k: "read", v: s.lhs.v, at: s.lhs.at });
            b.line(`${ref} += ${a} / ${wrapAtom(r)};`);
            this.prop(
              s.rhs,
              `-${wrapAtom(a)} * ${wrapAtom(em.lvalue(s.lhs))} / (${wrapAtom(r)} * ${wrapAtom(r)})`,
              b,
            );
          } else {
            b.line(`${ref} /= ${wrapAtom(r)};`);
          }
          return;
        }
      }
    });
  }

  /** Values already bound in a block, so a partial never recomputes what an earlier one bound. */
  private readonly bound = new WeakMap<Writer, Map<string, string>>();

  /** Binds `g` to a constant unless it is already a name or a number. */
  private bind(g: string, w: Writer, hint = "g"): string {
    if (/^[\w$.]+$/.test(g) || /^-?\d+(\.\d+)?$/.test(g)) return g;
    let memo = this.bound.get(w);
    if (!memo) {
      memo = new Map();
      this.bound.set(w, memo);
    }
    const key = unwrapParens(g);
    const known = memo.get(key);
    if (known) return known;
    const n = this.em.fresh(hint);
    w.line(`const ${n} = ${g};`);
    memo.set(key, n);
    return n;
  }

  /** Accumulates `g` (the adjoint of e) into the adjoints of the active variables e reads. */
  prop(e: SExpr, g: string, w: Writer): void {
    if (!isActive(e)) return;
    const em = this.em;
    switch (e.k) {
      case "read":
        if (e.at) this.reads(e.at);
        w.line(`${em.adjRef(e)} += ${g};`);
        return;
      case "neg":
        this.prop(e.e, neg(g), w);
        return;
      case "cond": {
        // each branch gets its own writer: constants bound in one are not visible in the other
        const t = new Writer();
        const f = new Writer();
        this.reads(e.c);
        const gb = this.bind(g, w);
        this.prop(e.t, gb, t);
        this.prop(e.f, gb, f);
        w.line(`if (${em.cond(e.c)}) {`);
        w.append(t);
        w.line(`} else {`);
        w.append(f);
        w.line(`}`);
        return;
      }
      case "bin": {
        const la = isActive(e.l);
        const ra = isActive(e.r);
        const g1 = la && ra ? this.bind(g, w) : g;
        switch (e.op) {
          case "+":
            this.prop(e.l, g1, w);
            this.prop(e.r, g1, w);
            return;
          case "-":
            this.prop(e.l, g1, w);
            this.prop(e.r, neg(g1), w);
            return;
          case "*":
            if (la) this.prop(e.l, mul(g1, this.val(e.r)), w);
            if (ra) this.prop(e.r, mul(g1, this.val(e.l)), w);
            return;
          case "/": {
            const r = this.val(e.r);
            if (la) this.prop(e.l, `${wrapAtom(g1)} / ${wrapAtom(r)}`, w);
            if (ra) {
              // ∂(l / r)/∂r = −l / r²
              const q = this.bind(`${wrapAtom(this.val(e.l))} / ${wrapAtom(r)}`, w, "q");
              this.prop(e.r, `-${wrapAtom(mul(g1, q))} / ${wrapAtom(r)}`, w);
            }
            return;
          }
          case "^": {
            const l = this.val(e.l);
            const r = this.val(e.r);
            if (la) {
              w.line(`// ∂/∂x x^y = y x^(y−1)`);
              this.prop(e.l, mul(g1, `${wrapAtom(r)} * Math.pow(${l}, ${r} - 1)`), w);
            }
            if (ra) {
              w.line(`// ∂/∂y x^y = x^y log x`);
              this.prop(e.r, mul(g1, `Math.pow(${l}, ${r}) * Math.log(${l})`), w);
            }
            return;
          }
          default:
            return;
        }
      }
      case "call": {
        // f(g(h(…))): the values of nested calls get a name first, innermost first, so the
        // partials of the outer calls read a name instead of re-printing the nest below them,
        // and the adjoint passed down is named at each level: the text stays linear in the depth
        const added = this.bindNestedCalls(e, w);
        const nested = this.nestedBound.size > 0 && e.args.some((a) => a.k !== "whole" && this.nestedBound.has(indexKey(a) as string));
        this.propCall(e, nested ? this.bind(g, w) : g, w);
        for (const key of added) {
          em.bound.delete(key);
          this.nestedBound.delete(key);
        }
        return;
      }
      case "guard":
        if (guardKept(e)) this.prop(e.e, g, w);
        return;
      default:
        return;
    }
  }

  /**
   * Binds `const zN__ = …` for each argument of a call in `e` that itself contains nested calls
   * (two or more levels), innermost first, in `em.bound` (which printing substitutes); returns
   * the keys added, for the caller to drop once the statement's adjoint code is written.
   */
  private bindNestedCalls(e: Extract<SExpr, { k: "call" }>, w: Writer): string[] {
    const em = this.em;
    const added: string[] = [];
    /** Visits x post-order and returns the depth of call nesting in it. */
    const visit = (x: SExpr): number => {
      switch (x.k) {
        case "bin":
          return Math.max(visit(x.l), visit(x.r));
        case "neg":
        case "not":
          return visit(x.e);
        case "cond":
          return Math.max(visit(x.c), visit(x.t), visit(x.f));
        case "guard":
          return guardKept(x) ? visit(x.e) : 0;
        case "call": {
          let depth = 0;
          for (const a of x.args) {
            if (a.k === "whole") continue;
            const key = indexKey(a) as string;
            // named by an enclosing call's pass already, with everything below it: not revisited
            // (each level of a nest would otherwise walk the whole nest again)
            const known = em.bound.has(key) ? callDepths.get(a) : undefined;
            const d = known ?? visit(a);
            callDepths.set(a, d);
            depth = Math.max(depth, d);
            if (known !== undefined || d < 2 || !isActive(a)) continue;
            if (em.bound.has(key)) continue;
            const name = em.fresh("z");
            this.reads(a);
            w.line(`const ${name} = ${em.expr(a)};`);
            const reads = new Set<IrVar>();
            forEachRead(a, (v) => reads.add(v));
            em.bound.set(key, { name, reads });
            this.nestedBound.add(key);
            added.push(key);
          }
          return depth + 1;
        }
        default:
          return 0;
      }
    };
    visit(e);
    return added;
  }

  private propCall(
    e: Extract<SExpr, { k: "call" }>,
    g: string,
    w: Writer,
    outValue?: string,
  ): void {
    const em = this.em;
    const rule = SCALAR_RULES.get(e.fn);
    if (rule) {
      if (!rule.partials) return;
      const scalarArgs = e.args as SExpr[];
      // which argument values and whether the result itself the partials need
      const usage = partialsUsage(rule);
      const needsOut = usage.out;
      const needsArg = scalarArgs.map((_, i) => usage.args[i] || (needsOut && outValue === undefined));
      // bind argument values (and the result) so nothing is computed twice
      const argText = scalarArgs.map((a, i) => {
        if (!needsArg[i]) return "NaN";
        const t = this.val(a);
        return isAtomic(t) ? t : this.bind(t, w, "x");
      });
      const ctxArgs = argText.map((t) => atomOut(isAtomic(t) ? t : `(${t})`));
      const use = (f: string) => em.m.imports.add(f);
      const out = needsOut ? (outValue ?? this.bind(scalarValueJs(rule, ctxArgs, use).text, w, "y")) : "";
      const b = jsBuilder(use);
      const partials = rule.partials(b, ctxArgs, atomOut(out)).map((p) => p.text);
      const active = scalarArgs.map((a) => isActive(a));
      const g1 = active.filter((x) => x).length > 1 ? this.bind(g, w) : g;
      scalarArgs.forEach((a, i) => {
        if (!active[i]) return;
        if (rule.math?.[i]) w.line(`// ${rule.math[i]}`);
        this.prop(a, mul(g1, partials[i]), w);
      });
      return;
    }
    const kernel = KERNEL_RULES.get(e.fn);
    if (!kernel) {
      return fail("Semantic error", e.span, `stan2ts has no gradient rule for '${e.fn}'.`);
    }
    const bufs = em.partialBuffers(e);
    if (!em.plan.forwardPartials.has(e.site)) {
      // inside a loop: recompute value and partials here, from the (restored) argument values
      for (const a of e.args) this.reads(a);
      const args = kernelArgs(e, em.print);
      em.m.imports.add(`${e.fn}_vp`);
      w.line(
        `${e.fn}_vp(${[...args, ...(kernel.propto ? [String(e.propto)] : []), ...bufs].join(", ")});`,
      );
    }
    const active = e.args.map((a) => isActive(a));
    const g1 = active.filter((x) => x).length > 1 ? this.bind(g, w) : g;
    e.args.forEach((a, i) => {
      if (!active[i]) return;
      const d = partialName(e.site, i);
      if (kernel.partials[i]) w.line(`// ${kernel.partials[i]}`);
      if (a.k === "whole") {
        const k = em.fresh("k");
        w.line(
          `for (let ${k} = 0; ${k} < ${d}.length; ${k}++) ${em.adjName(a.v)}[${k}] += ${mul(g1, `${d}[${k}]`)};`,
        );
      } else {
        this.prop(a, mul(g1, `${d}[0]`), w);
      }
    });
  }
}

function usesOut(fn: string): boolean {
  const rule = SCALAR_RULES.get(fn);
  return rule?.partials !== undefined && partialsUsage(rule).out;
}

function wrapAtom(s: string): string {
  return isAtomic(s) ? s : `(${s})`;
}

function mul(a: string, b: string): string {
  if (a === "1") return b;
  if (b === "1") return a;
  return `${wrapAtom(a)} * ${wrapAtom(b)}`;
}

function neg(a: string): string {
  if (a.startsWith("-") && isAtomic(a.slice(1))) return a.slice(1);
  return `-${wrapAtom(a)}`;
}

export { totalSize, atomText, printArg };

/**
 * For each adjoint array in `candidates`, the innermost `if` branch (a `then` or `otherwise` list
 * reached from `region` through `if`s only, never through a loop) that holds every statement using
 * it; arrays used outside any such branch are left out. Zeroing them at that branch's
 * start is enough: their adjoints are only written by that branch's forward and reverse code.
 */
export function branchLocalAdjoints(region: readonly LStmt[], candidates: readonly IrVar[]): Map<readonly LStmt[], IrVar[]> {
  const wanted = new Set(candidates);
  // the branches (outermost first) common to every use so far
  const common = new Map<IrVar, readonly (readonly LStmt[])[]>();
  const note = (v: IrVar, path: readonly (readonly LStmt[])[]) => {
    if (!wanted.has(v)) return;
    const before = common.get(v);
    if (before === undefined) {
      common.set(v, path);
      return;
    }
    let k = 0;
    while (k < before.length && k < path.length && before[k] === path[k]) k++;
    common.set(v, before.slice(0, k));
  };
  const visit = (stmts: readonly LStmt[], path: readonly (readonly LStmt[])[], inLoop: boolean) => {
    for (const st of stmts) {
      const noteRead = (e: SExpr) => forEachRead(e, (v) => note(v, path));
      if (st.k === "if") {
        noteRead(st.cond);
        visit(st.then, inLoop ? path : [...path, st.then], inLoop);
        visit(st.otherwise, inLoop ? path : [...path, st.otherwise], inLoop);
      } else if (st.k === "for" || st.k === "while") {
        if (st.k === "for") {
          noteRead(st.lo);
          noteRead(st.hi);
        } else noteRead(st.cond);
        visit(st.body, path, true);
      } else {
        const written = new Set<IrVar>();
        collectWritten([st], written);
        for (const v of written) note(v, path);
        walkExprs([st], noteRead);
      }
    }
  };
  visit(region, [], false);
  const out = new Map<readonly LStmt[], IrVar[]>();
  for (const [v, path] of common) {
    const branch = path[path.length - 1];
    if (branch === undefined) continue;
    const list = out.get(branch) ?? [];
    list.push(v);
    out.set(branch, list);
  }
  return out;
}
