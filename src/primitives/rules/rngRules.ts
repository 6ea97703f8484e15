/**
 * Random number generators callable in generated quantities: runtime kernels
 * `name_rng(rng, …)` (src/runtime/math). `s` = scalar argument (vectorised elementwise when a
 * container is passed), `v` = a whole vector. No gradient: generated quantities are not
 * differentiated.
 */
export interface RngRule {
  readonly name: string;
  readonly args: readonly ("s" | "v")[];
  readonly intResult: boolean;
}

const list: RngRule[] = [
  { name: "normal_rng", args: ["s", "s"], intResult: false },
  { name: "std_normal_rng", args: [], intResult: false },
  { name: "student_t_rng", args: ["s", "s", "s"], intResult: false },
  { name: "cauchy_rng", args: ["s", "s"], intResult: false },
  { name: "double_exponential_rng", args: ["s", "s"], intResult: false },
  { name: "logistic_rng", args: ["s", "s"], intResult: false },
  { name: "lognormal_rng", args: ["s", "s"], intResult: false },
  { name: "chi_square_rng", args: ["s"], intResult: false },
  { name: "exponential_rng", args: ["s"], intResult: false },
  { name: "gamma_rng", args: ["s", "s"], intResult: false },
  { name: "inv_gamma_rng", args: ["s", "s"], intResult: false },
  { name: "weibull_rng", args: ["s", "s"], intResult: false },
  { name: "beta_rng", args: ["s", "s"], intResult: false },
  { name: "uniform_rng", args: ["s", "s"], intResult: false },
  { name: "bernoulli_rng", args: ["s"], intResult: true },
  { name: "bernoulli_logit_rng", args: ["s"], intResult: true },
  { name: "binomial_rng", args: ["s", "s"], intResult: true },
  { name: "poisson_rng", args: ["s"], intResult: true },
  { name: "poisson_log_rng", args: ["s"], intResult: true },
  { name: "neg_binomial_2_rng", args: ["s", "s"], intResult: true },
  { name: "neg_binomial_2_log_rng", args: ["s", "s"], intResult: true },
  { name: "categorical_rng", args: ["v"], intResult: true },
  { name: "categorical_logit_rng", args: ["v"], intResult: true },
  { name: "ordered_logistic_rng", args: ["s", "v"], intResult: true },
];

export const RNG_RULES: ReadonlyMap<string, RngRule> = new Map(list.map((r) => [r.name, r]));
