/**
 * A slow, high-precision reference for the elementary functions, to judge errors of 1 ulp.
 *
 * Double-double arithmetic (about 106 bits; Dekker 1971, Knuth's two-sum), with its own helpers so
 * that a fault in the product code (src/runtime/math/elementary/bits.ts) cannot hide itself here,
 * and algorithms unlike the product's: exp by 2^-10 argument scaling, a Taylor series and ten
 * squarings; logarithms by the atanh series of (m − 1)/(m + 1); the rest from these by their
 * definitions, with series near 0 where a definition would cancel. Relative error below 2^-95 on
 * the ranges the tests use, checked against mpmath values in reference.test.ts.
 *
 * A value is a pair [hi, lo]; the exp family returns [hi, lo, e] meaning (hi + lo)·2^e, so that
 * results near overflow and in the subnormal range are judged without rounding the reference.
 */
export type DD = [number, number];
export type ScaledDD = [number, number, number];

const SPLITTER = 134217729;

export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bv = s - a;
  return [s, a - (s - bv) + (b - bv)];
}

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}

export function twoProduct(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export const dd = (x: number): DD => [x, 0];

export function add(x: DD, y: DD): DD {
  let [s, e] = twoSum(x[0], y[0]);
  const [t, f] = twoSum(x[1], y[1]);
  e += t;
  [s, e] = quickTwoSum(s, e);
  e += f;
  return quickTwoSum(s, e);
}

export const neg = (x: DD): DD => [-x[0], -x[1]];
export const sub = (x: DD, y: DD): DD => add(x, neg(y));

export function mul(x: DD, y: DD): DD {
  const [p, e] = twoProduct(x[0], y[0]);
  return quickTwoSum(p, e + (x[0] * y[1] + x[1] * y[0]));
}

export function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  let r = sub(x, mul(y, dd(q1)));
  const q2 = r[0] / y[0];
  r = sub(r, mul(y, dd(q2)));
  const q3 = r[0] / y[0];
  return add(quickTwoSum(q1, q2), dd(q3));
}

export function sqrt(x: DD): DD {
  if (x[0] === 0) return [0, 0];
  const s = Math.sqrt(x[0]);
  // One Newton step doubles the 53 correct bits.
  const residual = sub(x, twoProduct(s, s));
  return add(dd(s), dd(residual[0] / (2 * s)));
}

/** 2^n for an integer n in [-1022, 1023]. */
export function pow2(n: number): number {
  return bitsPow2(n);
}

/** x·2^n (n an integer) in steps of at most 2^±1000: exact when x·2^n is normal. */
export function ldexp(x: number, n: number): number {
  if (!Number.isInteger(n)) throw new Error(`ldexp: exponent ${n} is not an integer`);
  while (n > 1000) {
    x *= bitsPow2(1000);
    n -= 1000;
  }
  while (n < -1000) {
    x *= bitsPow2(-1000);
    n += 1000;
  }
  return x * bitsPow2(n);
}

const view = new DataView(new ArrayBuffer(8));
function bitsPow2(n: number): number {
  view.setUint32(0, (n + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** floor(log2 |x|) for a finite nonzero double. */
export function exponentOf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) throw new Error(`exponentOf(${x})`);
  view.setFloat64(0, Math.abs(x));
  const field = view.getUint32(0) >>> 20;
  if (field === 0) return exponentOf(x * bitsPow2(64)) - 64;
  return field - 1023;
}

const scale = (x: DD, n: number): DD => [ldexp(x[0], n), ldexp(x[1], n)];

export const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17]; // mpmath, 200 bits (see reference.test.ts)
export const LN10: DD = [2.302585092994046, -2.1707562233822494e-16];

const INVERSE_FACTORIALS: DD[] = [];
{
  let f = 1;
  for (let n = 0; n <= 30; n++) {
    if (n > 0) f *= n; // exact up to 22!
    INVERSE_FACTORIALS.push(
      n <= 22 ? div(dd(1), dd(f)) : mul(INVERSE_FACTORIALS[n - 1], div(dd(1), dd(n))),
    );
  }
}

/** exp of a double-double as (hi + lo)·2^e; x within ±1100. */
export function expScaled(x: DD): ScaledDD {
  const k = Math.round(x[0] / LN2[0]);
  const r = sub(x, mul(LN2, dd(k)));
  const small = scale(r, -10);
  let sum = INVERSE_FACTORIALS[14];
  for (let n = 13; n >= 0; n--) sum = add(mul(sum, small), INVERSE_FACTORIALS[n]);
  for (let i = 0; i < 10; i++) sum = mul(sum, sum);
  return [sum[0], sum[1], k];
}

