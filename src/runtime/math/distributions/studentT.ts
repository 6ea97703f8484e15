/** Student-t distribution: density, log cdf, log ccdf, rng. */
import type { Rng } from "../../model";
import {
  type Partials,
  type Real,
  at,
  broadcastLength,
  checkFinite,
  checkNotNan,
  checkPositiveFinite,
  stride,
  zero,
} from "../checks";
import { LOG_SQRT_PI, digamma, inc_beta_lower, inc_beta_upper, lgamma } from "../special";
import { gammaDraw } from "./rngSupport";
import { exp, log, log1p } from "../elementary";

const NAMES = [
  "Random variable",
  "Degrees of freedom parameter",
  "Location parameter",
  "Scale parameter",
];

function checkArgs(fn: string, y: Real, nu: Real, mu: Real, sigma: Real): number {
  checkNotNan(fn, NAMES[0], y);
  checkPositiveFinite(fn, NAMES[1], nu);
  checkFinite(fn, NAMES[2], mu);
  checkPositiveFinite(fn, NAMES[3], sigma);
  return broadcastLength(fn, NAMES, y, nu, mu, sigma);
}

/** The ν-only part of the log density: lgamma((ν+1)/2) − lgamma(ν/2) − ½ log ν. */
function nuTerm(v: number): number {
  return lgamma(0.5 * (v + 1)) - lgamma(0.5 * v) - 0.5 * log(v);
}

/** Its derivative: ½(ψ((ν+1)/2) − ψ(ν/2)) − 1/(2ν). */
function nuDigamma(v: number): number {
  return 0.5 * (digamma(0.5 * (v + 1)) - digamma(0.5 * v)) - 0.5 / v;
}

function studentTLpdf(
  y: Real,
  nu: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_sigma: Partials,
  yVar: boolean,
  nuVar: boolean,
  muVar: boolean,
  sigmaVar: boolean,
): number {
  const N = checkArgs("student_t_lpdf", y, nu, mu, sigma);
  if (N === 0 || (propto && !yVar && !nuVar && !muVar && !sigmaVar)) {
    zero(d_y);
    zero(d_nu);
    zero(d_mu);
    zero(d_sigma);
    return 0;
  }
  const includeNu = !propto || nuVar;
  const includeSigma = !propto || sigmaVar;
  // Scalar ν and σ: their lgamma/digamma/log terms are computed once, not per element.
  const ya = typeof y === "number" ? null : y;
  const ys = typeof y === "number" ? y : 0;
  const na = typeof nu === "number" ? null : nu;
  const nsc = typeof nu === "number" ? nu : 1;
  const ma = typeof mu === "number" ? null : mu;
  const ms = typeof mu === "number" ? mu : 0;
  const sa = typeof sigma === "number" ? null : sigma;
  const ssc = typeof sigma === "number" ? sigma : 1;
  const dyv = ya === null ? null : d_y;
  const dnv = na === null ? null : d_nu;
  const dmv = ma === null ? null : d_mu;
  const dsv = sa === null ? null : d_sigma;
  const scalarNuTerm = na === null && includeNu ? nuTerm(nsc) : 0;
  const scalarNuDigamma = na === null && d_nu !== null ? nuDigamma(nsc) : 0;
  let gy = 0;
  let gn = 0;
  let gm = 0;
  let gs = 0;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const v = na === null ? nsc : na[n];
    const s = sa === null ? ssc : sa[n];
    const z = ((ya === null ? ys : ya[n]) - (ma === null ? ms : ma[n])) / s;
    const r = (z * z) / v;
    const log1pR = log1p(r);
    lp -= 0.5 * (v + 1) * log1pR;
    if (includeNu && na !== null) lp += nuTerm(v);
    if (includeSigma && sa !== null) lp -= log(s);
    const g = -((v + 1) * z) / (s * v * (1 + r));
    if (dyv !== null) dyv[n] = g;
    else gy += g;
    if (dmv !== null) dmv[n] = -g;
    else gm -= g;
    const gSigma = (-1 + ((v + 1) * r) / (1 + r)) / s;
    if (dsv !== null) dsv[n] = gSigma;
    else gs += gSigma;
    if (d_nu !== null) {
      const gNu =
        (na === null ? scalarNuDigamma : nuDigamma(v)) -
        0.5 * log1pR +
        (0.5 * (v + 1) * r) / (v * (1 + r));
      if (dnv !== null) dnv[n] = gNu;
      else gn += gNu;
    }
  }
  if (d_y !== null && dyv === null) d_y[0] = gy;
  if (d_nu !== null && dnv === null) d_nu[0] = gn;
  if (d_mu !== null && dmv === null) d_mu[0] = gm;
  if (d_sigma !== null && dsv === null) d_sigma[0] = gs;
  if (includeNu && na === null) lp += N * scalarNuTerm;
  if (includeSigma && sa === null) lp -= N * log(ssc);
  if (!propto) lp -= N * LOG_SQRT_PI;
  return lp;
}

