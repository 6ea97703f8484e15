/**
 * A slow, independent, high-precision reference for the trigonometric functions, used to measure
 * the error of src/runtime/math/elementary/trig.ts in ulps. Everything is BigInt fixed point:
 * a value v is held as the integer ⌊v · 2^P⌋ for a precision P chosen per argument (200 bits plus
 * however far below 1 the argument or result lies), so the reference is accurate to far less than
 * 2^−100 ulp, enough to judge ±1 ulp and correct rounding.
 *
 * Independence from the code under test: π comes from Machin's formula (π = 16 atan 1/5 − 4 atan
 * 1/239) computed here, not from the implementation's tables; 2/π is divided out of it; sin and cos
 * are Taylor series after an exact BigInt reduction x · 2/π; atan is its Taylor series after three
 * argument halvings atan v = 2 atan(v / (1 + √(1 + v²))); asin, acos and atan2 are atan of exact
 * ratios.
 */

const PI_BITS = 1600;
const GUARD_BITS = 64;

function arctanOfInverse(k: bigint, bits: number): bigint {
  const one = 1n << BigInt(bits);
  const kSquared = k * k;
  let power = one / k;
  let sum = power;
  let index = 1n;
  let negative = true;
  while (power !== 0n) {
    power /= kSquared;
    const term = power / (2n * index + 1n);
    sum += negative ? -term : term;
    negative = !negative;
    index++;
  }
  return sum;
}

/** ⌊π · 2^PI_BITS⌋ (to within a unit). */
const PI_FIXED =
  (16n * arctanOfInverse(5n, PI_BITS + GUARD_BITS) -
    4n * arctanOfInverse(239n, PI_BITS + GUARD_BITS)) >>
  BigInt(GUARD_BITS);

/** Fraction bits of 2/π for the sin/cos reduction: enough for x up to 2^1024 and P up to ~270. */
const REDUCTION_BITS = 1400;
const TWO_OVER_PI_FIXED = (1n << BigInt(REDUCTION_BITS + PI_BITS + 1)) / PI_FIXED;

/** π · 2^P, π/2 · 2^P. */
export function piAt(precision: number): bigint {
  return PI_FIXED >> BigInt(PI_BITS - precision);
}
function halfPiAt(precision: number): bigint {
  return PI_FIXED >> BigInt(PI_BITS - precision + 1);
}

// ───────────────────────────────────────── doubles as exact rationals ─────────────────────────────────────────

const bitsView = new DataView(new ArrayBuffer(8));

/** |x| = mantissa · 2^exponent exactly, for finite x. */
export function decompose(x: number): { mantissa: bigint; exponent: number; negative: boolean } {
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const field = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const negative = bits >> 63n === 1n;
  if (field === 0) return { mantissa: fraction, exponent: -1074, negative };
  return { mantissa: fraction | (1n << 52n), exponent: field - 1075, negative };
}

/** ⌊log2 |x|⌋ for finite non-zero x. */
export function exponentOf(x: number): number {
  const { mantissa, exponent } = decompose(x);
  return exponent + bitLength(mantissa) - 1;
}

export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  return n === 0n ? 0 : n.toString(2).length;
}

function shift(n: bigint, by: number): bigint {
  return by >= 0 ? n << BigInt(by) : n >> BigInt(-by);
}

/** |x| · 2^P (exact when P ≥ −exponent). */
function fixedOf(x: number, precision: number): bigint {
  const { mantissa, exponent } = decompose(x);
  return shift(mantissa, exponent + precision);
}

