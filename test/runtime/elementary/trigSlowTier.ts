/**
 * The slow tier's test of a unary trig function, shared by the trig*.slow.test.ts files (one file
 * per group so the two test workers share them): 10^6 seeded arguments (other seeds than the fast
 * tier's) against the BigInt reference; error ≤ 1 ulp and at most 1 ulp from Math wherever Math
 * itself is within 1 ulp. The summary line each test prints gives the measured maximum and the
 * share of correctly rounded results.
 */
import { describe, expect, it } from "vitest";
import { describe as describeSweep, sweepUnary, unaryCase, type SweepResult, type UnaryCase } from "./trigSweep";

export const SLOW_COUNT = 1_000_000;

/** The bounds every sweep must meet. */
export function expectWithinOneUlp(result: SweepResult): void {
  expect(result.maxError).toBeLessThanOrEqual(1);
  expect(result.maxFromBuiltin).toBeLessThanOrEqual(1);
}

/** A describe block with one 10^6-argument sweep per function; `extra` adds tests to it. */
export function slowTierSweeps(names: readonly UnaryCase["name"][], extra?: () => void): void {
  describe(`${names.join(", ")}: 10^6 arguments each`, () => {
    for (const name of names) {
      it(name, () => {
        const result = sweepUnary(unaryCase(name), SLOW_COUNT, 0x51_0000 + name.charCodeAt(0) * 7 + name.length);
        console.log(`${name}: ${describeSweep(result)}`);
        expectWithinOneUlp(result);
      });
    }
    extra?.();
  });
}
