import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as diagnostics from "../../../src/runtime/diagnostics";

// Golden values come from the R package posterior 1.4.0: expected.csv and case_*.csv are copies of
// the shared oracle (../shared/docs/sampler-fixtures, made by gen_diag.R); extra_* and qbeta.csv
// were made by gen_extra.R in the same folder. See data/README.md.
const dataDir = new URL("./data/", import.meta.url);
const readCsv = (file: string) =>
  readFileSync(new URL(file, dataDir), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.split(",").map((cell) => cell.replace(/"/g, "")));
const parseR = (cell: string) =>
  cell === "NA" || cell === "NaN"
    ? NaN
    : cell === "Inf"
      ? Infinity
      : cell === "-Inf"
        ? -Infinity
        : Number(cell);

function loadChains(file: string): Float64Array[] {
  const rows = readCsv(file)
    .slice(1)
    .map((r) => r.map(parseR));
  return Array.from({ length: rows[0].length }, (_, j) => Float64Array.from(rows.map((r) => r[j])));
}

const measures: Record<string, (chains: Float64Array[]) => number> = {
  rhat: diagnostics.rhat,
  ess_bulk: diagnostics.essBulk,
  ess_tail: diagnostics.essTail,
  ess_mean: diagnostics.essMean,
  ess_sd: diagnostics.essSd,
  ess_q05: (c) => diagnostics.essQuantile(c, 0.05),
  ess_q95: (c) => diagnostics.essQuantile(c, 0.95),
  rhat_basic: diagnostics.rhatBasic,
  ess_basic: diagnostics.essBasic,
  mcse_mean: diagnostics.mcseMean,
  mcse_sd: diagnostics.mcseSd,
  mcse_median: diagnostics.mcseMedian,
  mcse_q05: (c) => diagnostics.mcseQuantile(c, 0.05),
  mcse_q95: (c) => diagnostics.mcseQuantile(c, 0.95),
  mean: diagnostics.pooledMean,
  median: diagnostics.pooledMedian,
  sd: diagnostics.pooledSd,
  mad: diagnostics.pooledMad,
  q05: (c) => diagnostics.pooledQuantile(c, 0.05),
  q95: (c) => diagnostics.pooledQuantile(c, 0.95),
};

function expectClose(actual: number, expected: number, label: string): void {
  if (Number.isNaN(expected)) {
    expect(actual, label).toBeNaN();
  } else if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
  } else {
    const scale = Math.max(Math.abs(expected), 1e-300);
    expect(Math.abs(actual - expected) / scale, `${label}: ${actual} vs ${expected}`).toBeLessThan(
      1e-9,
    );
  }
}

function goldenRows(expectedFile: string, casePrefix: string) {
  const [header, ...rows] = readCsv(expectedFile);
  return rows.map((row) => ({
    name: row[0],
    file: `${casePrefix}${row[0]}.csv`,
    expected: Object.fromEntries(header.slice(1).map((col, i) => [col, parseR(row[i + 1])])),
  }));
}

const allCases = [
  ...goldenRows("expected.csv", "case_"),
  ...goldenRows("extra_expected.csv", "extra_case_"),
];

describe("posterior diagnostics (golden values from posterior 1.4.0)", () => {
  for (const { name, file, expected } of allCases) {
    it(`case ${name}: every measure`, () => {
      const chains = loadChains(file);
      for (const [column, fn] of Object.entries(measures)) {
        expectClose(fn(chains), expected[column], `case ${name} ${column}`);
      }
    });

    it(`case ${name}: summarizeVariable agrees`, () => {
      const chains = loadChains(file);
      const s = diagnostics.summarizeVariable(`x_${name}`, chains, [0.05, 0.95]);
      expect(s.name).toBe(`x_${name}`);
      const pairs: [number, string][] = [
        [s.mean, "mean"],
        [s.median, "median"],
        [s.q50, "median"],
        [s.sd, "sd"],
        [s.mad, "mad"],
        [s.mcseMean, "mcse_mean"],
        [s.mcseSd, "mcse_sd"],
        [s.q5, "q05"],
        [s.q95, "q95"],
        [s.quantiles[0], "q05"],
        [s.quantiles[1], "q95"],
        [s.essBulk, "ess_bulk"],
        [s.essTail, "ess_tail"],
        [s.rhat, "rhat"],
      ];
      for (const [value, column] of pairs)
        expectClose(value, expected[column], `summary ${name} ${column}`);
    });
  }

  it("accepts plain number arrays as chains", () => {
    const chains = loadChains("case_b.csv").map((c) => Array.from(c));
    expectClose(
      diagnostics.essBulk(chains),
      allCases.find((c) => c.name === "b")!.expected.ess_bulk,
      "plain arrays",
    );
  });

  it("gives identical results whatever was computed before (shared buffers)", () => {
    const big = loadChains("case_a.csv");
    const odd = loadChains("case_b.csv");
    const tiny = loadChains("case_d.csv");
    const first = diagnostics.summarizeVariable("odd", odd, [0.1]);
    diagnostics.summarizeVariable("big", big);
    diagnostics.essTail(tiny);
    diagnostics.mcseQuantile(big, 0.3);
    expect(diagnostics.summarizeVariable("odd", odd, [0.1])).toEqual(first);
  });

  it("rejects chains of different lengths", () => {
    expect(() => diagnostics.rhat([new Float64Array(10), new Float64Array(9)])).toThrow(
      /same number of draws/,
    );
  });
});

describe("numerical building blocks", () => {
  it("betaQuantile matches R's qbeta", () => {
    const [, ...rows] = readCsv("qbeta.csv");
    for (const [p, a, b, q] of rows.map((r) => r.map(Number))) {
      const got = diagnostics.betaQuantile(p, a, b);
      // qbeta.csv holds 15 significant digits; deep tails are compared relatively.
      expect(Math.abs(got - q) / q, `qbeta(${p}, ${a}, ${b}) = ${got}, R ${q}`).toBeLessThan(1e-9);
    }
  });

  it("normalQuantile matches R's qnorm", () => {
    // Values printed by R 4 with digits = 17.
    expect(diagnostics.normalQuantile(0.025)).toBe(-1.95996398454005383);
    expect(diagnostics.normalQuantile(0.3)).toBeCloseTo(-0.52440051270804067, 15);
    expect(Math.abs(diagnostics.normalQuantile(1e-300) / -37.04709629936120052 - 1)).toBeLessThan(
      1e-14,
    );
    expect(diagnostics.normalQuantile(0.5)).toBe(0);
    expect(diagnostics.normalQuantile(0)).toBe(-Infinity);
    expect(diagnostics.normalQuantile(1)).toBe(Infinity);
  });

  it("quantile7 uses type-7 interpolation on unsorted input", () => {
    expect(diagnostics.quantile7([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(diagnostics.quantile7([1, 2, 3, 4], 0.05, true)).toBeCloseTo(1.15, 15);
    expect(diagnostics.quantile7([5], 0.3)).toBe(5);
  });
});
