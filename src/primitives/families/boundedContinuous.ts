/** Densities on bounded or circular supports, and other unbounded location-scale densities. */
import { realsDistribution, scalarRng } from "./helpers";
import type { DensityRule, Primitive } from "../primitive";
import { betaCdfs } from "./cdfRules";

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

export const boundedContinuousFamily: Primitive[] = [
  ...realsDistribution("bounded", "beta", 2, { density: { density: beta_lpdf }, cdf: betaCdfs.cdf, lcdf: betaCdfs.lcdf, lccdf: betaCdfs.lccdf, rng: scalarRng(2) }),
  ...realsDistribution("bounded", "beta_proportion", 2, undefined, false),
  ...realsDistribution("bounded", "uniform", 2, { density: { density: uniform_lpdf }, rng: scalarRng(2) }),
  ...realsDistribution("bounded", "von_mises", 2),
  ...realsDistribution("bounded", "logistic", 2, { rng: scalarRng(2) }),
  ...realsDistribution("bounded", "double_exponential", 2, { rng: scalarRng(2) }),
  ...realsDistribution("bounded", "gumbel", 2),
];
