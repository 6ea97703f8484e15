/**
 * Log CDFs and CCDFs that are one term over the special functions of families/math.ts (the
 * regularised incomplete gamma P, Q and beta I), so their partials come from those functions'
 * scalar rules: gamma, inverse gamma, chi-square family, beta, Poisson, binomial, neg_binomial,
 * neg_binomial_2. The distributions' family files take these as their `lcdf`/`lccdf`/`cdf`
 * lowerings; each `_cdf` is exp of its `_lcdf` (the product of the elements' CDFs). The terms call
 * internal log P, log Q and log I (`log_gamma_p__`, `log_gamma_q__`, `log_inc_beta__`): computed on
 * the log scale, they stay finite in the far tails where P, Q or I underflow, and they are NaN
 * outside their domain, so an argument outside the CDF's support is reported by the CDF's own
 * checks in Stan's words.
 *
 *   gamma(α, β):                  F(y) = P(α, βy)
 *   inv_gamma(α, β):              F(y) = Q(α, β/y)
 *   chi_square(ν):                F(y) = P(ν/2, y/2)
 *   inv_chi_square(ν):            F(y) = Q(ν/2, 1/(2y))
 *   scaled_inv_chi_square(ν, s):  F(y) = Q(ν/2, νs²/(2y))
 *   beta(α, β):                   F(y) = I_y(α, β),             1 − F(y) = I_(1−y)(β, α)
 *   poisson(λ):                   F(n) = Q(n + 1, λ)
 *   binomial(N, θ):               F(n) = I_(1−θ)(N − n, n + 1), 1 − F(n) = I_θ(n + 1, N − n)
 *   neg_binomial(α, β):           F(n) = I_(β/(1+β))(α, n + 1),  1 − F(n) = I_(1/(1+β))(n + 1, α)
 *   neg_binomial_2(μ, φ):         F(n) = I_(φ/(μ+φ))(φ, n + 1),  1 − F(n) = I_(μ/(μ+φ))(n + 1, φ)
 *
 * Two more are one term over other scalar functions:
 *
 *   skew_normal(ξ, ω, α):         F(y) = Φ(z) − 2 T(z, α) = skew_normal_log_cdf__(z, α) on the log scale,
 *                                 1 − F(y) = F(−z | −α), z = (y − ξ)/ω (runtime distributions/skewNormalCdf.ts:
 *                                 accurate in both tails, where Owen's formula cancels)
 *   von_mises(μ, κ):              F(y) = von_mises_cdf__(y, μ, κ), Stan's CDF on [−π, π] (runtime
 *                                 distributions/vonMisesCdf.ts, with its partials)
 *
 * beta_binomial's are runtime kernels (a finite sum of the mass function), student_t's `_cdf` is exp
 * of its `_lcdf` kernel.
 */
import type { ArgCheck, DensityRule, ExprBuilder, Formula } from "../primitive";
import { cdfFromLcdf } from "../expansions/cdf";
import type { VariantLowering } from "./helpers";

type LoweringOf = VariantLowering;
interface CdfLowerings {
  readonly cdf: LoweringOf;
  readonly lcdf: LoweringOf;
  readonly lccdf: LoweringOf;
}

/** One term over every argument (a CDF depends on all of them). */
function rule(argNames: readonly string[], checks: readonly (readonly [number, ArgCheck])[], f: Formula, math: string, intArgs?: readonly number[]): DensityRule {
  return { argNames, checks, intArgs, terms: [{ deps: argNames.map((_, i) => i), f }], math };
}

function lowerings(name: string, argNames: readonly string[], checks: readonly (readonly [number, ArgCheck])[], logCdf: Formula, logCcdf: Formula, intArgs?: readonly number[]): CdfLowerings {
  return {
    cdf: { expand: cdfFromLcdf(`${name}_cdf`, `${name}_lcdf`) },
    lcdf: { density: rule(argNames, checks, logCdf, `${name}_lcdf = Σ log F(y)`, intArgs) },
    lccdf: { density: rule(argNames, checks, logCcdf, `${name}_lccdf = Σ log(1 − F(y))`, intArgs) },
  };
}

