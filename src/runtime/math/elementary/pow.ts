/**
 * x^y in plain double arithmetic with JavaScript's semantics (ECMAScript Number::exponentiate,
 * which differs from C's pow: 1^NaN and 1^±∞ are NaN).
 *
 * x^y = 2^(y·log2 x) computed as exp(y·ln x) with ln x from the log core to about 2^-68 relative
 * and the product y·ln x kept exactly as hi + lo (Dekker), so the exponential's argument is known to
 * well under 2^-60 absolute for every finite result. Measured (10^6 arguments): ≤ 0.5 ulp for
 * normal results, ≤ 0.75 ulp for subnormal ones (rounded twice).
 */
import { coreInput, POWERS_OF_TWO, scaleByPowerOfTwo } from "./bits";
import { EXP_OVERFLOW, expCore, expParts } from "./exp";
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

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;
/** 2^53: every double of this magnitude or more is an even integer. */
const TWO_POW_53 = 9007199254740992;

/**
 * What the cores below read from this module and its imports, handed to createPowCore (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const POW_CORE_CONSTANTS = {
  coreInput, POWERS_OF_TWO, scaleByPowerOfTwo, EXP_OVERFLOW, expCore, expParts, logCore, logParts,
  LN2_HI, LN2_LO, SPLITTER, TWO_POW_53,
};

/** Creates the cores once, over POW_CORE_CONSTANTS. */
function createPowCore(constants: typeof POW_CORE_CONSTANTS) {
  const {
    coreInput, POWERS_OF_TWO, scaleByPowerOfTwo, EXP_OVERFLOW, expCore, expParts, logCore,
    logParts, LN2_HI, LN2_LO, SPLITTER, TWO_POW_53,
  } = constants;
  /**
   * x^y for y ≠ 2 (see pow). Its own doubles cross the call (boxed where V8 does not inline it, which
   * is everywhere: it is over the inlining limit), but it calls no helper with doubles: isInteger,
   * isOddInteger, sumError, productError and expPartsTimesPowerOfTwo of bits.ts and exp.ts are written
   * out (see "No helper calls" in bits.ts).
   */
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
      // y an odd integer (isOddInteger in bits.ts, written out here and below)
      const negativeOdd = 1 / x < 0 && Math.abs(y) < TWO_POW_53 && y - 2 * Math.floor(y * 0.5) === 1;
      if (y > 0) return negativeOdd ? -0 : 0;
      return negativeOdd ? -Infinity : Infinity;
    }
    if (ax === Infinity) {
      const negativeOdd = x < 0 && Math.abs(y) < TWO_POW_53 && y - 2 * Math.floor(y * 0.5) === 1;
      if (y > 0) return negativeOdd ? -Infinity : Infinity;
      return negativeOdd ? -0 : 0;
    }
    let negate = false;
    if (x < 0) {
      if (Math.floor(y) !== y) return NaN;
      negate = Math.abs(y) < TWO_POW_53 && y - 2 * Math.floor(y * 0.5) === 1;
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
    const logHi = logParts[0];
    const lnHi = kHi + logHi;
    // sumError(kHi, logHi, lnHi) written out, plus the low parts
    let virtual = lnHi - kHi;
    const lnLo = kHi - (lnHi - virtual) + (logHi - virtual) + (logParts[1] + k * LN2_LO);
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
      // productError(y, lnHi, zHi) + y·lnLo
      const zLo = yHigh * lnHigh - zHi + yHigh * lnLow + yLow * lnHigh + yLow * lnLow + y * lnLo;
      const z = zHi + zLo;
      if (z > EXP_OVERFLOW) result = Infinity;
      else if (z < -746) result = 0;
      else {
        coreInput[0] = z;
        virtual = z - zHi;
        coreInput[1] = zHi - (z - virtual) + (zLo - virtual); // sumError(zHi, zLo, z)
        const m = expCore();
        // expPartsTimesPowerOfTwo(m): 2^m by one table read where exact, else scaleByPowerOfTwo (a
        // call with doubles only for results near overflow or subnormal)
        const sum = expParts[0] + expParts[1];
        result = m > -1022 && m < 1024 ? sum * POWERS_OF_TWO[m + 1074] : scaleByPowerOfTwo(sum, m);
      }
    }
    return negate ? -result : result;
  }
  return { powGeneral };
}

const cores = createPowCore(POW_CORE_CONSTANTS);
// eslint-disable-next-line no-var
var powGeneral = cores.powGeneral;
