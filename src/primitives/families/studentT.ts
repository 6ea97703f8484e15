/** Heavy-tailed location-scale densities: student_t and cauchy. */
import { realsDistribution, scalarRng, LOG_PI, LOG_SQRT_TWO_PI, withTestDomain } from "./helpers";
import type { DensityRule, KernelRule, Primitive } from "../primitive";
import { cdfsFromTerms } from "../expansions/cdf";
import { studentTCdf } from "./cdfRules";

const student_t_lpdf: DensityRule = {
  argNames: ["Random variable", "Degrees of freedom parameter", "Location parameter", "Scale parameter"],
  checks: [
    [0, "not_nan"],
    [1, "positive_finite"],
    [2, "finite"],
    [3, "positive_finite"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-0.5 * LOG_PI) },
    {
      deps: [1],
      f: (b, [, nu]) =>
        b.sub(b.sub(b.call("lgamma", b.mul(b.num(0.5), b.add(nu, b.num(1)))), b.call("lgamma", b.mul(b.num(0.5), nu))), b.mul(b.num(0.5), b.call("log", nu))),
    },
    { deps: [3], f: (b, [, , , s]) => b.neg(b.call("log", s)) },
    {
      deps: [0, 1, 2, 3],
      f: (b, [y, nu, mu, s]) => b.mul(b.neg(b.mul(b.num(0.5), b.add(nu, b.num(1)))), b.call("log1p", b.div(b.call("square", b.div(b.sub(y, mu), s)), nu))),
    },
  ],
  math: "student_t_lpdf(y | nu, mu, sigma) = Σ lΓ((nu+1)/2) − lΓ(nu/2) − ½ log(nu π) − log sigma − (nu+1)/2 log(1 + ((y − mu)/sigma)²/nu)",
};
const cauchy_lpdf: DensityRule = {
  argNames: ["Random variable", "Location parameter", "Scale parameter"],
  checks: [
    [0, "not_nan"],
    [1, "finite"],
    [2, "positive_finite"],
  ],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_PI) },
    { deps: [2], f: (b, [, , s]) => b.neg(b.call("log", s)) },
    { deps: [0, 1, 2], f: (b, [y, mu, s]) => b.neg(b.call("log1p", b.call("square", b.div(b.sub(y, mu), s)))) },
  ],
  math: "cauchy_lpdf(y | mu, sigma) = Σ −log π − log sigma − log(1 + ((y − mu)/sigma)²)",
};
const student_t_lcdf_kernel: KernelRule = {
  args: ["real", "real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log F(y) = f(y) / F(y)", "∂/∂nu (regularised incomplete beta derivative)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
};
const student_t_lccdf_kernel: KernelRule = {
  args: ["real", "real", "real", "real"],
  propto: false,
  partials: ["∂/∂y log(1 − F(y)) = −f(y) / (1 − F(y))", "∂/∂nu (regularised incomplete beta derivative)", "∂/∂mu = −∂/∂y", "∂/∂sigma = −z ∂/∂y"],
};

// The Cauchy CDF ½ + atan(z)/π is atan2(1, −z)/π, and its complement atan2(1, z)/π: no
// cancellation in either tail (½ + atan(z)/π loses every digit for very negative z).
const CAUCHY_CDF_NAMES = ["Random variable", "Location parameter", "Scale parameter"];
const CAUCHY_CDF_CHECKS: DensityRule["checks"] = [
  [0, "not_nan"],
  [1, "finite"],
  [2, "positive_finite"],
];
const cauchy_lcdf: DensityRule = {
  argNames: CAUCHY_CDF_NAMES,
  checks: CAUCHY_CDF_CHECKS,
  terms: [
    { deps: [], f: (b) => b.num(-LOG_PI) },
    { deps: [0, 1, 2], f: (b, [y, mu, s]) => b.call("log", b.call("atan2", b.num(1), b.div(b.sub(mu, y), s))) },
  ],
  math: "cauchy_lcdf(y | mu, sigma) = Σ log(½ + atan(z)/π) = Σ log atan2(1, −z) − log π, z = (y − mu)/sigma",
};
const cauchy_lccdf: DensityRule = {
  argNames: CAUCHY_CDF_NAMES,
  checks: CAUCHY_CDF_CHECKS,
  terms: [
    { deps: [], f: (b) => b.num(-LOG_PI) },
    { deps: [0, 1, 2], f: (b, [y, mu, s]) => b.call("log", b.call("atan2", b.num(1), b.div(b.sub(y, mu), s))) },
  ],
  math: "cauchy_lccdf(y | mu, sigma) = Σ log(½ − atan(z)/π) = Σ log atan2(1, z) − log π, z = (y − mu)/sigma",
};

export const studentTFamily: Primitive[] = [
  // student_t(y | nu, mu, sigma)
  ...realsDistribution("student_t", "student_t", 3, { density: { density: student_t_lpdf }, cdf: studentTCdf, lcdf: { kernel: student_t_lcdf_kernel }, lccdf: { kernel: student_t_lccdf_kernel }, rng: scalarRng(3) }),
  ...withTestDomain(
    realsDistribution("student_t", "cauchy", 2, { density: { density: cauchy_lpdf }, ...cdfsFromTerms("cauchy", cauchy_lcdf, cauchy_lccdf), rng: scalarRng(2) }),
    "cauchy",
    [[-3, 3], [-1, 1], [0.3, 2]],
  ),
];
