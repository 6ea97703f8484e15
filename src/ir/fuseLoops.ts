/**
 * Loop fusion: adjacent loops over the same number of elements whose shared arrays are only ever
 * touched at the loop's own index become one loop, so `mu = rep_vector(0, N); mu += Intercept;
 * for (n in 1:N) mu[n] += …; target += normal_lpdf(Y | mu, sigma);` is one pass forward and one
 * pass in reverse. Statements between two loops that neither loop touches move in front of the
 * first; comments move into the fused body so every Stan line still labels its code.
 */
import { structuralKey } from "./mapIr";
import { type IrVar, type LStmt, type SExpr, bin, read } from "./ir";

type ForStmt = Extract<LStmt, { k: "for" }>;


/** Replaces reads of loop variable `from` by `to` (an SExpr), folding constants. */
export function substitute(e: SExpr, from: IrVar, to: SExpr): SExpr {
  switch (e.k) {
    case "num":
      return e;
    case "read":
      if (e.v === from && e.at === undefined) return to;
      return e.at ? read(e.v, substitute(e.at, from, to)) : e;
    case "bin": {
      const b = bin(e.op, substitute(e.l, from, to), substitute(e.r, from, to));
      return e.checked && b.k === "bin" ? { ...b, checked: true } : b;
    }
    case "neg":
      return { ...e, e: substitute(e.e, from, to) };
    case "not":
      return { ...e, e: substitute(e.e, from, to) };
    case "cond":
      return { ...e, c: substitute(e.c, from, to), t: substitute(e.t, from, to), f: substitute(e.f, from, to) };
    case "call":
      return { ...e, args: e.args.map((a) => (a.k === "whole" ? a : substitute(a, from, to))) };
    case "guard":
      return { ...e, deps: e.deps.map((a) => (a.k === "whole" ? a : substitute(a, from, to))), e: substitute(e.e, from, to) };
  }
}

/** Replaces reads of loop variable `from` by `to` throughout a statement. */
export function substituteStmt(s: LStmt, from: IrVar, to: SExpr): LStmt {
  const sub = (e: SExpr) => substitute(e, from, to);
  switch (s.k) {
    case "assign":
      return { ...s, lhs: s.lhs.at ? { v: s.lhs.v, at: sub(s.lhs.at) } : s.lhs, rhs: sub(s.rhs) };
    case "target":
      return { ...s, e: sub(s.e) };
    case "for":
      return { ...s, lo: sub(s.lo), hi: sub(s.hi), body: s.body.map((b) => substituteStmt(b, from, to)) };
    case "while":
      return { ...s, cond: sub(s.cond), body: s.body.map((b) => substituteStmt(b, from, to)) };
    case "if":
      return { ...s, cond: sub(s.cond), then: s.then.map((b) => substituteStmt(b, from, to)), otherwise: s.otherwise.map((b) => substituteStmt(b, from, to)) };
    case "check":
      return { ...s, cond: sub(s.cond), message: s.message.map((m) => (typeof m === "string" ? m : sub(m))) };
    case "print":
    case "reject":
    case "fatal":
      return { ...s, args: s.args.map((m) => (typeof m === "string" ? m : sub(m))) };
    default:
      return s;
  }
}

interface Access {
  readonly v: IrVar;
  readonly at?: SExpr;
  readonly write: boolean;
}

function exprAccesses(e: SExpr, out: Access[]): void {
  switch (e.k) {
    case "num":
      return;
    case "read":
      out.push({ v: e.v, at: e.at, write: false });
      if (e.at) exprAccesses(e.at, out);
      return;
    case "bin":
      exprAccesses(e.l, out);
      exprAccesses(e.r, out);
      return;
    case "neg":
    case "not":
      exprAccesses(e.e, out);
      return;
    case "cond":
      exprAccesses(e.c, out);
      exprAccesses(e.t, out);
      exprAccesses(e.f, out);
      return;
    case "call":
      for (const a of e.args) {
        if (a.k === "whole") out.push({ v: a.v, write: false, at: undefined });
        else exprAccesses(a, out);
      }
      return;
    case "guard":
      for (const a of e.deps) if (a.k !== "whole") exprAccesses(a, out);
      exprAccesses(e.e, out);
      return;
  }
}

