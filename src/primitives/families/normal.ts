/** Normal-family densities: normal, std_normal, normal_id_glm, lognormal, skew_normal, exp_mod_normal. */
import { distribution, realsDistribution, REALS, sig, unaryVectorized, scalarRng, LOG_PI, LOG_SQRT_TWO_PI } from "./helpers";
import type { DensityRule, KernelRule, Primitive } from "../primitive";
import { jsRule } from "./math";

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

export const normalFamily: Primitive[] = [
  ...realsDistribution("normal", "normal", 2, { density: { density: normal_lpdf }, lcdf: { kernel: normal_lcdf_kernel }, lccdf: { kernel: normal_lccdf_kernel }, rng: scalarRng(2) }),
  ...distribution({
    family: "normal",
    name: "std_normal",
    lower: { density: { density: std_normal_lpdf }, lcdf: { kernel: std_normal_lcdf_kernel }, lccdf: { kernel: std_normal_lccdf_kernel }, rng: scalarRng(0) },
    variate: REALS,
    params: [],
    cdfs: true,
    rng: [sig("real")],
  }),
  {
    name: "std_normal_log_qf",
    family: "normal",
    signatures: unaryVectorized(),
    unsupported: "it has no lowering rule",
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
  ...realsDistribution("normal", "lognormal", 2, { density: { density: lognormal_lpdf }, rng: scalarRng(2) }),
  ...realsDistribution("normal", "skew_normal", 3),
  ...realsDistribution("normal", "exp_mod_normal", 3),
];
