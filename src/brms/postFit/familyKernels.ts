/**
 * Each brms family's observation distribution as brms 2.18's R code evaluates it after the fit:
 * the pointwise log density (`log_lik_<family>`, normalised), a random draw
 * (`posterior_predict_<family>`), the distribution function brms's censoring and truncation use
 * (`p<dist>`) and the expected value (`posterior_epred_<family>`). Parameters are brms's: mu on
 * the response scale (ordinal mu and categorical linear predictors stay on the link scale), the
 * other dpars after their inverse links.
 */
import { atan, cos, exp, expm1, log, log1p, pow } from "../../runtime/math/elementary";
import { Phi, inc_beta, inv_logit, lbeta, lgamma, log1m_exp, log1m_inv_logit, log_Phi, log_diff_exp, log_inv_logit, gamma_p, gamma_q, tgamma } from "../../runtime/math/special";
import type { Rng } from "../../runtime/model";
import { bernoulli_rng } from "../../runtime/math/distributions/bernoulli";
import { beta_lpdf, beta_rng } from "../../runtime/math/distributions/beta";
import { beta_binomial_rng } from "../../runtime/math/distributions/betaBinomial";
import { binomial_lpmf, binomial_rng } from "../../runtime/math/distributions/binomial";
import { exp_mod_normal_rng, frechet_rng, log_bessel_i0, skew_normal_rng, von_mises_rng } from "../../runtime/math/distributions/continuousRngs";
import { exponential_rng } from "../../runtime/math/distributions/exponential";
import { gamma_lpdf, gamma_rng } from "../../runtime/math/distributions/gamma";
import { lognormal_lpdf, lognormal_rng } from "../../runtime/math/distributions/lognormal";
import { neg_binomial_2_lpmf, neg_binomial_2_rng } from "../../runtime/math/distributions/negBinomial2";
import { normal_rng } from "../../runtime/math/distributions/normal";
import { poisson_lpmf, poisson_rng } from "../../runtime/math/distributions/poisson";
import { skew_normal_log_cdf } from "../../runtime/math/distributions/skewNormalCdf";
import { student_t_lccdf, student_t_lcdf, student_t_lpdf, student_t_rng } from "../../runtime/math/distributions/studentT";
import { weibull_rng } from "../../runtime/math/distributions/weibull";
import { wiener_lpdf } from "../../runtime/math/distributions/wiener";
import { isOrdinalKind, thresholdDifference, THRESHOLD_COMBINATION, type OrdinalKind } from "../families/ordinal";
import { wienerFirstPassage } from "./wienerSimulation";

/** One draw's distributional parameters (`mu`, `sigma`, `zi`, …). */
export type DrawParams = Readonly<Record<string, number>>;

/** What a row contributes besides the parameters, for one draw. */
export interface RowData {
  readonly trials: number;
  /** A matrix response's row (multinomial counts, dirichlet proportions). */
  readonly yRow?: ArrayLike<number>;
  /** Ordinal families: this draw's thresholds. */
  readonly thres?: ArrayLike<number>;
  /** Categorical families: this draw's linear predictors, the reference category's 0 first. */
  readonly eta?: ArrayLike<number>;
  /** The wiener family's decision (dec()): 1 upper boundary, 0 lower. */
  readonly dec?: number;
}

export interface FamilyKernel {
  /** Integer responses (rdiscrete's truncation, integer bounds). */
  readonly discrete: boolean;
  logLik(y: number, p: DrawParams, row: RowData): number;
  /** A posterior predictive draw; absent for matrix responses (brms's pp_check refuses them). */
  draw?(rng: Rng, p: DrawParams, row: RowData): number;
  /** P(Y ≤ q) (brms's p<dist>), for censoring and truncation; absent where brms's Stan code has no CDF. */
  cdf?(q: number, p: DrawParams, row: RowData): number;
  /** log P(Y ≤ q) and log P(Y > q), where a closed form keeps the tail's digits (R's log.p = TRUE). */
  lcdf?(q: number, p: DrawParams, row: RowData): number;
  lccdf?(q: number, p: DrawParams, row: RowData): number;
  /** The expected response (brms's posterior_epred); ordinal families: the mean category. */
  epred(p: DrawParams, row: RowData): number;
  /** Categorical and ordinal families: brms's posterior_epred per category (probabilities; multinomial: counts). */
  categoryEpred?(p: DrawParams, row: RowData): number[];
  /**
   * The mean of the distribution truncated to (lb, ub] (brms's posterior_epred_trunc_<family>);
   * count families sum y P(y) over lb < y ≤ ub, so their ub must be finite (brms caps it).
   */
  truncatedEpred?(p: DrawParams, row: RowData, lb: number, ub: number): number;
}

/** R's incomplete gamma as brms's incgamma: pgamma(x, a) Γ(a). */
const incgamma = (a: number, x: number) => (x === Infinity ? tgamma(a) : gamma_p(a, x) * tgamma(a));

/** brms's posterior_epred_trunc_discrete: Σ_{lb < y ≤ ub} y P(y) / (F(ub) − F(lb)), with lb at least −1. */
function truncatedCountMean(kernel: FamilyKernel, p: DrawParams, row: RowData, lb: number, ub: number): number {
  const lower = Math.max(lb, -1);
  let sum = 0;
  for (let y = Math.floor(lower) + 1; y <= ub; y++) if (y >= 0) sum += y * exp(kernel.logLik(y, p, row));
  const F = (q: number) => (q < 0 ? 0 : kernel.cdf!(q, p, row));
  return sum / (F(ub) - F(lower));
}

