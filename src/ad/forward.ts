/**
 * The forward sweep (and value mode): the statements as written, plus what the reverse sweep
 * needs and could not recompute — values about to be overwritten (only when some adjoint
 * statement reads them), branches taken when the test is not plain data, loop bounds and
 * while-loop trip counts likewise, and density partials for calls outside loops (`_vp` kernels
 * fill per-call-site buffers). Joint-mode loops run each iteration's adjoint right after it.
 */
import { type LStmt, type SExpr, callFree, exprIsInt, hasCheckedDivision, read } from "../ir/ir";
import { substituteStmt } from "../ir/fuseLoops";
import { jsCommentText, jsString } from "../ir/names";
import { isAtomic } from "../ir/printJs";
import { Emitter, Writer, baseName, canThrow, sizeChecks } from "./emitter";

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

/** One part of a printed or thrown message: user text as a string literal, ints exactly (as text), reals for formatNumber__. */
function messagePart(em: Emitter, part: string | SExpr): string {
  if (typeof part === "string") return jsString(part);
  return exprIsInt(part) ? `String(${em.expr(part)})` : em.expr(part);
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
        `// ${jsCommentText(`${baseName(s.loc.span.file || em.m.file)}:${s.loc.span.start.line}  ${s.loc.text}`)}`,
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
        `print__(${s.args.map((a) => messagePart(em, a)).join(", ")});`,
      );
      return;
    case "reject":
    case "fatal": {
      setLoc(em, s, w);
      em.m.support.add("message__");
      const cls = s.k === "reject" ? "StanDomainError" : "StanDataError";
      w.line(
        `throw new ${cls}(message__(${s.args.map((a) => messagePart(em, a)).join(", ")}));`,
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
      else {
        for (const check of sizeChecks(em.m, v)) w.line(check);
        w.line(
          `const ${v.js} = new ${v.elem === "int" ? "Int32Array" : "Float64Array"}(${em.wholeLength(v)});`,
        );
      }
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
      const failLoc = s.fatal && callFree(s.cond) && !hasCheckedDivision(s.cond) ? em.location(s.loc) : undefined;
      if (failLoc === undefined) setLoc(em, s, w);
      em.m.support.add("message__");
      // the message is built only when the check fails
      const parts = s.message.map((a) => messagePart(em, a));
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
          `${s.kernel}_unconstrain(theta__, ${em.expr(s.offset)}, ${em.varName(s.v)}, ${sizes}, ${jsString(s.v.stanName)});`,
        );
      } else {
        w.line(
          `for (let k__ = 0; k__ < ${em.expr(s.count)}; k__++) ${s.kernel}_unconstrain(theta__, ${em.expr(s.offset)} + k__ * (${em.expr(s.freeSize)}), ${s.v.js}_views__[k__], ${sizes}, ${jsString(s.v.stanName)} + "[" + (k__ + 1) + "]");`,
        );
      }
      return;
    }
  }
}

export function single(s: Extract<LStmt, { k: "transform" | "untransform" }>): boolean {
  return s.count.k === "num" && s.count.text === "1";
}

/** A loop bound beside `<=` / `>=`: parenthesised unless arithmetic (which binds tighter). */
export function bound(em: Emitter, e: SExpr): string {
  const t = em.expr(e);
  const arithmetic = e.k === "neg" || (e.k === "bin" && (e.op === "+" || e.op === "-" || e.op === "*" || e.op === "/" || e.op === "%" || e.op === "%/%" || e.op === "^"));
  return isAtomic(t) || arithmetic ? t : `(${t})`;
}


