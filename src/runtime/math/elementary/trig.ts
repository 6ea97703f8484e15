/**
 * sin, cos, tan, asin, acos, atan, atan2 in plain IEEE-754 double arithmetic, so that every
 * JavaScript engine returns the same bits (Math.sin and friends differ in the last bits between
 * V8, JavaScriptCore and SpiderMonkey, and seeded draws then diverge).
 *
 * Only + − × ÷, Math.sqrt (correctly rounded by IEEE-754 and ECMAScript), Math.abs/floor and bit
 * access are used. The structure follows the classic fdlibm design (Sun Microsystems, 1993; K. C. Ng
 * et al.) as described in J.-M. Muller, "Elementary Functions: Algorithms and Implementation",
 * 3rd ed. (Birkhäuser, 2016): argument reduction (remPio2.ts), then a polynomial kernel on a small
 * interval with the low-order part of the reduced argument folded in as a first-order correction.
 * The code and the coefficients are this project's own: each polynomial is a minimax fit of the
 * function's relative error, derived and checked by scripts/trigCoefficients.py (mpmath), which
 * prints the error bound quoted next to each table.
 *
 * Measured against a BigInt reference (test/runtime/elementary, 10^6 arguments per function incl.
 * huge ones and the hardest cases for reduction): max error sin 0.77, cos 0.77, tan 0.73,
 * asin 0.65, acos 0.62, atan 0.67, atan2 0.68 ulp; 97.8–99.5 % of results correctly rounded. Not
 * claimed correctly rounded in general; the |x| < 2^−27 shortcuts of sin, tan, asin, atan are.
 *
 * Special cases follow ECMAScript's Math: NaN → NaN; sin/cos/tan(±∞) → NaN; signed zeros kept by
 * the odd functions; asin/acos outside [−1, 1] → NaN; atan2's zero, infinity and quadrant rules.
 */

import { f64, HI, powerOfTwo, u32 } from "./bits";
import { reduced, remPio2 } from "./remPio2";

/**
 * The argument and result of the public functions of this file, passed to and from their core (see
 * the note on wrappers in bits.ts). `var`, not `const`: a module constant read from a function costs
 * a hole check in the bytecode, and the wrappers must stay within V8's 27 bytes.
 */
// eslint-disable-next-line no-var
var slot = new Float64Array(2);

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

const PIO4 = 0.7853981633974483; // π/4 rounded (slightly below π/4)
const PIO2_HI = 1.5707963267948966;
const PIO2_LO = 6.123233995736766e-17;
const PI_HI = 3.141592653589793;
const PI_LO = 1.2246467991473532e-16;
const THREE_PIO4 = 2.356194490192345; // 3π/4 rounded
/** Below 2^−27, x is the correctly rounded sin, tan, asin and atan of x (the x³ term is < ulp/24). */
const TINY = 7.450580596923828e-9;

/** sin(x) = x + x³ · S(x²) on |x| ≤ π/4 · 1.0001; relative error of the rounded polynomial 2^−57.1. */
const SIN_0 = -0.16666666666666632;
const SIN_1 = 0.008333333333322413;
const SIN_2 = -0.00019841269829807808;
const SIN_3 = 2.7557313691917648e-6;
const SIN_4 = -2.5050758115155568e-8;
const SIN_5 = 1.589679564472775e-10;

/** cos(x) = 1 − x²/2 + x⁴ · C(x²) on |x| ≤ π/4 · 1.0001; relative error 2^−59.5. */
const COS_0 = 0.0416666666666666;
const COS_1 = -0.0013888888888874125;
const COS_2 = 2.480158728948218e-5;
const COS_3 = -2.755731435233063e-7;
const COS_4 = 2.087572327284794e-9;
const COS_5 = -1.1359647780471113e-11;

/** asin(x) = x + x³ · A(x²) on |x| ≤ 1/2; relative error 2^−58.8. */
const ASIN_0 = 0.16666666666666763;
const ASIN_1 = 0.07499999999970261;
const ASIN_2 = 0.04464285717512154;
const ASIN_3 = 0.03038194268358725;
const ASIN_4 = 0.022372215661018397;
const ASIN_5 = 0.01735160008077914;
const ASIN_6 = 0.013980961567805162;
const ASIN_7 = 0.011397775131270627;
const ASIN_8 = 0.010786533477374417;
const ASIN_9 = 0.003683026248810841;
const ASIN_10 = 0.021763535746152224;
const ASIN_11 = -0.02107734223215317;
const ASIN_12 = 0.03267692012478461;