const LOG_2PI = log(2 * Math.PI);

const normalLpdf = (y: number, mu: number, sigma: number) => -0.5 * ((y - mu) / sigma) ** 2 - log(sigma) - 0.5 * LOG_2PI;
// Stan Math's densities (the runtime's): stable where R's are (negative binomial with a huge shape, …)
const poissonLpmf = (y: number, lambda: number) => poisson_lpmf(y, lambda, false);
const negbinomialLpmf = (y: number, mu: number, size: number) => neg_binomial_2_lpmf(y, mu, size, false);
const binomialLpmf = (y: number, n: number, prob: number) => binomial_lpmf(y, n, prob, false);
const betaLpdf = (y: number, a: number, b: number) => beta_lpdf(y, a, b, false);
const betaBinomialLpmf = (y: number, n: number, a: number, b: number) => lgamma(n + 1) - lgamma(y + 1) - lgamma(n - y + 1) + lbeta(y + a, n - y + b) - lbeta(a, b);
const gammaLpdf = (y: number, shape: number, scale: number) => gamma_lpdf(y, shape, 1 / scale, false);
const studentLpdf = (y: number, nu: number, mu: number, sigma: number) => student_t_lpdf(y, nu, mu, sigma, false);
const lognormalLpdf = (y: number, mu: number, sigma: number) => lognormal_lpdf(y, mu, sigma, false);
const weibullScale = (p: DrawParams) => p.mu / tgamma(1 + 1 / p.shape);
const frechetScale = (p: DrawParams) => p.mu / tgamma(1 - 1 / p.nu);

/** brms's skew_normal is parameterised by its mean: the direct parameters (xi, omega, alpha) of brms's cp2dp. */
function skewNormalDirect(p: DrawParams): { xi: number; omega: number } {
  const delta = p.alpha / Math.sqrt(1 + p.alpha ** 2);
  const omega = p.sigma / Math.sqrt(1 - (2 / Math.PI) * delta ** 2);
  return { xi: p.mu - omega * delta * Math.sqrt(2 / Math.PI), omega };
}

/** R's integer CDFs are step functions: P(Y ≤ q) = P(Y ≤ floor(q)); below 0 nothing. */
function countCdf(cdfAtInteger: (k: number) => number): (q: number) => number {
  return (q) => (q < 0 ? 0 : q === Infinity ? 1 : cdfAtInteger(Math.floor(q)));
}

/** log P(Y ≤ q) and log P(Y > q) computed from the CDF, for kernels without a closed log form. */
const logOf = (cdf: (q: number, p: DrawParams, row: RowData) => number) => ({
  lcdf: (q: number, p: DrawParams, row: RowData) => log(cdf(q, p, row)),
  lccdf: (q: number, p: DrawParams, row: RowData) => log1p(-cdf(q, p, row)),
});

/** Draws a number by rejection: zero with probability `zero`, else from `positive`. */
const inflated = (rng: Rng, zero: number, otherwise: () => number) => (rng.uniform() < zero ? 0 : otherwise());

/** R's rpois(λ) conditioned on a positive value, as brms draws hurdle counts: λ − t with t from the zero-truncation. */
function hurdleShift(rng: Rng, mean: number): number {
  return -log(1 - rng.uniform() * (1 - exp(-mean)));
}

const gaussian: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => normalLpdf(y, p.mu, p.sigma),
  draw: (rng, p) => normal_rng(rng, p.mu, p.sigma),
  cdf: (q, p) => Phi((q - p.mu) / p.sigma),
  lcdf: (q, p) => log_Phi((q - p.mu) / p.sigma),
  lccdf: (q, p) => log_Phi((p.mu - q) / p.sigma),
  epred: (p) => p.mu,
  truncatedEpred: (p, _row, lb, ub) => {
    const zlb = (lb - p.mu) / p.sigma;
    const zub = (ub - p.mu) / p.sigma;
    const density = (z: number) => (Number.isFinite(z) ? exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) : 0);
    // the runtime's Phi is NaN at −∞
    const cdf = (z: number) => (z === -Infinity ? 0 : Phi(z));
    return p.mu + ((density(zlb) - density(zub)) / (cdf(zub) - cdf(zlb))) * p.sigma;
  },
};

const student: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => studentLpdf(y, p.nu, p.mu, p.sigma),
  draw: (rng, p) => student_t_rng(rng, p.nu, p.mu, p.sigma),
  cdf: (q, p) => exp(student_t_lcdf(q, p.nu, p.mu, p.sigma)),
  lcdf: (q, p) => student_t_lcdf(q, p.nu, p.mu, p.sigma),
  lccdf: (q, p) => student_t_lccdf(q, p.nu, p.mu, p.sigma),
  epred: (p) => p.mu,
  truncatedEpred: (p, _row, lb, ub) => {
    const nu = p.nu;
    const zlb = (lb - p.mu) / p.sigma;
    const zub = (ub - p.mu) / p.sigma;
    const cdf = (z: number) => (z === -Infinity ? 0 : z === Infinity ? 1 : exp(student_t_lcdf(z, nu, 0, 1)));
    const g1 = (tgamma((nu - 1) / 2) * pow(nu, nu / 2)) / (2 * (cdf(zub) - cdf(zlb)) * tgamma(nu / 2) * tgamma(0.5));
    const tail = (z: number) => (Number.isFinite(z) ? pow(nu + z * z, -(nu - 1) / 2) : 0);
    return p.mu + g1 * (tail(zlb) - tail(zub)) * p.sigma;
  },
};

