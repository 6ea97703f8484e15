/** Densities on (0, ∞): exponential, gamma, inverse gamma, Weibull, chi-square family, Fréchet, Rayleigh, Pareto. */
import { realsDistribution, scalarRng, withTestDomain } from "./helpers";
import { withTestDomains } from "./helpers";
import type { DensityRule, DensityTerm, KernelRule, Primitive } from "../primitive";
import { cdfFromLcdf, cdfsFromTerms } from "../expansions/cdf";
import { chiSquareCdfs, gammaCdfs, invChiSquareCdfs, invGammaCdfs, scaledInvChiSquareCdfs } from "./cdfRules";

const LOG_TWO = Math.LN2;

const exponential_lpdf: DensityRule = {
  argNames: ["Random variable", "Inverse scale parameter"],
  checks: [
    [0, "nonnegative"],
    [1, "positive_finite"],
  ],
  terms: [
    { deps: [1], f: (b, [, beta]) => b.call("log", beta) },
    { deps: [0, 1], f: (b, [y, beta]) => b.neg(b.mul(beta, y)) },
  ],
  math: "exponential_lpdf(y | beta) = Σ log beta − beta y",
};
const gamma_lpdf: DensityRule = {
  argNames: ["Random variable", "Shape parameter", "Inverse scale parameter"],
  checks: [
    [0, "nonnegative"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [1], f: (b, [, a]) => b.neg(b.call("lgamma", a)) },
    { deps: [1, 2], f: (b, [, a, beta]) => b.mul(a, b.call("log", beta)) },
    { deps: [0, 1], f: (b, [y, a]) => b.mul(b.sub(a, b.num(1)), b.call("log", y)) },
    { deps: [0, 2], f: (b, [y, , beta]) => b.neg(b.mul(beta, y)) },
  ],
  math: "gamma_lpdf(y | alpha, beta) = Σ −lΓ(alpha) + alpha log beta + (alpha − 1) log y − beta y",
};
const inv_gamma_lpdf: DensityRule = {
  argNames: ["Random variable", "Shape parameter", "Scale parameter"],
  checks: [
    [0, "not_nan"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [1], f: (b, [, a]) => b.neg(b.call("lgamma", a)) },
    { deps: [1, 2], f: (b, [, a, beta]) => b.mul(a, b.call("log", beta)) },
    { deps: [0, 1], f: (b, [y, a]) => b.neg(b.mul(b.add(a, b.num(1)), b.call("log", y))) },
    { deps: [0, 2], f: (b, [y, , beta]) => b.neg(b.div(beta, y)) },
  ],
  math: "inv_gamma_lpdf(y | alpha, beta) = Σ −lΓ(alpha) + alpha log beta − (alpha + 1) log y − beta / y",
};
const exponential_lcdf_kernel: KernelRule = {
  args: ["real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − e^(−beta y)) = beta e^(−beta y) / (1 − e^(−beta y))", "∂/∂beta = y e^(−beta y) / (1 − e^(−beta y))"],
};
const exponential_lccdf_kernel: KernelRule = {
  args: ["real", "real"],
  propto: false,
  partials: ["∂/∂y (−beta y) = −beta", "∂/∂beta (−beta y) = −y"],
};

const SHAPE_SCALE_NAMES = ["Random variable", "Shape parameter", "Scale parameter"];
const POSITIVE_PARAMS: DensityRule["checks"] = [
  [1, "positive_finite"],
  [2, "positive_finite"],
];

