/**
 * Special functions on doubles: log-gamma family, error function family, log-scale arithmetic,
 * regularised incomplete beta and gamma. Each is written for full double precision across its
 * domain (series near the awkward points, asymptotic expansions far out), never by differencing
 * two large numbers where a direct form exists.
 */

import { StanDomainError } from "../model";
import { cos, exp, expm1, log, log1p, log1pExp, pow, sin, tan } from "./elementary";
import { log1pInPlace, logFamilyInPlace, logSlot } from "./elementary/log";
import { trigInPlace, trigSlot } from "./elementary/trig";

export const LOG_PI = 1.1447298858494002;
export const LOG_TWO = Math.LN2;
export const LOG_SQRT_PI = 0.5723649429247001;
export const LOG_SQRT_TWO_PI = 0.9189385332046728;
export const LOG_TWO_PI = 1.8378770664093453;
export const SQRT_TWO = Math.SQRT2;
export const SQRT_PI = 1.772453850905516;
export const SQRT_TWO_PI = 2.5066282746310002;
export const INV_SQRT_TWO_PI = 0.3989422804014327;
export const EULER_GAMMA = 0.5772156649015329;

// ---------------------------------------------------------------------------------------------
// Gamma family
//
// lgamma, digamma, lbeta and lchoose are wrappers around one core, gammaFamilyInPlace, in the
// manner of the elementary functions (see the note on wrappers in elementary/bits.ts): the
// arguments and the result cross the call in `slot`, a Float64Array, and the core takes only a
// small-integer selector, so no double is boxed whether or not V8 inlines the core. Inside it
// nothing is called with doubles either: lgamma's and digamma's recursions pass their argument in
// `gammaWork`, log, log1p, sin and tan go through their cores' slots (logSlot, trigSlot), and the
// Stirling correction and the series about 1 are helpers that read and write `gammaWork`. V8
// inlines a helper only at a call site that was hot when the caller was compiled, so a helper
// taking doubles in a branch another kernel made rare stayed a call there for good and boxed its
// doubles (the "history-dependent" counts of test/runtime/math/allocation.test.ts). The arithmetic
// is the same, operation for operation, as the direct formulas in the comments.

/**
 * The arguments and result of lgamma, digamma (slot[0]) and lbeta, lchoose (slot[0], slot[1]).
 * `var`, not `const`: a module constant read from a function costs a hole check in the bytecode,
 * and the unary wrappers must stay within V8's 27 bytes.
 */
// eslint-disable-next-line no-var
var slot = new Float64Array(2);

/**
 * Doubles passed between the core's parts: [0] the argument and result of lgammaInPlace and
 * digammaInPlace, [1] of stirlingInPlace, [2] of lgamma1pSeriesInPlace.
 */
const gammaWork = new Float64Array(3);

/** Stirling-series coefficients B_2k / (2k (2k − 1)), k = 1..8. */
const STIRLING_1 = 1 / 12;
const STIRLING_2 = -1 / 360;
const STIRLING_3 = 1 / 1260;
const STIRLING_4 = -1 / 1680;
const STIRLING_5 = 1 / 1188;
const STIRLING_6 = -691 / 360360;
const STIRLING_7 = 1 / 156;
const STIRLING_8 = -3617 / 122400;

/** ζ(k) for k = 2..64 by Euler–Maclaurin summation (tail after 20 terms), computed once at load. */
const ZETA: Float64Array = (() => {
  const bernoulliOverFactorial = [
    1 / 6 / 2,
    -1 / 30 / 24,
    1 / 42 / 720,
    -1 / 30 / 40320,
    5 / 66 / 3628800,
  ];
  const N = 20;
  const out = new Float64Array(65);
  for (let k = 2; k <= 64; k++) {
    let tail = pow(N, 1 - k) / (k - 1) + 0.5 * pow(N, -k);
    let rising = k; // k (k+1) … (k + 2j − 2)
    for (let j = 1; j <= bernoulliOverFactorial.length; j++) {
      tail += bernoulliOverFactorial[j - 1] * rising * pow(N, -k - 2 * j + 1);
      rising *= (k + 2 * j - 1) * (k + 2 * j);
    }
    let head = 0;
    for (let n = N - 1; n >= 1; n--) head += pow(n, -k);
    out[k] = head + tail;
  }
  return out;
})();

/** (−1)^k ζ(k)/k for k = 2..64: the Taylor coefficients of lgamma(1 + e) + γe. */
const LGAMMA1P_COEF: Float64Array = (() => {
  const c = new Float64Array(65);
  for (let k = 2; k <= 64; k++) c[k] = ((k % 2 === 0 ? 1 : -1) * ZETA[k]) / k;
  return c;
})();