/**
 * student_t_lpdf(y | nu, mu, sigma) = Σ lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν),
 * z = (y − μ)/σ, r = z²/ν. Partials: ∂/∂y = −(ν+1) z / (σ ν (1 + r)), ∂/∂mu = −∂/∂y,
 * ∂/∂sigma = (−1 + (ν+1) r/(1 + r))/σ,
 * ∂/∂nu = ½(ψ((ν+1)/2) − ψ(ν/2)) − 1/(2ν) − ½ log(1 + r) + (ν+1) r / (2ν(1 + r)).
 * propto drops −½ log π, the ν terms when nu is constant and log σ when sigma is constant.
 */
export function student_t_lpdf(y: Real, nu: Real, mu: Real, sigma: Real, propto: boolean): number {
  return studentTLpdf(y, nu, mu, sigma, propto, null, null, null, null, true, true, true, true);
}
export function student_t_lpdf_vp(
  y: Real,
  nu: Real,
  mu: Real,
  sigma: Real,
  propto: boolean,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return studentTLpdf(
    y,
    nu,
    mu,
    sigma,
    propto,
    d_y,
    d_nu,
    d_mu,
    d_sigma,
    d_y !== null,
    d_nu !== null,
    d_mu !== null,
    d_sigma !== null,
  );
}

/** P(T > t) for a standard Student-t with ν degrees of freedom, without cancellation in either tail. */
export function student_t_upper_tail(t: number, nu: number): number {
  const t2 = t * t;
  const x = nu / (nu + t2);
  const w = t2 / (nu + t2);
  // P(T > |t|) = ½ I_x(ν/2, ½); its complement is ½ + ½ (1 − I_x).
  return t >= 0
    ? 0.5 * inc_beta_lower(0.5 * nu, 0.5, x, w)
    : 0.5 + 0.5 * inc_beta_upper(0.5 * nu, 0.5, x, w);
}

/** log density of the standard Student-t at t. */
function logStdDensity(t: number, nu: number): number {
  return (
    lgamma(0.5 * (nu + 1)) -
    lgamma(0.5 * nu) -
    0.5 * log(nu) -
    LOG_SQRT_PI -
    0.5 * (nu + 1) * log1p((t * t) / nu)
  );
}

function centralDifference(t: number, nu: number, h: number): number {
  return (
    (log(student_t_upper_tail(t, nu + h)) - log(student_t_upper_tail(t, nu - h))) /
    (2 * h)
  );
}

/**
 * ∂/∂ν log P(T > t) by Richardson-extrapolated central differences of the exact tail probability
 * (three step halvings, error O(h⁶)); the incomplete beta function's parameter derivative has no
 * elementary closed form and the tail itself is accurate to a few ulps, so this keeps ~10 significant digits.
 */
function dLogTailDnu(t: number, nu: number): number {
  const h = 1e-2 * nu;
  const d0 = centralDifference(t, nu, h);
  const d1 = centralDifference(t, nu, h / 2);
  const d2 = centralDifference(t, nu, h / 4);
  const r1a = (4 * d1 - d0) / 3;
  const r1b = (4 * d2 - d1) / 3;
  return (16 * r1b - r1a) / 15;
}

/**
 * The last tail point's quantities: [±t, ν, log P(T > ±t), f(t)/P, ∂/∂ν log P] (NaN = not computed
 * yet). brms truncation terms such as student_t_lccdf(0 | 3, 0, 2.5) repeat the same point on every
 * evaluation; the memo skips the incomplete beta (and the boxed doubles its helpers return) then.
 */
