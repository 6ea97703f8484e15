/**
 * sinh, cosh, tanh, asinh, acosh, atanh in plain double arithmetic, from the definitions by
 * exponentials and logarithms evaluated in twice double precision (the exp and log cores keep
 * hi + lo to about 2^-66), so the cancellations in e^x − e^-x, x + √(x² + 1) − 1 and so on cost no
 * accuracy. Near 0 each function uses its Taylor series to degree 9 (|x| < 1/128: the first omitted
 * term is below 2^-70 relative). Measured (10^6 arguments each): ≤ 0.501 ulp.
 */
import { coreInput, POWERS_OF_TWO, productError, sumError } from "./bits";
import { expCore, expParts, expPartsTimesPowerOfTwo } from "./exp";
import { addMultipleOfLn2, logCore, logParts } from "./log";

/**
 * The argument and result of the public functions of this file, passed to and from their core (see
 * the note on wrappers in bits.ts). `var`, not `const`: a module constant read from a function costs
 * a hole check in the bytecode, and the wrappers must stay within V8's 27 bytes.
 */
// eslint-disable-next-line no-var
var slot = new Float64Array(1);

const SERIES_LIMIT = 1 / 128;
/** Above 2^28 the terms of order 1/x² in asinh and acosh are below 2^-58 relative: ln(2x) suffices. */
const LARGE = 268435456;
/** Above this sinh and cosh overflow (e^x/2 > MAX_VALUE from 710.4758600739439 on). */
const HYPERBOLIC_OVERFLOW = 711;

/** divideDouble's operands (aHi, aLo, bHi, bLo): passed in memory, not as arguments (see coreInput in bits.ts). */
const division = new Float64Array(4);
/** The result of divideDouble: (aHi + aLo)/(bHi + bLo) as quotient[0] + quotient[1]. */
const quotient = new Float64Array(2);

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

/** sinh x; ±0, ±∞ and NaN are returned unchanged. */
export function sinh(x: number): number {
  const s = slot;
  s[0] = x;
  hyperbolicInPlace(0); // sinh, a literal: a constant read costs bytecode
  return s[0];
}

/** cosh x; ±∞ → +∞, NaN → NaN. */
export function cosh(x: number): number {
  const s = slot;
  s[0] = x;
  hyperbolicInPlace(1); // cosh, a literal: a constant read costs bytecode
  return s[0];
}

/** tanh x; ±∞ → ±1, ±0 and NaN unchanged. */
export function tanh(x: number): number {
  const s = slot;
  s[0] = x;
  hyperbolicInPlace(2); // tanh, a literal: a constant read costs bytecode
  return s[0];
}

/** asinh x = ln(x + √(x² + 1)); ±0, ±∞ and NaN are returned unchanged. */
export function asinh(x: number): number {
  const s = slot;
  s[0] = x;
  inverseHyperbolicInPlace(0); // asinh, a literal: a constant read costs bytecode
  return s[0];
}

/** acosh x = ln(x + √(x² − 1)) for x ≥ 1; below 1 and NaN → NaN, +∞ → +∞. */
export function acosh(x: number): number {
  const s = slot;
  s[0] = x;
  inverseHyperbolicInPlace(1); // acosh, a literal: a constant read costs bytecode
  return s[0];
}

/** atanh x = ½ ln((1 + x)/(1 − x)); ±1 → ±∞, |x| > 1 and NaN → NaN, ±0 unchanged. */
export function atanh(x: number): number {
  const s = slot;
  s[0] = x;
  inverseHyperbolicInPlace(2); // atanh, a literal: a constant read costs bytecode
  return s[0];
}

