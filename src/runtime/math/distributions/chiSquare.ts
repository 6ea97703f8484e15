/** Chi-square distribution: density and rng. */
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
import { LOG_TWO, digamma, lgamma } from "../special";
import { gammaDraw } from "./rngSupport";
import { log } from "../elementary";

const NAMES = ["Random variable", "Degrees of freedom parameter"];

function chiSquareLpdf(
  y: Real,
  nu: Real,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  yVar: boolean,
  nuVar: boolean,
): number {
  const fn = "chi_square_lpdf";
  checkNotNan(fn, NAMES[0], y);
  checkNonnegative(fn, NAMES[0], y);
  checkPositiveFinite(fn, NAMES[1], nu);
  const N = broadcastLength(fn, NAMES, y, nu);
  zero(d_y);
  zero(d_nu);
  if (propto && !yVar && !nuVar) return 0;
  const includeNu = !propto || nuVar;
  const includeLogY = !propto || yVar || nuVar;
  const includeY = !propto || yVar;
  const sy = stride(y);
  const sn = stride(nu);
  let lp = 0;
  // lgamma(ν/2) and ψ(ν/2) reused while ν repeats (a helper call per element boxes its result)
  let lastHalf = Number.NaN;
  let lgammaHalf = Number.NaN;
  let digammaHalf = Number.NaN;
  for (let n = 0; n < N; n++) {
    const v = at(y, n);
    const half = 0.5 * at(nu, n);
    const logY = log(v);
    if (half !== lastHalf) {
      lastHalf = half;
      lgammaHalf = includeNu ? lgamma(half) : 0;
      digammaHalf = d_nu !== null ? digamma(half) : 0;
    }
    if (includeNu) lp -= half * LOG_TWO + lgammaHalf;
    if (includeLogY && half !== 1) lp += (half - 1) * logY;
    if (includeY) lp -= 0.5 * v;
    if (d_y !== null) d_y[n * sy] += (half - 1) / v - 0.5;
    if (d_nu !== null) d_nu[n * sn] += 0.5 * (logY - LOG_TWO - digammaHalf);
  }
  return lp;
}

/**
 * chi_square_lpdf(y | nu) = Σ −(ν/2) log 2 − lgamma(ν/2) + (ν/2 − 1) log y − y/2.
 * Partials: ∂/∂y = (ν/2 − 1)/y − ½, ∂/∂nu = ½(log y − log 2 − ψ(ν/2)).
 * propto keeps the ν-only terms iff nu varies, (ν/2 − 1) log y iff y or nu, y/2 iff y.
 */
export function chi_square_lpdf(y: Real, nu: Real, propto: boolean): number {
  return chiSquareLpdf(y, nu, propto, null, null, true, true);
}
export function chi_square_lpdf_vp(
  y: Real,
  nu: Real,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
): number {
  return chiSquareLpdf(y, nu, propto, d_y, d_nu, d_y !== null, d_nu !== null);
}

export function chi_square_rng(rng: Rng, nu: number): number {
  checkPositiveFinite("chi_square_rng", NAMES[1], nu);
  return 2 * gammaDraw(rng, 0.5 * nu);
}
