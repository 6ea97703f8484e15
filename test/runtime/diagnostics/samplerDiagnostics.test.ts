import { describe, expect, it } from "vitest";
import {
  convergenceWarnings,
  ebfmi,
  formatDiagnoseReport,
  samplerDiagnostics,
  type VariableSummary,
} from "../../../src/runtime/diagnostics";

const chain = (treedepth: number[], divergent: number[], energy: number[]) => ({
  treedepth: Float64Array.from(treedepth),
  divergent: Float64Array.from(divergent),
  energy: Float64Array.from(energy),
});

function summary(name: string, rhat: number, essBulk: number, essTail: number): VariableSummary {
  return {
    name,
    rhat,
    essBulk,
    essTail,
    mean: 0,
    median: 0,
    sd: 1,
    mad: 1,
    mcseMean: 0,
    mcseSd: 0,
    q5: 0,
    q50: 0,
    q95: 0,
    quantiles: [],
    probs: [],
  };
}

describe("ebfmi", () => {
  it("is Σ(ΔE)² / Σ(E − Ē)²", () => {
    // E = 1, 3, 2, 4: mean 2.5; Σ(ΔE)² = 4 + 1 + 4 = 9; Σ(E − Ē)² = 2.25 + 0.25 + 0.25 + 2.25 = 5.
    expect(ebfmi([1, 3, 2, 4])).toBeCloseTo(9 / 5, 15);
  });
  it("is small for a slowly drifting energy and NaN when undefined", () => {
    const drift = Array.from({ length: 100 }, (_, i) => i);
    expect(ebfmi(drift)).toBeLessThan(0.3);
    expect(ebfmi([5])).toBeNaN();
    expect(ebfmi([2, 2, 2])).toBeNaN();
  });
});

describe("samplerDiagnostics", () => {
  it("counts divergences and tree-depth hits over chains and reports E-BFMI per chain", () => {
    const alternating = [1, 3, 1, 3, 1, 3];
    const drifting = [1, 2, 3, 4, 5, 6];
    const result = samplerDiagnostics(
      [
        chain([3, 10, 2, 10, 4, 5], [0, 0, 1, 0, 0, 0], alternating),
        chain([10, 2, 2, 2, 2, 2], [0, 1, 1, 0, 0, 0], drifting),
      ],
      10,
    );
    expect(result.divergences).toBe(3);
    expect(result.treedepthHits).toBe(3);
    expect(result.transitions).toBe(12);
    expect(result.ebfmi[0]).toBeCloseTo(20 / 6, 12);
    expect(result.ebfmi[1]).toBeCloseTo(5 / 17.5, 12);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^3 of 12 \(25\.0%\) transitions hit the maximum treedepth limit of 10, or 2\^10 - 1 leapfrog steps\./,
      ),
      expect.stringMatching(/^3 of 12 \(25\.0%\) transitions ended with a divergence\./),
      expect.stringMatching(/^Chain 2: E-BFMI = 0\.286, below the nominal threshold of 0\.3/),
    ]);
  });

  it("has no warnings for clean chains", () => {
    const result = samplerDiagnostics([chain([3, 4, 3, 2], [0, 0, 0, 0], [1, 4, 0, 3])], 10);
    expect(result.warnings).toEqual([]);
    expect(formatDiagnoseReport(result, [])).toBe(
      "Checking sampler transitions treedepth.\nTreedepth satisfactory for all transitions.\n\n" +
        "Checking sampler transitions for divergences.\nNo divergent transitions found.\n\n" +
        "Checking E-BFMI - sampler transitions HMC potential energy.\nE-BFMI satisfactory.\n\n" +
        "Rank-normalized split effective sample size satisfactory for all parameters.\n\n" +
        "Rank-normalized split R-hat values satisfactory for all parameters.\n\n" +
        "Processing complete, no problems detected.\n",
    );
  });

  it("rejects ragged sampler columns", () => {
    expect(() => samplerDiagnostics([chain([1, 2], [0], [1, 2])], 10)).toThrow(
      /one value per transition/,
    );
  });
});

describe("convergenceWarnings", () => {
  it("flags high R-hat and low bulk/tail ESS, never NaN", () => {
    const warnings = convergenceWarnings(
      [
        summary("mu", 1.05, 2000, 1500),
        summary("sigma", 1.0, 250, 900),
        summary("tau", 1.0, 900, 120),
        summary("const", NaN, NaN, NaN),
      ],
      4,
    );
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/R-hat greater than 1\.01:\n  mu\n/);
    expect(warnings[1]).toMatch(/bulk ESS below 400 \(100 per chain\):\n  sigma\n/);
    expect(warnings[2]).toMatch(/tail ESS below 400 \(100 per chain\):\n  tau\n/);
    const report = formatDiagnoseReport(samplerDiagnostics([], 10), warnings);
    expect(report).toContain("  mu\n");
    expect(report.trimEnd().endsWith("Processing complete.")).toBe(true);
  });
});
