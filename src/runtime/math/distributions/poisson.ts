/** Poisson distribution on the rate and log-rate scales: mass functions and rngs. */
import type { Rng } from "../../model";
import {
  type Int,
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkNonnegative,
  checkNotNan,
  domainError,
  stride,
  zero,
} from "../checks";
import { lgamma } from "../special";
import { poissonDraw } from "./rngSupport";
import { exp, log } from "../elementary";

const RATE_NAMES = ["Random variable", "Rate parameter"];
const LOG_RATE_NAMES = ["Random variable", "Log rate parameter"];

/** Stan's largest rate for which poisson_rng is defined (2^30). */
const POISSON_MAX_RATE = 1073741824;

function poissonLpmf(
  n: Int,
  lambda: Real,
  propto: boolean,
  d_lambda: Partials,
  lambdaVar: boolean,
): number {
  const fn = "poisson_lpmf";
  checkNonnegative(fn, "Random variable", n);
  checkNotNan(fn, "Rate parameter", lambda);
  checkNonnegative(fn, "Rate parameter", lambda);
  const N = broadcastLength(fn, RATE_NAMES, n, lambda);
  zero(d_lambda);
  for (let i = 0; i < N; i++) {
    const l = at(lambda, i);
    if (l === Infinity || (l === 0 && at(n, i) !== 0)) return -Infinity;
  }
  if (propto && !lambdaVar) return 0;
  const sl = stride(lambda);
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const k = at(n, i);
    const l = at(lambda, i);
    if (!propto) lp -= lgamma(k + 1);
    if (k !== 0) lp += k * log(l);
    lp -= l;
    if (d_lambda !== null) d_lambda[i * sl] += k / l - 1;
  }
  return lp;
}

/**
 * poisson_lpmf(n | lambda) = Σ n log λ − λ − lgamma(n + 1).
 * Partial: ∂/∂lambda = n/λ − 1. propto drops lgamma(n + 1), and everything for constant lambda.
 */
export function poisson_lpmf(n: Int, lambda: Real, propto: boolean): number {
  return poissonLpmf(n, lambda, propto, null, true);
}
export function poisson_lpmf_vp(n: Int, lambda: Real, propto: boolean, d_lambda: Partials): number {
  return poissonLpmf(n, lambda, propto, d_lambda, d_lambda !== null);
}

function poissonLogLpmf(
  n: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
  alphaVar: boolean,
): number {
  const fn = "poisson_log_lpmf";
  checkNonnegative(fn, "Random variable", n);
  checkNotNan(fn, "Log rate parameter", alpha);
  const N = broadcastLength(fn, LOG_RATE_NAMES, n, alpha);
  zero(d_alpha);
  for (let i = 0; i < N; i++) {
    const a = at(alpha, i);
    if (a === Infinity || (a === -Infinity && at(n, i) !== 0)) return -Infinity;
  }
  if (propto && !alphaVar) return 0;
  const na = typeof n === "number" ? null : n;
  const ns = typeof n === "number" ? n : 0;
  const aa = typeof alpha === "number" ? null : alpha;
  const as = typeof alpha === "number" ? alpha : 0;
  const dav = aa === null ? null : d_alpha;
  const scalarRate = exp(as);
  let ga = 0;
  let lp = 0;
  for (let i = 0; i < N; i++) {
    const k = na === null ? ns : na[i];
    const a = aa === null ? as : aa[i];
    const rate = aa === null ? scalarRate : exp(a);
    if (!propto) lp -= lgamma(k + 1);
    if (k !== 0) lp += k * a;
    lp -= rate;
    if (dav !== null) dav[i] = k - rate;
    else ga += k - rate;
  }
  if (d_alpha !== null && dav === null) d_alpha[0] = ga;
  return lp;
}

/**
 * poisson_log_lpmf(n | alpha) = Σ n α − e^α − lgamma(n + 1).
 * Partial: ∂/∂alpha = n − e^α. propto drops lgamma(n + 1), and everything for constant alpha.
 */
export function poisson_log_lpmf(n: Int, alpha: Real, propto: boolean): number {
  return poissonLogLpmf(n, alpha, propto, null, true);
}
export function poisson_log_lpmf_vp(
  n: Int,
  alpha: Real,
  propto: boolean,
  d_alpha: Partials,
): number {
  return poissonLogLpmf(n, alpha, propto, d_alpha, d_alpha !== null);
}

export function poisson_rng(rng: Rng, lambda: number): number {
  checkNonnegative("poisson_rng", "Rate parameter", lambda);
  if (!(lambda < POISSON_MAX_RATE)) {
    domainError(
      `poisson_rng: Rate parameter is ${lambda}, but must be less than ${POISSON_MAX_RATE}`,
    );
  }
  return poissonDraw(rng, lambda);
}

export function poisson_log_rng(rng: Rng, alpha: number): number {
  const rate = exp(alpha);
  if (!(rate < POISSON_MAX_RATE)) {
    domainError(
      `poisson_log_rng: Log rate parameter is ${alpha}, but must be less than ${log(POISSON_MAX_RATE)}`,
    );
  }
  return poissonDraw(rng, rate);
}
