/** Densities on bounded or circular supports, and other unbounded location-scale densities. */
import { LOG_PI, realsDistribution, scalarRng, withTestDomain } from "./helpers";
import type { DensityRule, DensityTerm, Primitive } from "../primitive";
import { cdfsFromTerms } from "../expansions/cdf";
import { betaCdfs, vonMisesCdfs } from "./cdfRules";
import { jsRule } from "./math";

const LOG_TWO = Math.LN2;
const LOCATION_SCALE_NAMES = ["Random variable", "Location parameter", "Scale parameter"];
/** Stan's checks of a location-scale CDF: y not NaN, a finite location, a positive finite scale. */
const LOCATION_SCALE_CDF_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [1, "finite"],
  [2, "positive_finite"],
];
/** z = (y − mu)/sigma */
const standardized = <T>(b: { div: (a: T, c: T) => T; sub: (a: T, c: T) => T }, y: T, mu: T, sigma: T): T => b.div(b.sub(y, mu), sigma);

const beta_lpdf: DensityRule = {
  argNames: ["Random variable", "First shape parameter", "Second shape parameter"],
  checks: [
    [0, "unit_interval"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [1, 2], f: (b, [, a, c]) => b.neg(b.call("lbeta", a, c)) },
    { deps: [0, 1], f: (b, [y, a]) => b.mul(b.sub(a, b.num(1)), b.call("log", y)) },
    { deps: [0, 2], f: (b, [y, , c]) => b.mul(b.sub(c, b.num(1)), b.call("log1m", y)) },
  ],
  math: "beta_lpdf(y | a, b) = Σ −log B(a, b) + (a − 1) log y + (b − 1) log(1 − y)",
};
const uniform_lpdf: DensityRule = {
  argNames: ["Random variable", "Lower bound parameter", "Upper bound parameter"],
  checks: [
    [0, "not_nan"],
    [1, "finite"],
    [2, "finite"],
  ],
  terms: [
    { deps: [1, 2], f: (b, [, lo, hi]) => b.neg(b.call("log", b.sub(hi, lo))) },
    { deps: [0, 1, 2], f: (b, [y, lo, hi]) => b.ifElse(b.or(b.cmp("<", y, lo), b.cmp(">", y, hi)), b.num(-Infinity), b.num(0)) },
  ],
  math: "uniform_lpdf(y | a, b) = Σ −log(b − a) on [a, b], −∞ outside",
};

// Stan requires 0 < mu < 1; "positive" is a check kind, "less than 1" is not, so mu ≥ 1 makes the
// value NaN (the sampler rejects it as it would Stan's exception).
const muBelowOne: DensityTerm = { deps: [1], f: (b, [, mu]) => b.ifElse(b.cmp(">=", mu, b.num(1)), b.num(NaN), b.num(0)) };
const beta_proportion_lpdf: DensityRule = {
  argNames: ["Random variable", "Location parameter", "Precision parameter"],
  checks: [
    [0, "unit_interval"],
    [1, "positive"],
    [2, "positive_finite"],
  ],
  terms: [
    muBelowOne,
    { deps: [2], f: (b, [, , kappa]) => b.call("lgamma", kappa) },
    { deps: [1, 2], f: (b, [, mu, kappa]) => b.neg(b.add(b.call("lgamma", b.mul(mu, kappa)), b.call("lgamma", b.mul(b.sub(b.num(1), mu), kappa)))) },
    {
      deps: [0, 1, 2],
      f: (b, [y, mu, kappa]) =>
        b.add(b.mul(b.sub(b.mul(mu, kappa), b.num(1)), b.call("log", y)), b.mul(b.sub(b.mul(b.sub(b.num(1), mu), kappa), b.num(1)), b.call("log1m", y))),
    },
  ],
  math: "beta_proportion_lpdf(y | mu, kappa) = Σ lΓ(kappa) − lΓ(mu kappa) − lΓ((1 − mu) kappa) + (mu kappa − 1) log y + ((1 − mu) kappa − 1) log(1 − y)",
};

// Stan's uniform CDFs require beta > alpha; as for beta_proportion's mu, a violation is NaN.
const uniformOrdered: DensityTerm = { deps: [1, 2], f: (b, [, lo, hi]) => b.ifElse(b.cmp("<=", hi, lo), b.num(NaN), b.num(0)) };
const UNIFORM_NAMES = ["Random variable", "Lower bound parameter", "Upper bound parameter"];
const UNIFORM_CDF_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [1, "finite"],
  [2, "finite"],
];
const uniform_lcdf: DensityRule = {
  argNames: UNIFORM_NAMES,
  checks: UNIFORM_CDF_CHECKS,
  terms: [
    uniformOrdered,
    {
      deps: [0, 1, 2],
      f: (b, [y, lo, hi]) => b.ifElse(b.cmp("<", y, lo), b.num(-Infinity), b.ifElse(b.cmp(">", y, hi), b.num(0), b.call("log", b.div(b.sub(y, lo), b.sub(hi, lo))))),
    },
  ],
  math: "uniform_lcdf(y | alpha, beta) = Σ log((y − alpha)/(beta − alpha)) on [alpha, beta] (−∞ below, 0 above)",
};
const uniform_lccdf: DensityRule = {
  argNames: UNIFORM_NAMES,
  checks: UNIFORM_CDF_CHECKS,
  terms: [
    uniformOrdered,
    {
      deps: [0, 1, 2],
      f: (b, [y, lo, hi]) => b.ifElse(b.cmp("<", y, lo), b.num(0), b.ifElse(b.cmp(">", y, hi), b.num(-Infinity), b.call("log", b.div(b.sub(hi, y), b.sub(hi, lo))))),
    },
  ],
  math: "uniform_lccdf(y | alpha, beta) = Σ log((beta − y)/(beta − alpha)) on [alpha, beta] (0 below, −∞ above)",
};

