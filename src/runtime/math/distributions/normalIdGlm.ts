/** Normal linear regression (identity link) as one fused density. */
import {
  type Partials,
  type Real,
  at,
  checkPositiveFinite,
  checkSize,
  domainError,
  stride,
  zero,
} from "../checks";
import { ScratchPool } from "../scratch";
import { LOG_SQRT_TWO_PI } from "../special";
import { log } from "../elementary";

const pool = new ScratchPool(1);

function normalIdGlmLpdf(
  y: Real,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_X: Partials,
  d_alpha: Partials,
  d_beta: Partials,
  d_sigma: Partials,
  anyVar: boolean,
  sigmaVar: boolean,
): number {
  const fn = "normal_id_glm_lpdf";
  checkPositiveFinite(fn, "Scale vector", sigma);
  if (X.length !== N * K)
    domainError(
      `${fn}: Matrix of independent variables has ${X.length} elements, but must be ${N}x${K}`,
    );
  if (typeof y !== "number") checkSize(fn, "Vector of dependent variables", y.length, N);
  checkSize(fn, "Weight vector", beta.length, K);
  if (typeof alpha !== "number") checkSize(fn, "Vector of intercepts", alpha.length, N);
  if (typeof sigma !== "number") checkSize(fn, "Vector of scale parameters", sigma.length, N);
  if (propto && !anyVar) {
    zero(d_y);
    zero(d_X);
    zero(d_alpha);
    zero(d_beta);
    zero(d_sigma);
    return 0;
  }
  if (
    K === 1 &&
    typeof y !== "number" &&
    typeof sigma === "number" &&
    d_y === null &&
    d_X === null
  ) {
    return oneColumnScalarSigma(
      y,
      X,
      N,
      alpha,
      beta[0],
      sigma,
      propto,
      d_alpha,
      d_beta,
      d_sigma,
      sigmaVar,
    );
  }
  const mu = pool.get(0, N);
  for (let n = 0; n < N; n++) mu[n] = at(alpha, n);
  for (let k = 0; k < K; k++) {
    const bk = beta[k];
    const col = k * N;
    for (let n = 0; n < N; n++) mu[n] += X[col + n] * bk;
  }
  const ya = typeof y === "number" ? null : y;
  const ys = typeof y === "number" ? y : 0;
  const sa = typeof sigma === "number" ? null : sigma;
  const ss = typeof sigma === "number" ? sigma : 1;
  const alphaIsVector = typeof alpha !== "number";
  const dyv = ya === null ? null : d_y;
  const dav = alphaIsVector ? d_alpha : null;
  const dsv = sa === null ? null : d_sigma;
  const includeLogSigma = !propto || sigmaVar;
  const scalarInv = 1 / ss;
  let lp = 0;
  let scaledSquares = 0;
  let gy = 0;
  let ga = 0;
  let gs = 0;
  for (let n = 0; n < N; n++) {
    let invS = scalarInv;
    if (sa !== null) {
      invS = 1 / sa[n];
      if (includeLogSigma) lp -= log(sa[n]);
    }
    const z = ((ya === null ? ys : ya[n]) - mu[n]) * invS;
    scaledSquares += z * z;
    const r = z * invS; // (y − μ)/σ², kept in mu[] as the residual weight for ∂β and ∂X
    mu[n] = r;
    if (dyv !== null) dyv[n] = -r;
    else gy -= r;
    if (dav !== null) dav[n] = r;
    else ga += r;
    const gSigma = (z * z - 1) * invS;
    if (dsv !== null) dsv[n] = gSigma;
    else gs += gSigma;
  }
  if (d_y !== null && dyv === null) d_y[0] = gy;
  if (d_alpha !== null && dav === null) d_alpha[0] = ga;
  if (d_sigma !== null && dsv === null) d_sigma[0] = gs;
  if (includeLogSigma && sa === null) lp -= N * log(ss);
  if (!Number.isFinite(scaledSquares)) checkFiniteGlmArgs(y, X, alpha, beta);
  lp -= 0.5 * scaledSquares;
  if (d_beta !== null) {
    for (let k = 0; k < K; k++) {
      const col = k * N;
      let s = 0;
      for (let n = 0; n < N; n++) s += X[col + n] * mu[n];
      d_beta[k] = s;
    }
  }
  if (d_X !== null) {
    for (let k = 0; k < K; k++) {
      const col = k * N;
      const bk = beta[k];
      for (let n = 0; n < N; n++) d_X[col + n] = mu[n] * bk;
    }
  }
  if (!propto) lp -= N * LOG_SQRT_TWO_PI;
  return lp;
}

