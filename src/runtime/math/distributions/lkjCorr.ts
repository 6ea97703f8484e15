/** LKJ distribution on correlation matrices (Stan 2.21 normalisation). */
import type { Rng } from "../../model";
import { type Partials, checkPositive, domainError, formatStanNumber, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { lkjCachedConstant, lkjCachedConstantDeta, lkjConstantSlot } from "./lkjConstant";
import { lkj_corr_cholesky_rng } from "./lkjCorrCholesky";
import { log } from "../elementary";

const pool = new ScratchPool(3);

function lkjCorrLpdf(
  Omega: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
  d_Omega: Partials,
  d_eta: Partials,
  etaVar: boolean,
): number {
  const fn = "lkj_corr_lpdf";
  checkPositive(fn, "Shape parameter", eta);
  checkSymmetric(fn, "Correlation matrix", Omega, K);
  for (let i = 0; i < K; i++) {
    const d = Omega[i + i * K];
    if (!(Math.abs(d - 1) <= 1e-8)) {
      domainError(
        `${fn}: Correlation matrix is not a valid correlation matrix. Correlation matrix(${i + 1},${i + 1}) is ${formatStanNumber(d)}, but should be near 1`,
      );
    }
  }
  const L = pool.get(0, K * K);
  choleskyLower(fn, "Correlation matrix", Omega, K, L);
  zero(d_Omega);
  zero(d_eta);
  let lp = 0;
  const slot = lkjConstantSlot(eta, K, d_eta !== null);
  if (!propto || etaVar) lp += lkjCachedConstant[slot];
  let logDet = 0;
  for (let i = 0; i < K; i++) logDet += 2 * log(L[i + i * K]);
  lp += (eta - 1) * logDet;
  if (d_eta !== null) d_eta[0] = lkjCachedConstantDeta[slot] + logDet;
  if (d_Omega !== null && eta !== 1) {
    const inv = pool.get(1, K * K);
    inverseFromCholesky(L, K, inv, pool.get(2, K));
    for (let i = 0; i < K * K; i++) d_Omega[i] = (eta - 1) * inv[i];
  }
  return lp;
}

/**
 * lkj_corr_lpdf(Omega | eta) = c(η, K) + (η − 1) log det Ω, Ω a K×K correlation matrix (column-major),
 * c as in `lkj_log_constant`. Partials: ∂/∂Omega = (η − 1) Ω⁻¹ (symmetric; each entry is that entry's
 * partial), ∂/∂eta = ∂c/∂η + log det Ω. propto drops c when eta is constant.
 */
export function lkj_corr_lpdf(
  Omega: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
): number {
  return lkjCorrLpdf(Omega, K, eta, propto, null, null, true);
}
export function lkj_corr_lpdf_vp(
  Omega: Float64Array,
  K: number,
  eta: number,
  propto: boolean,
  d_Omega: Partials,
  d_eta: Partials,
): number {
  return lkjCorrLpdf(Omega, K, eta, propto, d_Omega, d_eta, d_eta !== null);
}

/** Writes one LKJ(eta) correlation matrix draw into `out` (K×K): L Lᵀ of a Cholesky-factor draw. */
export function lkj_corr_rng(rng: Rng, out: Float64Array, K: number, eta: number): void {
  const L = pool.get(0, K * K);
  lkj_corr_cholesky_rng(rng, L, K, eta);
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let k = 0; k <= Math.min(i, j); k++) s += L[i + k * K] * L[j + k * K];
      out[i + j * K] = i === j ? 1 : s;
    }
  }
}
