/** Logistic regression as one fused mass function. */
import {
  type Int,
  type Partials,
  type Real,
  at,
  checkBounded,
  checkSize,
  domainError,
  stride,
  zero,
} from "../checks";
import { ScratchPool } from "../scratch";
import { inv_logit, log_inv_logit } from "../special";

const pool = new ScratchPool(1);

function bernoulliLogitGlmLpmf(
  y: Int,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  propto: boolean,
  d_X: Partials,
  d_alpha: Partials,
  d_beta: Partials,
): number {
  const fn = "bernoulli_logit_glm_lpmf";
  checkBounded(fn, "Vector of dependent variables", y, 0, 1);
  if (X.length !== N * K)
    domainError(
      `${fn}: Matrix of independent variables has ${X.length} elements, but must be ${N}x${K}`,
    );
  if (typeof y !== "number") checkSize(fn, "Vector of dependent variables", y.length, N);
  checkSize(fn, "Weight vector", beta.length, K);
  if (typeof alpha !== "number") checkSize(fn, "Vector of intercepts", alpha.length, N);
  zero(d_X);
  zero(d_alpha);
  zero(d_beta);
  if (propto && d_X === null && d_alpha === null && d_beta === null) return 0;
  const g = pool.get(0, N);
  for (let n = 0; n < N; n++) g[n] = at(alpha, n);
  for (let k = 0; k < K; k++) {
    const bk = beta[k];
    const col = k * N;
    for (let n = 0; n < N; n++) g[n] += X[col + n] * bk;
  }
  const sa = stride(alpha);
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const eta = g[n];
    const sign = at(y, n) === 1 ? 1 : -1;
    lp += log_inv_logit(sign * eta);
    const d = sign * inv_logit(-sign * eta); // y − inv_logit(η)
    g[n] = d;
    if (d_alpha !== null) d_alpha[n * sa] += d;
  }
  if (!Number.isFinite(lp)) {
    for (const [name, v] of [
      ["Weight vector", beta],
      ["Intercept", alpha],
      ["Matrix of independent variables", X],
    ] as const) {
      if (typeof v === "number" ? !Number.isFinite(v) : v.some((x) => !Number.isFinite(x))) {
        domainError(`${fn}: ${name} must be finite!`);
      }
    }
  }
  if (d_beta !== null) {
    for (let k = 0; k < K; k++) {
      const col = k * N;
      let s = 0;
      for (let n = 0; n < N; n++) s += X[col + n] * g[n];
      d_beta[k] = s;
    }
  }
  if (d_X !== null) {
    for (let k = 0; k < K; k++) {
      const col = k * N;
      for (let n = 0; n < N; n++) d_X[col + n] = g[n] * beta[k];
    }
  }
  return lp;
}

/**
 * bernoulli_logit_glm_lpmf(y | X, alpha, beta) = Σ_n bernoulli_logit_lpmf(y_n | α_n + X_n·β), X an N×K
 * column-major matrix, alpha scalar or N-vector, beta a K-vector. With g_n = y_n − inv_logit(η_n):
 * ∂/∂alpha_n = g_n (summed for scalar alpha), ∂/∂beta = Xᵀ g, ∂/∂X_nk = g_n β_k.
 * propto drops everything when X, alpha and beta are all constant.
 */
export function bernoulli_logit_glm_lpmf(
  y: Int,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  propto: boolean,
): number {
  // With every argument treated as a parameter, propto drops nothing: the mass function has no constant.
  void propto;
  return bernoulliLogitGlmLpmf(y, X, N, K, alpha, beta, false, null, null, null);
}

export function bernoulli_logit_glm_lpmf_vp(
  y: Int,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  propto: boolean,
  d_X: Partials,
  d_alpha: Partials,
  d_beta: Partials,
): number {
  return bernoulliLogitGlmLpmf(y, X, N, K, alpha, beta, propto, d_X, d_alpha, d_beta);
}
