/**
 * Derivatives of the regularised incomplete gamma and beta functions with respect to their shape
 * parameters (Stan's gamma_p, gamma_q, inc_beta). Each derivative comes from the same series or
 * continued fraction that computes the value, differentiated term by term along with it
 * (forward mode by hand), so it converges where the value does and keeps its relative accuracy:
 * ∂/∂a log P from the lower series where P is small, ∂/∂a log Q from the continued fraction where
 * Q is small.
 */
import { digamma, gamma_p_unchecked, gamma_q_unchecked, lbeta, lgamma, log_gamma_p, log_gamma_q } from "./special";
import { exp, log, log1p } from "./elementary";

const TINY = 1e-300;
const EPS = 1e-16;

/**
 * ∂/∂a log P(a, x) from P = x^a e^(−x) / Γ(a + 1) · S, S = Σₙ xⁿ / ((a + 1)⋯(a + n)):
 * ∂/∂a log P = log x − ψ(a + 1) + S′/S, every term of S′ negative (no cancellation).
 */
function logGammaPDaSeries(a: number, x: number): number {
  let term = 1;
  let dterm = 0;
  let sum = 1;
  let dsum = 0;
  for (let n = 1; n < 1000000; n++) {
    const an = a + n;
    dterm = (dterm - term / an) * (x / an);
    term *= x / an;
    sum += term;
    dsum += dterm;
    if (term < EPS * sum && Math.abs(dterm) < EPS * Math.abs(dsum)) break;
  }
  return log(x) - digamma(a + 1) + dsum / sum;
}

/**
 * ∂/∂a log Q(a, x) from Q = x^a e^(−x) / Γ(a) · h, h the continued fraction
 * 1/(x + 1 − a − 1(1 − a)/(x + 3 − a − 2(2 − a)/(x + 5 − a − …))) evaluated by modified Lentz with
 * the derivative of every partial numerator and denominator carried along.
 */
function logGammaQDaFraction(a: number, x: number): number {
  let b = x + 1 - a;
  const db = -1;
  let c = 1 / TINY;
  let dc = 0;
  let d = 1 / b;
  let dd = -db * d * d;
  let logDh = dd / d; // ∂/∂a log h
  for (let i = 1; i < 1000000; i++) {
    const an = -i * (i - a);
    const dan = i;
    b += 2;
    let dn = an * d + b;
    const ddn = dan * d + an * dd + db;
    if (Math.abs(dn) < TINY) dn = TINY;
    let cn = b + an / c;
    const dcn = db + dan / c - (an / c) * (dc / c);
    if (Math.abs(cn) < TINY) cn = TINY;
    d = 1 / dn;
    dd = -ddn * d * d;
    c = cn;
    dc = dcn;
    const delta = c * d;
    const ddelta = dc * d + c * dd;
    logDh += ddelta / delta;
    if (Math.abs(delta - 1) < EPS && Math.abs(ddelta / delta) < EPS * Math.max(1, Math.abs(logDh))) break;
  }
  return log(x) - digamma(a) + logDh;
}

/** ∂/∂a P(a, x), the regularised lower incomplete gamma function's derivative in its shape. */
export function gamma_p_da(a: number, x: number): number {
  const p = gamma_p_unchecked(a, x); // NaN outside the domain (the value has reported it)
  if (Number.isNaN(p)) return NaN;
  if (x === 0 || x === Infinity) return 0;
  if (x < a + 1) return p * logGammaPDaSeries(a, x);
  return -gamma_q_unchecked(a, x) * logGammaQDaFraction(a, x);
}

/** ∂/∂a Q(a, x) = −∂/∂a P(a, x). */
export function gamma_q_da(a: number, x: number): number {
  return -gamma_p_da(a, x);
}

/** ∂/∂x P(a, x) = x^(a − 1) e^(−x) / Γ(a). */
export function gamma_p_dx(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return a === 1 ? 1 : a < 1 ? Infinity : 0;
  if (x === Infinity) return 0;
  return exp((a - 1) * log(x) - x - lgamma(a));
}

/** ∂/∂x Q(a, x) = −x^(a − 1) e^(−x) / Γ(a). */
export function gamma_q_dx(a: number, x: number): number {
  return -gamma_p_dx(a, x);
}

/** log of x^(a − 1) e^(−x) / Γ(a), the density ∂/∂x P(a, x). */
function logGammaDensity(a: number, x: number): number {
  return (a - 1) * log(x) - x - lgamma(a);
}

