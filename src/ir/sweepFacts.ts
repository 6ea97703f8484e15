/**
 * Facts about sweep-IR code (./jsIr.ts) that the sweep optimisations (./hoistInvariantCalls.ts,
 * ./sharePureCalls.ts) share: which names an expression reads, which names a statement may
 * change, whether an expression is pure (only pure calls, src/primitives/purity.ts, and no tape
 * pop), fresh names no function uses yet, and a map over a `SweepModule`'s hot functions.
 *
 * What "may change" means in the sweep IR: program values and temporaries are JavaScript locals,
 * which only an assignment, `++`, a declaration or a loop variable changes; typed arrays are also
 * changed through calls — a method (`mu_adj__.fill(0)`) or an impure call that receives the array
 * (`normal_lpdf_vp(d3_1__, …)` writes its partial buffers). So every name an impure call receives
 * counts as written, which is conservative for the scalars among them.
 */
import { isPureFunction } from "../primitives/purity";
import type { JsExpr, JsStmt } from "./jsIr";

/** Calls `visit` on `e` and each of its subexpressions, parents first. */
export function forEachSubexpression(e: JsExpr, visit: (x: JsExpr) => void): void {
  visit(e);
  switch (e.k) {
    case "index":
      forEachSubexpression(e.array, visit);
      forEachSubexpression(e.at, visit);
      return;
    case "unary":
    case "quote":
      forEachSubexpression(e.e, visit);
      return;
    case "binary":
      forEachSubexpression(e.l, visit);
      forEachSubexpression(e.r, visit);
      return;
    case "cond":
      forEachSubexpression(e.c, visit);
      forEachSubexpression(e.t, visit);
      forEachSubexpression(e.f, visit);
      return;
    case "call":
    case "new":
      for (const a of e.args) forEachSubexpression(a, visit);
      return;
    case "lit":
    case "name":
    case "string":
    case "pop":
      return;
  }
}

/** The names `e` reads (scalars and arrays alike). */
export function namesRead(e: JsExpr, out: Set<string> = new Set()): Set<string> {
  forEachSubexpression(e, (x) => {
    if (x.k === "name") out.add(x.name);
  });
  return out;
}

/** Whether evaluating `e` changes nothing and cannot throw: pure calls only, no tape pop, no `new`. */
export function isPureExpression(e: JsExpr): boolean {
  let pure = true;
  forEachSubexpression(e, (x) => {
    if (x.k === "pop" || x.k === "new" || (x.k === "call" && !isPureFunction(x.fn))) pure = false;
  });
  return pure;
}

/** A call worth evaluating once: a pure function applied to a pure expression. */
export function isPureCall(e: JsExpr): e is Extract<JsExpr, { k: "call" }> {
  return e.k === "call" && isPureFunction(e.fn) && isPureExpression(e);
}

/** The names an expression may change when evaluated: the receivers of methods and the arguments of impure calls. */
function namesChangedBy(e: JsExpr, out: Set<string>): void {
  forEachSubexpression(e, (x) => {
    if (x.k === "pop") out.add("tp__");
    if (x.k !== "call" || isPureFunction(x.fn)) return;
    const dot = x.fn.indexOf(".");
    // a method changes its receiver (`mu_adj__.fill`); `Math.*`/`Number.*` are not methods of a local
    if (dot > 0 && !/^(Math|Number|String)\./.test(x.fn)) out.add(x.fn.slice(0, dot));
    for (const a of x.args) if (a.k === "name") out.add(a.name);
  });
}

/** The array or scalar an assignment target names (`mu`, `mu[i]`, `tape__[--tp__]`). */
function targetRoot(t: JsExpr): string | undefined {
  if (t.k === "name") return t.name;
  if (t.k === "index") return targetRoot(t.array);
  return undefined;
}

/** Every name the statements may change (declarations and loop variables included), nested statements too. */
export function namesWritten(stmts: readonly JsStmt[], out: Set<string> = new Set()): Set<string> {
  for (const s of stmts) {
    switch (s.k) {
      case "comment":
      case "jump":
        break;
      case "decl":
        out.add(s.name);
        namesChangedBy(s.init, out);
        break;
      case "assign": {
        const root = targetRoot(s.target);
        if (root !== undefined) out.add(root);
        namesChangedBy(s.target, out);
        namesChangedBy(s.value, out);
        break;
      }
      case "increment":
        out.add(s.name);
        break;
      case "effect":
        namesChangedBy(s.e, out);
        break;
      case "throw":
        // nothing after a throw runs, so what building its message changes is never read
        break;
      case "push":
        out.add("tape__");
        out.add("tp__");
        namesChangedBy(s.value, out);
        break;
      case "for":
        out.add(s.v);
        namesChangedBy(s.from, out);
        namesChangedBy(s.to, out);
        namesWritten(s.body, out);
        break;
      case "while":
        namesChangedBy(s.cond, out);
        namesWritten(s.body, out);
        break;
      case "if":
        namesChangedBy(s.cond, out);
        namesWritten(s.then, out);
        namesWritten(s.otherwise, out);
        break;
      case "block":
        namesWritten(s.body, out);
        break;
    }
  }
  return out;
}

/** Whether evaluating the statement's own expressions (not nested statements') calls something impure or pops the tape. */
export function callsImpure(s: JsStmt): boolean {
  return ownExpressions(s).some((e) => !isPureExpression(e));
}

/** The expressions a statement evaluates itself (a loop's bounds, an if's test), not its nested statements'. */
export function ownExpressions(s: JsStmt): JsExpr[] {
  switch (s.k) {
    case "decl":
      return [s.init];
    case "assign":
      return [s.target, s.value];
    case "effect":
    case "throw":
      return [s.e];
    case "push":
      return [s.value];
    case "for":
      return [s.from, s.to];
    case "while":
    case "if":
      return [s.cond];
    case "comment":
    case "jump":
    case "increment":
    case "block":
      return [];
  }
}

/** Every name declared, assigned or read anywhere in the statements (to choose fresh names). */
export function namesUsed(stmts: readonly JsStmt[], out: Set<string>): void {
  for (const s of stmts) {
    for (const e of ownExpressions(s)) namesRead(e, out);
    if (s.k === "decl" || s.k === "increment") out.add(s.name);
    if (s.k === "for") out.add(s.v);
    if (s.k === "for" || s.k === "while" || s.k === "block") namesUsed(s.body, out);
    if (s.k === "if") {
      namesUsed(s.then, out);
      namesUsed(s.otherwise, out);
    }
  }
}

/** `<hint><n>__` names that no code of the module uses, numbered from 1. */
export class SweepNames {
  private counter = 0;
  constructor(
    private readonly used: ReadonlySet<string>,
    private readonly hint: string,
  ) {}
  next(): string {
    let name: string;
    do name = `${this.hint}${++this.counter}__`;
    while (this.used.has(name));
    return name;
  }
}
