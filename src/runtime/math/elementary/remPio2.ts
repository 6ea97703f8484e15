/**
 * Argument reduction modulo π/2 for sin, cos and tan, exact for every finite double.
 *
 * remPio2(x) finds the integer n nearest to x · 2/π and the remainder r = x − n · π/2 (|r| ≲ π/4)
 * as a double-double reduced[0] + reduced[1], accurate to well beyond 53 bits even when r is tiny:
 * the closest a double comes to a multiple of π/2 is about 2^−61 (so ~60 bits cancel), see
 * J.-M. Muller, "Elementary Functions: Algorithms and Implementation", 3rd ed., ch. 11 (worst
 * cases for the reduction), and K. C. Ng, "Argument reduction for huge arguments: good to the last
 * bit" (SunPro, 1992), the method of fdlibm's __ieee754_rem_pio2 / __kernel_rem_pio2.
 *
 * Two methods, as fdlibm:
 * - |x| < 2^19 · π (n < 2^20): Cody–Waite (W. J. Cody and W. Waite, "Software Manual for the
 *   Elementary Functions", 1980): π/2 split into 33-bit pieces, so n · piece is exact; a second
 *   and third piece are subtracted only when the first result has lost many bits.
 * - larger |x|: Payne–Hanek (M. Payne and R. Hanek, "Radian reduction for trigonometric
 *   functions", SIGNUM Newsletter 18(1), 1983): x times the bits of 2/π that matter, in base-2^24
 *   digits whose products are exact doubles; bits of 2/π far above x's last bit only add multiples
 *   of 8 to x · 2/π and are skipped, so the work does not grow with x.
 * The implementation is written for this project (integer digits in doubles, fixed window,
 * two's-complement fraction), not a transcription of fdlibm.
 *
 * Constants: scripts/trigCoefficients.py (mpmath, 2000-bit π) derived every value below.
 */

import { f64, HI, POWERS_OF_TWO, powerOfTwo, u32 } from "./bits";

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

/**
 * remPio2's argument (reduced[0]) on entry and remainder r ≈ reduced[0] + reduced[1] on exit
 * (|reduced[1]| ≤ ulp(reduced[0])/2). A typed array rather than a parameter and a returned pair:
 * V8 boxes a double passed to or returned from a call it does not inline (a HeapNumber each).
 */
export const reduced = new Float64Array(2);

const INV_PIO2 = 0.6366197723675814;
/** π/2 to 33 bits, then the next 33 bits, then the next 33; the T constants are the rounded rests. */
const PIO2_1 = 1.5707963267341256;
const PIO2_1T = 6.077100506506192e-11;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_2T = 2.0222662487959506e-21;
const PIO2_3 = 2.0222662487111665e-21;
const PIO2_3T = 8.4784276603689e-32;
/** π/2 as a double-double. */
const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17;
/** PIO2_HI's halves by Veltkamp's splitting, as productError computes them (split once here). */
const PIO2_HI_HIGH = SPLITTER * PIO2_HI - (SPLITTER * PIO2_HI - PIO2_HI);
const PIO2_HI_LOW = PIO2_HI - PIO2_HI_HIGH;
/** Below this the Cody–Waite pieces multiply by n < 2^20 exactly. */
const CODY_WAITE_LIMIT = 1647099.3291652855; // 2^19 · π rounded down

/**
 * 2/π in base 2^24: 2/π = Σ_k TWO_OVER_PI_DIGITS[k] · 2^(−24(k+1)). 56 digits (1344 bits) cover
 * the largest doubles (exponent 1023) plus the fraction window below.
 */
const TWO_OVER_PI_DIGITS = Float64Array.from([
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163,
  0xabdebb, 0xc561b7, 0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129,
  0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c, 0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c,
  0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11, 0x8b5a0a, 0x6d1f6d, 0x367ecf,
  0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7, 0x8a5292,
  0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3,
  0x91615e, 0xe61b08,
]);

const DIGIT_BASE = 16777216; // 2^24
const INV_DIGIT_BASE = 1 / DIGIT_BASE;
/**
 * Fraction digits kept: 10 · 24 = 240 bits after the binary point. Cancellation costs at most ~62
 * bits (the worst case above), the double-double result needs 106 more, and the digits dropped below
 * the window change the fraction by less than 2^−236.
 */
