/**
 * Bit access and exact-arithmetic helpers shared by the deterministic elementary functions.
 *
 * Everything in this folder uses only IEEE-754 double operations that every JavaScript engine
 * performs identically (+, −, ×, ÷, Math.sqrt, Math.abs, Math.floor), so a function gives the same
 * bits on Node, Chromium, Deno and Bun. `Math.exp`, `Math.log`, … are not used: engines implement
 * them differently in the last bit.
 *
 * Bits are read through one preallocated 8-byte buffer (no allocation per call). The word order of
 * the Uint32Array view follows the platform's byte order, found once at load.
 */

const buffer = new ArrayBuffer(8);
/** The double view of the shared 8-byte buffer. */
export const f64 = new Float64Array(buffer);
/** The two 32-bit words of f64[0], unsigned; index with HI and LO. */
export const u32 = new Uint32Array(buffer);

f64[0] = 1;
/** Index in u32 of the word holding sign, exponent and the top 20 fraction bits. */
export const HI = u32[1] === 0x3ff00000 ? 1 : 0;
/** Index in u32 of the low 32 fraction bits. */
export const LO = 1 - HI;

/** The high word (sign, exponent, top 20 fraction bits) of x, unsigned. */
export function highWord(x: number): number {
  f64[0] = x;
  return u32[HI];
}

/** The biased exponent field of x (0 for zeros and subnormals, 2047 for infinities and NaN). */
export function biasedExponent(x: number): number {
  f64[0] = x;
  return (u32[HI] >>> 20) & 0x7ff;
}

const TWO_POW_64 = 18446744073709551616;

/** ⌊log2 |x|⌋ for finite non-zero x, subnormals included. */
export function binaryExponent(x: number): number {
  const biased = biasedExponent(x);
  return biased !== 0 ? biased - 1023 : biasedExponent(x * TWO_POW_64) - 1023 - 64;
}

/** The double whose words are hi and lo. */
export function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/**
 * 2^n for n = -1074..1023, indexed by n + 1074: built by exact doublings and halvings of 1. A table
 * read, not an exponent field written through the Uint32Array and read back as a double: that
 * round trip through memory defeats the processor's store-to-load forwarding and cost about 20 ns
 * per call in log.
 */
export const POWERS_OF_TWO = new Float64Array(1074 + 1024);
{
  let p = 1;
  for (let n = 0; n <= 1023; n++, p *= 2) POWERS_OF_TWO[n + 1074] = p;
  p = 1;
  for (let n = 0; n >= -1074; n--, p *= 0.5) POWERS_OF_TWO[n + 1074] = p;
}

/** 2^n for an integer n in [-1074, 1023] (exact). */
export function powerOfTwo(n: number): number {
  return POWERS_OF_TWO[n + 1074];
}

const TWO_POW_1023 = powerOfTwo(1023);
const TWO_POW_MINUS_969 = powerOfTwo(-969);

/**
 * y · 2^n for an integer n, rounded once (as C's scalbn): large |n| is applied in steps that are exact
 * for any finite y, so the only rounding is the last product (overflow to ±Infinity, or a
 * subnormal result). The steps of -969 = -1022 + 53 keep a normal y normal until the last one.
 */
