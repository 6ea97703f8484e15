/**
 * Bessel functions of integer order (Stan's bessel_first_kind, bessel_second_kind,
 * modified_bessel_first_kind, modified_bessel_second_kind), the log of the modified Bessel function
 * of the first kind of real order with its derivatives, and Owen's T function.
 *
 * - J_n: Miller's backward recurrence normalised by J₀ + 2 Σ J₂ₖ = 1 (stable in every regime,
 *   relative accuracy where J_n is tiny), or Hankel's asymptotic expansion for x ≥ 25 with upward
 *   recurrence while n < x.
 * - Y_n: Y₀ and Y₁ from Neumann series over the J_k of the same backward recurrence (x < 25) or
 *   Hankel's expansion, then upward recurrence (stable for Y).
 * - I_n: backward recurrence normalised by I₀ + 2 Σ I_k = eˣ.
 * - K_n: K_n(x) = ∫₀^∞ e^(−x cosh t) cosh(nt) dt by the trapezoidal rule, which converges
 *   exponentially fast for this analytic, doubly-exponentially decaying integrand.
 */
import { StanDomainError } from "../model";
import { EULER_GAMMA, Phi, digamma, erf, lgamma } from "./special";
import { asinh, cos, cosh, exp, log, pow, sin } from "./elementary";

const RESCALE = 1e250;
const HANKEL_FROM = 25;

/** The J_k(x) for k = 0..top of the last `millerJ` call (normalised). */
let jBuffer = new Float64Array(128);

/** Start of the backward recurrence: far enough above both n and x that the neglected tail is < ε. */
function millerStart(n: number, x: number): number {
  const m = Math.max(n, Math.ceil(x));
  return 2 * Math.ceil((m + 20 + Math.sqrt(40 * m)) / 2);
}

/**
 * J_k(x) for x > 0 by backward recurrence J_(k−1) = (2k/x) J_k − J_(k+1) from a start far above n
 * and x, normalised with J₀ + 2 Σ_(k≥1) J₂ₖ = 1. Fills jBuffer[0..top] and returns top.
 */
function millerJ(n: number, x: number): number {
  const top = millerStart(n, x);
  if (jBuffer.length < top + 2) jBuffer = new Float64Array(2 * top + 2);
  let next = 0;
  let cur = 1e-300;
  let sum = 0;
  jBuffer[top + 1] = 0;
  jBuffer[top] = cur;
  for (let k = top; k >= 1; k--) {
    const prev = ((2 * k) / x) * cur - next;
    next = cur;
    cur = prev;
    jBuffer[k - 1] = cur;
    if (k - 1 > 0 && (k - 1) % 2 === 0) sum += 2 * cur;
    if (Math.abs(cur) > RESCALE) {
      for (let j = k - 1; j <= top; j++) jBuffer[j] /= RESCALE;
      cur /= RESCALE;
      next /= RESCALE;
      sum /= RESCALE;
    }
  }
  sum += cur;
  for (let j = 0; j <= top; j++) jBuffer[j] /= sum;
  return top;
}

/** Hankel's expansion of J_ν and Y_ν (ν = 0, 1) for large x: [J, Y] into out. */
function hankel(nu: number, x: number, out: Float64Array): void {
  const mu = 4 * nu * nu;
  let p = 1;
  let q = 0;
  let term = 1;
  for (let k = 1; k < 200; k++) {
    const next = (term * (mu - (2 * k - 1) * (2 * k - 1))) / (k * 8 * x);
    if (Math.abs(next) > Math.abs(term)) break; // the asymptotic series starts to diverge
    term = next;
    // terms alternate between Q (odd k) and P (even k), each with sign (−1)^⌊k/2⌋
    if (k % 2 === 1) q += (k % 4 === 1 ? 1 : -1) * term;
    else p += (k % 4 === 2 ? -1 : 1) * term;
    if (Math.abs(term) < 1e-17) break;
  }
  const chi = x - (nu / 2 + 0.25) * Math.PI;
  const amp = Math.sqrt(2 / (Math.PI * x));
  const c = cos(chi);
  const s = sin(chi);
  out[0] = amp * (p * c - q * s);
  out[1] = amp * (p * s + q * c);
}

const pair = new Float64Array(2);

/** J_n(x) for integer n ≥ 0 and x > 0. */
function besselJPositive(n: number, x: number): number {
  if (x >= HANKEL_FROM && n < x) {
    hankel(0, x, pair);
    let prev = pair[0];
    if (n === 0) return prev;
    hankel(1, x, pair);
    let cur = pair[0];
    for (let k = 1; k < n; k++) {
      const next = ((2 * k) / x) * cur - prev;
      prev = cur;
      cur = next;
    }
    return cur;
  }
  millerJ(n, x);
  return jBuffer[n];
}

