/** Multivariate normal parameterised by a Cholesky factor of the covariance. */
import type { Rng } from "../../model";
import { type Partials, checkFinite, checkNotNan, domainError, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";

const pool = new ScratchPool(2);

/** Number of K-vectors packed in `x` (an array of vectors flattened, or a single vector). */
function vectorCount(fn: string, name: string, x: Float64Array, K: number): number {
  if (K === 0)
    return x.length === 0
      ? 1
      : domainError(`${fn}: ${name} has size ${x.length}, but must have size 0`);
  if (x.length % K !== 0 || x.length === 0) {
    domainError(
      `${fn}: Size of ${name} (${x.length}) must be a multiple of the covariance dimension (${K})`,
    );
  }
  return x.length / K;
}

function multiNormalCholeskyLpdf(
  y: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_L: Partials,
  yVar: boolean,
  muVar: boolean,
  LVar: boolean,
): number {
  const fn = "multi_normal_cholesky_lpdf";
  if (L.length !== K * K)
    domainError(`${fn}: Cholesky factor has ${L.length} elements, but must be ${K}x${K}`);
  const Ny = vectorCount(fn, "random variable", y, K);
  const Nm = vectorCount(fn, "location parameter", mu, K);
  if (Ny !== Nm && Ny !== 1 && Nm !== 1) {
    domainError(
      `${fn}: number of random variables (${Ny}) and number of location parameters (${Nm}) must match`,
    );
  }
  checkFinite(fn, "Location parameter", mu);
  checkNotNan(fn, "Random variable", y);
  zero(d_y);
  zero(d_mu);
  zero(d_L);
  if (propto && !yVar && !muVar && !LVar) return 0;
  const N = Math.max(Ny, Nm);
  const yStep = Ny === 1 ? 0 : K;
  const muStep = Nm === 1 ? 0 : K;
  const a = pool.get(0, K); // a = L⁻¹ (y − μ)
  const b = pool.get(1, K); // b = L⁻ᵀ a = Σ⁻¹ (y − μ)
  const wantGradient = d_y !== null || d_mu !== null || d_L !== null;
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
    if (d_L !== null) {
      for (let j = 0; j < K; j++) for (let i = j; i < K; i++) d_L[i + j * K] += b[i] * a[j];
    }
  }
  if (!propto || LVar) {
    let sumLogDiag = 0;
    for (let i = 0; i < K; i++) sumLogDiag += Math.log(L[i + i * K]);
    lp -= N * sumLogDiag;
    if (d_L !== null) for (let i = 0; i < K; i++) d_L[i + i * K] -= N / L[i + i * K];
  }
  if (!propto) lp -= N * K * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * multi_normal_cholesky_lpdf(y | mu, L) = Σ_n −(K/2) log 2π − Σ_i log L_ii − ½ ‖L⁻¹(y_n − μ_n)‖².
 * `y` and `mu` are each one K-vector or an array of N K-vectors flattened (vector n at n·K); a single
 * vector broadcasts. `L` is K×K lower triangular, column-major (only its lower triangle is read).
 * With a_n = L⁻¹(y_n − μ_n) and b_n = L⁻ᵀ a_n: ∂/∂y_n = −b_n, ∂/∂mu_n = b_n (summed when broadcast),
 * ∂/∂L = Σ_n b_n a_nᵀ − N diag(1/L_ii) on the lower triangle (upper entries 0).
 * propto drops −(K/2) log 2π, and Σ log L_ii when L is constant.
 */
export function multi_normal_cholesky_lpdf(
  y: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
): number {
  return multiNormalCholeskyLpdf(y, mu, L, K, propto, null, null, null, true, true, true);
}
export function multi_normal_cholesky_lpdf_vp(
  y: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  K: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_L: Partials,
): number {
  return multiNormalCholeskyLpdf(
    y,
    mu,
    L,
    K,
    propto,
    d_y,
    d_mu,
    d_L,
    d_y !== null,
    d_mu !== null,
    d_L !== null,
  );
}

/** Writes one draw mu + L z (z standard normal) into `out` (length K). */
export function multi_normal_cholesky_rng(
  rng: Rng,
  out: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  K: number,
): void {
  checkFinite("multi_normal_cholesky_rng", "Location parameter", mu);
  const z = pool.get(0, K);
  for (let i = 0; i < K; i++) z[i] = rng.normal();
  for (let i = 0; i < K; i++) {
    let s = mu[i];
    for (let j = 0; j <= i; j++) s += L[i + j * K] * z[j];
    out[i] = s;
  }
}
