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
 * The core returns ln m as hi + lo accurate to about 2^-68 relative (pow needs that much); each
 * function then adds its k term and rounds once: error ≤ 0.5 ulp + 2^-10 ulp.
 */
import { f64, HI, LO, productError, sumError, u32 } from "./bits";
import {
  INV_LN10_HI,
  INV_LN10_LO,
  INV_LN2_HI,
  INV_LN2_LO,
  LN2_HI,
  LN2_LO,
  LOG10_2_HI,
  LOG10_2_LO,
  LOG_TABLE,
  LOG_TABLE_FIRST,
} from "./tables";

/** The result of logCore: ln(m) ≈ logParts[0] + logParts[1]. */
export const logParts = new Float64Array(2);

const TWO_POW_54 = 18014398509481984;
/** The high word of √2's fraction bits (√2 = 0x3FF6A09E_667F3BCD). */
const SQRT2_FRACTION_HIGH = 0x6a09e;

/**
 * Splits the finite x > 0 (xLo, |xLo| ≤ ulp(x), a low part of the argument) as 2^k·m and writes
 * ln(m + m·xLo/x) as hi + lo into logParts; returns k.
 */
export function logCore(x: number, xLo: number): number {
  const relativeLow = xLo / x;
  let k = 0;
  f64[0] = x;
  let high = u32[HI];
  if (high < 0x00100000) {
    // Subnormal: scale into the normal range first.
    f64[0] = x * TWO_POW_54;
    high = u32[HI];
    k = -54;
  }
  const fraction = high & 0x000fffff;
  k += (high >>> 20) - 1023;
  // m in [√2/2, √2): exponent 0, or −1 with k + 1 when the fraction is at least √2's.
  let exponentField = 0x3ff00000;
  if (fraction >= SQRT2_FRACTION_HIGH) {
    exponentField = 0x3fe00000;
    k += 1;
  }
  u32[HI] = exponentField | fraction;
  const m = f64[0];
  // m's leading 32 bits: times the 21-bit c, exact.
  u32[LO] = u32[LO] & 0xffe00000;
  const mHead = f64[0];
  const mTail = m - mHead;
  const j = Math.floor(m * 128 + 0.5);
  const at = 3 * (j - LOG_TABLE_FIRST);
  const c = LOG_TABLE[at];
  // r = c·m − 1 = a + b exactly: c·mHead and c·mTail are exact products, c·mHead − 1 exact (Sterbenz).
  const a = c * mHead - 1;
  const b = c * mTail;
  const r = a + b;
  const rLo = sumError(a, b, r);
  // ln(1 + r + rLo) = r − r²/2 + r³/3 − … + rLo·(1 − r); r²/2 is split exactly because for m near 1
  // it is the largest correction and pow multiplies its error by up to 745.
  const r2 = r * r;
  const r2Lo = productError(r, r, r2);
  const tail = r * r2 * (1 / 3 + r * (-1 / 4 + r * (1 / 5 + r * (-1 / 6 + r * (1 / 7 + r * (-1 / 8))))));
  const tHi = LOG_TABLE[at + 1];
  const s1 = tHi + r;
  const e1 = sumError(tHi, r, s1);
  const halfSquare = -0.5 * r2;
  const s2 = s1 + halfSquare;
  const e2 = sumError(s1, halfSquare, s2);
  const lo = e1 + e2 + (LOG_TABLE[at + 2] + rLo - r * rLo - 0.5 * r2Lo + tail + relativeLow);
  const hi = s2 + lo;
  logParts[0] = hi;
  logParts[1] = s2 - hi + lo;
  return k;
}

/** ln x for finite x > 0 (also +∞, 0, negatives and NaN, as Math.log). */
export function log(x: number): number {
  if (!(x > 0 && x < Infinity)) return logSpecial(x);
  const k = logCore(x, 0);
  return addMultipleOfLn2(k, logParts[0], logParts[1], 0);
}

/** ln(1 + x), accurate near 0; −1 → −∞, below −1 → NaN, ±0 → ±0, +∞ → +∞, NaN → NaN. */
export function log1p(x: number): number {
  if (!(x > -1 && x < Infinity)) return x === -1 ? -Infinity : x === Infinity ? x : NaN;
  // |x| < 2^-54: ln(1 + x) = x − x²/2 rounds to x (keeps −0 and subnormals).
  if (Math.abs(x) < 5.551115123125783e-17) return x;
  const u = 1 + x;
  const k = logCore(u, sumError(1, x, u));
  return addMultipleOfLn2(k, logParts[0], logParts[1], 0);
}

/** k·ln2 + hi + lo + extra, rounded once (k·LN2_HI is exact: LN2_HI has 42 bits, |k| < 1100). */
export function addMultipleOfLn2(k: number, hi: number, lo: number, extra: number): number {
  const kHi = k * LN2_HI;
  const s = kHi + hi;
  return s + (sumError(kHi, hi, s) + (lo + k * LN2_LO + extra));
}

/** log2 x; exact for powers of two. */
export function log2(x: number): number {
  if (!(x > 0 && x < Infinity)) return logSpecial(x);
  const k = logCore(x, 0);
  const hi = logParts[0];
  const p = hi * INV_LN2_HI;
  const pLo = productError(hi, INV_LN2_HI, p) + hi * INV_LN2_LO + logParts[1] * INV_LN2_HI;
  const s = k + p;
  return s + (sumError(k, p, s) + pLo);
}

/** log10 x. */
export function log10(x: number): number {
  if (!(x > 0 && x < Infinity)) return logSpecial(x);
  const k = logCore(x, 0);
  const hi = logParts[0];
  const p = hi * INV_LN10_HI;
  const pLo = productError(hi, INV_LN10_HI, p) + hi * INV_LN10_LO + logParts[1] * INV_LN10_HI;
  const kHi = k * LOG10_2_HI;
  const kLo = productError(k, LOG10_2_HI, kHi) + k * LOG10_2_LO;
  const s = kHi + p;
  return s + (sumError(kHi, p, s) + (kLo + pLo));
}

/** Math.log's values outside (0, ∞): ±0 → −∞, +∞ → +∞, negatives and NaN → NaN. */
function logSpecial(x: number): number {
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  return NaN;
}
