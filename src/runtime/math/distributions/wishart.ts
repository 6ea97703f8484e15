/**
 * Wishart, inverse Wishart and Cholesky-factor Wishart densities on K×K matrices (column-major),
 * and their generators. Matrix partials of symmetric arguments are symmetric matrices (each entry
 * the partial for that entry, as multi_normal_lpdf); those of Cholesky factors fill the lower triangle.
 */
import type { Rng } from "../../model";
import { type Partials, checkNotNan, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_PI, LOG_TWO, digamma, lgamma } from "../special";
import { checkSymmetric, choleskyLower, inverseFromCholesky } from "./choleskySupport";
import { checkCholeskyFactor, checkGreater, checkSquare, logDetFromCholesky, multiplySquare } from "./multivariateSupport";
import { gammaDraw } from "./rngSupport";
import { log } from "../elementary";

const pool = new ScratchPool(8);

/** log Γ_K(x) = K(K − 1)/4 log π + Σ_{j=1}^K lΓ(x + (1 − j)/2). */
function lmgamma(K: number, x: number): number {
  let s = 0.25 * K * (K - 1) * LOG_PI;
  for (let j = 1; j <= K; j++) s += lgamma(x + 0.5 * (1 - j));
  return s;
}
/** ∂/∂x log Γ_K(x). */
function lmgammaDx(K: number, x: number): number {
  let s = 0;
  for (let j = 1; j <= K; j++) s += digamma(x + 0.5 * (1 - j));
  return s;
}

/** −log Γ_K(ν/2) − (νK/2) log 2 and its ν-derivative (the ν-only part of both Wishart densities). */
function dofTerm(K: number, nu: number, d_nu: Partials): number {
  if (d_nu !== null) d_nu[0] += -0.5 * lmgammaDx(K, 0.5 * nu) - 0.5 * K * LOG_TWO;
  return -lmgamma(K, 0.5 * nu) - 0.5 * nu * K * LOG_TWO;
}

type Which = "wishart_lpdf" | "inv_wishart_lpdf";

function wishartLpdf(
  fn: Which,
  W: Float64Array,
  nu: number,
  S: Float64Array,
  K: number,
  propto: boolean,
  d_W: Partials,
  d_nu: Partials,
  d_S: Partials,
  WVar: boolean,
  nuVar: boolean,
  SVar: boolean,
): number {
  checkNotNan(fn, "Degrees of freedom parameter", nu);
  checkGreater(fn, "Degrees of freedom parameter", nu, K - 1);
  checkSquare(fn, "random variable", W, K);
  checkSquare(fn, "scale parameter", S, K);
  checkSymmetric(fn, "random variable", W, K);
  checkSymmetric(fn, "scale parameter", S, K);
  const LW = pool.get(0, K * K);
  const LS = pool.get(1, K * K);
  choleskyLower(fn, "LDLT_Factor of random variable", W, K, LW);
  choleskyLower(fn, "LDLT_Factor of scale parameter", S, K, LS);
  zero(d_W);
  zero(d_nu);
  zero(d_S);
  if (propto && !WVar && !nuVar && !SVar) return 0;
  const inverse = fn === "inv_wishart_lpdf";
  const work = pool.get(2, K);
  const Winv = pool.get(3, K * K);
  const Sinv = pool.get(4, K * K);
  inverseFromCholesky(LW, K, Winv, work);
  inverseFromCholesky(LS, K, Sinv, work);
  const logDetW = logDetFromCholesky(LW, K);
  const logDetS = logDetFromCholesky(LS, K);
  let lp = 0;
  if (!propto || nuVar) lp += dofTerm(K, nu, d_nu);
  // Wishart: −(ν/2) log det S + ((ν − K − 1)/2) log det W − ½ tr(S⁻¹ W)
  // inverse: (ν/2) log det S − ((ν + K + 1)/2) log det W − ½ tr(S W⁻¹)
  const sSign = inverse ? 1 : -1;
  if (!propto || nuVar || SVar) {
    lp += 0.5 * sSign * nu * logDetS;
    if (d_nu !== null) d_nu[0] += 0.5 * sSign * logDetS;
    if (d_S !== null) for (let i = 0; i < K * K; i++) d_S[i] += 0.5 * sSign * nu * Sinv[i];
  }
  if (!propto || nuVar || WVar) {
    const c = inverse ? -0.5 * (nu + K + 1) : 0.5 * (nu - K - 1);
    lp += c * logDetW;
    if (d_nu !== null) d_nu[0] += (inverse ? -0.5 : 0.5) * logDetW;
    if (d_W !== null) for (let i = 0; i < K * K; i++) d_W[i] += c * Winv[i];
  }
  if (!propto || WVar || SVar) {
    // tr(A B) of symmetric A, B = Σ_ij A_ij B_ij
    const A = inverse ? S : Sinv;
    const B = inverse ? Winv : W;
    let tr = 0;
    for (let i = 0; i < K * K; i++) tr += A[i] * B[i];
    lp -= 0.5 * tr;
    if (inverse) {
      // ∂/∂S = −½ W⁻¹, ∂/∂W = ½ W⁻¹ S W⁻¹
      if (d_S !== null) for (let i = 0; i < K * K; i++) d_S[i] -= 0.5 * Winv[i];
      if (d_W !== null) sandwich(Winv, S, K, d_W, 0.5);
    } else {
      // ∂/∂W = −½ S⁻¹, ∂/∂S = ½ S⁻¹ W S⁻¹
      if (d_W !== null) for (let i = 0; i < K * K; i++) d_W[i] -= 0.5 * Sinv[i];
      if (d_S !== null) sandwich(Sinv, W, K, d_S, 0.5);
    }
  }
  return lp;
}