/** atan(t) = t + t³ · T(t²) on |t| ≤ 7/16; relative error 2^−59.9. */
const ATAN_0 = -0.33333333333333315;
const ATAN_1 = 0.19999999999993123;
const ATAN_2 = -0.14285714284849133;
const ATAN_3 = 0.11111111056460447;
const ATAN_4 = -0.09090907063648342;
const ATAN_5 = 0.07692259664652663;
const ATAN_6 = -0.06665904310953538;
const ATAN_7 = 0.0587403408953015;
const ATAN_8 = -0.05200190602055759;
const ATAN_9 = 0.04433346643709399;
const ATAN_10 = -0.03192372763721941;
const ATAN_11 = 0.013699360926381654;

/** atan(1/2), atan(1), atan(3/2) as double-doubles: the centres of atan's reduction intervals. */
const ATAN_HALF_HI = 0.4636476090008061;
const ATAN_HALF_LO = 2.2698777452961687e-17;
const ATAN_ONE_HI = 0.7853981633974483;
const ATAN_ONE_LO = 3.061616997868383e-17;
const ATAN_THREE_HALVES_HI = 0.982793723247329;
const ATAN_THREE_HALVES_LO = 1.3903311031230998e-17;
/** Above 2^66, atan(x) rounds to π/2. */
const ATAN_HUGE = 73786976294838210000;

// ───────────────────────────────────────── kernels ─────────────────────────────────────────

// The kernels take x + tail from reduced[] and leave their result in reduced[0] (see remPio2.ts: a
// double passed to or returned from a call V8 does not inline would be boxed). No helper is called
// with doubles on any path of this file's cores: Dekker's product (productError in bits.ts) and the
// asin and atan polynomials are written out where they are used (see "No helper calls" in bits.ts:
// a helper call left in a branch that was rare when its caller was compiled boxes its doubles for
// good).

// ───────────────────────────────────────── sin, cos, tan ─────────────────────────────────────────

export function sin(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(0); // sin, a literal: a constant read costs bytecode
  return s[0];
}

export function cos(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(1); // cos, a literal: a constant read costs bytecode
  return s[0];
}

export function tan(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(2); // tan, a literal: a constant read costs bytecode
  return s[0];
}

// ───────────────────────────────────────── asin, acos ─────────────────────────────────────────

/**
 * For 1/2 ≤ |x| < 1, asin and acos use asin|x| = π/2 − 2 · asin(s) with s = √((1 − |x|)/2) ≤ 1/2;
 * (1 − |x|)/2 is exact. s is kept as a double-double (its correction from the exact residual of
 * the square), because 2s cancels against π/2 near |x| = 1/2. Reads |x| from halfAngle[0] and sets
 * halfAngle to (high, low) with high + low = s + s³ · A(s²) = asin(s).
 */
const halfAngle = new Float64Array(2); // high, low — a typed array: a module-level `let` double would allocate per write

export function asin(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(3); // asin, a literal: a constant read costs bytecode
  return s[0];
}

export function acos(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(4); // acos, a literal: a constant read costs bytecode
  return s[0];
}

// ───────────────────────────────────────── atan, atan2 ─────────────────────────────────────────

/**
 * atanOfNonNegative's argument (a, aTail) on entry and result (high, low) on exit: a typed array,
 * not parameters and a return pair, because doubles passed to or returned from a call V8 does not
 * inline are boxed (a HeapNumber each), and a module-level `let` double is boxed on every write.
 */
const atanParts = new Float64Array(2);

export function atan(x: number): number {
  const s = slot;
  s[0] = x;
  trigInPlace(5); // atan, a literal: a constant read costs bytecode
  return s[0];
}

/** Quotients |y/x| beyond 2^±60 decide atan2 without the kernel. */
const ATAN2_EXPONENT_GAP = 60;
const TWO_POW_600 = powerOfTwo(600);
const TWO_POW_MINUS_600 = powerOfTwo(-600);
const TWO_POW_64 = powerOfTwo(64);

