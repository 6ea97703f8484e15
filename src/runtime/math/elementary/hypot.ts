/**
 * √(x² + y²) without undue overflow or underflow, in plain double arithmetic: both squares and
 * their sum are kept exactly as hi + lo (Dekker products, Knuth's two-sum) and the square root is
 * corrected once by Newton's step on that sum, so the result is rounded once from a value accurate
 * to about 2^-100 (measured: ≤ 0.5 ulp over 10^6 arguments; a subnormal result may be rounded twice, ≤ 0.75 ulp).
 * Large and tiny arguments are scaled by powers of two first, exactly.
 */
import { powerOfTwo } from "./bits";

/** Veltkamp's splitting constant 2^27 + 1 (see productError in bits.ts). */
const SPLITTER = 134217729;

const TWO_POW_600 = powerOfTwo(600);
const TWO_POW_MINUS_600 = powerOfTwo(-600);
const TWO_POW_500 = powerOfTwo(500);
const TWO_POW_MINUS_500 = powerOfTwo(-500);
/** When the larger argument exceeds the smaller by 2^60, the smaller one cannot change the result. */
const NEGLIGIBLE_RATIO = 1152921504606846976;

/** hypotCore's arguments a ≥ b (in [0] and [1]) and its result (in [0]). */
const hypotParts = new Float64Array(2);

/**
 * What the cores below read from this module and its imports, handed to createHypotCore (see
 * "Constants" in bits.ts: bound as the factory's consts, V8 folds them into the cores' code).
 */
const HYPOT_CORE_CONSTANTS = { SPLITTER, hypotParts };

/** Creates the cores once, over HYPOT_CORE_CONSTANTS. */
function createHypotCore(constants: typeof HYPOT_CORE_CONSTANTS) {
  const { SPLITTER, hypotParts } = constants;
  /**
   * hypotParts[0] ← √(a² + b²) for a = hypotParts[0] ≥ b = hypotParts[1] > 0, both within 2^±500
   * and a ≤ 2^60·b. Apart from hypot so that hypot stays under V8's 460-byte inlining limit with
   * sumError and productError of bits.ts written out (the same operations): no helper is called with
   * doubles (see "No helper calls" in bits.ts).
   */
  function hypotCore(): void {
    const a = hypotParts[0];
    const b = hypotParts[1];
    const a2 = a * a;
    const b2 = b * b;
    const sum = a2 + b2;
    const virtual = sum - a2;
    let split = SPLITTER * a;
    const aHigh = split - (split - a);
    const aLow = a - aHigh;
    split = SPLITTER * b;
    const bHigh = split - (split - b);
    const bLow = b - bHigh;
    const sumLo =
      a2 -
      (sum - virtual) +
      (b2 - virtual) + // sumError(a2, b2, sum)
      (aHigh * aHigh - a2 + aHigh * aLow + aLow * aHigh + aLow * aLow) + // productError(a, a, a2)
      (bHigh * bHigh - b2 + bHigh * bLow + bLow * bHigh + bLow * bLow); // productError(b, b, b2)
    const root = Math.sqrt(sum);
    const square = root * root;
    split = SPLITTER * root;
    const rootHigh = split - (split - root);
    const rootLow = root - rootHigh;
    const squareLo =
      rootHigh * rootHigh - square + rootHigh * rootLow + rootLow * rootHigh + rootLow * rootLow; // productError(root, root, square)
    const residual = sum - square - squareLo + sumLo;
    hypotParts[0] = root + residual / (2 * root);
  }
  return { hypotCore };
}

const cores = createHypotCore(HYPOT_CORE_CONSTANTS);
// eslint-disable-next-line no-var
var hypotCore = cores.hypotCore;

/** Math.hypot(x, y): +∞ if either is ±∞ (even with a NaN), else NaN if either is NaN. */
export function hypot(x: number, y: number): number {
  let a = Math.abs(x);
  let b = Math.abs(y);
  if (a < b) {
    const t = a;
    a = b;
    b = t;
  }
  let scale = 1;
  // special values, a negligible b, and arguments to scale (false for NaN)
  if (!(b >= TWO_POW_MINUS_500 && a <= TWO_POW_500 && a <= b * NEGLIGIBLE_RATIO)) {
    if (a === Infinity || b === Infinity) return Infinity;
    if (a !== a || b !== b) return NaN;
    if (b === 0 || a > b * NEGLIGIBLE_RATIO) return a + b;
    if (a > TWO_POW_500) {
      a *= TWO_POW_MINUS_600;
      b *= TWO_POW_MINUS_600;
      scale = TWO_POW_600;
    } else if (b < TWO_POW_MINUS_500) {
      a *= TWO_POW_600;
      b *= TWO_POW_600;
      scale = TWO_POW_MINUS_600;
    }
  }
  hypotParts[0] = a;
  hypotParts[1] = b;
  hypotCore();
  return hypotParts[0] * scale;
}
