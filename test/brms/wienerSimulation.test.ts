/**
 * The wiener family's posterior-predictive simulator (src/brms/postFit/wienerSimulation.ts) draws
 * from the distribution whose density is Stan's wiener_lpdf: the share of upper-boundary passages
 * equals the closed form P(upper) = (1 − exp(−2δβα)) / (1 − exp(−2δα)), and the passage times at
 * each boundary follow the CDF integrated from the density (Kolmogorov–Smirnov distance below the
 * 0.1 % critical value). A fixed seed makes the draws, and so the test, deterministic.
 */
import { describe, expect, it } from "vitest";
import { unitExitTime, wienerFirstPassage } from "../../src/brms/postFit/wienerSimulation";
import { wiener_lpdf } from "../../src/runtime/math/index";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";

const DRAWS = 10000;

/** P(first passage at the upper boundary) of a Brownian motion with drift δ from βα in (0, α). */
function upperProbability(alpha: number, beta: number, delta: number): number {
  if (delta === 0) return beta;
  return -Math.expm1(-2 * delta * beta * alpha) / -Math.expm1(-2 * delta * alpha);
}

/** The sub-distribution of passage times at one boundary, integrated from the density on a fine grid (trapezoid). */
function passageCdf(alpha: number, tau: number, beta: number, delta: number, upper: boolean): (t: number) => number {
  const step = 2e-4;
  const times: number[] = [tau];
  const cumulative: number[] = [0];
  const density = (t: number) => Math.exp(upper ? wiener_lpdf(t, alpha, tau, beta, delta, false) : wiener_lpdf(t, alpha, tau, 1 - beta, -delta, false));
  let previous = 0;
  for (let t = tau + step; t < tau + 12 * alpha * alpha; t += step) {
    const current = density(t);
    times.push(t);
    cumulative.push(cumulative[cumulative.length - 1] + 0.5 * step * (previous + current));
    previous = current;
  }
  const total = cumulative[cumulative.length - 1];
  return (t) => {
    let lo = 0;
    let hi = times.length - 1;
    if (t <= times[0]) return 0;
    if (t >= times[hi]) return 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid;
      else hi = mid;
    }
    const w = (t - times[lo]) / (times[hi] - times[lo]);
    return (cumulative[lo] + w * (cumulative[hi] - cumulative[lo])) / total;
  };
}

function ksDistance(sample: number[], cdf: (t: number) => number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  let worst = 0;
  sorted.forEach((t, i) => {
    const F = cdf(t);
    worst = Math.max(worst, Math.abs(F - i / sorted.length), Math.abs(F - (i + 1) / sorted.length));
  });
  return worst;
}

describe("wiener first-passage simulation", () => {
  it.each([
    [1.5, 0.3, 0.5, 0.8],
    [1.0, 0.2, 0.3, -1.5],
    [2.0, 0.1, 0.7, 0.0],
  ])("alpha %s, tau %s, beta %s, delta %s: boundary shares and passage-time distributions", (alpha, tau, beta, delta) => {
    const rng = new Xoshiro128(20261206);
    const upperTimes: number[] = [];
    const lowerTimes: number[] = [];
    for (let i = 0; i < DRAWS; i++) {
      const passage = wienerFirstPassage(rng, alpha, tau, beta, delta);
      (passage.upper ? upperTimes : lowerTimes).push(passage.time);
    }
    const p = upperProbability(alpha, beta, delta);
    const share = upperTimes.length / DRAWS;
    expect(Math.abs(share - p) / Math.sqrt((p * (1 - p)) / DRAWS)).toBeLessThan(4);
    // KS critical value at the 0.1 % level: 1.95 / √n
    for (const [times, upper] of [[upperTimes, true], [lowerTimes, false]] as const) {
      expect(ksDistance(times, passageCdf(alpha, tau, beta, delta, upper))).toBeLessThan(1.95 / Math.sqrt(times.length));
    }
  });

  it("draws the unit exit time with its known mean 1 and variance 2/3", () => {
    const rng = new Xoshiro128(7);
    const n = 20000;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const t = unitExitTime(rng);
      sum += t;
      sumSquares += t * t;
    }
    const mean = sum / n;
    const variance = sumSquares / n - mean * mean;
    expect(Math.abs(mean - 1) / Math.sqrt(2 / 3 / n)).toBeLessThan(4);
    expect(Math.abs(variance - 2 / 3)).toBeLessThan(0.03);
  });
});
