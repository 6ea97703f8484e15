/** Count densities: poisson(_log), negative binomials, and their GLM forms. */
import { distribution, INTS, productWith, REALS, rngReturn, scalarRng } from "./helpers";
import { withTestDomains } from "./helpers";
import type { DensityRule, Primitive } from "../primitive";
import { negBinomial2Cdfs, negBinomialCdfs, poissonCdfs } from "./cdfRules";

const poisson_lpmf: DensityRule = {
  argNames: ["Random variable", "Rate parameter"],
  intArgs: [0],
  checks: [
    [0, "nonnegative"],
    [1, "nonnegative"],
  ],
  terms: [
    { deps: [], f: (b, [n]) => b.neg(b.call("lgamma", b.add(n, b.num(1)))) },
    { deps: [1], f: (b, [n, l]) => b.sub(b.ifElse(b.cmp("==", n, b.num(0)), b.num(0), b.mul(n, b.call("log", l))), l) },
  ],
  math: "poisson_lpmf(n | lambda) = Σ n log lambda − lambda − log n!",
};
const poisson_log_lpmf: DensityRule = {
  argNames: ["Random variable", "Log rate parameter"],
  intArgs: [0],
  checks: [
    [0, "nonnegative"],
    [1, "not_nan"],
  ],
  terms: [
    { deps: [], f: (b, [n]) => b.neg(b.call("lgamma", b.add(n, b.num(1)))) },
    { deps: [1], f: (b, [n, a]) => b.sub(b.mul(n, a), b.call("exp", a)) },
  ],
  math: "poisson_log_lpmf(n | alpha) = Σ n alpha − exp(alpha) − log n!",
};
const neg_binomial_2_lpmf: DensityRule = {
  argNames: ["Failures variable", "Location parameter", "Precision parameter"],
  intArgs: [0],
  checks: [
    [0, "nonnegative"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  terms: [
    // log C(n + phi − 1, n) = lΓ(n + phi) − lΓ(phi) − lΓ(n + 1); the last part is data only
    { deps: [], f: (b, [n]) => b.neg(b.call("lgamma", b.add(n, b.num(1)))) },
    { deps: [2], f: (b, [n, , phi]) => b.sub(b.call("lgamma", b.add(n, phi)), b.call("lgamma", phi)) },
    { deps: [1], f: (b, [n, mu]) => b.ifElse(b.cmp("==", n, b.num(0)), b.num(0), b.mul(n, b.call("log", mu))) },
    { deps: [1, 2], f: (b, [n, mu, phi]) => b.sub(b.mul(phi, b.call("log", phi)), b.mul(b.add(n, phi), b.call("log", b.add(mu, phi)))) },
  ],
  math: "neg_binomial_2_lpmf(n | mu, phi) = Σ log C(n + phi − 1, n) + n log mu + phi log phi − (n + phi) log(mu + phi)",
};
const neg_binomial_2_log_lpmf: DensityRule = {
  argNames: ["Failures variable", "Log location parameter", "Precision parameter"],
  intArgs: [0],
  checks: [
    [0, "nonnegative"],
    [1, "finite"],
    [2, "positive_finite"],
  ],
  terms: [
    // log C(n + phi − 1, n) = lΓ(n + phi) − lΓ(phi) − lΓ(n + 1); the last part is data only
    { deps: [], f: (b, [n]) => b.neg(b.call("lgamma", b.add(n, b.num(1)))) },
    { deps: [2], f: (b, [n, , phi]) => b.sub(b.call("lgamma", b.add(n, phi)), b.call("lgamma", phi)) },
    { deps: [1], f: (b, [n, eta]) => b.mul(n, eta) },
    { deps: [1, 2], f: (b, [n, eta, phi]) => b.sub(b.mul(phi, b.call("log", phi)), b.mul(b.add(n, phi), b.call("log_sum_exp", eta, b.call("log", phi)))) },
  ],
  math: "neg_binomial_2_log_lpmf(n | eta, phi) = Σ log C(n + phi − 1, n) + n eta + phi log phi − (n + phi) log(e^eta + phi)",
};

const neg_binomial_lpmf: DensityRule = {
  argNames: ["Failures variable", "Shape parameter", "Inverse scale parameter"],
  intArgs: [0],
  checks: [
    [0, "nonnegative"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  terms: [
    // log C(n + alpha − 1, n) = lΓ(n + alpha) − lΓ(alpha) − lΓ(n + 1); the last part is data only
    { deps: [], f: (b, [n]) => b.neg(b.call("lgamma", b.add(n, b.num(1)))) },
    { deps: [1], f: (b, [n, a]) => b.sub(b.call("lgamma", b.add(n, a)), b.call("lgamma", a)) },
    { deps: [1, 2], f: (b, [, a, be]) => b.mul(a, b.sub(b.call("log", be), b.call("log1p", be))) },
    { deps: [2], f: (b, [n, , be]) => b.neg(b.mul(n, b.call("log1p", be))) },
  ],
  math: "neg_binomial_lpmf(n | alpha, beta) = Σ log C(n + alpha − 1, n) + alpha log(beta / (1 + beta)) − n log(1 + beta)",
};

const poissonFamilyEntries: Primitive[] = [
  ...distribution({
    family: "poisson",
    name: "poisson",
    lower: { density: { density: poisson_lpmf }, cdf: poissonCdfs.cdf, lcdf: poissonCdfs.lcdf, lccdf: poissonCdfs.lccdf, rng: scalarRng(1, true) },
    discrete: true,
    variate: INTS,
    params: [REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "poisson_log",
    lower: { density: { density: poisson_log_lpmf }, rng: scalarRng(1, true) },
    discrete: true,
    variate: INTS,
    params: [REALS],
    rng: productWith(rngReturn("int"), REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "poisson_log_glm",
    lower: { density: { glm: { of: "poisson_log_lpmf" } } },
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"]],
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial",
    lower: { density: { density: neg_binomial_lpmf }, cdf: negBinomialCdfs.cdf, lcdf: negBinomialCdfs.lcdf, lccdf: negBinomialCdfs.lccdf, rng: scalarRng(2, true) },
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2",
    lower: { density: { density: neg_binomial_2_lpmf }, cdf: negBinomial2Cdfs.cdf, lcdf: negBinomial2Cdfs.lcdf, lccdf: negBinomial2Cdfs.lccdf, rng: scalarRng(2, true) },
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    cdfs: true,
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2_log",
    lower: { density: { density: neg_binomial_2_log_lpmf }, rng: scalarRng(2, true) },
    discrete: true,
    variate: INTS,
    params: [REALS, REALS],
    rng: productWith(rngReturn("int"), REALS, REALS),
  }),
  ...distribution({
    family: "poisson",
    name: "neg_binomial_2_log_glm",
    lower: { density: { glm: { of: "neg_binomial_2_log_lpmf" } } },
    discrete: true,
    variate: INTS,
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"], ["real"]],
  }),
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const poissonFamily: Primitive[] = withTestDomains(poissonFamilyEntries, {
  poisson_log_glm_lpmf: [[0, 4], [-1, 1], [-1, 1], [-1, 1]],
  poisson_log_glm_lupmf: [[0, 4], [-1, 1], [-1, 1], [-1, 1]],
  neg_binomial_2_log_glm_lpmf: [[0, 4], [-1, 1], [-1, 1], [-1, 1], [0.1, 20]],
  neg_binomial_2_log_glm_lupmf: [[0, 4], [-1, 1], [-1, 1], [-1, 1], [0.1, 20]],
});
