/** Binary and count-out-of-N densities: bernoulli(_logit), binomial(_logit), beta_binomial, bernoulli_logit_glm. */
import { distribution, INTS, productWith, REALS, rngReturn } from "./helpers";

export const binomialFamily = [
  ...distribution({
    family: "binomial",
    name: "bernoulli",
    discrete: true,
    variate: INTS,
    params: [REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "binomial",
    name: "bernoulli_logit",
    discrete: true,
    variate: INTS,
    params: [REALS],
    rng: productWith(rngReturn("int"), REALS),
  }),
  // bernoulli_logit_glm(y | x, alpha, beta) = bernoulli_logit(y | alpha + x * beta)
  ...distribution({
    family: "binomial",
    name: "bernoulli_logit_glm",
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"]],
  }),
  ...distribution({
    family: "binomial",
    name: "binomial",
    discrete: true,
    variate: INTS,
    params: [INTS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), INTS, REALS),
  }),
  ...distribution({
    family: "binomial",
    name: "binomial_logit",
    discrete: true,
    variate: INTS,
    params: [INTS, REALS],
  }),
  ...distribution({
    family: "binomial",
    name: "beta_binomial",
    discrete: true,
    variate: INTS,
    params: [INTS, REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), INTS, REALS, REALS),
  }),
];
