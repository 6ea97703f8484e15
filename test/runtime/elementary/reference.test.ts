/**
 * The double-double reference of the accuracy tests against mpmath (200-bit) values:
 * referenceValues.json comes from `python3 test/runtime/elementary/referenceValues.py` (Debian's
 * python3-mpmath 1.3.0). The reference must agree to 2^-95 relative, far below the 2^-53 of an ulp.
 */
import { describe, expect, it } from "vitest";
import values from "./referenceValues.json";
import {
  acoshRef,
  asinhRef,
  atanhRef,
  cbrtRef,
  coshRef,
  type DD,
  expm1Ref,
  expRef,
  hypotRef,
  log10Ref,
  log1pRef,
  log2Ref,
  logRef,
  ldexp,
  powRef,
  type ScaledDD,
  sinhRef,
  tanhRef,
} from "./reference";

const unary: Record<string, (x: number) => DD | ScaledDD> = {
  exp: expRef,
  expm1: expm1Ref,
  log: logRef,
  log1p: log1pRef,
  log2: log2Ref,
  log10: log10Ref,
  cbrt: cbrtRef,
  sinh: sinhRef,
  cosh: coshRef,
  tanh: tanhRef,
  asinh: asinhRef,
  acosh: acoshRef,
  atanh: atanhRef,
};
const binary: Record<string, (x: number, y: number) => DD | ScaledDD> = {
  pow: powRef,
  hypot: hypotRef,
};

/** |reference − exact| / |exact|, the reference unscaled (all values here are normal). */
function relativeDifference(ref: DD | ScaledDD, hi: number, lo: number): number {
  const e = ref.length === 3 ? (ref as ScaledDD)[2] : 0;
  const difference = ldexp(ref[0], e) - hi + (ldexp(ref[1], e) - lo);
  return Math.max(Math.abs(difference) - 2 * Number.MIN_VALUE, 0) / Math.abs(hi);
}

describe("the double-double reference agrees with mpmath", () => {
  const table = values as Record<string, number[][]>;
  for (const [name, f] of Object.entries(unary)) {
    it(name, () => {
      for (const [x, hi, lo] of table[name])
        expect(relativeDifference(f(x), hi, lo), `${name}(${x})`).toBeLessThan(2 ** -95);
    });
  }
  for (const [name, f] of Object.entries(binary)) {
    it(name, () => {
      for (const [x, y, hi, lo] of table[name])
        expect(relativeDifference(f(x, y), hi, lo), `${name}(${x}, ${y})`).toBeLessThan(2 ** -95);
    });
  }
});
