/**
 * The forward sweep (and value mode): the statements as written, plus what the reverse sweep
 * needs and could not recompute — values about to be overwritten (only when some adjoint
 * statement reads them), branches taken when the test is not plain data, loop bounds and
 * while-loop trip counts likewise, and density partials for calls outside loops (`_vp` kernels
 * fill per-call-site buffers). Joint-mode loops run each iteration's adjoint right after it.
 */
import { type LStmt, type SExpr, callFree, exprIsInt, hasCheckedDivision, read } from "../ir/ir";
import { substituteStmt } from "../ir/fuseLoops";
import { type JsExpr, type JsStmt, jsBinary, jsCall, jsLit, jsName, jsNot, jsStr } from "../ir/jsIr";
import { Emitter, baseName, canThrow, sizeChecks } from "./emitter";

// ---------------------------------------------------------------------------------------------
// Forward code (value mode, and the forward sweep of gradient mode)

export function emitForward(em: Emitter, stmts: readonly LStmt[], out: JsStmt[] = []): JsStmt[] {
  for (const s of stmts) {
    // only the top level of a loop body binds (a const in a nested block is not seen after it)
    const compound = s.k === "for" || s.k === "while" || s.k === "if";
    const was = em.bindArgs;
    if (compound) em.bindArgs = false;
    forwardStmt(em, s, out);
    em.bindArgs = was;
  }
  return out;
}

/**
 * A loop body; `bind`: its top-level statements may bind call arguments for this iteration.
 * Returns the keys bound before it: the caller forgets the others once the iteration's block
 * ends (assignments in the body have already dropped outer bindings they invalidate).
 */
function loopBody(em: Emitter, body: readonly LStmt[], out: JsStmt[], bind: boolean): Set<string> {
  const outer = new Set(em.bound.keys());
  const was = em.bindArgs;
  em.bindArgs = bind;
  emitForward(em, body, out);
  em.bindArgs = was;
  return outer;
}

function forgetInner(em: Emitter, outer: ReadonlySet<string>): void {
  for (const k of [...em.bound.keys()]) if (!outer.has(k)) em.bound.delete(k);
}

/** One part of a printed or thrown message: user text as a string literal, ints exactly (as text), reals for formatNumber__. */
function messagePart(em: Emitter, part: string | SExpr): JsExpr {
  if (typeof part === "string") return jsStr(part);
  return exprIsInt(part) ? jsCall("String", em.expr(part)) : em.expr(part);
}

function message(em: Emitter, parts: readonly (string | SExpr)[]): JsExpr {
  em.m.support.add("message__");
  return jsCall("message__", ...parts.map((a) => messagePart(em, a)));
}

function setLoc(em: Emitter, s: LStmt, out: JsStmt[]): void {
  if (!canThrow(s)) return;
  const i = em.location(s.loc);
  if (i !== undefined) out.push(assign(jsName("loc__"), "=", jsLit(String(i))));
}

function assign(target: JsExpr, op: "=" | "+=" | "-=" | "*=" | "/=", value: JsExpr): JsStmt {
  return { k: "assign", target, op, value };
}

const LP = jsName("lp__");

function push(em: Emitter, value: JsExpr): JsStmt {
  em.m.support.add("growTape__");
  return { k: "push", value };
}