/** Every variable access of a statement list; whole-container uses have no index. */
function accesses(stmts: readonly LStmt[], out: Access[] = []): Access[] {
  for (const s of stmts) {
    switch (s.k) {
      case "assign":
        out.push({ v: s.lhs.v, at: s.lhs.at, write: true });
        if (s.lhs.at) exprAccesses(s.lhs.at, out);
        exprAccesses(s.rhs, out);
        break;
      case "target":
        out.push({ v: TARGET, write: true });
        exprAccesses(s.e, out);
        break;
      case "for":
        exprAccesses(s.lo, out);
        exprAccesses(s.hi, out);
        accesses(s.body, out);
        break;
      case "while":
        exprAccesses(s.cond, out);
        accesses(s.body, out);
        break;
      case "if":
        exprAccesses(s.cond, out);
        accesses(s.then, out);
        accesses(s.otherwise, out);
        break;
      case "check":
        exprAccesses(s.cond, out);
        for (const m of s.message) if (typeof m !== "string") exprAccesses(m, out);
        break;
      case "print":
      case "reject":
      case "fatal":
        for (const m of s.args) if (typeof m !== "string") exprAccesses(m, out);
        out.push({ v: SIDE_EFFECT, write: true });
        break;
      case "break":
      case "continue":
        out.push({ v: SIDE_EFFECT, write: true });
        break;
      case "transform":
      case "untransform":
      case "alloc":
      case "fill":
        out.push({ v: s.v, write: true });
        out.push({ v: SIDE_EFFECT, write: true });
        break;
      case "draw":
        for (const a of s.args) if (a.k === "whole") out.push({ v: a.v, write: false });
        else exprAccesses(a, out);
        out.push({ v: s.out, write: true });
        out.push({ v: SIDE_EFFECT, write: true });
        break;
      case "comment":
        break;
    }
  }
  return out;
}

const PSEUDO = (name: string): IrVar => ({ id: -1, js: name, stanName: name, elem: "real", base: "real", arrayDims: 0, dims: [], role: "temp", active: false });
/** Stands for `target` (accumulation order does not matter, but keep it simple: a scalar). */
const TARGET = PSEUDO("target__");
/** Output and control effects that must not be reordered. */
const SIDE_EFFECT = PSEUDO("effect__");

/**
 * What a loop body touches, relative to loop variable `iv`: kept for each loop fusion produces,
 * so fusing one more loop into it costs the size of that loop, not of everything fused so far.
 */
interface BodySummary {
  readonly iv: IrVar;
  readonly touched: Set<IrVar>;
  readonly written: Set<IrVar>;
  /** Variables accessed as a whole or at an element other than `iv` exactly. */
  readonly offIndex: Set<IrVar>;
  /** Names of the loop variables declared inside. */
  readonly loopVars: Set<string>;
  jumps: boolean;
  effects: boolean;
  /** The body array is this pass's own (made by a fusion), so later fusions may append to it. */
  ownsBody: boolean;
}

function summarize(body: readonly LStmt[], iv: IrVar): BodySummary {
  const ivKey = structuralKey(read(iv));
  const s: BodySummary = {
    iv,
    touched: new Set(),
    written: new Set(),
    offIndex: new Set(),
    loopVars: new Set(),
    jumps: hasJumps(body),
    effects: hasEffects(body),
    ownsBody: false,
  };
  for (const x of accesses(body)) {
    s.touched.add(x.v);
    if (x.write) s.written.add(x.v);
    if (x.at === undefined || structuralKey(x.at) !== ivKey) s.offIndex.add(x.v);
  }
  const collectLoopVars = (stmts: readonly LStmt[]) => {
    for (const t of stmts) {
      if (t.k === "for") s.loopVars.add(t.v.js);
      if (t.k === "for" || t.k === "while") collectLoopVars(t.body);
      else if (t.k === "if") {
        collectLoopVars(t.then);
        collectLoopVars(t.otherwise);
      }
    }
  };
  collectLoopVars(body);
  return s;
}

const summaries = new WeakMap<ForStmt, BodySummary>();
function summaryOf(l: ForStmt): BodySummary {
  let s = summaries.get(l);
  if (!s) summaries.set(l, (s = summarize(l.body, l.v)));
  return s;
}

/**
 * Whether two loop bodies can run interleaved, element by element (both relative to the first
 * loop's variable): a variable both touch and one writes must be an array only ever accessed at
 * that element.
 */
