/** Normal family: normal, std_normal (densities, log cdfs, rngs). */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNotNan,
  checkPositive,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { LOG_SQRT_TWO_PI, log_Phi, normal_hazard_ratio } from "../special";
import { log } from "../elementary";

const NAMES = ["Random variable", "Location parameter", "Scale parameter"];

function normalLpdf(
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
  const fn = "normal_lpdf";
  const N = broadcastLength(fn, NAMES, y, mu, sigma);
  if (N === 0 || (propto && !yVar && !muVar && !sigmaVar)) {
    checkNormalArgs(fn, y, mu, sigma);
    zero(d_y);
    zero(d_mu);
    zero(d_sigma);
    return 0;
  }
  // Hot path: dispatch on scalar/vector once, outside the loop; vector partials are assigned,
  // scalar partials summed in locals and stored once; argument checks are fused into the loop.
  const ya = typeof y === "number" ? null : y;
  const ys = typeof y === "number" ? y : 0;
  const ma = typeof mu === "number" ? null : mu;
  const ms = typeof mu === "number" ? mu : 0;
  const sa = typeof sigma === "number" ? null : sigma;
  const ss = typeof sigma === "number" ? sigma : 1;
  const dyv = ya === null ? null : d_y;
  const dmv = ma === null ? null : d_mu;
  const dsv = sa === null ? null : d_sigma;
  const includeLogSigma = !propto || sigmaVar;
  const scalarInv = 1 / ss;
  let gy = 0;
  let gm = 0;
  let gs = 0;
  let quad = 0;
  let logSigmaSum = 0;
  let valid = sa !== null || ss > 0;
  if (sa === null && ya !== null && ma !== null) {
    // The common shape (vector y and mu, scalar sigma) as a tight loop of its own.
    for (let n = 0; n < N; n++) {
      const yn = ya[n];
      const mn = ma[n];
      if (yn !== yn || !(mn - mn === 0)) valid = false;
      const z = (yn - mn) * scalarInv;
      quad += z * z;
      const g = z * scalarInv;
      if (dyv !== null) dyv[n] = -g;
      if (dmv !== null) dmv[n] = g;
      gs += z * z;
    }
    // Σ (z² − 1)/σ, formed once
    gs = (gs - N) * scalarInv;
  } else {
    for (let n = 0; n < N; n++) {
      const yn = ya === null ? ys : ya[n];
      const mn = ma === null ? ms : ma[n];
      let inv = scalarInv;
      if (sa !== null) {
        const s = sa[n];
        if (!(s > 0)) valid = false;
        inv = 1 / s;
        if (includeLogSigma) logSigmaSum += log(s);
      }
      if (yn !== yn || !(mn - mn === 0)) valid = false;
      const z = (yn - mn) * inv;
      quad += z * z;
      const g = z * inv; // (y − μ)/σ²
      const gSigma = (z * z - 1) * inv;
      if (dyv !== null) dyv[n] = -g;
      else gy -= g;
      if (dmv !== null) dmv[n] = g;
      else gm += g;
      if (dsv !== null) dsv[n] = gSigma;
      else gs += gSigma;
    }
  }
  if (!valid) checkNormalArgs(fn, y, mu, sigma);
  if (d_y !== null && dyv === null) d_y[0] = gy;
  if (d_mu !== null && dmv === null) d_mu[0] = gm;
  if (d_sigma !== null && dsv === null) d_sigma[0] = gs;
  let lp = -0.5 * quad;
  if (includeLogSigma) lp -= sa === null ? N * log(ss) : logSigmaSum;
  if (!propto) lp -= N * LOG_SQRT_TWO_PI;
  return lp;
}

/** Stan's argument checks, in Stan's order (they throw on the first failure). */
function checkNormalArgs(fn: string, y: Real, mu: Real, sigma: Real): void {
  checkNotNan(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], mu);
  checkPositive(fn, NAMES[2], sigma);
}

/**
 * normal_lpdf(y | mu, sigma) = Σ −½ log 2π − log σ − ½ ((y − μ)/σ)².
 * Partials: ∂/∂y = −(y − μ)/σ², ∂/∂mu = (y − μ)/σ², ∂/∂sigma = ((y − μ)²/σ² − 1)/σ.
 * propto drops −½ log 2π, and log σ when sigma is constant.
 */
export function normal_lpdf(y: Real, mu: Real, sigma: Real, propto: boolean): number {
  return normalLpdf(y, mu, sigma, propto, null, null, null, true, true, true);
}