/** ∂/∂a log P(a, x), from the series where P is small, else −(Q/P) ∂/∂a log Q. */
export function log_gamma_p_da(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === Infinity) return 0;
  if (x < a + 1) return logGammaPDaSeries(a, x);
  return -exp(log_gamma_q(a, x) - log_gamma_p(a, x)) * logGammaQDaFraction(a, x);
}

/** ∂/∂x log P(a, x) = x^(a − 1) e^(−x) / (Γ(a) P). */
export function log_gamma_p_dx(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === Infinity) return 0;
  return exp(logGammaDensity(a, x) - log_gamma_p(a, x));
}

/** ∂/∂a log Q(a, x), from the continued fraction where Q is small, else −(P/Q) ∂/∂a log P. */
export function log_gamma_q_da(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === 0) return 0;
  if (x >= a + 1) return logGammaQDaFraction(a, x);
  return -exp(log_gamma_p(a, x) - log_gamma_q(a, x)) * logGammaPDaSeries(a, x);
}

/** ∂/∂x log Q(a, x) = −x^(a − 1) e^(−x) / (Γ(a) Q). */
export function log_gamma_q_dx(a: number, x: number): number {
  if (!(a > 0 && x >= 0)) return NaN;
  if (x === Infinity) return 0;
  return -exp(logGammaDensity(a, x) - log_gamma_q(a, x));
}

/**
 * Writes [F, ∂/∂a log F, ∂/∂b log F, log F] for F = x^a y^b / (a B(a, b)) · f, f the continued fraction of
 * I_x(a, b) (y = 1 − x), which converges fast for x < (a + 1)/(a + b + 2). The fraction runs by
 * modified Lentz with the a- and b-derivatives of every coefficient carried along.
 */
function incBetaFrontGrad(a: number, b: number, x: number, y: number, out: Float64Array): void {
  // (f stays O(1): the prefix carries the magnitude, so log F does not underflow)
  const logPrefix = a * log(x) + b * log(y) - lbeta(a, b) - log(a);
  let c = 1;
  let dcA = 0;
  let dcB = 0;
  const d0 = 1 - ((a + b) * x) / (a + 1);
  const d0A = (-x * (1 - b)) / ((a + 1) * (a + 1));
  const d0B = -x / (a + 1);
  let d = 1 / (Math.abs(d0) < TINY ? TINY : d0);
  let ddA = -d0A * d * d;
  let ddB = -d0B * d * d;
  let f = d;
  let gA = ddA / d; // ∂/∂a log f
  let gB = ddB / d;
  // one Lentz step with coefficient k (and its derivatives); returns whether it has converged
  const step = (k: number, kA: number, kB: number): boolean => {
    let dn = 1 + k * d;
    const dnA = kA * d + k * ddA;
    const dnB = kB * d + k * ddB;
    if (Math.abs(dn) < TINY) dn = TINY;
    let cn = 1 + k / c;
    const cnA = kA / c - (k / c) * (dcA / c);
    const cnB = kB / c - (k / c) * (dcB / c);
    if (Math.abs(cn) < TINY) cn = TINY;
    d = 1 / dn;
    ddA = -dnA * d * d;
    ddB = -dnB * d * d;
    c = cn;
    dcA = cnA;
    dcB = cnB;
    const delta = c * d;
    const deltaA = dcA * d + c * ddA;
    const deltaB = dcB * d + c * ddB;
    f *= delta;
    gA += deltaA / delta;
    gB += deltaB / delta;
    return (
      Math.abs(delta - 1) < EPS &&
      Math.abs(deltaA / delta) < EPS * Math.max(1, Math.abs(gA)) &&
      Math.abs(deltaB / delta) < EPS * Math.max(1, Math.abs(gB))
    );
  };
  for (let m = 1; m < 100000; m++) {
    const m2 = 2 * m;
    const e1 = a + m2 - 1;
    const e2 = a + m2;
    const even = (m * (b - m) * x) / (e1 * e2);
    step(even, -even * (1 / e1 + 1 / e2), (m * x) / (e1 * e2));
    const o1 = a + m;
    const o2 = a + b + m;
    const o3 = a + m2 + 1;
    const odd = (-o1 * o2 * x) / (e2 * o3);
    if (step(odd, odd * (1 / o1 + 1 / o2 - 1 / e2 - 1 / o3), odd / o2)) break;
  }
  const psiAB = digamma(a + b);
  out[3] = logPrefix + log(f);
  out[0] = exp(out[3]);
  out[1] = log(x) - digamma(a) + psiAB - 1 / a + gA;
  out[2] = log(y) - digamma(b) + psiAB + gB;
}

const front = new Float64Array(4);