function independentExceptAtIndex(a: BodySummary, b: BodySummary): boolean {
  for (const v of b.touched) {
    if (!a.touched.has(v) || !(a.written.has(v) || b.written.has(v))) continue;
    if (v === SIDE_EFFECT || v.dims.length === 0) return false;
    if (a.offIndex.has(v) || b.offIndex.has(v)) return false;
  }
  return true;
}

function hasJumps(stmts: readonly LStmt[]): boolean {
  return stmts.some((s) => s.k === "break" || s.k === "continue" || (s.k === "if" && (hasJumps(s.then) || hasJumps(s.otherwise))));
}

function declaresLoopVar(stmts: readonly LStmt[], js: string): boolean {
  return stmts.some(
    (s) =>
      (s.k === "for" && (s.v.js === js || declaresLoopVar(s.body, js))) ||
      (s.k === "while" && declaresLoopVar(s.body, js)) ||
      (s.k === "if" && (declaresLoopVar(s.then, js) || declaresLoopVar(s.otherwise, js))),
  );
}

const tripCounts = new WeakMap<ForStmt, string>();
function tripCount(s: ForStmt): string {
  let key = tripCounts.get(s);
  if (key === undefined) tripCounts.set(s, (key = structuralKey(bin("-", s.hi, s.lo))));
  return key;
}

/** Tries to fuse `second` into `first`; returns the fused loop or undefined. */
function fuse(first: ForStmt, second: ForStmt, between: readonly LStmt[]): ForStmt | undefined {
  if (tripCount(first) !== tripCount(second)) return undefined;
  const a = summaryOf(first);
  if (a.jumps || hasJumps(second.body)) return undefined;
  // an inner loop of the second body reusing the first loop's name would capture the renamed index
  if (declaresLoopVar(second.body, first.v.js) || a.loopVars.has(second.v.js)) return undefined;
  // rename the second loop's variable onto the first's: v2 = v1 + (lo2 − lo1)
  const shift = bin("-", second.lo, first.lo);
  const renamed = second.body.map((s) => substituteStmt(s, second.v, bin("+", read(first.v), shift)));
  const b = summarize(renamed, first.v);
  // the loop bounds must not depend on anything either loop writes
  const boundReads: Access[] = [];
  exprAccesses(first.lo, boundReads);
  exprAccesses(first.hi, boundReads);
  exprAccesses(second.lo, boundReads);
  exprAccesses(second.hi, boundReads);
  if (boundReads.some((x) => a.written.has(x.v) || b.written.has(x.v))) return undefined;
  if (!independentExceptAtIndex(a, b)) return undefined;
  const comments = between.filter((s) => s.k === "comment");
  // `first` is replaced by the fused loop: its summary (and a body this pass made) carry over
  const body = a.ownsBody ? (first.body as LStmt[]) : [...first.body];
  body.push(...comments, ...renamed);
  for (const v of b.touched) a.touched.add(v);
  for (const v of b.written) a.written.add(v);
  for (const v of b.offIndex) a.offIndex.add(v);
  for (const n of b.loopVars) a.loopVars.add(n);
  a.effects ||= b.effects;
  a.ownsBody = true;
  const fused: ForStmt = { ...first, body };
  summaries.set(fused, a);
  tripCounts.set(fused, tripCount(first));
  return fused;
}

/** Whether a statement is of a kind that may move in front of a loop (`movableBefore` decides). */
function mayMove(s: LStmt): boolean {
  if (s.k === "comment" || s.k === "assign" || s.k === "check" || s.k === "fill") return true;
  // a whole-container fill or a loop nest (a matrix-vector product) may move too
  return (
    (s.k === "for" && !hasJumps(s.body) && !hasEffects(s.body)) ||
    (s.k === "if" && !hasJumps([...s.then, ...s.otherwise]) && !hasEffects([s]))
  );
}

/** A statement can move in front of loop `l` when neither touches what the other writes. */
function movableBefore(s: LStmt, l: ForStmt): boolean {
  if (s.k === "comment") return true;
  if (!mayMove(s)) return false;
  const body = summaryOf(l);
  if (body.effects) return false;
  const header: Access[] = [];
  exprAccesses(l.lo, header);
  exprAccesses(l.hi, header);
  const sa = accesses([s]).filter((x) => x.v !== SIDE_EFFECT);
  if (sa.some((x) => body.written.has(x.v))) return false;
  for (const x of sa) if (x.write && (body.touched.has(x.v) || header.some((h) => h.v === x.v))) return false;
  return true;
}

