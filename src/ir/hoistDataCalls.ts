/**
 * Subexpressions of the density code that read only data and call a function — a brms prior's
 * truncation constant `student_t_lccdf(0 | 3, 0, 2.5)`, a density's `lgamma((nu + 1) / 2)` for
 * data `nu` — are computed once at data load, as transformed-data constants, instead of on every
 * evaluation (each call also boxed its result).
 */
import { type IrVar, type LStmt, type SExpr, exprIsInt, read } from "./ir";
import { mapExpr, mapStmt } from "./mapIr";
import { RNG_RULES } from "../primitives/registry";

export interface Hoisted {
  readonly stmts: LStmt[];
  /** Transformed-data constants to append, in order. */
  readonly constants: LStmt[];
}

export function hoistDataCalls(stmts: readonly LStmt[], constant: (isInt: boolean) => IrVar): Hoisted {
  const facts = exprFacts();
  const constants: LStmt[] = [];
  const byKey = new Map<string, IrVar>();
  let lastComment: LStmt | undefined;
  const hoist = (s: LStmt) => (e: SExpr): SExpr =>
    mapExpr(e, (x) => {
      if (x.k === "guard") return x; // a term `~` may drop: its value is never needed then
      // a division that may throw stays where the program evaluates it (it may be guarded)
      if (x.k === "num" || x.k === "read") return undefined;
      const f = facts(x);
      if (!f.dataOnly || f.callFree || f.checkedDivision) return undefined;
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

/** What the pass asks of a subexpression. */
interface Facts {
  /** It reads only data and transformed data, and draws no random numbers (`dataOnly`). */
  readonly dataOnly: boolean;
  /** It calls nothing (`callFree`). */
  readonly callFree: boolean;
  /** It divides integers in the program's own checked way (`hasCheckedDivision`). */
  readonly checkedDivision: boolean;
}

const isDataVar = (v: IrVar) => v.role === "data" || v.role === "transformed data";

/**
 * The facts of each subexpression, computed bottom-up once and remembered per node. The pass
 * asks them of every node on its way down; asking `dataOnly`, `callFree` and
 * `hasCheckedDivision` there walked every subtree again, quadratic in a long sum's terms.
 */
function exprFacts(): (e: SExpr) => Facts {
  const memo = new Map<SExpr, Facts>();
  const all = (parts: readonly Facts[], own: Facts): Facts => ({
    dataOnly: own.dataOnly && parts.every((p) => p.dataOnly),
    callFree: own.callFree && parts.every((p) => p.callFree),
    checkedDivision: own.checkedDivision || parts.some((p) => p.checkedDivision),
  });
  const LEAF: Facts = { dataOnly: true, callFree: true, checkedDivision: false };
  const wholeFacts = (v: IrVar): Facts => ({ dataOnly: isDataVar(v), callFree: true, checkedDivision: false });
  const factsOf = (e: SExpr): Facts => {
    const known = memo.get(e);
    if (known) return known;
    let f: Facts;
    switch (e.k) {
      case "num":
        f = LEAF;
        break;
      case "read":
        f = all(e.at ? [factsOf(e.at)] : [], { ...LEAF, dataOnly: isDataVar(e.v) });
        break;
      case "bin":
        f = all([factsOf(e.l), factsOf(e.r)], { ...LEAF, checkedDivision: e.checked === true });
        break;
      case "neg":
      case "not":
        f = factsOf(e.e);
        break;
      case "cond":
        f = all([factsOf(e.c), factsOf(e.t), factsOf(e.f)], LEAF);
        break;
      case "call":
        f = all(
          e.args.map((a) => (a.k === "whole" ? wholeFacts(a.v) : factsOf(a))),
          { dataOnly: !RNG_RULES.has(e.fn) && e.fn !== "format_container__", callFree: false, checkedDivision: false },
        );
        break;
      case "guard":
        // a term `~` may drop is never data-only
        f = { ...factsOf(e.e), dataOnly: false };
        break;
    }
    memo.set(e, f);
    return f;
  };
  return factsOf;
}
