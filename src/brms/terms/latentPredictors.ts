/**
 * brms's special terms with a latent variable (brms 2.18): `mi(x)`, a predictor that is itself a
 * response with missing values (`bf(x | mi() ~ …)`), entering mu as `Yl_x[n]` (the observed values with
 * the imputed ones filled in); and `me(x, sdx)`, a predictor measured with known error, entering as the
 * latent `Xme_k[n]` (terms/measurementError.ts builds its pieces). Both are special terms like mo():
 * one coefficient `bsp[k]` per term, interactions with data variables through `Csp` covariates.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import { deparseR, type RExpr } from "../rAst";

/** A latent factor of a special term. */
export type LatentFactor =
  | { readonly kind: "mi"; readonly variable: string; readonly span: Span }
  /** `key` identifies the me() call (`me(xn, sdx)`): the same call in several terms is one latent variable. */
  | { readonly kind: "me"; readonly variable: string; readonly sd: string; readonly key: string; readonly span: Span };

type Call = Extract<RExpr, { kind: "Call" }>;

export function isLatentCall(e: RExpr): e is Call {
  return e.kind === "Call" && e.fn.kind === "Name" && (e.fn.name === "mi" || e.fn.name === "me");
}

/** mi(x) or me(x, sdx) of data columns; other arguments (me()'s gr =) and expressions are refused. */
export function latentFactor(call: Call): LatentFactor {
  const fn = (call.fn as Extract<RExpr, { kind: "Name" }>).name;
  const name = (arg: RExpr | undefined, what: string): string => {
    if (!arg || arg.kind !== "Name") {
      fail("Semantic error", arg?.span ?? call.span, `'${deparseR(call)}' is not supported: stan2ts takes ${fn}() of data columns, as in ${fn === "mi" ? "mi(x)" : "me(x, sdx)"}.`, [
        `Give ${what} as a column of the data (compute it with mutate() first).`,
      ]);
    }
    return arg.name;
  };
  const named = call.args.find((a) => a.name !== undefined && !(fn === "me" && (a.name === "x" || a.name === "sdx")));
  if (named) {
    const why = named.name === "gr" ? "me(x, sdx, gr = g) (latent values shared within groups) is not supported by stan2ts yet." : `${fn}() argument '${named.name}' is not supported.`;
    fail("Semantic error", named.nameSpan ?? named.span, why);
  }
  if (fn === "mi") {
    if (call.args.length !== 1) fail("Semantic error", call.span, "mi() in a formula takes one variable, the response of another formula with mi(): bf(y ~ mi(x)) + bf(x | mi() ~ …).");
    return { kind: "mi", variable: name(call.args[0].value, "the variable"), span: call.span };
  }
  const x = call.args.find((a) => a.name === "x") ?? call.args.find((a) => a.name === undefined);
  const sdx = call.args.find((a) => a.name === "sdx") ?? call.args.filter((a) => a.name === undefined)[x?.name === undefined ? 1 : 0];
  if (call.args.length !== 2 || !x || !sdx) fail("Semantic error", call.span, "me() needs the noisy values and their known sd: me(x, sdx).");
  const variable = name(x.value, "the noisy values");
  const sd = name(sdx.value, "the measurement sd");
  return { kind: "me", variable, sd, key: `${variable}|${sd}`, span: call.span };
}
