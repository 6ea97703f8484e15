/** Activity analysis: which variables depend on the parameters (a worklist to a fixpoint). */
import { type Arg, type IrVar, type LStmt, isActive } from "../ir/ir";

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

export function assignedVars(region: readonly LStmt[]): Set<IrVar> {
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
