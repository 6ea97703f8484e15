/** Densities on (0, ∞): exponential, gamma, inverse gamma, Weibull, chi-square family, Fréchet, Rayleigh, Pareto. */
import { realsDistribution, scalarRng } from "./helpers";
import type { DensityRule, KernelRule, Primitive } from "../primitive";
import { chiSquareCdfs, gammaCdfs, invChiSquareCdfs, invGammaCdfs, scaledInvChiSquareCdfs } from "./cdfRules";

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

export const positiveContinuousFamily: Primitive[] = [
  ...realsDistribution("positive", "exponential", 1, { density: { density: exponential_lpdf }, lcdf: { kernel: exponential_lcdf_kernel }, lccdf: { kernel: exponential_lccdf_kernel }, rng: scalarRng(1) }),
  ...realsDistribution("positive", "gamma", 2, { density: { density: gamma_lpdf }, cdf: gammaCdfs.cdf, lcdf: gammaCdfs.lcdf, lccdf: gammaCdfs.lccdf, rng: scalarRng(2) }),
  ...realsDistribution("positive", "inv_gamma", 2, { density: { density: inv_gamma_lpdf }, cdf: invGammaCdfs.cdf, lcdf: invGammaCdfs.lcdf, lccdf: invGammaCdfs.lccdf, rng: scalarRng(2) }),
  ...realsDistribution("positive", "weibull", 2, { rng: scalarRng(2) }),
  ...realsDistribution("positive", "frechet", 2),
  ...realsDistribution("positive", "chi_square", 1, { cdf: chiSquareCdfs.cdf, lcdf: chiSquareCdfs.lcdf, lccdf: chiSquareCdfs.lccdf, rng: scalarRng(1) }),
  ...realsDistribution("positive", "inv_chi_square", 1, { cdf: invChiSquareCdfs.cdf, lcdf: invChiSquareCdfs.lcdf, lccdf: invChiSquareCdfs.lccdf }),
  ...realsDistribution("positive", "scaled_inv_chi_square", 2, { cdf: scaledInvChiSquareCdfs.cdf, lcdf: scaledInvChiSquareCdfs.lcdf, lccdf: scaledInvChiSquareCdfs.lccdf }),
  ...realsDistribution("positive", "rayleigh", 1),
  ...realsDistribution("positive", "pareto", 2),
  ...realsDistribution("positive", "pareto_type_2", 3),
];