const von_mises_lpdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: [
    [0, "finite"],
    [1, "finite"],
    [2, "nonnegative"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_TWO - LOG_PI) },
    { deps: [2], f: (b, [, , kappa]) => b.neg(b.call("log_bessel_i0__", kappa)) },
    { deps: [0, 1, 2], f: (b, [y, mu, kappa]) => b.mul(kappa, b.call("cos", b.sub(mu, y))) },
  ],
  math: "von_mises_lpdf(y | mu, kappa) = Σ kappa cos(mu − y) − log 2π − log I₀(kappa)",
};

const logistic_lpdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: [
    [0, "finite"],
    [1, "finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [2], f: (b, [, , sigma]) => b.neg(b.call("log", sigma)) },
    {
      deps: [0, 1, 2],
      f: (b, [y, mu, sigma]) => b.sub(b.neg(standardized(b, y, mu, sigma)), b.mul(b.num(2), b.call("log1p_exp", b.neg(standardized(b, y, mu, sigma))))),
    },
  ],
  math: "logistic_lpdf(y | mu, sigma) = Σ −z − log sigma − 2 log(1 + exp(−z)), z = (y − mu)/sigma",
};
const logistic_lcdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOCATION_SCALE_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, sigma]) => b.call("log_inv_logit", standardized(b, y, mu, sigma)) }],
  math: "logistic_lcdf(y | mu, sigma) = Σ log logit⁻¹((y − mu)/sigma)",
};
const logistic_lccdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOCATION_SCALE_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, sigma]) => b.call("log1m_inv_logit", standardized(b, y, mu, sigma)) }],
  math: "logistic_lccdf(y | mu, sigma) = Σ log(1 − logit⁻¹((y − mu)/sigma))",
};

const double_exponential_lpdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: [
    [0, "finite"],
    [1, "finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_TWO) },
    { deps: [2], f: (b, [, , sigma]) => b.neg(b.call("log", sigma)) },
    { deps: [0, 1, 2], f: (b, [y, mu, sigma]) => b.neg(b.div(b.call("fabs", b.sub(y, mu)), sigma)) },
  ],
  math: "double_exponential_lpdf(y | mu, sigma) = Σ −log 2 − log sigma − |y − mu|/sigma",
};
// F(y) = ½ e^z below mu, 1 − ½ e^(−z) above (z = (y − mu)/sigma); each side's log in closed form.
const double_exponential_lcdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOCATION_SCALE_CDF_CHECKS,
  terms: [
    {
      deps: [0, 1, 2],
      f: (b, [y, mu, sigma]) =>
        b.ifElse(
          b.cmp("<", y, mu),
          b.sub(standardized(b, y, mu, sigma), b.num(LOG_TWO)),
          b.call("log1m_exp", b.sub(b.neg(standardized(b, y, mu, sigma)), b.num(LOG_TWO))),
        ),
    },
  ],
  math: "double_exponential_lcdf(y | mu, sigma) = Σ z − log 2 for y < mu, log(1 − ½ exp(−z)) otherwise, z = (y − mu)/sigma",
};
const double_exponential_lccdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOCATION_SCALE_CDF_CHECKS,
  terms: [
    {
      deps: [0, 1, 2],
      f: (b, [y, mu, sigma]) =>
        b.ifElse(
          b.cmp("<", y, mu),
          b.call("log1m_exp", b.sub(standardized(b, y, mu, sigma), b.num(LOG_TWO))),
          b.sub(b.neg(standardized(b, y, mu, sigma)), b.num(LOG_TWO)),
        ),
    },
  ],
  math: "double_exponential_lccdf(y | mu, sigma) = Σ log(1 − ½ exp(z)) for y < mu, −z − log 2 otherwise, z = (y − mu)/sigma",
};

