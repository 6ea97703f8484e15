/**
 * x^y in plain double arithmetic with JavaScript's semantics (ECMAScript Number::exponentiate,
 * which differs from C's pow: 1^NaN and 1^±∞ are NaN).
 *
 * x^y = 2^(y·log2 x) computed as exp(y·ln x) with ln x from the log core to about 2^-68 relative
 * and the product y·ln x kept exactly as hi + lo (Dekker), so the exponential's argument is known to
 * well under 2^-60 absolute for every finite result. Measured (10^6 arguments): ≤ 0.5 ulp for
 * normal results, ≤ 0.75 ulp for subnormal ones (rounded twice).
 */
import { coreInput, isInteger, isOddInteger, productError, sumError } from "./bits";
import { EXP_OVERFLOW, expCore, expPartsTimesPowerOfTwo } from "./exp";
import { logCore, logParts } from "./log";
import { LN2_HI, LN2_LO } from "./tables";

/**
 * x^y as Math.pow and the ** operator. x² is one correctly rounded product (NaN, ±0, ±∞ included):
 * models write pow(x, 2) and x^2 often, and this wrapper is small enough (V8: 27 bytes of bytecode)
 * to be inlined wherever it is called often, so pow(x, 2) costs one multiplication there, as
 * Math.pow(x, 2) does. powGeneral, over V8's 460-byte inlining limit, is never inlined into it
 * (which would make the wrapper too big to count as small; V8 counts what a function's optimised
 * code inlined).
 */
export function pow(x: number, y: number): number {
  if (y === 2) return x * x;
  return powGeneral(x, y);
}

/** x^y for y ≠ 2 (see pow). */
function powGeneral(x: number, y: number): number {
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
  if (ax === Infinity) {
    const negativeOdd = x < 0 && isOddInteger(y);
    if (y > 0) return negativeOdd ? -Infinity : Infinity;
    return negativeOdd ? -0 : 0;
  }
  let negate = false;
  if (x < 0) {
    if (!isInteger(y)) return NaN;
    negate = isOddInteger(y);
  }
  // |x|^y for finite |x| > 0 and finite y, written out here (it keeps powGeneral over the inlining
  // limit, see pow). ln 1 = 0 is the one case where a huge y gives a small y·ln|x| (and Dekker's
  // split of y would overflow).
  if (ax === 1) return negate ? -1 : 1;
  coreInput[0] = ax;
  coreInput[1] = 0;
  const k = logCore(true);
  // ln|x| = k·ln2 + hi + lo, summed exactly; k·LN2_HI is exact and k·LN2_LO far below what counts.
  const kHi = k * LN2_HI;
  const lnHi = kHi + logParts[0];
  const lnLo = sumError(kHi, logParts[0], lnHi) + (logParts[1] + k * LN2_LO);
  const zHi = y * lnHi;
  // With |x| ≠ 1, |ln|x|| ≥ 2^-54, so |zHi| < 746 bounds |y| by 2^64 and the exact product cannot overflow.
  let result: number;
  if (!(Math.abs(zHi) < 746)) {
    result = zHi > 0 ? Infinity : 0;
  } else {
    const zLo = productError(y, lnHi, zHi) + y * lnLo;
    const z = zHi + zLo;
    if (z > EXP_OVERFLOW) result = Infinity;
    else if (z < -746) result = 0;
    else {
      coreInput[0] = z;
      coreInput[1] = sumError(zHi, zLo, z);
      const m = expCore();
      result = expPartsTimesPowerOfTwo(m);
    }
  }
  return negate ? -result : result;
}