// Stan's weibull_lpdf takes any finite y and is −∞ below 0 (the log y and power terms then say so).
const weibull_lpdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: [[0, "finite"], ...POSITIVE_PARAMS],
  terms: [
    { deps: [1], f: (b, [, alpha]) => b.call("log", alpha) },
    { deps: [0, 1], f: (b, [y, alpha]) => b.ifElse(b.cmp("<", y, b.num(0)), b.num(-Infinity), b.mul(b.sub(alpha, b.num(1)), b.call("log", y))) },
    { deps: [1, 2], f: (b, [, alpha, sigma]) => b.neg(b.mul(alpha, b.call("log", sigma))) },
    // (y/sigma)^alpha as exp(alpha (log y − log sigma)): log y of data is computed once, not per gradient
    {
      deps: [0, 1, 2],
      f: (b, [y, alpha, sigma]) => b.ifElse(b.cmp("<", y, b.num(0)), b.num(0), b.neg(b.call("exp", b.mul(alpha, b.sub(b.call("log", y), b.call("log", sigma)))))),
    },
  ],
  math: "weibull_lpdf(y | alpha, sigma) = Σ log alpha + (alpha − 1) log y − alpha log sigma − (y/sigma)^alpha (−∞ for y < 0)",
};
const WEIBULL_CDF_CHECKS: DensityRule["checks"] = [[0, "nonnegative"], ...POSITIVE_PARAMS];
const weibull_lcdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: WEIBULL_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, alpha, sigma]) => b.call("log1m_exp", b.neg(b.call("pow", b.div(y, sigma), alpha))) }],
  math: "weibull_lcdf(y | alpha, sigma) = Σ log(1 − exp(−(y/sigma)^alpha))",
};
const weibull_lccdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: WEIBULL_CDF_CHECKS,
  // at y = 0 the power's alpha-partial would be 0 · log 0 (truncation T[0, ] reads this value)
  terms: [{ deps: [0, 1, 2], f: (b, [y, alpha, sigma]) => b.ifElse(b.cmp("==", y, b.num(0)), b.num(0), b.neg(b.call("pow", b.div(y, sigma), alpha))) }],
  math: "weibull_lccdf(y | alpha, sigma) = Σ −(y/sigma)^alpha",
};

const FRECHET_CHECKS: DensityRule["checks"] = [[0, "positive"], ...POSITIVE_PARAMS];
const frechet_lpdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: FRECHET_CHECKS,
  terms: [
    { deps: [1], f: (b, [, alpha]) => b.call("log", alpha) },
    { deps: [1, 2], f: (b, [, alpha, sigma]) => b.mul(alpha, b.call("log", sigma)) },
    { deps: [0, 1], f: (b, [y, alpha]) => b.neg(b.mul(b.add(alpha, b.num(1)), b.call("log", y))) },
    { deps: [0, 1, 2], f: (b, [y, alpha, sigma]) => b.neg(b.call("exp", b.mul(alpha, b.sub(b.call("log", sigma), b.call("log", y))))) },
  ],
  math: "frechet_lpdf(y | alpha, sigma) = Σ log alpha + alpha log sigma − (alpha + 1) log y − (sigma/y)^alpha",
};
const frechet_lcdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: FRECHET_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, alpha, sigma]) => b.neg(b.call("pow", b.div(sigma, y), alpha)) }],
  math: "frechet_lcdf(y | alpha, sigma) = Σ −(sigma/y)^alpha",
};
const frechet_lccdf: DensityRule = {
  argNames: SHAPE_SCALE_NAMES,
  checks: FRECHET_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, alpha, sigma]) => b.call("log1m_exp", b.neg(b.call("pow", b.div(sigma, y), alpha))) }],
  math: "frechet_lccdf(y | alpha, sigma) = Σ log(1 − exp(−(sigma/y)^alpha))",
};

