/**
 * The von Mises CDF on [−π, π] and its partials, by Stan's definition:
 *
 *   F(y | μ, κ) = ∫_{−π}^{y} exp(κ cos(t − μ)) dt / (2π I₀(κ)),
 *
 * computed from the CDF G(x | κ) of the von Mises centred at 0 on (−π, π) as
 * F = G(x) − G(b) (+ 1 when the cut point lies left of y), x = (y − μ) wrapped to (−π, π) and
 * b = ±π − μ (μ wrapped). G is Hill's backward-recurrence series for the incomplete Bessel
 * integral (ACM TOMS algorithm 518, 1977) for κ < 49; for κ ≥ 50 the normal approximation
 * Φ(√(2/π) eᵏ/I₀(κ) · sin(x/2)) (Hill, 1977, as also used by SciPy and Stan Math); in between
 * a linear blend of the two. The partials are those of this approximation (carried through the
 * recurrence in forward mode), so they agree with the value to rounding.
 */
import { Phi } from "../special";
import { log_modified_bessel_first_kind } from "../bessel";
import { cos, exp, sin } from "../elementary";

const TWO_PI = 2 * Math.PI;
const INV_SQRT_TWO_PI = 0.3989422804014327;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** Scratch for the centred CDF: value, ∂/∂x, ∂/∂κ. */
const centred = new Float64Array(3);

/** Hill's series for G(x | κ) and its partials, into `out` at `at`. */
function seriesCentred(x: number, k: number, out: Float64Array, at: number): void {
  const p = Math.trunc(28 + 0.5 * k - 100 / (k + 5) + 1);
  const s = sin(x);
  const c = cos(x);
  let sn = sin(p * x);
  let cn = cos(p * x);
  let r = 0;
  let dr = 0; // ∂r/∂κ
  let v = 0;
  let dvx = 0;
  let dvk = 0;
  for (let m = p - 1; m >= 1; m--) {
    // rotate (sin, cos) of (m + 1)x back to those of m·x
    const nextSn = sn * c - cn * s;
    cn = cn * c + sn * s;
    sn = nextSn;
    const denom = (2 * m) / k + r;
    const rNew = 1 / denom;
    dr = -rNew * rNew * ((-2 * m) / (k * k) + dr);
    r = rNew;
    const inner = sn / m + v;
    dvk = dr * inner + r * dvk;
    dvx = r * (cn + dvx);
    v = r * inner;
  }
  let f = 0.5 + x / TWO_PI + v / Math.PI;
  let fx = 1 / TWO_PI + dvx / Math.PI;
  let fk = dvk / Math.PI;
  if (f < 0 || f > 1) {
    f = f < 0 ? 0 : 1;
    fx = 0;
    fk = 0;
  }
  out[at] = f;
  out[at + 1] = fx;
  out[at + 2] = fk;
}

/** The normal approximation for large κ and its partials, into `out` at `at`. */
function normalCentred(x: number, k: number, out: Float64Array, at: number): void {
  const logI0 = log_modified_bessel_first_kind(0, k);
  const b = SQRT_TWO_OVER_PI * exp(k - logI0);
  // ∂b/∂κ = b (1 − I₁(κ)/I₀(κ))
  const ratio = exp(log_modified_bessel_first_kind(1, k) - logI0);
  const db = b * (1 - ratio);
  const half = sin(x / 2);
  const z = b * half;
  const density = INV_SQRT_TWO_PI * exp(-0.5 * z * z);
  out[at] = Phi(z);
  out[at + 1] = density * b * 0.5 * cos(x / 2);
  out[at + 2] = density * half * db;
}

const blendScratch = new Float64Array(6);

/** G(x | κ) and its partials into `centred`. */
function centredCdf(x: number, k: number): void {
  if (k < 49) {
    seriesCentred(x, k, centred, 0);
  } else if (k < 50) {
    seriesCentred(x, 49, blendScratch, 0);
    normalCentred(x, 50, blendScratch, 3);
    const ws = 50 - k;
    const wn = k - 49;
    centred[0] = ws * blendScratch[0] + wn * blendScratch[3];
    centred[1] = ws * blendScratch[1] + wn * blendScratch[4];
    centred[2] = blendScratch[3] - blendScratch[0];
  } else {
    normalCentred(x, k, centred, 0);
  }
}

/** Wraps an angle into [−π, π). */
function wrap(t: number): number {
  const shifted = t + Math.PI;
  return shifted - Math.floor(shifted / TWO_PI) * TWO_PI - Math.PI;
}

/** F, ∂F/∂y, ∂F/∂μ, ∂F/∂κ. */
const result = new Float64Array(4);

// Outside the domain every output is NaN: the calling density rule reports the argument in Stan's
// words (its checks run first), and NaN keeps a missed check from passing silently.
function evaluate(y: number, mu: number, k: number): Float64Array {
  if (!(y >= -Math.PI && y <= Math.PI && Number.isFinite(mu) && k > 0)) {
    result.fill(NaN);
    return result;
  }
  if (y === -Math.PI || y === Math.PI) {
    result[0] = y === Math.PI ? 1 : 0;
    result[1] = result[2] = result[3] = 0;
    return result;
  }
  const x = wrap(y - mu);
  const muWrapped = wrap(mu);
  const cut = muWrapped < 0 ? muWrapped + Math.PI : muWrapped - Math.PI;
  const bound = muWrapped < 0 ? -Math.PI - muWrapped : Math.PI - muWrapped;
  centredCdf(bound, k);
  const gb = centred[0];
  const gbx = centred[1];
  const gbk = centred[2];
  centredCdf(x, k);
  // (1 − G(b)) first: G(x) + 1 − G(b) in that order loses a small G(x) entirely
  const f = y <= cut ? centred[0] - gb : centred[0] + (1 - gb);
  if (f < 0) {
    result[0] = 0;
    result[1] = result[2] = result[3] = 0;
    return result;
  }
  result[0] = f;
  result[1] = centred[1];
  // x and the bound both move by −1 per unit of μ
  result[2] = gbx - centred[1];
  result[3] = centred[2] - gbk;
  return result;
}

/** Stan's von_mises_cdf of one element. */
export function von_mises_cdf_scalar(y: number, mu: number, k: number): number {
  return evaluate(y, mu, k)[0];
}
/** ∂F/∂y of one element. */
export function von_mises_cdf_dy(y: number, mu: number, k: number): number {
  return evaluate(y, mu, k)[1];
}
/** ∂F/∂μ of one element. */
export function von_mises_cdf_dmu(y: number, mu: number, k: number): number {
  return evaluate(y, mu, k)[2];
}
/** ∂F/∂κ of one element. */
export function von_mises_cdf_dk(y: number, mu: number, k: number): number {
  return evaluate(y, mu, k)[3];
}