/** log((n − 1)!) = lgamma(n) for integers n = 1..171, from exactly accumulated factorials. */
const LOG_FACTORIAL: Float64Array = (() => {
  const out = new Float64Array(172);
  let f = 1;
  for (let n = 2; n <= 171; n++) {
    out[n] = log(f);
    f *= n;
  }
  return out;
})();

/** Selectors of gammaFamilyInPlace (the wrappers pass the literals). */
const LGAMMA = 0;
const DIGAMMA = 1;
const LBETA = 2;

/**
 * What the cores below read from this module and its imports, handed to createGammaCores (see
 * "Constants" in elementary/bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const GAMMA_CORE_CONSTANTS = {
  slot, gammaWork, STIRLING_1, STIRLING_2, STIRLING_3, STIRLING_4, STIRLING_5, STIRLING_6,
  STIRLING_7, STIRLING_8, LGAMMA1P_COEF, EULER_GAMMA, LOG_FACTORIAL, LOG_PI, LOG_SQRT_TWO_PI,
  trigSlot, trigInPlace, logSlot, logFamilyInPlace, log1pInPlace, LGAMMA, DIGAMMA, LBETA,
};

/** Creates the cores once, over GAMMA_CORE_CONSTANTS. */
function createGammaCores(constants: typeof GAMMA_CORE_CONSTANTS) {
  const {
    slot, gammaWork, STIRLING_1, STIRLING_2, STIRLING_3, STIRLING_4, STIRLING_5, STIRLING_6,
    STIRLING_7, STIRLING_8, LGAMMA1P_COEF, EULER_GAMMA, LOG_FACTORIAL, LOG_PI, LOG_SQRT_TWO_PI,
    trigSlot, trigInPlace, logSlot, logFamilyInPlace, log1pInPlace, LGAMMA, DIGAMMA, LBETA,
  } = constants;
  /**
   * gammaWork[1] ← lgamma(x) − [(x − ½) log x − x + ½ log 2π] for x = gammaWork[1] ≥ 10 (the
   * Stirling correction): Horner's rule in 1/x² from the highest coefficient, times 1/x.
   */
  function stirlingInPlace(): void {
    const inv = 1 / gammaWork[1];
    const inv2 = inv * inv;
    const sum =
      ((((((STIRLING_8 * inv2 + STIRLING_7) * inv2 + STIRLING_6) * inv2 + STIRLING_5) * inv2 +
        STIRLING_4) *
        inv2 +
        STIRLING_3) *
        inv2 +
        STIRLING_2) *
        inv2 +
      STIRLING_1;
    gammaWork[1] = sum * inv;
  }
  /**
   * gammaWork[2] ← lgamma(1 + e) for e = gammaWork[2], |e| ≤ 0.5: −γe + Σ_{k≥2} (−1)^k ζ(k) e^k / k
   * by Horner's rule, truncated where the next term is below 1e-17 relative (accurate relative to the
   * result near e = 0).
   */
  function lgamma1pSeriesInPlace(): void {
    const e = gammaWork[2];
    if (e === 0) return; // lgamma(1) = 0 (e is ±0)
    const a = Math.abs(e);
    const terms = a <= 0.1 ? 17 : a <= 0.25 ? 28 : a <= 0.35 ? 38 : 58;
    let sum = 0;
    for (let k = terms; k >= 2; k--) sum = sum * e + LGAMMA1P_COEF[k];
    gammaWork[2] = e * (sum * e - EULER_GAMMA);
  }
  /**
   * gammaWork[0] ← log|Γ(x)| for x = gammaWork[0]. Series about 1 and 2 (so lgamma(1) = lgamma(2) = 0
   * exactly and nearby values keep full relative accuracy), upward recurrence into the Stirling series
   * otherwise, reflection for x < 0:
   *
   *   x ≤ 0:      log π − log|sin(πx)| − lgamma(1 − x)
   *   x < 0.5:    lgamma(x + 1) − log x
   *   x ≤ 1.5:    lgamma1pSeries(x − 1)
   *   x ≤ 2.5:    log1p(x − 2) + lgamma1pSeries(x − 2)
   *   x ≥ 10:     (x − ½) log x − x + log √(2π) + stirlingCorrection(x)
   *   otherwise:  the same at z = x + n ≥ 10, minus log(x (x + 1) … (z − 1))
   */
  function lgammaInPlace(): void {
    const x = gammaWork[0];
    if (Number.isNaN(x)) return;
    if (x === Infinity || x === -Infinity) {
      gammaWork[0] = Infinity;
      return;
    }
    if (x <= 0) {
      if (Number.isInteger(x)) {
        gammaWork[0] = Infinity;
        return;
      }
      // sin(πx) with exact zeros at integers and the argument reduced first (r ∈ [0, 2), then [0, 1))
      let r = x % 2;
      if (r < 0) r += 2;
      let sinPi = 0;
      if (!(r === 0 || r === 1)) {
        let negate = false;
        if (r > 1) {
          r -= 1; // sin(πr) = −sin(π(r − 1)); r − 1 is exact and may be 1 (r rounded up to 2)
          negate = true;
        }
        if (!(r === 0 || r === 1)) {
          trigSlot[0] = Math.PI * (r > 0.5 ? 1 - r : r);
          trigInPlace(0); // sin
          sinPi = negate ? -trigSlot[0] : trigSlot[0];
        }
      }
      logSlot[0] = Math.abs(sinPi);
      logFamilyInPlace(0); // log
      const logSin = logSlot[0];
      gammaWork[0] = 1 - x;
      lgammaInPlace();
      gammaWork[0] = LOG_PI - logSin - gammaWork[0];
      return;
    }
    if (x <= 171 && x === Math.floor(x)) {
      gammaWork[0] = LOG_FACTORIAL[x]; // integer counts (lpmf normalisers)
      return;
    }
    if (x < 0.5) {
      gammaWork[0] = x + 1;
      lgammaInPlace();
      logSlot[0] = x;
      logFamilyInPlace(0); // log
      gammaWork[0] = gammaWork[0] - logSlot[0];
      return;
    }
    if (x <= 1.5) {
      gammaWork[2] = x - 1;
      lgamma1pSeriesInPlace();
      gammaWork[0] = gammaWork[2];
      return;
    }
    if (x <= 2.5) {
      logSlot[0] = x - 2;
      log1pInPlace(false); // log1p
      gammaWork[2] = x - 2;
      lgamma1pSeriesInPlace();
      gammaWork[0] = logSlot[0] + gammaWork[2];
      return;
    }
    if (x >= 10) {
      gammaWork[1] = x;
      stirlingInPlace();
      logSlot[0] = x;
      logFamilyInPlace(0); // log
      gammaWork[0] = (x - 0.5) * logSlot[0] - x + LOG_SQRT_TWO_PI + gammaWork[1];
      return;
    }
    let product = 1;
    let z = x;
    while (z < 10) {
      product *= z;
      z += 1;
    }
    gammaWork[1] = z;
    stirlingInPlace();
    logSlot[0] = z;
    logFamilyInPlace(0); // log
    const logZ = logSlot[0];
    logSlot[0] = product;
    logFamilyInPlace(0); // log
    gammaWork[0] = (z - 0.5) * logZ - z + LOG_SQRT_TWO_PI + gammaWork[1] - logSlot[0];
  }
  /**
   * gammaWork[0] ← ψ(x) = d/dx lgamma(x) for x = gammaWork[0]: upward recurrence to x ≥ 10 then the
   * asymptotic series; reflection ψ(x) = ψ(1 − x) − π / tan(πx) for x < 0.
   */
  function digammaInPlace(): void {
    let x = gammaWork[0];
    if (Number.isNaN(x) || x === -Infinity) {
      gammaWork[0] = NaN;
      return;
    }
    if (x === Infinity) return;
    if (x <= 0) {
      if (Number.isInteger(x)) {
        gammaWork[0] = NaN;
        return;
      }
      trigSlot[0] = Math.PI * x;
      trigInPlace(2); // tan
      const tanPiX = trigSlot[0];
      gammaWork[0] = 1 - x;
      digammaInPlace();
      gammaWork[0] = gammaWork[0] - Math.PI / tanPiX;
      return;
    }
    let acc = 0;
    while (x < 10) {
      acc -= 1 / x;
      x += 1;
    }
    const inv2 = 1 / (x * x);
    const series =
      inv2 *
      (1 / 12 -
        inv2 *
          (1 / 120 -
            inv2 *
              (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760 - inv2 / 12))))));
    logSlot[0] = x;
    logFamilyInPlace(0); // log
    gammaWork[0] = acc + logSlot[0] - 0.5 / x - series;
  }
  /**
   * slot ← lgamma, digamma, lbeta or lchoose of slot (kind 0, 1, 2, 3). One core for the family, over
   * V8's 460-byte inlining limit (lbeta's and lchoose's work is written here), so it is never inlined
   * into a wrapper's own optimised code and the unary wrappers stay small (see bits.ts).
   */
  function gammaFamilyInPlace(kind: number): void {
    if (kind === LGAMMA) {
      gammaWork[0] = slot[0];
      lgammaInPlace();
      slot[0] = gammaWork[0];
      return;
    }
    if (kind === DIGAMMA) {
      gammaWork[0] = slot[0];
      digammaInPlace();
      slot[0] = gammaWork[0];
      return;
    }
    if (kind === LBETA) {
      // log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b), arranged so that large arguments do not
      // cancel: with both ≥ 10 the Stirling main terms are combined analytically; with one large the
      // large pair is.
      const a = slot[0];
      const b = slot[1];
      if (Number.isNaN(a) || Number.isNaN(b)) {
        slot[0] = NaN;
        return;
      }
      const x = Math.min(a, b);
      const y = Math.max(a, b);
      if (x < 0) {
        slot[0] = NaN;
        return;
      }
      if (x === 0) {
        slot[0] = Infinity;
        return;
      }
      if (y === Infinity) {
        slot[0] = -Infinity;
        return;
      }
      if (y < 10) {
        gammaWork[0] = x;
        lgammaInPlace();
        const lgammaX = gammaWork[0];
        gammaWork[0] = y;
        lgammaInPlace();
        const lgammaY = gammaWork[0];
        gammaWork[0] = x + y;
        lgammaInPlace();
        slot[0] = lgammaX + lgammaY - gammaWork[0];
        return;
      }
      const s = x + y;
      gammaWork[1] = y;
      stirlingInPlace();
      const stirlingY = gammaWork[1];
      gammaWork[1] = s;
      stirlingInPlace();
      const correction = stirlingY - gammaWork[1];
      if (x < 10) {
        // lgamma(y) − lgamma(x + y) = (y − ½) log(y/(x+y)) − x log(x+y) + x + corrections
        gammaWork[0] = x;
        lgammaInPlace();
        logSlot[0] = -x / s;
        log1pInPlace(false); // log1p
        const log1pRatio = logSlot[0];
        logSlot[0] = s;
        logFamilyInPlace(0); // log
        slot[0] = gammaWork[0] + (y - 0.5) * log1pRatio - x * logSlot[0] + x + correction;
        return;
      }
      logSlot[0] = y;
      logFamilyInPlace(0); // log
      const logY = logSlot[0];
      logSlot[0] = x / s;
      logFamilyInPlace(0); // log
      const logRatio = logSlot[0];
      logSlot[0] = -x / s;
      log1pInPlace(false); // log1p
      gammaWork[1] = x;
      stirlingInPlace();
      slot[0] =
        LOG_SQRT_TWO_PI -
        0.5 * logY +
        (x - 0.5) * logRatio +
        y * logSlot[0] +
        gammaWork[1] +
        correction;
      return;
    }
    // lchoose(n, k): −log1p(n) − lbeta(n − k + 1, k + 1) where every argument exceeds −1, else from lgamma
    const n = slot[0];
    const k = slot[1];
    if (Number.isNaN(n) || Number.isNaN(k)) {
      slot[0] = NaN;
      return;
    }
    if (k === 0 || k === n) {
      slot[0] = 0;
      return;
    }
    if (n > -1 && k > -1 && n - k > -1) {
      logSlot[0] = n;
      log1pInPlace(false); // log1p
      const log1pN = logSlot[0];
      slot[0] = n - k + 1;
      slot[1] = k + 1;
      gammaFamilyInPlace(2); // LBETA
      slot[0] = -log1pN - slot[0];
      return;
    }
    gammaWork[0] = n + 1;
    lgammaInPlace();
    const lgammaN = gammaWork[0];
    gammaWork[0] = k + 1;
    lgammaInPlace();
    const lgammaK = gammaWork[0];
    gammaWork[0] = n + 1 - k;
    lgammaInPlace();
    slot[0] = lgammaN - lgammaK - gammaWork[0];
  }
  return { stirlingInPlace, lgamma1pSeriesInPlace, lgammaInPlace, digammaInPlace, gammaFamilyInPlace };
}

