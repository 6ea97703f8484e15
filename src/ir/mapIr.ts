/** Expression and statement rewriting and traversal helpers shared by the IR passes. */
import type { IrVar, LStmt, SExpr } from "./ir";
import { jsKey } from "./jsIr";
import { toJs } from "./toJsIr";

const KEY = { name: (v: IrVar) => `${v.js}#${v.id}`, dims: () => [] };

/** A text that is equal for two expressions exactly when they compute the same thing the same way. */
export function structuralKey(e: SExpr): string {
  return jsKey(toJs(e, KEY));
}

/** Rewrites expressions bottom-up where `f` returns a replacement (it must recurse itself). */
export function mapExpr(e: SExpr, f: (e: SExpr) => SExpr | undefined): SExpr {
  const r = f(e);
  if (r !== undefined) return r;
  const m = (x: SExpr) => mapExpr(x, f);
  switch (e.k) {
    case "num":
      return e;
    case "read":
      return e.at ? { ...e, at: m(e.at) } : e;
    case "bin":
      return { ...e, l: m(e.l), r: m(e.r) };
    case "neg":
    case "not":
      return { ...e, e: m(e.e) };
    case "cond":
      return { ...e, c: m(e.c), t: m(e.t), f: m(e.f) };
    case "call":
      return { ...e, args: e.args.map((a) => (a.k === "whole" ? a : m(a))) };
    case "guard":
      return { ...e, deps: e.deps.map((a) => (a.k === "whole" ? a : m(a))), e: m(e.e) };
  }
}

export function mapStmt(s: LStmt, f: (e: SExpr) => SExpr): LStmt {
  switch (s.k) {
    case "assign":
      return { ...s, lhs: s.lhs.at ? { v: s.lhs.v, at: f(s.lhs.at) } : s.lhs, rhs: f(s.rhs) };
    case "target":
      return { ...s, e: f(s.e) };
    case "for":
      return { ...s, body: s.body.map((b) => mapStmt(b, f)) };
    case "while":
      return { ...s, cond: f(s.cond), body: s.body.map((b) => mapStmt(b, f)) };
    case "if":
      return { ...s, cond: f(s.cond), then: s.then.map((b) => mapStmt(b, f)), otherwise: s.otherwise.map((b) => mapStmt(b, f)) };
    case "draw":
      return { ...s, args: s.args.map((a) => (a.k === "whole" ? a : f(a))) };
    default:
      // argument checks and messages keep their divisions: they run only on the error path
      return s;
  }
}

/** Every variable the statements write (assignment targets, loop variables, transforms, fills). */
export function collectWritten(stmts: readonly LStmt[], out: Set<IrVar>): void {
  for (const s of stmts) {
    switch (s.k) {
      case "assign":
        out.add(s.lhs.v);
        break;
      case "for":
        out.add(s.v);
        collectWritten(s.body, out);
        break;
      case "while":
        collectWritten(s.body, out);
        break;
      case "if":
        collectWritten(s.then, out);
        collectWritten(s.otherwise, out);
        break;
      case "transform":
      case "untransform":
      case "alloc":
      case "fill":
        out.add(s.v);
        break;
      case "draw":
        out.add(s.out);
        break;
      default:
        break;
    }
  }
}

/** Every expression of the statements, index expressions included. */
export function walkExprs(stmts: readonly LStmt[], f: (e: SExpr) => void): void {
  for (const s of stmts) {
    switch (s.k) {
      case "assign":
        if (s.lhs.at) f(s.lhs.at);
        f(s.rhs);
        break;
      case "target":
        f(s.e);
        break;
      case "for":
        f(s.lo);
        f(s.hi);
        walkExprs(s.body, f);
        break;
      case "while":
        f(s.cond);
        walkExprs(s.body, f);
        break;
      case "if":
        f(s.cond);
        walkExprs(s.then, f);
        walkExprs(s.otherwise, f);
        break;
      case "check":
        f(s.cond);
        for (const m of s.message) if (typeof m !== "string") f(m);
        break;
      case "print":
      case "reject":
      case "fatal":
        for (const m of s.args) if (typeof m !== "string") f(m);
        break;
      case "transform":
      case "untransform":
        f(s.offset);
        break;
      case "draw":
        for (const a of s.args) if (a.k !== "whole") f(a);
        break;
      default:
        break;
    }
  }
}
