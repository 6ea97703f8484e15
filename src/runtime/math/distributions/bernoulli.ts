/** Bernoulli distribution on the probability and logit scales: mass functions and rngs. */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkBounded,
  checkNotNan,
  stride,
  zero,
} from "../checks";
import { inv_logit } from "../special";
import { exp, log, log1p } from "../elementary";

const BERNOULLI_NAMES = ["n", "Probability parameter"];
const LOGIT_NAMES = ["n", "Logit transformed probability parameter"];

function bernoulliLpmf(
  n: Int,
  theta: Real,
  propto: boolean,
  d_theta: Partials,
  thetaVar: boolean,
): number {
  const fn = "bernoulli_lpmf";
  checkBounded(fn, "n", n, 0, 1);
  checkBounded(fn, "Probability parameter", theta, 0, 1);
  const N = broadcastLength(fn, BERNOULLI_NAMES, n, theta);
  zero(d_theta);
  if (propto && !thetaVar) return 0;
  const st = stride(theta);
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const t = at(theta, i);
    if (at(n, i) === 1) {
      lp += log(t);
      if (d_theta !== null) d_theta[i * st] += 1 / t;
    } else {
      lp += log1p(-t);
      if (d_theta !== null) d_theta[i * st] -= 1 / (1 - t);
    }
  }
  return lp;
}

/**
 * bernoulli_lpmf(n | theta) = Σ n log θ + (1 − n) log(1 − θ).
 * Partial: ∂/∂theta = 1/θ for n = 1, −1/(1 − θ) for n = 0. propto drops everything when theta is constant.
 */
export function bernoulli_lpmf(n: Int, theta: Real, propto: boolean): number {
  return bernoulliLpmf(n, theta, propto, null, true);
}
export function bernoulli_lpmf_vp(n: Int, theta: Real, propto: boolean, d_theta: Partials): number {
  return bernoulliLpmf(n, theta, propto, d_theta, d_theta !== null);
}

function bernoulliLogitLpmf(
  n: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
  alphaVar: boolean,
): number {
  const fn = "bernoulli_logit_lpmf";
  checkBounded(fn, "n", n, 0, 1);
  checkNotNan(fn, "Logit transformed probability parameter", alpha);
  const N = broadcastLength(fn, LOGIT_NAMES, n, alpha);
  zero(d_alpha);
  if (propto && !alphaVar) return 0;
  const na = typeof n === "number" ? null : n;
  const ns = typeof n === "number" ? n : 0;
  const aa = typeof alpha === "number" ? null : alpha;
  const as = typeof alpha === "number" ? alpha : 0;
  const dav = aa === null ? null : d_alpha;
  let ga = 0;
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const sign = (na === null ? ns : na[i]) === 1 ? 1 : -1;
    const u = sign * (aa === null ? as : aa[i]);
    // one exp serves both log inv_logit(u) and its derivative inv_logit(−u)
    const e = exp(-Math.abs(u));
    const log1pE = log1p(e);
    lp += u < 0 ? u - log1pE : -log1pE;
    const g = sign * (u < 0 ? 1 / (1 + e) : e / (1 + e));
    if (dav !== null) dav[i] = g;
    else ga += g;
  }
  if (d_alpha !== null && dav === null) d_alpha[0] = ga;
  return lp;
}

/**
 * bernoulli_logit_lpmf(n | alpha) = Σ log inv_logit((2n − 1) α).
 * Partial: ∂/∂alpha = n − inv_logit(α). propto drops everything when alpha is constant.
 */
export function bernoulli_logit_lpmf(n: Int, alpha: Real, propto: boolean): number {
  return bernoulliLogitLpmf(n, alpha, propto, null, true);
}
export function bernoulli_logit_lpmf_vp(
  n: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
): number {
  return bernoulliLogitLpmf(n, alpha, propto, d_alpha, d_alpha !== null);
}

export function bernoulli_rng(rng: Rng, theta: number): number {
  checkBounded("bernoulli_rng", "Probability parameter", theta, 0, 1);
  return rng.uniform() < theta ? 1 : 0;
}

export function bernoulli_logit_rng(rng: Rng, alpha: number): number {
  checkNotNan("bernoulli_logit_rng", "Logit transformed probability parameter", alpha);
  return rng.uniform() < inv_logit(alpha) ? 1 : 0;
}