const DOF_NAMES = ["Random variable", "Degrees of freedom parameter"];
const chi_square_lpdf: DensityRule = {
  argNames: DOF_NAMES,
  checks: [
    [0, "nonnegative"],
    [1, "positive_finite"],
  ],
  terms: [
    { deps: [1], f: (b, [, nu]) => b.sub(b.mul(b.num(-0.5 * LOG_TWO), nu), b.call("lgamma", b.mul(b.num(0.5), nu))) },
    { deps: [0, 1], f: (b, [y, nu]) => b.mul(b.sub(b.mul(b.num(0.5), nu), b.num(1)), b.call("log", y)) },
    { deps: [0], f: (b, [y]) => b.mul(b.num(-0.5), y) },
  ],
  math: "chi_square_lpdf(y | nu) = Σ −(nu/2) log 2 − lΓ(nu/2) + (nu/2 − 1) log y − y/2",
};
// Stan's inverse chi-square densities take any y that is not NaN and are −∞ at y ≤ 0.
const inv_chi_square_lpdf: DensityRule = {
  argNames: DOF_NAMES,
  checks: [
    [0, "not_nan"],
    [1, "positive_finite"],
  ],
  terms: [
    { deps: [1], f: (b, [, nu]) => b.sub(b.mul(b.num(-0.5 * LOG_TWO), nu), b.call("lgamma", b.mul(b.num(0.5), nu))) },
    { deps: [0, 1], f: (b, [y, nu]) => b.ifElse(b.cmp("<=", y, b.num(0)), b.num(-Infinity), b.neg(b.mul(b.add(b.mul(b.num(0.5), nu), b.num(1)), b.call("log", y)))) },
    { deps: [0], f: (b, [y]) => b.div(b.num(-0.5), y) },
  ],
  math: "inv_chi_square_lpdf(y | nu) = Σ −(nu/2) log 2 − lΓ(nu/2) − (nu/2 + 1) log y − 1/(2y) (−∞ for y ≤ 0)",
};
const scaled_inv_chi_square_lpdf: DensityRule = {
  argNames: ["Random variable", "Degrees of freedom parameter", "Scale parameter"],
  checks: [[0, "not_nan"], ...POSITIVE_PARAMS],
  terms: [
    { deps: [1], f: (b, [, nu]) => b.sub(b.mul(b.mul(b.num(0.5), nu), b.call("log", b.mul(b.num(0.5), nu))), b.call("lgamma", b.mul(b.num(0.5), nu))) },
    { deps: [1, 2], f: (b, [, nu, s]) => b.mul(nu, b.call("log", s)) },
    { deps: [0, 1], f: (b, [y, nu]) => b.ifElse(b.cmp("<=", y, b.num(0)), b.num(-Infinity), b.neg(b.mul(b.add(b.mul(b.num(0.5), nu), b.num(1)), b.call("log", y)))) },
    { deps: [0, 1, 2], f: (b, [y, nu, s]) => b.div(b.mul(b.mul(b.num(-0.5), nu), b.call("square", s)), y) },
  ],
  math: "scaled_inv_chi_square_lpdf(y | nu, s) = Σ (nu/2) log(nu/2) − lΓ(nu/2) + nu log s − (nu/2 + 1) log y − nu s²/(2y) (−∞ for y ≤ 0)",
};

const RAYLEIGH_NAMES = ["Random variable", "Scale parameter"];
const rayleigh_lpdf: DensityRule = {
  argNames: RAYLEIGH_NAMES,
  checks: [
    [0, "positive"],
    [1, "positive"],
  ],
  terms: [
    { deps: [1], f: (b, [, sigma]) => b.mul(b.num(-2), b.call("log", sigma)) },
    { deps: [0], f: (b, [y]) => b.call("log", y) },
    { deps: [0, 1], f: (b, [y, sigma]) => b.mul(b.num(-0.5), b.call("square", b.div(y, sigma))) },
  ],
  math: "rayleigh_lpdf(y | sigma) = Σ −2 log sigma + log y − y²/(2 sigma²)",
};
const RAYLEIGH_CDF_CHECKS: DensityRule["checks"] = [
  [0, "nonnegative"],
  [1, "positive"],
];
const rayleigh_lcdf: DensityRule = {
  argNames: RAYLEIGH_NAMES,
  checks: RAYLEIGH_CDF_CHECKS,
  terms: [{ deps: [0, 1], f: (b, [y, sigma]) => b.call("log1m_exp", b.mul(b.num(-0.5), b.call("square", b.div(y, sigma)))) }],
  math: "rayleigh_lcdf(y | sigma) = Σ log(1 − exp(−y²/(2 sigma²)))",
};
const rayleigh_lccdf: DensityRule = {
  argNames: RAYLEIGH_NAMES,
  checks: RAYLEIGH_CDF_CHECKS,
  terms: [{ deps: [0, 1], f: (b, [y, sigma]) => b.mul(b.num(-0.5), b.call("square", b.div(y, sigma))) }],
  math: "rayleigh_lccdf(y | sigma) = Σ −y²/(2 sigma²)",
};

