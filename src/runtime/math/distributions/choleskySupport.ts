/** Small dense helpers for the matrix densities: symmetric checks and Cholesky factorisation. */
import { domainError, formatStanNumber } from "../checks";

/** Throws Stan's message unless the K×K column-major matrix S is symmetric (relative tolerance 1e-8). */
export function checkSymmetric(fn: string, name: string, S: Float64Array, K: number): void {
  if (S.length !== K * K)
    domainError(`${fn}: ${name} has ${S.length} elements, but must be ${K}x${K}`);
  for (let j = 0; j < K; j++) {
    for (let i = j + 1; i < K; i++) {
      const a = S[i + j * K];
      const b = S[j + i * K];
      if (!(Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(a), Math.abs(b)))) {
        domainError(
          `${fn}: ${name} is not symmetric. ${name}[${i + 1},${j + 1}] = ${formatStanNumber(a)}, but ${name}[${j + 1},${i + 1}] = ${formatStanNumber(b)}`,
        );
      }
    }
  }
}

/**
 * Lower Cholesky factor of the symmetric K×K matrix S (lower triangle read) into L (column-major,
 * upper triangle zeroed). Throws Stan's "not positive definite" message on failure.
 */
export function choleskyLower(
  fn: string,
  name: string,
  S: Float64Array,
  K: number,
  L: Float64Array,
): void {
  for (let j = 0; j < K; j++) {
    let d = S[j + j * K];
    for (let k = 0; k < j; k++) d -= L[j + k * K] * L[j + k * K];
    if (!(d > 0) || !Number.isFinite(d)) domainError(`${fn}: ${name} is not positive definite.`);
    const ljj = Math.sqrt(d);
    L[j + j * K] = ljj;
    for (let i = 0; i < j; i++) L[i + j * K] = 0;
    for (let i = j + 1; i < K; i++) {
      let s = S[i + j * K];
      for (let k = 0; k < j; k++) s -= L[i + k * K] * L[j + k * K];
      L[i + j * K] = s / ljj;
    }
  }
}

/** S⁻¹ = L⁻ᵀ L⁻¹ from the Cholesky factor L, into out (K×K, column-major); work needs K values. */
export function inverseFromCholesky(
  L: Float64Array,
  K: number,
  out: Float64Array,
  work: Float64Array,
): void {
  for (let c = 0; c < K; c++) {
    // column c of S⁻¹ solves L Lᵀ x = e_c
    for (let i = 0; i < K; i++) {
      let s = i === c ? 1 : 0;
      for (let j = 0; j < i; j++) s -= L[i + j * K] * work[j];
      work[i] = s / L[i + i * K];
    }
    for (let i = K - 1; i >= 0; i--) {
      let s = work[i];
      for (let j = i + 1; j < K; j++) s -= L[j + i * K] * out[j + c * K];
      out[i + c * K] = s / L[i + i * K];
    }
  }
}