/** A discrete variate below the support: the CDF is 0 (log −∞), the CCDF 1 (log 0). */
const belowSupport = <T>(b: ExprBuilder<T>, n: T, below: number, otherwise: T): T => b.ifElse(b.cmp("<", n, b.num(0)), b.num(below), otherwise);

const POSITIVE_2: readonly (readonly [number, ArgCheck])[] = [
  [0, "nonnegative"],
  [1, "positive_finite"],
  [2, "positive_finite"],
];
const POSITIVE_1: readonly (readonly [number, ArgCheck])[] = [
  [0, "nonnegative"],
  [1, "positive_finite"],
];

export const gammaCdfs = lowerings(
  "gamma",
  ["Random variable", "Shape parameter", "Inverse scale parameter"],
  POSITIVE_2,
  (b, [y, a, beta]) => b.call("log_gamma_p__", a, b.mul(beta, y)),
  (b, [y, a, beta]) => b.call("log_gamma_q__", a, b.mul(beta, y)),
);

export const invGammaCdfs = lowerings(
  "inv_gamma",
  ["Random variable", "Shape parameter", "Scale parameter"],
  POSITIVE_2,
  (b, [y, a, beta]) => b.call("log_gamma_q__", a, b.div(beta, y)),
  (b, [y, a, beta]) => b.call("log_gamma_p__", a, b.div(beta, y)),
);

export const chiSquareCdfs = lowerings(
  "chi_square",
  ["Random variable", "Degrees of freedom parameter"],
  POSITIVE_1,
  (b, [y, nu]) => b.call("log_gamma_p__", b.mul(b.num(0.5), nu), b.mul(b.num(0.5), y)),
  (b, [y, nu]) => b.call("log_gamma_q__", b.mul(b.num(0.5), nu), b.mul(b.num(0.5), y)),
);

export const invChiSquareCdfs = lowerings(
  "inv_chi_square",
  ["Random variable", "Degrees of freedom parameter"],
  POSITIVE_1,
  (b, [y, nu]) => b.call("log_gamma_q__", b.mul(b.num(0.5), nu), b.div(b.num(0.5), y)),
  (b, [y, nu]) => b.call("log_gamma_p__", b.mul(b.num(0.5), nu), b.div(b.num(0.5), y)),
);

export const scaledInvChiSquareCdfs = lowerings(
  "scaled_inv_chi_square",
  ["Random variable", "Degrees of freedom parameter", "Scale parameter"],
  POSITIVE_2,
  (b, [y, nu, s]) => b.call("log_gamma_q__", b.mul(b.num(0.5), nu), b.div(b.mul(b.mul(b.num(0.5), nu), b.mul(s, s)), y)),
  (b, [y, nu, s]) => b.call("log_gamma_p__", b.mul(b.num(0.5), nu), b.div(b.mul(b.mul(b.num(0.5), nu), b.mul(s, s)), y)),
);

