/** Accuracy, slow tier (first half of the functions): 10^6 seeded arguments each; see sweeps.test.ts. */
import { describe } from "vitest";
import { defineSweepTests } from "./sweepTests";

describe("exp/log family, 10^6 arguments each", () => {
  defineSweepTests(["exp", "expm1", "log", "log1p", "log2", "log10", "pow"], 1_000_000, 2);
});
