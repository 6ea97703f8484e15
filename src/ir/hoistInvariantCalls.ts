/**
 * Loop-invariant code motion of pure calls, on the sweep IR (after reverse mode): a call of a pure
 * function (src/primitives/purity.ts) inside a loop whose arguments read nothing the loop changes
 * — `log(sigma_y)` in a per-observation likelihood, `lgamma(phi)` and `digamma(phi)` in a
 * negative-binomial one, in the value as in its adjoint — is computed once before the loop into a
 * `const inv<n>__` and the loop reads that name. V8 does this itself for `Math.log`; it cannot for
 * the deterministic functions, which are JavaScript calls it knows nothing about.
 *
 * Runs after `differentiate`, so the parameters' calls are hoisted as well as the data's
 * (`hoist-data-calls` moves data-only work to transformed data before reverse mode), and the
 * adjoint code needs no special care: hoisting changes where a value is computed, not which, and
 * the adjoint statements that read it (`sigma_adj__ += g * (1 / sigma)`) stay in the loop.
 *
 * Inner loops first: what an inner loop hoists lands in the outer loop's body and moves on out
 * when the outer loop does not change its arguments either. A call is hoisted from anywhere in the
 * body — a branch, the right of `&&`, the untaken side of `?:` — because a pure call cannot throw
 * and changes nothing: computing it once more than written costs one call per loop, not per
 * iteration. Same values, same bits: the draws do not change.
 */
import { type JsExpr, type JsStmt, jsKey, jsName } from "./jsIr";
import { isPureCall, namesRead, namesWritten } from "./sweepFacts";
import { mapSweepExprs } from "./sweepRewrite";

export function hoistInvariantCalls(stmts: readonly JsStmt[], fresh: () => string): JsStmt[] {
  return hoistFromLoops(stmts, fresh, new Set());
}

/** `hoisted`: the declarations this pass made (moved further out when they are invariant there too). */
function hoistFromLoops(stmts: readonly JsStmt[], fresh: () => string, hoisted: Set<JsStmt>): JsStmt[] {
  const out: JsStmt[] = [];
  for (const s of stmts) {
    switch (s.k) {
      case "for":
      case "while": {
        const body = hoistFromLoops(s.body, fresh, hoisted);
        const { before, loop } = hoistFromLoop({ ...s, body }, fresh, hoisted);
        out.push(...before, loop);
        break;
      }
      case "if":
        out.push({ ...s, then: hoistFromLoops(s.then, fresh, hoisted), otherwise: hoistFromLoops(s.otherwise, fresh, hoisted) });
        break;
      case "block":
        out.push({ ...s, body: hoistFromLoops(s.body, fresh, hoisted) });
        break;
      default:
        out.push(s);
    }
  }
  return out;
}

type Loop = Extract<JsStmt, { k: "for" | "while" }>;

function hoistFromLoop(loop: Loop, fresh: () => string, hoisted: Set<JsStmt>): { before: JsStmt[]; loop: Loop } {
  // Declarations an inner loop hoisted into this body are consts of one value each: they leave
  // with the loop's invariants when their own arguments are invariant here.
  const innerHoisted = loop.body.filter((s) => hoisted.has(s));
  const changed = namesWritten(loop.body.filter((s) => !hoisted.has(s)));
  if (loop.k === "for") changed.add(loop.v);
  const before: JsStmt[] = [];
  // inner loops' hoisted constants that must stay: their arguments change in this loop
  const staying = new Set<string>();
  for (const s of innerHoisted) {
    if (s.k !== "decl") continue;
    if ([...namesRead(s.init)].some((n) => changed.has(n) || staying.has(n))) staying.add(s.name);
    else before.push(s);
  }
  const movedOut = new Set(before);
  const variant = (n: string) => changed.has(n) || staying.has(n);
  const invariantNames = new Map<string, string>();
  const replace = (e: JsExpr): JsExpr | undefined => {
    if (!isPureCall(e) || [...namesRead(e)].some(variant)) return undefined;
    const key = jsKey(e);
    let name = invariantNames.get(key);
    if (name === undefined) {
      name = fresh();
      invariantNames.set(key, name);
      const decl: JsStmt = { k: "decl", kind: "const", name, init: e };
      hoisted.add(decl);
      before.push(decl);
    }
    return jsName(name);
  };
  const body = mapSweepExprs(
    loop.body.filter((s) => !movedOut.has(s)),
    replace,
  );
  return { before, loop: { ...loop, body } };
}
