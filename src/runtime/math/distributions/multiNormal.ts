/** Multivariate normal parameterised by its covariance matrix. */
import type { Rng } from "../../model";
import { type Partials, checkFinite, checkNotNan, domainError, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { log } from "../elementary";

const pool = new ScratchPool(4);

function vectorCount(fn: string, name: string, x: Float64Array, K: number): number {
  if (K === 0 || x.length % K !== 0 || x.length === 0) {
    domainError(
      `${fn}: Size of ${name} (${x.length}) must be a multiple of the covariance dimension (${K})`,
    );
  }
  return x.length / K;
}

function multiNormalLpdf(
  y: Float64Array,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_Sigma: Partials,
  yVar: boolean,
  muVar: boolean,
  SigmaVar: boolean,
): number {
  const fn = "multi_normal_lpdf";
  const Ny = vectorCount(fn, "random variable", y, K);
  const Nm = vectorCount(fn, "location parameter", mu, K);
  if (Ny !== Nm && Ny !== 1 && Nm !== 1) {
    domainError(
      `${fn}: number of random variables (${Ny}) and number of location parameters (${Nm}) must match`,
    );
  }
  checkFinite(fn, "Location parameter", mu);
  checkNotNan(fn, "Random variable", y);
  checkSymmetric(fn, "Covariance matrix", Sigma, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Covariance matrix", Sigma, K, L);
  zero(d_y);
  zero(d_mu);
  zero(d_Sigma);
  if (propto && !yVar && !muVar && !SigmaVar) return 0;
  const N = Math.max(Ny, Nm);
  const yStep = Ny === 1 ? 0 : K;
  const muStep = Nm === 1 ? 0 : K;
  const a = pool.get(1, K);
  const b = pool.get(2, K);
  const wantGradient = d_y !== null || d_mu !== null || d_Sigma !== null;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const yo = n * yStep;
    const mo = n * muStep;
    for (let i = 0; i < K; i++) {
      let s = y[yo + i] - mu[mo + i];
      for (let j = 0; j < i; j++) s -= L[i + j * K] * a[j];
      a[i] = s / L[i + i * K];
    }
    let quad = 0;
    for (let i = 0; i < K; i++) quad += a[i] * a[i];
    lp -= 0.5 * quad;
    if (!wantGradient) continue;
    for (let i = K - 1; i >= 0; i--) {
      let s = a[i];
      for (let j = i + 1; j < K; j++) s -= L[j + i * K] * b[j];
      b[i] = s / L[i + i * K];
    }
    if (d_y !== null) for (let i = 0; i < K; i++) d_y[yo + i] -= b[i];
    if (d_mu !== null) for (let i = 0; i < K; i++) d_mu[mo + i] += b[i];
    if (d_Sigma !== null) {
      for (let j = 0; j < K; j++)
        for (let i = 0; i < K; i++) d_Sigma[i + j * K] += 0.5 * b[i] * b[j];
    }
  }
  if (!propto || SigmaVar) {
    let sumLogDiag = 0;
    for (let i = 0; i < K; i++) sumLogDiag += log(L[i + i * K]);
    lp -= N * sumLogDiag;
    if (d_Sigma !== null) {
      const inv = pool.get(3, K * K);
      inverseFromCholesky(L, K, inv, a);
      for (let i = 0; i < K * K; i++) d_Sigma[i] -= 0.5 * N * inv[i];
    }
  }
  if (!propto) lp -= N * K * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * multi_normal_lpdf(y | mu, Sigma) = Σ_n −(K/2) log 2π − ½ log det Σ − ½ (y_n − μ_n)ᵀ Σ⁻¹ (y_n − μ_n),
 * computed through the Cholesky factor of Σ. Shapes of y and mu as for multi_normal_cholesky_lpdf.
 * With b_n = Σ⁻¹(y_n − μ_n): ∂/∂y_n = −b_n, ∂/∂mu_n = b_n, ∂/∂Sigma = ½ Σ_n b_n b_nᵀ − (N/2) Σ⁻¹
 * (a symmetric matrix: each entry is the partial for that entry, so a symmetric perturbation E_ij + E_ji
 * changes the value by twice the entry). propto drops −(K/2) log 2π, and log det Σ when Sigma is constant.
 */
export function multi_normal_lpdf(
  y: Float64Array,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
  propto: boolean,
): number {
  return multiNormalLpdf(y, mu, Sigma, K, propto, null, null, null, true, true, true);
}
export function multi_normal_lpdf_vp(
  y: Float64Array,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_Sigma: Partials,
): number {
  return multiNormalLpdf(
    y,
    mu,
    Sigma,
    K,
    propto,
    d_y,
    d_mu,
    d_Sigma,
    d_y !== null,
    d_mu !== null,
    d_Sigma !== null,
  );
}

/** Writes one draw mu_n + chol(Sigma) z_n into `out` per location vector mu_n (mu holds N·K values). */
export function multi_normal_rng(
  rng: Rng,
  out: Float64Array,
  mu: Float64Array,
  Sigma: Float64Array,
  K: number,
): void {
  const fn = "multi_normal_rng";
  checkFinite(fn, "Location parameter", mu);
  checkSymmetric(fn, "Covariance matrix", Sigma, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Covariance matrix", Sigma, K, L);
  const z = pool.get(1, K);
  const N = K === 0 ? 0 : mu.length / K;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < K; i++) z[i] = rng.normal();
    for (let i = 0; i < K; i++) {
      let s = mu[n * K + i];
      for (let j = 0; j <= i; j++) s += L[i + j * K] * z[j];
      out[n * K + i] = s;
    }
  }
}
