/**
 * x^y in plain double arithmetic with JavaScript's semantics (ECMAScript Number::exponentiate,
 * which differs from C's pow: 1^NaN and 1^±∞ are NaN).
 *
 * x^y = 2^(y·log2 x) computed as exp(y·ln x) with ln x from the log core to about 2^-68 relative
 * and the product y·ln x kept exactly as hi + lo (Dekker), so the exponential's argument is known to
 * well under 2^-60 absolute for every finite result. Measured (10^6 arguments): ≤ 0.5 ulp for
 * normal results, ≤ 0.75 ulp for subnormal ones (rounded twice).
 */
import { coreInput, isInteger, isOddInteger, POWERS_OF_TWO, scaleByPowerOfTwo } from "./bits";
import { EXP_OVERFLOW, expCore, expParts } from "./exp";
import { logCore, logParts } from "./log";
import { LN2_HI, LN2_LO } from "./tables";

/**
 * x and y of powInPlace, and its result in powArguments[0]: doubles passed in memory, so a kernel
 * that calls powInPlace directly boxes nothing whether or not V8 inlines anything.
 */
export const powArguments = new Float64Array(2);

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

/**
 * x^y as Math.pow and the ** operator. x² is one correctly rounded product (NaN, ±0, ±∞ included):
 * models write pow(x, 2) and x^2 often, and this wrapper is small enough (V8: 27 bytes of bytecode)
 * to be inlined wherever it is called often, so pow(x, 2) costs one multiplication there, as
 * Math.pow(x, 2) does. Other exponents go through powArguments to powInPlace, which is over V8's
 * 460-byte inlining limit and so never inlined.
 */
export function pow(x: number, y: number): number {
  if (y === 2) return x * x;
  return powGeneral(x, y);
}

/** x^y for y ≠ 2 (see pow), through powArguments. */
function powGeneral(x: number, y: number): number {
  const a = powArguments;
  a[0] = x;
  a[1] = y;
  powInPlace();
  return a[0];
}

/**
 * powArguments[0] ← powArguments[0] ^ powArguments[1] (see pow). No helper is called with doubles
 * on the path of finite x ≠ 0 (see "No helper calls" in bits.ts).
 */
export function powInPlace(): void {
  const x = powArguments[0];
  const y = powArguments[1];
  const ax = Math.abs(x);
  let negate = false;
  if (
    y === 0 ||
    x !== x ||
    y !== y ||
    y === 1 ||
    y === Infinity ||
    y === -Infinity ||
    x === 0 ||
    ax === Infinity
  ) {
    powArguments[0] = powSpecialCase(x, y);
    return;
  }
  if (x < 0) {
    if (!isInteger(y)) {
      powArguments[0] = NaN;
      return;
    }
    negate = isOddInteger(y);
  }
  // |x|^y for finite |x| > 0 and finite y, written out here (it keeps powInPlace over the inlining
  // limit, see pow). ln 1 = 0 is the one case where a huge y gives a small y·ln|x| (and Dekker's
  // split of y would overflow).
  if (ax === 1) {
    powArguments[0] = negate ? -1 : 1;
    return;
  }
  coreInput[0] = ax;
  coreInput[1] = 0;
  const k = logCore(true);
  // ln|x| = k·ln2 + hi + lo, summed exactly; k·LN2_HI is exact and k·LN2_LO far below what counts.
  const kHi = k * LN2_HI;
  const lnHi = kHi + logParts[0];
  let virtual = lnHi - kHi;
  const lnLo = kHi - (lnHi - virtual) + (logParts[0] - virtual) + (logParts[1] + k * LN2_LO);
  const zHi = y * lnHi;
  // With |x| ≠ 1, |ln|x|| ≥ 2^-54, so |zHi| < 746 bounds |y| by 2^64 and the exact product cannot overflow.
  let result: number;
  if (!(Math.abs(zHi) < 746)) {
    result = zHi > 0 ? Infinity : 0;
  } else {
    let split = SPLITTER * y;
    const yHigh = split - (split - y);
    const yLow = y - yHigh;
    split = SPLITTER * lnHi;
    const lnHigh = split - (split - lnHi);
    const lnLow = lnHi - lnHigh;
    const productLow = yHigh * lnHigh - zHi + yHigh * lnLow + yLow * lnHigh + yLow * lnLow;
    const zLo = productLow + y * lnLo;
    const z = zHi + zLo;
    if (z > EXP_OVERFLOW) result = Infinity;
    else if (z < -746) result = 0;
    else {
      coreInput[0] = z;
      virtual = z - zHi;
      coreInput[1] = zHi - (z - virtual) + (zLo - virtual);
      const m = expCore();
      const sum = expParts[0] + expParts[1];
      // 2^m by one table read where exact (as scaleByPowerOfTwo, which takes over near overflow and underflow)
      result = m > -1022 && m < 1024 ? sum * POWERS_OF_TWO[m + 1074] : scaleByPowerOfTwo(sum, m);
    }
  }
  powArguments[0] = negate ? -result : result;
}

/** x^y where y is 0, 1, ±∞ or NaN, or x is ±0, ±∞ or NaN (rare: a call passing doubles is acceptable here). */
function powSpecialCase(x: number, y: number): number {
  if (y === 0) return 1;
  if (x !== x || y !== y) return NaN;
  if (y === 1) return x;
  const ax = Math.abs(x);
  if (y === Infinity || y === -Infinity) {
    if (ax === 1) return NaN;
    return ax > 1 === y > 0 ? Infinity : 0;
  }
  if (x === 0) {
    const negativeOdd = 1 / x < 0 && isOddInteger(y);
    if (y > 0) return negativeOdd ? -0 : 0;
    return negativeOdd ? -Infinity : Infinity;
  }
  // x = ±∞
  const negativeOdd = x < 0 && isOddInteger(y);
  if (y > 0) return negativeOdd ? -Infinity : Infinity;
  return negativeOdd ? -0 : 0;
}
