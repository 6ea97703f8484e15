/** Distributional parameters shared by several families: links, bounds and brms 2.18's default priors (`def_dprior`). */
import type { DparSpec } from "./family";

export const sigma: DparSpec = { name: "sigma", links: ["log", "identity", "softplus"], lb: "0" };
export const shape: DparSpec = { name: "shape", links: ["log", "identity", "softplus"], lb: "0", scalarPrior: "gamma(0.01, 0.01)", interceptPrior: "student_t(3, 0, 2.5)" };
export const nu: DparSpec = { name: "nu", links: ["logm1", "identity"], lb: "1", scalarPrior: "gamma(2, 0.1)", interceptPrior: "normal(2.7, 0.8)" };
export const phi: DparSpec = { name: "phi", links: ["log", "identity", "softplus"], lb: "0", scalarPrior: "gamma(0.01, 0.01)", interceptPrior: "student_t(3, 0, 2.5)" };
export const beta: DparSpec = { name: "beta", links: ["log", "identity", "softplus"], lb: "0", scalarPrior: "gamma(1, 0.1)", interceptPrior: "normal(1.7, 1.3)" };
export const alpha: DparSpec = { name: "alpha", links: ["identity"], scalarPrior: "normal(0, 4)", interceptPrior: "normal(0, 4)" };
// With a formula and a non-identity link brms 2.18 gives ndt's intercept no prior (def_dprior has no entry).
export const ndt: DparSpec = { name: "ndt", links: ["log", "identity", "softplus"], lb: "0", ub: "min_Y", scalarPrior: "uniform(0, min_Y)", interceptPrior: "" };

export const zeroDpar = (name: string): DparSpec => ({
  name,
  links: ["logit", "identity", "probit", "cloglog"],
  lb: "0",
  ub: "1",
  scalarPrior: "beta(1, 1)",
  interceptPrior: "logistic(0, 1)",
});