/** Σ s^(2n+1)/(2n+1) = atanh s for |s| ≤ 0.2 (40 terms: the rest is below 2^-180). */
function atanhSeries(s: DD): DD {
  const s2 = mul(s, s);
  let sum = ODD_RECIPROCALS[40];
  for (let n = 39; n >= 0; n--) sum = add(mul(sum, s2), ODD_RECIPROCALS[n]);
  return mul(sum, s);
}
/** 1/(2n + 1) for n = 0..40. */
const ODD_RECIPROCALS: DD[] = Array.from({ length: 41 }, (_, n) => div(dd(1), dd(2 * n + 1)));

/** ln x for a positive double-double. */
export function logDD(x: DD): DD {
  let e = exponentOf(x[0]);
  let m = scale(x, -e);
  if (m[0] > 1.5) {
    m = scale(m, -1);
    e += 1;
  }
  const s = div(sub(m, dd(1)), add(m, dd(1)));
  const lnM = mul(dd(2), atanhSeries(s));
  return add(mul(LN2, dd(e)), lnM);
}

/** ln(1 + v) for a double-double v > −1, without the loss of adding 1 to a tiny v. */
export function log1pDD(v: DD): DD {
  if (Math.abs(v[0]) < 1e-150) return v; // v²/2 is below 2^-490 relative (and would underflow)
  if (Math.abs(v[0]) <= 0.5) return mul(dd(2), atanhSeries(div(v, add(dd(2), v))));
  return logDD(add(dd(1), v));
}

export const logRef = (x: number): DD => logDD(dd(x));
export const log1pRef = (x: number): DD => log1pDD(dd(x));
export const log2Ref = (x: number): DD => div(logDD(dd(x)), LN2);
export const log10Ref = (x: number): DD => div(logDD(dd(x)), LN10);
export const expRef = (x: number): ScaledDD => expScaled(dd(x));

/** e^x − 1. */
export function expm1Ref(x: number): ScaledDD {
  if (x < -100) return [-1, 0, 0]; // e^x < 2^-144: far below what an ulp of 1 can see
  if (Math.abs(x) < 0.5) {
    let sum = INVERSE_FACTORIALS[30];
    for (let n = 29; n >= 1; n--) sum = add(mul(sum, dd(x)), INVERSE_FACTORIALS[n]);
    const v = mul(sum, dd(x));
    return [v[0], v[1], 0];
  }
  const [hi, lo, e] = expScaled(dd(x));
  if (e > 200) return [hi, lo, e];
  const v = sub(scale([hi, lo], e), dd(1));
  return [v[0], v[1], 0];
}

/** x^y for x > 0 (the tests add the sign for negative x). */
export function powRef(x: number, y: number): ScaledDD {
  return expScaled(mul(logDD(dd(x)), dd(y)));
}

/** ∛x for finite nonzero x. */
export function cbrtRef(x: number): DD {
  const q = Math.floor(exponentOf(x) / 3);
  const w = ldexp(x, -3 * q);
  let y = dd(Math.cbrt(w));
  for (let i = 0; i < 2; i++) {
    const y2 = mul(y, y);
    y = sub(y, div(sub(mul(y2, y), dd(w)), mul(dd(3), y2)));
  }
  return scale(y, q);
}

/** √(x² + y²) for finite x, y not both 0. */
export function hypotRef(x: number, y: number): DD {
  const e = Math.max(exponentOf(x === 0 ? y : x), exponentOf(y === 0 ? x : y));
  const a = ldexp(x, -e);
  const b = ldexp(y, -e); // exact while b·2^-e stays normal; the tests keep |y/x| ≥ 2^-400
  const s = sqrt(add(mul(dd(a), dd(a)), mul(dd(b), dd(b))));
  return scale(s, e);
}

/** sinh x; for |x| ≥ 1 from e^|x|, scaled. */
export function sinhRef(x: number): ScaledDD {
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  if (ax < 1) {
    const x2 = mul(dd(ax), dd(ax));
    let sum = INVERSE_FACTORIALS[29];
    for (let n = 27; n >= 1; n -= 2) sum = add(mul(sum, x2), INVERSE_FACTORIALS[n]);
    const v = mul(sum, dd(ax));
    return [sign * v[0], sign * v[1], 0];
  }
  const [hi, lo, e] = expScaled(dd(ax));
  if (ax > 40) return [sign * hi, sign * lo, e - 1];
  const E = scale([hi, lo], e);
  const v = scale(sub(E, div(dd(1), E)), -1);
  return [sign * v[0], sign * v[1], 0];
}