const skewNormal: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const { xi, omega } = skewNormalDirect(p);
    const z = (y - xi) / omega;
    return Math.LN2 + normalLpdf(z, 0, 1) - log(omega) + log_Phi(p.alpha * z);
  },
  draw: (rng, p) => {
    const { xi, omega } = skewNormalDirect(p);
    return skew_normal_rng(rng, xi, omega, p.alpha);
  },
  cdf: (q, p) => exp(skewNormal.lcdf!(q, p, { trials: 0 })),
  lcdf: (q, p) => {
    const { xi, omega } = skewNormalDirect(p);
    return skew_normal_log_cdf((q - xi) / omega, p.alpha);
  },
  lccdf: (q, p) => {
    // P(Y > q) = F(−z | −α) of the mirrored standard skew normal
    const { xi, omega } = skewNormalDirect(p);
    return skew_normal_log_cdf(-(q - xi) / omega, -p.alpha);
  },
  epred: (p) => p.mu,
};

const lognormal: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => lognormalLpdf(y, p.mu, p.sigma),
  draw: (rng, p) => lognormal_rng(rng, p.mu, p.sigma),
  cdf: (q, p) => (q <= 0 ? 0 : Phi((log(q) - p.mu) / p.sigma)),
  lcdf: (q, p) => (q <= 0 ? -Infinity : log_Phi((log(q) - p.mu) / p.sigma)),
  lccdf: (q, p) => (q <= 0 ? 0 : log_Phi((p.mu - log(q)) / p.sigma)),
  epred: (p) => exp(p.mu + p.sigma ** 2 / 2),
  truncatedEpred: (p, row, lb, ub) => {
    const lower = Math.max(lb, 0);
    const partial = (q: number) => (q <= 0 ? 0 : q === Infinity ? 1 : Phi((log(q) - p.mu) / p.sigma - p.sigma));
    const m1 = exp(p.mu + p.sigma ** 2 / 2) * (partial(ub) - partial(lower));
    return m1 / (lognormal.cdf!(ub, p, row) - lognormal.cdf!(lower, p, row));
  },
};

const shiftedLognormal: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => lognormalLpdf(y - p.ndt, p.mu, p.sigma),
  draw: (rng, p) => lognormal_rng(rng, p.mu, p.sigma) + p.ndt,
  epred: (p) => exp(p.mu + p.sigma ** 2 / 2) + p.ndt,
};

/** brms's exgaussian: mean mu, so the normal part is centred at mu − beta, plus an exponential of mean beta. */
const exgaussian: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const mu = p.mu - p.beta;
    const z = y - mu - p.sigma ** 2 / p.beta;
    return -log(p.beta) - (z + p.sigma ** 2 / (2 * p.beta)) / p.beta + log_Phi(z / p.sigma);
  },
  draw: (rng, p) => exp_mod_normal_rng(rng, p.mu - p.beta, p.sigma, 1 / p.beta),
  cdf: (q, p) => {
    const mu = p.mu - p.beta;
    const s2b = p.sigma ** 2 / p.beta;
    const z = q - mu - s2b;
    return Phi((q - mu) / p.sigma) - Phi(z / p.sigma) * exp(((mu + s2b) ** 2 - mu ** 2 - 2 * q * s2b) / (2 * p.sigma ** 2));
  },
  epred: (p) => p.mu,
};

/** brms's gamma: mean mu, scale = mu / shape. */
const gamma: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => gammaLpdf(y, p.shape, p.mu / p.shape),
  draw: (rng, p) => gamma_rng(rng, p.shape, p.shape / p.mu),
  cdf: (q, p) => (q <= 0 ? 0 : q === Infinity ? 1 : gamma_p(p.shape, (q * p.shape) / p.mu)),
  lcdf: (q, p) => (q <= 0 ? -Infinity : log(gamma_p(p.shape, (q * p.shape) / p.mu))),
  lccdf: (q, p) => (q <= 0 ? 0 : log(gamma_q(p.shape, (q * p.shape) / p.mu))),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => {
    const lower = Math.max(lb, 0);
    const scale = p.mu / p.shape;
    const m1 = (scale / tgamma(p.shape)) * (incgamma(1 + p.shape, ub / scale) - incgamma(1 + p.shape, lower / scale));
    return m1 / (gamma.cdf!(ub, p, row) - gamma.cdf!(lower, p, row));
  },
};

/** brms's weibull: mean mu, scale = mu / Γ(1 + 1/shape). */
const weibull: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const scale = weibullScale(p);
    return log(p.shape / scale) + (p.shape - 1) * log(y / scale) - pow(y / scale, p.shape);
  },
  draw: (rng, p) => weibull_rng(rng, p.shape, weibullScale(p)),
  cdf: (q, p) => (q <= 0 ? 0 : -expm1(-pow(q / weibullScale(p), p.shape))),
  lcdf: (q, p) => (q <= 0 ? -Infinity : log1m_exp(-pow(q / weibullScale(p), p.shape))),
  lccdf: (q, p) => (q <= 0 ? 0 : -pow(q / weibullScale(p), p.shape)),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => {
    const lower = Math.max(lb, 0);
    const a = 1 + 1 / p.shape;
    const scale = p.mu / tgamma(a);
    const m1 = scale * (incgamma(a, pow(ub / scale, p.shape)) - incgamma(a, pow(lower / scale, p.shape)));
    return m1 / (weibull.cdf!(ub, p, row) - weibull.cdf!(lower, p, row));
  },
};

