/**
 * Division by a loop-invariant scalar inside a loop, `(y[n] - mu[n]) / sigma`, becomes a
 * multiplication by `1 / sigma` computed once before the loop (as Stan Math's densities do with
 * their `inv_sigma`). A division costs several multiplications; in a per-observation loop the
 * divisions of the value and of its adjoint statements (`g / sigma`, `g · x / sigma`) dominate.
 */
import { type IrVar, type LStmt, type SExpr, bin, exprIsInt, forEachRead, num, read } from "./ir";
import { collectWritten, mapExpr, mapStmt, structuralKey } from "./mapIr";

export function hoistReciprocals(stmts: readonly LStmt[], scalarTemp: (hint: string) => IrVar): LStmt[] {
  const out: LStmt[] = [];
  for (const s of stmts) {
    if (s.k === "if") {
      out.push({ ...s, then: hoistReciprocals(s.then, scalarTemp), otherwise: hoistReciprocals(s.otherwise, scalarTemp) });
      continue;
    }
    if (s.k !== "for") {
      out.push(s);
      continue;
    }
    const written = new Set<IrVar>([s.v]);
    collectWritten(s.body, written);
    const invariant = (d: SExpr): boolean => {
      if (exprIsInt(d) || d.k !== "read") return false;
      let ok = true;
      forEachRead(d, (v) => (ok &&= !written.has(v) && v.role !== "loop"));
      return ok;
    };
    const reciprocals = new Map<string, { readonly inv: IrVar; readonly divisor: SExpr }>();
    const rewrite = (e: SExpr): SExpr => mapExpr(e, (x) => {
      if (x.k !== "bin" || x.op !== "/" || x.isInt || !invariant(x.r)) return undefined;
      const key = structuralKey(x.r);
      let r = reciprocals.get(key);
      if (!r) {
        r = { inv: scalarTemp(`inv_${x.r.k === "read" ? x.r.v.js.replace(/__$/, "") : "d"}`), divisor: x.r };
        reciprocals.set(key, r);
      }
      return bin("*", rewrite(x.l), read(r.inv));
    });
    const body = perIterationReciprocals(hoistReciprocals(s.body.map((t) => mapStmt(t, rewrite)), scalarTemp), scalarTemp);
    for (const { inv, divisor } of reciprocals.values())
      out.push({ k: "assign", lhs: { v: inv }, op: "=", rhs: bin("/", num("1.0"), divisor), loc: s.loc });
    out.push({ ...s, body });
  }
  return out;
}

/**
 * In one loop body: a divisor the iteration computes (`sigma[n] = exp(…)`, then `… / sigma[n]`
 * in later statements) gets its reciprocal right after its last assignment, so the iteration
 * divides once; its adjoint then needs no division either (∂(1/r)/∂r = −(1/r)²).
 */
function perIterationReciprocals(body: readonly LStmt[], scalarTemp: (hint: string) => IrVar): LStmt[] {
  const lastWrite = new Map<IrVar, number>();
  body.forEach((t, k) => {
    const w = new Set<IrVar>();
    collectWritten([t], w);
    for (const v of w) lastWrite.set(v, k);
  });
  // the statement after which each divisor is final (undefined: not computed in the body)
  const readyAfter = (d: SExpr): number | undefined => {
    let at: number | undefined;
    forEachRead(d, (v) => {
      const k = lastWrite.get(v);
      if (k !== undefined) at = Math.max(at ?? -1, k);
    });
    return at;
  };
  const found = new Map<string, { readonly after: number; readonly inv: IrVar; readonly divisor: SExpr }>();
  const rewritten = body.map((t, k) => {
    if (t.k !== "assign" && t.k !== "target") return t;
    const rewrite = (e: SExpr): SExpr =>
      mapExpr(e, (x) => {
        if (x.k !== "bin" || x.op !== "/" || x.isInt || exprIsInt(x.r) || x.r.k !== "read") return undefined;
        const after = readyAfter(x.r);
        if (after === undefined || after >= k) return undefined;
        const key = structuralKey(x.r);
        let r = found.get(key);
        if (!r) {
          r = { after, inv: scalarTemp(`inv_${x.r.v.js.replace(/__$/, "")}`), divisor: x.r };
          found.set(key, r);
        }
        return bin("*", rewrite(x.l), read(r.inv));
      });
    return mapStmt(t, rewrite);
  });
  if (found.size === 0) return rewritten;
  // each statement's reciprocals, found in order (grouped once, not searched per statement)
  const readyAt = new Map<number, { readonly inv: IrVar; readonly divisor: SExpr }[]>();
  for (const r of found.values()) {
    const list = readyAt.get(r.after);
    if (list) list.push(r);
    else readyAt.set(r.after, [r]);
  }
  const out: LStmt[] = [];
  rewritten.forEach((t, k) => {
    out.push(t);
    for (const r of readyAt.get(k) ?? []) out.push({ k: "assign", lhs: { v: r.inv }, op: "=", rhs: bin("/", num("1.0"), r.divisor) });
  });
  return out;
}