const cores = createGammaCores(GAMMA_CORE_CONSTANTS);
// eslint-disable-next-line no-var
var stirlingInPlace = cores.stirlingInPlace;
// eslint-disable-next-line no-var
var lgamma1pSeriesInPlace = cores.lgamma1pSeriesInPlace;
// eslint-disable-next-line no-var
var lgammaInPlace = cores.lgammaInPlace;
// eslint-disable-next-line no-var
var digammaInPlace = cores.digammaInPlace;
// eslint-disable-next-line no-var
var gammaFamilyInPlace = cores.gammaFamilyInPlace;

/** log|Γ(x)|. A wrapper around gammaFamilyInPlace (see above). */
export function lgamma(x: number): number {
  const s = slot;
  s[0] = x;
  gammaFamilyInPlace(0); // LGAMMA, a literal: a constant read costs bytecode
  return s[0];
}

/** Γ(x). */
export function tgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return NaN;
  if (Number.isInteger(x) && x <= 171) {
    let f = 1;
    for (let k = 2; k < x; k++) f *= k;
    return f;
  }
  const sign = x > 0 || Math.floor(-x) % 2 === 1 ? 1 : -1;
  return sign * exp(lgamma(x));
}

/** ψ(x) = d/dx lgamma(x). A wrapper around gammaFamilyInPlace. */
export function digamma(x: number): number {
  const s = slot;
  s[0] = x;
  gammaFamilyInPlace(1); // DIGAMMA
  return s[0];
}