export function scaleByPowerOfTwo(y: number, n: number): number {
  if (n > 1023) {
    y *= TWO_POW_1023;
    n -= 1023;
    if (n > 1023) {
      y *= TWO_POW_1023;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    y *= TWO_POW_MINUS_969;
    n += 969;
    if (n < -1022) {
      y *= TWO_POW_MINUS_969;
      n += 969;
      if (n < -1022) n = -1022;
    }
  }
  return y * powerOfTwo(n);
}

/** Veltkamp's splitting constant 2^27 + 1: splits a double into two halves of at most 26 bits. */
const SPLITTER = 134217729;

/**
 * The rounding error of the product p = a·b (so a·b = p + error exactly), by Dekker's exact
 * multiplication without a fused multiply-add (T. J. Dekker, "A floating-point technique for
 * extending the available precision", Numer. Math. 18, 1971). Needs |a|, |b| < 2^996 and no
 * underflow in the partial products.
 */
export function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** The rounding error of s = a + b (Knuth's TwoSum; any order of magnitude). */
export function sumError(a: number, b: number, s: number): number {
  const bVirtual = s - a;
  return a - (s - bVirtual) + (b - bVirtual);
}

/**
 * Doubles passed to the exp and log cores (and between pow's parts) in memory rather than as
 * arguments: a JavaScript call the engine does not inline boxes each double argument and result
 * into a heap object, one allocation each, and these cores are too large to be inlined.
 */
export const coreInput = new Float64Array(2);

/*
 * The public functions pass doubles to their cores in memory. Each public function is a wrapper
 * small enough (V8: at most 27 bytes of bytecode) that TurboFan inlines it at every call site that
 * runs often: it stores x in its file's own one-element Float64Array (`slot`; a module-local
 * constant, so the wrapper stays that small also where modules are not bundled), calls its core with
 * no arguments (a call that passes and returns no double boxes nothing, inlined or not) and reads
 * the result back as a raw double. The core may be inlined too (faster) or stay a call: either way
 * no double is boxed. Cores call only helpers as small (sumError, powerOfTwo) or pass doubles the
 * same way; a call that passes doubles remains only on rare paths (overflow, subnormals).
 */

/*
 * No helper calls (with doubles) on a core's paths. V8 inlines even a small function such as
 * sumError only at a call site that ran at least 0.15 times per call of its caller when the caller
 * was compiled. A core shared by several functions (log, log1p, log2, log10) is compiled while
 * some of them are rare, and a helper call in a rare branch then stays a call for good, boxing its
 * arguments and result (7 HeapNumbers per log1p call in one measured run, none in the next). So the
 * cores write TwoSum (sumError) and Dekker's product (productError) out, read 2^n from
 * POWERS_OF_TWO, and pass doubles between each other in memory (coreInput, expParts, logParts,
 * powArguments); sumError and productError remain for code off the hot paths.
 */

/*
 * Constants. A model's bundle turns every top-level `const` of the runtime into a `var` (esbuild
 * does so when bundling, and the modules api.ts's dynamic import reaches are moreover initialised
 * inside lazy `__esm` wrappers), and V8 must treat a module `var` as mutable: each read of LN2_HI,
 * C3 or LOG_TABLE in a core was, per call, a context load, a Smi/HeapNumber check and, for a typed
 * array, a map check and a reload of its base and length (perf annotate of logistic_regression's
 * bundle). So each file's cores are created once by a factory (createExpCores, createLogCores,
 * createPowCore, createTrigCores, createHyperbolicCores, createRemPio2Cores, createHypotCore, and
 * createGammaCores in special.ts) that receives what they read in one object (`…_CORE_CONSTANTS`)
 * and binds it as its own consts. V8 specialises the optimised code of a function created by a
 * single closure to that closure's context and folds immutable context slots into it: the cores
 * then see immediates and embedded table addresses, bundled or not (--print-opt-code). Measured:
 * logistic_regression's gradient 11.5 → 8.2 µs (the Math build: 5.7 µs). The wrappers stay plain
 * functions reading `slot` (a `var`: no hole check, so they stay within 27 bytes of bytecode), and
 * the cores are `var`s for the same reason.
 */

/** True when y is an odd integer (every double of magnitude ≥ 2^53 is even). */
export function isOddInteger(y: number): boolean {
  if (!(Math.abs(y) < 9007199254740992)) return false;
  const half = Math.floor(y * 0.5);
  return y - 2 * half === 1;
}

/** True when y is a finite integer. */
export function isInteger(y: number): boolean {
  return Math.floor(y) === y;
}
