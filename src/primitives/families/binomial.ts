/** Binary and count-out-of-N densities: bernoulli(_logit), binomial(_logit), beta_binomial, bernoulli_logit_glm. */
import { distribution, INTS, productWith, REALS, rngReturn, scalarRng } from "./helpers";
import { withTestDomains } from "./helpers";
import type { DensityRule, ExprBuilder, KernelRule, Primitive } from "../primitive";
import { betaBinomialCdfs, binomialCdfs } from "./cdfRules";

const bernoulli_lpmf: DensityRule = {
  argNames: ["n", "Probability parameter"],
  intArgs: [0],
  checks: [[1, "probability"]],
  terms: [{ deps: [1], f: (b, [n, p]) => b.ifElse(b.cmp("==", n, b.num(1)), b.call("log", p), b.call("log1m", p)) }],
  math: "bernoulli_lpmf(n | theta) = Σ log theta if n = 1, log(1 − theta) if n = 0",
};
const bernoulli_logit_lpmf: DensityRule = {
  argNames: ["n", "Logit transformed probability parameter"],
  intArgs: [0],
  checks: [[1, "not_nan"]],
  terms: [{ deps: [1], f: (b, [n, a]) => b.ifElse(b.cmp("==", n, b.num(1)), b.call("log_inv_logit", a), b.call("log1m_inv_logit", a)) }],
  math: "bernoulli_logit_lpmf(n | alpha) = Σ log logit⁻¹(alpha) if n = 1, log(1 − logit⁻¹(alpha)) if n = 0",
};
const binomial_lpmf: DensityRule = {
  argNames: ["Successes variable", "Population size parameter", "Probability parameter"],
  intArgs: [0, 1],
  checks: [
    [0, "nonnegative"],
    [1, "nonnegative"],
    [2, "probability"],
  ],
  terms: [
    { deps: [], f: (b, [n, N]) => b.call("lchoose", N, n) },
    {
      deps: [2],
      f: (b, [n, N, p]) =>
        b.add(
          b.ifElse(b.cmp("==", n, b.num(0)), b.num(0), b.mul(n, b.call("log", p))),
          b.ifElse(b.cmp("==", N, n), b.num(0), b.mul(b.sub(N, n), b.call("log1m", p))),
        ),
    },
  ],
  math: "binomial_lpmf(n | N, theta) = Σ log C(N, n) + n log theta + (N − n) log(1 − theta)",
};
const binomial_logit_lpmf: DensityRule = {
  argNames: ["Successes variable", "Population size parameter", "Probability parameter"],
  intArgs: [0, 1],
  checks: [
    [0, "nonnegative"],
    [1, "nonnegative"],
    [2, "finite"],
  ],
  terms: [
    { deps: [], f: (b, [n, N]) => b.call("lchoose", N, n) },
    { deps: [2], f: (b, [n, N, a]) => b.add(b.mul(n, b.call("log_inv_logit", a)), b.mul(b.sub(N, n), b.call("log1m_inv_logit", a))) },
  ],
  math: "binomial_logit_lpmf(n | N, alpha) = Σ log C(N, n) + n log logit⁻¹(alpha) + (N − n) log(1 − logit⁻¹(alpha))",
};

/** n outside 0..N has probability 0 (Stan returns log 0 rather than rejecting). */
const outsideSupport = <T>(b: ExprBuilder<T>, n: T, N: T): T => b.or(b.cmp("<", n, b.num(0)), b.cmp(">", n, N));
const beta_binomial_lpmf: DensityRule = {
  argNames: ["Successes variable", "Population size parameter", "First prior sample size parameter", "Second prior sample size parameter"],
  intArgs: [0, 1],
  checks: [
    [1, "nonnegative"],
    [2, "positive_finite"],
    [3, "positive_finite"],
  ],
  terms: [
    { deps: [], f: (b, [n, N]) => b.ifElse(outsideSupport(b, n, N), b.num(0), b.call("lchoose", N, n)) },
    {
      deps: [2, 3],
      f: (b, [n, N, a, c]) =>
        b.ifElse(outsideSupport(b, n, N), b.num(-Infinity), b.sub(b.call("lbeta", b.add(n, a), b.add(b.sub(N, n), c)), b.call("lbeta", a, c))),
    },
  ],
  math: "beta_binomial_lpmf(n | N, alpha, beta) = Σ log C(N, n) + log B(n + alpha, N − n + beta) − log B(alpha, beta) (−∞ outside 0 ≤ n ≤ N)",
};

