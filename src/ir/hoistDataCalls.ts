/**
 * Subexpressions of the density code that read only data and call a function — a brms prior's
 * truncation constant `student_t_lccdf(0 | 3, 0, 2.5)`, a density's `lgamma((nu + 1) / 2)` for
 * data `nu` — are computed once at data load, as transformed-data constants, instead of on every
 * evaluation (each call also boxed its result).
 */
import { type IrVar, type LStmt, type SExpr, callFree, exprIsInt, forEachRead, hasCheckedDivision, read } from "./ir";
import { mapExpr, mapStmt } from "./mapIr";
import { RNG_RULES } from "../primitives/registry";

export interface Hoisted {
  readonly stmts: LStmt[];
  /** Transformed-data constants to append, in order. */
  readonly constants: LStmt[];
}

export function hoistDataCalls(stmts: readonly LStmt[], constant: (isInt: boolean) => IrVar): Hoisted {
  const constants: LStmt[] = [];
  const byKey = new Map<string, IrVar>();
  let lastComment: LStmt | undefined;
  const hoist = (s: LStmt) => (e: SExpr): SExpr =>
    mapExpr(e, (x) => {
      if (x.k === "guard") return x; // a term `~` may drop: its value is never needed then
      // a division that may throw stays where the program evaluates it (it may be guarded)
      if (x.k === "num" || x.k === "read" || !dataOnly(x) || callFree(x) || hasCheckedDivision(x)) return undefined;
      const key = JSON.stringify(x, (k, v) => (k === "v" ? `${v.id}` : k === "span" || k === "site" ? undefined : v));
      let v = byKey.get(key);
      if (!v) {
        v = constant(exprIsInt(x));
        byKey.set(key, v);
        // labelled with the Stan line it comes from (once per line)
        if (s.loc && !(lastComment && lastComment.k === "comment" && lastComment.loc === s.loc)) {
          lastComment = { k: "comment", loc: s.loc };
          constants.push(lastComment);
        }
        constants.push({ k: "alloc", v, init: x, loc: s.loc });
      }
      return read(v);
    });
  const visit = (list: readonly LStmt[]): LStmt[] =>
    list.map((s) => {
      if (s.k === "for" || s.k === "while") return { ...mapStmt({ ...s, body: [] }, hoist(s)), body: visit(s.body) } as LStmt;
      if (s.k === "if") return { ...mapStmt({ ...s, then: [], otherwise: [] }, hoist(s)), then: visit(s.then), otherwise: visit(s.otherwise) } as LStmt;
      if (s.k === "assign" || s.k === "target") return mapStmt(s, hoist(s));
      return s;
    });
  return { stmts: visit(stmts), constants };
}

function dataOnly(e: SExpr): boolean {
  let ok = true;
  forEachRead(e, (v) => (ok &&= v.role === "data" || v.role === "transformed data"));
  const visit = (x: SExpr): void => {
    if (x.k === "call") {
      if (RNG_RULES.has(x.fn) || x.fn === "format_container__") ok = false;
      for (const a of x.args) if (a.k !== "whole") visit(a);
    } else if (x.k === "bin") {
      visit(x.l);
      visit(x.r);
    } else if (x.k === "neg" || x.k === "not") visit(x.e);
    else if (x.k === "cond") {
      visit(x.c);
      visit(x.t);
      visit(x.f);
    } else if (x.k === "guard") ok = false;
    else if (x.k === "read" && x.at) visit(x.at);
  };
  visit(e);
  return ok;
}