/** Y₀(x) and Y₁(x) for x > 0 into out[0], out[1]. */
function besselY01(x: number, out: Float64Array): void {
  if (x >= HANKEL_FROM) {
    hankel(0, x, pair);
    const y0 = pair[1];
    hankel(1, x, pair);
    out[0] = y0;
    out[1] = pair[1];
    return;
  }
  // Neumann series: Y₀ = (2/π)[(log(x/2) + γ) J₀ − 2 Σ (−1)^k J₂ₖ / k] and Y₁ = −Y₀′
  const top = millerJ(1, x);
  const J = jBuffer;
  const lg = log(x / 2) + EULER_GAMMA;
  let s0 = 0;
  let s1 = 0;
  for (let k = 1; 2 * k + 1 <= top; k++) {
    const sign = k % 2 === 0 ? 1 : -1;
    s0 += (sign * J[2 * k]) / k;
    s1 += (sign * (J[2 * k - 1] - J[2 * k + 1])) / k;
  }
  out[0] = (2 / Math.PI) * (lg * J[0] - 2 * s0);
  out[1] = -(2 / Math.PI) * (J[0] / x - lg * J[1] - s1);
}

const y01 = new Float64Array(2);

/** Y_n(x) for integer n ≥ 0, x > 0, by upward recurrence from Y₀, Y₁. */
function besselYPositive(n: number, x: number): number {
  besselY01(x, y01);
  if (n === 0) return y01[0];
  let prev = y01[0];
  let cur = y01[1];
  for (let k = 1; k < n; k++) {
    const next = ((2 * k) / x) * cur - prev;
    prev = cur;
    cur = next;
    if (cur === -Infinity) break;
  }
  return cur;
}

const parity = (n: number) => (n % 2 === 0 ? 1 : -1);

function checkOrder(fn: string, v: number): void {
  if (!Number.isInteger(v)) throw new StanDomainError(`${fn}: order is ${v}, but must be an integer`);
}

/** Stan's bessel_first_kind(v, x) = J_v(x). */
export function bessel_first_kind(v: number, x: number): number {
  checkOrder("bessel_first_kind", v);
  if (Number.isNaN(x)) return NaN;
  if (v < 0) return parity(v) * bessel_first_kind(-v, x);
  if (x < 0) return parity(v) * bessel_first_kind(v, -x);
  if (x === 0) return v === 0 ? 1 : 0;
  if (x === Infinity) return 0;
  return besselJPositive(v, x);
}

/** ∂/∂x J_v(x) = (J_(v−1)(x) − J_(v+1)(x)) / 2. */
export function bessel_first_kind_dx(v: number, x: number): number {
  return 0.5 * (bessel_first_kind(v - 1, x) - bessel_first_kind(v + 1, x));
}

/** Stan's bessel_second_kind(v, x) = Y_v(x), x > 0. */
export function bessel_second_kind(v: number, x: number): number {
  checkOrder("bessel_second_kind", v);
  if (Number.isNaN(x)) return NaN;
  if (!(x > 0)) throw new StanDomainError(`bessel_second_kind: x is ${x}, but must be positive!`);
  if (v < 0) return parity(v) * bessel_second_kind(-v, x);
  if (x === Infinity) return 0;
  return besselYPositive(v, x);
}

/** ∂/∂x Y_v(x) = (Y_(v−1)(x) − Y_(v+1)(x)) / 2. */
export function bessel_second_kind_dx(v: number, x: number): number {
  return 0.5 * (bessel_second_kind(v - 1, x) - bessel_second_kind(v + 1, x));
}

/**
 * I_n(x) for n ≥ 0, x > 0 by backward recurrence I_(k−1) = (2k/x) I_k + I_(k+1), normalised by
 * I₀ + 2 Σ I_k = eˣ (the recurrence starts where I_k/I₀ ≈ exp(−k²/2x) is negligible).
 */
function besselIPositive(n: number, x: number): number {
  const top = 2 * Math.ceil((Math.max(n, 10 * Math.sqrt(x)) + 20 + Math.sqrt(40 * n)) / 2);
  let next = 0;
  let cur = 1e-300;
  let sum = 0;
  let atN = n === top ? cur : 0;
  for (let k = top; k >= 1; k--) {
    const prev = ((2 * k) / x) * cur + next;
    sum += 2 * cur;
    next = cur;
    cur = prev;
    if (k - 1 === n) atN = cur;
    if (cur > RESCALE) {
      cur /= RESCALE;
      next /= RESCALE;
      sum /= RESCALE;
      atN /= RESCALE;
    }
  }
  sum += cur;
  return atN === 0 ? 0 : exp(x + log(atN / sum));
}

