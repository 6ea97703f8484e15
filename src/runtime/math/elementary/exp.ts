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
import { coreInput, POWERS_OF_TWO, scaleByPowerOfTwo } from "./bits";
import { EXP2_BY_64, INV_LN2_BY_64, LN2_BY_64_HI, LN2_BY_64_LO } from "./tables";

/**
 * The argument and result of exp and expm1, passed to and from their core (see the note on wrappers
 * in bits.ts). `var`, not `const`: a module constant read from a function costs a hole check in the
 * bytecode, and the wrappers must stay within V8's 27 bytes.
 */
// eslint-disable-next-line no-var
var slot = new Float64Array(1);

/** expFamilyInPlace's selector for expm1 (0 is exp; the wrappers pass literals). */
const EXPM1 = 1;

/** The result of expCore: exp(x + xLo) ≈ (expParts[0] + expParts[1]) · 2^m, the sum in [0.99, 2). */
export const expParts = new Float64Array(2);

/** exp(x) overflows above this (the largest double below ln(MAX_VALUE) + a little). */
export const EXP_OVERFLOW = 709.7827128933841;
/** exp(x) rounds to +0 below this (ln of half the smallest subnormal). */
export const EXP_UNDERFLOW = -745.1332191019412;

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;
const C6 = 1 / 720;
const C7 = 1 / 5040;

/** (expParts[0] + expParts[1])·2^n, rounded once (n an integer: no double crosses the call). */
export function expPartsTimesPowerOfTwo(n: number): number {
  return scaleByPowerOfTwo(expParts[0] + expParts[1], n);
}

/**
 * e^x, deterministic on every engine; ±0 → 1, −∞ → +0, +∞ → +∞, NaN → NaN. A wrapper that V8
 * inlines everywhere, around expInPlace (see the note on wrappers in bits.ts: no double is boxed).
 */
export function exp(x: number): number {
  const s = slot;
  s[0] = x;
  expFamilyInPlace(0); // EXP, a literal: a constant read costs bytecode
  return s[0];
}

/** Below this magnitude expm1 uses its Taylor series; above, exp's core minus 1 (no cancellation left). */
const EXPM1_SERIES_LIMIT = 1 / 128;
const S8 = 1 / 40320;

/** e^x − 1, accurate near 0; ±0 → ±0, −∞ → −1, +∞ → +∞, NaN → NaN. A wrapper around expFamilyInPlace. */
export function expm1(x: number): number {
  const s = slot;
  s[0] = x;
  expFamilyInPlace(1); // EXPM1, a literal: a constant read costs bytecode
  return s[0];
}

