/**
 * log, log1p, log2 and log10 in plain double arithmetic, by a table-driven reduction in the manner
 * of Tang ("Table-driven implementation of the logarithm function in IEEE floating-point
 * arithmetic", ACM TOMS 16(4), 1990) with the exact reduction step of the CORE-MATH logarithms
 * (a table value c ≈ 1/F with few significant bits, so c·m − 1 is computed without error):
 *
 *   x = 2^k · m,  m ∈ [√2/2, √2),  F = j/128 nearest m,  c ≈ 1/F (21 bits),
 *   ln x = k·ln2 − ln c + ln(1 + r),  r = c·m − 1,  |r| < 2^-7.4,
 *
 * with −ln c tabulated to twice double precision (tables.ts) and ln(1 + r) by its Taylor series.
 * log and log1p do the reduction and the final sum in one pass (logFamilyInPlace, log1pInPlace); logCore returns
 * ln m as hi + lo accurate to about 2^-68 relative for pow, the hyperbolic functions, log2 and
 * log10, which add their k term and round once. Measured (10^5–10^6 arguments each): ≤ 0.505 ulp.
 */
import { coreInput, f64, HI, LO, POWERS_OF_TWO, scaleByPowerOfTwo, u32 } from "./bits";
import { EXP_OVERFLOW, EXP_UNDERFLOW } from "./exp";
import {
  INV_LN10_HI,
  INV_LN10_LO,
  INV_LN2_HI,
  INV_LN2_LO,
  LN2_HI,
  LN2_LO,
  LOG10_2_HI,
  LOG10_2_LO,
  EXP2_BY_64,
  INV_LN2_BY_64,
  LN2_BY_64_HI,
  LN2_BY_64_LO,
  LOG_TABLE,
  LOG_TABLE_FIRST,
} from "./tables";

/**
 * The argument and result of log, log1p, log2 and log10, passed to and from their core (see the
 * note on wrappers in bits.ts). `var`, not `const`: a module constant read from a function costs a
 * hole check in the bytecode, and the wrappers must stay within V8's 27 bytes.
 */
// eslint-disable-next-line no-var
var slot = new Float64Array(1);

/** logFamilyInPlace's function selector (the wrappers pass the literals). */
const LOG = 0;
const LOG2 = 2;
const LOG10 = 3;

/** The result of logCore: ln(m) ≈ logParts[0] + logParts[1]. */
export const logParts = new Float64Array(2);

const TWO_POW_54 = 18014398509481984;

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

/** The high (26-bit) half of c by Veltkamp's splitting, as productError computes it. */
function highHalf(c: number): number {
  const t = SPLITTER * c;
  return t - (t - c);
}
// The halves of the constant factors, split once here instead of per call (same values)
const INV_LN2_HI_HIGH = highHalf(INV_LN2_HI);
const INV_LN2_HI_LOW = INV_LN2_HI - INV_LN2_HI_HIGH;
const INV_LN10_HI_HIGH = highHalf(INV_LN10_HI);
const INV_LN10_HI_LOW = INV_LN10_HI - INV_LN10_HI_HIGH;
const LOG10_2_HI_HIGH = highHalf(LOG10_2_HI);
const LOG10_2_HI_LOW = LOG10_2_HI - LOG10_2_HI_HIGH;
const MANTISSA_HEAD_SHIFTER = 3145728;
/**
 * The high word of √2's fraction bits (√2 = 0x3FF6A09E_667F3BCD). With f the 52 fraction bits of x
 * and F their top 20 (the high word's), m = 1.f when F is below this, else 1.f / 2; the table index
 * ⌊128·m + 0.5⌋ is then 128 + ⌊(F + 2^12) / 2^13⌋, resp. 64 + ⌊(F + 2^13) / 2^14⌋ (128·m + 0.5 is exact
 * in both cases and the low 32 fraction bits cannot carry into the floor). The cores compute it so,
 * with integer shifts: the same integer as Math.floor(m * 128 + 0.5) for all 2^20 values of F, without
 * a rounding and a double-to-int conversion on the critical path (log1p: 25 → 22 ns per call).
 */
const SQRT2_FRACTION_HIGH = 0x6a09e;

