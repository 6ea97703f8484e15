/** Exponential distribution: density, log cdf, log ccdf, rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkNonnegative,
  checkNotNan,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { exp, expm1, log, log1p } from "../elementary";

const NAMES = ["Random variable", "Inverse scale parameter"];

function exponentialLpdf(
  y: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_beta: Partials,
  yVar: boolean,
  betaVar: boolean,
): number {
  const fn = "exponential_lpdf";
  checkNonnegative(fn, NAMES[0], y);
  checkPositiveFinite(fn, NAMES[1], beta);
  const N = broadcastLength(fn, NAMES, y, beta);
  if (N === 0 || (propto && !yVar && !betaVar)) {
    zero(d_y);
    zero(d_beta);
    return 0;
  }
  const includeLogBeta = !propto || betaVar;
  const ya = typeof y === "number" ? null : y;
  const ys = typeof y === "number" ? y : 0;
  const ba = typeof beta === "number" ? null : beta;
  const bs = typeof beta === "number" ? beta : 1;
  const dyv = ya === null ? null : d_y;
  const dbv = ba === null ? null : d_beta;
  let gy = 0;
  let gb = 0;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const b = ba === null ? bs : ba[n];
    const v = ya === null ? ys : ya[n];
    lp -= b * v;
    if (includeLogBeta && ba !== null) lp += log(b);
    if (dyv !== null) dyv[n] = -b;
    else gy -= b;
    if (dbv !== null) dbv[n] = 1 / b - v;
    else gb += 1 / b - v;
  }
  if (d_y !== null && dyv === null) d_y[0] = gy;
  if (d_beta !== null && dbv === null) d_beta[0] = gb;
  if (includeLogBeta && ba === null) lp += N * log(bs);
  return lp;
}

/**
 * exponential_lpdf(y | beta) = Σ log β − β y.
 * Partials: ∂/∂y = −β, ∂/∂beta = 1/β − y. propto drops log β when beta is constant.
 */
export function exponential_lpdf(y: Real, beta: Real, propto: boolean): number {
  return exponentialLpdf(y, beta, propto, null, null, true, true);
}
export function exponential_lpdf_vp(
  y: Real,
  beta: Real,
  propto: boolean,
  d_y: Partials,
  d_beta: Partials,
): number {
  return exponentialLpdf(y, beta, propto, d_y, d_beta, d_y !== null, d_beta !== null);
}

function exponentialCdfCommon(fn: string, y: Real, beta: Real): number {
  checkNotNan(fn, NAMES[0], y);
  checkNonnegative(fn, NAMES[0], y);
  checkPositiveFinite(fn, NAMES[1], beta);
  return broadcastLength(fn, NAMES, y, beta);
}

/**
 * exponential_lcdf(y | beta) = Σ log(1 − e^{−βy}).
 * Partials: ∂/∂y = β / expm1(βy), ∂/∂beta = y / expm1(βy).
 */
export function exponential_lcdf_vp(y: Real, beta: Real, d_y: Partials, d_beta: Partials): number {
  const N = exponentialCdfCommon("exponential_lcdf", y, beta);
  zero(d_y);
  zero(d_beta);
  const sy = stride(y);
  const sb = stride(beta);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const b = at(beta, n);
    const v = at(y, n);
    const bv = b * v;
    lp += bv > Math.LN2 ? log1p(-exp(-bv)) : log(-expm1(-bv));
    const inv = 1 / expm1(bv);
    if (d_y !== null) d_y[n * sy] += b * inv;
    if (d_beta !== null) d_beta[n * sb] += v * inv;
  }
  return lp;
}
export function exponential_lcdf(y: Real, beta: Real): number {
  return exponential_lcdf_vp(y, beta, null, null);
}

/**
 * exponential_lccdf(y | beta) = Σ −β y.
 * Partials: ∂/∂y = −β, ∂/∂beta = −y.
 */
export function exponential_lccdf_vp(y: Real, beta: Real, d_y: Partials, d_beta: Partials): number {
  const N = exponentialCdfCommon("exponential_lccdf", y, beta);
  zero(d_y);
  zero(d_beta);
  const sy = stride(y);
  const sb = stride(beta);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const b = at(beta, n);
    const v = at(y, n);
    lp -= b * v;
    if (d_y !== null) d_y[n * sy] -= b;
    if (d_beta !== null) d_beta[n * sb] -= v;
  }
  return lp;
}
export function exponential_lccdf(y: Real, beta: Real): number {
  return exponential_lccdf_vp(y, beta, null, null);
}

/** One draw from exponential(beta), by inversion. */
export function exponential_rng(rng: Rng, beta: number): number {
  checkPositiveFinite("exponential_rng", "Inverse scale parameter", beta);
  return -log1p(-rng.uniform()) / beta;
}
