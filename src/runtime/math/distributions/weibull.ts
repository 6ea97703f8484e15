/** Weibull distribution: density and rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { log, log1p, pow } from "../elementary";

const NAMES = ["Random variable", "Shape parameter", "Scale parameter"];

function weibullLpdf(
  y: Real,
  alpha: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_sigma: Partials,
  yVar: boolean,
  alphaVar: boolean,
  sigmaVar: boolean,
): number {
  const fn = "weibull_lpdf";
  checkFinite(fn, NAMES[0], y);
  checkPositiveFinite(fn, NAMES[1], alpha);
  checkPositiveFinite(fn, NAMES[2], sigma);
  const N = broadcastLength(fn, NAMES, y, alpha, sigma);
  zero(d_y);
  zero(d_alpha);
  zero(d_sigma);
  for (let n = 0; n < N; n++) if (at(y, n) < 0) return -Infinity;
  if (propto && !yVar && !alphaVar && !sigmaVar) return 0;
  const includeLogAlpha = !propto || alphaVar;
  const includeLogY = !propto || yVar || alphaVar;
  const includeLogSigma = !propto || alphaVar || sigmaVar;
  const sy = stride(y);
  const sa = stride(alpha);
  const ss = stride(sigma);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    const a = at(alpha, n);
    const s = at(sigma, n);
    const logY = log(v);
    const logS = log(s);
    const ratioPow = pow(v / s, a); // (y/σ)^α
    lp -= ratioPow;
    if (includeLogAlpha) lp += log(a);
    if (includeLogY && a !== 1) lp += (a - 1) * logY;
    if (includeLogSigma) lp -= a * logS;
    if (d_y !== null) d_y[n * sy] += (a - 1 - a * ratioPow) / v;
    if (d_alpha !== null) d_alpha[n * sa] += 1 / a + (logY - logS) * (1 - ratioPow);
    if (d_sigma !== null) d_sigma[n * ss] += (a * (ratioPow - 1)) / s;
  }
  return lp;
}

/**
 * weibull_lpdf(y | alpha, sigma) = Σ log α + (α − 1) log y − α log σ − (y/σ)^α (−∞ for y < 0).
 * Partials: ∂/∂y = (α − 1 − α (y/σ)^α)/y, ∂/∂alpha = 1/α + log(y/σ)(1 − (y/σ)^α),
 * ∂/∂sigma = α((y/σ)^α − 1)/σ. propto keeps log α iff alpha varies, (α − 1) log y iff y or alpha,
 * α log σ iff alpha or sigma.
 */
export function weibull_lpdf(y: Real, alpha: Real, sigma: Real, propto: boolean): number {
  return weibullLpdf(y, alpha, sigma, propto, null, null, null, true, true, true);
}
export function weibull_lpdf_vp(
  y: Real,
  alpha: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_sigma: Partials,
): number {
  return weibullLpdf(
    y,
    alpha,
    sigma,
    propto,
    d_y,
    d_alpha,
    d_sigma,
    d_y !== null,
    d_alpha !== null,
    d_sigma !== null,
  );
}

/** One draw by inversion: σ (−log(1 − u))^{1/α}. */
export function weibull_rng(rng: Rng, alpha: number, sigma: number): number {
  checkPositiveFinite("weibull_rng", NAMES[1], alpha);
  checkPositiveFinite("weibull_rng", NAMES[2], sigma);
  return sigma * pow(-log1p(-rng.uniform()), 1 / alpha);
}
