/** Gamma and inverse-gamma distributions: densities and rngs. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkNotNan,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { digamma, lgamma } from "../special";
import { gammaDraw } from "./rngSupport";
import { log } from "../elementary";

const NAMES = ["Random variable", "Shape parameter", "Inverse scale parameter"];
const INV_NAMES = ["Random variable", "Shape parameter", "Scale parameter"];

function gammaLpdf(
  inverse: boolean,
  y: Real,
  alpha: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_beta: Partials,
  yVar: boolean,
  alphaVar: boolean,
  betaVar: boolean,
): number {
  const fn = inverse ? "inv_gamma_lpdf" : "gamma_lpdf";
  const names = inverse ? INV_NAMES : NAMES;
  checkNotNan(fn, names[0], y);
  checkPositiveFinite(fn, names[1], alpha);
  checkPositiveFinite(fn, names[2], beta);
  const N = broadcastLength(fn, names, y, alpha, beta);
  zero(d_y);
  zero(d_alpha);
  zero(d_beta);
  for (let n = 0; n < N; n++) if (at(y, n) <= 0 && (inverse || at(y, n) < 0)) return -Infinity;
  if (propto && !yVar && !alphaVar && !betaVar) return 0;
  const includeLgamma = !propto || alphaVar;
  const includeAlphaLogBeta = !propto || alphaVar || betaVar;
  const includeLogY = !propto || yVar || alphaVar;
  const includeBetaY = !propto || yVar || betaVar;
  const sy = stride(y);
  const sa = stride(alpha);
  const sb = stride(beta);
  let lp = 0;
  // lgamma(α) and ψ(α) of the previous element, reused while α repeats (always for a scalar shape):
  // a helper call per element costs time and a boxed double
  let lastA = Number.NaN;
  let lgammaA = Number.NaN;
  let digammaA = Number.NaN;
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    const a = at(alpha, n);
    const b = at(beta, n);
    const logY = log(v);
    const logB = log(b);
    if (a !== lastA) {
      lastA = a;
      lgammaA = includeLgamma ? lgamma(a) : 0;
      digammaA = d_alpha !== null ? digamma(a) : 0;
    }
    if (includeLgamma) lp -= lgammaA;
    if (includeAlphaLogBeta) lp += a * logB;
    if (inverse) {
      const invY = 1 / v;
      if (includeLogY) lp -= (a + 1) * logY;
      if (includeBetaY) lp -= b * invY;
      if (d_y !== null) d_y[n * sy] += (b * invY - (a + 1)) * invY;
      if (d_alpha !== null) d_alpha[n * sa] += logB - digammaA - logY;
      if (d_beta !== null) d_beta[n * sb] += a / b - invY;
    } else {
      // (α − 1) log y is 0 · (−∞) = 0 at y = 0 with α = 1
      if (includeLogY && a !== 1) lp += (a - 1) * logY;
      if (includeBetaY) lp -= b * v;
      if (d_y !== null) d_y[n * sy] += (a - 1) / v - b;
      if (d_alpha !== null) d_alpha[n * sa] += logB - digammaA + logY;
      if (d_beta !== null) d_beta[n * sb] += a / b - v;
    }
  }
  return lp;
}

/**
 * gamma_lpdf(y | alpha, beta) = Σ α log β − lgamma(α) + (α − 1) log y − β y (−∞ for y < 0).
 * Partials: ∂/∂y = (α − 1)/y − β, ∂/∂alpha = log β − ψ(α) + log y, ∂/∂beta = α/β − y.
 * propto keeps lgamma(α) iff alpha varies, α log β iff alpha or beta, (α − 1) log y iff y or alpha,
 * β y iff y or beta.
 */
export function gamma_lpdf(y: Real, alpha: Real, beta: Real, propto: boolean): number {
  return gammaLpdf(false, y, alpha, beta, propto, null, null, null, true, true, true);
}
export function gamma_lpdf_vp(
  y: Real,
  alpha: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_beta: Partials,
): number {
  return gammaLpdf(
    false,
    y,
    alpha,
    beta,
    propto,
    d_y,
    d_alpha,
    d_beta,
    d_y !== null,
    d_alpha !== null,
    d_beta !== null,
  );
}

/**
 * inv_gamma_lpdf(y | alpha, beta) = Σ α log β − lgamma(α) − (α + 1) log y − β/y (−∞ for y ≤ 0).
 * Partials: ∂/∂y = (β/y − (α + 1))/y, ∂/∂alpha = log β − ψ(α) − log y, ∂/∂beta = α/β − 1/y.
 * propto as for gamma_lpdf.
 */
export function inv_gamma_lpdf(y: Real, alpha: Real, beta: Real, propto: boolean): number {
  return gammaLpdf(true, y, alpha, beta, propto, null, null, null, true, true, true);
}
export function inv_gamma_lpdf_vp(
  y: Real,
  alpha: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_beta: Partials,
): number {
  return gammaLpdf(
    true,
    y,
    alpha,
    beta,
    propto,
    d_y,
    d_alpha,
    d_beta,
    d_y !== null,
    d_alpha !== null,
    d_beta !== null,
  );
}

export function gamma_rng(rng: Rng, alpha: number, beta: number): number {
  checkPositiveFinite("gamma_rng", NAMES[1], alpha);
  checkPositiveFinite("gamma_rng", NAMES[2], beta);
  return gammaDraw(rng, alpha) / beta;
}

export function inv_gamma_rng(rng: Rng, alpha: number, beta: number): number {
  checkPositiveFinite("inv_gamma_rng", INV_NAMES[1], alpha);
  checkPositiveFinite("inv_gamma_rng", INV_NAMES[2], beta);
  return beta / gammaDraw(rng, alpha);
}
