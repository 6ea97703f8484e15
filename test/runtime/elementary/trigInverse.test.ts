/**
 * Accuracy of the deterministic asin, acos, atan and atan2 (fast tier): special values as Math,
 * then edge arguments plus 10^5 seeded random arguments per function against the BigInt reference
 * of trigReference.ts. The slow tier (trig*.slow.test.ts) runs 10^6 per function.
 */
import { describe, expect, it } from "vitest";
import * as trig from "../../../src/runtime/math/elementary/trig";
import { describe as describeSweep, sweepAtan2, sweepUnary, unaryCase } from "./trigSweep";

const COUNT = 100_000;

describe("asin, acos, atan, atan2: special values as Math", () => {
  it("asin, acos outside [−1, 1], at ±0, ±1, NaN", () => {
    const specials = [
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      1,
      -1,
      1.0000000000000002,
      -1.0000000000000002,
      2,
      -3,
    ];
    for (const name of ["asin", "acos"] as const) {
      for (const x of specials)
        expect(Object.is(trig[name](x), Math[name](x)), `${name}(${x})`).toBe(true);
    }
  });
  it("atan at ±0, ±∞, NaN", () => {
    for (const x of [NaN, Infinity, -Infinity, 0, -0])
      expect(Object.is(trig.atan(x), Math.atan(x)), `atan(${x})`).toBe(true);
  });
  it("atan2 over zeros, infinities, NaN and finite values of both signs", () => {
    const values = [NaN, Infinity, -Infinity, 0, -0, 1, -1, Number.MIN_VALUE, -Number.MAX_VALUE];
    for (const y of values) {
      for (const x of values) {
        expect(Object.is(trig.atan2(y, x), Math.atan2(y, x)), `atan2(${y}, ${x})`).toBe(true);
      }
    }
  });
});

describe("asin, acos, atan, atan2: error ≤ 1 ulp against a high-precision reference, ≤ 1 ulp from Math where Math is within 1 ulp", () => {
  for (const name of ["asin", "acos", "atan"] as const) {
    it(name, () => {
      const result = sweepUnary(unaryCase(name), COUNT, 0xa5c + name.length);
      console.log(`${name}: ${describeSweep(result)}`);
      expect(result.maxError).toBeLessThanOrEqual(1);
      expect(result.maxFromBuiltin).toBeLessThanOrEqual(1);
    });
  }
  it("atan2", () => {
    const result = sweepAtan2(COUNT, 0xa7a2);
    console.log(`atan2: ${describeSweep(result)}`);
    expect(result.maxError).toBeLessThanOrEqual(1);
    expect(result.maxFromBuiltin).toBeLessThanOrEqual(1);
  });
});
