/** The deprecated LKJ covariance prior: lognormal standard deviations times an LKJ correlation density. */
import { type Partials, type Real, at, checkFinite, checkPositive, checkPositiveFinite, domainError, stride, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { lkjCachedConstant, lkjCachedConstantDeta, lkjConstantSlot } from "./lkjConstant";
import { checkSquare, logDetFromCholesky } from "./multivariateSupport";
import { log } from "../elementary";

const pool = new ScratchPool(3);

function checkLength(fn: string, name: string, x: Real, K: number): void {
  if (typeof x !== "number" && x.length !== K) {
    domainError(`${fn}: size of ${name} (${x.length}) must match the dimension of the covariance matrix (${K})`);
  }
}

function lkjCovLpdf(
  Sigma: Float64Array,
  mu: Real,
  sigma: Real,
  eta: number,
  K: number,
  propto: boolean,
  d_Sigma: Partials,
  d_mu: Partials,
  d_sigma: Partials,
  d_eta: Partials,
  SigmaVar: boolean,
  muVar: boolean,
  sigmaVar: boolean,
  etaVar: boolean,
): number {
  const fn = "lkj_cov_lpdf";
  checkPositive(fn, "Shape parameter", eta);
  checkFinite(fn, "Location parameter", mu);
  checkPositiveFinite(fn, "Scale parameter", sigma);
  checkLength(fn, "Location parameter", mu, K);
  checkLength(fn, "Scale parameter", sigma, K);
  checkSquare(fn, "Covariance matrix", Sigma, K);
  checkSymmetric(fn, "Covariance matrix", Sigma, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Covariance matrix", Sigma, K, L);
  zero(d_Sigma);
  zero(d_mu);
  zero(d_sigma);
  zero(d_eta);
  if (propto && !SigmaVar && !muVar && !sigmaVar && !etaVar) return 0;
  const sMu = stride(mu);
  const sSigma = stride(sigma);
  let lp = 0;
  // lognormal(sd_k | mu_k, sigma_k), sd_k = √Σ_kk, log sd_k = ½ log Σ_kk
  let sumLogVar = 0;
  for (let k = 0; k < K; k++) {
    const v = Sigma[k + k * K];
    const logSd = 0.5 * log(v);
    sumLogVar += log(v);
    const m = at(mu, k);
    const s = at(sigma, k);
    const z = (logSd - m) / s;
    if (!propto) lp -= LOG_SQRT_TWO_PI;
    if (!propto || sigmaVar) lp -= log(s);
    if (!propto || SigmaVar) lp -= logSd;
    if (!propto || SigmaVar || muVar || sigmaVar) lp -= 0.5 * z * z;
    if (d_Sigma !== null) d_Sigma[k + k * K] += (-1 - z / s) / (2 * v);
    if (d_mu !== null) d_mu[k * sMu] += z / s;
    if (d_sigma !== null) d_sigma[k * sSigma] += (z * z - 1) / s;
  }
  // LKJ(R | eta), R = D⁻¹ Σ D⁻¹: (η − 1) log det R + c(η, K), log det R = log det Σ − Σ_k log Σ_kk
  const slot = lkjConstantSlot(eta, K, d_eta !== null);
  if (!propto || etaVar) {
    lp += lkjCachedConstant[slot];
    if (d_eta !== null) d_eta[0] += lkjCachedConstantDeta[slot];
  }
  const logDetR = logDetFromCholesky(L, K) - sumLogVar;
  if (!propto || SigmaVar || etaVar) lp += (eta - 1) * logDetR;
  if (d_eta !== null) d_eta[0] += logDetR;
  if (d_Sigma !== null && eta !== 1) {
    const inv = pool.get(1, K * K);
    inverseFromCholesky(L, K, inv, pool.get(2, K));
    for (let i = 0; i < K * K; i++) d_Sigma[i] += (eta - 1) * inv[i];
    for (let k = 0; k < K; k++) d_Sigma[k + k * K] -= (eta - 1) / Sigma[k + k * K];
  }
  return lp;
}

/**
 * lkj_cov_lpdf(Sigma | mu, sigma, eta) = Σ_k lognormal_lpdf(√Σ_kk | mu_k, sigma_k) + lkj_corr_lpdf(R | eta),
 * R = D⁻¹ Σ D⁻¹, D = diag(√Σ_kk) (no Jacobian; mu, sigma scalars or K-vectors). With z_k = (log √Σ_kk − μ_k)/σ_k:
 * ∂/∂Sigma = (η − 1)(Σ⁻¹ − diag(1/Σ_kk)) + diag((−1 − z_k/σ_k)/(2Σ_kk)), ∂/∂mu_k = z_k/σ_k,
 * ∂/∂sigma_k = (z_k² − 1)/σ_k, ∂/∂eta = log det R + ∂c(η, K)/∂η.
 */
export function lkj_cov_lpdf(Sigma: Float64Array, mu: Real, sigma: Real, eta: number, K: number, propto: boolean): number {
  return lkjCovLpdf(Sigma, mu, sigma, eta, K, propto, null, null, null, null, true, true, true, true);
}
export function lkj_cov_lpdf_vp(
  Sigma: Float64Array,
  mu: Real,
  sigma: Real,
  eta: number,
  K: number,
  propto: boolean,
  d_Sigma: Partials,
  d_mu: Partials,
  d_sigma: Partials,
  d_eta: Partials,
): number {
  return lkjCovLpdf(Sigma, mu, sigma, eta, K, propto, d_Sigma, d_mu, d_sigma, d_eta, d_Sigma !== null, d_mu !== null, d_sigma !== null, d_eta !== null);
}