const PARETO_NAMES = ["Random variable", "Scale parameter", "Shape parameter"];
// Stan's pareto_lpdf is −∞ below y_min.
const pareto_lpdf: DensityRule = {
  argNames: PARETO_NAMES,
  checks: [[0, "not_nan"], ...POSITIVE_PARAMS],
  terms: [
    { deps: [2], f: (b, [, , alpha]) => b.call("log", alpha) },
    { deps: [1, 2], f: (b, [, yMin, alpha]) => b.mul(alpha, b.call("log", yMin)) },
    { deps: [0, 1, 2], f: (b, [y, yMin, alpha]) => b.ifElse(b.cmp("<", y, yMin), b.num(-Infinity), b.neg(b.mul(b.add(alpha, b.num(1)), b.call("log", y)))) },
  ],
  math: "pareto_lpdf(y | y_min, alpha) = Σ log alpha + alpha log y_min − (alpha + 1) log y (−∞ for y < y_min)",
};
const PARETO_CDF_CHECKS: DensityRule["checks"] = [[0, "nonnegative"], ...POSITIVE_PARAMS];
const pareto_lcdf: DensityRule = {
  argNames: PARETO_NAMES,
  checks: PARETO_CDF_CHECKS,
  terms: [
    {
      deps: [0, 1, 2],
      f: (b, [y, yMin, alpha]) => b.ifElse(b.cmp("<", y, yMin), b.num(-Infinity), b.call("log1m_exp", b.mul(alpha, b.call("log", b.div(yMin, y))))),
    },
  ],
  math: "pareto_lcdf(y | y_min, alpha) = Σ log(1 − (y_min/y)^alpha) (−∞ below y_min)",
};
const pareto_lccdf: DensityRule = {
  argNames: PARETO_NAMES,
  checks: PARETO_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, yMin, alpha]) => b.ifElse(b.cmp("<", y, yMin), b.num(0), b.mul(alpha, b.call("log", b.div(yMin, y)))) }],
  math: "pareto_lccdf(y | y_min, alpha) = Σ alpha log(y_min/y) (0 below y_min)",
};

const PARETO_2_NAMES = ["Random variable", "Location parameter", "Scale parameter", "Shape parameter"];
const PARETO_2_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [2, "positive_finite"],
  [3, "positive_finite"],
];
// Stan requires y ≥ mu (an argument error); a two-argument check has no check kind here, so the
// value is NaN there (the sampler rejects it as it would Stan's exception).
const pareto2Support: DensityTerm = { deps: [0, 1], f: (b, [y, mu]) => b.ifElse(b.cmp("<", y, mu), b.num(NaN), b.num(0)) };
const pareto_type_2_lpdf: DensityRule = {
  argNames: PARETO_2_NAMES,
  checks: PARETO_2_CHECKS,
  terms: [
    pareto2Support,
    { deps: [3], f: (b, [, , , alpha]) => b.call("log", alpha) },
    { deps: [2], f: (b, [, , lambda]) => b.neg(b.call("log", lambda)) },
    { deps: [0, 1, 2, 3], f: (b, [y, mu, lambda, alpha]) => b.neg(b.mul(b.add(alpha, b.num(1)), b.call("log1p", b.div(b.sub(y, mu), lambda)))) },
  ],
  math: "pareto_type_2_lpdf(y | mu, lambda, alpha) = Σ log alpha − log lambda − (alpha + 1) log(1 + (y − mu)/lambda)",
};
const pareto_type_2_lcdf: DensityRule = {
  argNames: PARETO_2_NAMES,
  checks: PARETO_2_CHECKS,
  terms: [pareto2Support, { deps: [0, 1, 2, 3], f: (b, [y, mu, lambda, alpha]) => b.call("log1m_exp", b.neg(b.mul(alpha, b.call("log1p", b.div(b.sub(y, mu), lambda))))) }],
  math: "pareto_type_2_lcdf(y | mu, lambda, alpha) = Σ log(1 − (1 + (y − mu)/lambda)^(−alpha))",
};
const pareto_type_2_lccdf: DensityRule = {
  argNames: PARETO_2_NAMES,
  checks: PARETO_2_CHECKS,
  terms: [pareto2Support, { deps: [0, 1, 2, 3], f: (b, [y, mu, lambda, alpha]) => b.neg(b.mul(alpha, b.call("log1p", b.div(b.sub(y, mu), lambda)))) }],
  math: "pareto_type_2_lccdf(y | mu, lambda, alpha) = Σ −alpha log(1 + (y − mu)/lambda)",
};