const FRACTION_DIGITS = 10;
/** columns[m] holds the digit of weight 2^(−24m); six zero digits past the window let the conversion read on. */
const columns = new Float64Array(FRACTION_DIGITS + 7);
/** x = Σ_j xDigits[j] · 2^(24(q − j)). */
const xDigits = new Float64Array(4);
/** DIGIT_WEIGHTS[m] = 2^(−24m). */
const DIGIT_WEIGHTS = Float64Array.from({ length: FRACTION_DIGITS + 7 }, (_, m) =>
  powerOfTwo(-24 * m),
);

/**
 * What the cores below read from this module and its imports, handed to createRemPio2Cores (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const REM_PIO2_CORE_CONSTANTS = {
  CODY_WAITE_LIMIT, DIGIT_BASE, DIGIT_WEIGHTS, FRACTION_DIGITS, HI, INV_DIGIT_BASE, INV_PIO2,
  PIO2_1, PIO2_1T, PIO2_2, PIO2_2T, PIO2_3, PIO2_3T, PIO2_HI, PIO2_HI_HIGH, PIO2_HI_LOW, PIO2_LO,
  POWERS_OF_TWO, SPLITTER, TWO_OVER_PI_DIGITS, columns, f64, reduced, u32, xDigits,
};

/** Creates the cores once, over REM_PIO2_CORE_CONSTANTS. */
function createRemPio2Cores(constants: typeof REM_PIO2_CORE_CONSTANTS) {
  const {
    CODY_WAITE_LIMIT, DIGIT_BASE, DIGIT_WEIGHTS, FRACTION_DIGITS, HI, INV_DIGIT_BASE, INV_PIO2,
    PIO2_1, PIO2_1T, PIO2_2, PIO2_2T, PIO2_3, PIO2_3T, PIO2_HI, PIO2_HI_HIGH, PIO2_HI_LOW, PIO2_LO,
    POWERS_OF_TWO, SPLITTER, TWO_OVER_PI_DIGITS, columns, f64, reduced, u32, xDigits,
  } = constants;
  /**
   * Reduces finite x = reduced[0] in place: returns n mod 4 (0…3) with x = n · π/2 + reduced[0] +
   * reduced[1]. Callers handle |x| ≤ π/4 themselves (it needs no reduction) and non-finite x.
   */
  function remPio2(): number {
    const x = reduced[0];
    const ax = x < 0 ? -x : x;
    reduced[0] = ax;
    const n = ax < CODY_WAITE_LIMIT ? reduceCodyWaite() : reducePayneHanek();
    if (x < 0) {
      reduced[0] = -reduced[0];
      reduced[1] = -reduced[1];
      return -n & 3;
    }
    return n & 3;
  }
  /** π/4 < ax = reduced[0] < 2^19 · π. Returns n. */
  function reduceCodyWaite(): number {
    const ax = reduced[0];
    const n = Math.floor(ax * INV_PIO2 + 0.5);
    // n · PIO2_1 is exact and close to ax, so r is exact; w carries the rest of n · π/2.
    let r = ax - n * PIO2_1;
    let w = n * PIO2_1T;
    let y0 = r - w;
    // biased exponents of ax and y0 (biasedExponent in bits.ts, written out: no helper is called with
    // doubles here, see "No helper calls" in bits.ts)
    f64[0] = ax;
    const exponentX = (u32[HI] >>> 20) & 0x7ff;
    f64[0] = y0;
    // The error of n · PIO2_1T is ~ax · 2^−86: good to 2^−69 relative unless > 16 bits cancelled.
    if (exponentX - ((u32[HI] >>> 20) & 0x7ff) > 16) {
      let previous = r;
      w = n * PIO2_2;
      r = previous - w;
      // minus the rounding error of previous − w, plus the next piece of n · π/2
      w = n * PIO2_2T - (previous - r - w);
      y0 = r - w;
      f64[0] = y0;
      if (exponentX - ((u32[HI] >>> 20) & 0x7ff) > 49) {
        previous = r;
        w = n * PIO2_3;
        r = previous - w;
        w = n * PIO2_3T - (previous - r - w);
        y0 = r - w;
      }
    }
    reduced[0] = y0;
    reduced[1] = r - y0 - w;
    return n | 0; // an int32 (Smi): returning a double would box it
  }
  /** ax = reduced[0] ≥ 2^19 · π (so its exponent is ≥ 20). Returns n mod 8. */
  function reducePayneHanek(): number {
    const ax = reduced[0];
    f64[0] = ax;
    const exponent = ((u32[HI] >>> 20) & 0x7ff) - 1023;
    const q = Math.floor(exponent / 24);
    // ax = Σ_j xDigits[j] · 2^(24(q − j)), j = 0…3, each digit an integer below 2^24 (exact steps).
    let rest = ax * POWERS_OF_TWO[-24 * q + 1074];
    for (let j = 0; j < 4; j++) {
      const digit = Math.floor(rest);
      xDigits[j] = digit;
      rest = (rest - digit) * DIGIT_BASE;
    }
    // x · 2/π = Σ_{j,k} xDigits[j] · TWO_OVER_PI_DIGITS[k] · 2^(24(q − j − k − 1)). A term whose weight is
    // ≥ 2^24 is a multiple of 8 and cannot change n mod 8 or the fraction: only j + k ≥ q − 1 count.
    // Column m gathers weight 2^(−24m), i.e. j + k = m + q − 1; each sum is below 2^50, exact.
    for (let m = 0; m <= FRACTION_DIGITS; m++) {
      let sum = 0;
      for (let j = 0; j < 4; j++) {
        const k = m + q - 1 - j;
        if (k >= 0) sum += xDigits[j] * TWO_OVER_PI_DIGITS[k];
      }
      columns[m] = sum;
    }
    // Normalise to base-2^24 digits, carrying upward; what reaches column 0 is the integer part.
    let carry = 0;
    for (let m = FRACTION_DIGITS; m >= 1; m--) {
      const value = columns[m] + carry;
      carry = Math.floor(value * INV_DIGIT_BASE);
      columns[m] = value - carry * DIGIT_BASE;
    }
    const integerPart = columns[0] + carry;
    let n = integerPart - 8 * Math.floor(integerPart * 0.125);
    // A fraction of ½ or more rounds n up; the remainder is then −(1 − fraction), whose digits are the
    // complements (the missing final unit, 2^−240, is far below what matters).
    const negative = columns[1] >= DIGIT_BASE / 2;
    if (negative) {
      n += 1;
      for (let m = 1; m <= FRACTION_DIGITS; m++) columns[m] = DIGIT_BASE - 1 - columns[m];
    }
    let lead = 1;
    while (lead < FRACTION_DIGITS && columns[lead] === 0) lead++;
    // Two digits at a time are exact 48-bit doubles; a two-sum joins the first four, the next two
    // only refine the low part: the fraction to ~2^−110 relative.
    const first = columns[lead] * DIGIT_WEIGHTS[lead] + columns[lead + 1] * DIGIT_WEIGHTS[lead + 1];
    const second =
      columns[lead + 2] * DIGIT_WEIGHTS[lead + 2] + columns[lead + 3] * DIGIT_WEIGHTS[lead + 3];
    const third =
      columns[lead + 4] * DIGIT_WEIGHTS[lead + 4] + columns[lead + 5] * DIGIT_WEIGHTS[lead + 5];
    const fractionHigh = first + second;
    const fractionLow = first - fractionHigh + second + third;
    // r = fraction · π/2 in double-double.
    const product = fractionHigh * PIO2_HI;
    const split = SPLITTER * fractionHigh;
    const fHigh = split - (split - fractionHigh);
    const fLow = fractionHigh - fHigh;
    const productLow =
      fHigh * PIO2_HI_HIGH -
      product +
      fHigh * PIO2_HI_LOW +
      fLow * PIO2_HI_HIGH +
      fLow * PIO2_HI_LOW + // productError(fractionHigh, PIO2_HI, product)
      (fractionHigh * PIO2_LO + fractionLow * PIO2_HI);
    const y0 = product + productLow;
    const y1 = productLow - (y0 - product);
    reduced[0] = negative ? -y0 : y0;
    reduced[1] = negative ? -y1 : y1;
    return n | 0; // an int32 (Smi): returning a double would box it
  }
  return { remPio2, reduceCodyWaite, reducePayneHanek };
}

const cores = createRemPio2Cores(REM_PIO2_CORE_CONSTANTS);
// eslint-disable-next-line no-var
export var remPio2 = cores.remPio2;
// eslint-disable-next-line no-var
var reduceCodyWaite = cores.reduceCodyWaite;
// eslint-disable-next-line no-var
var reducePayneHanek = cores.reducePayneHanek;