/** Stan's modified_bessel_first_kind(v, z) = I_v(z). */
export function modified_bessel_first_kind(v: number, z: number): number {
  checkOrder("modified_bessel_first_kind", v);
  if (Number.isNaN(z)) return NaN;
  if (v < 0) return modified_bessel_first_kind(-v, z);
  if (z < 0) return parity(v) * modified_bessel_first_kind(v, -z);
  if (z === 0) return v === 0 ? 1 : 0;
  if (z === Infinity) return Infinity;
  return besselIPositive(v, z);
}

/** ∂/∂z I_v(z) = (I_(v−1)(z) + I_(v+1)(z)) / 2. */
export function modified_bessel_first_kind_dz(v: number, z: number): number {
  return 0.5 * (modified_bessel_first_kind(v - 1, z) + modified_bessel_first_kind(v + 1, z));
}

/**
 * log K_ν(x) for ν ≥ 0, x > 0: the trapezoidal rule on ∫₀^∞ exp(−x (cosh t − 1) + νt) (1 + e^(−2νt))/2 dt
 * (then − x), with the step well below the width of the integrand's peak at t = asinh(ν/x).
 */
function logBesselK(nu: number, x: number): number {
  const h = Math.min(0.1, 0.5 * pow(x * x + nu * nu, -0.25));
  const exponent = (t: number) => -x * (cosh(t) - 1) + nu * t;
  const peak = exponent(asinh(nu / x));
  const f = (t: number) => exp(exponent(t) - peak) * 0.5 * (1 + exp(-2 * nu * t));
  let sum = 0.5 * f(0);
  const tPeak = asinh(nu / x);
  for (let j = 1; j < 1000000; j++) {
    const t = j * h;
    const e = exponent(t) - peak;
    sum += f(t);
    if (t > tPeak && e < -45) break;
  }
  return log(h * sum) + peak - x;
}

/** Stan's modified_bessel_second_kind(v, z) = K_v(z), z > 0. */
export function modified_bessel_second_kind(v: number, z: number): number {
  checkOrder("modified_bessel_second_kind", v);
  if (Number.isNaN(z)) return NaN;
  if (!(z > 0)) throw new StanDomainError(`modified_bessel_second_kind: z is ${z}, but must be positive!`);
  if (z === Infinity) return 0;
  return exp(logBesselK(Math.abs(v), z));
}

/** ∂/∂z K_v(z) = −(K_(v−1)(z) + K_(v+1)(z)) / 2. */
export function modified_bessel_second_kind_dz(v: number, z: number): number {
  return -0.5 * (modified_bessel_second_kind(v - 1, z) + modified_bessel_second_kind(v + 1, z));
}

// ---------------------------------------------------------------------------------------------
// log I_ν(z) of real order

const logI = new Float64Array(3);

/**
 * [log I_ν(z), ∂/∂ν, ∂/∂z] into logI for ν > −1, z > 0 (ν = −1 is I₁). Series
 * I_ν(z) = (z/2)^ν / Γ(ν + 1) Σ_k (z²/4)^k / (k! (ν + 1)⋯(ν + k)) (positive terms, rescaled against
 * overflow), or Hankel's expansion I_ν(z) ≈ e^z / √(2πz) Σ_k (−1)^k a_k(ν) / z^k for z > 50 with
 * ν² < z/2, where its terms shrink from the start.
 */
function logBesselIReal(nu: number, z: number): void {
  if (z > 50 && nu * nu < z / 2) {
    const mu = 4 * nu * nu;
    let a = 1; // a_k(ν) / (8^k k!) products, and their μ-derivatives
    let da = 0;
    let sum = 1;
    let dsumMu = 0;
    let dsumZ = 0;
    for (let k = 1; k < 500; k++) {
      const factor = mu - (2 * k - 1) * (2 * k - 1);
      da = (da * factor + a) / (8 * k);
      a = (a * factor) / (8 * k);
      const zk = pow(z, -k);
      const sign = k % 2 === 0 ? 1 : -1;
      sum += sign * a * zk;
      dsumMu += sign * da * zk;
      dsumZ += (-k * sign * a * zk) / z;
      if (Math.abs(a * zk) < 1e-17 * Math.abs(sum) && Math.abs(da * zk) < 1e-17 * Math.max(1e-300, Math.abs(dsumMu))) break;
    }
    logI[0] = z - 0.5 * log(2 * Math.PI * z) + log(sum);
    logI[1] = (8 * nu * dsumMu) / sum;
    logI[2] = 1 - 0.5 / z + dsumZ / sum;
    return;
  }
  const q = (z * z) / 4;
  let term = 1;
  let dterm = 0; // ∂/∂ν of the term
  let sum = 1;
  let dsum = 0;
  let zsum = 0; // Σ 2k/z · term, for ∂/∂z
  let logScale = 0;
  let harmonic = 0; // Σ_{j≤k} 1/(ν + j)
  for (let k = 1; k < 10000000; k++) {
    harmonic += 1 / (nu + k);
    term *= q / (k * (nu + k));
    dterm = -term * harmonic;
    sum += term;
    dsum += dterm;
    zsum += ((2 * k) / z) * term;
    if (sum > RESCALE) {
      sum /= RESCALE;
      dsum /= RESCALE;
      zsum /= RESCALE;
      term /= RESCALE;
      logScale += log(RESCALE);
    }
    if (term < 1e-17 * sum && k > q / (nu + k)) break;
  }
  logI[0] = nu * log(z / 2) - lgamma(nu + 1) + log(sum) + logScale;
  logI[1] = log(z / 2) - digamma(nu + 1) + dsum / sum;
  logI[2] = nu / z + zsum / sum;
}

