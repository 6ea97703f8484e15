/**
 * Generators for the continuous families that have no kernel file of their own (Fréchet, scaled
 * and plain inverse chi-square, Rayleigh, Pareto I and II, Gumbel, von Mises, beta proportion,
 * skew normal, exponentially modified normal), and the order-0 modified Bessel function that the
 * von Mises density needs. Argument checks use Stan's wording.
 */
import type { Rng } from "../../model";
import {
  checkFinite,
  checkNonnegative,
  checkPositive,
  checkPositiveFinite,
  domainError,
  formatStanNumber,
} from "../checks";
import { gammaDraw } from "./rngSupport";
import { acos, cos, expm1, log, pow } from "../elementary";

/** A uniform draw on (0, 1): logs and negative powers of it stay finite. */
function openUniform(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return u;
}

/** Fréchet(alpha, sigma) by inversion: sigma (−log u)^(−1/alpha). */
export function frechet_rng(rng: Rng, alpha: number, sigma: number): number {
  checkPositiveFinite("frechet_rng", "Shape parameter", alpha);
  checkPositiveFinite("frechet_rng", "Scale parameter", sigma);
  return sigma * pow(-log(openUniform(rng)), -1 / alpha);
}

/** 1 / chi-square(nu), the chi-square draw being 2 Gamma(nu/2, 1). */
export function inv_chi_square_rng(rng: Rng, nu: number): number {
  checkPositiveFinite("inv_chi_square_rng", "Degrees of freedom parameter", nu);
  return 1 / (2 * gammaDraw(rng, 0.5 * nu));
}

/** nu s² / chi-square(nu). */
export function scaled_inv_chi_square_rng(rng: Rng, nu: number, s: number): number {
  checkPositiveFinite("scaled_inv_chi_square_rng", "Degrees of freedom parameter", nu);
  checkPositiveFinite("scaled_inv_chi_square_rng", "Scale parameter", s);
  return (nu * s * s) / (2 * gammaDraw(rng, 0.5 * nu));
}

/** Rayleigh(sigma) by inversion: sigma √(−2 log u). */
export function rayleigh_rng(rng: Rng, sigma: number): number {
  checkPositiveFinite("rayleigh_rng", "Scale parameter", sigma);
  return sigma * Math.sqrt(-2 * log(openUniform(rng)));
}

/** Pareto(y_min, alpha) by inversion: y_min u^(−1/alpha). */
export function pareto_rng(rng: Rng, yMin: number, alpha: number): number {
  checkPositiveFinite("pareto_rng", "Scale parameter", yMin);
  checkPositiveFinite("pareto_rng", "Shape parameter", alpha);
  return yMin * pow(openUniform(rng), -1 / alpha);
}

/** Pareto type II (Lomax shifted by mu) by inversion: mu + lambda (u^(−1/alpha) − 1). */
export function pareto_type_2_rng(rng: Rng, mu: number, lambda: number, alpha: number): number {
  checkFinite("pareto_type_2_rng", "Location parameter", mu);
  checkPositiveFinite("pareto_type_2_rng", "Scale parameter", lambda);
  checkPositiveFinite("pareto_type_2_rng", "Shape parameter", alpha);
  return mu + lambda * expm1(-log(openUniform(rng)) / alpha);
}

/** Gumbel(mu, beta) by inversion: mu − beta log(−log u). */
export function gumbel_rng(rng: Rng, mu: number, beta: number): number {
  checkFinite("gumbel_rng", "Location parameter", mu);
  checkPositiveFinite("gumbel_rng", "Scale parameter", beta);
  return mu - beta * log(-log(openUniform(rng)));
}

/** Beta(mu kappa, (1 − mu) kappa) from two gamma draws. */
export function beta_proportion_rng(rng: Rng, mu: number, kappa: number): number {
  checkPositive("beta_proportion_rng", "Location parameter", mu);
  if (!(mu < 1))
    domainError(
      `beta_proportion_rng: Location parameter is ${formatStanNumber(mu)}, but must be less than 1`,
    );
  checkPositiveFinite("beta_proportion_rng", "Precision parameter", kappa);
  const a = gammaDraw(rng, mu * kappa);
  return a / (a + gammaDraw(rng, (1 - mu) * kappa));
}

/**
 * Skew normal by the sign flip of a correlated normal pair (Azzalini): with delta = alpha/√(1 + alpha²),
 * u1 = delta u0 + √(1 − delta²) v is skew normal given u0 ≥ 0, and −u1 otherwise.
 */
