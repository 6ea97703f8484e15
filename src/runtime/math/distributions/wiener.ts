/**
 * The Wiener diffusion model's first-passage-time density at the upper boundary, as Stan's
 * 4-parameter `wiener_lpdf(y | alpha, tau, beta, delta)`: boundary separation α, non-decision time
 * τ, a-priori bias β (the start point as a fraction of α), drift rate δ.
 *
 * With u = (y − τ)/α² (time in the standard units of a unit boundary), w = 1 − β and v = δ, the
 * upper-boundary density is the lower-boundary one of Navarro & Fuss (2009) with w → 1 − β and
 * v → −δ:
 *
 *   log p = v α w − v² (y − τ)/2 − 2 log α + log f(u | w),
 *
 * where f is the standard density (no drift, unit boundary), given by two series that converge at
 * opposite ends:
 *
 *   small time: f = (2π u³)^(−½) Σ_k (w + 2k) exp(−(w + 2k)²/(2u)),   k from −⌊(K−1)/2⌋ to ⌈(K−1)/2⌉,
 *   large time: f = π Σ_{k=1..K} k exp(−k²π²u/2) sin(kπw).
 *
 * The number of terms comes from Navarro & Fuss's error bounds for a density error of ε = 1e-6,
 * computed the way Stan Math 2.21 computes them, so the truncation (and so the value) is Stan's:
 *   large time: κ_l = √(−2√π (log π + log ε + log u))/√u when πεu < 1, at least √u/π (else √u/π),
 *   small time: κ_s = 2 + √u √(−2 log(2√(2π) ε √u)) when 2√(2π) ε √u < 1, at least √u + 1 (else 2),
 * and the small-time series with K = ⌈κ_s⌉ terms is used when κ_s < κ_l, the large-time one with
 * K = ⌈κ_l⌉ otherwise. (Navarro & Fuss's own large-time bound is √(−2 log(πuε)/(π²u)), at least
 * 1/(π√u); Stan's reads differently, and matching Stan's log density matters more here.)
 *
 * Partials of the truncated series (exact for the value computed), with g = ∂ log f/∂u and
 * h = ∂ log f/∂w:
 *   small time: g = S_u/S − 3/(2u), h = S_w/S, with S the sum, S_u = Σ (w+2k)³/(2u²) e_k,
 *               S_w = Σ (1 − (w+2k)²/u) e_k, e_k = exp(−(w+2k)²/(2u));
 *   large time: g = L_u/L, h = L_w/L, with L the sum, L_u = −π²/2 Σ k³ e_k sin(kπw),
 *               L_w = π Σ k² e_k cos(kπw), e_k = exp(−k²π²u/2);
 *   ∂/∂y = −v²/2 + g/α²,  ∂/∂τ = v²/2 − g/α²,  ∂/∂α = v w − 2/α − 2u g/α,
 *   ∂/∂β = −(v α + h),    ∂/∂δ = α w − v (y − τ).
 *
 * Where α² overflows or underflows (u = 0 or ∞) the density is 0 (log −∞, partials 0): Stan 2.21
 * loops without end at u = 0, whose term count is infinite.
 *
 * Stan's checks: y, α, β, τ, δ not NaN; α, β, τ, δ finite; y, α, τ positive; β in [0, 1]; and each
 * y greater than its τ. `propto` drops nothing but the whole value when every argument is data
 * (Stan 2.21's wiener_lpdf keeps all its terms otherwise).
 */
import { type Partials, type Real, at, checkBounded, checkFinite, checkNotNan, checkPositive, domainError, formatStanNumber, stride, zero } from "../checks";
import { StanDomainError } from "../../model";
import { cos, exp, log, sin } from "../elementary";

const FN = "wiener_lpdf";
const NAMES = ["Random variable", "Boundary separation", "Nondecision time", "A-priori bias", "Drift rate"];

const PI = Math.PI;
/** The density error the term counts are chosen for. */
const WIENER_ERROR = 1e-6;
const LOG_PI = 1.1447298858494002;
/** log π + log ε. */
const LOG_PI_PLUS_LOG_ERROR = LOG_PI + log(WIENER_ERROR);
/** 2 √(2π) ε. */
const SMALL_TIME_ERROR_SCALE = 2 * Math.sqrt(2 * PI) * WIENER_ERROR;
const SQRT_PI = Math.sqrt(PI);
/** ½ log(2π). */
const HALF_LOG_TWO_PI = 0.9189385332046728;
const HALF_PI_SQUARED = (PI * PI) / 2;