/** out += c · A B A (K×K). */
function sandwich(A: Float64Array, B: Float64Array, K: number, out: Float64Array, c: number): void {
  const AB = pool.get(5, K * K);
  const ABA = pool.get(6, K * K);
  multiplySquare(A, B, K, AB);
  multiplySquare(AB, A, K, ABA);
  for (let i = 0; i < K * K; i++) out[i] += c * ABA[i];
}

/**
 * wishart_lpdf(W | nu, S) = −log Γ_K(ν/2) − (νK/2) log 2 − (ν/2) log det S + ((ν − K − 1)/2) log det W
 * − ½ tr(S⁻¹ W). Partials: ∂/∂W = ((ν − K − 1)/2) W⁻¹ − ½ S⁻¹, ∂/∂S = −(ν/2) S⁻¹ + ½ S⁻¹ W S⁻¹,
 * ∂/∂nu = −½ Σ_j ψ(ν/2 + (1 − j)/2) − (K/2) log 2 − ½ log det S + ½ log det W.
 */
export function wishart_lpdf(W: Float64Array, nu: number, S: Float64Array, K: number, propto: boolean): number {
  return wishartLpdf("wishart_lpdf", W, nu, S, K, propto, null, null, null, true, true, true);
}
export function wishart_lpdf_vp(W: Float64Array, nu: number, S: Float64Array, K: number, propto: boolean, d_W: Partials, d_nu: Partials, d_S: Partials): number {
  return wishartLpdf("wishart_lpdf", W, nu, S, K, propto, d_W, d_nu, d_S, d_W !== null, d_nu !== null, d_S !== null);
}

/**
 * inv_wishart_lpdf(W | nu, S) = −log Γ_K(ν/2) − (νK/2) log 2 + (ν/2) log det S − ((ν + K + 1)/2) log det W
 * − ½ tr(S W⁻¹). Partials: ∂/∂W = −((ν + K + 1)/2) W⁻¹ + ½ W⁻¹ S W⁻¹, ∂/∂S = (ν/2) S⁻¹ − ½ W⁻¹,
 * ∂/∂nu = −½ Σ_j ψ(ν/2 + (1 − j)/2) − (K/2) log 2 + ½ log det S − ½ log det W.
 */
export function inv_wishart_lpdf(W: Float64Array, nu: number, S: Float64Array, K: number, propto: boolean): number {
  return wishartLpdf("inv_wishart_lpdf", W, nu, S, K, propto, null, null, null, true, true, true);
}
export function inv_wishart_lpdf_vp(W: Float64Array, nu: number, S: Float64Array, K: number, propto: boolean, d_W: Partials, d_nu: Partials, d_S: Partials): number {
  return wishartLpdf("inv_wishart_lpdf", W, nu, S, K, propto, d_W, d_nu, d_S, d_W !== null, d_nu !== null, d_S !== null);
}

