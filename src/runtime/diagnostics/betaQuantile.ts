/**
 * Quantile of the Beta(a, b) distribution (R's `qbeta` for the lower tail), needed by posterior's
 * quantile MCSE (sampler-spec §5.7). The regularised incomplete beta is evaluated by its continued
 * fraction; the inverse is Newton's method kept inside a shrinking bracket, so it cannot diverge.
 */
import { exp, log, log1p } from "../math/elementary";

const HALF_LOG_TWO_PI = 0.9189385332046727;

/** lgamma(x) − Stirling's main terms, for x ≥ 10 (error below 1e-16 there). */
function stirlingCorrection(x: number): number {
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    inv *
    (1 / 12 -
      inv2 *
        (1 / 360 -
          inv2 *
            (1 / 1260 -
              inv2 * (1 / 1680 - inv2 * (1 / 1188 - inv2 * (691 / 360360 - inv2 / 156))))))
  );
}

/** log Γ(x) for x > 0: Stirling's series, shifted up to x ≥ 10 by the recurrence. */
export function logGamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN;
  let shift = 0;
  let product = 1;
  while (x < 10) {
    product *= x;
    x += 1;
    if (product > 1e280) {
      shift += log(product);
      product = 1;
    }
  }
  shift += log(product);
  return (x - 0.5) * log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x) - shift;
}

/**
 * log B(a, b). When both are large the Stirling terms are combined analytically, which avoids
 * subtracting three huge log-gammas and keeps the result accurate to ~1e-15 relative.
 */
export function logBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (small >= 10) {
    const ratio = small / (small + large);
    return (
      HALF_LOG_TWO_PI -
      0.5 * log(large) +
      stirlingCorrection(small) +
      stirlingCorrection(large) -
      stirlingCorrection(small + large) +
      (small - 0.5) * log(ratio) +
      large * log1p(-ratio)
    );
  }
  return logGamma(small) + logGamma(large) - logGamma(small + large);
}

/** Continued fraction for I_x(a, b) (modified Lentz), valid for x < (a+1)/(a+b+2). */
function incompleteBetaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x !== x || a !== a || b !== b) return NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * log(x) + b * log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (exp(logFront) * incompleteBetaFraction(x, a, b)) / a;
  return 1 - (exp(logFront) * incompleteBetaFraction(1 - x, b, a)) / b;
}

/** x with P(X ≤ x) = p for X ~ Beta(a, b), a, b > 0. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (p !== p || a !== a || b !== b || !(a > 0) || !(b > 0) || p < 0 || p > 1) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const logNorm = logBeta(a, b);
  let lo = 0;
  let hi = 1;
  // Start from the normal approximation with the Beta's mean and sd.
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) * (a + b) * (a + b + 1)));
  let x = mean + sd * approximateNormalQuantile(p);
  if (!(x > 0 && x < 1)) x = mean;
  for (let iter = 0; iter < 200; iter++) {
    const f = betaCdf(x, a, b) - p;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = exp((a - 1) * log(x) + (b - 1) * log1p(-x) - logNorm);
    let next = x - f / density;
    if (!(next > lo && next < hi) || density === 0 || !Number.isFinite(next))
      next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300) || hi - lo <= 1e-16 * hi) return next;
    x = next;
  }
  return x;
}

/** A rough Φ⁻¹ for starting values only. */
function approximateNormalQuantile(p: number): number {
  const t = Math.sqrt(-2 * log(p < 0.5 ? p : 1 - p));
  const z =
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) /
      (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  return p < 0.5 ? -z : z;
}