/** Output, rejection, jumps or transforms anywhere inside: such code keeps its place. */
function hasEffects(stmts: readonly LStmt[]): boolean {
  return stmts.some(
    (s) =>
      s.k === "print" || s.k === "reject" || s.k === "fatal" || s.k === "break" || s.k === "continue" ||
      s.k === "transform" || s.k === "untransform" || s.k === "alloc" || s.k === "while" ||
      (s.k === "for" && hasEffects(s.body)) || (s.k === "if" && (hasEffects(s.then) || hasEffects(s.otherwise))),
  );
}

export function fuseLoops(stmts: readonly LStmt[]): LStmt[] {
  const out: LStmt[] = [];
  // the Stan line of the last comment moved into a fused loop still labels what follows the loop
  let carried: LStmt | undefined;
  for (const raw of stmts) {
    const s = recurse(raw);
    if (carried && s.k !== "comment" && s.k !== "for" && out[out.length - 1]?.k === "for") out.push(carried);
    if (s.k !== "for") carried = undefined;
    if (s.k === "for") {
      // find the previous loop over as many elements, with only movable statements (loop nests
      // over other ranges among them) in between: the search stops at a statement that can
      // never move, so it does not rescan the program for every loop
      let j = out.length - 1;
      while (j >= 0 && !(out[j].k === "for" && tripCount(out[j] as ForStmt) === tripCount(s)) && mayMove(out[j])) j--;
      if (j >= 0 && out[j].k === "for" && tripCount(out[j] as ForStmt) === tripCount(s)) {
        const prev = out[j] as ForStmt;
        const between = out.slice(j + 1);
        if (between.every((b) => movableBefore(b, prev))) {
          const fused = fuse(prev, s, between);
          if (fused) {
            const moved = between.filter((b) => b.k !== "comment");
            const comments = between.filter((b) => b.k === "comment");
            if (comments.length > 0) carried = comments[comments.length - 1];
            out.splice(j, out.length - j, ...moved, fused);
            continue;
          }
        }
      }
    }
    out.push(s);
  }
  return out;
}

function recurse(s: LStmt): LStmt {
  if (s.k === "if") return { ...s, then: fuseLoops(s.then), otherwise: fuseLoops(s.otherwise) };
  if (s.k === "for") return { ...s, body: fuseLoops(s.body) };
  if (s.k === "while") return { ...s, body: fuseLoops(s.body) };
  return s;
}

/**
 * `if (c) continue;` at the top level of a loop body becomes `if (!c) { rest of the body }`, so
 * reverse mode sees only structured control flow (a differentiated loop may not `continue`).
 */
export function structureContinue(stmts: readonly LStmt[]): LStmt[] {
  return stmts.map((s) => {
    if (s.k === "for" || s.k === "while") return { ...s, body: continueFree(s.body.map(structureOne)) };
    return structureOne(s);
  });
}

function structureOne(s: LStmt): LStmt {
  if (s.k === "if") return { ...s, then: structureContinue(s.then), otherwise: structureContinue(s.otherwise) };
  if (s.k === "for" || s.k === "while") return { ...s, body: continueFree(structureContinue(s.body)) };
  return s;
}

function isContinue(stmts: readonly LStmt[]): boolean {
  const real = stmts.filter((x) => x.k !== "comment");
  return real.length === 1 && real[0].k === "continue";
}

function continueFree(body: readonly LStmt[]): LStmt[] {
  for (let j = 0; j < body.length; j++) {
    const s = body[j];
    if (s.k !== "if") continue;
    if (isContinue(s.then) && s.otherwise.length === 0) {
      const rest = continueFree(body.slice(j + 1));
      return [...body.slice(0, j), { ...s, cond: { k: "not", e: s.cond }, then: rest, otherwise: [] }];
    }
    if (isContinue(s.otherwise)) {
      const rest = continueFree(body.slice(j + 1));
      return [...body.slice(0, j), { ...s, then: [...s.then, ...rest], otherwise: [] }];
    }
  }
  return [...body];
}