/** ψ₁(x) = d/dx ψ(x). */
export function trigamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    const s = sin(Math.PI * x);
    return -trigamma(1 - x) + (Math.PI * Math.PI) / (s * s);
  }
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv *
    (1 +
      inv * 0.5 +
      inv2 *
        (1 / 6 -
          inv2 *
            (1 / 30 -
              inv2 *
                (1 / 42 -
                  inv2 * (1 / 30 - inv2 * (5 / 66 - inv2 * (691 / 2730 - (inv2 * 7) / 6)))))));
  return acc + series;
}

/**
 * log B(a, b) = lgamma(a) + lgamma(b) − lgamma(a + b), without cancellation for large arguments (see
 * gammaFamilyInPlace). A wrapper around it: two slots make it larger than V8's 27-byte
 * "small function", so it is inlined where the caller's inlining budget allows and otherwise boxes
 * its two arguments and its result at the call.
 */
export function lbeta(a: number, b: number): number {
  const s = slot;
  s[0] = a;
  s[1] = b;
  gammaFamilyInPlace(2); // LBETA
  return s[0];
}

/**
 * log of the binomial coefficient, real arguments (Stan's `lchoose` / `binomial_coefficient_log`).
 * A wrapper around gammaFamilyInPlace, as lbeta.
 */