export const betaCdfs = lowerings(
  "beta",
  ["Random variable", "First shape parameter", "Second shape parameter"],
  [
    [0, "unit_interval"],
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  (b, [y, a, bb]) => b.call("log_inc_beta__", a, bb, y),
  (b, [y, a, bb]) => b.call("log_inc_beta__", bb, a, b.sub(b.num(1), y)),
);

export const poissonCdfs = lowerings(
  "poisson",
  ["Random variable", "Rate parameter"],
  [[1, "nonnegative"]],
  (b, [n, lambda]) => belowSupport(b, n, -Infinity, b.call("log_gamma_q__", b.add(n, b.num(1)), lambda)),
  (b, [n, lambda]) => belowSupport(b, n, 0, b.call("log_gamma_p__", b.add(n, b.num(1)), lambda)),
  [0],
);

export const binomialCdfs = lowerings(
  "binomial",
  ["Successes variable", "Population size parameter", "Probability parameter"],
  [
    [1, "nonnegative"],
    [2, "probability"],
  ],
  // at or above N the CDF is 1
  (b, [n, N, theta]) => belowSupport(b, n, -Infinity, b.ifElse(b.cmp(">=", n, N), b.num(0), b.call("log_inc_beta__", b.sub(N, n), b.add(n, b.num(1)), b.sub(b.num(1), theta)))),
  (b, [n, N, theta]) => belowSupport(b, n, 0, b.ifElse(b.cmp(">=", n, N), b.num(-Infinity), b.call("log_inc_beta__", b.add(n, b.num(1)), b.sub(N, n), theta))),
  [0, 1],
);

export const negBinomialCdfs = lowerings(
  "neg_binomial",
  ["Random variable", "Shape parameter", "Inverse scale parameter"],
  [
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  (b, [n, alpha, beta]) => belowSupport(b, n, -Infinity, b.call("log_inc_beta__", alpha, b.add(n, b.num(1)), b.div(beta, b.add(b.num(1), beta)))),
  (b, [n, alpha, beta]) => belowSupport(b, n, 0, b.call("log_inc_beta__", b.add(n, b.num(1)), alpha, b.div(b.num(1), b.add(b.num(1), beta)))),
  [0],
);

export const negBinomial2Cdfs = lowerings(
  "neg_binomial_2",
  ["Random variable", "Location parameter", "Precision parameter"],
  [
    [1, "positive_finite"],
    [2, "positive_finite"],
  ],
  (b, [n, mu, phi]) => belowSupport(b, n, -Infinity, b.call("log_inc_beta__", phi, b.add(n, b.num(1)), b.div(phi, b.add(mu, phi)))),
  (b, [n, mu, phi]) => belowSupport(b, n, 0, b.call("log_inc_beta__", b.add(n, b.num(1)), phi, b.div(mu, b.add(mu, phi)))),
  [0],
);

export const skewNormalCdfs = lowerings(
  "skew_normal",
  ["Random variable", "Location parameter", "Scale parameter", "Shape parameter"],
  [
    [0, "not_nan"],
    [1, "finite"],
    [2, "positive"],
    [3, "finite"],
  ],
  (b, [y, xi, omega, alpha]) => b.call("skew_normal_log_cdf__", b.div(b.sub(y, xi), omega), alpha),
  (b, [y, xi, omega, alpha]) => b.call("skew_normal_log_cdf__", b.div(b.sub(xi, y), omega), b.neg(alpha)),
);

export const vonMisesCdfs = lowerings(
  "von_mises",
  ["Random variable", "Location parameter", "Scale parameter"],
  [
    [0, "angle"],
    [1, "finite"],
    [2, "positive"],
  ],
  (b, [y, mu, k]) => b.call("log", b.call("von_mises_cdf__", y, mu, k)),
  (b, [y, mu, k]) => b.call("log1m", b.call("von_mises_cdf__", y, mu, k)),
);

/** beta_binomial's log CDF and CCDF: runtime kernels summing the mass function (distributions/betaBinomialCdf.ts). */
const betaBinomialPartials = ["(integer argument)", "(integer argument)", "∂/∂alpha log Σ p_k = Σ w_k (ψ(k + α) − ψ(N + α + β) − ψ(α) + ψ(α + β))", "∂/∂beta log Σ p_k = Σ w_k (ψ(N − k + β) − ψ(N + α + β) − ψ(β) + ψ(α + β))"];
export const betaBinomialCdfs: CdfLowerings = {
  cdf: { expand: cdfFromLcdf("beta_binomial_cdf", "beta_binomial_lcdf") },
  lcdf: { kernel: { args: ["int", "int", "real", "real"], propto: false, noPartials: [0, 1], partials: betaBinomialPartials } },
  lccdf: { kernel: { args: ["int", "int", "real", "real"], propto: false, noPartials: [0, 1], partials: betaBinomialPartials } },
};

/** student_t's `_cdf` from its `_lcdf` kernel. */
export const studentTCdf: LoweringOf = { expand: cdfFromLcdf("student_t_cdf", "student_t_lcdf") };