/** brms's frechet: mean mu, scale = mu / Γ(1 − 1/nu). */
const frechet: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const scale = frechetScale(p);
    const x = y / scale;
    return log(p.nu / scale) - (1 + p.nu) * log(x) - pow(x, -p.nu);
  },
  draw: (rng, p) => frechet_rng(rng, p.nu, frechetScale(p)),
  cdf: (q, p) => (q <= 0 ? 0 : exp(-pow(q / frechetScale(p), -p.nu))),
  lcdf: (q, p) => (q <= 0 ? -Infinity : -pow(q / frechetScale(p), -p.nu)),
  lccdf: (q, p) => (q <= 0 ? 0 : log1m_exp(-pow(q / frechetScale(p), -p.nu))),
  epred: (p) => p.mu,
};

const exponential: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => -log(p.mu) - y / p.mu,
  draw: (rng, p) => exponential_rng(rng, 1 / p.mu),
  cdf: (q, p) => (q <= 0 ? 0 : -expm1(-q / p.mu)),
  lcdf: (q, p) => (q <= 0 ? -Infinity : log1m_exp(-q / p.mu)),
  lccdf: (q, p) => (q <= 0 ? 0 : -q / p.mu),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => {
    const lower = Math.max(lb, 0);
    const m1 = p.mu * (incgamma(2, ub / p.mu) - incgamma(2, lower / p.mu));
    return m1 / (exponential.cdf!(ub, p, row) - exponential.cdf!(lower, p, row));
  },
};

const genExtremeValue: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const x = (y - p.mu) / p.sigma;
    if (p.xi === 0) return -log(p.sigma) - x - exp(-x);
    const t = 1 + p.xi * x;
    return -log(p.sigma) - (1 + 1 / p.xi) * log(t) - pow(t, -1 / p.xi);
  },
  // brms's rgen_extreme_value: mu + sigma (E^(−xi) − 1) / xi with E standard exponential
  draw: (rng, p) => {
    const e = exponential_rng(rng, 1);
    return p.xi === 0 ? p.mu - p.sigma * log(e) : p.mu + (p.sigma * (pow(e, -p.xi) - 1)) / p.xi;
  },
  epred: (p) => p.mu + (p.sigma * (tgamma(1 - p.xi) - 1)) / p.xi,
};

const inverseGaussian: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => 0.5 * log(p.shape / (2 * Math.PI)) - 1.5 * log(y) - (0.5 * p.shape * (y - p.mu) ** 2) / (y * p.mu ** 2),
  // brms's rinv_gaussian (Michael, Schucany and Haas)
  draw: (rng, p) => {
    const mu = p.mu;
    const y = rng.normal() ** 2;
    const x = mu + (mu * mu * y) / (2 * p.shape) - (mu / (2 * p.shape)) * Math.sqrt(4 * mu * p.shape * y + mu * mu * y * y);
    return rng.uniform() <= mu / (mu + x) ? x : (mu * mu) / x;
  },
  epred: (p) => p.mu,
};

/**
 * asym_laplace: mu is the `quantile`-th quantile, sigma the scale (brms's dasym_laplace,
 * pasym_laplace, qasym_laplace). Draws invert the CDF at a uniform, as brms's rasym_laplace does.
 */
const asymLaplace: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => {
    const z = (y - p.mu) / p.sigma;
    return log((p.quantile * (1 - p.quantile)) / p.sigma) + (y < p.mu ? (1 - p.quantile) * z : -p.quantile * z);
  },
  draw: (rng, p) => {
    const u = rng.uniform();
    return u < p.quantile ? p.mu + (p.sigma * log(u / p.quantile)) / (1 - p.quantile) : p.mu - (p.sigma * log((1 - u) / (1 - p.quantile))) / p.quantile;
  },
  cdf: (q, p) => exp(asymLaplace.lcdf!(q, p, { trials: 0 })),
  lcdf: (q, p) => (q < p.mu ? log(p.quantile) + ((1 - p.quantile) * (q - p.mu)) / p.sigma : log1p(-(1 - p.quantile) * exp((-p.quantile * (q - p.mu)) / p.sigma))),
  lccdf: (q, p) => (q < p.mu ? log1p(-p.quantile * exp(((1 - p.quantile) * (q - p.mu)) / p.sigma)) : log1p(-p.quantile) - (p.quantile * (q - p.mu)) / p.sigma),
  // brms's posterior_epred_asym_laplace
  epred: (p) => p.mu + (p.sigma * (1 - 2 * p.quantile)) / (p.quantile * (1 - p.quantile)),
};

/** Angles wrapped into [−π, π), as brms's rvon_mises returns them. */
const wrapAngle = (x: number) => {
  const twoPi = 2 * Math.PI;
  return ((((x + Math.PI) % twoPi) + twoPi) % twoPi) - Math.PI;
};

const vonMises: FamilyKernel = {
  discrete: false,
  // R's besselI(kappa, 0, expon.scaled = TRUE) = I0(kappa) e^−kappa
  logLik: (y, p) => -log(2 * Math.PI) - (log_bessel_i0(p.kappa) - p.kappa) + p.kappa * (cos(y - p.mu) - 1),
  draw: (rng, p) => wrapAngle(von_mises_rng(rng, p.mu, p.kappa)),
  epred: (p) => p.mu,
};

const beta: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => betaLpdf(y, p.mu * p.phi, (1 - p.mu) * p.phi),
  draw: (rng, p) => beta_rng(rng, p.mu * p.phi, (1 - p.mu) * p.phi),
  cdf: (q, p) => (q <= 0 ? 0 : q >= 1 ? 1 : inc_beta(p.mu * p.phi, (1 - p.mu) * p.phi, q)),
  epred: (p) => p.mu,
};

