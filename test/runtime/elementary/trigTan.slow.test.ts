/**
 * Slow tier of the trig accuracy tests: 10^6 seeded arguments per function (other seeds than the
 * fast tier's trigDirect/trigInverse tests) against the BigInt reference; error ≤ 1 ulp and at
 * most 1 ulp from Math wherever Math itself is within 1 ulp. The summary line each test prints
 * gives the measured maximum and the share of correctly rounded results.
 */
import { describe, expect, it } from "vitest";
import { describe as describeSweep, sweepUnary, unaryCase } from "./trigSweep";

const COUNT = 1_000_000;

describe("tan: 10^6 arguments each", () => {
  for (const name of ["tan"] as const) {
    it(name, () => {
      const result = sweepUnary(
        unaryCase(name),
        COUNT,
        0x51_0000 + name.charCodeAt(0) * 7 + name.length,
      );
      console.log(`${name}: ${describeSweep(result)}`);
      expect(result.maxError).toBeLessThanOrEqual(1);
      expect(result.maxFromBuiltin).toBeLessThanOrEqual(1);
    });
  }
});
