/** Lognormal distribution: density and rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNonnegative,
  checkNotNan,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { LOG_SQRT_TWO_PI } from "../special";
import { exp, log } from "../elementary";

const NAMES = ["Random variable", "Location parameter", "Scale parameter"];

function lognormalLpdf(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
  yVar: boolean,
  muVar: boolean,
  sigmaVar: boolean,
): number {
  const fn = "lognormal_lpdf";
  checkNotNan(fn, NAMES[0], y);
  checkNonnegative(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], mu);
  checkPositiveFinite(fn, NAMES[2], sigma);
  const N = broadcastLength(fn, NAMES, y, mu, sigma);
  zero(d_y);
  zero(d_mu);
  zero(d_sigma);
  for (let n = 0; n < N; n++) if (at(y, n) === 0) return -Infinity;
  if (propto && !yVar && !muVar && !sigmaVar) return 0;
  const includeLogSigma = !propto || sigmaVar;
  const includeLogY = !propto || yVar;
  const sy = stride(y);
  const sm = stride(mu);
  const ss = stride(sigma);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const s = at(sigma, n);
    const v = at(y, n);
    const logY = log(v);
    const z = (logY - at(mu, n)) / s;
    lp -= 0.5 * z * z;
    if (includeLogSigma) lp -= log(s);
    if (includeLogY) lp -= logY;
    const g = z / s; // (log y − μ)/σ²
    if (d_y !== null) d_y[n * sy] -= (1 + g) / v;
    if (d_mu !== null) d_mu[n * sm] += g;
    if (d_sigma !== null) d_sigma[n * ss] += (z * z - 1) / s;
  }
  if (!propto) lp -= N * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * lognormal_lpdf(y | mu, sigma) = Σ −½ log 2π − log σ − log y − ½ ((log y − μ)/σ)² (−∞ at y = 0).
 * Partials: ∂/∂y = −(1 + (log y − μ)/σ²)/y, ∂/∂mu = (log y − μ)/σ², ∂/∂sigma = (z² − 1)/σ.
 * propto drops −½ log 2π, log σ for constant sigma and log y for constant y.
 */
export function lognormal_lpdf(y: Real, mu: Real, sigma: Real, propto: boolean): number {
  return lognormalLpdf(y, mu, sigma, propto, null, null, null, true, true, true);
}
export function lognormal_lpdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return lognormalLpdf(
    y,
    mu,
    sigma,
    propto,
    d_y,
    d_mu,
    d_sigma,
    d_y !== null,
    d_mu !== null,
    d_sigma !== null,
  );
}

export function lognormal_rng(rng: Rng, mu: number, sigma: number): number {
  checkFinite("lognormal_rng", NAMES[1], mu);
  checkPositiveFinite("lognormal_rng", NAMES[2], sigma);
  return exp(mu + sigma * rng.normal());
}
