/**
 * Cube root in plain double arithmetic. The argument is reduced to w ∈ [1, 8) with
 * x = 2^(3q)·w; a first guess comes from dividing the exponent field by three (Kahan's bit trick
 * for cube roots), two Halley steps (cubic convergence) and one Newton step bring it within a few
 * ulps, and a last correction computes the residual y³ − w exactly (Dekker products), so the result
 * is rounded once from a value accurate to about 2^-100 (error ≤ 0.5 ulp + 2^-40 ulp).
 */
import { f64, fromWords, HI, LO, productError, u32 } from "./bits";

const TWO_POW_54 = 18014398509481984;
/** Two thirds of the exponent bias, shifted to the exponent field: hiword(y) ≈ hiword(w)/3 + this. */
const CUBE_ROOT_BIAS = 715128832;

/** ∛x; ±0, ±∞ and NaN are returned unchanged. */
export function cbrt(x: number): number {
  const ax = Math.abs(x);
  if (x === 0 || !(ax < Infinity)) return x;
  f64[0] = ax;
  let exponent = -1023;
  if (u32[HI] < 0x00100000) {
    f64[0] = ax * TWO_POW_54;
    exponent -= 54;
  }
  const high = u32[HI];
  exponent += high >>> 20;
  // exponent = 3q + r, r ∈ {0, 1, 2}; w = fraction · 2^r ∈ [1, 8).
  const q = Math.floor(exponent / 3);
  const r = exponent - 3 * q;
  u32[HI] = ((1023 + r) << 20) | (high & 0x000fffff);
  const w = f64[0];
  let y = fromWords(Math.floor(u32Of(w) / 3) + CUBE_ROOT_BIAS, 0);
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
  u32[HI] = (q + 1023) << 20;
  u32[LO] = 0;
  const result = y * f64[0];
  return x < 0 ? -result : result;
}

function u32Of(w: number): number {
  f64[0] = w;
  return u32[HI];
}
