/** LKJ distribution on Cholesky factors of correlation matrices (Stan 2.21 normalisation). */
import type { Rng } from "../../model";
import { type Partials, checkPositive, domainError, zero } from "../checks";
import { lkjCachedConstant, lkjCachedConstantDeta, lkjConstantSlot } from "./lkjConstant";
import { gammaDraw } from "./rngSupport";
import { log } from "../elementary";

export { lkj_log_constant, lkj_log_constant_deta } from "./lkjConstant";

function checkLowerTriangular(fn: string, L: Float64Array, K: number): void {
  if (L.length !== K * K)
    domainError(`${fn}: Random variable has ${L.length} elements, but must be ${K}x${K}`);
  for (let j = 1; j < K; j++) {
    for (let i = 0; i < j; i++) {
      if (L[i + j * K] !== 0) {
        domainError(
          `${fn}: Random variable is not lower triangular; Random variable[${i + 1},${j + 1}]=${L[i + j * K]}`,
        );
      }
    }
  }
}

function lkjCorrCholeskyLpdf(
  L: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
  d_L: Partials,
  d_eta: Partials,
  etaVar: boolean,
): number {
  const fn = "lkj_corr_cholesky_lpdf";
  checkPositive(fn, "Shape parameter", eta);
  checkLowerTriangular(fn, L, K);
  zero(d_L);
  zero(d_eta);
  let lp = 0;
  const slot = lkjConstantSlot(eta, K, d_eta !== null);
  if (!propto || etaVar) lp += lkjCachedConstant[slot];
  let sumLogDiag = 0;
  for (let i = 1; i < K; i++) {
    const diag = L[i + i * K];
    const logDiag = log(diag);
    // Stan's 0-based row i has exponent K − i − 1 + 2η − 2 (1-based: K − i + 2η − 2).
    const coefficient = K - i - 1 + 2 * eta - 2;
    lp += coefficient * logDiag;
    sumLogDiag += logDiag;
    if (d_L !== null) d_L[i + i * K] = coefficient / diag;
  }
  if (d_eta !== null) d_eta[0] = lkjCachedConstantDeta[slot] + 2 * sumLogDiag;
  return lp;
}

/**
 * lkj_corr_cholesky_lpdf(L | eta), L a K×K lower-triangular Cholesky factor (column-major):
 * c(η, K) + Σ_{i=2}^{K} (K − i + 2η − 2) log L_ii (1-based i); see `lkj_log_constant` for c.
 * Partials: ∂/∂L_ii = (K − i + 2η − 2)/L_ii (other entries 0), ∂/∂eta = ∂c/∂η + 2 Σ_{i≥2} log L_ii.
 * propto drops c(η, K) when eta is constant (the log-diagonal terms are always kept, as in Stan).
 */
export function lkj_corr_cholesky_lpdf(
  L: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
): number {
  return lkjCorrCholeskyLpdf(L, K, eta, propto, null, null, true);
}
export function lkj_corr_cholesky_lpdf_vp(
  L: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
  d_L: Partials,
  d_eta: Partials,
): number {
  return lkjCorrCholeskyLpdf(L, K, eta, propto, d_L, d_eta, d_eta !== null);
}

/**
 * Draws the Cholesky factor of an LKJ(eta) correlation matrix into `out` (K×K, column-major) by the
 * onion method's canonical partial correlations: CPC in row i, column j < i is 2·Beta(α, α) − 1 with
 * α = η + (K − 2 − j)/2 (0-based j), then mapped to a Cholesky factor row by row.
 */
export function lkj_corr_cholesky_rng(rng: Rng, out: Float64Array, K: number, eta: number): void {
  checkPositive("lkj_corr_cholesky_rng", "Shape parameter", eta);
  out.fill(0);
  if (K === 0) return;
  out[0] = 1;
  for (let i = 1; i < K; i++) {
    let remaining = 1; // 1 − Σ_{j<current} L_ij²
    for (let j = 0; j < i; j++) {
      const alpha = eta + 0.5 * (K - 2 - j);
      const g1 = gammaDraw(rng, alpha);
      const g2 = gammaDraw(rng, alpha);
      const cpc = (2 * g1) / (g1 + g2) - 1;
      const value = cpc * Math.sqrt(remaining);
      out[i + j * K] = value;
      remaining -= value * value;
    }
    out[i + i * K] = Math.sqrt(Math.max(remaining, 0));
  }
}