function wishartCholeskyLpdf(
  LW: Float64Array,
  nu: number,
  LS: Float64Array,
  K: number,
  propto: boolean,
  d_LW: Partials,
  d_nu: Partials,
  d_LS: Partials,
  LWVar: boolean,
  nuVar: boolean,
  LSVar: boolean,
): number {
  const fn = "wishart_cholesky_lpdf";
  checkNotNan(fn, "Degrees of freedom parameter", nu);
  checkGreater(fn, "Degrees of freedom parameter", nu, K - 1);
  checkCholeskyFactor(fn, "Cholesky random variable", LW, K);
  checkCholeskyFactor(fn, "Cholesky scale matrix", LS, K);
  zero(d_LW);
  zero(d_nu);
  zero(d_LS);
  if (propto && !LWVar && !nuVar && !LSVar) return 0;
  let lp = 0;
  if (!propto || nuVar) {
    // K log 2 (the Jacobian's constant) − (νK/2) log 2 − log Γ_K(ν/2)
    lp += K * LOG_TWO + dofTerm(K, nu, d_nu);
  }
  if (!propto || LWVar || nuVar) {
    // Σ_k (ν − k) log LW_kk: ((ν − K − 1)/2) log det W plus the Jacobian Σ_k (K − k + 1) log LW_kk
    for (let k = 0; k < K; k++) {
      const d = LW[k + k * K];
      lp += (nu - k - 1) * log(d);
      if (d_nu !== null) d_nu[0] += log(d);
      if (d_LW !== null) d_LW[k + k * K] += (nu - k - 1) / d;
    }
  }
  if (!propto || LSVar || nuVar) {
    for (let k = 0; k < K; k++) {
      const d = LS[k + k * K];
      lp -= nu * log(d);
      if (d_nu !== null) d_nu[0] -= log(d);
      if (d_LS !== null) d_LS[k + k * K] -= nu / d;
    }
  }
  if (!propto || LWVar || LSVar) {
    // −½ ‖M‖², M = LS⁻¹ LW (lower triangular), by forward substitution column by column
    const M = pool.get(0, K * K);
    for (let j = 0; j < K; j++) {
      for (let i = 0; i < K; i++) {
        if (i < j) {
          M[i + j * K] = 0;
          continue;
        }
        let s = LW[i + j * K];
        for (let k = j; k < i; k++) s -= LS[i + k * K] * M[k + j * K];
        M[i + j * K] = s / LS[i + i * K];
      }
    }
    let ss = 0;
    for (let i = 0; i < K * K; i++) ss += M[i] * M[i];
    lp -= 0.5 * ss;
    if (d_LW !== null || d_LS !== null) {
      // G = LS⁻ᵀ M (back substitution): ∂/∂LW = −G; ∂/∂LS = G Mᵀ (lower triangles)
      const G = pool.get(1, K * K);
      for (let j = 0; j < K; j++) {
        for (let i = K - 1; i >= 0; i--) {
          let s = M[i + j * K];
          for (let k = i + 1; k < K; k++) s -= LS[k + i * K] * G[k + j * K];
          G[i + j * K] = s / LS[i + i * K];
        }
      }
      if (d_LW !== null) for (let j = 0; j < K; j++) for (let i = j; i < K; i++) d_LW[i + j * K] -= G[i + j * K];
      if (d_LS !== null) {
        for (let j = 0; j < K; j++) {
          for (let i = j; i < K; i++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += G[i + k * K] * M[j + k * K];
            d_LS[i + j * K] += s;
          }
        }
      }
    }
  }
  return lp;
}

/**
 * wishart_cholesky_lpdf(LW | nu, LS): the Wishart density of W = LW LWᵀ given S = LS LSᵀ times the
 * Jacobian of LW ↦ W, log J = K log 2 + Σ_k (K − k + 1) log LW_kk; that is
 * K log 2 − (νK/2) log 2 − log Γ_K(ν/2) + Σ_k (ν − k) log LW_kk − ν Σ_k log LS_kk − ½ ‖LS⁻¹ LW‖².
 * With M = LS⁻¹ LW: ∂/∂LW = −LS⁻ᵀ M + diag((ν − k)/LW_kk), ∂/∂LS = LS⁻ᵀ M Mᵀ − diag(ν/LS_kk) (lower
 * triangles), ∂/∂nu = −½ Σ_j ψ(ν/2 + (1 − j)/2) − (K/2) log 2 + Σ log LW_kk − Σ log LS_kk.
 */