/**
 * What the cores below read from this module and its imports, handed to createHyperbolicCores (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const HYPERBOLIC_CORE_CONSTANTS = {
  HYPERBOLIC_OVERFLOW, LARGE, POWERS_OF_TWO, SERIES_LIMIT, SPLITTER, addMultipleOfLn2, coreInput,
  division, expCore, expParts, expPartsTimesPowerOfTwo, logCore, logParts, productError, quotient,
  slot, sumError,
};

/** Creates the cores once, over HYPERBOLIC_CORE_CONSTANTS. */
function createHyperbolicCores(constants: typeof HYPERBOLIC_CORE_CONSTANTS) {
  const {
    HYPERBOLIC_OVERFLOW, LARGE, POWERS_OF_TWO, SERIES_LIMIT, SPLITTER, addMultipleOfLn2, coreInput,
    division, expCore, expParts, expPartsTimesPowerOfTwo, logCore, logParts, productError,
    quotient, slot, sumError,
  } = constants;
  /** Quotient of two hi + lo numbers to about 2^-100 relative (one Newton correction of the first quotient). */
  function divideDouble(): void {
    const aHi = division[0];
    const bHi = division[2];
    const bLo = division[3];
    const q = aHi / bHi;
    const p = q * bHi;
    // q·bHi − p exactly (Dekker's product, written out: productError is too big to be inlined
    // everywhere this runs, and a call would box its doubles)
    let t = SPLITTER * q;
    const qHigh = t - (t - q);
    const qLow = q - qHigh;
    t = SPLITTER * bHi;
    const bHigh = t - (t - bHi);
    const bLow = bHi - bHigh;
    const productLow = qHigh * bHigh - p + qHigh * bLow + qLow * bHigh + qLow * bLow;
    const remainder = aHi - p - productLow + division[1] - q * bLo;
    const correction = remainder / bHi;
    const hi = q + correction;
    quotient[0] = hi;
    quotient[1] = q - hi + correction;
  }
  /** e^|x| (|x| in coreInput[0], coreInput[1] = 0) as (hi + lo)·2^m with m returned; then writes e^|x| ± e^-|x| (sign) to quotient[0..1] unscaled when m ≤ 30. */
  function exponentialPair(sign: number): number {
    const m = expCore();
    if (m > 30) return m; // e^-2x < 2^-60: the second term does not count
    // 0 ≤ m ≤ 30: exact scaling by a table entry (read inline: a call could box the doubles).
    const scale = POWERS_OF_TWO[m + 1074];
    const eHi = expParts[0] * scale;
    const eLo = expParts[1] * scale;
    division[0] = 1;
    division[1] = 0;
    division[2] = eHi;
    division[3] = eLo;
    divideDouble();
    const otherHi = sign * quotient[0];
    const otherLo = sign * quotient[1];
    const s = eHi + otherHi;
    quotient[0] = s;
    quotient[1] = sumError(eHi, otherHi, s) + eLo + otherLo;
    return m;
  }
  /**
   * slot[0] ← f(slot[0]) for f = sinh, cosh, tanh by `kind` (0, 1, 2): one core for the three, over V8's 460-byte
   * inlining limit, so it is never inlined and the wrappers stay small wherever they are optimised
   * (see the note on wrappers in bits.ts).
   */
  function hyperbolicInPlace(kind: number): void {
    if (kind === 0) {
      // sinh
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < SERIES_LIMIT) {
        if (x === 0) {
          slot[0] = x;
          return;
        } // keeps the sign of −0 (the sum below would give +0)
        const x2 = x * x;
        slot[0] = x + x * x2 * (1 / 6 + x2 * (1 / 120 + x2 * (1 / 5040 + x2 * (1 / 362880))));
        return;
      }
      if (!(ax < HYPERBOLIC_OVERFLOW)) {
        slot[0] = ax === Infinity || ax > 0 ? x * Infinity : x;
        return;
      }
      coreInput[0] = ax;
      coreInput[1] = 0;
      const m = exponentialPair(-1);
      const result = m > 30 ? expPartsTimesPowerOfTwo(m - 1) : 0.5 * (quotient[0] + quotient[1]);
      slot[0] = x < 0 ? -result : result;
      return;
    }
    if (kind === 1) {
      // cosh
      const x = slot[0];
      const ax = Math.abs(x);
      if (!(ax < HYPERBOLIC_OVERFLOW)) {
        slot[0] = ax === ax ? Infinity : NaN;
        return;
      }
      if (ax < 1.4901161193847656e-8) {
        slot[0] = 1;
        return;
      } // 1 + x²/2 rounds to 1 below 2^-26
      coreInput[0] = ax;
      coreInput[1] = 0;
      const m = exponentialPair(1);
      slot[0] = m > 30 ? expPartsTimesPowerOfTwo(m - 1) : 0.5 * (quotient[0] + quotient[1]);
      return;
    }
    {
      // tanh
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < SERIES_LIMIT) {
        if (x === 0) {
          slot[0] = x;
          return;
        } // keeps the sign of −0 (the sum below would give +0)
        const x2 = x * x;
        slot[0] = x + x * x2 * (-1 / 3 + x2 * (2 / 15 + x2 * (-17 / 315 + x2 * (62 / 2835))));
        return;
      }
      if (ax !== ax) {
        slot[0] = x;
        return;
      }
      if (ax > 22) {
        slot[0] = x < 0 ? -1 : 1;
        return;
      } // 1 − tanh x < 2e^-44: rounds to 1
      // tanh|x| = (e^2|x| − 1)/(e^2|x| + 1), numerator and denominator exact sums of hi + lo.
      coreInput[0] = 2 * ax;
      coreInput[1] = 0;
      const m = expCore();
      // 2|x| ≤ 44 here, so 0 ≤ m ≤ 64: an exact scaling by one table entry (read inline: a call
      // passing doubles could box them)
      const scale = POWERS_OF_TWO[m + 1074];
      const eHi = expParts[0] * scale;
      const eLo = expParts[1] * scale;
      const numerator = eHi - 1;
      const denominator = eHi + 1;
      division[0] = numerator;
      division[1] = sumError(eHi, -1, numerator) + eLo;
      division[2] = denominator;
      division[3] = sumError(eHi, 1, denominator) + eLo;
      divideDouble();
      const result = quotient[0] + quotient[1];
      slot[0] = x < 0 ? -result : result;
      return;
    }
  }
  /**
   * slot[0] ← f(slot[0]) for f = asinh, acosh, atanh by `kind` (0, 1, 2); a core of its own, as
   * hyperbolicInPlace (over the inlining limit; with its own inlining budget for its helpers).
   */
  function inverseHyperbolicInPlace(kind: number): void {
    if (kind === 0) {
      // asinh
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < SERIES_LIMIT) {
        if (x === 0) {
          slot[0] = x;
          return;
        } // keeps the sign of −0 (the sum below would give +0)
        const x2 = x * x;
        slot[0] = x + x * x2 * (-1 / 6 + x2 * (3 / 40 + x2 * (-5 / 112 + x2 * (35 / 1152))));
        return;
      }
      if (!(ax < Infinity)) {
        slot[0] = x;
        return;
      }
      let result: number;
      if (ax > LARGE) {
        coreInput[0] = ax;
        coreInput[1] = 0;
        const k = logCore(true);
        addMultipleOfLn2(k + 1);
        result = logParts[0];
      } else {
        // √(x² + 1) to about 2^-100: exact square and sum, one Newton correction of the square root.
        const x2 = ax * ax;
        const t = x2 + 1;
        const tLo = sumError(x2, 1, t) + productError(ax, ax, x2);
        const root = Math.sqrt(t);
        const rootSquare = root * root;
        const rootLo = (t - rootSquare - productError(root, root, rootSquare) + tLo) / (2 * root);
        const u = ax + root;
        coreInput[0] = u;
        coreInput[1] = sumError(ax, root, u) + rootLo;
        const k = logCore(true);
        addMultipleOfLn2(k);
        result = logParts[0];
      }
      slot[0] = x < 0 ? -result : result;
      return;
    }
    if (kind === 1) {
      // acosh
      let x = slot[0];
      if (!(x >= 1)) {
        slot[0] = NaN;
        return;
      }
      if (x === 1) {
        slot[0] = 0;
        return;
      }
      if (x > LARGE) {
        if (x === Infinity) {
          slot[0] = x;
          return;
        }
        coreInput[0] = x;
        coreInput[1] = 0;
        const k = logCore(true);
        addMultipleOfLn2(k + 1);
        slot[0] = logParts[0];
        return;
      }
      // With t = x − 1: acosh x = ln(1 + v), v = t + √((x − 1)(x + 1)), all in hi + lo so that x near 1
      // (v ≈ √(2t)) keeps full relative accuracy.
      const t = x - 1;
      const tLo = sumError(x, -1, t);
      const s = x + 1;
      const sLo = sumError(x, 1, s);
      const product = t * s;
      const productLo = productError(t, s, product) + t * sLo + tLo * s;
      const root = Math.sqrt(product);
      const rootSquare = root * root;
      const rootLo =
        (product - rootSquare - productError(root, root, rootSquare) + productLo) / (2 * root);
      const v = t + root;
      const vLo = sumError(t, root, v) + tLo + rootLo;
      const u = 1 + v;
      coreInput[0] = u;
      coreInput[1] = sumError(1, v, u) + vLo;
      const k = logCore(true);
      addMultipleOfLn2(k);
      slot[0] = logParts[0];
      return;
    }
    {
      // atanh
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < SERIES_LIMIT) {
        if (x === 0) {
          slot[0] = x;
          return;
        } // keeps the sign of −0 (the sum below would give +0)
        const x2 = x * x;
        slot[0] = x + x * x2 * (1 / 3 + x2 * (1 / 5 + x2 * (1 / 7 + x2 * (1 / 9))));
        return;
      }
      if (!(ax < 1)) {
        slot[0] = ax === 1 ? x * Infinity : NaN;
        return;
      }
      const n = 1 + ax;
      const d = 1 - ax;
      division[0] = n;
      division[1] = sumError(1, ax, n);
      division[2] = d;
      division[3] = sumError(1, -ax, d);
      divideDouble();
      coreInput[0] = quotient[0];
      coreInput[1] = quotient[1];
      const k = logCore(true);
      addMultipleOfLn2(k);
      const result = 0.5 * logParts[0];
      slot[0] = x < 0 ? -result : result;
      return;
    }
  }
  return { divideDouble, exponentialPair, hyperbolicInPlace, inverseHyperbolicInPlace };
}

const cores = createHyperbolicCores(HYPERBOLIC_CORE_CONSTANTS);
// eslint-disable-next-line no-var
var divideDouble = cores.divideDouble;
// eslint-disable-next-line no-var
var exponentialPair = cores.exponentialPair;
// eslint-disable-next-line no-var
var hyperbolicInPlace = cores.hyperbolicInPlace;
// eslint-disable-next-line no-var
var inverseHyperbolicInPlace = cores.inverseHyperbolicInPlace;
