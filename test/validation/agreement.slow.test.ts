/**
 * The agreement statistics (validation/agreement/agreeWithStan.ts) on synthetic chains: two runs of
 * the same distribution give |z| of order 1; a shift of a few MCSEs or a wrong sd is caught.
 */
import { describe, expect, it } from "vitest";
import { Random } from "../../scripts/random";
import { compareChains, summarizeAgreement } from "../../validation/agreement/agreeWithStan";

/** AR(1) chains (autocorrelated like MCMC draws) with the given mean and marginal sd. */
function ar1Chains(rng: Random, mean: number, sd: number, chains = 2, n = 1000, phi = 0.5): Float64Array[] {
  return Array.from({ length: chains }, () => {
    const out = new Float64Array(n);
    let x = rng.normal(0, 1);
    for (let i = 0; i < n; i++) {
      x = phi * x + Math.sqrt(1 - phi * phi) * rng.normal(0, 1);
      out[i] = mean + sd * x;
    }
    return out;
  });
}

function run(rng: Random, shift: number, sdRatio: number) {
  const stan = new Map<string, Float64Array[]>();
  const ours = new Map<string, Float64Array[]>();
  stan.set("lp__", ar1Chains(rng, 0, 1));
  ours.set("lp__", ar1Chains(rng, 0, 1));
  for (let k = 0; k < 50; k++) {
    stan.set(`theta.${k + 1}`, ar1Chains(rng, k, 2));
    ours.set(`theta.${k + 1}`, ar1Chains(rng, k + shift, 2 * sdRatio));
  }
  // A constant column (a correlation matrix's diagonal) is skipped, not divided by zero.
  stan.set("Cor.1.1", [new Float64Array(1000).fill(1), new Float64Array(1000).fill(1)]);
  ours.set("Cor.1.1", [new Float64Array(1000).fill(1), new Float64Array(1000).fill(1)]);
  return compareChains("synthetic", stan, ours);
}

describe("agreement z-scores", () => {
  it("same distribution: |z| mostly below 2, none near 5", () => {
    const result = run(new Random(11), 0, 1);
    expect(result.columns).toHaveLength(50);
    expect(result.constantColumns).toBe(1);
    const summary = summarizeAgreement(result);
    expect(summary.quantities).toBe(100);
    expect(summary.within2).toBeGreaterThan(0.85);
    expect(summary.maxAbsZ).toBeLessThan(4.5);
    expect(Math.max(summary.maxAbsZMean, summary.maxAbsZSd)).toBe(summary.maxAbsZ);
  });

  it("a shifted mean or a 20% wider sd is flagged", () => {
    const shifted = summarizeAgreement(run(new Random(12), 0.5, 1));
    expect(shifted.within2).toBeLessThan(0.6);
    const wider = run(new Random(13), 0, 1.2);
    expect(wider.columns.every((c) => c.zSd > 2)).toBe(true);
    // A wrong sd shows in the sds' column of the summary, not the means'.
    const widerSummary = summarizeAgreement(wider);
    expect(widerSummary.maxAbsZSd).toBeGreaterThan(5);
    expect(widerSummary.maxAbsZMean).toBeLessThan(4.5);
  });

  it("reports each side's own convergence: a reference chain stuck elsewhere shows as R-hat and lp__", () => {
    const rng = new Random(14);
    const stan = new Map<string, Float64Array[]>();
    const ours = new Map<string, Float64Array[]>();
    stan.set("lp__", [...ar1Chains(rng, 0, 1, 1), ...ar1Chains(rng, -50, 1, 1)]);
    ours.set("lp__", ar1Chains(rng, 0, 1, 4));
    stan.set("mu", [...ar1Chains(rng, 0, 1, 1), ...ar1Chains(rng, 3, 1, 1)]);
    stan.set("tau", ar1Chains(rng, 1, 1));
    ours.set("mu", ar1Chains(rng, 0, 1, 4));
    ours.set("tau", ar1Chains(rng, 1, 1, 4));
    const result = compareChains("stuck", stan, ours);
    expect(result.convergenceStan.maxRhat.column).toBe("mu");
    expect(result.convergenceStan.maxRhat.value).toBeGreaterThan(1.5);
    expect(result.convergenceStan.lpChainMeans[1]).toBeLessThan(-45);
    expect(result.convergenceStan).toMatchObject({ chains: 2, drawsPerChain: 1000 });
    expect(result.convergenceOurs.maxRhat.value).toBeLessThan(1.02);
    expect(result.convergenceOurs.minEssBulk.value).toBeGreaterThan(500);
    expect(result.convergenceOurs.lpChainMeans).toHaveLength(4);
  });

  it("a column missing on the stan2ts side is an error naming it", () => {
    const stan = new Map([["mu", [new Float64Array([1, 2])]]]);
    expect(() => compareChains("m", stan, new Map())).toThrow(/'mu'/);
  });
});