/** Whether (a, b, x) is in inc_beta's domain (outside it the derivatives are NaN, as the value is). */
function incBetaDomain(a: number, b: number, x: number): boolean {
  return a > 0 && b > 0 && x >= 0 && x <= 1;
}

/** [∂/∂a, ∂/∂b] of I_x(a, b) into `out[0]`, `out[1]`. */
function incBetaShapeGrad(a: number, b: number, x: number, out: Float64Array): void {
  const y = 1 - x;
  if (!incBetaDomain(a, b, x)) {
    out[0] = NaN;
    out[1] = NaN;
  } else if (x === 0 || y === 0) {
    out[0] = 0;
    out[1] = 0;
  } else if (x < (a + 1) / (a + b + 2)) {
    incBetaFrontGrad(a, b, x, y, front);
    out[0] = front[0] * front[1];
    out[1] = front[0] * front[2];
  } else {
    // I_x(a, b) = 1 − I_y(b, a): the roles of the shapes swap
    incBetaFrontGrad(b, a, y, x, front);
    out[0] = -front[0] * front[2];
    out[1] = -front[0] * front[1];
  }
}

const shapeGrad = new Float64Array(2);

/** ∂/∂a I_x(a, b). */
export function inc_beta_dda(a: number, b: number, x: number): number {
  incBetaShapeGrad(a, b, x, shapeGrad);
  return shapeGrad[0];
}

/** ∂/∂b I_x(a, b). */
export function inc_beta_ddb(a: number, b: number, x: number): number {
  incBetaShapeGrad(a, b, x, shapeGrad);
  return shapeGrad[1];
}

/** ∂/∂x I_x(a, b) = x^(a − 1) (1 − x)^(b − 1) / B(a, b). */
export function inc_beta_ddz(a: number, b: number, x: number): number {
  if (!incBetaDomain(a, b, x)) return NaN;
  return exp((a - 1) * log(x) + (b - 1) * log1p(-x) - lbeta(a, b));
}


// ---------------------------------------------------------------------------------------------
// log I_x(a, b) and its derivatives, for the log CDFs (beta, binomial, neg_binomial_2)

const logIncBetaOut = new Float64Array(3);

/**
 * [log I, ∂/∂a log I, ∂/∂b log I] into logIncBetaOut for (a, b, x) in the domain, 0 < x < 1: on the
 * side of the switch where I is the continued-fraction term F, log F directly (no underflow);
 * otherwise log(1 − F′) with F′ the complementary term, and the derivatives scaled by −F′/I.
 */
function logIncBetaGrad(a: number, b: number, x: number): void {
  const y = 1 - x;
  if (x < (a + 1) / (a + b + 2)) {
    incBetaFrontGrad(a, b, x, y, front);
    logIncBetaOut[0] = front[3];
    logIncBetaOut[1] = front[1];
    logIncBetaOut[2] = front[2];
  } else {
    incBetaFrontGrad(b, a, y, x, front);
    const logI = log1p(-front[0]);
    const ratio = exp(front[3] - logI); // F′ / I
    logIncBetaOut[0] = logI;
    logIncBetaOut[1] = -ratio * front[2];
    logIncBetaOut[2] = -ratio * front[1];
  }
}

/** log I_x(a, b), accurate where I underflows; NaN outside the domain (for the log CDFs built on it). */
export function log_inc_beta(a: number, b: number, x: number): number {
  if (!incBetaDomain(a, b, x)) return NaN;
  if (x === 0) return -Infinity;
  if (x === 1) return 0;
  logIncBetaGrad(a, b, x);
  return logIncBetaOut[0];
}

/** ∂/∂a log I_x(a, b). */
export function log_inc_beta_dda(a: number, b: number, x: number): number {
  if (!incBetaDomain(a, b, x)) return NaN;
  if (x === 0 || x === 1) return 0;
  logIncBetaGrad(a, b, x);
  return logIncBetaOut[1];
}

/** ∂/∂b log I_x(a, b). */
export function log_inc_beta_ddb(a: number, b: number, x: number): number {
  if (!incBetaDomain(a, b, x)) return NaN;
  if (x === 0 || x === 1) return 0;
  logIncBetaGrad(a, b, x);
  return logIncBetaOut[2];
}

/** ∂/∂x log I_x(a, b) = x^(a − 1) (1 − x)^(b − 1) / (B(a, b) I). */
export function log_inc_beta_ddz(a: number, b: number, x: number): number {
  if (!incBetaDomain(a, b, x)) return NaN;
  return exp((a - 1) * log(x) + (b - 1) * log1p(-x) - lbeta(a, b) - log_inc_beta(a, b, x));
}
