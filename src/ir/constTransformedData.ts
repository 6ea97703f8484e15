/**
 * Transformed-data scalars assigned exactly once (`int Kc = K - 1;`) become JS `const`s bound at
 * that assignment. A `let` captured by the model's closures is a mutable context slot that V8
 * reloads on every use inside the hot loops; a `const` is loaded once and its loop bounds hoisted.
 */
import { type IrVar, type LStmt, forEachRead } from "./ir";
import { walkExprs } from "./mapIr";

export function constTransformedScalars(stmts: readonly LStmt[]): LStmt[] {
  const assignments = new Map<IrVar, number>();
  const countAssigns = (list: readonly LStmt[]) => {
    for (const s of list) {
      if (s.k === "assign") assignments.set(s.lhs.v, (assignments.get(s.lhs.v) ?? 0) + 1);
      else if (s.k === "for" || s.k === "while") countAssigns(s.body);
      else if (s.k === "if") {
        countAssigns(s.then);
        countAssigns(s.otherwise);
      }
    }
  };
  countAssigns(stmts);
  // scalars whose one assignment is a top-level `=` that no earlier statement reads around
  const once = new Set<IrVar>();
  const readSoFar = new Set<IrVar>();
  for (const s of stmts) {
    if (s.k === "assign" && s.lhs.at === undefined && s.op === "=" && s.lhs.v.dims.length === 0 && assignments.get(s.lhs.v) === 1) {
      let selfRead = false;
      forEachRead(s.rhs, (v) => (selfRead ||= v === s.lhs.v));
      if (!selfRead && !readSoFar.has(s.lhs.v)) once.add(s.lhs.v);
    }
    readsOf(s, readSoFar);
  }
  if (once.size === 0) return [...stmts];
  return stmts.flatMap((s): LStmt[] => {
    if (s.k === "alloc" && once.has(s.v)) return [];
    if (s.k === "assign" && s.lhs.at === undefined && once.has(s.lhs.v)) return [{ k: "alloc", v: s.lhs.v, init: s.rhs, loc: s.loc }];
    return [s];
  });
}

function readsOf(s: LStmt, out: Set<IrVar>): void {
  walkExprs([s], (e) => forEachRead(e, (v) => out.add(v)));
}
