/**
 * What reverse mode decides before emitting anything (Tapenade-style planning): which
 * assignments must save the value they overwrite, which branches and loop bounds go on the tape,
 * which loops are differentiated jointly (iteration by iteration inside the forward loop), which
 * arrays live in registers, and which adjoint arrays are zeroed in one branch only.
 */
import { type IrVar, type LStmt, type SExpr, forEachRead, isActive } from "../ir/ir";
import { collectWritten, walkExprs } from "../ir/mapIr";
import { assignedVars, propagateActivity } from "./activity";
import { Emitter, emptyPlan, kernelCalls, type AdPlan, type ModuleContext } from "./emitter";
import { forEachReadAt, indexKey } from "./keys";
import { Reverse } from "./reverse";

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
    rev.stmts(region);
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
