import { describe, expect, it } from "vitest";
import { StepSizeAdaptation } from "../../../src/runtime/adaptation/stepSizeAdaptation";
import { WelfordCovariance, WelfordVariance } from "../../../src/runtime/adaptation/welford";
import { MetricAdaptation } from "../../../src/runtime/adaptation/metricAdaptation";

describe("dual averaging", () => {
  it("follows the update equations of spec §2.2", () => {
    const adaptation = new StepSizeAdaptation({ delta: 0.8 });
    adaptation.mu = Math.log(10);
    const stats = [0.3, 1.7, 0.95, 0.6];
    let sBar = 0;
    let xBar = 0;
    stats.forEach((a, i) => {
      const m = i + 1;
      const eta = 1 / (m + 10);
      sBar = (1 - eta) * sBar + eta * (0.8 - Math.min(a, 1));
      const x = Math.log(10) - (sBar * Math.sqrt(m)) / 0.05;
      const w = m ** -0.75;
      xBar = (1 - w) * xBar + w * x;
      expect(adaptation.learn(a)).toBeCloseTo(Math.exp(x), 12);
    });
    expect(adaptation.complete()).toBeCloseTo(Math.exp(xBar), 12);
  });

  it("converges to a step size whose acceptance is delta", () => {
    // Toy acceptance curve a(ε) = exp(−ε): the fixed point is ε = −log δ.
    const adaptation = new StepSizeAdaptation({ delta: 0.6 });
    let epsilon = 1;
    for (let i = 0; i < 5000; i++) epsilon = adaptation.learn(Math.exp(-epsilon));
    expect(adaptation.complete()).toBeCloseTo(-Math.log(0.6), 2);
  });

  it("ignores invalid settings as Stan's setters do", () => {
    const a = new StepSizeAdaptation({ delta: 1.5, gamma: -1 });
    const b = new StepSizeAdaptation({});
    expect(a.learn(0.5)).toBe(b.learn(0.5));
  });
});

describe("Welford estimators and metric regularisation", () => {
  const points = [
    [1, 2],
    [2, 0],
    [4, 5],
    [-1, 3],
  ].map((p) => Float64Array.from(p));

  it("give the n − 1 sample variance and covariance", () => {
    const v = new WelfordVariance(2);
    const c = new WelfordCovariance(2);
    points.forEach((p) => {
      v.add(p);
      c.add(p);
    });
    const varOut = new Float64Array(2);
    v.sampleVariance(varOut);
    const covOut = new Float64Array(4);
    c.sampleCovariance(covOut);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const mx = xs.reduce((a, b) => a + b) / 4;
    const my = ys.reduce((a, b) => a + b) / 4;
    const vx = xs.reduce((s, x) => s + (x - mx) ** 2, 0) / 3;
    const cxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / 3;
    expect(varOut[0]).toBeCloseTo(vx, 12);
    expect(covOut[0]).toBeCloseTo(vx, 12);
    expect(covOut[1]).toBeCloseTo(cxy, 12);
    expect(covOut[2]).toBeCloseTo(cxy, 12);
  });

  it("regularises the window estimate towards 1e-3·I with weight 5/(n+5)", () => {
    // 150 warmup iterations: one window of 25 draws (iterations 75..99).
    const adaptation = new MetricAdaptation("diag", 1, 150);
    const minv = Float64Array.from([1]);
    const draws: number[] = [];
    let updatedAt = -1;
    for (let c = 0; c < 150; c++) {
      const q = Float64Array.from([Math.sin(c)]);
      if (c >= 75 && c <= 99) draws.push(q[0]);
      if (adaptation.learn(q, minv)) updatedAt = c;
    }
    expect(updatedAt).toBe(99);
    const m = draws.reduce((a, b) => a + b) / 25;
    const est = draws.reduce((s, x) => s + (x - m) ** 2, 0) / 24;
    expect(minv[0]).toBeCloseTo((25 / 30) * est + 1e-3 * (5 / 30), 12);
  });
});