/** Value and partials of `normal_lpdf` (see there). */
export function normal_lpdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return normalLpdf(
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

function stdNormalLpdf(y: Real, propto: boolean, d_y: Partials, yVar: boolean): number {
  checkNotNan("std_normal_lpdf", "Random variable", y);
  const N = broadcastLength("std_normal_lpdf", NAMES, y);
  zero(d_y);
  if (propto && !yVar) return 0;
  const sy = stride(y);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    lp -= 0.5 * v * v;
    if (d_y !== null) d_y[n * sy] -= v;
  }
  if (!propto) lp -= N * LOG_SQRT_TWO_PI;
  return lp;
}

/** std_normal_lpdf(y) = Σ −½ log 2π − ½ y². Partial: ∂/∂y = −y. propto drops −½ log 2π. */
export function std_normal_lpdf(y: Real, propto: boolean): number {
  return stdNormalLpdf(y, propto, null, true);
}

/** Value and partials of `std_normal_lpdf`. */
export function std_normal_lpdf_vp(y: Real, propto: boolean, d_y: Partials): number {
  return stdNormalLpdf(y, propto, d_y, d_y !== null);
}

function normalLogCdf(
  fn: string,
  upper: boolean,
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  checkNotNan(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], mu);
  checkPositive(fn, NAMES[2], sigma);
  const N = broadcastLength(fn, NAMES, y, mu, sigma);
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
    const z = (at(y, n) - at(mu, n)) / s;
    // lccdf(z) = log Φ(−z): one routine serves both tails.
    lp += log_Phi(sign * z);
    if (d_y === null && d_mu === null && d_sigma === null) continue;
    const ratio = (sign * normal_hazard_ratio(sign * z)) / s; // ∂/∂y
    if (d_y !== null) d_y[n * sy] += ratio;
    if (d_mu !== null) d_mu[n * sm] -= ratio;
    if (d_sigma !== null) d_sigma[n * ss] -= ratio * z;
  }
  return lp;
}

/**
 * normal_lcdf(y | mu, sigma) = Σ log Φ((y − μ)/σ), accurate far into both tails.
 * With z = (y − μ)/σ and h = φ(z)/Φ(z): ∂/∂y = h/σ, ∂/∂mu = −h/σ, ∂/∂sigma = −z h/σ.
 */
export function normal_lcdf(y: Real, mu: Real, sigma: Real): number {
  return normalLogCdf("normal_lcdf", false, y, mu, sigma, null, null, null);
}
export function normal_lcdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return normalLogCdf("normal_lcdf", false, y, mu, sigma, d_y, d_mu, d_sigma);
}

/**
 * normal_lccdf(y | mu, sigma) = Σ log Φ(−(y − μ)/σ).
 * With h = φ(z)/Φ(−z): ∂/∂y = −h/σ, ∂/∂mu = h/σ, ∂/∂sigma = z h/σ.
 */
export function normal_lccdf(y: Real, mu: Real, sigma: Real): number {
  return normalLogCdf("normal_lccdf", true, y, mu, sigma, null, null, null);
}
export function normal_lccdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return normalLogCdf("normal_lccdf", true, y, mu, sigma, d_y, d_mu, d_sigma);
}

/** std_normal_lcdf(y) = Σ log Φ(y); ∂/∂y = φ(y)/Φ(y). */
export function std_normal_lcdf(y: Real): number {
  return normalLogCdf("std_normal_lcdf", false, y, 0, 1, null, null, null);
}
export function std_normal_lcdf_vp(y: Real, d_y: Partials): number {
  return normalLogCdf("std_normal_lcdf", false, y, 0, 1, d_y, null, null);
}

/** std_normal_lccdf(y) = Σ log Φ(−y); ∂/∂y = −φ(y)/Φ(−y). */
export function std_normal_lccdf(y: Real): number {
  return normalLogCdf("std_normal_lccdf", true, y, 0, 1, null, null, null);
}
export function std_normal_lccdf_vp(y: Real, d_y: Partials): number {
  return normalLogCdf("std_normal_lccdf", true, y, 0, 1, d_y, null, null);
}

/** One draw from normal(mu, sigma). */
export function normal_rng(rng: Rng, mu: number, sigma: number): number {
  checkFinite("normal_rng", "Location parameter", mu);
  checkPositiveFinite("normal_rng", "Scale parameter", sigma);
  return mu + sigma * rng.normal();
}

/** One draw from std_normal(). */
export function std_normal_rng(rng: Rng): number {
  return rng.normal();
}
