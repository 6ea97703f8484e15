/**
 * Division by a loop-invariant scalar inside a loop, `(y[n] - mu[n]) / sigma`, becomes a
 * multiplication by `1 / sigma` computed once before the loop (as Stan Math's densities do with
 * their `inv_sigma`). A division costs several multiplications; in a per-observation loop the
 * divisions of the value and of its adjoint statements (`g / sigma`, `g · x / sigma`) dominate.
 */
import { type IrVar, type LStmt, type SExpr, bin, exprIsInt, forEachRead, num, read } from "./ir";
import { mapExpr, mapStmt } from "./mapIr";

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
      const key = divisorKey(x.r);
      let r = reciprocals.get(key);
      if (!r) {
        r = { inv: scalarTemp(`inv_${x.r.k === "read" ? x.r.v.js.replace(/__$/, "") : "d"}`), divisor: x.r };
        reciprocals.set(key, r);
      }
      return bin("*", rewrite(x.l), read(r.inv));
    });
    const body = hoistReciprocals(s.body.map((t) => mapStmt(t, rewrite)), scalarTemp);
    for (const { inv, divisor } of reciprocals.values())
      out.push({ k: "assign", lhs: { v: inv }, op: "=", rhs: bin("/", num("1.0"), divisor), loc: s.loc });
    out.push({ ...s, body });
  }
  return out;
}

function divisorKey(e: SExpr): string {
  if (e.k !== "read") return "";
  return e.at ? `${e.v.id}[${JSON.stringify(e.at)}]` : `${e.v.id}`;
}

function collectWritten(stmts: readonly LStmt[], out: Set<IrVar>): void {
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
      default:
        break;
    }
  }
}