const GUMBEL_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [1, "finite"],
  [2, "positive"],
];
const gumbel_lpdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: GUMBEL_CHECKS,
  terms: [
    { deps: [2], f: (b, [, , beta]) => b.neg(b.call("log", beta)) },
    {
      deps: [0, 1, 2],
      f: (b, [y, mu, beta]) => b.sub(b.neg(standardized(b, y, mu, beta)), b.call("exp", b.neg(standardized(b, y, mu, beta)))),
    },
  ],
  math: "gumbel_lpdf(y | mu, beta) = Σ −log beta − z − exp(−z), z = (y − mu)/beta",
};
const gumbel_lcdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: GUMBEL_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, beta]) => b.neg(b.call("exp", b.neg(standardized(b, y, mu, beta)))) }],
  math: "gumbel_lcdf(y | mu, beta) = Σ −exp(−(y − mu)/beta)",
};
const gumbel_lccdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: GUMBEL_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, beta]) => b.call("log1m_exp", b.neg(b.call("exp", b.neg(standardized(b, y, mu, beta))))) }],
  math: "gumbel_lccdf(y | mu, beta) = Σ log(1 − exp(−exp(−(y − mu)/beta)))",
};

export const boundedContinuousFamily: Primitive[] = [
  ...realsDistribution("bounded", "beta", 2, { density: { density: beta_lpdf }, cdf: betaCdfs.cdf, lcdf: betaCdfs.lcdf, lccdf: betaCdfs.lccdf, rng: scalarRng(2) }),
  ...withTestDomain(
    realsDistribution("bounded", "beta_proportion", 2, { density: { density: beta_proportion_lpdf }, rng: scalarRng(2) }, false),
    "beta_proportion",
    [[0.1, 0.9], [0.2, 0.8], [1, 10]],
  ),
  ...withTestDomain(
    realsDistribution("bounded", "uniform", 2, { density: { density: uniform_lpdf }, ...cdfsFromTerms("uniform", uniform_lcdf, uniform_lccdf), rng: scalarRng(2) }),
    "uniform",
    [[-0.5, 0.5], [-2, -1], [1, 2]],
  ),
  ...withTestDomain(
    realsDistribution("bounded", "von_mises", 2, { density: { density: von_mises_lpdf }, cdf: vonMisesCdfs.cdf, lcdf: vonMisesCdfs.lcdf, lccdf: vonMisesCdfs.lccdf, rng: scalarRng(2) }),
    "von_mises",
    [[-3, 3], [-1, 1], [0.1, 5]],
  ),
  // Stan's von Mises CDF of one element and its partials (runtime distributions/vonMisesCdf.ts), for the CDF rules
  {
    name: "von_mises_cdf__",
    family: "internal",
    signatures: [],
    scalar: jsRule(
      3,
      "von_mises_cdf_scalar",
      (b, [y, mu, k]) => [b.call("von_mises_cdf_dy__", y, mu, k), b.call("von_mises_cdf_dmu__", y, mu, k), b.call("von_mises_cdf_dk__", y, mu, k)],
      ["∂F/∂y = exp(κ cos(y − μ)) / (2π I₀(κ)) (of the series or normal approximation)", "∂F/∂μ = f(cut) − f(y)", "∂F/∂κ (forward mode through the series)"],
    ),
    // κ across the series (< 49), the blend and the normal approximation (≥ 50)
    testDomain: [[-3, 3], [-1, 1], [0.2, 60]],
  },
  ...(["dy", "dmu", "dk"] as const).map((d): Primitive => ({ name: `von_mises_cdf_${d}__`, family: "internal", signatures: [], scalar: jsRule(3, `von_mises_cdf_${d}`) })),
  ...withTestDomain(
    realsDistribution("bounded", "logistic", 2, { density: { density: logistic_lpdf }, ...cdfsFromTerms("logistic", logistic_lcdf, logistic_lccdf), rng: scalarRng(2) }),
    "logistic",
    [[-3, 3], [-1, 1], [0.3, 2]],
  ),
  // y and mu sampled apart: |y − mu| has a kink at y = mu
  ...withTestDomain(
    realsDistribution("bounded", "double_exponential", 2, {
      density: { density: double_exponential_lpdf },
      ...cdfsFromTerms("double_exponential", double_exponential_lcdf, double_exponential_lccdf),
      rng: scalarRng(2),
    }),
    "double_exponential",
    [[1, 3], [-1, 0.5], [0.3, 2]],
  ),
  ...withTestDomain(
    realsDistribution("bounded", "gumbel", 2, { density: { density: gumbel_lpdf }, ...cdfsFromTerms("gumbel", gumbel_lcdf, gumbel_lccdf), rng: scalarRng(2) }),
    "gumbel",
    [[-3, 3], [-1, 1], [0.3, 2]],
  ),
  // log I₀(x) and its derivative I₁(x)/I₀(x), for the von Mises density (internal)
  {
    name: "log_bessel_i0__",
    family: "internal",
    signatures: [],
    scalar: jsRule(1, "log_bessel_i0", (b, [x]) => [b.call("bessel_i1_over_i0__", x)], ["∂/∂x log I₀(x) = I₁(x)/I₀(x)"]),
    testDomain: [[0.1, 60]],
  },
  { name: "bessel_i1_over_i0__", family: "internal", signatures: [], scalar: jsRule(1, "bessel_i1_over_i0") },
];
