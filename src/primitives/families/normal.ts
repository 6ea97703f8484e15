/** Normal-family densities: normal, std_normal, normal_id_glm, lognormal, skew_normal, exp_mod_normal. */
import { distribution, realsDistribution, REALS, sig, unaryVectorized, scalarRng, LOG_PI, LOG_SQRT_TWO_PI, withTestDomain } from "./helpers";
import { withTestDomains } from "./helpers";
import type { DensityRule, ExprBuilder, KernelRule, Primitive } from "../primitive";
import { jsRule } from "./math";
import { cdfFromLcdf, cdfsFromTerms } from "../expansions/cdf";
import { skewNormalCdfs } from "./cdfRules";

const normal_lpdf: DensityRule = {
  argNames: ["Random variable", "Location parameter", "Scale parameter"],
  checks: [
    [0, "not_nan"],
    [1, "finite"],
    [2, "positive"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_SQRT_TWO_PI) },
    { deps: [2], f: (b, [, , s]) => b.neg(b.call("log", s)) },
    { deps: [0, 1, 2], f: (b, [y, mu, s]) => b.mul(b.num(-0.5), b.call("square", b.div(b.sub(y, mu), s))) },
  ],
  math: "normal_lpdf(y | mu, sigma) = Σ −½ log 2π − log sigma − ½ ((y − mu)/sigma)²",
};
const std_normal_lpdf: DensityRule = {
  argNames: ["Random variable"],
  checks: [[0, "not_nan"]],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_SQRT_TWO_PI) },
    { deps: [0], f: (b, [y]) => b.mul(b.num(-0.5), b.call("square", y)) },
  ],
  math: "std_normal_lpdf(y) = Σ −½ log 2π − ½ y²",
};
const lognormal_lpdf: DensityRule = {
  argNames: ["Random variable", "Location parameter", "Scale parameter"],
  checks: [
    [0, "nonnegative"],
    [1, "finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_SQRT_TWO_PI) },
    { deps: [2], f: (b, [, , s]) => b.neg(b.call("log", s)) },
    { deps: [0], f: (b, [y]) => b.neg(b.call("log", y)) },
    { deps: [0, 1, 2], f: (b, [y, mu, s]) => b.mul(b.num(-0.5), b.call("square", b.div(b.sub(b.call("log", y), mu), s))) },
  ],
  math: "lognormal_lpdf(y | mu, sigma) = Σ −½ log 2π − log sigma − log y − ½ ((log y − mu)/sigma)²",
};
const normal_lcdf_kernel: KernelRule = {
  args: ["real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log Φ(z) = φ(z) / (Φ(z) sigma)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
};
const normal_lccdf_kernel: KernelRule = {
  args: ["real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − Φ(z)) = −φ(z) / ((1 − Φ(z)) sigma)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
};
const std_normal_lcdf_kernel: KernelRule = { args: ["real"], propto: false, partials: ["∂/∂y log Φ(y) = φ(y) / Φ(y)"] };
const std_normal_lccdf_kernel: KernelRule = { args: ["real"], propto: false, partials: ["∂/∂y log(1 − Φ(y)) = −φ(y) / (1 − Φ(y))"] };

const SQRT_2PI = 2.5066282746310002;
const INV_SQRT_2 = 0.7071067811865476;
const SQRT_2_OVER_PI = 1.1283791670955126; // 2/√π
const LOG_TWO = Math.LN2;

const LOCATION_SCALE_NAMES = ["Random variable", "Location parameter", "Scale parameter"];

// skew_normal(y | xi, omega, alpha) = 2/omega φ(z) Φ(alpha z), z = (y − xi)/omega, with
// 2 Φ(t) = erfc(−t/√2): the log density's last term is log erfc, finite far into the tail.
const skew_normal_lpdf: DensityRule = {
  argNames: ["Random variable", "Location parameter", "Scale parameter", "Shape parameter"],
  checks: [
    [0, "not_nan"],
    [1, "finite"],
    [2, "positive"],
    [3, "finite"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_SQRT_TWO_PI) },
    { deps: [2], f: (b, [, , omega]) => b.neg(b.call("log", omega)) },
    { deps: [0, 1, 2], f: (b, [y, xi, omega]) => b.mul(b.num(-0.5), b.call("square", b.div(b.sub(y, xi), omega))) },
    {
      deps: [0, 1, 2, 3],
      f: (b, [y, xi, omega, alpha]) => b.call("log_erfc__", b.mul(b.mul(b.num(-INV_SQRT_2), alpha), b.div(b.sub(y, xi), omega))),
    },
  ],
  math: "skew_normal_lpdf(y | xi, omega, alpha) = Σ −½ log 2π − log omega − ½ z² + log erfc(−alpha z/√2), z = (y − xi)/omega",
};

const EXP_MOD_NORMAL_NAMES = ["Random variable", "Location parameter", "Scale parameter", "Inv_scale parameter"];
const EXP_MOD_NORMAL_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [1, "finite"],
  [2, "positive_finite"],
  [3, "positive_finite"],
];
// exp_mod_normal(y | mu, sigma, lambda) = lambda/2 exp(lambda (mu + lambda sigma²/2 − y)) erfc((mu + lambda sigma² − y)/(sigma √2)):
// the exponent and log erfc both grow like the square of the argument and cancel, so log erfc is
// taken directly (log of erfc would underflow to −∞ where the density is still finite).
const exp_mod_normal_lpdf: DensityRule = {
  argNames: EXP_MOD_NORMAL_NAMES,
  checks: EXP_MOD_NORMAL_CHECKS,
  terms: [
    { deps: [], f: (b) => b.num(-LOG_TWO) },
    { deps: [3], f: (b, [, , , lambda]) => b.call("log", lambda) },
    {
      deps: [0, 1, 2, 3],
      f: (b, [y, mu, sigma, lambda]) => {
        const lambdaSigmaSq = () => b.mul(lambda, b.call("square", sigma));
        return b.add(
          b.mul(lambda, b.add(b.sub(mu, y), b.mul(b.num(0.5), lambdaSigmaSq()))),
          b.call("log_erfc__", b.div(b.mul(b.num(INV_SQRT_2), b.add(b.sub(mu, y), lambdaSigmaSq())), sigma)),
        );
      },
    },
  ],
  math: "exp_mod_normal_lpdf(y | mu, sigma, lambda) = Σ −log 2 + log lambda + lambda (mu + ½ lambda sigma² − y) + log erfc((mu + lambda sigma² − y)/(sigma √2))",
};

// F(y) = Φ(u) − exp(v²/2 − v u) Φ(u − v), u = (y − mu)/sigma, v = lambda sigma: both parts on
// the log scale (log Φ is accurate in both tails), so neither the exponential's overflow nor the
// difference's cancellation loses the value.
const expModNormalSecondPart = <T>(b: ExprBuilder<T>, u: T, v: T): T =>
  b.add(b.sub(b.mul(b.num(0.5), b.mul(v, v)), b.mul(v, u)), b.call("log_Phi", b.sub(u, v)));
const exp_mod_normal_lcdf: DensityRule = {
  argNames: EXP_MOD_NORMAL_NAMES,
  checks: EXP_MOD_NORMAL_CHECKS,
  terms: [
    {
      deps: [0, 1, 2, 3],
      f: (b, [y, mu, sigma, lambda]) => {
        const u = b.div(b.sub(y, mu), sigma);
        const v = b.mul(lambda, sigma);
        return b.ifElse(b.cmp("==", y, b.num(-Infinity)), b.num(-Infinity), b.call("log_diff_exp", b.call("log_Phi", u), expModNormalSecondPart(b, u, v)));
      },
    },
  ],
  math: "exp_mod_normal_lcdf(y | mu, sigma, lambda) = Σ log(Φ(u) − exp(v²/2 − v u) Φ(u − v)), u = (y − mu)/sigma, v = lambda sigma",
};
const exp_mod_normal_lccdf: DensityRule = {
  argNames: EXP_MOD_NORMAL_NAMES,
  checks: EXP_MOD_NORMAL_CHECKS,
  terms: [
    {
      deps: [0, 1, 2, 3],
      f: (b, [y, mu, sigma, lambda]) => {
        const u = b.div(b.sub(y, mu), sigma);
        const v = b.mul(lambda, sigma);
        return b.ifElse(b.cmp("==", y, b.num(-Infinity)), b.num(0), b.call("log_sum_exp", b.call("log_Phi", b.neg(u)), expModNormalSecondPart(b, u, v)));
      },
    },
  ],
  math: "exp_mod_normal_lccdf(y | mu, sigma, lambda) = Σ log(Φ(−u) + exp(v²/2 − v u) Φ(u − v)), u = (y − mu)/sigma, v = lambda sigma",
};

const LOGNORMAL_CDF_CHECKS: DensityRule["checks"] = [
  [0, "nonnegative"],
  [1, "finite"],
  [2, "positive_finite"],
];
const lognormal_lcdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOGNORMAL_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, s]) => b.call("log_Phi", b.div(b.sub(b.call("log", y), mu), s)) }],
  math: "lognormal_lcdf(y | mu, sigma) = Σ log Φ((log y − mu)/sigma)",
};
const lognormal_lccdf: DensityRule = {
  argNames: LOCATION_SCALE_NAMES,
  checks: LOGNORMAL_CDF_CHECKS,
  terms: [{ deps: [0, 1, 2], f: (b, [y, mu, s]) => b.call("log_Phi", b.div(b.sub(mu, b.call("log", y)), s)) }],
  math: "lognormal_lccdf(y | mu, sigma) = Σ log Φ((mu − log y)/sigma)",
};

