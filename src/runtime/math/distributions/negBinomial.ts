/** Negative binomial (shape alpha, inverse scale beta) generator; the density is a sum of terms (families/poisson.ts). */
import type { Rng } from "../../model";
import { checkPositiveFinite } from "../checks";
import { gammaDraw, poissonDraw } from "./rngSupport";

/** Gamma–Poisson mixture: Poisson(Gamma(alpha, rate beta)). */
export function neg_binomial_rng(rng: Rng, alpha: number, beta: number): number {
  const fn = "neg_binomial_rng";
  checkPositiveFinite(fn, "Shape parameter", alpha);
  checkPositiveFinite(fn, "Inverse scale parameter", beta);
  return poissonDraw(rng, gammaDraw(rng, alpha) / beta);
}
