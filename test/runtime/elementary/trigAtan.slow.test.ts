/** Slow tier of the trig accuracy tests for atan and atan2: see trigSlowTier.ts. */
import { it } from "vitest";
import { describe as describeSweep, sweepAtan2 } from "./trigSweep";
import { expectWithinOneUlp, SLOW_COUNT, slowTierSweeps } from "./trigSlowTier";

slowTierSweeps(["atan"], () => {
  it("atan2", () => {
    const result = sweepAtan2(SLOW_COUNT, 0x51_0a7a2);
    console.log(`atan2: ${describeSweep(result)}`);
    expectWithinOneUlp(result);
  });
});