const bernoulli: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => (y === 1 ? log(p.mu) : log1p(-p.mu)),
  draw: (rng, p) => bernoulli_rng(rng, p.mu),
  epred: (p) => p.mu,
};

const binomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p, row) => binomialLpmf(y, row.trials, p.mu),
  draw: (rng, p, row) => binomial_rng(rng, row.trials, p.mu),
  epred: (p, row) => p.mu * row.trials,
};

const betaBinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p, row) => betaBinomialLpmf(y, row.trials, p.mu * p.phi, (1 - p.mu) * p.phi),
  // brms's rbeta_binomial: a beta draw of the probability, then a binomial draw
  draw: (rng, p, row) => binomial_rng(rng, row.trials, beta_rng(rng, p.mu * p.phi, (1 - p.mu) * p.phi)),
  epred: (p, row) => p.mu * row.trials,
};

const poissonCdf = (q: number, p: DrawParams) => countCdf((k) => gamma_q(k + 1, p.mu))(q);
const poisson: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => poissonLpmf(y, p.mu),
  draw: (rng, p) => poisson_rng(rng, p.mu),
  cdf: poissonCdf,
  ...logOf(poissonCdf),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => truncatedCountMean(poisson, p, row, lb, ub),
};

/** R's pnbinom(q, mu =, size =): I_{size/(size+mu)}(size, q + 1). */
const negbinomialCdf = (q: number, mu: number, size: number) => countCdf((k) => inc_beta(size, k + 1, size / (size + mu)))(q);
const negbinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => negbinomialLpmf(y, p.mu, p.shape),
  draw: (rng, p) => neg_binomial_2_rng(rng, p.mu, p.shape),
  cdf: (q, p) => negbinomialCdf(q, p.mu, p.shape),
  ...logOf((q, p) => negbinomialCdf(q, p.mu, p.shape)),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => truncatedCountMean(negbinomial, p, row, lb, ub),
};

/** geometric = negbinomial with shape 1 (scaled by rate()'s denominator as brms does: `shape` is set then). */
const geometric: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => negbinomialLpmf(y, p.mu, p.shape ?? 1),
  draw: (rng, p) => neg_binomial_2_rng(rng, p.mu, p.shape ?? 1),
  cdf: (q, p) => negbinomialCdf(q, p.mu, p.shape ?? 1),
  ...logOf((q, p) => negbinomialCdf(q, p.mu, p.shape ?? 1)),
  epred: (p) => p.mu,
  truncatedEpred: (p, row, lb, ub) => truncatedCountMean(geometric, p, row, lb, ub),
};

// ---------------------------------------------------------------------------------------------
// zero-inflated and hurdle families (brms's .dzero_inflated and .dhurdle)

/** log(zi + (1 − zi) f(0)) at 0, log(1 − zi) + log f(y) elsewhere. */
const zeroInflatedLogLik = (y: number, zi: number, logDensity: (y: number) => number) =>
  y === 0 ? log(zi + (1 - zi) * exp(logDensity(0))) : log1p(-zi) + logDensity(y);

/** log(hu) at 0, log(1 − hu) + log f(y) − log(1 − f(0)) elsewhere (no f(0) term for a continuous density). */
const hurdleLogLik = (y: number, hu: number, logDensity: (y: number) => number, discrete: boolean) =>
  y === 0 ? log(hu) : log1p(-hu) + logDensity(y) - (discrete ? log1p(-exp(logDensity(0))) : 0);

const zeroInflatedPoisson: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => zeroInflatedLogLik(y, p.zi, (k) => poissonLpmf(k, p.mu)),
  draw: (rng, p) => inflated(rng, p.zi, () => poisson_rng(rng, p.mu)),
  epred: (p) => p.mu * (1 - p.zi),
};

const zeroInflatedNegbinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => zeroInflatedLogLik(y, p.zi, (k) => negbinomialLpmf(k, p.mu, p.shape)),
  draw: (rng, p) => inflated(rng, p.zi, () => neg_binomial_2_rng(rng, p.mu, p.shape)),
  epred: (p) => p.mu * (1 - p.zi),
};

const zeroInflatedBinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p, row) => zeroInflatedLogLik(y, p.zi, (k) => binomialLpmf(k, row.trials, p.mu)),
  draw: (rng, p, row) => inflated(rng, p.zi, () => binomial_rng(rng, row.trials, p.mu)),
  epred: (p, row) => p.mu * row.trials * (1 - p.zi),
};

const zeroInflatedBetaBinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p, row) => zeroInflatedLogLik(y, p.zi, (k) => betaBinomialLpmf(k, row.trials, p.mu * p.phi, (1 - p.mu) * p.phi)),
  draw: (rng, p, row) => {
    const draw = beta_binomial_rng(rng, row.trials, p.mu * p.phi, (1 - p.mu) * p.phi);
    return rng.uniform() < p.zi ? 0 : draw;
  },
  epred: (p, row) => p.mu * row.trials * (1 - p.zi),
};

const zeroInflatedBeta: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => hurdleLogLik(y, p.zi, (v) => betaLpdf(v, p.mu * p.phi, (1 - p.mu) * p.phi), false),
  draw: (rng, p) => inflated(rng, p.zi, () => beta_rng(rng, p.mu * p.phi, (1 - p.mu) * p.phi)),
  epred: (p) => p.mu * (1 - p.zi),
};

