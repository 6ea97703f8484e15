/**
 * `log(x)` where the same loop iteration just set `x = exp(t)` reads `t` instead: a location-scale
 * model's `sigma = exp(sigma)` followed by `normal_lpdf(y | mu, sigma)` (whose `-log(sigma)` term
 * would undo the exp) then pays one `exp` per observation instead of an `exp` and a `log`.
 * Where `exp(t)` overflowed the term still reads `log(x)` (= inf), so the density and its
 * argument checks behave as Stan's.
 */
import { type IrVar, type LStmt, type SExpr, bin, num, read } from "./ir";
import { collectWritten, mapExpr, mapStmt, structuralKey } from "./mapIr";

type Assign = Extract<LStmt, { k: "assign" }>;

export function logOfExp(stmts: readonly LStmt[], scalarTemp: (hint: string) => IrVar): LStmt[] {
  return stmts.map((s) => {
    if (s.k === "for") return { ...s, body: rewriteBody(logOfExp(s.body, scalarTemp), scalarTemp) };
    if (s.k === "if") return { ...s, then: logOfExp(s.then, scalarTemp), otherwise: logOfExp(s.otherwise, scalarTemp) };
    return s;
  });
}

/** One loop body, in order: tracks which elements currently hold exp(t) of a temporary t. */
function rewriteBody(body: readonly LStmt[], scalarTemp: (hint: string) => IrVar): LStmt[] {
  const holdsExp = new Map<string, { readonly target: SExpr; readonly log: IrVar }>();
  // the keys of holdsExp whose target reads each variable: a write drops only those
  const heldReading = new Map<IrVar, Set<string>>();
  const out: LStmt[] = [];
  const rewrite = (e: SExpr): SExpr =>
    mapExpr(e, (x) => {
      if (x.k !== "call" || x.fn !== "log" || x.args.length !== 1) return undefined;
      const arg = x.args[0];
      if (arg.k === "whole") return undefined;
      const held = holdsExp.get(structuralKey(arg));
      if (!held) return undefined;
      // log(exp(t)) = t while exp(t) is finite
      return { k: "cond", c: bin("<", arg, num("Infinity")), t: read(held.log), f: x, isInt: false };
    });
  for (const s of body) {
    const r = s.k === "comment" || s.k === "check" ? s : mapStmt(s, rewrite);
    // any write invalidates what it overwrites (and anything indexed by what it writes)
    const written = new Set<IrVar>();
    collectWritten([r], written);
    for (const v of written) {
      for (const k of heldReading.get(v) ?? []) holdsExp.delete(k);
      heldReading.delete(v);
    }
    if (isExpAssign(r)) {
      const t = scalarTemp(`log_${r.lhs.v.js.replace(/__$/, "")}`);
      const call = r.rhs as Extract<SExpr, { k: "call" }>;
      out.push({ k: "assign", lhs: { v: t }, op: "=", rhs: call.args[0] as SExpr, loc: r.loc });
      out.push({ ...r, rhs: { ...call, args: [read(t)] } });
      const target = r.lhs.at ? read(r.lhs.v, r.lhs.at) : read(r.lhs.v);
      const key = structuralKey(target);
      holdsExp.set(key, { target, log: t });
      forEachTargetVar(target, (v) => {
        const keys = heldReading.get(v);
        if (keys) keys.add(key);
        else heldReading.set(v, new Set([key]));
      });
      continue;
    }
    out.push(r);
  }
  return out;
}

function isExpAssign(s: LStmt): s is Assign {
  return s.k === "assign" && s.op === "=" && s.rhs.k === "call" && s.rhs.fn === "exp" && s.rhs.args.length === 1 && s.rhs.args[0].k !== "whole";
}

/** The variables of a target `x` or `x[i]` (with those its index reads through nested reads). */
function forEachTargetVar(e: SExpr, visit: (v: IrVar) => void): void {
  if (e.k !== "read") return;
  visit(e.v);
  if (e.at) forEachTargetVar(e.at, visit);
}