/** ln x for finite x > 0 (also +∞, 0, negatives and NaN, as Math.log): a wrapper around logFamilyInPlace (see bits.ts). */
export function log(x: number): number {
  const s = slot;
  s[0] = x;
  logFamilyInPlace(0); // LOG, a literal: a constant read costs bytecode
  return s[0];
}

/** Below this magnitude log1p uses its Taylor series. */
const LOG1P_SERIES_LIMIT = 1 / 128;

/** ln(1 + x), accurate near 0; −1 → −∞, below −1 → NaN, ±0 → ±0, +∞ → +∞, NaN → NaN. A wrapper around log1pInPlace (see bits.ts). */
export function log1p(x: number): number {
  const s = slot;
  s[0] = x;
  log1pInPlace(false);
  return s[0];
}

/**
 * ln(1 + e^x), the same bits as log1p(exp(x)) at the cost of one core call instead of two: the
 * softplus of log_sum_exp, log1p_exp, log_inv_logit and the bounded transforms, usually called
 * once per observation or leapfrog. A wrapper around log1pInPlace.
 */
export function log1pExp(x: number): number {
  const s = slot;
  s[0] = x;
  log1pInPlace(true);
  return s[0];
}

/**
 * logParts[0] ← k·ln2 + logParts[0] + logParts[1], rounded once (k·LN2_HI is exact: LN2_HI has 42
 * bits, |k| < 1100). Only the integer k crosses the call and the result stays in memory, so nothing
 * is boxed whether or not the caller inlines it.
 */
export function addMultipleOfLn2(k: number): void {
  const kHi = k * LN2_HI;
  const hi = logParts[0];
  const s = kHi + hi;
  const virtual = s - kHi;
  logParts[0] = s + (kHi - (s - virtual) + (hi - virtual) + (logParts[1] + k * LN2_LO));
}

/** log2 x; exact for powers of two. A wrapper around logFamilyInPlace. */
export function log2(x: number): number {
  const s = slot;
  s[0] = x;
  logFamilyInPlace(2); // LOG2, a literal: a constant read costs bytecode
  return s[0];
}

/** log10 x. A wrapper around logFamilyInPlace. */
export function log10(x: number): number {
  const s = slot;
  s[0] = x;
  logFamilyInPlace(3); // LOG10, a literal: a constant read costs bytecode
  return s[0];
}

/**
 * The slot and core behind log, log1p, log2, log10 and log1pExp, for cores elsewhere in the runtime
 * (lgamma's, digamma's) that pass their doubles in memory: a call of a wrapper in a rarely taken
 * branch of such a core is not inlined and would box (see "No helper calls" in bits.ts).
 */
// A second name for the slot, so that `slot` itself is not an export: V8 reads an exported
// module binding through a cell (more bytecode), which made the wrappers too large to inline
// and the sampler box a double per leapfrog (test/runtime/nuts/allocation.test.ts).
const logSlot = slot;
export { logSlot, logFamilyInPlace, log1pInPlace };

