/** Binomial distribution on the probability and logit scales: mass functions and rng. */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkBounded,
  checkNonnegative,
  checkNotNan,
  domainError,
  stride,
  zero,
} from "../checks";
import { lchoose } from "../special";
import { binomialDraw } from "./rngSupport";
import { exp, log, log1p, log1pExp } from "../elementary";

const NAMES = ["Successes variable", "Population size parameter", "Probability parameter"];

function checkCounts(fn: string, n: Int, N: Int, len: number): void {
  checkNonnegative(fn, NAMES[0], n);
  checkNonnegative(fn, NAMES[1], N);
  for (let i = 0; i < len; i++) {
    if (at(n, i) > at(N, i)) {
      const where = typeof n === "number" ? NAMES[0] : `${NAMES[0]}[${i + 1}]`;
      domainError(`${fn}: ${where} is ${at(n, i)}, but must be in the interval [0, ${at(N, i)}]`);
    }
  }
}

function binomialLpmf(
  n: Int,
  N: Int,
  theta: Real,
  propto: boolean,
  d_theta: Partials,
  thetaVar: boolean,
): number {
  const fn = "binomial_lpmf";
  const len = broadcastLength(fn, NAMES, n, N, theta);
  checkCounts(fn, n, N, len);
  checkBounded(fn, NAMES[2], theta, 0, 1);
  zero(d_theta);
  if (propto && !thetaVar) return 0;
  const st = stride(theta);
  let lp = 0;
  for (let i = 0; i < len; i++) {
    const k = at(n, i);
    const m = at(N, i);
    const t = at(theta, i);
    if (!propto) lp += lchoose(m, k);
    // 0 · log 0 = 0 at the boundaries θ ∈ {0, 1}
    if (k > 0) lp += k * log(t);
    if (m - k > 0) lp += (m - k) * log1p(-t);
    if (d_theta !== null)
      d_theta[i * st] += (k > 0 ? k / t : 0) - (m - k > 0 ? (m - k) / (1 - t) : 0);
  }
  return lp;
}

/**
 * binomial_lpmf(n | N, theta) = Σ lchoose(N, n) + n log θ + (N − n) log(1 − θ).
 * Partial: ∂/∂theta = n/θ − (N − n)/(1 − θ). propto drops lchoose(N, n), and everything for constant theta.
 */
export function binomial_lpmf(n: Int, N: Int, theta: Real, propto: boolean): number {
  return binomialLpmf(n, N, theta, propto, null, true);
}
export function binomial_lpmf_vp(
  n: Int,
  N: Int,
  theta: Real,
  propto: boolean,
  d_theta: Partials,
): number {
  return binomialLpmf(n, N, theta, propto, d_theta, d_theta !== null);
}

function binomialLogitLpmf(
  n: Int,
  N: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
  alphaVar: boolean,
): number {
  const fn = "binomial_logit_lpmf";
  const len = broadcastLength(fn, NAMES, n, N, alpha);
  checkCounts(fn, n, N, len);
  checkNotNan(fn, "Probability parameter", alpha);
  zero(d_alpha);
  if (propto && !alphaVar) return 0;
  const sa = stride(alpha);
  let lp = 0;
  for (let i = 0; i < len; i++) {
    const k = at(n, i);
    const m = at(N, i);
    const a = at(alpha, i);
    if (!propto) lp += lchoose(m, k);
    // log_inv_logit(±a) and inv_logit(a) written out (the same operations): helpers taking doubles
    // stay calls, boxing their argument and result, where this function's inlining budget ran out
    // before them, which depended on what other kernels had run first
    if (k > 0) lp += k * (a < 0 ? a - log1pExp(a) : -log1pExp(-a));
    if (m - k > 0) lp += (m - k) * (-a < 0 ? -a - log1pExp(-a) : -log1pExp(a));
    if (d_alpha !== null) {
      let invLogit: number;
      if (a < 0) {
        const e = exp(a);
        invLogit = e / (1 + e);
      } else invLogit = 1 / (1 + exp(-a));
      d_alpha[i * sa] += k - m * invLogit;
    }
  }
  return lp;
}

/**
 * binomial_logit_lpmf(n | N, alpha) = Σ lchoose(N, n) + n log inv_logit(α) + (N − n) log inv_logit(−α).
 * Partial: ∂/∂alpha = n − N inv_logit(α). propto drops lchoose(N, n), and everything for constant alpha.
 */
export function binomial_logit_lpmf(n: Int, N: Int, alpha: Real, propto: boolean): number {
  return binomialLogitLpmf(n, N, alpha, propto, null, true);
}
export function binomial_logit_lpmf_vp(
  n: Int,
  N: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
): number {
  return binomialLogitLpmf(n, N, alpha, propto, d_alpha, d_alpha !== null);
}

export function binomial_rng(rng: Rng, N: number, theta: number): number {
  checkNonnegative("binomial_rng", NAMES[1], N);
  checkBounded("binomial_rng", NAMES[2], theta, 0, 1);
  return binomialDraw(rng, N, theta);
}