function forwardStmt(em: Emitter, s: LStmt, out: JsStmt[]): void {
  const grad = em.mode === "gradient";
  switch (s.k) {
    case "comment":
      out.push({ k: "comment", text: `${baseName(s.loc.span.file || em.m.file)}:${s.loc.span.start.line}  ${s.loc.text}` });
      return;
    case "assign": {
      setLoc(em, s, out);
      if (grad && em.plan.saves.has(s)) out.push(push(em, em.lvalue(s.lhs)));
      em.bindCallArgs(s.rhs, out);
      out.push(assign(em.lvalue(s.lhs), s.op, em.expr(s.rhs)));
      em.unbind(s.lhs.v);
      return;
    }
    case "target":
      if (s.jacobian && !em.jacobian) return;
      setLoc(em, s, out);
      em.bindCallArgs(s.e, out);
      out.push(assign(LP, "+=", em.expr(s.e)));
      return;
    case "for": {
      const v = em.varName(s.v);
      const taped = grad && em.plan.taped.has(s);
      if (taped) {
        const lo = em.fresh("lo");
        const hi = em.fresh("hi");
        out.push({
          k: "block",
          body: [
            { k: "decl", kind: "const", name: lo, init: em.expr(s.lo) },
            { k: "decl", kind: "const", name: hi, init: em.expr(s.hi) },
            { k: "for", v, from: jsName(lo), test: "<=", to: jsName(hi), step: "++", body: emitForward(em, s.body) },
            push(em, jsName(lo)),
            push(em, jsName(hi)),
          ],
        });
        return;
      }
      const joint = grad ? em.plan.joint.get(s) : undefined;
      if (joint && em.reverseBody) {
        // joint mode: the accumulators' adjoints are known now, so each iteration is
        // differentiated right after it runs (one pass instead of a forward and a reverse loop)
        for (const [acc, adj] of joint) out.push(assign(em.adj(acc), "=", jsLit(String(adj))));
        const from = em.expr(s.lo);
        const to = em.expr(s.hi);
        const body: JsStmt[] = [];
        const outer = loopBody(em, s.body, body, true);
        body.push({ k: "comment", text: "adjoint of this iteration (joint mode)" });
        body.push(...em.reverseBody(s.body));
        forgetInner(em, outer);
        out.push({ k: "for", v, from, test: "<=", to, step: "++", body });
        for (const acc of joint.keys()) out.push(assign(em.adj(acc), "=", jsLit("0")));
        return;
      }
      const from = em.expr(s.lo);
      const to = em.expr(s.hi);
      const body: JsStmt[] = [];
      const remat = em.plan.rematerialize.get(s);
      // (value mode: no adjoint code elsewhere reads the bound names, so any loop may bind)
      if (remat) {
        // the checked values were never stored: recompute this element's (error path only)
        // (copies: the plan's tape and joint-mode decisions are keyed by the original statements)
        body.push({ k: "comment", text: "recompute this element's values: the loop above kept them in registers, not arrays" });
        emitForward(em, remat.stmts.map((t) => substituteStmt(t, remat.from, read(s.v))), body);
      }
      forgetInner(em, loopBody(em, s.body, body, !grad));
      out.push({ k: "for", v, from, test: "<=", to, step: "++", body });
      return;
    }
    case "while": {
      if (grad && em.plan.taped.has(s)) {
        const n = em.fresh("trips");
        const cond = em.cond(s.cond);
        const body: JsStmt[] = [{ k: "increment", name: n }];
        emitForward(em, s.body, body);
        out.push({
          k: "block",
          body: [{ k: "decl", kind: "let", name: n, init: jsLit("0") }, { k: "while", cond, body }, push(em, jsName(n))],
        });
        return;
      }
      const cond = em.cond(s.cond);
      out.push({ k: "while", cond, body: emitForward(em, s.body) });
      return;
    }
    case "if": {
      const taped = grad && em.plan.taped.has(s);
      const fills = (branch: readonly LStmt[], into: JsStmt[]) => {
        if (grad) for (const v of em.branchFills.get(branch) ?? []) into.push({ k: "effect", e: jsCall(`${em.adjName(v)}.fill`, jsLit("0")) });
        return into;
      };
      if (s.cond.k === "num" && s.cond.text === "1" && !taped) {
        fills(s.then, out);
        emitForward(em, s.then, out);
        return;
      }
      const cond = em.cond(s.cond);
      const then = emitForward(em, s.then, fills(s.then, []));
      if (taped) then.push(push(em, jsLit("1")));
      let otherwise: JsStmt[] = [];
      if (s.otherwise.length > 0 || taped) {
        otherwise = emitForward(em, s.otherwise, fills(s.otherwise, []));
        if (taped) otherwise.push(push(em, jsLit("0")));
      }
      out.push({ k: "if", cond, then, otherwise });
      return;
    }
    case "print":
      em.m.support.add("print__");
      out.push({ k: "effect", e: jsCall("print__", ...s.args.map((a) => messagePart(em, a))) });
      return;
    case "reject":
    case "fatal": {
      setLoc(em, s, out);
      const cls = s.k === "reject" ? "StanDomainError" : "StanDataError";
      out.push({ k: "throw", e: { k: "new", ctor: cls, args: [message(em, s.args)] } });
      return;
    }
    case "break":
    case "continue":
      out.push({ k: "jump", kind: s.k });
      return;
    case "alloc": {
      const v = s.v;
      if (s.init !== undefined) {
        setLoc(em, s, out);
        out.push({ k: "decl", kind: "const", name: v.js, init: em.expr(s.init) });
      } else if (v.dims.length === 0) out.push({ k: "decl", kind: "let", name: v.js, init: jsLit(v.elem === "int" ? "0" : "NaN") });
      else {
        out.push(...sizeChecks(em.m, v));
        out.push({ k: "decl", kind: "const", name: v.js, init: { k: "new", ctor: v.elem === "int" ? "Int32Array" : "Float64Array", args: [em.wholeLength(v)] } });
      }
      return;
    }
    case "fill":
      out.push({ k: "effect", e: jsCall(`${em.varName(s.v)}.fill`, jsLit(s.value)) });
      return;
    case "draw": {
      setLoc(em, s, out);
      em.m.imports.add(s.fn);
      const args = s.args.map((a) => (a.k === "whole" ? (em.ctx.wholeArg?.(a.v) ?? em.name(a.v)) : em.expr(a)));
      out.push({ k: "effect", e: jsCall(s.fn, jsName("rng__"), em.name(s.out), ...args) });
      em.unbind(s.out);
      return;
    }
    case "check": {
      // an index check names its Stan line only when it fails: no location store per element
      const failLoc = s.fatal && callFree(s.cond) && !hasCheckedDivision(s.cond) ? em.location(s.loc) : undefined;
      if (failLoc === undefined) setLoc(em, s, out);
      // the message is built only when the check fails
      const error: JsStmt = { k: "throw", e: { k: "new", ctor: s.fatal ? "StanDataError" : "StanDomainError", args: [message(em, s.message)] } };
      const then: JsStmt[] = failLoc === undefined ? [error] : [assign(jsName("loc__"), "=", jsLit(String(failLoc))), error];
      out.push({ k: "if", cond: jsNot(em.cond(s.cond)), then, otherwise: [], compact: true });
      return;
    }
    case "transform": {
      setLoc(em, s, out);
      em.m.imports.add(`${s.kernel}_constrain`);
      const sizes = s.sizes.map((x) => em.expr(x));
      const constrain = (call: JsExpr): JsStmt => (em.jacobian ? assign(LP, "+=", call) : { k: "effect", e: call });
      if (single(s)) {
        out.push(constrain(jsCall(`${s.kernel}_constrain`, em.name(s.v), jsName("theta__"), em.expr(s.offset), ...sizes)));
      } else {
        // an array of constrained values: one kernel call per element, on views made once per instance
        const call = jsCall(`${s.kernel}_constrain`, elementView(s.v.js, ""), jsName("theta__"), elementOffset(em, s), ...sizes);
        out.push({ k: "for", v: "k__", from: jsLit("0"), test: "<", to: em.expr(s.count), step: "++", body: [constrain(call)], compact: true });
      }
      return;
    }
    case "untransform": {
      em.m.imports.add(`${s.kernel}_unconstrain`);
      const sizes = s.sizes.map((x) => em.expr(x));
      if (single(s)) {
        out.push({ k: "effect", e: jsCall(`${s.kernel}_unconstrain`, jsName("theta__"), em.expr(s.offset), em.name(s.v), ...sizes, jsStr(s.v.stanName)) });
      } else {
        // the element's name for messages: "z[3]"
        const name = jsBinary("+", jsBinary("+", jsStr(s.v.stanName), jsStr("[")), jsBinary("+", jsName("k__"), jsLit("1")));
        const call = jsCall(`${s.kernel}_unconstrain`, jsName("theta__"), elementOffset(em, s), elementView(s.v.js, ""), ...sizes, jsBinary("+", name, jsStr("]")));
        out.push({ k: "for", v: "k__", from: jsLit("0"), test: "<", to: em.expr(s.count), step: "++", body: [{ k: "effect", e: call }], compact: true });
      }
      return;
    }
  }
}

/** Element `k__` of an array of structured values: its view (`z_views__[k__]`, `z_adj_views__[k__]`). */
export function elementView(js: string, adj: "" | "adj_"): JsExpr {
  return { k: "index", array: jsName(`${js}_${adj}views__`), at: jsName("k__") };
}

/** Where element `k__`'s unconstrained values start: offset + k__ · (free size). */
export function elementOffset(em: Emitter, s: Extract<LStmt, { k: "transform" | "untransform" }>): JsExpr {
  return jsBinary("+", em.expr(s.offset), jsBinary("*", jsName("k__"), em.expr(s.freeSize)));
}

export function single(s: Extract<LStmt, { k: "transform" | "untransform" }>): boolean {
  return s.count.k === "num" && s.count.text === "1";
}