const zeroOneInflatedBeta: FamilyKernel = {
  discrete: false,
  logLik: (y, p) =>
    y === 0 || y === 1
      ? log(p.zoi) + (y === 1 ? log(p.coi) : log1p(-p.coi))
      : log1p(-p.zoi) + betaLpdf(y, p.mu * p.phi, (1 - p.mu) * p.phi),
  draw: (rng, p) => {
    const zeroOrOne = rng.uniform() < p.zoi;
    const one = rng.uniform() < p.coi;
    return zeroOrOne ? (one ? 1 : 0) : beta_rng(rng, p.mu * p.phi, (1 - p.mu) * p.phi);
  },
  epred: (p) => p.zoi * p.coi + p.mu * (1 - p.zoi),
};

const hurdlePoisson: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => hurdleLogLik(y, p.hu, (k) => poissonLpmf(k, p.mu), true),
  draw: (rng, p) => {
    const hurdle = rng.uniform() < p.hu;
    const t = hurdleShift(rng, p.mu);
    return hurdle ? 0 : poisson_rng(rng, p.mu - t) + 1;
  },
  epred: (p) => (p.mu / (1 - exp(-p.mu))) * (1 - p.hu),
};

const hurdleNegbinomial: FamilyKernel = {
  discrete: true,
  logLik: (y, p) => hurdleLogLik(y, p.hu, (k) => negbinomialLpmf(k, p.mu, p.shape), true),
  draw: (rng, p) => {
    const hurdle = rng.uniform() < p.hu;
    const t = hurdleShift(rng, p.mu);
    return hurdle ? 0 : neg_binomial_2_rng(rng, p.mu - t, p.shape) + 1;
  },
  epred: (p) => (p.mu / (1 - pow(p.shape / (p.mu + p.shape), p.shape))) * (1 - p.hu),
};

const hurdleGamma: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => hurdleLogLik(y, p.hu, (v) => gammaLpdf(v, p.shape, p.mu / p.shape), false),
  draw: (rng, p) => inflated(rng, p.hu, () => gamma_rng(rng, p.shape, p.shape / p.mu)),
  epred: (p) => p.mu * (1 - p.hu),
};

const hurdleLognormal: FamilyKernel = {
  discrete: false,
  logLik: (y, p) => hurdleLogLik(y, p.hu, (v) => lognormalLpdf(v, p.mu, p.sigma), false),
  draw: (rng, p) => inflated(rng, p.hu, () => lognormal_rng(rng, p.mu, p.sigma)),
  epred: (p) => exp(p.mu + p.sigma ** 2 / 2) * (1 - p.hu),
};

// ---------------------------------------------------------------------------------------------
// ordinal families

/** log F and log(1 − F) of the standardised latent variable under each ordinal link (brms's log_cdf / log_ccdf). */
function linkLogCdf(link: string, x: number): number {
  switch (link) {
    case "logit":
      return log_inv_logit(x);
    case "probit":
    case "probit_approx":
      return log_Phi(x);
    case "cauchit":
      return log(0.5 + atan(x) / Math.PI);
    case "cloglog":
      return log1m_exp(-exp(x));
  }
  throw new Error(`internal error: no ordinal link '${link}'`);
}
function linkLogCcdf(link: string, x: number): number {
  switch (link) {
    case "logit":
      return log1m_inv_logit(x);
    case "probit":
    case "probit_approx":
      return log_Phi(-x);
    case "cauchit":
      return log(0.5 - atan(x) / Math.PI);
    case "cloglog":
      return -exp(x);
  }
  throw new Error(`internal error: no ordinal link '${link}'`);
}
/** brms's inv_link for the ordinal links (probit_approx is pnorm in brms's R code too). */
const linkCdf = (link: string, x: number) => (link === "logit" ? inv_logit(x) : exp(linkLogCdf(link, x)));

/** The probabilities of categories 1..nthres + 1 (brms's d<family> via inv_link_<family>). */
function ordinalProbabilities(kind: OrdinalKind, link: string, mu: number, disc: number, thres: ArrayLike<number>): number[] {
  const K = thres.length;
  const p: number[] = new Array(K + 1);
  // disc * (thres_k − mu) or disc * (mu − thres_k), as the family combines them
  const eta = (k: number) => disc * thresholdDifference(kind, thres[k], mu);
  if (kind === "cumulative") {
    let previous = 0;
    for (let k = 0; k < K; k++) {
      const F = linkCdf(link, eta(k));
      p[k] = F - previous;
      previous = F;
    }
    p[K] = 1 - previous;
  } else if (kind === "sratio") {
    // stop at k with F(thres_k − mu), having passed every earlier threshold
    let survive = 1;
    for (let k = 0; k < K; k++) {
      const F = linkCdf(link, eta(k));
      p[k] = F * survive;
      survive *= 1 - F;
    }
    p[K] = survive;
  } else if (kind === "cratio") {
    let go = 1;
    for (let k = 0; k < K; k++) {
      const F = linkCdf(link, eta(k));
      p[k] = (1 - F) * go;
      go *= F;
    }
    p[K] = go;
  } else {
    // acat: brms's inv_link_acat
    if (link === "logit") {
      let cumulative = 0;
      p[0] = 1;
      for (let k = 0; k < K; k++) {
        cumulative += eta(k);
        p[k + 1] = exp(cumulative);
      }
    } else {
      const q = Array.from({ length: K }, (_, k) => linkCdf(link, eta(k)));
      for (let k = 0; k <= K; k++) {
        let prod = 1;
        for (let j = 0; j < k; j++) prod *= q[j];
        for (let j = k; j < K; j++) prod *= 1 - q[j];
        p[k] = prod;
      }
    }
    const total = p.reduce((a, v) => a + v, 0);
    for (let k = 0; k <= K; k++) p[k] /= total;
  }
  return p;
}

