/**
 * Beta-binomial log CDF and log CCDF as finite sums of the mass function (every term positive, so
 * neither sum cancels):
 *   F(n) = Σ_{k=0..n} p_k,  1 − F(n) = Σ_{k=n+1..N} p_k,  p_k = C(N, k) B(k + α, N − k + β) / B(α, β),
 * summed on the log scale. With w_k = p_k / Σ p the partials are
 *   ∂/∂α log Σ p = Σ w_k (ψ(k + α) − ψ(N + α + β) − ψ(α) + ψ(α + β)),
 *   ∂/∂β log Σ p = Σ w_k (ψ(N − k + β) − ψ(N + α + β) − ψ(β) + ψ(α + β)).
 * Below the support (n < 0) the CDF is 0 and the CCDF 1; at or above N the CDF is 1 and the CCDF 0.
 */
import { type Int, type Partials, type Real, at, broadcastLength, checkNonnegative, checkPositiveFinite, stride, zero } from "../checks";
import { digamma, lbeta, lchoose } from "../special";
import { exp, log } from "../elementary";

const NAMES = ["Successes variable", "Population size parameter", "First prior sample size parameter", "Second prior sample size parameter"];

/** logSumMass's result: ∂/∂α and ∂/∂β of log Σ p, then log Σ p itself (in memory: a returned double is boxed when the call is not inlined). */
const sumGrad = new Float64Array(3);
/** logSumMass's α and β, passed in memory for the same reason. */
const shapes = new Float64Array(2);

/**
 * log Σ_{k=from..to} p_k for one element (α, β in shapes) into sumGrad[2], with ∂/∂α and ∂/∂β of it in sumGrad[0..1] (from ≤ to). The first
 * term from lchoose and lbeta, the others by the ratio p_(k+1)/p_k = (N − k)(k + α) / ((k + 1)(N − k − 1 + β)),
 * and the digammas by their recurrences, so each element costs O(to − from) arithmetic; terms are
 * accumulated against the largest log term seen so far.
 */
function logSumMass(from: number, to: number, N: number): void {
  const alpha = shapes[0];
  const beta = shapes[1];
  const common = digamma(alpha + beta) - digamma(N + alpha + beta);
  const psiA0 = digamma(alpha);
  const psiB0 = digamma(beta);
  let psiKA = digamma(from + alpha); // ψ(k + α), stepped upwards
  let psiNKB = digamma(N - from + beta); // ψ(N − k + β), stepped downwards
  let logP = lchoose(N, from) + lbeta(from + alpha, N - from + beta) - lbeta(alpha, beta);
  let max = -Infinity;
  let sum = 0;
  let gA = 0;
  let gB = 0;
  for (let k = from; k <= to; k++) {
    const dA = psiKA - psiA0 + common;
    const dB = psiNKB - psiB0 + common;
    if (logP > max) {
      const scale = exp(max - logP);
      sum *= scale;
      gA *= scale;
      gB *= scale;
      max = logP;
    }
    const w = exp(logP - max);
    sum += w;
    gA += w * dA;
    gB += w * dB;
    if (k === to) break;
    logP += log(((N - k) * (k + alpha)) / ((k + 1) * (N - k - 1 + beta)));
    psiKA += 1 / (k + alpha);
    psiNKB -= 1 / (N - k - 1 + beta);
  }
  sumGrad[0] = gA / sum;
  sumGrad[1] = gB / sum;
  sumGrad[2] = max + log(sum);
}

function betaBinomialLogTail(fn: string, lower: boolean, n: Int, N: Int, alpha: Real, beta: Real, d_alpha: Partials, d_beta: Partials): number {
  const len = broadcastLength(fn, NAMES, n, N, alpha, beta);
  checkNonnegative(fn, NAMES[1], N as Real | Int32Array);
  checkPositiveFinite(fn, NAMES[2], alpha);
  checkPositiveFinite(fn, NAMES[3], beta);
  zero(d_alpha);
  zero(d_beta);
  const sa = stride(alpha);
  const sb = stride(beta);
  let lp = 0;
  for (let i = 0; i < len; i++) {
    const k = at(n, i);
    const size = at(N, i);
    // the tail that is a sum of no terms: log 0; the one that is all of them: log 1
    if (k < 0) {
      if (lower) return -Infinity;
      continue;
    }
    if (k >= size) {
      if (!lower) return -Infinity;
      continue;
    }
    shapes[0] = at(alpha, i);
    shapes[1] = at(beta, i);
    if (lower) logSumMass(0, k, size);
    else logSumMass(k + 1, size, size);
    lp += sumGrad[2];
    if (d_alpha !== null) d_alpha[i * sa] += sumGrad[0];
    if (d_beta !== null) d_beta[i * sb] += sumGrad[1];
  }
  return lp;
}

/** beta_binomial_lcdf(n | N, α, β) = Σ log F(n_i); partials in the file comment. */
export function beta_binomial_lcdf(n: Int, N: Int, alpha: Real, beta: Real): number {
  return betaBinomialLogTail("beta_binomial_lcdf", true, n, N, alpha, beta, null, null);
}
export function beta_binomial_lcdf_vp(n: Int, N: Int, alpha: Real, beta: Real, d_alpha: Partials, d_beta: Partials): number {
  return betaBinomialLogTail("beta_binomial_lcdf", true, n, N, alpha, beta, d_alpha, d_beta);
}

/** beta_binomial_lccdf(n | N, α, β) = Σ log(1 − F(n_i)). */
export function beta_binomial_lccdf(n: Int, N: Int, alpha: Real, beta: Real): number {
  return betaBinomialLogTail("beta_binomial_lccdf", false, n, N, alpha, beta, null, null);
}
export function beta_binomial_lccdf_vp(n: Int, N: Int, alpha: Real, beta: Real, d_alpha: Partials, d_beta: Partials): number {
  return betaBinomialLogTail("beta_binomial_lccdf", false, n, N, alpha, beta, d_alpha, d_beta);
}
