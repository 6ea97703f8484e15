/** Slow tier of the trig accuracy tests for asin and acos: see trigSlowTier.ts. */
import { slowTierSweeps } from "./trigSlowTier";

slowTierSweeps(["asin", "acos"]);