/** brms's log_lik_<ordinal family>, on the log scale where brms computes it there. */
function ordinalLogLik(kind: OrdinalKind, link: string, y: number, mu: number, disc: number, thres: ArrayLike<number>): number {
  const K = thres.length;
  // disc * (thres_k − mu) or disc * (mu − thres_k), as the family combines them (k from 1)
  const eta = (k: number) => disc * thresholdDifference(kind, thres[k - 1], mu);
  if (kind === "cumulative") {
    if (y === 1) return linkLogCdf(link, eta(1));
    if (y === K + 1) return linkLogCcdf(link, eta(K));
    return log_diff_exp(linkLogCdf(link, eta(y)), linkLogCdf(link, eta(y - 1)));
  }
  if (kind === "sratio" || kind === "cratio") {
    // q_k: log of passing threshold k (sratio: continuing past it, cratio: exceeding it)
    const q = (k: number) => (kind === "sratio" ? linkLogCcdf(link, eta(k)) : linkLogCdf(link, eta(k)));
    let passed = 0;
    for (let k = 1; k < Math.min(y, K + 1); k++) passed += q(k);
    return y === K + 1 ? passed : log1m_exp(q(y)) + passed;
  }
  if (link === "logit") {
    // brms: p[y] − log(Σ exp(p)) on the cumulative-sum scale
    let cumulative = 0;
    const logits = [0];
    for (let k = 1; k <= K; k++) logits.push((cumulative += eta(k)));
    const max = Math.max(...logits);
    return logits[y - 1] - (max + log(logits.reduce((a, v) => a + exp(v - max), 0)));
  }
  return log(ordinalProbabilities(kind, link, mu, disc, thres)[y - 1]);
}

/** The category whose cumulative probability first reaches a uniform draw (brms's first_greater). */
function drawCategory(rng: Rng, probabilities: readonly number[]): number {
  const u = rng.uniform();
  let cumulative = 0;
  for (let k = 0; k < probabilities.length; k++) {
    cumulative += probabilities[k];
    if (u <= cumulative) return k + 1;
  }
  return probabilities.length;
}

function ordinalKernel(kind: OrdinalKind, link: string): FamilyKernel {
  const probabilities = (p: DrawParams, row: RowData) => ordinalProbabilities(kind, link, p.mu, p.disc ?? 1, row.thres!);
  return {
    discrete: true,
    logLik: (y, p, row) => ordinalLogLik(kind, link, y, p.mu, p.disc ?? 1, row.thres!),
    draw: (rng, p, row) => drawCategory(rng, probabilities(p, row)),
    // brms's ordinal_probs_continuous: Σ k P(k)
    epred: (p, row) => probabilities(p, row).reduce((a, v, k) => a + v * (k + 1), 0),
    categoryEpred: probabilities,
  };
}

// ---------------------------------------------------------------------------------------------
// categorical, multinomial, dirichlet

/** log softmax of the category predictors. */
function logSoftmax(eta: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let k = 0; k < eta.length; k++) max = Math.max(max, eta[k]);
  let total = 0;
  for (let k = 0; k < eta.length; k++) total += exp(eta[k] - max);
  const logTotal = max + log(total);
  return Array.from(eta, (e) => e - logTotal);
}

const categorical: FamilyKernel = {
  discrete: true,
  logLik: (y, _p, row) => logSoftmax(row.eta!)[y - 1],
  draw: (rng, _p, row) => drawCategory(rng, logSoftmax(row.eta!).map(exp)),
  epred: () => {
    throw new Error("internal error: a categorical model's expected value is a probability per category");
  },
  categoryEpred: (_p, row) => logSoftmax(row.eta!).map(exp),
};

const multinomial: FamilyKernel = {
  discrete: true,
  logLik: (_y, _p, row) => {
    const logProb = logSoftmax(row.eta!);
    const counts = row.yRow!;
    let size = 0;
    let out = 0;
    for (let k = 0; k < counts.length; k++) {
      size += counts[k];
      out += counts[k] * logProb[k] - lgamma(counts[k] + 1);
    }
    return lgamma(size + 1) + out;
  },
  epred: () => {
    throw new Error("internal error: a multinomial model's expected value is a count per category");
  },
  categoryEpred: (_p, row) => logSoftmax(row.eta!).map((l) => exp(l) * row.trials),
};

const dirichlet: FamilyKernel = {
  discrete: false,
  logLik: (_y, p, row) => {
    const alpha = logSoftmax(row.eta!).map((l) => exp(l) * p.phi);
    const x = row.yRow!;
    let out = lgamma(alpha.reduce((a, v) => a + v, 0));
    for (let k = 0; k < alpha.length; k++) out += (alpha[k] - 1) * log(x[k]) - lgamma(alpha[k]);
    return out;
  },
  epred: () => {
    throw new Error("internal error: a dirichlet model's expected value is a proportion per category");
  },
  categoryEpred: (_p, row) => logSoftmax(row.eta!).map(exp),
};

/**
 * wiener: mu is the drift, bs the boundary separation, ndt the non-decision time, bias the start.
 * A lower-boundary response is the upper one of the mirrored process (bias → 1 − bias, drift →
 * −drift), as in brms's Stan function; a time at or below ndt has density 0 (brms's dwiener), where
 * Stan's wiener_lpdf would reject. posterior_predict draws the reaction time only (brms's default
 * negative_rt = FALSE), whichever boundary is reached.
 */
