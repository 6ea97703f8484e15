/**
 * Rewriting sweep IR (./jsIr.ts): a top-down map over the expressions of statements, and the
 * application of a statement-list rewrite to the functions of a `SweepModule` that run per
 * gradient — the sweep optimisations' common frame (./hoistInvariantCalls.ts, ./sharePureCalls.ts).
 */
import type { SweepModule } from "../ad/differentiate";
import type { JsExpr, JsStmt } from "./jsIr";
import { SweepNames, namesUsed } from "./sweepFacts";

/**
 * `e` with `replace` applied top-down: where it returns an expression that replaces the
 * subexpression whole, where it returns undefined the children are visited.
 */
export function mapJsExpr(e: JsExpr, replace: (x: JsExpr) => JsExpr | undefined): JsExpr {
  const r = replace(e);
  if (r !== undefined) return r;
  const m = (x: JsExpr) => mapJsExpr(x, replace);
  switch (e.k) {
    case "index":
      return { ...e, array: m(e.array), at: m(e.at) };
    case "unary":
      return { ...e, e: m(e.e) };
    case "quote":
      return e;
    case "binary":
      return { ...e, l: m(e.l), r: m(e.r) };
    case "cond":
      return { ...e, c: m(e.c), t: m(e.t), f: m(e.f) };
    case "call":
      return { ...e, args: e.args.map(m) };
    case "new":
      return { ...e, args: e.args.map(m) };
    case "lit":
    case "name":
    case "string":
    case "pop":
      return e;
  }
}

/**
 * Every expression of the statements, nested statements included, mapped by `replace` (see
 * mapJsExpr). A `throw`'s message is left alone (it runs once, on failure), and so are a `while`
 * loop's condition and a `for` loop's bounds, which the loop evaluates anew each time round.
 */
export function mapSweepExprs(stmts: readonly JsStmt[], replace: (x: JsExpr) => JsExpr | undefined): JsStmt[] {
  const m = (x: JsExpr) => mapJsExpr(x, replace);
  return stmts.map((s): JsStmt => {
    switch (s.k) {
      case "decl":
        return { ...s, init: m(s.init) };
      case "assign":
        return { ...s, target: s.target.k === "index" ? { ...s.target, at: m(s.target.at) } : s.target, value: m(s.value) };
      case "effect":
        return { ...s, e: m(s.e) };
      case "push":
        return { ...s, value: m(s.value) };
      case "for":
      case "while":
      case "block":
        return { ...s, body: mapSweepExprs(s.body, replace) };
      case "if":
        return { ...s, cond: m(s.cond), then: mapSweepExprs(s.then, replace), otherwise: mapSweepExprs(s.otherwise, replace) };
      case "comment":
      case "jump":
      case "increment":
      case "throw":
        return s;
    }
  });
}

/**
 * `rewrite` applied to the code that runs per evaluation of the density: `logDensity` and the
 * gradient's forward and adjoint sweeps, each a separate scope (the forward sweep sits in a
 * `try`). `fresh` gives `<hint><n>__` names no code of the module uses.
 */
export function rewriteDensityCode(
  m: SweepModule,
  hint: string,
  rewrite: (stmts: readonly JsStmt[], fresh: () => string) => JsStmt[],
): SweepModule {
  const used = new Set<string>();
  for (const stmts of [
    m.transformedData,
    m.logDensity.locals,
    m.logDensity.body,
    m.gradient.locals,
    m.gradient.zeroAdjoints,
    m.gradient.body,
    m.gradient.adjoint,
    m.writeConstrained.locals,
    m.writeConstrained.body,
    m.writeConstrained.derived,
    m.unconstrain.locals,
    ...m.unconstrain.perParameter,
  ])
    namesUsed(stmts, used);
  for (const v of m.program.vars) used.add(v.js);
  const names = new SweepNames(used, hint);
  const fresh = () => names.next();
  return {
    ...m,
    logDensity: { ...m.logDensity, body: rewrite(m.logDensity.body, fresh) },
    gradient: { ...m.gradient, body: rewrite(m.gradient.body, fresh), adjoint: rewrite(m.gradient.adjoint, fresh) },
  };
}