const normalFamilyEntries: Primitive[] = [
  ...withTestDomain(
    realsDistribution("normal", "normal", 2, {
      density: { density: normal_lpdf },
      cdf: { expand: cdfFromLcdf("normal_cdf", "normal_lcdf") },
      lcdf: { kernel: normal_lcdf_kernel },
      lccdf: { kernel: normal_lccdf_kernel },
      rng: scalarRng(2),
    }),
    "normal",
    [[-2, 2], [-1, 1], [0.3, 2]],
  ),
  ...withTestDomain(
    distribution({
      family: "normal",
      name: "std_normal",
      lower: {
        density: { density: std_normal_lpdf },
        cdf: { expand: cdfFromLcdf("std_normal_cdf", "std_normal_lcdf") },
        lcdf: { kernel: std_normal_lcdf_kernel },
        lccdf: { kernel: std_normal_lccdf_kernel },
        rng: scalarRng(0),
      },
      variate: REALS,
      params: [],
      cdfs: true,
      rng: [sig("real")],
    }),
    "std_normal",
    [[-2, 2]],
  ),
  // log F(z | α) of the standard skew normal (runtime distributions/skewNormalCdf.ts), for its CDF rules
  {
    name: "skew_normal_log_cdf__",
    family: "internal",
    signatures: [],
    scalar: jsRule(
      2,
      "skew_normal_log_cdf",
      (b, [z, alpha], out) => [b.call("skew_normal_log_cdf_dz__", z, alpha, out), b.call("skew_normal_log_cdf_dalpha__", z, alpha, out)],
      ["∂/∂z log F(z | α) = 2 φ(z) Φ(αz) / F", "∂/∂α log F(z | α) = −exp(−(1 + α²) z²/2) / (π (1 + α²) F)"],
    ),
    // both methods: Owen's formula, and the quadrature where z < 0 < α and (1 + α²) z² > 10
    testDomain: [[-6, 4], [-4, 4]],
  },
  { name: "skew_normal_log_cdf_dz__", family: "internal", signatures: [], scalar: jsRule(3, "skew_normal_log_cdf_dz") },
  { name: "skew_normal_log_cdf_dalpha__", family: "internal", signatures: [], scalar: jsRule(3, "skew_normal_log_cdf_dalpha") },
  {
    name: "std_normal_log_qf",
    family: "normal",
    signatures: unaryVectorized(),
    scalar: jsRule(
      1,
      "std_normal_log_qf",
      (b, [lp], out) => [b.mul(b.num(SQRT_2PI), b.call("exp", b.add(lp, b.mul(b.mul(b.num(0.5), out), out))))],
      ["∂/∂lp Φ⁻¹(e^lp) = e^lp / φ(Φ⁻¹(e^lp))"],
    ),
    testDomain: [[-30, -0.01]],
  },
  {
    name: "inv_Phi",
    family: "normal",
    signatures: unaryVectorized(),
    scalar: jsRule(1, "inv_Phi", (b, _a, out) => [b.mul(b.num(SQRT_2PI), b.call("exp", b.mul(b.mul(b.num(0.5), out), out)))], ["∂/∂p Φ⁻¹(p) = 1 / φ(Φ⁻¹(p))"]),
  },
  // normal_id_glm(y | x, alpha, beta, sigma) = normal(y | alpha + x * beta, sigma)
  ...distribution({
    family: "normal",
    name: "normal_id_glm",
    lower: { density: { glm: { of: "normal_lpdf" } } },
    variate: ["real", "vector"],
    params: [["matrix", "row_vector"], ["real", "vector"], ["vector"], ["real", "vector"]],
  }),
  ...withTestDomain(
    realsDistribution("normal", "lognormal", 2, { density: { density: lognormal_lpdf }, ...cdfsFromTerms("lognormal", lognormal_lcdf, lognormal_lccdf), rng: scalarRng(2) }),
    "lognormal",
    [[0.2, 4], [-1, 1], [0.3, 2]],
  ),
  // its CDFs need Owen's T function
  ...withTestDomain(realsDistribution("normal", "skew_normal", 3, { density: { density: skew_normal_lpdf }, cdf: skewNormalCdfs.cdf, lcdf: skewNormalCdfs.lcdf, lccdf: skewNormalCdfs.lccdf, rng: scalarRng(3) }), "skew_normal", [[-2, 2], [-1, 1], [0.3, 2], [-3, 3]]),
  ...withTestDomain(
    realsDistribution("normal", "exp_mod_normal", 3, { density: { density: exp_mod_normal_lpdf }, ...cdfsFromTerms("exp_mod_normal", exp_mod_normal_lcdf, exp_mod_normal_lccdf), rng: scalarRng(3) }),
    "exp_mod_normal",
    [[-2, 3], [-1, 1], [0.3, 2], [0.3, 3]],
  ),
  // log erfc(x), finite where erfc(x) underflows (internal: Stan has no such function)
  {
    name: "log_erfc__",
    family: "internal",
    signatures: [],
    scalar: jsRule(1, "log_erfc", (b, [x], out) => [b.mul(b.num(-SQRT_2_OVER_PI), b.call("exp", b.sub(b.neg(b.mul(x, x)), out)))], ["∂/∂x log erfc(x) = −2/√π exp(−x²) / erfc(x)"]),
    testDomain: [[-3, 8]],
  },
];

/** Gradient-test domains (test/primitives/signatureCases.ts) where the default leaves the function's domain. */
export const normalFamily: Primitive[] = withTestDomains(normalFamilyEntries, {
  inv_Phi: [[0.0001, 0.9999]],
  normal_id_glm_lpdf: [undefined, [-1, 1], [-1, 1], [-1, 1], [0.01, 20]],
  normal_id_glm_lupdf: [undefined, [-1, 1], [-1, 1], [-1, 1], [0.01, 20]],
});