export function wishart_cholesky_lpdf(LW: Float64Array, nu: number, LS: Float64Array, K: number, propto: boolean): number {
  return wishartCholeskyLpdf(LW, nu, LS, K, propto, null, null, null, true, true, true);
}
export function wishart_cholesky_lpdf_vp(LW: Float64Array, nu: number, LS: Float64Array, K: number, propto: boolean, d_LW: Partials, d_nu: Partials, d_LS: Partials): number {
  return wishartCholeskyLpdf(LW, nu, LS, K, propto, d_LW, d_nu, d_LS, d_LW !== null, d_nu !== null, d_LS !== null);
}

/**
 * Bartlett decomposition: A lower triangular with A_ii = √χ²(ν − i + 1) (i = 1…K) and standard normal
 * entries below the diagonal; then L A is a Cholesky factor of a Wishart(ν, L Lᵀ) draw. Into `out`.
 */
function bartlett(rng: Rng, nu: number, L: Float64Array, K: number, out: Float64Array): void {
  const A = pool.get(7, K * K);
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) {
      if (i < j) A[i + j * K] = 0;
      else if (i === j) A[i + j * K] = Math.sqrt(2 * gammaDraw(rng, 0.5 * (nu - i)));
      else A[i + j * K] = rng.normal();
    }
  }
  // out = L A (both lower triangular)
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let k = j; k <= i; k++) s += L[i + k * K] * A[k + j * K];
      out[i + j * K] = i < j ? 0 : s;
    }
  }
}

/** out = C Cᵀ for lower-triangular C (K×K). */
function selfOuter(C: Float64Array, K: number, out: Float64Array): void {
  for (let j = 0; j < K; j++) {
    for (let i = j; i < K; i++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += C[i + k * K] * C[j + k * K];
      out[i + j * K] = s;
      out[j + i * K] = s;
    }
  }
}

/** Writes a Wishart(nu, S) draw into `out`. */
export function wishart_rng(rng: Rng, out: Float64Array, nu: number, S: Float64Array, K: number): void {
  const fn = "wishart_rng";
  checkGreater(fn, "degrees of freedom > dims - 1", nu, K - 1);
  checkSquare(fn, "scale parameter", S, K);
  checkSymmetric(fn, "scale parameter", S, K);
  const L = pool.get(0, K * K);
  choleskyLower(fn, "scale parameter", S, K, L);
  const C = pool.get(1, K * K);
  bartlett(rng, nu, L, K, C);
  selfOuter(C, K, out);
}

/** Writes the Cholesky factor of a Wishart(nu, LS LSᵀ) draw into `out`. */
export function wishart_cholesky_rng(rng: Rng, out: Float64Array, nu: number, LS: Float64Array, K: number): void {
  const fn = "wishart_cholesky_rng";
  checkGreater(fn, "degrees of freedom > dims - 1", nu, K - 1);
  checkCholeskyFactor(fn, "Cholesky Scale matrix", LS, K);
  bartlett(rng, nu, LS, K, out);
}

/** Writes an inverse Wishart(nu, S) draw into `out`: the inverse of a Wishart(nu, S⁻¹) draw. */
export function inv_wishart_rng(rng: Rng, out: Float64Array, nu: number, S: Float64Array, K: number): void {
  const fn = "inv_wishart_rng";
  checkGreater(fn, "degrees of freedom > dims - 1", nu, K - 1);
  checkSquare(fn, "scale parameter", S, K);
  checkSymmetric(fn, "scale parameter", S, K);
  const LS = pool.get(0, K * K);
  choleskyLower(fn, "scale parameter", S, K, LS);
  const Sinv = pool.get(2, K * K);
  inverseFromCholesky(LS, K, Sinv, pool.get(3, K));
  const L = pool.get(4, K * K);
  choleskyLower(fn, "scale parameter", Sinv, K, L);
  const C = pool.get(1, K * K);
  bartlett(rng, nu, L, K, C);
  // W = C Cᵀ; W⁻¹ from the Cholesky factor C
  inverseFromCholesky(C, K, out, pool.get(3, K));
}