/**
 * One element's u and w in, log f(u | w) and its partials [log f, ∂/∂u, ∂/∂w] out: in memory, as a
 * double passed to or returned from a call V8 does not inline is boxed.
 */
const standardIn = new Float64Array(2);
const standard = new Float64Array(3);

/** log f(u | w) of the standard (unit boundary, no drift) first-passage density, u and w from `standardIn`, into `standard`. */
function logStandardDensity(): void {
  const u = standardIn[0];
  const w = standardIn[1];
  const sqrtU = Math.sqrt(u);
  const logU = log(u);
  const largeMinimum = sqrtU / PI;
  let largeTerms = largeMinimum;
  if (PI * WIENER_ERROR * u < 1) {
    const bound = Math.sqrt(-2 * SQRT_PI * (LOG_PI_PLUS_LOG_ERROR + logU)) / sqrtU;
    if (bound > largeMinimum) largeTerms = bound;
  }
  let smallTerms = 2;
  const scaled = SMALL_TIME_ERROR_SCALE * sqrtU;
  if (scaled < 1) {
    smallTerms = 2 + sqrtU * Math.sqrt(-2 * log(scaled));
    if (smallTerms < sqrtU + 1) smallTerms = sqrtU + 1;
  }
  let sum = 0;
  let dU = 0;
  let dW = 0;
  if (smallTerms < largeTerms) {
    const K = Math.ceil(smallTerms);
    const half = (K - 1) / 2;
    for (let k = -Math.floor(half); k <= Math.ceil(half); k++) {
      const shifted = w + 2 * k;
      const squared = shifted * shifted;
      const e = exp((-squared * 0.5) / u);
      sum += shifted * e;
      dU += ((shifted * squared) / (2 * u * u)) * e;
      dW += (1 - squared / u) * e;
    }
    standard[0] = log(sum) - HALF_LOG_TWO_PI - 1.5 * logU;
    standard[1] = dU / sum - 1.5 / u;
    standard[2] = dW / sum;
  } else {
    const K = Math.ceil(largeTerms);
    for (let k = 1; k <= K; k++) {
      const e = exp(-(k * k) * (HALF_PI_SQUARED * u));
      // every later term underflows too: stopping adds nothing Stan's sum would not add as 0 (for
      // u of 1e3 to 4e10, K = ⌈√u/π⌉ runs to 63 662 terms, which made sampling crawl where the
      // sampler tried a tiny boundary separation)
      if (e === 0) break;
      const angle = k * PI * w;
      const s = sin(angle);
      sum += k * e * s;
      dU -= HALF_PI_SQUARED * k * k * k * e * s;
      dW += PI * k * k * e * cos(angle);
    }
    standard[0] = log(sum) + LOG_PI;
    standard[1] = dU / sum;
    standard[2] = dW / sum;
  }
}

/** Argument i of the five (fixed arity, so a call allocates nothing). */
function argument(i: number, y: Real, alpha: Real, tau: Real, beta: Real, delta: Real): Real {
  return i === 0 ? y : i === 1 ? alpha : i === 2 ? tau : i === 3 ? beta : delta;
}

/** The common length of the container arguments (1 when all are scalars); Stan's size-mismatch message otherwise. */
function commonLength(y: Real, alpha: Real, tau: Real, beta: Real, delta: Real): number {
  let n = -1;
  let first = -1;
  for (let i = 0; i < 5; i++) {
    const x = argument(i, y, alpha, tau, beta, delta);
    if (typeof x === "number") continue;
    if (n < 0) {
      n = x.length;
      first = i;
    } else if (x.length !== n) {
      throw new StanDomainError(`${FN}: size of ${NAMES[i]} (${x.length}) and size of ${NAMES[first]} (${n}) must match in size`);
    }
  }
  return n < 0 ? 1 : n;
}

