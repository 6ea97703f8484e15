/** Multinomial distribution on the probability and logit scales. */
import type { Rng } from "../../model";
import {
  type Partials,
  checkFinite,
  checkNonnegative,
  checkSimplex,
  domainError,
  zero,
} from "../checks";
import { lgamma, log_sum_exp_vector } from "../special";
import { binomialDraw } from "./rngSupport";
import { exp, log } from "../elementary";

function checkCounts(fn: string, ns: Int32Array | Float64Array, K: number): void {
  if (ns.length !== K) {
    domainError(
      `${fn}: Size of number of trials variable (${ns.length}) and rows of probabilities parameter (${K}) must match in size`,
    );
  }
  for (let k = 0; k < K; k++) {
    if (!(ns[k] >= 0)) domainError(`${fn}: Number of trials variable[${k + 1}] is ${ns[k]}, but must be nonnegative!`);
  }
}

/** log(N! / Π n_k!) with N = Σ n_k. */
function logMultinomialCoefficient(ns: Int32Array | Float64Array): number {
  let total = 0;
  let c = 0;
  for (let k = 0; k < ns.length; k++) {
    total += ns[k];
    c -= lgamma(ns[k] + 1);
  }
  return c + lgamma(total + 1);
}

/**
 * multinomial_lpmf(ns | theta) = log(N!/Π n_k!) + Σ n_k log θ_k (a zero count contributes 0).
 * Partial: ∂/∂theta_k = n_k / θ_k. propto drops the coefficient (ns is data).
 */
export function multinomial_lpmf_vp(ns: Int32Array, theta: Float64Array, propto: boolean, d_theta: Partials): number {
  const fn = "multinomial_lpmf";
  checkCounts(fn, ns, theta.length);
  checkSimplex(fn, "Probabilities parameter", theta);
  zero(d_theta);
  if (propto && d_theta === null) return 0;
  let lp = propto ? 0 : logMultinomialCoefficient(ns);
  for (let k = 0; k < theta.length; k++) {
    if (ns[k] === 0) continue;
    lp += ns[k] * log(theta[k]);
    if (d_theta !== null) d_theta[k] = ns[k] / theta[k];
  }
  return lp;
}
export function multinomial_lpmf(ns: Int32Array, theta: Float64Array, propto: boolean): number {
  const fn = "multinomial_lpmf";
  checkCounts(fn, ns, theta.length);
  checkSimplex(fn, "Probabilities parameter", theta);
  let lp = propto ? 0 : logMultinomialCoefficient(ns);
  for (let k = 0; k < theta.length; k++) if (ns[k] !== 0) lp += ns[k] * log(theta[k]);
  return lp;
}

/**
 * multinomial_logit_lpmf(ns | gamma) = log(N!/Π n_k!) + Σ n_k γ_k − N log Σ exp(γ_k).
 * Partial: ∂/∂gamma_k = n_k − N softmax(γ)_k. propto drops the coefficient.
 */
export function multinomial_logit_lpmf_vp(ns: Int32Array, gamma: Float64Array, propto: boolean, d_gamma: Partials): number {
  const fn = "multinomial_logit_lpmf";
  checkCounts(fn, ns, gamma.length);
  checkFinite(fn, "log-probabilities parameter", gamma);
  zero(d_gamma);
  if (propto && d_gamma === null) return 0;
  let lp = propto ? 0 : logMultinomialCoefficient(ns);
  let total = 0;
  for (let k = 0; k < gamma.length; k++) {
    total += ns[k];
    lp += ns[k] * gamma[k];
  }
  const lse = log_sum_exp_vector(gamma);
  lp -= total * lse;
  if (d_gamma !== null) for (let k = 0; k < gamma.length; k++) d_gamma[k] = ns[k] - total * exp(gamma[k] - lse);
  return lp;
}
export function multinomial_logit_lpmf(ns: Int32Array, gamma: Float64Array, propto: boolean): number {
  return multinomial_logit_lpmf_vp(ns, gamma, propto, null);
}

/** Counts summing to N into `out`: each count binomial given the ones drawn before it. */
function drawMultinomial(rng: Rng, out: Int32Array, theta: Float64Array, N: number): void {
  let left = N;
  let massLeft = 1;
  for (let k = 0; k < theta.length; k++) {
    const p = massLeft > 0 ? Math.min(1, Math.max(0, theta[k] / massLeft)) : 0;
    const draw = k === theta.length - 1 ? left : binomialDraw(rng, left, p);
    out[k] = draw;
    left -= draw;
    massLeft -= theta[k];
  }
}

/** Writes one draw (counts summing to N) into `out`. */
export function multinomial_rng(rng: Rng, out: Int32Array, theta: Float64Array, N: number): void {
  const fn = "multinomial_rng";
  checkSimplex(fn, "Probabilities parameter", theta);
  checkNonnegative(fn, "number of trials variables", N);
  drawMultinomial(rng, out, theta, N);
}

/** multinomial_rng on softmax(gamma). */
export function multinomial_logit_rng(rng: Rng, out: Int32Array, gamma: Float64Array, N: number): void {
  const fn = "multinomial_logit_rng";
  checkFinite(fn, "Log-probabilities parameter", gamma);
  checkNonnegative(fn, "number of trials variables", N);
  const lse = log_sum_exp_vector(gamma);
  const theta = new Float64Array(gamma.length);
  for (let k = 0; k < gamma.length; k++) theta[k] = exp(gamma[k] - lse);
  drawMultinomial(rng, out, theta, N);
}
