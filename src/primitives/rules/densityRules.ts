/**
 * Densities written as sums of terms over scalar operations, keyed by Stan name. The lowering
 * expands a call into one fused loop over the (broadcast) arguments and reverse mode derives the
 * partials from the scalar rules, so `∂/∂mu normal_lpdf = (y − mu) / sigma²` appears in the
 * generated adjoint code as the derivative of `−½((y − mu)/sigma)²`.
 *
 * Each term lists the arguments it depends on: with `propto` (the `~` form) a term whose
 * arguments are all constants (data) is dropped, exactly as Stan's `include_summand` does. Terms
 * that depend only on scalar arguments are added once, multiplied by the number of elements.
 */

/** Builds scalar expressions for a term; `T` is the lowering's expression type. */
export interface TermBuilder<T> {
  readonly num: (x: number) => T;
  readonly add: (a: T, b: T) => T;
  readonly sub: (a: T, b: T) => T;
  readonly mul: (a: T, b: T) => T;
  readonly div: (a: T, b: T) => T;
  readonly neg: (a: T) => T;
  readonly call: (fn: string, ...args: T[]) => T;
  /** c ? t : f, with c a comparison built by `cmp`. */
  readonly ifElse: (c: T, t: T, f: T) => T;
  readonly cmp: (op: "==" | "!=" | "<" | "<=" | ">" | ">=", a: T, b: T) => T;
  readonly or: (a: T, b: T) => T;
}

export interface DensityTerm {
  /** Indices of the arguments (0 = variate) the term depends on. */
  readonly deps: readonly number[];
  readonly f: <T>(b: TermBuilder<T>, a: readonly T[]) => T;
}

export type ArgCheck = "finite" | "not_nan" | "positive" | "positive_finite" | "nonnegative" | "unit_interval" | "probability";

export interface DensityRule {
  readonly name: string;
  /** Stan's argument names, for error messages. */
  readonly argNames: readonly string[];
  /** Arguments that must be integers (the variate of an `_lpmf`, trial counts). */
  readonly intArgs?: readonly number[];
  readonly checks: readonly (readonly [number, ArgCheck])[];
  readonly terms: readonly DensityTerm[];
  /** Plain-math statement of the density, for the comment on the generated loop. */
  readonly math: string;
}

const LOG_SQRT_TWO_PI = 0.9189385332046728;
const LOG_PI = 1.1447298858494002;

const rules: DensityRule[] = [];
function def(r: DensityRule): void {
  rules.push(r);
}

def({
  name: "normal_lpdf",
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
});
def({
  name: "std_normal_lpdf",
  argNames: ["Random variable"],
  checks: [[0, "not_nan"]],
  terms: [
    { deps: [], f: (b) => b.num(-LOG_SQRT_TWO_PI) },
    { deps: [0], f: (b, [y]) => b.mul(b.num(-0.5), b.call("square", y)) },
  ],
  math: "std_normal_lpdf(y) = Σ −½ log 2π − ½ y²",
});
def({
  name: "cauchy_lpdf",
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
});
def({
  name: "student_t_lpdf",
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
});
def({
  name: "lognormal_lpdf",
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
});
def({
  name: "exponential_lpdf",
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
});
def({
  name: "gamma_lpdf",
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
});
def({
  name: "inv_gamma_lpdf",
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
});
def({
  name: "beta_lpdf",
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
});
def({
  name: "uniform_lpdf",
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
});
def({
  name: "bernoulli_lpmf",
  argNames: ["n", "Probability parameter"],
  intArgs: [0],
  checks: [[1, "probability"]],
  terms: [{ deps: [1], f: (b, [n, p]) => b.ifElse(b.cmp("==", n, b.num(1)), b.call("log", p), b.call("log1m", p)) }],
  math: "bernoulli_lpmf(n | theta) = Σ log theta if n = 1, log(1 − theta) if n = 0",
});
def({
  name: "bernoulli_logit_lpmf",
  argNames: ["n", "Logit transformed probability parameter"],
  intArgs: [0],
  checks: [[1, "not_nan"]],
  terms: [{ deps: [1], f: (b, [n, a]) => b.ifElse(b.cmp("==", n, b.num(1)), b.call("log_inv_logit", a), b.call("log1m_inv_logit", a)) }],
  math: "bernoulli_logit_lpmf(n | alpha) = Σ log logit⁻¹(alpha) if n = 1, log(1 − logit⁻¹(alpha)) if n = 0",
});
def({
  name: "binomial_lpmf",
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
});
def({
  name: "binomial_logit_lpmf",
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
});
def({
  name: "poisson_lpmf",
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
});
def({
  name: "poisson_log_lpmf",
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
});
def({
  name: "neg_binomial_2_lpmf",
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
});
def({
  name: "neg_binomial_2_log_lpmf",
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
});

export const DENSITY_RULES: ReadonlyMap<string, DensityRule> = new Map(rules.map((r) => [r.name, r]));

/** Stan's wording for each argument check. */
export const CHECK_TEXT: Record<ArgCheck, string> = {
  finite: "must be finite!",
  not_nan: "must not be nan!",
  positive: "must be positive!",
  positive_finite: "must be positive finite!",
  nonnegative: "must be nonnegative!",
  unit_interval: "must be in the interval [0, 1]!",
  probability: "must be in the interval [0, 1]!",
};
