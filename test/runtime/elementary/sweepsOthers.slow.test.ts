/** Accuracy, slow tier (second half of the functions): 10^6 seeded arguments each; see sweeps.test.ts. */
import { describe } from "vitest";
import { defineSweepTests } from "./sweepTests";

describe("cbrt, hypot and the hyperbolic functions, 10^6 arguments each", () => {
  defineSweepTests(
    ["cbrt", "hypot", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh"],
    1_000_000,
    2,
  );
});
