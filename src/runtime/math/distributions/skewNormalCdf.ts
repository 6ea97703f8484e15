/**
 * log F(z | α) of the standard skew normal, F(z | α) = 2 ∫_{−∞}^{z} φ(t) Φ(αt) dt = Φ(z) − 2 T(z, α)
 * (Owen's T), accurate in both tails, and its partials. The log CCDF is log F(−z | −α), since
 * −Z is skew normal with −α.
 *
 * Owen's formula cancels where F is far smaller than Φ(z): the lower tail of a right-skewed
 * distribution (z < 0 < α), where F ≈ exp(−(1 + α²) z²/2) while Φ(z) ≈ exp(−z²/2). There the
 * integral itself is computed on the log scale: with s = z − t the integrand is
 * φ(z − s) Φ(α(z − s)), which decays roughly like e^(−r s) with r its log-slope at s = 0, so
 * Gauss–Laguerre quadrature in u = r s of the ratio to its value at s = 0 converges quickly.
 *
 * The partials are closed forms: ∂F/∂z = 2 φ(z) Φ(αz), ∂F/∂α = −exp(−(1 + α²) z²/2) / (π (1 + α²)).
 */
import { log1m_exp, log_Phi, normal_hazard_ratio, Phi } from "../special";
import { owens_t } from "../bessel";
import { exp, log } from "../elementary";

const LOG_TWO = Math.LN2;
const HALF_LOG_TWO_PI = 0.9189385332046728;
/** (1 + α²) z² above which Owen's formula loses more than a few digits in the lower tail. */
const TAIL_SWITCH = 10;

/** Gauss–Laguerre nodes and weights (weight e^(−u) on [0, ∞)), by Newton's method on L_n at load. */
const GLAG_N = 32;
const GLAG_NODES = new Float64Array(GLAG_N);
const GLAG_WEIGHTS = new Float64Array(GLAG_N);
(() => {
  const n = GLAG_N;
  let x = 0;
  for (let i = 0; i < n; i++) {
    // starting values: the smallest root near 3/(1 + 2.4n); later ones extrapolated from the previous two
    if (i === 0) x = 3 / (1 + 2.4 * n);
    else if (i === 1) x += 15 / (1 + 2.5 * n);
    else x += ((1 + 2.55 * (i - 1)) / (1.9 * (i - 1))) * (x - GLAG_NODES[i - 2]);
    let lnMinus1 = 0;
    for (let iter = 0; iter < 100; iter++) {
      // L_n(x) and L_{n−1}(x) by the three-term recurrence
      let l0 = 1;
      let l1 = 0;
      for (let j = 1; j <= n; j++) {
        const l2 = l1;
        l1 = l0;
        l0 = ((2 * j - 1 - x) * l1 - (j - 1) * l2) / j;
      }
      lnMinus1 = l1;
      // L_n′(x) = n (L_n − L_{n−1}) / x
      const derivative = (n * (l0 - l1)) / x;
      const step = l0 / derivative;
      x -= step;
      if (Math.abs(step) <= 1e-15 * Math.max(1, x)) break;
    }
    GLAG_NODES[i] = x;
    // w = x / ((n + 1)² L_{n+1}(x)²), and at a root of L_n, (n + 1) L_{n+1}(x) = −n L_{n−1}(x)
    GLAG_WEIGHTS[i] = x / (n * n * lnMinus1 * lnMinus1);
  }
})();

/** log φ(x) + log Φ(αx), the log of the integrand up to the factor 2. */
function logIntegrand(x: number, alpha: number): number {
  return -0.5 * x * x - HALF_LOG_TWO_PI + log_Phi(alpha * x);
}

/** log F(z | α) for z < 0 < α by Gauss–Laguerre quadrature on the log scale. */
function lowerTailLogCdf(z: number, alpha: number): number {
  // log-slope of the integrand at t = z, as t decreases: −z + α φ(αz)/Φ(αz) (both positive here)
  const rate = -z + alpha * normal_hazard_ratio(alpha * z);
  const atZ = logIntegrand(z, alpha);
  let sum = 0;
  for (let i = 0; i < GLAG_N; i++) {
    const u = GLAG_NODES[i];
    sum += GLAG_WEIGHTS[i] * exp(u + logIntegrand(z - u / rate, alpha) - atZ);
  }
  return LOG_TWO + atZ - log(rate) + log(sum);
}

/** log F(z | α) of the standard skew normal. */
export function skew_normal_log_cdf(z: number, alpha: number): number {
  return logCdf(z, alpha, true);
}

function logCdf(z: number, alpha: number, mayMirror: boolean): number {
  if (Number.isNaN(z) || Number.isNaN(alpha)) return NaN;
  if (z === -Infinity) return -Infinity;
  if (z === Infinity) return 0;
  if (z < 0 && alpha > 0 && (1 + alpha * alpha) * z * z > TAIL_SWITCH) return lowerTailLogCdf(z, alpha);
  // Owen's formula, without cancellation to speak of outside that tail
  const f = Phi(z) - 2 * owens_t(z, alpha);
  // near 1, log F = log(1 − F(−z | −α)) keeps the digits of the small complement
  if (f > 0.5 && mayMirror) return log1m_exp(logCdf(-z, -alpha, false));
  return log(f);
}

/** ∂/∂z log F(z | α) = 2 φ(z) Φ(αz) / F, given logF = log F(z | α). */
export function skew_normal_log_cdf_dz(z: number, alpha: number, logF: number): number {
  return exp(LOG_TWO + logIntegrand(z, alpha) - logF);
}

/** ∂/∂α log F(z | α) = −exp(−(1 + α²) z²/2) / (π (1 + α²) F), given logF = log F(z | α). */
export function skew_normal_log_cdf_dalpha(z: number, alpha: number, logF: number): number {
  const a2 = 1 + alpha * alpha;
  return -exp(-0.5 * a2 * z * z - logF) / (Math.PI * a2);
}
