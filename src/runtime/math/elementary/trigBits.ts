/**
 * Bit access and exact two-term arithmetic for the trigonometric functions (trig.ts, remPio2.ts).
 *
 * The words of a double are read through views of one module-level buffer, so no call allocates.
 * The exact products use Dekker's splitting (T. J. Dekker, "A floating-point technique for extending
 * the available precision", Numer. Math. 18, 1971), not a fused multiply-add: JavaScript has none,
 * and every engine rounds + − × ÷ and sqrt the same way, which is what makes these functions agree
 * bit for bit across engines.
 */

const wordBuffer = new ArrayBuffer(8);
const asDouble = new Float64Array(wordBuffer);
const asUint = new Uint32Array(wordBuffer);
const asInt = new Int32Array(wordBuffer);
/** Typed arrays use the platform's byte order; find which word holds sign and exponent. */
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/** The high 32 bits (sign, exponent, top 20 mantissa bits) as a signed integer. */
export function highWord(x: number): number {
  asDouble[0] = x;
  return asInt[HIGH];
}

/** The low 32 mantissa bits as an unsigned integer. */
export function lowWord(x: number): number {
  asDouble[0] = x;
  return asUint[LOW];
}

/** The biased exponent field (0 for zeros and subnormals, 2047 for infinities and NaN). */
export function biasedExponent(x: number): number {
  asDouble[0] = x;
  return (asUint[HIGH] >>> 20) & 0x7ff;
}

/** 2^k for −1022 ≤ k ≤ 1023, built from its bits (exact, unlike any pow). */
export function powerOfTwo(k: number): number {
  asUint[HIGH] = (k + 1023) << 20;
  asUint[LOW] = 0;
  return asDouble[0];
}

const TWO_POW_64 = 18446744073709551616;

/** ⌊log2 |x|⌋ for finite non-zero x, subnormals included. */
export function binaryExponent(x: number): number {
  const biased = biasedExponent(x);
  return biased !== 0 ? biased - 1023 : biasedExponent(x * TWO_POW_64) - 1023 - 64;
}

/** Dekker's splitter 2^27 + 1: a · SPLITTER separates a double into two 26-bit halves. */
export const SPLITTER = 134217729;

/**
 * The rounding error of a · b: a · b = fl(a · b) + twoProductError(a, b, fl(a · b)) exactly,
 * provided |a|, |b| < 2^995 (the split must not overflow) and no underflow occurs.
 */
export function twoProductError(a: number, b: number, product: number): number {
  const sa = SPLITTER * a;
  const aHigh = sa - (sa - a);
  const aLow = a - aHigh;
  const sb = SPLITTER * b;
  const bHigh = sb - (sb - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}
