/** Slow tier of the trig accuracy tests for tan: see trigSlowTier.ts. */
import { slowTierSweeps } from "./trigSlowTier";

slowTierSweeps(["tan"]);
