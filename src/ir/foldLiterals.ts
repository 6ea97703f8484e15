/**
 * Exact folds of literal arithmetic in the sweep IR, so that a rule's formula applied to a literal
 * argument does not leave a call behind: the partial of `pow(x, 2)`, `y · pow(x, y − 1)`, is
 * built as `2 * pow(x, 2 - 1)`, which called pow's general path — a call V8 does not inline, with
 * boxed doubles — twice per observation in GARCH's variance recursion. Folded: `2 * x`.
 *
 * Only folds that give the same bits: `+`, `−`, `×` of two integer literals whose result is an
 * integer below 2^53 in magnitude (exact in doubles), and `pow(x, 1)` → `x` (x^1 is x for every
 * double, NaN included, in JavaScript's semantics and in src/runtime/math/elementary/pow.ts).
 */
import { type JsExpr, type JsStmt, jsLit } from "./jsIr";
import { mapJsExpr, mapSweepExprs } from "./sweepRewrite";

export function foldLiterals(stmts: readonly JsStmt[]): JsStmt[] {
  return mapSweepExprs(stmts, fold);
}

const INTEGER = /^-?\d+$/;

function integerValue(e: JsExpr): number | undefined {
  if (e.k === "lit" && INTEGER.test(e.text)) return Number(e.text);
  if (e.k === "unary" && e.op === "-" && e.e.k === "lit" && INTEGER.test(e.e.text)) return -Number(e.e.text);
  return undefined;
}

/** `e` folded bottom-up (undefined: nothing to fold here or below, leave it). */
function fold(e: JsExpr): JsExpr | undefined {
  if (e.k === "binary" && (e.op === "+" || e.op === "-" || e.op === "*")) {
    const l = mapJsExpr(e.l, fold);
    const r = mapJsExpr(e.r, fold);
    const a = integerValue(l);
    const b = integerValue(r);
    if (a !== undefined && b !== undefined) {
      const v = e.op === "+" ? a + b : e.op === "-" ? a - b : a * b;
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return jsLit(String(v));
    }
    return { ...e, l, r };
  }
  if (e.k === "call" && e.fn === "pow" && e.args.length === 2) {
    const x = mapJsExpr(e.args[0], fold);
    const y = mapJsExpr(e.args[1], fold);
    if (integerValue(y) === 1) return x;
    return { ...e, args: [x, y] };
  }
  return undefined;
}
