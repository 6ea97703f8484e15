/** Logistic distribution: density and rng. */
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
import { inv_logit, log1p_exp, logit } from "../special";
import { log } from "../elementary";

const NAMES = ["Random variable", "Location parameter", "Scale parameter"];

function logisticLpdf(
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
  const fn = "logistic_lpdf";
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
    const z = (at(y, n) - at(mu, n)) / s;
    lp -= z + 2 * log1p_exp(-z);
    if (includeLogSigma) lp -= log(s);
    const w = 1 - 2 * inv_logit(z); // d/dz of the log density
    if (d_y !== null) d_y[n * sy] += w / s;
    if (d_mu !== null) d_mu[n * sm] -= w / s;
    if (d_sigma !== null) d_sigma[n * ss] -= (1 + z * w) / s;
  }
  return lp;
}

/**
 * logistic_lpdf(y | mu, sigma) = Σ −z − log σ − 2 log(1 + e^{−z}), z = (y − μ)/σ.
 * Partials (w = 1 − 2 inv_logit(z)): ∂/∂y = w/σ, ∂/∂mu = −w/σ, ∂/∂sigma = −(1 + z w)/σ.
 * propto drops log σ when sigma is constant.
 */
export function logistic_lpdf(y: Real, mu: Real, sigma: Real, propto: boolean): number {
  return logisticLpdf(y, mu, sigma, propto, null, null, null, true, true, true);
}
export function logistic_lpdf_vp(
  y: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return logisticLpdf(
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

export function logistic_rng(rng: Rng, mu: number, sigma: number): number {
  checkFinite("logistic_rng", NAMES[1], mu);
  checkPositiveFinite("logistic_rng", NAMES[2], sigma);
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return mu + sigma * logit(u);
}
