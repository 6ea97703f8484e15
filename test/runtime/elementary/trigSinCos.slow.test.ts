/** Slow tier of the trig accuracy tests for sin and cos: see trigSlowTier.ts. */
import { slowTierSweeps } from "./trigSlowTier";

slowTierSweeps(["sin", "cos"]);
