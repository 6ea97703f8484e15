/** Multivariate Student-t, parameterised by its scale matrix or by a Cholesky factor of it. */
import type { Rng } from "../../model";
import { type Partials, checkFinite, checkNotNan, checkPositive, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_PI, LOG_SQRT_TWO_PI, digamma, lgamma } from "../special";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { pairCount } from "./multivariateSupport";
import { gammaDraw } from "./rngSupport";
import { log, log1p } from "../elementary";

const pool = new ScratchPool(4);

/**
 * Value and partials given the lower Cholesky factor L of the scale matrix. The scale's partials go
 * to `d_L` (lower triangle, Cholesky form) or `d_Sigma` (symmetric, scale-matrix form).
 */
function mvtCore(
  fn: string,
  y: Float64Array,
  nu: number,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_L: Partials,
  d_Sigma: Partials,
  nuVar: boolean,
  scaleVar: boolean,
  anyVar: boolean,
): number {
  const N = pairCount(fn, y, mu, K);
  const yStep = y.length === K ? 0 : K;
  const muStep = mu.length === K ? 0 : K;
  zero(d_y);
  zero(d_nu);
  zero(d_mu);
  zero(d_L);
  zero(d_Sigma);
  if (propto && !anyVar) return 0;
  const normalLimit = nu === Infinity; // the multivariate normal
  const a = pool.get(1, K); // a = L⁻¹ (y − μ)
  const b = pool.get(2, K); // b = L⁻ᵀ a = Σ⁻¹ (y − μ)
  const wantGradient = d_y !== null || d_mu !== null || d_L !== null || d_Sigma !== null || d_nu !== null;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const yo = n * yStep;
    const mo = n * muStep;
    let q = 0;
    for (let i = 0; i < K; i++) {
      let s = y[yo + i] - mu[mo + i];
      for (let j = 0; j < i; j++) s -= L[i + j * K] * a[j];
      a[i] = s / L[i + i * K];
      q += a[i] * a[i];
    }
    lp += normalLimit ? -0.5 * q : -0.5 * (nu + K) * log1p(q / nu);
    if (!wantGradient) continue;
    // ∂/∂q of the term: −w/2 with w = (ν + K)/(ν + q)
    const w = normalLimit ? 1 : (nu + K) / (nu + q);
    if (d_nu !== null && !normalLimit) d_nu[0] += -0.5 * log1p(q / nu) + (0.5 * (nu + K) * q) / (nu * (nu + q));
    if (d_y === null && d_mu === null && d_L === null && d_Sigma === null) continue;
    for (let i = K - 1; i >= 0; i--) {
      let s = a[i];
      for (let j = i + 1; j < K; j++) s -= L[j + i * K] * b[j];
      b[i] = s / L[i + i * K];
    }
    for (let i = 0; i < K; i++) {
      const wb = w * b[i];
      if (d_y !== null) d_y[yo + i] -= wb;
      if (d_mu !== null) d_mu[mo + i] += wb;
      if (d_L !== null) for (let j = 0; j <= i; j++) d_L[i + j * K] += wb * a[j];
      if (d_Sigma !== null) for (let j = 0; j < K; j++) d_Sigma[i + j * K] += 0.5 * wb * b[j];
    }
  }
  if (normalLimit) {
    if (!propto) lp -= N * K * LOG_SQRT_TWO_PI;
  } else {
    if (!propto || nuVar) {
      lp += N * (lgamma(0.5 * (nu + K)) - lgamma(0.5 * nu) - 0.5 * K * log(nu));
      if (d_nu !== null) d_nu[0] += N * (0.5 * digamma(0.5 * (nu + K)) - 0.5 * digamma(0.5 * nu) - (0.5 * K) / nu);
    }
    if (!propto) lp -= 0.5 * N * K * LOG_PI;
  }
  if (!propto || scaleVar) {
    let sumLogDiag = 0;
    for (let i = 0; i < K; i++) sumLogDiag += log(L[i + i * K]);
    lp -= N * sumLogDiag;
    if (d_L !== null) for (let i = 0; i < K; i++) d_L[i + i * K] -= N / L[i + i * K];
    if (d_Sigma !== null) {
      const inv = pool.get(3, K * K);
      inverseFromCholesky(L, K, inv, a);
      for (let i = 0; i < K * K; i++) d_Sigma[i] -= 0.5 * N * inv[i];
    }
  }
  return lp;
}

function checkDof(fn: string, nu: number): void {
  checkNotNan(fn, "Degrees of freedom parameter", nu);
  checkPositive(fn, "Degrees of freedom parameter", nu);
}

