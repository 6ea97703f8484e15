/**
 * Accuracy of the deterministic elementary functions, fast tier: 10^5 seeded arguments per function
 * against the double-double reference (reference.ts, itself checked against mpmath). The slow tier
 * (sweeps*.slow.test.ts) runs 10^6 per function with another seed.
 */
import { describe } from "vitest";
import { ALL_FUNCTIONS, defineSweepTests } from "./sweepTests";

describe("elementary functions, 10^5 arguments each", () => {
  defineSweepTests(ALL_FUNCTIONS, 100_000, 1);
});
