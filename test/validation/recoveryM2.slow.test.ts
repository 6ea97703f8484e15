// m2's recovery simulator: brms's data layout, lags that are the previous day's outcomes, the
// checked quantities named as m2's CmdStan columns, and data that carry the stated truth.
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/random";
import { LECTURE_SIM_TRUTH } from "../../scripts/simulateLecture";
import { corIndex, simulateM2 } from "../../validation/recovery/lectureM2";

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("validation/recovery/lectureM2.ts", () => {
  it("maps Cor_1[j, k] to brms's cor_1 position", () => {
    expect(corIndex(1, 2)).toBe(1);
    expect(corIndex(1, 3)).toBe(2);
    expect(corIndex(2, 3)).toBe(3);
    expect(corIndex(1, 5)).toBe(7);
    expect(corIndex(7, 8)).toBe(28);
  });

  const groups = 300;
  const days = 20;
  const sim = simulateM2(new Random("recovery m2 test"), LECTURE_SIM_TRUTH, groups, days);
  const d = sim.data as Record<string, number[] & number[][] & number>;

  it("writes m2's Stan data with lags equal to the previous day's outcomes", () => {
    expect(d.N).toBe(groups * days);
    expect(d.X_NAstd.length).toBe(d.N);
    expect(d.J_1_NAstd[days]).toBe(2);
    for (let n = 0; n < d.N; n++) {
      if (n % days === 0) continue;
      expect(d.X_NAstd[n][2]).toBe(d.Y_NAstd[n - 1]);
      expect(d.X_NAstd[n][3]).toBe(d.Y_PAstd[n - 1]);
      expect(d.Z_1_PAstd_7[n]).toBe(d.Y_NAstd[n - 1]);
    }
  });

  it("checks the interior quantities only: no zero sds, no correlations with zero-sd effects", () => {
    const t = sim.truth;
    expect(t["b_NAstd.2"]).toBe(0);
    expect(t["b_PAstd.3"]).toBe(0.35);
    expect(t["rescor.1"]).toBe(-0.3);
    expect(t["sd_1.3"]).toBeUndefined();
    expect(t["sd_1.4"]).toBeUndefined();
    expect(t["sd_1.8"]).toBe(0.1);
    expect(t[`cor_1.${corIndex(1, 2)}`]).toBe(-0.3);
    expect(t[`cor_1.${corIndex(7, 8)}`]).toBe(0.2);
    expect(t[`cor_1.${corIndex(1, 3)}`]).toBeUndefined();
    const correlations = Object.keys(t).filter((k) => k.startsWith("cor_1."));
    expect(correlations.length).toBe(15);
  });

  it("simulates data that carry the truth (NA at day01 = 0, residual correlation)", () => {
    const firstDay = d.Y_NAstd.filter((_, n) => n % days === 0);
    // Person means at day 0 scatter with sd sqrt(0.45² + 0.55²) ≈ 0.71 over 300 people: SE 0.04.
    expect(Math.abs(mean(firstDay) - LECTURE_SIM_TRUTH.fixed.NAstd_Intercept)).toBeLessThan(0.15);
    // Within-person day-to-day changes remove the person effects; their correlation between NA and
    // PA is driven by rescor (−0.3) and the PA lag effects, so it must be clearly negative.
    const dNA: number[] = [];
    const dPA: number[] = [];
    for (let n = 1; n < d.N; n++) {
      if (n % days === 0) continue;
      dNA.push(d.Y_NAstd[n] - d.Y_NAstd[n - 1]);
      dPA.push(d.Y_PAstd[n] - d.Y_PAstd[n - 1]);
    }
    const mx = mean(dNA);
    const my = mean(dPA);
    const cov = dNA.reduce((s, x, i) => s + (x - mx) * (dPA[i] - my), 0);
    const r = cov / Math.sqrt(dNA.reduce((s, x) => s + (x - mx) ** 2, 0) * dPA.reduce((s, y) => s + (y - my) ** 2, 0));
    expect(r, `r = ${r}`).toBeLessThan(-0.15);
    expect(r).toBeGreaterThan(-0.45);
  });
});
