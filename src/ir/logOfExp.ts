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
    for (const [k, h] of holdsExp) if (touches(h.target, written)) holdsExp.delete(k);
    if (isExpAssign(r)) {
      const t = scalarTemp(`log_${r.lhs.v.js.replace(/__$/, "")}`);
      const call = r.rhs as Extract<SExpr, { k: "call" }>;
      out.push({ k: "assign", lhs: { v: t }, op: "=", rhs: call.args[0] as SExpr, loc: r.loc });
      out.push({ ...r, rhs: { ...call, args: [read(t)] } });
      const target = r.lhs.at ? read(r.lhs.v, r.lhs.at) : read(r.lhs.v);
      holdsExp.set(structuralKey(target), { target, log: t });
      continue;
    }
    out.push(r);
  }
  return out;
}

function isExpAssign(s: LStmt): s is Assign {
  return s.k === "assign" && s.op === "=" && s.rhs.k === "call" && s.rhs.fn === "exp" && s.rhs.args.length === 1 && s.rhs.args[0].k !== "whole";
}

function touches(e: SExpr, written: ReadonlySet<IrVar>): boolean {
  let hit = false;
  const visit = (x: SExpr) => {
    if (x.k === "read") {
      if (written.has(x.v)) hit = true;
      if (x.at) visit(x.at);
    }
  };
  visit(e);
  return hit;
}