const positiveContinuousFamilyEntries: Primitive[] = [
  ...withTestDomain(
    realsDistribution("positive", "exponential", 1, {
      density: { density: exponential_lpdf },
      cdf: { expand: cdfFromLcdf("exponential_cdf", "exponential_lcdf") },
      lcdf: { kernel: exponential_lcdf_kernel },
      lccdf: { kernel: exponential_lccdf_kernel },
      rng: scalarRng(1),
    }),
    "exponential",
    [[0.1, 3], [0.3, 3]],
  ),
  ...realsDistribution("positive", "gamma", 2, { density: { density: gamma_lpdf }, cdf: gammaCdfs.cdf, lcdf: gammaCdfs.lcdf, lccdf: gammaCdfs.lccdf, rng: scalarRng(2) }),
  ...realsDistribution("positive", "inv_gamma", 2, { density: { density: inv_gamma_lpdf }, cdf: invGammaCdfs.cdf, lcdf: invGammaCdfs.lcdf, lccdf: invGammaCdfs.lccdf, rng: scalarRng(2) }),
  ...withTestDomain(
    realsDistribution("positive", "weibull", 2, { density: { density: weibull_lpdf }, ...cdfsFromTerms("weibull", weibull_lcdf, weibull_lccdf), rng: scalarRng(2) }),
    "weibull",
    [[0.2, 3], [0.5, 3], [0.5, 2]],
  ),
  ...withTestDomain(
    realsDistribution("positive", "frechet", 2, { density: { density: frechet_lpdf }, ...cdfsFromTerms("frechet", frechet_lcdf, frechet_lccdf), rng: scalarRng(2) }),
    "frechet",
    [[0.2, 3], [0.5, 3], [0.5, 2]],
  ),
  ...withTestDomain(realsDistribution("positive", "chi_square", 1, { density: { density: chi_square_lpdf }, ...chiSquareCdfs, rng: scalarRng(1) }), "chi_square", [[0.2, 4], [0.5, 5]]),
  ...withTestDomain(realsDistribution("positive", "inv_chi_square", 1, { density: { density: inv_chi_square_lpdf }, ...invChiSquareCdfs, rng: scalarRng(1) }), "inv_chi_square", [[0.2, 4], [0.5, 5]]),
  ...withTestDomain(
    realsDistribution("positive", "scaled_inv_chi_square", 2, { density: { density: scaled_inv_chi_square_lpdf }, ...scaledInvChiSquareCdfs, rng: scalarRng(2) }),
    "scaled_inv_chi_square",
    [[0.2, 4], [0.5, 5], [0.3, 2]],
  ),
  ...withTestDomain(
    realsDistribution("positive", "rayleigh", 1, { density: { density: rayleigh_lpdf }, ...cdfsFromTerms("rayleigh", rayleigh_lcdf, rayleigh_lccdf), rng: scalarRng(1) }),
    "rayleigh",
    [[0.2, 3], [0.5, 2]],
  ),
  ...withTestDomain(
    realsDistribution("positive", "pareto", 2, { density: { density: pareto_lpdf }, ...cdfsFromTerms("pareto", pareto_lcdf, pareto_lccdf), rng: scalarRng(2) }),
    "pareto",
    [[2.5, 5], [0.5, 2], [0.5, 3]],
  ),
  ...withTestDomain(
    realsDistribution("positive", "pareto_type_2", 3, {
      density: { density: pareto_type_2_lpdf },
      ...cdfsFromTerms("pareto_type_2", pareto_type_2_lcdf, pareto_type_2_lccdf),
      rng: scalarRng(3),
    }),
    "pareto_type_2",
    [[1.5, 4], [-1, 1], [0.5, 2], [0.5, 3]],
  ),
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const positiveContinuousFamily: Primitive[] = withTestDomains(positiveContinuousFamilyEntries, {
  inv_gamma_lpdf: [[0.05, 20]],
  inv_gamma_lupdf: [[0.05, 20]],
  inv_gamma_cdf: [[0.05, 20]],
  inv_gamma_lcdf: [[0.05, 20]],
  inv_gamma_lccdf: [[0.05, 20]],
  inv_gamma_rng: [],
});
