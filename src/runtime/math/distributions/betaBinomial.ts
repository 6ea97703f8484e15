/** Beta-binomial generator (the density is a sum of terms, src/primitives/families/binomial.ts). */
import type { Rng } from "../../model";
import { checkNonnegative, checkPositiveFinite } from "../checks";
import { binomialDraw, gammaDraw } from "./rngSupport";

/** A binomial draw whose success probability is a Beta(alpha, beta) draw. */
export function beta_binomial_rng(rng: Rng, N: number, alpha: number, beta: number): number {
  const fn = "beta_binomial_rng";
  checkNonnegative(fn, "Population size parameter", N);
  checkPositiveFinite(fn, "First prior sample size parameter", alpha);
  checkPositiveFinite(fn, "Second prior sample size parameter", beta);
  const x = gammaDraw(rng, alpha);
  const p = x / (x + gammaDraw(rng, beta));
  return binomialDraw(rng, N, p);
}
