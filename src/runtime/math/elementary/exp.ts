/**
 * exp and expm1 in plain double arithmetic, by Tang's table-driven method (P. T. P. Tang,
 * "Table-driven implementation of the exponential function in IEEE floating-point arithmetic",
 * ACM TOMS 15(2), 1989; and "… expm1 …", ACM TOMS 18(2), 1992), written for this project:
 *
 *   x = (64·m + j)·ln2/64 + r,  |r| ≤ ln2/128,  exp(x) = 2^m · 2^(j/64) · exp(r),
 *
 * with 2^(j/64) from a 64-entry table kept to twice double precision (tables.ts) and exp(r) − 1 by
 * its Taylor series (degree 7: the first omitted term is below 2^-75). The core keeps the result as
 * an unevaluated sum hi + lo accurate to about 2^-66 relative, which expm1, pow and the hyperbolic
 * functions need. exp itself sums to about 2^-60 and rounds once. Measured (test/runtime/elementary,
 * 10^6 arguments): exp ≤ 0.5 ulp for normal results, ≤ 0.75 ulp for subnormal ones (rounded twice:
 * to 53 bits, then to the subnormal grid); expm1 ≤ 0.502 ulp.
 */
import { coreInput, productError, scaleByPowerOfTwo, sumError } from "./bits";
import { EXP2_BY_64, INV_LN2_BY_64, LN2_BY_64_HI, LN2_BY_64_LO } from "./tables";

/** The result of expCore: exp(x + xLo) ≈ (expParts[0] + expParts[1]) · 2^m, the sum in [0.99, 2). */
export const expParts = new Float64Array(2);

/** exp(x) overflows above this (the largest double below ln(MAX_VALUE) + a little). */
export const EXP_OVERFLOW = 709.7827128933841;
/** exp(x) rounds to +0 below this (ln of half the smallest subnormal). */
export const EXP_UNDERFLOW = -745.1332191019412;

const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;
const C7 = 1 / 5040;

/**
 * exp(x + xLo) as (hi + lo)·2^m for x, xLo in coreInput[0], coreInput[1]: writes hi, lo into
 * expParts and returns m (an integer, so nothing is boxed). Needs finite |x| ≤ 746 and
 * |xLo| ≤ ulp(x).
 */
export function expCore(): number {
  const x = coreInput[0];
  const xLo = coreInput[1];
  const k = Math.floor(x * INV_LN2_BY_64 + 0.5);
  // x − k·ln2/64: the first product is exact (35-bit constant) and so is the difference (Sterbenz).
  const rHead = x - k * LN2_BY_64_HI;
  const kLow = k * LN2_BY_64_LO;
  let r = rHead - kLow;
  let rLo = sumError(rHead, -kLow, r) + xLo;
  const rSum = r + rLo;
  rLo = sumError(r, rLo, rSum);
  r = rSum;
  const j = k & 63;
  const m = (k - j) / 64;
  const tHi = EXP2_BY_64[2 * j];
  const tLo = EXP2_BY_64[2 * j + 1];
  // exp(r) − 1 − r, whose rounding errors are 2^-8 below those of r itself.
  const q = r * r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * C7)))));
  // 2^(j/64)·exp(r) = tHi + tHi·r + [tLo + tHi·(rLo + q) + tLo·(r + rLo + q)], tHi·r split exactly.
  const product = tHi * r;
  const head = tHi + product;
  const tail =
    tHi - head + product + productError(tHi, r, product) + (tLo + tHi * (rLo + q) + tLo * (r + q));
  // Normalised (|lo| ≤ ulp(hi)/2): callers divide by and subtract from hi + lo as a double-double.
  const hi = head + tail;
  expParts[0] = hi;
  expParts[1] = head - hi + tail;
  return m | 0;
}

/** (expParts[0] + expParts[1])·2^n, rounded once (n an integer: no double crosses the call). */
export function expPartsTimesPowerOfTwo(n: number): number {
  return scaleByPowerOfTwo(expParts[0] + expParts[1], n);
}

/**
 * e^x, deterministic on every engine; ±0 → 1, −∞ → +0, +∞ → +∞, NaN → NaN. The same reduction as
 * expCore, but 2^(j/64)·exp(r) is only summed to about 2^-60 (the product 2^(j/64)·r rounded, not
 * split): that costs at most 0.01 ulp and halves the work.
 */
export function exp(x: number): number {
  if (!(x <= EXP_OVERFLOW)) return x !== x ? x : Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.floor(x * INV_LN2_BY_64 + 0.5);
  const rHead = x - k * LN2_BY_64_HI;
  const kLow = k * LN2_BY_64_LO;
  const r = rHead - kLow;
  const rLo = sumError(rHead, -kLow, r);
  const j = k & 63;
  const tHi = EXP2_BY_64[2 * j];
  const tLo = EXP2_BY_64[2 * j + 1];
  const p = r + (rLo + r * r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * C7))))));
  return scaleByPowerOfTwo(tHi + (tHi * p + tLo * (1 + p)), (k - j) / 64);
}

/** Below this magnitude expm1 uses its Taylor series; above, exp's core minus 1 (no cancellation left). */
const EXPM1_SERIES_LIMIT = 1 / 128;
const S8 = 1 / 40320;

/** e^x − 1, accurate near 0; ±0 → ±0, −∞ → −1, +∞ → +∞, NaN → NaN. */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (ax < EXPM1_SERIES_LIMIT) {
    if (ax < 1.1102230246251565e-16) return x; // x + x²/2 rounds to x (keeps −0 and subnormals)
    // x + x²/2 + x³·(1/6 + … + x⁵/8!): the first omitted term is below 2^-64 relative; x + x²/2 is
    // summed exactly (x² by Dekker's product) so that only the final addition rounds.
    const square = x * x;
    const half = 0.5 * square;
    const head = x + half;
    const cubic = x * square * (C3 + x * (C4 + x * (C5 + x * (C6 + x * (C7 + x * S8)))));
    return head + (sumError(x, half, head) + 0.5 * productError(x, x, square) + cubic);
  }
  if (!(x <= EXP_OVERFLOW)) return x !== x ? x : Infinity;
  if (x < -40) return -1; // e^x < 2^-57: e^x − 1 rounds to −1
  coreInput[0] = x;
  coreInput[1] = 0;
  const m = expCore();
  // (hi + lo)·2^m − 1, summed exactly before the single rounding.
  const hi = scaleByPowerOfTwo(expParts[0], m);
  if (hi === Infinity) return hi;
  const lo = scaleByPowerOfTwo(expParts[1], m);
  const s = hi - 1;
  return s + (sumError(hi, -1, s) + lo);
}
