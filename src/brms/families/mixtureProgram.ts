/**
 * The Stan pieces a brms mixture (families/mixture.ts) adds around its dpars, read from a built
 * response: the simplex theta and its data con_theta, the ordered mu intercepts, theta<k>. Kept apart
 * from the family so that building a family does not depend on the built model.
 */
import type { Stmt } from "../../ast/ast";
import * as b from "../stanBuilders";
import type { Predictor, ResponseInfo } from "../buildModel";
import { thetaName } from "./mixture";


/** The response's mixture, when its proportions are the simplex `theta` (no theta formula). */
export function mixtureSimplexSize(r: ResponseInfo): number | undefined {
  const mixture = r.family.spec.mixture;
  if (!mixture) return undefined;
  return r.dpars.some((p) => /^theta\d+$/.test(p.dpar)) ? undefined : mixture.size;
}

/** With `order = "mu"` the intercept of mu<k> is `ordered_Intercept[k]`, no parameter of its own. */
export function isOrderedIntercept(r: ResponseInfo, p: Predictor): boolean {
  return r.family.spec.mixture?.ordered === true && r.family.spec.dpars.some((d) => d.name === p.dpar && d.componentMu) && p.intercept;
}

/** `vector[K] con_theta;` in the data block. */
export function mixtureDataDecls(r: ResponseInfo): Stmt[] {
  const K = mixtureSimplexSize(r);
  return K === undefined ? [] : [b.decl("vector", "con_theta", { sizes: [b.int(K)] })];
}

/** `simplex[K] theta;` and `ordered[K] ordered_Intercept;`, after the response's dpars. */
export function mixtureParameters(r: ResponseInfo): Stmt[] {
  const mixture = r.family.spec.mixture;
  if (!mixture) return [];
  const out: Stmt[] = [];
  const K = mixtureSimplexSize(r);
  if (K !== undefined) out.push(b.decl("simplex", "theta", { sizes: [b.int(K)] }));
  if (mixture.ordered) out.push(b.decl("ordered", "ordered_Intercept", { sizes: [b.int(mixture.size)] }));
  return out;
}

/** Transformed parameters: `real Intercept_mu<k> = ordered_Intercept[k];`, `real<lower=0,upper=1> theta<k>;` and `theta<k> = theta[k];`. */
export function mixtureTransformedParameters(r: ResponseInfo, interceptName: (p: Predictor) => string): { decls: Stmt[]; statements: Stmt[] } {
  const decls: Stmt[] = [];
  const statements: Stmt[] = [];
  r.dpars.filter((p) => isOrderedIntercept(r, p)).forEach((p, i) => decls.push(b.decl("real", interceptName(p), { init: b.idx(b.v("ordered_Intercept"), b.int(i + 1)) })));
  const K = mixtureSimplexSize(r);
  for (let k = 1; k <= (K ?? 0); k++) {
    decls.push(b.decl("real", thetaName(k), { lower: b.int(0), upper: b.int(1) }));
    statements.push(b.assign(b.v(thetaName(k)), b.idx(b.v("theta"), b.int(k))));
  }
  return { decls, statements };
}

/** `lprior += dirichlet_lpdf(theta | con_theta);` (its prior, `dirichlet(…)` of class theta, is the data con_theta). */
export function mixturePriorStatements(r: ResponseInfo): Stmt[] {
  if (mixtureSimplexSize(r) === undefined) return [];
  return [b.assign(b.v("lprior"), b.lpdf("dirichlet_lpdf", b.v("theta"), b.v("con_theta")), "+=")];
}