/** ⌊√n⌋: Newton's iteration from above, started from a double's estimate. */
export function integerSqrt(n: bigint): bigint {
  if (n < 4n) return n === 0n ? 0n : 1n;
  let drop = Math.max(0, bitLength(n) - 100);
  if (drop % 2 === 1) drop++;
  let x = (BigInt(Math.floor(Math.sqrt(Number(n >> BigInt(drop))))) + 2n) << BigInt(drop / 2);
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

// ───────────────────────────────────────── reference values ─────────────────────────────────────────

/** A reference value v as ⌊v · 2^precision⌋ (sign included). */
export interface Fixed {
  value: bigint;
  precision: number;
}

/** sin and cos of r (|r| ≤ 0.8, fixed at P) by their Taylor series. */
function sinCosSeries(r: bigint, precision: number): { sin: bigint; cos: bigint } {
  const p = BigInt(precision);
  const one = 1n << p;
  const square = (r * r) >> p;
  let sinTerm = r;
  let sinSum = r;
  let cosTerm = one;
  let cosSum = one;
  for (let k = 1n; sinTerm !== 0n || cosTerm !== 0n; k++) {
    cosTerm = -((cosTerm * square) >> p) / ((2n * k - 1n) * (2n * k));
    sinTerm = -((sinTerm * square) >> p) / (2n * k * (2n * k + 1n));
    cosSum += cosTerm;
    sinSum += sinTerm;
  }
  return { sin: sinSum, cos: cosSum };
}

/** Precision for an argument or result near 2^e: 200 bits, plus the distance below 1. */
function precisionFor(exponent: number): number {
  return 200 + Math.max(0, -exponent);
}

/** sin x and cos x (finite x) at precision P. */
export function sinCosReference(x: number): { sin: Fixed; cos: Fixed } {
  const precision = x === 0 ? 200 : precisionFor(exponentOf(x));
  const { mantissa, exponent, negative } = decompose(x);
  let r: bigint;
  let quadrant = 0;
  if (Math.abs(x) <= 0.75) {
    r = shift(mantissa, exponent + precision);
  } else {
    // x · 2/π with REDUCTION_BITS fraction bits; its integer part mod 4 is the quadrant.
    const scaled = shift(mantissa * TWO_OVER_PI_FIXED, exponent);
    const one = 1n << BigInt(REDUCTION_BITS);
    let fraction = scaled & (one - 1n);
    quadrant = Number((scaled >> BigInt(REDUCTION_BITS)) & 3n);
    if (fraction >= one >> 1n) {
      fraction -= one;
      quadrant = (quadrant + 1) & 3;
    }
    r = (fraction * halfPiAt(precision)) >> BigInt(REDUCTION_BITS);
  }
  const { sin, cos } = sinCosSeries(r, precision);
  const sinByQuadrant = [sin, cos, -sin, -cos][quadrant];
  const cosByQuadrant = [cos, -sin, -cos, sin][quadrant];
  return {
    sin: { value: negative ? -sinByQuadrant : sinByQuadrant, precision },
    cos: { value: cosByQuadrant, precision },
  };
}

export function sinReference(x: number): Fixed {
  return sinCosReference(x).sin;
}
export function cosReference(x: number): Fixed {
  return sinCosReference(x).cos;
}
export function tanReference(x: number): Fixed {
  const { sin, cos } = sinCosReference(x);
  return { value: (sin.value << BigInt(sin.precision)) / cos.value, precision: sin.precision };
}

/** atan v for 0 ≤ v ≤ 1 (fixed at P). */
function atanSmall(v: bigint, precision: number): bigint {
  const p = BigInt(precision);
  const one = 1n << p;
  const halvings = 3;
  for (let i = 0; i < halvings; i++) {
    const root = integerSqrt((one << p) + v * v); // √(1 + v²) at P
    v = (v << p) / (one + root);
  }
  const square = (v * v) >> p;
  let power = v;
  let sum = v;
  for (let k = 1n; power !== 0n; k++) {
    power = (power * square) >> p;
    const term = power / (2n * k + 1n);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum << BigInt(halvings);
}

/** The angle in [0, π/2] of the point (across, up), both ≥ 0 and not both 0, at precision P. */
function angleOf(up: bigint, across: bigint, precision: number): bigint {
  if (up <= across) return atanSmall((up << BigInt(precision)) / across, precision);
  return halfPiAt(precision) - atanSmall((across << BigInt(precision)) / up, precision);
}

export function atanReference(x: number): Fixed {
  const precision = x === 0 ? 200 : Math.min(PI_BITS - 8, precisionFor(exponentOf(x)));
  const angle = angleOf(fixedOf(x, precision), 1n << BigInt(precision), precision);
  return { value: x < 0 ? -angle : angle, precision };
}

/** √(1 − x²) and |x| at P (|x| ≤ 1, exact square). */
function cathetus(x: number, precision: number): { side: bigint; other: bigint } {
  const side = fixedOf(x, precision);
  const other = integerSqrt((1n << BigInt(2 * precision)) - side * side);
  return { side, other };
}

export function asinReference(x: number): Fixed {
  const precision = x === 0 ? 200 : precisionFor(exponentOf(x));
  const { side, other } = cathetus(x, precision);
  const angle = angleOf(side, other, precision);
  return { value: x < 0 ? -angle : angle, precision };
}

export function acosReference(x: number): Fixed {
  const precision = 200;
  const { side, other } = cathetus(x, precision);
  const angle = angleOf(other, side, precision);
  return { value: x < 0 ? piAt(precision) - angle : angle, precision };
}

/** atan2 for finite y, x, not both zero. */
export function atan2Reference(y: number, x: number): Fixed {
  const dy = decompose(y);
  const dx = decompose(x);
  const ratioExponent = (y === 0 ? -2000 : exponentOf(y)) - (x === 0 ? -2000 : exponentOf(x));
  const precision = Math.min(PI_BITS - 8, precisionFor(ratioExponent));
  const lowest = Math.min(dy.exponent, dx.exponent);
  const up = dy.mantissa << BigInt(dy.exponent - lowest);
  const across = dx.mantissa << BigInt(dx.exponent - lowest);
  let angle = angleOf(up, across, precision);
  if (dx.negative) angle = piAt(precision) - angle;
  return { value: dy.negative ? -angle : angle, precision };
}

// ───────────────────────────────────────── measuring ─────────────────────────────────────────

const MEASURE_BITS = 30;

/**
 * |computed − reference| in units in the last place of the reference (the spacing of doubles in
 * the reference's binade, 2^−1074 below the normal range), to 2^−30 ulp.
 */
export function ulpError(computed: number, reference: Fixed): number {
  if (!Number.isFinite(computed)) return Infinity;
  const { value, precision } = reference;
  const referenceExponent = value === 0n ? -1074 : bitLength(value) - 1 - precision;
  const ulpExponent = Math.max(referenceExponent, -1022) - 52;
  const parts = decompose(computed);
  const scale = Math.max(precision, -parts.exponent);
  const computedScaled =
    shift(parts.mantissa, parts.exponent + scale) * (parts.negative ? -1n : 1n);
  const difference = computedScaled - shift(value, scale - precision);
  const magnitude = difference < 0n ? -difference : difference;
  return Number(shift(magnitude, MEASURE_BITS - ulpExponent - scale)) / 2 ** MEASURE_BITS;
}

/** Whether computed is the double nearest to the reference (error below half an ulp). */
export function isCorrectlyRounded(error: number): boolean {
  return error <= 0.5;
}

// ───────────────────────────────────────── arguments ─────────────────────────────────────────

/** A seeded generator (SplitMix32-style) so that every run checks the same arguments. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    const high = z >>> 5;
    state = (state + 0x9e3779b9) >>> 0;
    let w = state;
    w = Math.imul(w ^ (w >>> 16), 0x85ebca6b);
    w = Math.imul(w ^ (w >>> 13), 0xc2b2ae35);
    w = (w ^ (w >>> 16)) >>> 0;
    return (high * 67108864 + (w >>> 6)) / 9007199254740992;
  };
}

/** A double with random sign and mantissa and an exponent uniform in [low, high]. */
export function randomDouble(uniform: () => number, low: number, high: number): number {
  const exponent = low + Math.floor(uniform() * (high - low + 1));
  const significand = 1 + Math.floor(uniform() * 4503599627370496) / 4503599627370496; // exact, < 2
  const magnitude = significand * 2 ** exponent;
  return uniform() < 0.5 ? -magnitude : magnitude;
}

/** The double nearest to k · π/2 (k a non-negative integer, possibly huge), from the reference π. */
export function nearMultipleOfHalfPi(k: bigint): number {
  // k · π/2 with 60 extra bits, rounded once by Number(), then scaled exactly.
  const value = (k * PI_FIXED) >> BigInt(PI_BITS + 1 - 60);
  // Keep ~120 leading bits so Number() cannot overflow; the scaling back is exact.
  const drop = Math.max(0, bitLength(value) - 120);
  return Number(value >> BigInt(drop)) * 2 ** (drop - 60);
}

/** The doubles n ulps either side of x. */
export function neighbours(x: number, n: number): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  const result: number[] = [];
  for (let i = -n; i <= n; i++) {
    view.setBigInt64(0, bits + BigInt(i));
    const value = view.getFloat64(0);
    if (Number.isFinite(value)) result.push(value);
  }
  return result;
}

/** Distance of a from b in ulps, counting the doubles between them (±0 equal). */
export function ulpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  const ordered = (bits: bigint) => (bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits);
  const difference = ordered(view.getBigInt64(0)) - ordered(view.getBigInt64(8));
  return Number(difference < 0n ? -difference : difference);
}
