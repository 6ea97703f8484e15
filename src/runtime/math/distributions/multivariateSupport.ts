/** Shapes and small dense steps shared by the multivariate densities added for issue #17. */
import { domainError, formatStanNumber } from "../checks";
import { log } from "../elementary";

/** Number of K-vectors packed in `x` (an array of vectors flattened, or a single vector). */
export function vectorCount(fn: string, name: string, x: Float64Array, K: number): number {
  if (K === 0 || x.length % K !== 0 || x.length === 0) {
    domainError(`${fn}: Size of ${name} (${x.length}) must be a multiple of the dimension (${K})`);
  }
  return x.length / K;
}

/**
 * The number of (y, mu) pairs: equal counts, or one side a single vector broadcast over the other
 * (its offset step is then 0: `x.length === K ? 0 : K`).
 */
export function pairCount(fn: string, y: Float64Array, mu: Float64Array, K: number): number {
  const Ny = vectorCount(fn, "random variable", y, K);
  const Nm = vectorCount(fn, "location parameter", mu, K);
  if (Ny !== Nm && Ny !== 1 && Nm !== 1) {
    domainError(`${fn}: number of random variables (${Ny}) and number of location parameters (${Nm}) must match`);
  }
  return Math.max(Ny, Nm);
}

/** Stan's square-matrix check for a K-row matrix passed as `M.length` values. */
export function checkSquare(fn: string, name: string, M: Float64Array, K: number): void {
  if (M.length !== K * K) {
    const cols = K === 0 ? 0 : M.length / K;
    domainError(`${fn}: Expecting a square matrix; rows of ${name} (${K}) and columns of ${name} (${cols}) must match in size`);
  }
}

/** Stan's Cholesky-factor check: square, lower triangular, positive diagonal. */
export function checkCholeskyFactor(fn: string, name: string, L: Float64Array, K: number): void {
  checkSquare(fn, name, L, K);
  for (let j = 1; j < K; j++) {
    for (let i = 0; i < j; i++) {
      const x = L[i + j * K];
      if (x !== 0) domainError(`${fn}: ${name} is not lower triangular; ${name}[${i + 1},${j + 1}]=${formatStanNumber(x)}`);
    }
  }
  for (let i = 0; i < K; i++) {
    const d = L[i + i * K];
    if (!(d > 0)) domainError(`${fn}: ${name} is not positive definite; ${name}[${i + 1},${i + 1}]=${formatStanNumber(d)}`);
  }
}

/** Stan's check_greater for a scalar. */
export function checkGreater(fn: string, name: string, x: number, low: number): void {
  if (!(x > low)) domainError(`${fn}: ${name} is ${formatStanNumber(x)}, but must be greater than ${formatStanNumber(low)}`);
}

/** log det of L Lᵀ from its lower Cholesky factor: 2 Σ log L_ii. */
export function logDetFromCholesky(L: Float64Array, K: number): number {
  let s = 0;
  for (let i = 0; i < K; i++) s += log(L[i + i * K]);
  return 2 * s;
}

/** out = A B for K×K column-major matrices (out must not alias A or B). */
export function multiplySquare(A: Float64Array, B: Float64Array, K: number, out: Float64Array): void {
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < K; i++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += A[i + k * K] * B[k + j * K];
      out[i + j * K] = s;
    }
  }
}
