/**
 * Defines one test per function: `count` seeded arguments over the function's ranges (cases.ts),
 * each result within the function's error bound of the double-double reference, and never more
 * than 1 ulp from Math's result unless Math itself is more than 1 ulp off there.
 */
import { expect, it } from "vitest";
import { DEFAULT_ERROR_BOUND, describeSweep, ERROR_BOUND, sweep } from "./accuracy";
import { CASES } from "./cases";

export function defineSweepTests(names: readonly string[], count: number, seed: number): void {
  for (const c of CASES.filter((candidate) => names.includes(candidate.name))) {
    it(`${c.name}: ${count} arguments within ${ERROR_BOUND[c.name] ?? DEFAULT_ERROR_BOUND} ulp`, () => {
      const result = sweep(count, seed, c.draw, c.f, c.reference, c.math);
      console.log(describeSweep(c.name, result));
      expect(result.maxUlp, `worst at (${result.worst.join(", ")})`).toBeLessThanOrEqual(
        ERROR_BOUND[c.name] ?? DEFAULT_ERROR_BOUND,
      );
      expect(result.unexplainedDisagreements.slice(0, 5)).toEqual([]);
    });
  }
}

export const ALL_FUNCTIONS = CASES.map((c) => c.name);