/** bernoulli_cdf / _lcdf / _lccdf: runtime kernels (bernoulliCdf.ts). */
function bernoulliCdfKernel(partial: string): KernelRule {
  return { args: ["int", "real"], propto: false, noPartials: [0], partials: ["(integer outcome)", partial] };
}

const binomialFamilyEntries: Primitive[] = [
  ...distribution({
    family: "binomial",
    name: "bernoulli",
    lower: {
      density: { density: bernoulli_lpmf },
      cdf: { kernel: bernoulliCdfKernel("∂/∂theta_i = −Π_{j≠i, n_j = 0} (1 − theta_j) where n_i = 0") },
      lcdf: { kernel: bernoulliCdfKernel("∂/∂theta_i = −1 / (1 − theta_i) where n_i = 0") },
      lccdf: { kernel: bernoulliCdfKernel("∂/∂theta_i = 1 / theta_i where n_i = 0") },
      rng: scalarRng(1, true),
    },
    discrete: true,
    variate: INTS,
    params: [REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "binomial",
    name: "bernoulli_logit",
    lower: { density: { density: bernoulli_logit_lpmf }, rng: scalarRng(1, true) },
    discrete: true,
    variate: INTS,
    params: [REALS],
    rng: productWith(rngReturn("int"), REALS),
  }),
  // bernoulli_logit_glm(y | x, alpha, beta) = bernoulli_logit(y | alpha + x * beta)
  ...distribution({
    family: "binomial",
    name: "bernoulli_logit_glm",
    lower: { density: { glm: { of: "bernoulli_logit_lpmf" } } },
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"]],
  }),
  ...distribution({
    family: "binomial",
    name: "binomial",
    lower: { density: { density: binomial_lpmf }, cdf: binomialCdfs.cdf, lcdf: binomialCdfs.lcdf, lccdf: binomialCdfs.lccdf, rng: scalarRng(2, true) },
    discrete: true,
    variate: INTS,
    params: [INTS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), INTS, REALS),
  }),
  ...distribution({
    family: "binomial",
    name: "binomial_logit",
    lower: { density: { density: binomial_logit_lpmf } },
    discrete: true,
    variate: INTS,
    params: [INTS, REALS],
  }),
  ...distribution({
    family: "binomial",
    name: "beta_binomial",
    lower: { density: { density: beta_binomial_lpmf }, rng: scalarRng(3, true), cdf: betaBinomialCdfs.cdf, lcdf: betaBinomialCdfs.lcdf, lccdf: betaBinomialCdfs.lccdf },
    discrete: true,
    variate: INTS,
    params: [INTS, REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), INTS, REALS, REALS),
  }),
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const binomialFamily: Primitive[] = withTestDomains(binomialFamilyEntries, {
  beta_binomial_lpmf: [[0, 2], [3, 6], [0.5, 3], [0.5, 3]],
  beta_binomial_lupmf: [[0, 2], [3, 6], [0.5, 3], [0.5, 3]],
  beta_binomial_cdf: [[0, 2], [3, 6], [0.5, 3], [0.5, 3]],
  beta_binomial_lcdf: [[0, 2], [3, 6], [0.5, 3], [0.5, 3]],
  beta_binomial_lccdf: [[0, 2], [3, 6], [0.5, 3], [0.5, 3]],
  beta_binomial_rng: [[3, 6], [0.5, 3], [0.5, 3]],
  bernoulli_lccdf: [[0, 0], [0.05, 0.95]],
  binomial_lccdf: [[0, 1], [3, 5], [0.05, 0.95]],
  bernoulli_lpmf: [[0, 1]],
  bernoulli_lupmf: [[0, 1]],
  bernoulli_cdf: [[0, 1]],
  bernoulli_lcdf: [[0, 1]],
  bernoulli_rng: [],
  bernoulli_logit_lpmf: [[0, 1]],
  bernoulli_logit_lupmf: [[0, 1]],
  bernoulli_logit_rng: [],
  bernoulli_logit_glm_lpmf: [[0, 1], [-1, 1], [-1, 1], [-1, 1]],
  bernoulli_logit_glm_lupmf: [[0, 1], [-1, 1], [-1, 1], [-1, 1]],
  binomial_lpmf: [[0, 2], [2, 5]],
  binomial_lupmf: [[0, 2], [2, 5]],
  binomial_cdf: [[0, 2], [2, 5]],
  binomial_lcdf: [[0, 2], [2, 5]],
  binomial_rng: [[2, 5]],
  binomial_logit_lpmf: [[0, 2], [2, 5]],
  binomial_logit_lupmf: [[0, 2], [2, 5]],
});