/** Stan returns 0 before any check when an argument is an empty container. */
function anyEmpty(y: Real, alpha: Real, tau: Real, beta: Real, delta: Real): boolean {
  for (let i = 0; i < 5; i++) {
    const x = argument(i, y, alpha, tau, beta, delta);
    if (typeof x !== "number" && x.length === 0) return true;
  }
  return false;
}

function wienerLpdf(
  y: Real,
  alpha: Real,
  tau: Real,
  beta: Real,
  delta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_tau: Partials,
  d_beta: Partials,
  d_delta: Partials,
  anyVariable: boolean,
): number {
  zero(d_y);
  zero(d_alpha);
  zero(d_tau);
  zero(d_beta);
  zero(d_delta);
  if (anyEmpty(y, alpha, tau, beta, delta)) return 0;
  // Stan's order of checks
  checkNotNan(FN, NAMES[0], y);
  checkNotNan(FN, NAMES[1], alpha);
  checkNotNan(FN, NAMES[3], beta);
  checkNotNan(FN, NAMES[2], tau);
  checkNotNan(FN, NAMES[4], delta);
  checkFinite(FN, NAMES[1], alpha);
  checkFinite(FN, NAMES[3], beta);
  checkFinite(FN, NAMES[2], tau);
  checkFinite(FN, NAMES[4], delta);
  checkPositive(FN, NAMES[0], y);
  checkPositive(FN, NAMES[1], alpha);
  checkPositive(FN, NAMES[2], tau);
  checkBounded(FN, NAMES[3], beta, 0, 1);
  const N = commonLength(y, alpha, tau, beta, delta);
  const sy = stride(y);
  const sa = stride(alpha);
  const st = stride(tau);
  const sb = stride(beta);
  const sd = stride(delta);
  for (let n = 0; n < N; n++) {
    const yn = at(y, n);
    const tn = at(tau, n);
    if (yn <= tn) domainError(`${FN}: Random variable = ${formatStanNumber(yn)}, but must be greater than nondecision time = ${formatStanNumber(tn)}`);
  }
  if (propto && !anyVariable) return 0;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const yn = at(y, n);
    const a = at(alpha, n);
    const t = at(tau, n);
    const w = 1 - at(beta, n);
    const v = at(delta, n);
    const alphaSquared = a * a;
    const u = (yn - t) / alphaSquared;
    // α² overflowing (u = 0) or underflowing (u = ∞): no passage at that standardised time, density 0.
    // (Stan Math 2.21 never returns at u = 0: its term count is then infinite.)
    if (!(u > 0 && u < Infinity)) {
      lp = -Infinity;
      continue;
    }
    standardIn[0] = u;
    standardIn[1] = w;
    logStandardDensity();
    const g = standard[1];
    lp += v * a * w - (v * v * u * alphaSquared) / 2 - log(alphaSquared) + standard[0];
    if (d_y !== null) d_y[n * sy] += -(v * v) / 2 + g / alphaSquared;
    if (d_tau !== null) d_tau[n * st] += (v * v) / 2 - g / alphaSquared;
    if (d_alpha !== null) d_alpha[n * sa] += v * w - 2 / a - (2 * u * g) / a;
    if (d_beta !== null) d_beta[n * sb] -= v * a + standard[2];
    if (d_delta !== null) d_delta[n * sd] += a * w - v * (yn - t);
  }
  return lp;
}

/**
 * wiener_lpdf(y | alpha, tau, beta, delta) = Σ log of the upper-boundary first-passage density
 * (file comment: series, term counts and partials).
 */
export function wiener_lpdf(y: Real, alpha: Real, tau: Real, beta: Real, delta: Real, propto: boolean): number {
  return wienerLpdf(y, alpha, tau, beta, delta, propto, null, null, null, null, null, true);
}
export function wiener_lpdf_vp(
  y: Real,
  alpha: Real,
  tau: Real,
  beta: Real,
  delta: Real,
  propto: boolean,
  d_y: Partials,
  d_alpha: Partials,
  d_tau: Partials,
  d_beta: Partials,
  d_delta: Partials,
): number {
  const anyVariable = d_y !== null || d_alpha !== null || d_tau !== null || d_beta !== null || d_delta !== null;
  return wienerLpdf(y, alpha, tau, beta, delta, propto, d_y, d_alpha, d_tau, d_beta, d_delta, anyVariable);
}