export function skew_normal_rng(rng: Rng, xi: number, omega: number, alpha: number): number {
  checkFinite("skew_normal_rng", "Location parameter", xi);
  checkPositive("skew_normal_rng", "Scale parameter", omega);
  checkFinite("skew_normal_rng", "Shape parameter", alpha);
  const delta = alpha / Math.sqrt(1 + alpha * alpha);
  const u0 = rng.normal();
  const u1 = delta * u0 + Math.sqrt(1 - delta * delta) * rng.normal();
  return xi + omega * (u0 >= 0 ? u1 : -u1);
}

/** A normal(mu, sigma) draw plus an exponential(lambda) draw. */
export function exp_mod_normal_rng(rng: Rng, mu: number, sigma: number, lambda: number): number {
  checkFinite("exp_mod_normal_rng", "Location parameter", mu);
  checkPositiveFinite("exp_mod_normal_rng", "Scale parameter", sigma);
  checkPositiveFinite("exp_mod_normal_rng", "Inv_scale parameter", lambda);
  return mu + sigma * rng.normal() - log(openUniform(rng)) / lambda;
}

const TWO_PI = 2 * Math.PI;

/**
 * Von Mises(mu, kappa) by Best & Fisher's (1979) wrapped-Cauchy rejection sampler, centred on
 * mu mod 2π, so the draw lies in [(mu mod 2π) − π, (mu mod 2π) + π] as Stan documents. A tiny
 * kappa is the uniform distribution on the circle (the sampler's constants lose all precision).
 */
export function von_mises_rng(rng: Rng, mu: number, kappa: number): number {
  checkFinite("von_mises_rng", "Location parameter", mu);
  checkNonnegative("von_mises_rng", "Scale parameter", kappa);
  checkFinite("von_mises_rng", "Scale parameter", kappa);
  const centre = mu % TWO_PI;
  if (kappa < 1e-8) return centre + Math.PI * (2 * rng.uniform() - 1);
  const tau = 1 + Math.sqrt(1 + 4 * kappa * kappa);
  const rho = (tau - Math.sqrt(2 * tau)) / (2 * kappa);
  const r = (1 + rho * rho) / (2 * rho);
  for (;;) {
    const z = cos(Math.PI * rng.uniform());
    const f = (1 + r * z) / (r + z);
    const c = kappa * (r - f);
    const u2 = openUniform(rng);
    if (c * (2 - c) - u2 > 0 || log(c / u2) + 1 - c >= 0) {
      const angle = acos(Math.min(1, Math.max(-1, f)));
      return centre + (rng.uniform() < 0.5 ? -angle : angle);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// log I₀(x) and I₁(x)/I₀(x) for the von Mises density and its derivative in kappa

/** Below this the power series (all terms positive, ~70 of them at most); above, the asymptotic series. */
const BESSEL_SERIES_LIMIT = 30;

/** Σ_k (x²/4)^k / (k! (k + order)!), the power series of I_order(x) / (x/2)^order for order 0 or 1. */
function besselSeries(x: number, order: 0 | 1): number {
  const q = 0.25 * x * x;
  let term = 1;
  let sum = term;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * (k + order));
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return sum;
}

/**
 * The asymptotic series of I_order(x) √(2πx) e^(−x) (Abramowitz & Stegun 9.7.1):
 * Σ_k Π_{j≤k} −(4 order² − (2j − 1)²) / (8 j x), summed until the terms stop shrinking.
 */
function besselAsymptotic(x: number, order: 0 | 1): number {
  const mu = 4 * order * order;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 100; k++) {
    const next = (term * -(mu - (2 * k - 1) * (2 * k - 1))) / (8 * k * x);
    if (Math.abs(next) >= Math.abs(term)) break;
    term = next;
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return sum;
}

/** log I₀(x) for x ≥ 0 (log of the order-0 modified Bessel function of the first kind). */
export function log_bessel_i0(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax === Infinity) return Infinity;
  if (ax < BESSEL_SERIES_LIMIT) return log(besselSeries(ax, 0));
  return ax - 0.5 * log(TWO_PI * ax) + log(besselAsymptotic(ax, 0));
}

/** I₁(x) / I₀(x), the derivative of log I₀(x); odd in x. */
export function bessel_i1_over_i0(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax === Infinity) return Math.sign(x);
  const ratio =
    ax < BESSEL_SERIES_LIMIT
      ? (0.5 * ax * besselSeries(ax, 1)) / besselSeries(ax, 0)
      : besselAsymptotic(ax, 1) / besselAsymptotic(ax, 0);
  return x < 0 ? -ratio : ratio;
}
