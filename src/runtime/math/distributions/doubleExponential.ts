/** Double exponential (Laplace) distribution: density and rng. */
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
import { LOG_TWO } from "../special";
import { log, log1p } from "../elementary";

const NAMES = ["Random variable", "Location parameter", "Scale parameter"];

function doubleExponentialLpdf(
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
  const fn = "double_exponential_lpdf";
  checkFinite(fn, NAMES[0], y);
  checkFinite(fn, NAMES[1], mu);
  checkPositiveFinite(fn, NAMES[2], sigma);
  const N = broadcastLength(fn, NAMES, y, mu, sigma);
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
    const absR = Math.abs(r);
    lp -= absR / s;
    if (includeLogSigma) lp -= log(s);
    const sign = r > 0 ? 1 : r < 0 ? -1 : 0;
    if (d_y !== null) d_y[n * sy] -= sign / s;
    if (d_mu !== null) d_mu[n * sm] += sign / s;
    if (d_sigma !== null) d_sigma[n * ss] += (absR / s - 1) / s;
  }
  if (!propto) lp -= N * LOG_TWO;
  return lp;
}

/**
 * double_exponential_lpdf(y | mu, sigma) = Σ −log 2 − log σ − |y − μ|/σ.
 * Partials: ∂/∂y = −sign(y − μ)/σ, ∂/∂mu = sign(y − μ)/σ, ∂/∂sigma = (|y − μ|/σ − 1)/σ.
 * propto drops −log 2, and log σ when sigma is constant.
 */
export function double_exponential_lpdf(y: Real, mu: Real, sigma: Real, propto: boolean): number {
  return doubleExponentialLpdf(y, mu, sigma, propto, null, null, null, true, true, true);
}
export function double_exponential_lpdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return doubleExponentialLpdf(
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

/** One draw by inversion. */
export function double_exponential_rng(rng: Rng, mu: number, sigma: number): number {
  checkFinite("double_exponential_rng", NAMES[1], mu);
  checkPositiveFinite("double_exponential_rng", NAMES[2], sigma);
  const u = rng.uniform() - 0.5;
  return mu - sigma * Math.sign(u) * log1p(-2 * Math.abs(u));
}
