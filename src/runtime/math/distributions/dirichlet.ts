/** Dirichlet distribution: density and rng. */
import type { Rng } from "../../model";
import { type Partials, checkPositiveFinite, checkSimplex, domainError, zero } from "../checks";
import { digamma, lgamma } from "../special";
import { gammaDraw } from "./rngSupport";
import { exp, log } from "../elementary";

function dirichletLpdf(
  theta: Float64Array,
  alpha: Float64Array,
  propto: boolean,
  d_theta: Partials,
  d_alpha: Partials,
  thetaVar: boolean,
  alphaVar: boolean,
): number {
  const fn = "dirichlet_lpdf";
  if (theta.length !== alpha.length) {
    domainError(
      `${fn}: probabilities has size ${theta.length}, but must have the same size as prior sample sizes (${alpha.length})`,
    );
  }
  checkPositiveFinite(fn, "prior sample sizes", alpha);
  checkSimplex(fn, "probabilities", theta);
  zero(d_theta);
  zero(d_alpha);
  if (propto && !thetaVar && !alphaVar) return 0;
  const includeNormaliser = !propto || alphaVar;
  let lp = 0;
  let alphaSum = 0;
  for (let k = 0; k < alpha.length; k++) {
    const a = alpha[k];
    const logT = log(theta[k]);
    alphaSum += a;
    if (includeNormaliser) lp -= lgamma(a);
    if (a !== 1) lp += (a - 1) * logT;
    if (d_theta !== null) d_theta[k] = (a - 1) / theta[k];
    if (d_alpha !== null) d_alpha[k] = logT - digamma(a);
  }
  if (includeNormaliser) lp += lgamma(alphaSum);
  if (d_alpha !== null) {
    const psiSum = digamma(alphaSum);
    for (let k = 0; k < alpha.length; k++) d_alpha[k] += psiSum;
  }
  return lp;
}

/**
 * dirichlet_lpdf(theta | alpha) = lgamma(Σ α_k) − Σ lgamma(α_k) + Σ (α_k − 1) log θ_k.
 * Partials: ∂/∂theta_k = (α_k − 1)/θ_k, ∂/∂alpha_k = ψ(Σ α) − ψ(α_k) + log θ_k.
 * propto drops the lgamma terms when alpha is constant.
 */
export function dirichlet_lpdf(theta: Float64Array, alpha: Float64Array, propto: boolean): number {
  return dirichletLpdf(theta, alpha, propto, null, null, true, true);
}
export function dirichlet_lpdf_vp(
  theta: Float64Array,
  alpha: Float64Array,
  propto: boolean,
  d_theta: Partials,
  d_alpha: Partials,
): number {
  return dirichletLpdf(theta, alpha, propto, d_theta, d_alpha, d_theta !== null, d_alpha !== null);
}

/**
 * Writes one draw into `out`: normalised Gamma(alpha_k) draws. With some alpha_k < 1 the gammas are
 * drawn on the log scale (Gamma(a) = Gamma(a + 1) · U^{1/a}) and normalised by log-sum-exp, so tiny
 * shapes do not underflow every component to 0.
 */
export function dirichlet_rng(rng: Rng, out: Float64Array, alpha: Float64Array): void {
  checkPositiveFinite("dirichlet_rng", "prior sample sizes", alpha);
  let small = false;
  for (let k = 0; k < alpha.length; k++) if (alpha[k] < 1) small = true;
  if (small) {
    let max = -Infinity;
    for (let k = 0; k < alpha.length; k++) {
      const u = rng.uniform();
      out[k] = log(gammaDraw(rng, alpha[k] + 1)) + log(u > 0 ? u : Number.MIN_VALUE) / alpha[k];
      if (out[k] > max) max = out[k];
    }
    let s = 0;
    for (let k = 0; k < alpha.length; k++) {
      out[k] = exp(out[k] - max);
      s += out[k];
    }
    for (let k = 0; k < alpha.length; k++) out[k] /= s;
    return;
  }
  let s = 0;
  for (let k = 0; k < alpha.length; k++) {
    out[k] = gammaDraw(rng, alpha[k]);
    s += out[k];
  }
  for (let k = 0; k < alpha.length; k++) out[k] /= s;
}