export function lchoose(n: number, k: number): number {
  const s = slot;
  s[0] = n;
  s[1] = k;
  gammaFamilyInPlace(3); // lchoose
  return s[0];
}
export const binomial_coefficient_log = lchoose;

/** Integer binomial coefficient n choose k (0 when k > n), exact while the result fits an int. */
export function choose(n: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0 || k < 0) {
    throw new StanDomainError(
      `choose: arguments must be nonnegative integers, got n = ${n}, k = ${k}`,
    );
  }
  if (k > n) return 0;
  const m = Math.min(k, n - k);
  let result = 1;
  for (let i = 1; i <= m; i++) {
    result = (result * (n - m + i)) / i; // exact: each partial product is a binomial coefficient
    if (result > 2147483647)
      throw new RangeError(`choose: result of choose(${n}, ${k}) overflows an int`);
  }
  return Math.round(result);
}

// ---------------------------------------------------------------------------------------------
// Error function family

/** erf(x) for |x| < 2 from the all-positive series 2x e^{−x²}/√π Σ (2x²)^n / (2n+1)!!. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return ((2 * x) / SQRT_PI) * exp(-x2) * sum;
}

/**
 * e^{x²} erfc(x) for x ≥ 0.5 from the continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz.
 */
function erfcxFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n * 0.5;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / (SQRT_PI * f);
}

const ERF_SWITCH = 2;

export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < ERF_SWITCH) return erfSeries(x);
  if (ax > 6) return x > 0 ? 1 : -1;
  const c = exp(-ax * ax) * erfcxFraction(ax);
  return x > 0 ? 1 - c : c - 1;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) return 1 - erf(x);
  if (x > 27.3) return 0;
  return exp(-x * x) * erfcxFraction(x);
}

/** log erfc(x), finite far into the upper tail where erfc itself underflows. */
export function log_erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) return log(erfc(x));
  if (x === Infinity) return -Infinity;
  return -x * x + log(erfcxFraction(x));
}

/** Standard normal cdf Φ(x). */
export function Phi(x: number): number {
  // In the lower tail, e^{−x²/2} is formed from x itself: squaring x/√2 would cost ~|x|²ε of accuracy.
  if (x < -1) return 0.5 * exp(-0.5 * x * x) * erfcxFraction(-x / SQRT_TWO);
  return 0.5 * erfc(-x / SQRT_TWO);
}

/** log Φ(x), accurate in both tails. */
export function log_Phi(x: number): number {
  if (x > 0) return log1p(-0.5 * erfc(x / SQRT_TWO));
  if (x === -Infinity) return -Infinity;
  if (x < -1) return -0.5 * x * x + log(erfcxFraction(-x / SQRT_TWO)) - LOG_TWO;
  return log(0.5 * erfc(-x / SQRT_TWO));
}

