/** Count densities: poisson(_log), negative binomials, and their GLM forms. */
import { distribution, INTS, productWith, REALS, rngReturn } from "./helpers";

export const poissonFamily = [
  ...distribution({
    family: "poisson",
    name: "poisson",
    discrete: true,
    variate: INTS,
    params: [REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "poisson_log",
    discrete: true,
    variate: INTS,
    params: [REALS],
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "poisson_log_glm",
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"]],
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial",
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2",
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2_log",
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2_log_glm",
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"], ["real"]],
  }),
];