function mvtLpdf(
  y: Float64Array,
  nu: number,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_Sigma: Partials,
  nuVar: boolean,
  scaleVar: boolean,
  anyVar: boolean,
): number {
  const fn = "multi_student_t_lpdf";
  checkDof(fn, nu);
  checkNotNan(fn, "Random variable", y);
  checkFinite(fn, "Location parameter", mu);
  checkSymmetric(fn, "Scale parameter", Sigma, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Scale parameter", Sigma, K, L);
  return mvtCore(fn, y, nu, mu, L, K, propto, d_y, d_nu, d_mu, null, d_Sigma, !propto || nuVar, !propto || scaleVar, anyVar);
}

/**
 * multi_student_t_lpdf(y | nu, mu, Sigma) = Σ_n lΓ((ν + K)/2) − lΓ(ν/2) − (K/2) log(νπ) − ½ log det Σ
 * − ((ν + K)/2) log(1 + q_n/ν), q_n = (y_n − μ_n)ᵀ Σ⁻¹ (y_n − μ_n); y and mu as for multi_normal_lpdf.
 * With b_n = Σ⁻¹(y_n − μ_n), w_n = (ν + K)/(ν + q_n): ∂/∂y_n = −w_n b_n, ∂/∂mu_n = w_n b_n,
 * ∂/∂Sigma = ½ Σ_n w_n b_n b_nᵀ − (N/2) Σ⁻¹ (symmetric), ∂/∂nu = Σ_n ½ψ((ν + K)/2) − ½ψ(ν/2) − K/(2ν)
 * − ½ log(1 + q_n/ν) + (ν + K) q_n / (2ν(ν + q_n)). ν = ∞ is the multivariate normal.
 */
export function multi_student_t_lpdf(y: Float64Array, nu: number, mu: Float64Array, Sigma: Float64Array, K: number, propto: boolean): number {
  return mvtLpdf(y, nu, mu, Sigma, K, propto, null, null, null, null, true, true, true);
}
export function multi_student_t_lpdf_vp(
  y: Float64Array,
  nu: number,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_Sigma: Partials,
): number {
  return mvtLpdf(y, nu, mu, Sigma, K, propto, d_y, d_nu, d_mu, d_Sigma, d_nu !== null, d_Sigma !== null, d_y !== null || d_nu !== null || d_mu !== null || d_Sigma !== null);
}

function mvtCholeskyLpdf(
  y: Float64Array,
  nu: number,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_L: Partials,
  nuVar: boolean,
  scaleVar: boolean,
  anyVar: boolean,
): number {
  const fn = "multi_student_t_cholesky_lpdf";
  checkDof(fn, nu);
  checkNotNan(fn, "Random variable", y);
  checkFinite(fn, "Location parameter", mu);
  return mvtCore(fn, y, nu, mu, L, K, propto, d_y, d_nu, d_mu, d_L, null, !propto || nuVar, !propto || scaleVar, anyVar);
}

/**
 * multi_student_t_cholesky_lpdf(y | nu, mu, L): multi_student_t_lpdf with Σ = L Lᵀ. With a_n = L⁻¹(y_n − μ_n),
 * b_n = L⁻ᵀ a_n and w_n as there: ∂/∂L = Σ_n w_n b_n a_nᵀ − N diag(1 / L_ii) (lower triangle); the
 * other partials as for multi_student_t_lpdf.
 */
export function multi_student_t_cholesky_lpdf(y: Float64Array, nu: number, mu: Float64Array, L: Float64Array, K: number, propto: boolean): number {
  return mvtCholeskyLpdf(y, nu, mu, L, K, propto, null, null, null, null, true, true, true);
}
export function multi_student_t_cholesky_lpdf_vp(
  y: Float64Array,
  nu: number,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_L: Partials,
): number {
  return mvtCholeskyLpdf(y, nu, mu, L, K, propto, d_y, d_nu, d_mu, d_L, d_nu !== null, d_L !== null, d_y !== null || d_nu !== null || d_mu !== null || d_L !== null);
}

/** Writes draws mu_n + sqrt(W_n) L z_n, W_n ~ InvGamma(ν/2, ν/2), into `out` (one per location vector). */
export function multi_student_t_rng(rng: Rng, out: Float64Array, nu: number, mu: Float64Array, Sigma: Float64Array, K: number): void {
  const fn = "multi_student_t_rng";
  checkDof(fn, nu);
  checkFinite(fn, "Location parameter", mu);
  checkSymmetric(fn, "Scale matrix", Sigma, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Scale matrix", Sigma, K, L);
  const z = pool.get(1, K);
  const N = K === 0 ? 0 : mu.length / K;
  for (let n = 0; n < N; n++) {
    const scale = nu === Infinity ? 1 : Math.sqrt((0.5 * nu) / gammaDraw(rng, 0.5 * nu));
    for (let i = 0; i < K; i++) z[i] = rng.normal();
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j <= i; j++) s += L[i + j * K] * z[j];
      out[n * K + i] = mu[n * K + i] + scale * s;
    }
  }
}