/**
 * What the cores below read from this module and its imports, handed to createExpCores (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const EXP_CORE_CONSTANTS = {
  slot, coreInput, expParts, POWERS_OF_TWO, scaleByPowerOfTwo, EXP2_BY_64, INV_LN2_BY_64,
  LN2_BY_64_HI, LN2_BY_64_LO, EXP_OVERFLOW, EXP_UNDERFLOW, EXPM1, EXPM1_SERIES_LIMIT, SPLITTER, C2,
  C3, C4, C5, C6, C7, S8,
};

/** Creates the cores once, over EXP_CORE_CONSTANTS. */
function createExpCores(constants: typeof EXP_CORE_CONSTANTS) {
  const {
    slot, coreInput, expParts, POWERS_OF_TWO, scaleByPowerOfTwo, EXP2_BY_64, INV_LN2_BY_64,
    LN2_BY_64_HI, LN2_BY_64_LO, EXP_OVERFLOW, EXP_UNDERFLOW, EXPM1, EXPM1_SERIES_LIMIT, SPLITTER,
    C2, C3, C4, C5, C6, C7, S8,
  } = constants;
  /**
   * exp(x + xLo) as (hi + lo)·2^m for x, xLo in coreInput[0], coreInput[1]: writes hi, lo into
   * expParts and returns m (an integer, so nothing is boxed). Needs finite |x| ≤ 746 and
   * |xLo| ≤ ulp(x).
   */
  function expCore(): number {
    const x = coreInput[0];
    const xLo = coreInput[1];
    const k = Math.floor(x * INV_LN2_BY_64 + 0.5);
    // x − k·ln2/64: the first product is exact (35-bit constant) and so is the difference (Sterbenz).
    const rHead = x - k * LN2_BY_64_HI;
    const kLow = k * LN2_BY_64_LO;
    let r = rHead - kLow;
    // TwoSum errors and Dekker's product written out (see "No helper calls" in bits.ts)
    let virtual = r - rHead;
    let rLo = rHead - (r - virtual) + (-kLow - virtual) + xLo;
    const rSum = r + rLo;
    virtual = rSum - r;
    rLo = r - (rSum - virtual) + (rLo - virtual);
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
    let split = SPLITTER * tHi;
    const tHigh = split - (split - tHi);
    const tLow = tHi - tHigh;
    split = SPLITTER * r;
    const rHigh = split - (split - r);
    const rLow = r - rHigh;
    const productLow = tHigh * rHigh - product + tHigh * rLow + tLow * rHigh + tLow * rLow;
    const tail = tHi - head + product + productLow + (tLo + tHi * (rLo + q) + tLo * (r + q));
    // Normalised (|lo| ≤ ulp(hi)/2): callers divide by and subtract from hi + lo as a double-double.
    const hi = head + tail;
    expParts[0] = hi;
    expParts[1] = head - hi + tail;
    return m | 0;
  }
  /**
   * slot[0] ← e^slot[0] (kind EXP) or e^slot[0] − 1 (EXPM1). One core for both, over V8's
   * 460-byte inlining limit: never inlined, so the wrappers stay small wherever they are optimised
   * (V8 counts what a function's own optimised code inlined as part of its size). For exp, the same reduction as expCore, but 2^(j/64)·exp(r) is only summed to
   * about 2^-60 (the product 2^(j/64)·r rounded, not split): that costs at most 0.01 ulp and halves
   * the work. The polynomial is evaluated in Estrin's scheme (three short chains instead of one long
   * one: the latency of Horner's six dependent multiply-adds was most of the cost).
   */
  function expFamilyInPlace(kind: number): void {
    if (kind === EXPM1) {
      const x = slot[0];
      const ax = Math.abs(x);
      if (ax < EXPM1_SERIES_LIMIT) {
        if (ax < 1.1102230246251565e-16) return; // x + x²/2 rounds to x (keeps −0 and subnormals)
        // x + x²/2 + x³·(1/6 + … + x⁵/8!): the first omitted term is below 2^-64 relative; x + x²/2 is
        // summed exactly (x² by Dekker's product, written out: see bits.ts) so that only the final
        // addition rounds.
        const square = x * x;
        const half = 0.5 * square;
        const head = x + half;
        const t = SPLITTER * x;
        const xHigh = t - (t - x);
        const xLow = x - xHigh;
        const squareError = xHigh * xHigh - square + 2 * xHigh * xLow + xLow * xLow;
        const cubic = x * square * (C3 + x * C4 + square * (C5 + x * C6 + square * (C7 + x * S8)));
        const virtual = head - x;
        slot[0] = head + (x - (head - virtual) + (half - virtual) + 0.5 * squareError + cubic);
        return;
      }
      if (!(x <= EXP_OVERFLOW)) {
        slot[0] = x !== x ? x : Infinity;
        return;
      }
      if (x < -40) {
        slot[0] = -1; // e^x < 2^-57: e^x − 1 rounds to −1
        return;
      }
      coreInput[0] = x;
      coreInput[1] = 0;
      const m = expCore();
      if (m > 1000) {
        // e^x − 1 rounds to e^x; 2^m may be 2^1024, beyond the table (the result can still be finite)
        slot[0] = scaleByPowerOfTwo(expParts[0] + expParts[1], m);
        return;
      }
      // (hi + lo)·2^m − 1 (−58 ≤ m ≤ 1000: exact scalings), summed exactly before the single rounding.
      const scale = POWERS_OF_TWO[m + 1074];
      const hi = expParts[0] * scale;
      const lo = expParts[1] * scale;
      const s = hi - 1;
      const virtual = s - hi;
      slot[0] = s + (hi - (s - virtual) + (-1 - virtual) + lo);
      return;
    }
    const x = slot[0];
    if (!(x <= EXP_OVERFLOW)) {
      slot[0] = x !== x ? x : Infinity;
      return;
    }
    if (x < EXP_UNDERFLOW) {
      slot[0] = 0;
      return;
    }
    const k = Math.floor(x * INV_LN2_BY_64 + 0.5);
    const rHead = x - k * LN2_BY_64_HI;
    const kLow = k * LN2_BY_64_LO;
    const r = rHead - kLow;
    const virtual = r - rHead;
    const rLo = rHead - (r - virtual) + (-kLow - virtual); // TwoSum's error, written out
    const j = k & 63;
    const tHi = EXP2_BY_64[2 * j];
    const tLo = EXP2_BY_64[2 * j + 1];
    const r2 = r * r;
    const q = r2 * (C2 + r * C3 + r2 * (C4 + r * C5 + r2 * (C6 + r * C7)));
    const p = r + (rLo + q);
    const y = tHi + (tHi * p + tLo * (1 + p));
    const n = (k - j) / 64;
    // 2^n by one table read, exact; only results near overflow or subnormal need the stepwise scaling
    slot[0] = n > -1022 && n < 1024 ? y * POWERS_OF_TWO[n + 1074] : scaleByPowerOfTwo(y, n);
  }
  return { expCore, expFamilyInPlace };
}

const cores = createExpCores(EXP_CORE_CONSTANTS);
// eslint-disable-next-line no-var
export var expCore = cores.expCore;
// eslint-disable-next-line no-var
var expFamilyInPlace = cores.expFamilyInPlace;