function checkLogBesselI(v: number, z: number): void {
  if (!(v >= -1)) throw new StanDomainError(`log_modified_bessel_first_kind: first argument (order) is ${v}, but must be greater than or equal to -1`);
  if (!(z >= 0)) throw new StanDomainError(`log_modified_bessel_first_kind: second argument (variable) is ${z}, but must be nonnegative!`);
}

/** Stan's log_modified_bessel_first_kind(v, z) = log I_v(z), real v ≥ −1 (I₋₁ = I₁), z ≥ 0. */
export function log_modified_bessel_first_kind(v: number, z: number): number {
  checkLogBesselI(v, z);
  if (v === -1) v = 1;
  if (z === 0) return v === 0 ? 0 : -Infinity;
  if (z === Infinity) return Infinity;
  logBesselIReal(v, z);
  return logI[0];
}

/** ∂/∂v log I_v(z). */
export function log_modified_bessel_first_kind_dv(v: number, z: number): number {
  checkLogBesselI(v, z);
  logBesselIReal(v, z);
  return logI[1];
}

/** ∂/∂z log I_v(z) = I_v′(z) / I_v(z). */
export function log_modified_bessel_first_kind_dz(v: number, z: number): number {
  checkLogBesselI(v, z);
  if (v === -1) v = 1;
  logBesselIReal(v, z);
  return logI[2];
}

// ---------------------------------------------------------------------------------------------
// Owen's T

/** 20-point Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P₂₀ at load. */
const GL_NODES = new Float64Array(20);
const GL_WEIGHTS = new Float64Array(20);
(() => {
  const n = 20;
  for (let i = 0; i < n; i++) {
    let x = cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    GL_NODES[i] = x;
    GL_WEIGHTS[i] = 2 / ((1 - x * x) * dp * dp);
  }
})();

/**
 * T(h, a) for h ≥ 0, 0 ≤ a ≤ 1: (1/2π) ∫₀^a exp(−h²(1 + x²)/2) / (1 + x²) dx by composite
 * Gauss–Legendre, panels no wider than the integrand's width 1/h.
 */
function owensTSmallA(h: number, a: number): number {
  const panels = Math.max(1, Math.ceil(a * h));
  const w = a / panels;
  const h2 = h * h;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = (p + 0.5) * w;
    for (let i = 0; i < 20; i++) {
      const x = mid + 0.5 * w * GL_NODES[i];
      const x2 = 1 + x * x;
      sum += GL_WEIGHTS[i] * (exp(-0.5 * h2 * x2) / x2);
    }
  }
  return (0.5 * w * sum) / (2 * Math.PI);
}

/**
 * Owen's T function T(h, a) = (1/2π) ∫₀^a exp(−h²(1 + x²)/2) / (1 + x²) dx. Even in h, odd in a; for
 * a > 1 from T(h, a) = ½[Φ(h)(1 − Φ(ah)) + Φ(ah)(1 − Φ(h))] − T(ah, 1/a), whose terms do not cancel.
 */
export function owens_t(h: number, a: number): number {
  if (Number.isNaN(h) || Number.isNaN(a)) return NaN;
  if (a < 0) return -owens_t(h, -a);
  h = Math.abs(h);
  if (a === 0) return 0;
  if (a === Infinity) return 0.5 * Phi(-h);
  if (a <= 1) return owensTSmallA(h, a);
  const ah = a * h;
  return 0.5 * (Phi(h) * Phi(-ah) + Phi(ah) * Phi(-h)) - owensTSmallA(ah, 1 / a);
}

/** ∂/∂h T(h, a) = −φ(h) (Φ(ah) − ½) = −φ(h) erf(ah/√2) / 2. */
export function owens_t_dh(h: number, a: number): number {
  return (-exp(-0.5 * h * h) / Math.sqrt(2 * Math.PI)) * 0.5 * erf((a * h) / Math.SQRT2);
}

/** ∂/∂a T(h, a) = exp(−h²(1 + a²)/2) / (2π (1 + a²)). */
export function owens_t_da(h: number, a: number): number {
  const a2 = 1 + a * a;
  return exp(-0.5 * h * h * a2) / (2 * Math.PI * a2);
}
