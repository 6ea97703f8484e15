/**
 * Accuracy of the deterministic sin, cos and tan (fast tier): edge arguments plus 10^5 seeded random
 * arguments per function against the BigInt reference of trigReference.ts. The slow tier
 * (trig*.slow.test.ts) runs 10^6 per function.
 */
import { describe, expect, it } from "vitest";
import * as trig from "../../../src/runtime/math/elementary/trig";
import { describe as describeSweep, sweepUnary, unaryCase } from "./trigSweep";

const COUNT = 100_000;

describe("sin, cos, tan: special values as Math", () => {
  const specials = [NaN, Infinity, -Infinity, 0, -0];
  for (const name of ["sin", "cos", "tan"] as const) {
    it(name, () => {
      for (const x of specials)
        expect(Object.is(trig[name](x), Math[name](x)), `${name}(${x})`).toBe(true);
    });
  }
});

describe("sin, cos, tan: error ≤ 1 ulp against a high-precision reference, ≤ 1 ulp from Math where Math is within 1 ulp", () => {
  for (const name of ["sin", "cos", "tan"] as const) {
    it(name, () => {
      const result = sweepUnary(unaryCase(name), COUNT, 0x5eed + name.length);
      console.log(`${name}: ${describeSweep(result)}`);
      expect(result.maxError).toBeLessThanOrEqual(1);
      expect(result.maxFromBuiltin).toBeLessThanOrEqual(1);
    });
  }
});