export function coshRef(x: number): ScaledDD {
  const ax = Math.abs(x);
  const [hi, lo, e] = expScaled(dd(ax));
  if (ax > 40) return [hi, lo, e - 1];
  const E = scale([hi, lo], e);
  const v = scale(add(E, div(dd(1), E)), -1);
  return [v[0], v[1], 0];
}

export function tanhRef(x: number): DD {
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  let v: DD;
  if (ax > 100) {
    v = [1, 0]; // 1 − tanh x < 2e^-200
  } else if (ax < 1) {
    const s = sinhRef(ax);
    const c = coshRef(ax);
    v = div([s[0], s[1]], [c[0], c[1]]);
  } else {
    const [hi, lo, e] = expScaled(dd(-2 * ax));
    const t = scale([hi, lo], e);
    v = div(sub(dd(1), t), add(dd(1), t));
  }
  return [sign * v[0], sign * v[1]];
}

export function asinhRef(x: number): DD {
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  let v: DD;
  if (ax < 2) {
    // ln(1 + x + x²/(1 + √(1 + x²))): no cancellation for small x.
    const x2 = mul(dd(ax), dd(ax));
    v = log1pDD(add(dd(ax), div(x2, add(dd(1), sqrt(add(dd(1), x2))))));
  } else if (ax > 1e150) {
    v = add(logDD(dd(ax)), LN2); // + 1/(4x²) < 2^-1000
  } else {
    const inv = div(dd(1), dd(ax));
    v = add(logDD(dd(ax)), logDD(add(dd(1), sqrt(add(dd(1), mul(inv, inv))))));
  }
  return [sign * v[0], sign * v[1]];
}

export function acoshRef(x: number): DD {
  if (x < 2) {
    const t = sub(dd(x), dd(1));
    return log1pDD(add(t, sqrt(mul(t, add(t, dd(2))))));
  }
  if (x > 1e150) return add(logDD(dd(x)), LN2); // − 1/(4x²) < 2^-1000
  const inv = div(dd(1), dd(x));
  return add(logDD(dd(x)), logDD(add(dd(1), sqrt(sub(dd(1), mul(inv, inv))))));
}

export function atanhRef(x: number): DD {
  const ax = Math.abs(x);
  const sign = x < 0 ? -1 : 1;
  const v = mul(dd(0.5), log1pDD(div(dd(2 * ax), twoSum(1, -ax))));
  return [sign * v[0], sign * v[1]];
}

/**
 * The error of `result` in ulps of the exact value (hi + lo)·2^e (the ulp of the binade the exact
 * value lies in; 2^-1074 in the subnormal range). An infinite result is exact (0) when the exact
 * value rounds to infinity, else the error is Infinity; likewise NaN is never right here.
 */
export function ulpError(result: number, ref: DD | ScaledDD): number {
  const [hi, lo] = ref;
  const e = ref.length === 3 ? (ref as ScaledDD)[2] : 0;
  if (hi === 0) return result === 0 ? 0 : Infinity;
  const valueExponent = exponentOf(hi) + e;
  if (result === Infinity || result === -Infinity) {
    // Rounds to ±∞ when |value| ≥ 2^1024 − 2^970 = 2^1023·(2 − 2^-53).
    const headExponent = exponentOf(hi);
    const mantissa = Math.abs(ldexp(hi + lo, -headExponent));
    const overflows = valueExponent > 1023 || (valueExponent === 1023 && mantissa >= 2 - pow2(-53));
    return overflows && result > 0 === hi > 0 ? 0 : Infinity;
  }
  if (result !== result) return Infinity;
  const ulpExponent = Math.max(valueExponent, -1022) - 52;
  // (result·2^-e − hi − lo)·2^(e − ulpExponent), every step exact or far below an ulp.
  const shifted = ldexp(result, -e);
  const difference = shifted - hi - lo;
  return Math.abs(ldexp(difference, e - ulpExponent));
}

/** Distance in ulps (units in the last place of the larger) between two doubles of the same sign, 0 when identical. */
export function ulpsApart(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  if (a !== a || b !== b || !Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  if (a === b) return 0;
  const big = Math.max(Math.abs(a), Math.abs(b));
  const ulpExponent = Math.max(exponentOf(big), -1022) - 52;
  return ldexp(Math.abs(a - b), -ulpExponent);
}

/** A small seeded generator (Blackman and Vigna's xoshiro128**, 53-bit doubles in [0, 1)) so every run draws the same arguments. */
export function seededUniform(seed: number): () => number {
  let s0 = (seed * 2654435761) >>> 0 || 1;
  let s1 = (seed * 1597334677 + 12345) >>> 0 || 2;
  let s2 = 0x9e3779b9;
  let s3 = 0x7f4a7c15;
  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  return () => (next32() * 2097152 + (next32() >>> 11)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
