/**
 * Categorical distribution on the probability and logit scales. The outcome y is Stan's category
 * value, 1..K (it is data, not an index expression, so it keeps Stan's numbering).
 */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  at,
  checkBounded,
  checkFinite,
  checkSimplex,
  zero,
} from "../checks";
import { log_sum_exp_vector } from "../special";
import { exp, log } from "../elementary";

function count(y: Int): number {
  return typeof y === "number" ? 1 : y.length;
}

/**
 * categorical_lpmf(y | theta) = Σ_n log θ_{y_n}. Partial: ∂/∂theta_k = (number of n with y_n = k)/θ_k.
 * propto drops everything when theta is constant.
 */
export function categorical_lpmf_vp(
  y: Int,
  theta: Float64Array,
  propto: boolean,
  d_theta: Partials,
): number {
  const fn = "categorical_lpmf";
  const K = theta.length;
  checkBounded(fn, "Number of categories", y, 1, K);
  checkSimplex(fn, "Probabilities parameter", theta);
  zero(d_theta);
  if (propto && d_theta === null) return 0;
  let lp = 0;
  const n = count(y);
  for (let i = 0; i < n; i++) {
    const k = at(y, i) - 1;
    lp += log(theta[k]);
    if (d_theta !== null) d_theta[k] += 1 / theta[k];
  }
  return lp;
}
export function categorical_lpmf(y: Int, theta: Float64Array, propto: boolean): number {
  void propto; // every argument is treated as a parameter: there is no constant term to drop
  return categorical_lpmf_vp(y, theta, false, null);
}

/**
 * categorical_logit_lpmf(y | beta) = Σ_n β_{y_n} − log Σ_k e^{β_k}.
 * Partial: ∂/∂beta_k = (number of n with y_n = k) − N softmax(β)_k. propto drops everything for constant beta.
 */
export function categorical_logit_lpmf_vp(
  y: Int,
  beta: Float64Array,
  propto: boolean,
  d_beta: Partials,
): number {
  const fn = "categorical_logit_lpmf";
  const K = beta.length;
  checkBounded(fn, "categorical outcome out of support", y, 1, K);
  checkFinite(fn, "log odds parameter", beta);
  zero(d_beta);
  if (propto && d_beta === null) return 0;
  const n = count(y);
  const lse = log_sum_exp_vector(beta);
  let lp = -n * lse;
  for (let i = 0; i < n; i++) {
    const k = at(y, i) - 1;
    lp += beta[k];
    if (d_beta !== null) d_beta[k] += 1;
  }
  if (d_beta !== null) for (let k = 0; k < K; k++) d_beta[k] -= n * exp(beta[k] - lse);
  return lp;
}
export function categorical_logit_lpmf(y: Int, beta: Float64Array, propto: boolean): number {
  void propto;
  return categorical_logit_lpmf_vp(y, beta, false, null);
}

/** One draw (1..K) by inversion of the cumulative probabilities. */
export function categorical_rng(rng: Rng, theta: Float64Array): number {
  checkSimplex("categorical_rng", "Probabilities parameter", theta);
  const u = rng.uniform();
  let c = 0;
  for (let k = 0; k < theta.length; k++) {
    c += theta[k];
    if (u < c) return k + 1;
  }
  return theta.length;
}

/** One draw (1..K) with probabilities softmax(beta). */
export function categorical_logit_rng(rng: Rng, beta: Float64Array): number {
  checkFinite("categorical_logit_rng", "Log odds parameter", beta);
  const lse = log_sum_exp_vector(beta);
  const u = rng.uniform();
  let c = 0;
  for (let k = 0; k < beta.length; k++) {
    c += exp(beta[k] - lse);
    if (u < c) return k + 1;
  }
  return beta.length;
}
