/** Cauchy distribution: density, log cdf, log ccdf, rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNotNan,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { LOG_PI } from "../special";
import { atan, log, log1p, tan } from "../elementary";

const NAMES = ["Random variable", "Location parameter", "Scale parameter"];

function checkArgs(fn: string, y: Real, mu: Real, sigma: Real): number {
  checkNotNan(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], mu);
  checkPositiveFinite(fn, NAMES[2], sigma);
  return broadcastLength(fn, NAMES, y, mu, sigma);
}

function cauchyLpdf(
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
  const N = checkArgs("cauchy_lpdf", y, mu, sigma);
  zero(d_y);
  zero(d_mu);
  zero(d_sigma);
  if (propto && !yVar && !muVar && !sigmaVar) return 0;
  const includeLogSigma = !propto || sigmaVar;
  const sy = stride(y);
  const sm = stride(mu);
  const ss = stride(sigma);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const s = at(sigma, n);
    const r = at(y, n) - at(mu, n);
    const z = r / s;
    lp -= log1p(z * z);
    if (includeLogSigma) lp -= log(s);
    const denom = s * s + r * r;
    const gy = (-2 * r) / denom;
    if (d_y !== null) d_y[n * sy] += gy;
    if (d_mu !== null) d_mu[n * sm] -= gy;
    if (d_sigma !== null) d_sigma[n * ss] += (r * r - s * s) / (s * denom);
  }
  if (!propto) lp -= N * LOG_PI;
  return lp;
}

/**
 * cauchy_lpdf(y | mu, sigma) = Σ −log π − log σ − log(1 + z²), z = (y − μ)/σ.
 * Partials (r = y − μ): ∂/∂y = −2r/(σ² + r²), ∂/∂mu = 2r/(σ² + r²), ∂/∂sigma = (r² − σ²)/(σ(σ² + r²)).
 * propto drops −log π, and log σ when sigma is constant.
 */
export function cauchy_lpdf(y: Real, mu: Real, sigma: Real, propto: boolean): number {
  return cauchyLpdf(y, mu, sigma, propto, null, null, null, true, true, true);
}
export function cauchy_lpdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return cauchyLpdf(
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

function cauchyLogTail(
  fn: string,
  upper: boolean,
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  const N = checkArgs(fn, y, mu, sigma);
  zero(d_y);
  zero(d_mu);
  zero(d_sigma);
  const sy = stride(y);
  const sm = stride(mu);
  const ss = stride(sigma);
  const sign = upper ? -1 : 1;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const s = at(sigma, n);
    const z = (sign * (at(y, n) - at(mu, n))) / s;
    // P(Z ≤ z) = ½ + atan(z)/π; for z < 0 use atan(1/z) form to keep the tail's relative accuracy.
    const p = z < 0 ? atan(-1 / z) / Math.PI : 0.5 + atan(z) / Math.PI;
    lp += log(p);
    const g = sign / (Math.PI * s * (1 + z * z) * p); // ∂/∂y
    if (d_y !== null) d_y[n * sy] += g;
    if (d_mu !== null) d_mu[n * sm] -= g;
    if (d_sigma !== null) d_sigma[n * ss] -= g * sign * z;
  }
  return lp;
}

/**
 * cauchy_lcdf(y | mu, sigma) = Σ log(½ + atan(z)/π). With F that cdf and f(z) = 1/(π(1 + z²)):
 * ∂/∂y = f/(σF), ∂/∂mu = −f/(σF), ∂/∂sigma = −z f/(σF).
 */
export function cauchy_lcdf(y: Real, mu: Real, sigma: Real): number {
  return cauchyLogTail("cauchy_lcdf", false, y, mu, sigma, null, null, null);
}
export function cauchy_lcdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return cauchyLogTail("cauchy_lcdf", false, y, mu, sigma, d_y, d_mu, d_sigma);
}
/**
 * cauchy_lccdf(y | mu, sigma) = Σ log(½ − atan(z)/π). With S that survival function:
 * ∂/∂y = −f/(σS), ∂/∂mu = f/(σS), ∂/∂sigma = z f/(σS).
 */
export function cauchy_lccdf(y: Real, mu: Real, sigma: Real): number {
  return cauchyLogTail("cauchy_lccdf", true, y, mu, sigma, null, null, null);
}
export function cauchy_lccdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return cauchyLogTail("cauchy_lccdf", true, y, mu, sigma, d_y, d_mu, d_sigma);
}

/** One draw by inversion: mu + sigma · tan(π(u − ½)). */
export function cauchy_rng(rng: Rng, mu: number, sigma: number): number {
  checkFinite("cauchy_rng", NAMES[1], mu);
  checkPositiveFinite("cauchy_rng", NAMES[2], sigma);
  return mu + sigma * tan(Math.PI * (rng.uniform() - 0.5));
}
