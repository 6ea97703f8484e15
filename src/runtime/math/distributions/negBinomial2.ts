/** Negative binomial (mean–precision parameterisation) on the mean and log-mean scales. */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNonnegative,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { digamma, lchoose } from "../special";
import { gammaDraw, poissonDraw } from "./rngSupport";
import { exp, log, log1p, log1pExp } from "../elementary";

const NAMES = ["Failures variable", "Location parameter", "Precision parameter"];
const LOG_NAMES = ["Failures variable", "Log location parameter", "Precision parameter"];

function negBinomial2Lpmf(
  logScale: boolean,
  n: Int,
  location: Real,
  phi: Real,
  propto: boolean,
  d_location: Partials,
  d_phi: Partials,
  locationVar: boolean,
  phiVar: boolean,
): number {
  const fn = logScale ? "neg_binomial_2_log_lpmf" : "neg_binomial_2_lpmf";
  const locName = logScale ? "Log location parameter" : "Location parameter";
  checkNonnegative(fn, "Failures variable", n);
  if (logScale) checkFinite(fn, locName, location);
  else checkPositiveFinite(fn, locName, location);
  checkPositiveFinite(fn, "Precision parameter", phi);
  const N = broadcastLength(fn, logScale ? LOG_NAMES : NAMES, n, location, phi);
  zero(d_location);
  zero(d_phi);
  if (propto && !locationVar && !phiVar) return 0;
  const includeChoose = !propto || phiVar;
  const includeLocation = !propto || locationVar;
  const sl = stride(location);
  const sp = stride(phi);
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const k = at(n, i);
    const p = at(phi, i);
    const loc = at(location, i);
    const logPhi = log(p);
    // log(μ + φ) and log μ on either scale; on the log scale μ = e^η is never formed alone.
    const logMu = logScale ? loc : log(loc);
    // log(1 + μ/φ) directly, so φ log(φ/(μ + φ)) keeps its accuracy for large φ
    // log1p_exp and inv_logit of loc − log φ are written out below (the same operations): helpers
    // taking doubles stay calls, boxing their argument and result, where this function's inlining
    // budget ran out before them, which depended on which scale had run first
    const logRatio = loc - logPhi;
    const log1pRatio = logScale
      ? logRatio > 0
        ? logRatio + log1pExp(-logRatio)
        : log1pExp(logRatio)
      : log1p(loc / p);
    const logMuPlusPhi = logPhi + log1pRatio;
    if (includeChoose) lp += lchoose(k + p - 1, k);
    if (includeLocation && k !== 0) lp += k * logMu;
    lp -= p * log1pRatio + k * logMuPlusPhi;
    // share of the mean in μ + φ, and (n + φ)/(μ + φ)
    let muShare: number;
    if (!logScale) muShare = loc / (loc + p);
    else if (logRatio < 0) {
      const e = exp(logRatio);
      muShare = e / (1 + e);
    } else muShare = 1 / (1 + exp(-logRatio));
    const ratio = (k + p) * exp(-logMuPlusPhi);
    if (d_location !== null)
      d_location[i * sl] += logScale ? k - (k + p) * muShare : k / loc - ratio;
    if (d_phi !== null) {
      // ψ(φ + n) − ψ(φ): the finite sum Σ_{j<n} 1/(φ + j) for moderate n, exact where the difference cancels
      let digammaDifference = 0;
      if (k > 64) digammaDifference = digamma(p + k) - digamma(p);
      else for (let j = k - 1; j >= 0; j--) digammaDifference += 1 / (p + j);
      d_phi[i * sp] += digammaDifference - log1pRatio + 1 - ratio;
    }
  }
  return lp;
}

/**
 * neg_binomial_2_lpmf(n | mu, phi) = Σ lchoose(n + φ − 1, n) + n log μ + φ log φ − (n + φ) log(μ + φ).
 * Partials: ∂/∂mu = n/μ − (n + φ)/(μ + φ),
 * ∂/∂phi = ψ(n + φ) − ψ(φ) + log(φ/(μ + φ)) + 1 − (n + φ)/(μ + φ).
 * propto keeps lchoose iff phi varies and n log μ iff mu varies.
 */
export function neg_binomial_2_lpmf(n: Int, mu: Real, phi: Real, propto: boolean): number {
  return negBinomial2Lpmf(false, n, mu, phi, propto, null, null, true, true);
}
export function neg_binomial_2_lpmf_vp(
  n: Int,
  mu: Real,
  phi: Real,
  propto: boolean,
  d_mu: Partials,
  d_phi: Partials,
): number {
  return negBinomial2Lpmf(false, n, mu, phi, propto, d_mu, d_phi, d_mu !== null, d_phi !== null);
}

/**
 * neg_binomial_2_log_lpmf(n | eta, phi) = neg_binomial_2_lpmf(n | e^η, phi).
 * Partials: ∂/∂eta = n − (n + φ) e^η/(e^η + φ); ∂/∂phi as for neg_binomial_2 with μ = e^η.
 */
export function neg_binomial_2_log_lpmf(n: Int, eta: Real, phi: Real, propto: boolean): number {
  return negBinomial2Lpmf(true, n, eta, phi, propto, null, null, true, true);
}
export function neg_binomial_2_log_lpmf_vp(
  n: Int,
  eta: Real,
  phi: Real,
  propto: boolean,
  d_eta: Partials,
  d_phi: Partials,
): number {
  return negBinomial2Lpmf(true, n, eta, phi, propto, d_eta, d_phi, d_eta !== null, d_phi !== null);
}

/** Gamma–Poisson mixture: Poisson(μ · Gamma(φ, φ)). */
export function neg_binomial_2_rng(rng: Rng, mu: number, phi: number): number {
  checkPositiveFinite("neg_binomial_2_rng", "Location parameter", mu);
  checkPositiveFinite("neg_binomial_2_rng", "Precision parameter", phi);
  return poissonDraw(rng, (mu * gammaDraw(rng, phi)) / phi);
}

export function neg_binomial_2_log_rng(rng: Rng, eta: number, phi: number): number {
  checkFinite("neg_binomial_2_log_rng", "Log location parameter", eta);
  checkPositiveFinite("neg_binomial_2_log_rng", "Precision parameter", phi);
  return poissonDraw(rng, (exp(eta) * gammaDraw(rng, phi)) / phi);
}