/**
 * atan2(y, x), ECMAScript's Math.atan2. A wrapper around trigInPlace, y and x in slot[0] and
 * slot[1]: two slots make it larger than V8's 27-byte "small function", so it is inlined where the
 * caller's inlining budget allows and otherwise boxes y, x and the result at the call (see bits.ts).
 */
export function atan2(y: number, x: number): number {
  const s = slot;
  s[0] = y;
  s[1] = x;
  trigInPlace(6); // atan2
  return s[0];
}

/**
 * What the cores below read from this module and its imports, handed to createTrigCores (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const TRIG_CORE_CONSTANTS = {
  ASIN_0, ASIN_1, ASIN_10, ASIN_11, ASIN_12, ASIN_2, ASIN_3, ASIN_4, ASIN_5, ASIN_6, ASIN_7,
  ASIN_8, ASIN_9, ATAN2_EXPONENT_GAP, ATAN_0, ATAN_1, ATAN_10, ATAN_11, ATAN_2, ATAN_3, ATAN_4,
  ATAN_5, ATAN_6, ATAN_7, ATAN_8, ATAN_9, ATAN_HALF_HI, ATAN_HALF_LO, ATAN_HUGE, ATAN_ONE_HI,
  ATAN_ONE_LO, ATAN_THREE_HALVES_HI, ATAN_THREE_HALVES_LO, COS_0, COS_1, COS_2, COS_3, COS_4,
  COS_5, HI, PIO2_HI, PIO2_LO, PIO4, PI_HI, PI_LO, SIN_0, SIN_1, SIN_2, SIN_3, SIN_4, SIN_5,
  SPLITTER, THREE_PIO4, TINY, TWO_POW_600, TWO_POW_64, TWO_POW_MINUS_600, atanParts, f64,
  halfAngle, reduced, remPio2, slot, u32,
};

/** Creates the cores once, over TRIG_CORE_CONSTANTS. */
function createTrigCores(constants: typeof TRIG_CORE_CONSTANTS) {
  const {
    ASIN_0, ASIN_1, ASIN_10, ASIN_11, ASIN_12, ASIN_2, ASIN_3, ASIN_4, ASIN_5, ASIN_6, ASIN_7,
    ASIN_8, ASIN_9, ATAN2_EXPONENT_GAP, ATAN_0, ATAN_1, ATAN_10, ATAN_11, ATAN_2, ATAN_3, ATAN_4,
    ATAN_5, ATAN_6, ATAN_7, ATAN_8, ATAN_9, ATAN_HALF_HI, ATAN_HALF_LO, ATAN_HUGE, ATAN_ONE_HI,
    ATAN_ONE_LO, ATAN_THREE_HALVES_HI, ATAN_THREE_HALVES_LO, COS_0, COS_1, COS_2, COS_3, COS_4,
    COS_5, HI, PIO2_HI, PIO2_LO, PIO4, PI_HI, PI_LO, SIN_0, SIN_1, SIN_2, SIN_3, SIN_4, SIN_5,
    SPLITTER, THREE_PIO4, TINY, TWO_POW_600, TWO_POW_64, TWO_POW_MINUS_600, atanParts, f64,
    halfAngle, reduced, remPio2, slot, u32,
  } = constants;
  /** sin(x + tail) for |x| ≤ ~π/4, |tail| ≤ ulp(x)/2: x plus a correction about x³/6 in size. */
  function sinKernel(): void {
    const x = reduced[0];
    const tail = reduced[1];
    const z = x * x;
    const cube = z * x;
    const p = SIN_1 + z * (SIN_2 + z * (SIN_3 + z * (SIN_4 + z * SIN_5)));
    // sin(x + t) ≈ sin x + t · cos x, and t · cos x ≈ t − t · x²/2 is all t needs.
    reduced[0] = x + (cube * SIN_0 + (tail + z * (cube * p - 0.5 * tail)));
  }
  /** cos(x + tail) for |x| ≤ ~π/4: 1 − x²/2 with its rounding error recovered, plus the rest. */
  function cosKernel(): void {
    const x = reduced[0];
    const tail = reduced[1];
    const z = x * x;
    const halfZ = 0.5 * z;
    const w = 1 - halfZ;
    const p = z * z * (COS_0 + z * (COS_1 + z * (COS_2 + z * (COS_3 + z * (COS_4 + z * COS_5)))));
    // 1 − w is exact and (1 − w) − halfZ is the rounding error of w (w ≥ 0.69).
    reduced[0] = w + (1 - w - halfZ + (p - x * tail));
  }
  /**
   * tan(x + tail), or −cot(x + tail) when `cotangent`, for |x| ≤ ~π/4: sin and cos as
   * double-doubles from the two kernels' formulas, then one double-double division, so that the
   * result carries one rounding instead of three.
   */
  function tanKernel(cotangent: boolean): void {
    const x = reduced[0];
    const tail = reduced[1];
    // Unlike sin and cos alone, the quotient would inherit the rounding of x² twice (about 0.4 ulp):
    // x² and x³ are kept exact as double-doubles where they meet the leading coefficients.
    const z = x * x;
    let split = SPLITTER * x;
    const xHigh = split - (split - x);
    const xLow = x - xHigh;
    const zLow = xHigh * xHigh - z + xHigh * xLow + xLow * xHigh + xLow * xLow; // productError(x, x, z)
    const cube = z * x;
    split = SPLITTER * z;
    const zHigh = split - (split - z);
    const zLowHalf = z - zHigh;
    const cubeLow =
      zHigh * xHigh - cube + zHigh * xLow + zLowHalf * xHigh + zLowHalf * xLow + zLow * x; // productError(z, x, cube) + zLow·x
    const ps = SIN_1 + z * (SIN_2 + z * (SIN_3 + z * (SIN_4 + z * SIN_5)));
    const sinCorrection = cube * SIN_0 + (cubeLow * SIN_0 + tail + z * (cube * ps - 0.5 * tail));
    const sinHigh = x + sinCorrection;
    const sinLow = sinCorrection - (sinHigh - x);
    const halfZ = 0.5 * z;
    const w = 1 - halfZ;
    const pc = z * z * (COS_0 + z * (COS_1 + z * (COS_2 + z * (COS_3 + z * (COS_4 + z * COS_5)))));
    const cosCorrection = 1 - w - halfZ + (pc - 0.5 * zLow - x * tail);
    const cosHigh = w + cosCorrection;
    const cosLow = cosCorrection - (cosHigh - w);
    // (aHigh + aLow) / (bHigh + bLow) rounded once: a first quotient corrected by its exact remainder.
    // One division: q need not be correctly rounded, since the remainder is exact for whatever q is.
    // One branch for the choice (five selects on a random condition were five mispredictions).
    let aHigh = sinHigh;
    let aLow = sinLow;
    let bHigh = cosHigh;
    let bLow = cosLow;
    let sign = 1;
    if (cotangent === true) { // one comparison (see logCore in log.ts)
      aHigh = cosHigh;
      aLow = cosLow;
      bHigh = sinHigh;
      bLow = sinLow;
      sign = -1;
    }
    const inverse = 1 / bHigh;
    const q = aHigh * inverse;
    const product = q * bHigh;
    split = SPLITTER * q;
    const qHigh = split - (split - q);
    const qLow = q - qHigh;
    split = SPLITTER * bHigh;
    const bHighHigh = split - (split - bHigh);
    const bHighLow = bHigh - bHighHigh;
    const productLow =
      qHigh * bHighHigh - product + qHigh * bHighLow + qLow * bHighHigh + qLow * bHighLow; // productError(q, bHigh, product)
    const remainder = aHigh - product - productLow + aLow - q * bLow;
    const quotient = q + remainder * inverse;
    reduced[0] = sign * quotient;
  }
  function halfAngleAsin(): void {
    const z = (1 - halfAngle[0]) * 0.5;
    const s = Math.sqrt(z);
    const square = s * s;
    const split = SPLITTER * s;
    const sHigh = split - (split - s);
    const sLowHalf = s - sHigh;
    const squareLow =
      sHigh * sHigh - square + sHigh * sLowHalf + sLowHalf * sHigh + sLowHalf * sLowHalf; // productError(s, s, square)
    const sLow = (z - square - squareLow) / (s + s);
    // A(z) = (asin(x) − x)/x³: even and odd coefficients as two Horner chains in z², side by side
    const w = z * z;
    const even =
      ASIN_0 +
      w * (ASIN_2 + w * (ASIN_4 + w * (ASIN_6 + w * (ASIN_8 + w * (ASIN_10 + w * ASIN_12)))));
    const odd = ASIN_1 + w * (ASIN_3 + w * (ASIN_5 + w * (ASIN_7 + w * (ASIN_9 + w * ASIN_11))));
    halfAngle[0] = s;
    halfAngle[1] = sLow + s * z * (even + z * odd);
  }
  /**
   * atan(a + aTail) for finite a ≥ 0, |aTail| ≤ ulp(a)/2, read from atanParts and written back to it
   * as high + low (unrounded, so that atan2 can add π once). The range is split at 7/16, 11/16, 19/16 and 39/16 (fdlibm's points):
   * with c ∈ {1/2, 1, 3/2, ∞}, atan a = atan c + atan t, t = (a − c)/(1 + c·a) (t = −1/a for c = ∞),
   * |t| ≤ 7/16. t's rounding error is computed exactly (Dekker product of the quotient) and carried,
   * with aTail's effect dt/da · aTail, into the polynomial's low part.
   */
  function atanOfNonNegative(): void {
    const a = atanParts[0];
    const aTail = atanParts[1];
    if (a < 0.4375) {
      const z = a * a;
      // T(z) = (atan(t) − t)/t³: even and odd coefficients as two Horner chains in z², side by side
      const w = z * z;
      const even = ATAN_0 + w * (ATAN_2 + w * (ATAN_4 + w * (ATAN_6 + w * (ATAN_8 + w * ATAN_10))));
      const odd = ATAN_1 + w * (ATAN_3 + w * (ATAN_5 + w * (ATAN_7 + w * (ATAN_9 + w * ATAN_11))));
      atanParts[0] = a;
      atanParts[1] = aTail * (1 - z) + a * z * (even + z * odd);
      return;
    }
    if (a > ATAN_HUGE) {
      atanParts[0] = PIO2_HI;
      atanParts[1] = PIO2_LO;
      return;
    }
    // Initialised (every branch assigns them) so that the compiler sees numbers on every path.
    let centreHigh = 0;
    let centreLow = 0;
    let numerator = 0;
    let denominator = 1;
    let denominatorLow = 0;
    let slope = 1; // (1 + c²) for dt/da = (1 + c²) / (1 + c·a)²
    if (a < 0.6875) {
      centreHigh = ATAN_HALF_HI;
      centreLow = ATAN_HALF_LO;
      numerator = a - 0.5; // exact (Sterbenz)
      denominator = 1 + 0.5 * a;
      denominatorLow = 1 - denominator + 0.5 * a;
      slope = 1.25;
    } else if (a < 1.1875) {
      centreHigh = ATAN_ONE_HI;
      centreLow = ATAN_ONE_LO;
      numerator = a - 1;
      denominator = 1 + a;
      const back = denominator - a; // two-sum: a may exceed 1
      denominatorLow = 1 - back + (a - (denominator - back));
      slope = 2;
    } else if (a < 2.4375) {
      centreHigh = ATAN_THREE_HALVES_HI;
      centreLow = ATAN_THREE_HALVES_LO;
      numerator = a - 1.5;
      // 1 + 1.5a = (1 + a) + a/2 in double-double: two two-sums.
      const halfA = 0.5 * a;
      const threeHalvesA = a + halfA;
      const threeHalvesALow = halfA - (threeHalvesA - a);
      denominator = 1 + threeHalvesA;
      denominatorLow = threeHalvesA - (denominator - 1) + threeHalvesALow;
      slope = 3.25;
    } else {
      centreHigh = PIO2_HI;
      centreLow = PIO2_LO;
      numerator = -1;
      denominator = a;
      denominatorLow = 0;
      slope = 1;
    }
    // One division: t need not be correctly rounded, since tLow is computed from t's exact residual.
    const inverse = 1 / denominator;
    const t = numerator * inverse;
    const product = t * denominator;
    let split = SPLITTER * t;
    const tHigh = split - (split - t);
    const tLowHalf = t - tHigh;
    split = SPLITTER * denominator;
    const dHigh = split - (split - denominator);
    const dLow = denominator - dHigh;
    const productLow = tHigh * dHigh - product + tHigh * dLow + tLowHalf * dHigh + tLowHalf * dLow; // productError(t, denominator, product)
    const tLow =
      (numerator - product - productLow - t * denominatorLow) * inverse +
      aTail * slope * inverse * inverse;
    const z = t * t;
    // T(z) = (atan(t) − t)/t³: even and odd coefficients as two Horner chains in z², side by side
    const w = z * z;
    const even = ATAN_0 + w * (ATAN_2 + w * (ATAN_4 + w * (ATAN_6 + w * (ATAN_8 + w * ATAN_10))));
    const odd = ATAN_1 + w * (ATAN_3 + w * (ATAN_5 + w * (ATAN_7 + w * (ATAN_9 + w * ATAN_11))));
    atanParts[0] = centreHigh;
    atanParts[1] = centreLow + (t + (tLow * (1 - z) + t * z * (even + z * odd)));
  }
  /** slot[0] ← atan2(slot[0], slot[1]). */
  function atan2InPlace(): void {
    const y = slot[0];
    const x = slot[1];
    if (x !== x || y !== y) {
      slot[0] = NaN;
      return;
    }
    const negativeY = y < 0 || (y === 0 && 1 / y < 0);
    if (y === 0) {
      // atan2(±0, +0 or positive) = ±0; atan2(±0, −0 or negative) = ±π.
      if (x > 0 || (x === 0 && 1 / x > 0)) return; // slot[0] holds y
      slot[0] = negativeY ? -PI_HI : PI_HI;
      return;
    }
    const ax = Math.abs(x);
    const ay = Math.abs(y);
    if (ax === Infinity) {
      const angle = ay === Infinity ? (x > 0 ? PIO4 : THREE_PIO4) : x > 0 ? 0 : PI_HI;
      slot[0] = negativeY ? -angle : angle;
      return;
    }
    if (ay === Infinity || x === 0) {
      slot[0] = negativeY ? -PIO2_HI : PIO2_HI;
      return;
    }
    // ⌊log2 |y|⌋ and ⌊log2 |x|⌋ (binaryExponent in bits.ts, written out): subnormals scaled by 2^64
    f64[0] = ay;
    let biased = (u32[HI] >>> 20) & 0x7ff;
    if (biased === 0) {
      f64[0] = ay * TWO_POW_64;
      biased = ((u32[HI] >>> 20) & 0x7ff) - 64;
    }
    const exponentY = biased - 1023;
    f64[0] = ax;
    biased = (u32[HI] >>> 20) & 0x7ff;
    if (biased === 0) {
      f64[0] = ax * TWO_POW_64;
      biased = ((u32[HI] >>> 20) & 0x7ff) - 64;
    }
    const exponentX = biased - 1023;
    if (exponentY - exponentX > ATAN2_EXPONENT_GAP) {
      // |y/x| > 2^60: π/2 ∓ |x/y| rounds to π/2 in either half-plane.
      slot[0] = negativeY ? -PIO2_HI : PIO2_HI;
      return;
    }
    if (exponentX - exponentY > ATAN2_EXPONENT_GAP) {
      // |y/x| < 2^−60: atan2 is y/x (correctly rounded, also when it underflows) or ±π minus it.
      slot[0] = x > 0 ? y / x : negativeY ? -PI_HI : PI_HI;
      return;
    }
    // Far from 1, scale both by the same power of two (exact, |y/x| unchanged) so that the quotient's
    // exact remainder below can neither overflow nor underflow; the quotient is then a double-double.
    let scaledY = ay;
    let scaledX = ax;
    if (exponentX > 400) {
      scaledY *= TWO_POW_MINUS_600;
      scaledX *= TWO_POW_MINUS_600;
    } else if (exponentX < -400) {
      scaledY *= TWO_POW_600;
      scaledX *= TWO_POW_600;
    }
    // As in atanOfNonNegative: an approximate quotient and its exact residual (one division).
    const inverseX = 1 / scaledX;
    const quotient = scaledY * inverseX;
    const product = quotient * scaledX;
    let split = SPLITTER * quotient;
    const qHigh = split - (split - quotient);
    const qLow = quotient - qHigh;
    split = SPLITTER * scaledX;
    const xHigh = split - (split - scaledX);
    const xLow = scaledX - xHigh;
    const productLow = qHigh * xHigh - product + qHigh * xLow + qLow * xHigh + qLow * xLow; // productError(quotient, scaledX, product)
    const quotientLow = (scaledY - product - productLow) * inverseX;
    atanParts[0] = quotient;
    atanParts[1] = quotientLow;
    atanOfNonNegative();
    let result = 0;
    if (x > 0) {
      result = atanParts[0] + atanParts[1];
    } else {
      // π − atan|y/x|, with the rounding error of the leading difference kept (fast two-sum).
      const head = PI_HI - atanParts[0];
      const headError = PI_HI - head - atanParts[0];
      result = head + (headError + (PI_LO - atanParts[1]));
    }
    slot[0] = negativeY ? -result : result;
  }
  /**
   * slot[0] ← f(slot[0]) for f = sin, cos, tan, asin, acos, atan by `kind` (0, 1, …), or atan2(slot[0], slot[1]) (6): one core for all, over V8's 460-byte
   * inlining limit, so it is never inlined and the wrappers stay small wherever they are optimised
   * (see the note on wrappers in bits.ts).
   */
  function trigInPlace(kind: number): void {
    if (kind === 0) {
      // sin
      let x = slot[0];
      const ax = Math.abs(x);
      if (ax <= PIO4) {
        if (ax < TINY) {
          slot[0] = x;
          return;
        }
        // sinKernel's formula with tail 0, written out: this path is the hot one, and the kernel call
        // through reduced[] cost ~4 ns here.
        const z = x * x;
        const cube = z * x;
        const p = SIN_1 + z * (SIN_2 + z * (SIN_3 + z * (SIN_4 + z * SIN_5)));
        slot[0] = x + (cube * SIN_0 + z * (cube * p));
        return;
      }
      if (!(ax < Infinity)) {
        slot[0] = NaN;
        return;
      }
      // x = nπ/2 + r: sin x is sin r, cos r, −sin r, −cos r for n mod 4 = 0, 1, 2, 3.
      reduced[0] = x;
      const n = remPio2();
      if ((n & 1) === 0) sinKernel();
      else cosKernel();
      slot[0] = (n & 2) === 0 ? reduced[0] : -reduced[0];
      return;
    }
    if (kind === 1) {
      // cos
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax <= PIO4) {
        if (ax < TINY) {
          slot[0] = 1;
          return;
        }
        // cosKernel's formula with tail 0, written out (as in sin).
        const z = x * x;
        const halfZ = 0.5 * z;
        const w = 1 - halfZ;
        const p = z * z * (COS_0 + z * (COS_1 + z * (COS_2 + z * (COS_3 + z * (COS_4 + z * COS_5)))));
        slot[0] = w + (1 - w - halfZ + p);
        return;
      }
      if (!(ax < Infinity)) {
        slot[0] = NaN;
        return;
      }
      // cos x is cos r, −sin r, −cos r, sin r for n mod 4 = 0, 1, 2, 3.
      reduced[0] = x;
      const n = remPio2();
      if ((n & 1) === 0) cosKernel();
      else sinKernel();
      slot[0] = ((n + 1) & 2) === 0 ? reduced[0] : -reduced[0];
      return;
    }
    if (kind === 2) {
      // tan
      const x = slot[0];
      const ax = Math.abs(x);
      reduced[0] = x;
      if (ax <= PIO4) {
        if (ax < TINY) {
          slot[0] = x;
          return;
        }
        reduced[1] = 0;
        tanKernel(false);
        slot[0] = reduced[0];
        return;
      }
      if (!(ax < Infinity)) {
        slot[0] = NaN;
        return;
      }
      const n = remPio2();
      tanKernel((n & 1) === 1);
      slot[0] = reduced[0];
      return;
    }
    if (kind === 3) {
      // asin
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < 0.5) {
        if (ax < TINY) {
          slot[0] = x;
          return;
        }
        const z = x * x;
        // A(z) = (asin(x) − x)/x³: even and odd coefficients as two Horner chains in z², side by side
        const w = z * z;
        const even =
          ASIN_0 +
          w * (ASIN_2 + w * (ASIN_4 + w * (ASIN_6 + w * (ASIN_8 + w * (ASIN_10 + w * ASIN_12)))));
        const odd = ASIN_1 + w * (ASIN_3 + w * (ASIN_5 + w * (ASIN_7 + w * (ASIN_9 + w * ASIN_11))));
        slot[0] = x + x * z * (even + z * odd);
        return;
      }
      if (ax < 1) {
        halfAngle[0] = ax;
        halfAngleAsin();
        // π/2 − 2s: a fast two-sum keeps its rounding error, then everything small is added once.
        const twoS = 2 * halfAngle[0];
        const head = PIO2_HI - twoS;
        const headError = PIO2_HI - head - twoS;
        const result = head + (headError + (PIO2_LO - 2 * halfAngle[1]));
        slot[0] = x < 0 ? -result : result;
        return;
      }
      if (ax === 1) {
        slot[0] = x > 0 ? PIO2_HI : -PIO2_HI;
        return;
      }
      slot[0] = NaN;
      return;
    }
    if (kind === 4) {
      // acos
      let x = slot[0];
      const ax = Math.abs(x);
      if (ax < 0.5) {
        // π/2 − asin x, with the rounding error of π/2 − x kept (fast two-sum, |x| < π/2).
        const z = x * x;
        // A(z) = (asin(x) − x)/x³: even and odd coefficients as two Horner chains in z², side by side
        const w = z * z;
        const even =
          ASIN_0 +
          w * (ASIN_2 + w * (ASIN_4 + w * (ASIN_6 + w * (ASIN_8 + w * (ASIN_10 + w * ASIN_12)))));
        const odd = ASIN_1 + w * (ASIN_3 + w * (ASIN_5 + w * (ASIN_7 + w * (ASIN_9 + w * ASIN_11))));
        const head = PIO2_HI - x;
        const headError = PIO2_HI - head - x;
        slot[0] = head + (headError + (PIO2_LO - x * z * (even + z * odd)));
        return;
      }
      if (ax < 1) {
        halfAngle[0] = ax;
        halfAngleAsin();
        // acos x = 2 asin(s) for x > 0, π − 2 asin(s) for x < 0.
        if (x > 0) {
          slot[0] = 2 * (halfAngle[0] + halfAngle[1]);
          return;
        }
        const twoS = 2 * halfAngle[0];
        const head = PI_HI - twoS;
        const headError = PI_HI - head - twoS;
        slot[0] = head + (headError + (PI_LO - 2 * halfAngle[1]));
        return;
      }
      if (x === 1) {
        slot[0] = 0;
        return;
      }
      if (x === -1) {
        slot[0] = PI_HI;
        return;
      }
      slot[0] = NaN;
      return;
    }
    if (kind === 6) {
      atan2InPlace();
      return;
    }
    {
      // atan
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < TINY) {
        slot[0] = x;
        return;
      } // ±0, subnormals and tiny values
      if (x !== x) {
        slot[0] = NaN;
        return;
      }
      atanParts[0] = ax;
      atanParts[1] = 0;
      atanOfNonNegative();
      const result = atanParts[0] + atanParts[1];
      slot[0] = x < 0 ? -result : result;
      return;
    }
  }
  return { sinKernel, cosKernel, tanKernel, halfAngleAsin, atanOfNonNegative, atan2InPlace, trigInPlace };
}

const cores = createTrigCores(TRIG_CORE_CONSTANTS);
// eslint-disable-next-line no-var
var sinKernel = cores.sinKernel;
// eslint-disable-next-line no-var
var cosKernel = cores.cosKernel;
// eslint-disable-next-line no-var
var tanKernel = cores.tanKernel;
// eslint-disable-next-line no-var
var halfAngleAsin = cores.halfAngleAsin;
// eslint-disable-next-line no-var
var atanOfNonNegative = cores.atanOfNonNegative;
// eslint-disable-next-line no-var
var atan2InPlace = cores.atan2InPlace;
// eslint-disable-next-line no-var
var trigInPlace = cores.trigInPlace;

/** The slot and core behind sin, cos, tan, asin, acos, atan and atan2, for other cores (see log.ts's logSlot). */
// A second name for the slot, so that `slot` itself is not an export: V8 reads an exported
// module binding through a cell (more bytecode), which made the wrappers too large to inline
// and the sampler box a double per leapfrog (test/runtime/nuts/allocation.test.ts).
const trigSlot = slot;
export { trigSlot, trigInPlace };
