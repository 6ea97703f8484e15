/**
 * Draws of the Wiener diffusion model's first passage (brms's posterior_predict for the wiener
 * family, which brms 2.18 takes from RWiener::rwiener): the time and boundary at which a Brownian
 * motion with drift δ and unit variance, started at β·α between boundaries 0 and α, first leaves
 * the interval; the reaction time is τ plus that time.
 *
 * Exact simulation, using only the seeded `Rng` (so the draws are the same on every engine):
 *
 * 1. Without drift, by "walk on intervals": from x, the largest interval symmetric about x inside
 *    (0, α) has half-width r = min(x, α − x); the motion leaves it after r²·T₁ (T₁ the exit time of a
 *    standard Brownian motion from (−1, 1)), at either end with probability ½ (symmetry, independent
 *    of the time). One end is a boundary; from the other the walk repeats. T₁ is drawn by inverting
 *    its distribution function (below) with a safeguarded Newton iteration.
 * 2. Drift by rejection (Girsanov): a driftless path that ends at boundary b ∈ {0, α} after time T
 *    has likelihood ratio exp(δ (b − β α) − δ² T / 2) under drift δ, at most
 *    M = max(exp(δ (α − β α)), exp(−δ β α)); it is accepted with probability ratio / M. The
 *    expected ratio is 1, so the expected number of tries is M.
 *
 * T₁'s distribution function, from the two classical series (Feller, vol. II, X.5), each used where it
 * converges fastest (five terms are within 1e-16 either side of t = 1):
 *   t ≤ 1: F(t) = 4 Σ_{j≥0} (−1)^j Φ(−(2j+1)/√t)                       (images)
 *   t > 1: F(t) = 1 − (4/π) Σ_{k≥0} (−1)^k/(2k+1) exp(−(2k+1)² π² t / 8)  (eigenfunctions)
 * and its density f = F′ for Newton's steps.
 */
import { exp, log } from "../../runtime/math/elementary";
import { Phi } from "../../runtime/math/special";
import type { Rng } from "../../runtime/model";

const PI = Math.PI;
const INV_SQRT_TWO_PI = 0.3989422804014327;
const SERIES_TERMS = 6;

/** F(t) and f(t) of the standard Brownian motion's exit time from (−1, 1), into `exitCdf`. */
const exitCdf = new Float64Array(2);

function unitExitDistribution(t: number): void {
  let F = 0;
  let f = 0;
  if (t <= 1) {
    const s = 1 / Math.sqrt(t);
    for (let j = 0; j < SERIES_TERMS; j++) {
      const c = (2 * j + 1) * s;
      const sign = j % 2 === 0 ? 1 : -1;
      F += sign * Phi(-c);
      f += sign * exp(-0.5 * c * c) * INV_SQRT_TWO_PI * c;
    }
    exitCdf[0] = 4 * F;
    exitCdf[1] = (4 * f) / (2 * t);
    return;
  }
  for (let k = 0; k < SERIES_TERMS; k++) {
    const m = 2 * k + 1;
    const e = exp((-m * m * PI * PI * t) / 8);
    const sign = k % 2 === 0 ? 1 : -1;
    F += (sign * e) / m;
    f += sign * m * e;
  }
  exitCdf[0] = 1 - (4 / PI) * F;
  exitCdf[1] = (PI / 2) * f;
}

/**
 * The exit time of a standard Brownian motion from (−1, 1), by inverting F at a uniform draw u with
 * Newton's steps on the nearly linear forms of each tail: log F as a function of 1/t below the
 * median (log F ≈ log 4 − 1/(2t) − …), log(1 − F) as a function of t above it
 * (≈ log(4/π) − π²t/8), kept inside a bracket of t.
 */
export function unitExitTime(rng: Rng): number {
  const u = rng.uniform();
  if (u === 0) return 1e-3;
  // F(0.001) < 1e-200 and 1 − F(50) < 1e-26: every uniform draw's root lies between
  let lo = 1e-3;
  let hi = 50;
  const lower = u < 0.5;
  const target = lower ? log(u) : log(1 - u);
  let t = lower ? 0.25 : 1.5;
  for (let iteration = 0; iteration < 100; iteration++) {
    unitExitDistribution(t);
    const F = exitCdf[0];
    const f = exitCdf[1];
    if (F > u) hi = t;
    else lo = t;
    let next: number;
    if (lower) {
      // in y = 1/t: d log F / dy = −f t² / F
      const y = 1 / t - (log(F) - target) / ((-f * t * t) / F);
      next = 1 / y;
    } else next = t - (log(1 - F) - target) / (-f / (1 - F));
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-13 * t) return next;
    t = next;
  }
  return t;
}

/** One first passage: `time` after the non-decision time τ, `upper` when it ends at the upper boundary. */
export interface FirstPassage {
  readonly time: number;
  readonly upper: boolean;
}

/** A draw of (τ + first-passage time, boundary) for boundary separation α, bias β, drift δ. */
export function wienerFirstPassage(rng: Rng, alpha: number, tau: number, beta: number, delta: number): FirstPassage {
  const start = beta * alpha;
  const logBound = Math.max(delta * (alpha - start), -delta * start);
  for (;;) {
    let x = start;
    let time = 0;
    let upper = false;
    for (;;) {
      const halfWidth = Math.min(x, alpha - x);
      time += halfWidth * halfWidth * unitExitTime(rng);
      if (rng.uniform() < 0.5) {
        if (halfWidth === x) break; // reached 0
        x -= halfWidth;
      } else {
        if (halfWidth === alpha - x) {
          upper = true;
          break;
        }
        x += halfWidth;
      }
    }
    const logRatio = delta * ((upper ? alpha : 0) - start) - 0.5 * delta * delta * time;
    if (log(rng.uniform()) < logRatio - logBound) return { time: tau + time, upper };
  }
}
