/**
 * CI version of the SBC study: two small models × 40 replications must pass, and a deliberately
 * wrong posterior (likelihood raised to the 4th power) must be flagged at the same threshold — proof that
 * the test has power. The full study is `npm run validate -- sbc`.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/random";
import { CLASSIC_SBC_MODELS, lkjCorrelation, WRONG_LIKELIHOOD_REGRESSION } from "../../validation/sbc/models";
import { bonferroniThreshold, flaggedParameters, rankOf, runSbc, uniformityTest, type SbcModel } from "../../validation/sbc/sbc";
import { rankHistogramSvg } from "../../validation/sbc/report";

const CI_SETTINGS = { replications: 40, rankDraws: 39, thin: 2, warmup: 200, bins: 5, seed: 7 };
const byName = (name: string): SbcModel => CLASSIC_SBC_MODELS.find((m) => m.name === name)!;

describe("SBC building blocks", () => {
  it("rank counts draws below, ties split at random", () => {
    const rng = new Random(1);
    expect(rankOf(0.5, [0.1, 0.9, 0.4, 0.7], rng)).toBe(2);
    expect(rankOf(-1, [0.1, 0.9], rng)).toBe(0);
    expect(rankOf(2, [0.1, 0.9], rng)).toBe(2);
    const tied = Array.from({ length: 200 }, () => rankOf(1, [1, 1, 1], rng));
    expect(new Set(tied)).toEqual(new Set([0, 1, 2, 3]));
  });

  it("chi-square statistic and p-value of binned ranks", () => {
    // L = 9: ranks 0..9 in 5 bins of 2; counts 4, 0, 2, 2, 2 → expected 2 → X² = (4 + 4 + 0 + 0 + 0) / 2 = 4.
    const test = uniformityTest([0, 1, 0, 1, 4, 5, 6, 7, 8, 9], 9, 5);
    expect(test.binCounts).toEqual([4, 0, 2, 2, 2]);
    expect(test.chiSquare).toBeCloseTo(4, 12);
    // P(χ²₄ > 4) = e^{-2}(1 + 2) = 0.40601
    expect(test.pValue).toBeCloseTo(3 * Math.exp(-2), 10);
    expect(() => uniformityTest([0], 9, 3)).toThrow(/divide/);
  });

  it("LKJ(2) draws have the right marginal: E r = 0, Var r = 1 / (2η + K − 1)", () => {
    const rng = new Random(3);
    const K = 3;
    const draws = Array.from({ length: 20000 }, () => lkjCorrelation(rng, K, 2));
    for (const [i, j] of [[0, 1], [0, 2], [1, 2]]) {
      const r = draws.map((c) => c[i][j]);
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
      expect(Math.abs(mean)).toBeLessThan(0.015);
      expect(variance).toBeCloseTo(1 / (2 * 2 + K - 1), 2);
    }
  });
});

describe("SBC (short CI version)", () => {
  it("passes for correct posteriors and flags a wrong likelihood", async () => {
    const correct = [];
    for (const name of ["linear_regression", "logistic_regression"]) correct.push(await runSbc(byName(name), CI_SETTINGS));
    const wrong = await runSbc(WRONG_LIKELIHOOD_REGRESSION, CI_SETTINGS);
    const threshold = bonferroniThreshold([...correct, wrong], 0.01);
    for (const result of correct) {
      expect(result.failures).toEqual([]);
      expect(flaggedParameters(result, threshold).map((p) => p.name), result.model).toEqual([]);
    }
    // The x4 likelihood halves every posterior sd: truths fall in the outer bins.
    const flagged = flaggedParameters(wrong, threshold).map((p) => p.name);
    expect(flagged.length).toBeGreaterThan(0);
    const svg = await rankHistogramSvg(wrong, threshold);
    expect(svg).toContain("<svg");
    expect(svg).toContain("FLAGGED");
  }, 120_000);
});
