/** Multivariate normal parameterised by a Cholesky factor of the covariance. */
import type { Rng } from "../../model";
import { type Partials, checkFinite, checkNotNan, domainError, zero } from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";
import { log } from "../elementary";

const pool = new ScratchPool(3);

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
  if (K === 2) return lp2(y, mu, L, N, yStep, muStep, propto, d_y, d_mu, d_L, LVar);
  const a = pool.get(0, K); // a = L⁻¹ (y − μ)
  const b = pool.get(1, K); // b = L⁻ᵀ a = Σ⁻¹ (y − μ)
  const invDiag = pool.get(2, K);
  for (let i = 0; i < K; i++) invDiag[i] = 1 / L[i + i * K];
  const wantGradient = d_y !== null || d_mu !== null || d_L !== null;
  // A broadcast y or mu gets its partial summed over the vectors (the buffer holds one vector).
  let quad = 0;
  for (let n = 0; n < N; n++) {
    const yo = n * yStep;
    const mo = n * muStep;
    for (let i = 0; i < K; i++) {
      let s = y[yo + i] - mu[mo + i];
      for (let j = 0; j < i; j++) s -= L[i + j * K] * a[j];
      const ai = s * invDiag[i];
      a[i] = ai;
      quad += ai * ai;
    }
    if (!wantGradient) continue;
    for (let i = K - 1; i >= 0; i--) {
      let s = a[i];
      for (let j = i + 1; j < K; j++) s -= L[j + i * K] * b[j];
      const bi = s * invDiag[i];
      b[i] = bi;
      if (d_y !== null) d_y[yo + i] -= bi;
      if (d_mu !== null) d_mu[mo + i] += bi;
      // row i of Σ_n b aᵀ on the lower triangle: entries (i, j ≤ i)
      if (d_L !== null) for (let j = 0; j <= i; j++) d_L[i + j * K] += bi * a[j];
    }
  }
  let lp = -0.5 * quad;
  if (!propto || LVar) {
    let sumLogDiag = 0;
    for (let i = 0; i < K; i++) sumLogDiag += log(L[i + i * K]);
    lp -= N * sumLogDiag;
    if (d_L !== null) for (let i = 0; i < K; i++) d_L[i + i * K] -= N / L[i + i * K];
  }
  if (!propto) lp -= N * K * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * The K = 2 case unrolled (random intercept + slope models): the same arithmetic as the general loop
 * with every quantity in a local, which JavaScript engines keep in registers.
 */
function lp2(
  y: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  N: number,
  yStep: number,
  muStep: number,
  propto: boolean,
  d_y: Partials,
  d_mu: Partials,
  d_L: Partials,
  LVar: boolean,
): number {
  const l00 = L[0];
  const l10 = L[1];
  const l11 = L[3];
  const i00 = 1 / l00;
  const i11 = 1 / l11;
  let quad = 0;
  let gMu0 = 0;
  let gMu1 = 0;
  let g00 = 0;
  let g10 = 0;
  let g11 = 0;
  const wantGradient = d_y !== null || d_mu !== null || d_L !== null;
  for (let n = 0; n < N; n++) {
    const yo = n * yStep;
    const mo = n * muStep;
    const a0 = (y[yo] - mu[mo]) * i00;
    const a1 = (y[yo + 1] - mu[mo + 1] - l10 * a0) * i11;
    quad += a0 * a0 + a1 * a1;
    if (!wantGradient) continue;
    const b1 = a1 * i11;
    const b0 = (a0 - l10 * b1) * i00;
    if (d_y !== null) {
      d_y[yo] -= b0;
      d_y[yo + 1] -= b1;
    }
    if (muStep === 0) {
      gMu0 += b0;
      gMu1 += b1;
    } else if (d_mu !== null) {
      d_mu[mo] = b0;
      d_mu[mo + 1] = b1;
    }
    g00 += b0 * a0;
    g10 += b1 * a0;
    g11 += b1 * a1;
  }
  if (muStep === 0 && d_mu !== null) {
    d_mu[0] = gMu0;
    d_mu[1] = gMu1;
  }
  let lp = -0.5 * quad;
  const includeLogDet = !propto || LVar;
  if (includeLogDet) lp -= N * (log(l00) + log(l11));
  if (d_L !== null) {
    d_L[0] = g00 - (includeLogDet ? N * i00 : 0);
    d_L[1] = g10;
    d_L[2] = 0;
    d_L[3] = g11 - (includeLogDet ? N * i11 : 0);
  }
  if (!propto) lp -= 2 * N * LOG_SQRT_TWO_PI;
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

/** Writes one draw mu_n + L z_n (z_n standard normal) into `out` per location vector mu_n (mu holds N·K values). */
export function multi_normal_cholesky_rng(
  rng: Rng,
  out: Float64Array,
  mu: Float64Array,
  L: Float64Array,
  K: number,
): void {
  checkFinite("multi_normal_cholesky_rng", "Location parameter", mu);
  const z = pool.get(0, K);
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
