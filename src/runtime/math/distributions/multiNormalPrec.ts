/** Multivariate normal parameterised by its precision matrix. */
import { type Partials, checkFinite, checkNotNan, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { pairCount } from "./multivariateSupport";
import { log } from "../elementary";

const pool = new ScratchPool(4);

function multiNormalPrecLpdf(
  y: Float64Array,
  mu: Float64Array,
  Omega: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_Omega: Partials,
  OmegaVar: boolean,
  anyVar: boolean,
): number {
  const fn = "multi_normal_prec_lpdf";
  const N = pairCount(fn, y, mu, K);
  const yStep = y.length === K ? 0 : K;
  const muStep = mu.length === K ? 0 : K;
  checkFinite(fn, "Location parameter", mu);
  checkNotNan(fn, "Random variable", y);
  checkSymmetric(fn, "Precision matrix", Omega, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Precision matrix", Omega, K, L);
  zero(d_y);
  zero(d_mu);
  zero(d_Omega);
  if (propto && !anyVar) return 0;
  const r = pool.get(1, K);
  const Or = pool.get(2, K);
  let quad = 0;
  for (let n = 0; n < N; n++) {
    const yo = n * yStep;
    const mo = n * muStep;
    for (let i = 0; i < K; i++) r[i] = y[yo + i] - mu[mo + i];
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += Omega[i + j * K] * r[j];
      Or[i] = s;
      quad += r[i] * s;
    }
    if (d_y !== null) for (let i = 0; i < K; i++) d_y[yo + i] -= Or[i];
    if (d_mu !== null) for (let i = 0; i < K; i++) d_mu[mo + i] += Or[i];
    if (d_Omega !== null) for (let j = 0; j < K; j++) for (let i = 0; i < K; i++) d_Omega[i + j * K] -= 0.5 * r[i] * r[j];
  }
  let lp = -0.5 * quad;
  if (!propto || OmegaVar) {
    // ½ log det Ω = Σ log L_ii
    let sumLogDiag = 0;
    for (let i = 0; i < K; i++) sumLogDiag += log(L[i + i * K]);
    lp += N * sumLogDiag;
    if (d_Omega !== null) {
      const inv = pool.get(3, K * K);
      inverseFromCholesky(L, K, inv, r);
      for (let i = 0; i < K * K; i++) d_Omega[i] += 0.5 * N * inv[i];
    }
  }
  if (!propto) lp -= N * K * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * multi_normal_prec_lpdf(y | mu, Omega) = Σ_n −(K/2) log 2π + ½ log det Ω − ½ (y_n − μ_n)ᵀ Ω (y_n − μ_n);
 * y and mu as for multi_normal_lpdf. With r_n = y_n − μ_n: ∂/∂y_n = −Ω r_n, ∂/∂mu_n = Ω r_n,
 * ∂/∂Omega = (N/2) Ω⁻¹ − ½ Σ_n r_n r_nᵀ (symmetric). propto drops −(K/2) log 2π, and log det Ω when
 * Omega is constant.
 */
export function multi_normal_prec_lpdf(y: Float64Array, mu: Float64Array, Omega: Float64Array, K: number, propto: boolean): number {
  return multiNormalPrecLpdf(y, mu, Omega, K, propto, null, null, null, true, true);
}
export function multi_normal_prec_lpdf_vp(
  y: Float64Array,
  mu: Float64Array,
  Omega: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_Omega: Partials,
): number {
  return multiNormalPrecLpdf(y, mu, Omega, K, propto, d_y, d_mu, d_Omega, d_Omega !== null, d_y !== null || d_mu !== null || d_Omega !== null);
}