const tailMemo = new Float64Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN]);

function studentTLogTail(
  fn: string,
  lower: boolean,
  y: Real,
  nu: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  const N = checkArgs(fn, y, nu, mu, sigma);
  zero(d_y);
  zero(d_nu);
  zero(d_mu);
  zero(d_sigma);
  const sy = stride(y);
  const sn = stride(nu);
  const sm = stride(mu);
  const ss = stride(sigma);
  // lcdf(t) = log P(T > −t): the lower tail is the upper tail of the reflected point.
  const sign = lower ? -1 : 1;
  let lp = 0;
  for (let n = 0; n < N; n++) {
    const v = at(nu, n);
    const s = at(sigma, n);
    const t = (at(y, n) - at(mu, n)) / s;
    const signedT = sign * t;
    if (!(tailMemo[0] === signedT && tailMemo[1] === v)) {
      tailMemo[0] = signedT;
      tailMemo[1] = v;
      tailMemo[2] = log(student_t_upper_tail(signedT, v));
      tailMemo[3] = Number.NaN;
      tailMemo[4] = Number.NaN;
    }
    const logTail = tailMemo[2];
    lp += logTail;
    if (d_y !== null || d_mu !== null || d_sigma !== null) {
      if (Number.isNaN(tailMemo[3])) tailMemo[3] = exp(logStdDensity(t, v) - logTail);
      // d/dt log P(T > ±t) = ∓ f(t) / P
      const g = (-sign * tailMemo[3]) / s;
      if (d_y !== null) d_y[n * sy] += g;
      if (d_mu !== null) d_mu[n * sm] -= g;
      if (d_sigma !== null) d_sigma[n * ss] -= g * t;
    }
    if (d_nu !== null) {
      if (Number.isNaN(tailMemo[4])) tailMemo[4] = dLogTailDnu(signedT, v);
      d_nu[n * sn] += tailMemo[4];
    }
  }
  return lp;
}

/**
 * student_t_lccdf(y | nu, mu, sigma) = Σ log P(T > t), t = (y − μ)/σ, P from the incomplete beta
 * function. With f the standard t density: ∂/∂y = −f(t)/(σP), ∂/∂mu = f(t)/(σP),
 * ∂/∂sigma = t f(t)/(σP); ∂/∂nu numerically from the exact tail (see `dLogTailDnu`).
 */
export function student_t_lccdf(y: Real, nu: Real, mu: Real, sigma: Real): number {
  return studentTLogTail("student_t_lccdf", false, y, nu, mu, sigma, null, null, null, null);
}
export function student_t_lccdf_vp(
  y: Real,
  nu: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return studentTLogTail("student_t_lccdf", false, y, nu, mu, sigma, d_y, d_nu, d_mu, d_sigma);
}

/**
 * student_t_lcdf(y | nu, mu, sigma) = Σ log F(t), t = (y − μ)/σ. ∂/∂y = f(t)/(σF), ∂/∂mu = −f(t)/(σF),
 * ∂/∂sigma = −t f(t)/(σF); ∂/∂nu numerically from the exact tail.
 */
export function student_t_lcdf(y: Real, nu: Real, mu: Real, sigma: Real): number {
  return studentTLogTail("student_t_lcdf", true, y, nu, mu, sigma, null, null, null, null);
}
export function student_t_lcdf_vp(
  y: Real,
  nu: Real,
  mu: Real,
  sigma: Real,
  d_y: Partials,
  d_nu: Partials,
  d_mu: Partials,
  d_sigma: Partials,
): number {
  return studentTLogTail("student_t_lcdf", true, y, nu, mu, sigma, d_y, d_nu, d_mu, d_sigma);
}

/** One draw: mu + sigma · Z / sqrt(G/ν) with G ~ chi-square(ν) = gamma(ν/2, ½). */
export function student_t_rng(rng: Rng, nu: number, mu: number, sigma: number): number {
  checkPositiveFinite("student_t_rng", NAMES[1], nu);
  checkFinite("student_t_rng", NAMES[2], mu);
  checkPositiveFinite("student_t_rng", NAMES[3], sigma);
  const chi2 = 2 * gammaDraw(rng, 0.5 * nu);
  return mu + (sigma * rng.normal()) / Math.sqrt(chi2 / nu);
}