/**
 * What the cores below read from this module and its imports, handed to createLogCores (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const LOG_CORE_CONSTANTS = {
  slot, f64, u32, HI, coreInput, POWERS_OF_TWO, scaleByPowerOfTwo, EXP_OVERFLOW, EXP_UNDERFLOW,
  INV_LN10_HI, INV_LN10_LO, INV_LN2_HI, INV_LN2_LO, LN2_HI, LN2_LO, LOG10_2_HI, LOG10_2_LO,
  EXP2_BY_64, INV_LN2_BY_64, LN2_BY_64_HI, LN2_BY_64_LO, LOG_TABLE, LOG_TABLE_FIRST, LOG, LOG2,
  LOG10, logParts, TWO_POW_54, SPLITTER, INV_LN2_HI_HIGH, INV_LN2_HI_LOW, INV_LN10_HI_HIGH,
  INV_LN10_HI_LOW, LOG10_2_HI_HIGH, LOG10_2_HI_LOW, MANTISSA_HEAD_SHIFTER, SQRT2_FRACTION_HIGH,
  LOG1P_SERIES_LIMIT,
};

/** Creates the cores once, over LOG_CORE_CONSTANTS. */
function createLogCores(constants: typeof LOG_CORE_CONSTANTS) {
  const {
    slot, f64, u32, HI, coreInput, POWERS_OF_TWO, scaleByPowerOfTwo, EXP_OVERFLOW, EXP_UNDERFLOW,
    INV_LN10_HI, INV_LN10_LO, INV_LN2_HI, INV_LN2_LO, LN2_HI, LN2_LO, LOG10_2_HI, LOG10_2_LO,
    EXP2_BY_64, INV_LN2_BY_64, LN2_BY_64_HI, LN2_BY_64_LO, LOG_TABLE, LOG_TABLE_FIRST, LOG, LOG2,
    LOG10, logParts, TWO_POW_54, SPLITTER, INV_LN2_HI_HIGH, INV_LN2_HI_LOW, INV_LN10_HI_HIGH,
    INV_LN10_HI_LOW, LOG10_2_HI_HIGH, LOG10_2_HI_LOW, MANTISSA_HEAD_SHIFTER, SQRT2_FRACTION_HIGH,
    LOG1P_SERIES_LIMIT,
  } = constants;
  /**
   * Splits the finite x = coreInput[0] > 0 (xLo = coreInput[1], |xLo| ≤ ulp(x), a low part of the
   * argument) as 2^k·m and writes
   * ln(m + m·xLo/x) as hi + lo into logParts; returns k. `precise`: hi + lo to about 2^-68 relative
   * (for pow); else to about 2^-62, enough for a result rounded once.
   */
  function logCore(precise: boolean): number {
    const x = coreInput[0];
    const relativeLow = coreInput[1] / x;
    let value = x;
    let k = 0;
    f64[0] = x;
    let high = u32[HI];
    if (high < 0x00100000) {
      // Subnormal: scale into the normal range first.
      value = x * TWO_POW_54;
      f64[0] = value;
      high = u32[HI];
      k = -54;
    }
    // m = value·2^-e in [√2/2, √2): e is the exponent, plus 1 when the fraction is at least √2's.
    let e = (high >>> 20) - 1023;
    const fraction = high & 0x000fffff;
    const aboveSqrt2 = fraction >= SQRT2_FRACTION_HIGH;
    if (aboveSqrt2) e += 1;
    k += e;
    const m = value * POWERS_OF_TWO[1074 - e];
    // m rounded to a multiple of 2^-31 (at most 32 bits; adding and removing 3·2^20, whose ulp is
    // 2^-31, rounds there): times the 21-bit c, exact; the remainder has at most 21 bits.
    const mHead = m + MANTISSA_HEAD_SHIFTER - MANTISSA_HEAD_SHIFTER;
    const mTail = m - mHead;
    // j = ⌊128·m + 0.5⌋ from the fraction bits (see SQRT2_FRACTION_HIGH)
    const j = aboveSqrt2 ? 64 + ((fraction + 0x2000) >>> 14) : 128 + ((fraction + 0x1000) >>> 13);
    const at = 3 * (j - LOG_TABLE_FIRST);
    const c = LOG_TABLE[at];
    // r = c·m − 1 = a + b exactly: c·mHead and c·mTail are exact products, c·mHead − 1 exact (Sterbenz).
    const a = c * mHead - 1;
    const b = c * mTail;
    const r = a + b;
    // TwoSum errors and Dekker products below are written out (see "No helper calls" in bits.ts)
    let virtual = r - a;
    const rLo = a - (r - virtual) + (b - virtual);
    // ln(1 + r + rLo) = r − r²/2 + r³/3 − … − r⁸/8 + rLo·(1 − r): the first omitted term is below
    // 2^-63 relative to r.
    const tHi = LOG_TABLE[at + 1];
    const tLo = LOG_TABLE[at + 2];
    const r2 = r * r;
    const tail =
      r * r2 * (1 / 3 + r * (-1 / 4 + r * (1 / 5 + r * (-1 / 6 + r * (1 / 7 + r * (-1 / 8))))));
    const s1 = tHi + r;
    virtual = s1 - tHi;
    const e1 = tHi - (s1 - virtual) + (r - virtual);
    let hi: number;
    let lo: number;
    // `=== true`: one comparison; a bare `if (precise)` compiles to a full ToBoolean (V8 has no type
    // feedback for parameters), a dozen instructions when the flag is true
    if (precise === true) {
      // r²/2 split exactly: for m near 1 it is the largest correction, and pow multiplies its
      // rounding error (2^-61 relative) by up to 745.
      const halfSquare = -0.5 * r2;
      const s2 = s1 + halfSquare;
      virtual = s2 - s1;
      const e2 = s1 - (s2 - virtual) + (halfSquare - virtual);
      const split = SPLITTER * r;
      const rHigh = split - (split - r);
      const rLow = r - rHigh;
      const squareError = rHigh * rHigh - r2 + rHigh * rLow + rLow * rHigh + rLow * rLow;
      lo = e1 + e2 + (tLo + rLo - r * rLo - 0.5 * squareError + tail + relativeLow);
      hi = s2 + lo;
      lo = s2 - hi + lo;
    } else {
      lo = e1 + (tLo + rLo - 0.5 * r2 + tail + relativeLow);
      hi = s1 + lo;
      lo = s1 - hi + lo;
    }
    logParts[0] = hi;
    logParts[1] = lo;
    return k;
  }
  /**
   * slot[0] ← log, log2 or log10 of slot[0], by `kind` (log1p and log1pExp have their own core,
   * log1pInPlace): one core, over V8's
   * 460-byte inlining limit, so it is never inlined and the wrappers stay small wherever they are
   * optimised (V8 counts what a function's own optimised code inlined as part of its size).
   *
   * log: the reduction of logCore, written out, and the sum
   *
   *   ln x = (k·LN2_HI + tHi) + r + [k·LN2_LO + tLo + rLo + ln(1 + r) − r],
   *
   * whose head is added with Fast2Sum (exact: |k·LN2_HI| ≥ |tHi| unless k = 0, and |tHi| ≥ |r|
   * unless tHi = 0) and whose tail is small: one rounding at the end, ≤ 0.51 ulp (measured). ln(1 + r) − r
   * is the Taylor series to r⁸ in Estrin's scheme (short dependency chains).
   */
  function logFamilyInPlace(kind: number): void {
    if (kind === LOG) {
      let x = slot[0];
      f64[0] = x;
      let high = u32[HI];
      let k = 0;
      // zero, subnormals, negatives (sign bit set), +∞ and NaN
      if (high < 0x00100000 || high >= 0x7ff00000) {
        if (!(x > 0 && x < Infinity)) {
          slot[0] = x === 0 ? -Infinity : x === Infinity ? x : NaN;
          return;
        }
        x *= TWO_POW_54;
        f64[0] = x;
        high = u32[HI];
        k = -54;
      }
      let e = (high >>> 20) - 1023;
      const fraction = high & 0x000fffff;
      const aboveSqrt2 = fraction >= SQRT2_FRACTION_HIGH;
      if (aboveSqrt2) e += 1;
      k += e;
      const m = x * POWERS_OF_TWO[1074 - e];
      const mHead = m + MANTISSA_HEAD_SHIFTER - MANTISSA_HEAD_SHIFTER;
      // ⌊128·m + 0.5⌋ from the fraction bits (see SQRT2_FRACTION_HIGH)
      const at = 3 * ((aboveSqrt2 ? 64 + ((fraction + 0x2000) >>> 14) : 128 + ((fraction + 0x1000) >>> 13)) - LOG_TABLE_FIRST);
      const c = LOG_TABLE[at];
      const a = c * mHead - 1;
      const b = c * (m - mHead);
      const r = a + b;
      const r2 = r * r;
      const poly =
        r2 *
        (-1 / 2 +
          r * (1 / 3) +
          r2 * (-1 / 4 + r * (1 / 5) + r2 * (-1 / 6 + r * (1 / 7) + r2 * (-1 / 8))));
      const kHi = k * LN2_HI;
      const tHi = LOG_TABLE[at + 1];
      const w = kHi + tHi;
      const wLo = kHi - w + tHi;
      const hi = w + r;
      const hiLo = w - hi + r;
      const virtual = r - a;
      const rLo = a - (r - virtual) + (b - virtual); // TwoSum's error of a + b, written out
      slot[0] = hi + (hiLo + wLo + (LOG_TABLE[at + 2] + k * LN2_LO) + (rLo + poly));
      return;
    }
    const x = slot[0];
    if (!(x > 0 && x < Infinity)) {
      slot[0] = x === 0 ? -Infinity : x === Infinity ? x : NaN;
      return;
    }
    if (kind === LOG2) {
      coreInput[0] = slot[0];
      coreInput[1] = 0;
      const k = logCore(false);
      const hi = logParts[0];
      const p = hi * INV_LN2_HI;
      // Dekker's product error and TwoSum's error written out (see "No helper calls" in bits.ts)
      const split = SPLITTER * hi;
      const hiHigh = split - (split - hi);
      const hiLow = hi - hiHigh;
      const productLow =
        hiHigh * INV_LN2_HI_HIGH -
        p +
        hiHigh * INV_LN2_HI_LOW +
        hiLow * INV_LN2_HI_HIGH +
        hiLow * INV_LN2_HI_LOW;
      const pLo = productLow + hi * INV_LN2_LO + logParts[1] * INV_LN2_HI;
      const s = k + p;
      const virtual = s - k;
      slot[0] = s + (k - (s - virtual) + (p - virtual) + pLo);
      return;
    }
    coreInput[0] = slot[0];
    coreInput[1] = 0;
    const k = logCore(false);
    const hi = logParts[0];
    const p = hi * INV_LN10_HI;
    let split = SPLITTER * hi;
    const hiHigh = split - (split - hi);
    const hiLow = hi - hiHigh;
    const productLow =
      hiHigh * INV_LN10_HI_HIGH -
      p +
      hiHigh * INV_LN10_HI_LOW +
      hiLow * INV_LN10_HI_HIGH +
      hiLow * INV_LN10_HI_LOW;
    const pLo = productLow + hi * INV_LN10_LO + logParts[1] * INV_LN10_HI;
    const kHi = k * LOG10_2_HI;
    split = SPLITTER * k;
    const kHigh = split - (split - k);
    const kLow = k - kHigh;
    const kProductLow =
      kHigh * LOG10_2_HI_HIGH -
      kHi +
      kHigh * LOG10_2_HI_LOW +
      kLow * LOG10_2_HI_HIGH +
      kLow * LOG10_2_HI_LOW;
    const kLo = kProductLow + k * LOG10_2_LO;
    const s = kHi + p;
    const virtual = s - kHi;
    slot[0] = s + (kHi - (s - virtual) + (p - virtual) + (kLo + pLo));
  }
  /**
   * slot[0] ← ln(1 + slot[0]), or ln(1 + e^slot[0]) when `ofExp`: its own core rather than a branch
   * of logFamilyInPlace, so a log1p call runs no dispatch over the five kinds. Over V8's 460-byte
   * inlining limit (as the family core; with the exp part in a function of its own, that one was
   * inlined into the log1pExp wrapper, which then stopped being small and boxed in kernels).
   *
   * ofExp: e^x first, by the same operations as exp in exp.ts (written out here so that
   * log1p(exp(a)) costs one core call; test/runtime/elementary checks the bits are exp's).
   * Then 1 + x is rounded to u and its error uLo carried into r exactly as c·uLo·2^-e.
   */
  function log1pInPlace(ofExp: boolean): void {
    let x = slot[0];
    if (ofExp === true) { // one comparison (see logCore)
      const argument = x;
      if (!(argument <= EXP_OVERFLOW)) x = argument !== argument ? argument : Infinity;
      else if (argument < EXP_UNDERFLOW) x = 0;
      else {
        const k = Math.floor(argument * INV_LN2_BY_64 + 0.5);
        const rHead = argument - k * LN2_BY_64_HI;
        const kLow = k * LN2_BY_64_LO;
        const r = rHead - kLow;
        const virtual = r - rHead;
        const rLo = rHead - (r - virtual) + (-kLow - virtual);
        const j = k & 63;
        const tHi = EXP2_BY_64[2 * j];
        const tLo = EXP2_BY_64[2 * j + 1];
        const r2 = r * r;
        const q =
          r2 *
          (1 / 2 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120) + r2 * (1 / 720 + r * (1 / 5040))));
        const p = r + (rLo + q);
        const y = tHi + (tHi * p + tLo * (1 + p));
        const n = (k - j) / 64;
        // a call passing doubles only for subnormal e^argument (argument < −708)
        x = n > -1022 && n < 1024 ? y * POWERS_OF_TWO[n + 1074] : scaleByPowerOfTwo(y, n);
      }
    }
    if (!(x > -1 && x < Infinity)) {
      slot[0] = x === -1 ? -Infinity : x === Infinity ? x : NaN;
      return;
    }
    const ax = Math.abs(x);
    if (ax < LOG1P_SERIES_LIMIT) {
      // |x| < 2^-54: ln(1 + x) = x − x²/2 rounds to x (keeps −0 and subnormals).
      if (ax < 5.551115123125783e-17) {
        slot[0] = x;
        return;
      }
      // x − x²/2 + … − x⁸/8 (Estrin): the first omitted term is below 2^-66 relative. (Through the
      // reduction, the rounding of 1 + x would leave a correction too large to add to a result this small.)
      const x2 = x * x;
      const series =
        x +
        x2 *
          (-1 / 2 +
            x * (1 / 3) +
            x2 * (-1 / 4 + x * (1 / 5) + x2 * (-1 / 6 + x * (1 / 7) + x2 * (-1 / 8))));
      slot[0] = series;
      return;
    }
    const u = 1 + x;
    // TwoSum's errors written out (see "No helper calls" in bits.ts)
    let virtual = u - 1;
    const uLo = 1 - (u - virtual) + (x - virtual);
    f64[0] = u;
    const high = u32[HI];
    let e = (high >>> 20) - 1023;
    const fraction = high & 0x000fffff;
    const aboveSqrt2 = fraction >= SQRT2_FRACTION_HIGH;
    if (aboveSqrt2) e += 1;
    const scale = POWERS_OF_TWO[1074 - e];
    const m = u * scale;
    const mHead = m + MANTISSA_HEAD_SHIFTER - MANTISSA_HEAD_SHIFTER;
    // ⌊128·m + 0.5⌋ from the fraction bits (see SQRT2_FRACTION_HIGH)
    const at = 3 * ((aboveSqrt2 ? 64 + ((fraction + 0x2000) >>> 14) : 128 + ((fraction + 0x1000) >>> 13)) - LOG_TABLE_FIRST);
    const c = LOG_TABLE[at];
    const a = c * mHead - 1;
    const b = c * (m - mHead);
    const r = a + b;
    // ln(1 + r + rLo) = ln(1 + r) + rLo·(1 − r) + …: rLo carries uLo (up to ulp(u)/2, far above
    // ulp(r)), so its r·rLo term counts here (it does not in log)
    virtual = r - a;
    const rLoFull = a - (r - virtual) + (b - virtual) + c * (uLo * scale);
    const rLo = rLoFull - r * rLoFull;
    // k·ln2 − ln c + ln(1 + r + rLo), as for log (written out in both: a call passing doubles
    // could box them, see bits.ts)
    const r2 = r * r;
    const poly =
      r2 *
      (-1 / 2 +
        r * (1 / 3) +
        r2 * (-1 / 4 + r * (1 / 5) + r2 * (-1 / 6 + r * (1 / 7) + r2 * (-1 / 8))));
    const kHi = e * LN2_HI;
    const tHi = LOG_TABLE[at + 1];
    const w = kHi + tHi;
    const wLo = kHi - w + tHi;
    const hi = w + r;
    const hiLo = w - hi + r;
    slot[0] = hi + (hiLo + wLo + (LOG_TABLE[at + 2] + e * LN2_LO) + (rLo + poly));
    return;
  }
  return { logCore, logFamilyInPlace, log1pInPlace };
}

const cores = createLogCores(LOG_CORE_CONSTANTS);
// eslint-disable-next-line no-var
export var logCore = cores.logCore;
// eslint-disable-next-line no-var
var logFamilyInPlace = cores.logFamilyInPlace;
// eslint-disable-next-line no-var
var log1pInPlace = cores.log1pInPlace;