const wiener: FamilyKernel = {
  discrete: false,
  logLik: (y, p, row) => {
    if (!(y > p.ndt)) return -Infinity;
    return row.dec === 1 ? wiener_lpdf(y, p.bs, p.ndt, p.bias, p.mu, false) : wiener_lpdf(y, p.bs, p.ndt, 1 - p.bias, -p.mu, false);
  },
  draw: (rng, p) => wienerFirstPassage(rng, p.bs, p.ndt, p.bias, p.mu).time,
  // brms 2.18's posterior_epred_wiener, which reads bias as the start on the scale of bs
  epred: (p) => p.ndt - p.bias / p.mu + ((p.bs / p.mu) * expm1(-2 * p.mu * p.bias)) / expm1(-2 * p.mu * p.bs),
};

const KERNELS: Readonly<Record<string, FamilyKernel>> = {
  gaussian,
  student,
  skew_normal: skewNormal,
  lognormal,
  shifted_lognormal: shiftedLognormal,
  exgaussian,
  gamma,
  weibull,
  frechet,
  exponential,
  gen_extreme_value: genExtremeValue,
  "inverse.gaussian": inverseGaussian,
  von_mises: vonMises,
  asym_laplace: asymLaplace,
  beta,
  bernoulli,
  binomial,
  beta_binomial: betaBinomial,
  poisson,
  negbinomial,
  geometric,
  zero_inflated_poisson: zeroInflatedPoisson,
  zero_inflated_negbinomial: zeroInflatedNegbinomial,
  zero_inflated_binomial: zeroInflatedBinomial,
  zero_inflated_beta_binomial: zeroInflatedBetaBinomial,
  zero_inflated_beta: zeroInflatedBeta,
  zero_one_inflated_beta: zeroOneInflatedBeta,
  hurdle_poisson: hurdlePoisson,
  hurdle_negbinomial: hurdleNegbinomial,
  hurdle_gamma: hurdleGamma,
  hurdle_lognormal: hurdleLognormal,
  categorical,
  multinomial,
  dirichlet,
  wiener,
};

export const ORDINAL_KINDS: readonly string[] = Object.keys(THRESHOLD_COMBINATION);

/** Families whose log_lik, posterior_predict and posterior_epred stan2ts computes. */
export const KERNEL_FAMILIES: readonly string[] = [...Object.keys(KERNELS), ...ORDINAL_KINDS];

/** A family as the post-fit code needs it: its name and mu link, and a mixture's components. */
export interface KernelFamily {
  readonly name: string;
  readonly link: string;
  readonly mixture?: { readonly components: readonly { readonly family: string; readonly link: string; readonly dpars: readonly string[] }[] };
}

/** The kernel of a response's family: a mixture's is built from its components' kernels. */
export function kernelOfFamily(family: KernelFamily): FamilyKernel | undefined {
  if (!family.mixture) return familyKernel(family.name, family.link);
  const kernels = family.mixture.components.map((c) => familyKernel(c.family, c.link));
  if (kernels.some((k) => k === undefined)) return undefined;
  return mixtureKernel(family.mixture.components.map((c, i) => ({ kernel: kernels[i]!, dpars: c.dpars })));
}

/**
 * brms's log_lik_mixture, posterior_predict_mixture and posterior_epred_mixture: the draw's
 * parameters hold component k's dpars with the suffix k (`mu1`, `sigma2`) and its proportion
 * `theta<k>` (already normalised); the density is Σ θ_k p_k(y) (summed on the log scale), a
 * prediction draws the component first and then the response, the expected value is Σ θ_k E_k.
 */
function mixtureKernel(components: readonly { kernel: FamilyKernel; dpars: readonly string[] }[]): FamilyKernel {
  // one reusable parameter object per component, filled from the mixture's draw
  const own = components.map(() => ({}) as Record<string, number>);
  const paramsOf = (k: number, p: DrawParams): DrawParams => {
    for (const d of components[k].dpars) own[k][d] = p[`${d}${k + 1}`];
    return own[k];
  };
  const theta = (k: number, p: DrawParams) => p[`theta${k + 1}`];
  return {
    discrete: components[0].kernel.discrete,
    logLik: (y, p, row) => {
      const terms = components.map((c, k) => log(theta(k, p)) + c.kernel.logLik(y, paramsOf(k, p), row));
      const top = Math.max(...terms);
      if (top === -Infinity) return -Infinity;
      return top + log(terms.reduce((sum, t) => sum + exp(t - top), 0));
    },
    draw: components.every((c) => c.kernel.draw !== undefined)
      ? (rng, p, row) => {
          // brms's sample_mixture_ids: the component whose cumulative proportion first exceeds a uniform draw
          const u = rng.uniform();
          let k = 0;
          for (let cumulative = theta(0, p); k < components.length - 1 && u > cumulative; cumulative += theta(k + 1, p)) k++;
          return components[k].kernel.draw!(rng, paramsOf(k, p), row);
        }
      : undefined,
    epred: (p, row) => components.reduce((sum, c, k) => sum + theta(k, p) * c.kernel.epred(paramsOf(k, p), row), 0),
  };
}

/** The kernel of a family (ordinal families per link), or undefined when stan2ts has none. */
export function familyKernel(family: string, link: string): FamilyKernel | undefined {
  if (isOrdinalKind(family)) return ordinalKernel(family, link);
  return KERNELS[family];
}