/** φ(x) / Φ(x) (the inverse Mills ratio of −x), stable for very negative x. */
export function normal_hazard_ratio(x: number): number {
  if (x > -1) return (INV_SQRT_TWO_PI * exp(-0.5 * x * x)) / Phi(x);
  // Φ(x) = ½ e^{−x²/2} erfcx(−x/√2)
  return (2 * INV_SQRT_TWO_PI) / erfcxFraction(-x / SQRT_TWO);
}

/** Stan's Phi_approx: inv_logit(0.07056 x³ + 1.5976 x). */
export function Phi_approx(x: number): number {
  return inv_logit(0.07056 * x * x * x + 1.5976 * x);
}

/**
 * Φ⁻¹(p): a rational starting value (Abramowitz & Stegun 26.2.23) polished by Newton steps on
 * log Φ, which converge to full precision in both tails.
 */
export function inv_Phi(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -inv_Phi(1 - p);
  if (p === 0.5) return 0;
  const t = Math.sqrt(-2 * log(p));
  let x = -(
    t -
    (2.515517 + t * (0.802853 + t * 0.010328)) /
      (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)))
  );
  const logP = log(p);
  for (let i = 0; i < 60; i++) {
    const step = (log_Phi(x) - logP) / normal_hazard_ratio(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/**
 * Φ⁻¹(e^lp), the standard normal quantile of a log probability: the same start and Newton steps
 * on log Φ as inv_Phi, but from lp itself, so it stays accurate where e^lp underflows (lp < −745)
 * or rounds to 1 (the upper half uses log(1 − p) = log1m_exp(lp) and symmetry).
 */
export function std_normal_log_qf(lp: number): number {
  if (Number.isNaN(lp)) throw new StanDomainError("std_normal_log_qf: Log probability variable is nan, but must be not nan!");
  if (lp > 0) throw new StanDomainError(`std_normal_log_qf: Probability variable is ${lp}, but must be less than or equal to 0`);
  if (lp === 0) return Infinity;
  if (lp === -Infinity) return -Infinity;
  return lp > -LOG_TWO ? -lowerHalfLogQuantile(log1m_exp(lp)) : lowerHalfLogQuantile(lp);
}

/** Φ⁻¹(e^lp) for lp ≤ log ½. */
function lowerHalfLogQuantile(lp: number): number {
  const t = Math.sqrt(-2 * lp);
  let x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  for (let i = 0; i < 60; i++) {
    const step = (log_Phi(x) - lp) / normal_hazard_ratio(x);
    x -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Log-scale arithmetic and logistic functions

export function log1m(x: number): number {
  return log1p(-x);
}

/** log(1 + eˣ) without overflow. */
export function log1p_exp(x: number): number {
  return x > 0 ? x + log1pExp(-x) : log1pExp(x);
}

/** log(1 − eˣ) for x ≤ 0 (NaN for x > 0). */
export function log1m_exp(x: number): number {
  if (x > 0) return NaN;
  return x > -LOG_TWO ? log(-expm1(x)) : log1p(-exp(x));
}

/** log(eˣ − eʸ) for x ≥ y. */
export function log_diff_exp(x: number, y: number): number {
  if (x < y) return NaN;
  if (y === -Infinity) return x;
  if (x === y) return -Infinity;
  return x + log1m_exp(y - x);
}

/** log(eᵃ + eᵇ). */
export function log_sum_exp2(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  if (a === Infinity || b === Infinity) return Infinity;
  return a > b ? a + log1pExp(b - a) : b + log1pExp(a - b);
}

/** log Σ exp(x_i) of a vector (−∞ for an empty vector). */
export function log_sum_exp_vector(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
  if (max === -Infinity || max === Infinity || Number.isNaN(max)) {
    for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return NaN;
    return max;
  }
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += exp(x[i] - max);
  return max + log(sum);
}

export function inv_logit(x: number): number {
  if (x < 0) {
    const e = exp(x);
    return e / (1 + e);
  }
  return 1 / (1 + exp(-x));
}

export function logit(p: number): number {
  return log(p) - log1p(-p);
}

/** log(inv_logit(x)). */
export function log_inv_logit(x: number): number {
  return x < 0 ? x - log1pExp(x) : -log1pExp(-x);
}

/** log(1 − inv_logit(x)). */
export function log1m_inv_logit(x: number): number {
  return log_inv_logit(-x);
}

// ---------------------------------------------------------------------------------------------
// Regularised incomplete beta and gamma

/**
 * x^a y^b / (a B(a, b)) times the continued fraction for I_x(a, b) (y = 1 − x, passed separately so
 * callers keep its precision). Converges fast for x < (a + 1)/(a + b + 2).
 */
function incBetaFront(a: number, b: number, x: number, y: number): number {
  if (x === 0) return 0;
  const logPrefix = a * log(x) + b * log(y) - lbeta(a, b) - log(a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < 10000; m++) {
    const m2 = 2 * m;
    let coef = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + coef * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + coef / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    coef = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + coef * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + coef / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return exp(logPrefix) * f;
}

/** I_x(a, b), with y = 1 − x supplied by the caller (for precision near x = 1). */
export function inc_beta_lower(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  return x < (a + 1) / (a + b + 2) ? incBetaFront(a, b, x, y) : 1 - incBetaFront(b, a, y, x);
}

/** 1 − I_x(a, b) = I_y(b, a), computed without cancellation. */
export function inc_beta_upper(a: number, b: number, x: number, y: number): number {
  return inc_beta_lower(b, a, y, x);
}

/** Stan's `inc_beta(a, b, x)`: the regularised incomplete beta function I_x(a, b). */
export function inc_beta(a: number, b: number, x: number): number {
  if (!(a > 0)) throw new StanDomainError(`inc_beta: First argument is ${a}, but must be positive!`);
  if (!(b > 0)) throw new StanDomainError(`inc_beta: Second argument is ${b}, but must be positive!`);
  if (!(x >= 0 && x <= 1)) throw new StanDomainError(`inc_beta: Third argument is ${x}, but must be in the interval [0, 1]`);
  return inc_beta_lower(a, b, x, 1 - x);
}

/** Stan's argument checks of gamma_p and gamma_q (a domain error, not NaN). */
function checkIncGammaArgs(fn: string, a: number, x: number): void {
  if (!(a > 0)) throw new StanDomainError(`${fn}: first argument is ${a}, but must be positive!`);
  if (!(x >= 0)) throw new StanDomainError(`${fn}: second argument is ${x}, but must be nonnegative!`);
}

/** Regularised lower incomplete gamma P(a, x): series for x < a + 1, continued fraction otherwise. */
export function gamma_p(a: number, x: number): number {
  checkIncGammaArgs("gamma_p", a, x);
  return gamma_p_unchecked(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x). */
export function gamma_q(a: number, x: number): number {
  checkIncGammaArgs("gamma_q", a, x);
  return gamma_q_unchecked(a, x);
}

/** P(a, x), NaN outside its domain instead of throwing (for the derivatives, called after the value). */
export function gamma_p_unchecked(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaFraction(a, x);
}

/** Q(a, x) = 1 − P(a, x), NaN outside its domain instead of throwing. */
export function gamma_q_unchecked(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  return exp(logGammaSeries(a, x));
}

/** log P(a, x) from the series x^a e^(−x)/Γ(a) Σ xⁿ/(a(a + 1)⋯(a + n)) (for x < a + 1; no underflow). */
function logGammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 100000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return log(sum) - x + a * log(x) - lgamma(a);
}

function gammaFraction(a: number, x: number): number {
  return exp(logGammaFraction(a, x));
}

/** log Q(a, x) from its continued fraction (for x ≥ a + 1; no underflow). */
function logGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return log(h) - x + a * log(x) - lgamma(a);
}

/**
 * log P(a, x), accurate where P underflows (far lower tail): the series' own logarithm, or
 * log(1 − Q) from the continued fraction. NaN outside the domain (for the log CDFs built on it).
 */
export function log_gamma_p(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return 0;
  return x < a + 1 ? logGammaSeries(a, x) : log1p(-gammaFraction(a, x));
}

/** log Q(a, x), accurate where Q underflows (far upper tail). NaN outside the domain. */
export function log_gamma_q(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x === Infinity) return -Infinity;
  return x < a + 1 ? log1p(-gammaSeries(a, x)) : logGammaFraction(a, x);
}

// ---------------------------------------------------------------------------------------------
// More of the gamma family and combinatorial functions (issue #17)

/**
 * ψ₂(x) = d/dx ψ₁(x) (tetragamma, polygamma of order 2): ψ₂(x) = ψ₂(x + 1) − 2/x³ upward to
 * x ≥ 10, then the asymptotic series −1/x² − 1/x³ − Σ (2k + 1) B₂ₖ / x^(2k+2); reflection
 * ψ₂(x) = ψ₂(1 − x) − 2π³ cos(πx) / sin³(πx) for x ≤ 0.
 */
export function tetragamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0) {
    if (Number.isInteger(x)) return NaN;
    const s = sin(Math.PI * x);
    return tetragamma(1 - x) - (2 * Math.PI * Math.PI * Math.PI * cos(Math.PI * x)) / (s * s * s);
  }
  let acc = 0;
  while (x < 10) {
    acc -= 2 / (x * x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // (2k + 1) B_2k for k = 1..7
  const series =
    inv2 *
    inv2 *
    (3 / 6 +
      inv2 *
        (-5 / 30 +
          inv2 * (7 / 42 + inv2 * (-9 / 30 + inv2 * ((11 * 5) / 66 + inv2 * ((-13 * 691) / 2730 + (inv2 * 15 * 7) / 6))))));
  return acc - inv2 - inv2 * inv - series;
}

/** Stan's inv_cloglog(x) = 1 − exp(−exp(x)). */
export function inv_cloglog(x: number): number {
  return -expm1(-exp(x));
}

/**
 * log(logit⁻¹(x) − logit⁻¹(y)) for x > y, as x + log(1 − e^(y − x)) − log(1 + eˣ) − log(1 + eʸ)
 * so neither difference of probabilities nor of exponentials cancels.
 */
export function log_inv_logit_diff(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (y === -Infinity) return log_inv_logit(x);
  if (x === Infinity) return log1m_inv_logit(y);
  return x + log1m_exp(y - x) - log1p_exp(x) - log1p_exp(y);
}

/** x (x − 1) ⋯ (x − n + 1) = Γ(x + 1) / Γ(x − n + 1), for n ≥ 0 (Stan's falling_factorial). */
export function falling_factorial(x: number, n: number): number {
  if (n < 0 || !Number.isInteger(n)) throw new StanDomainError(`falling_factorial: second argument is ${n}, but must be nonnegative!`);
  if (n <= 30 || Number.isInteger(x)) {
    let p = 1;
    for (let k = 0; k < n; k++) p *= x - k;
    return p;
  }
  return exp(log_falling_factorial(x, n)) * gammaRatioSign(x + 1, x - n + 1);
}

/** x (x + 1) ⋯ (x + n − 1) = Γ(x + n) / Γ(x), for n ≥ 0 (Stan's rising_factorial). */
export function rising_factorial(x: number, n: number): number {
  if (n < 0 || !Number.isInteger(n)) throw new StanDomainError(`rising_factorial: second argument is ${n}, but must be nonnegative!`);
  if (n <= 30 || Number.isInteger(x)) {
    let p = 1;
    for (let k = 0; k < n; k++) p *= x + k;
    return p;
  }
  return exp(log_rising_factorial(x, n)) * gammaRatioSign(x + n, x);
}

/** The sign of Γ(p) / Γ(q) (Γ is negative on (−2k − 1, −2k)). */
function gammaRatioSign(p: number, q: number): number {
  const sign = (z: number) => (z > 0 || Math.floor(-z) % 2 === 1 ? 1 : -1);
  return sign(p) * sign(q);
}

/** log Γ(x + 1) − log Γ(x − n + 1) (Stan's log_falling_factorial; x must be positive). */
export function log_falling_factorial(x: number, n: number): number {
  if (Number.isNaN(x) || Number.isNaN(n)) return NaN;
  if (x <= 0) throw new StanDomainError(`log_falling_factorial: first argument is ${x}, but must be positive!`);
  return lgamma(x + 1) - lgamma(x - n + 1);
}

/** log Γ(x + n) − log Γ(x) (Stan's log_rising_factorial; x must be positive). */
export function log_rising_factorial(x: number, n: number): number {
  if (Number.isNaN(x) || Number.isNaN(n)) return NaN;
  if (x <= 0) throw new StanDomainError(`log_rising_factorial: first argument is ${x}, but must be positive!`);
  return lgamma(x + n) - lgamma(x);
}

/** log Γ_k(x) = k(k − 1)/4 log π + Σ_{j=1..k} log Γ(x + (1 − j)/2), the log multivariate gamma. */
export function lmgamma(k: number, x: number): number {
  let sum = (k * (k - 1) * 0.25) * LOG_PI;
  for (let j = 1; j <= k; j++) sum += lgamma(x + (1 - j) / 2);
  return sum;
}

/** ∂/∂x lmgamma(k, x) = Σ_{j=1..k} ψ(x + (1 − j)/2). */
export function lmgamma_dx(k: number, x: number): number {
  let sum = 0;
  for (let j = 1; j <= k; j++) sum += digamma(x + (1 - j) / 2);
  return sum;
}

/** Stan's to_int: truncation towards zero, an error outside the int range or for NaN/∞. */
export function to_int(x: number): number {
  if (!(x >= -2147483648 && x <= 2147483647)) {
    throw new StanDomainError(`to_int: x is ${x}, but must be in the interval [-2147483648, 2147483647]`);
  }
  return Math.trunc(x);
}