/**
 * The lecture's shape (m1: one centred predictor, scalar sigma, data y and X) in a single pass with
 * every accumulator in a local: the same arithmetic as the general path, fused.
 */
function oneColumnScalarSigma(
  y: Float64Array,
  X: Float64Array,
  N: number,
  alpha: Real,
  b0: number,
  sigma: number,
  propto: boolean,
  d_alpha: Partials,
  d_beta: Partials,
  d_sigma: Partials,
  sigmaVar: boolean,
): number {
  const aa = typeof alpha === "number" ? null : alpha;
  const as = typeof alpha === "number" ? alpha : 0;
  const dav = aa === null ? null : d_alpha;
  const inv = 1 / sigma;
  let quad = 0;
  let ga = 0;
  let gb = 0;
  for (let n = 0; n < N; n++) {
    const x = X[n];
    const z = (y[n] - (aa === null ? as : aa[n]) - x * b0) * inv;
    quad += z * z;
    const r = z * inv; // (y − μ)/σ²
    if (dav !== null) dav[n] = r;
    else ga += r;
    gb += x * r;
  }
  if (!Number.isFinite(quad)) checkFiniteGlmArgs(y, X, alpha, Float64Array.of(b0));
  if (d_alpha !== null && dav === null) d_alpha[0] = ga;
  if (d_beta !== null) d_beta[0] = gb;
  if (d_sigma !== null) d_sigma[0] = (quad - N) * inv;
  let lp = -0.5 * quad;
  if (!propto || sigmaVar) lp -= N * log(sigma);
  if (!propto) lp -= N * LOG_SQRT_TWO_PI;
  return lp;
}

/** Stan's messages for a non-finite linear predictor, in Stan's order. */
function checkFiniteGlmArgs(y: Real, X: Float64Array, alpha: Real, beta: Float64Array): void {
  const fn = "normal_id_glm_lpdf";
  const bad = (name: string, x: Real): void => {
    if (typeof x === "number" ? !Number.isFinite(x) : x.some((v) => !Number.isFinite(v))) {
      domainError(`${fn}: ${name} must be finite!`);
    }
  };
  bad("Vector of dependent variables", y);
  bad("Weight vector", beta);
  bad("Intercept", alpha);
  bad("Matrix of independent variables", X);
}

/**
 * normal_id_glm_lpdf(y | X, alpha, beta, sigma) = Σ_n normal_lpdf(y_n | α_n + X_n·β, σ_n), with X an
 * N×K column-major matrix, alpha scalar or N-vector, beta a K-vector, sigma scalar or N-vector, y an
 * N-vector or a scalar. With r_n = (y_n − μ_n)/σ_n² and z_n = (y_n − μ_n)/σ_n:
 * ∂/∂y_n = −r_n, ∂/∂alpha_n = r_n (summed for scalar alpha), ∂/∂beta = Xᵀ r, ∂/∂X_nk = r_n β_k,
 * ∂/∂sigma_n = (z_n² − 1)/σ_n. propto drops −½ log 2π, and log σ when sigma is constant.
 */
export function normal_id_glm_lpdf(
  y: Real,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  sigma: Real,
  propto: boolean,
): number {
  return normalIdGlmLpdf(
    y,
    X,
    N,
    K,
    alpha,
    beta,
    sigma,
    propto,
    null,
    null,
    null,
    null,
    null,
    true,
    true,
  );
}
export function normal_id_glm_lpdf_vp(
  y: Real,
  X: Float64Array,
  N: number,
  K: number,
  alpha: Real,
  beta: Float64Array,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_X: Partials,
  d_alpha: Partials,
  d_beta: Partials,
  d_sigma: Partials,
): number {
  const anyVar =
    d_y !== null || d_X !== null || d_alpha !== null || d_beta !== null || d_sigma !== null;
  return normalIdGlmLpdf(
    y,
    X,
    N,
    K,
    alpha,
    beta,
    sigma,
    propto,
    d_y,
    d_X,
    d_alpha,
    d_beta,
    d_sigma,
    anyVar,
    d_sigma !== null,
  );
}
