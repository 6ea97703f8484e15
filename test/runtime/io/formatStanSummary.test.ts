import { describe, expect, it } from "vitest";
import type { VariableSummary } from "../../../src/runtime/diagnostics";
import { CmdStanCsvWriter } from "../../../src/runtime/io/cmdstanCsvWriter";
import {
  bracketName,
  displayOrder,
  formatFixed,
  formatScientific,
  formatStanSummary,
  stanSummaryFromCsv,
} from "../../../src/runtime/io/formatStanSummary";
import { readCmdStanCsv } from "../../../src/runtime/io/readCmdStanCsv";

function summary(name: string, v: number[]): VariableSummary {
  const [mean, mcseMean, sd, mad, q5, q50, q95, essBulk, essTail, rhat] = v;
  return {
    name,
    mean,
    mcseMean,
    sd,
    mad,
    q5,
    q50,
    q95,
    essBulk,
    essTail,
    rhat,
    median: q50,
    mcseSd: NaN,
    quantiles: [],
    probs: [],
  };
}

describe("stansummary layout", () => {
  it("names, container order and C number formats", () => {
    expect(bracketName("Cor_1.2.1")).toBe("Cor_1[2,1]");
    expect(bracketName("lp__")).toBe("lp__");
    // CSV is column-major (first index fastest); the table is row-major.
    expect(displayOrder(["lp__", "a.1.1", "a.2.1", "a.1.2", "a.2.2", "s", "b.1", "b.2"])).toEqual({
      sampler: [0],
      model: [1, 3, 2, 4, 5, 6, 7],
    });
    // Values checked with glibc printf("%.1f") etc.: exact ties round to even.
    expect(formatFixed(1.25, 1)).toBe("1.2");
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(3421.5, 0)).toBe("3422");
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(-7.25, 1)).toBe("-7.2");
    expect(formatFixed(NaN, 1)).toBe("nan");
    expect(formatScientific(0.0065, 1)).toBe("6.5e-03");
    expect(formatScientific(1.5, 1)).toBe("1.5e+00");
    expect(formatScientific(-123456, 1)).toBe("-1.2e+05");
  });

  it("lays out preamble, sampler rows, model rows (row-major) and footer", () => {
    const columns = ["lp__", "accept_stat__", "Cor.1.1", "Cor.2.1", "Cor.1.2", "Cor.2.2", "sigma"];
    const summaries = [
      summary("lp__", [-7.3, 0.033, 0.77, 0.33, -8.9, -7.0, -6.8, 513.4, 469.2, 1.0012]),
      summary("accept_stat__", [0.91, 0.004, 0.14, 0.06, 0.61, 0.97, 1.0, 1023.7, 980.1, 1.0003]),
      summary("Cor[1,1]", [1, NaN, 0, 0, 1, 1, 1, NaN, NaN, NaN]),
      summary("Cor[2,1]", [0.25, 0.0064, 0.12, 0.12, 0.08, 0.24, 0.47, 3421.5, 2750, 1.0]),
      summary("Cor[1,2]", [0.26, 0.0065, 0.12, 0.12, 0.09, 0.25, 0.48, 3300, 2800, 1.001]),
      summary("Cor[2,2]", [1, NaN, 0, 0, 1, 1, 1, NaN, NaN, NaN]),
      summary("sigma", [12345.6, 1.5, 100.2, 98, 12100, 12345, 12500, 800, 750, 1.02]),
    ];
    const text = formatStanSummary(columns, summaries, {
      modelName: "demo_model",
      numChains: 2,
      numSamples: 1000,
      numWarmup: 500,
      thin: 1,
      warmupSeconds: [0.5, 0.25],
      samplingSeconds: [1.25, 100],
    });
    // Column widths worked out by hand from stansummary's rules (sig figs 2): name column 13 + 1;
    // Mean 7 fixed; MCSE 9 scientific (0.004 needs 6 > 8 − 2); StdDev 8; MAD 7; 5%/50%/95% 7;
    // ESS_bulk/ESS_tail 10; R_hat 7.
    const widths = [7, 9, 8, 7, 7, 7, 7, 10, 10, 7];
    const line = (name: string, cells: string[]) =>
      name.padEnd(14) + cells.map((c, j) => c.padStart(widths[j])).join("");
    const expected = [
      "Inference for Stan model: demo_model",
      "2 chains: each with iter=1000; warmup=500; thin=1; 2000 iterations saved.",
      "",
      "Warmup took (0.50, 0.25) seconds, 0.75 seconds total",
      "Sampling took (1.2, 100) seconds, 1.7 minutes total",
      "",
      line("", [
        "Mean",
        "MCSE",
        "StdDev",
        "MAD",
        "5%",
        "50%",
        "95%",
        "ESS_bulk",
        "ESS_tail",
        "R_hat",
      ]),
      "",
      line("lp__", [
        "-7.3",
        "3.3e-02",
        "0.77",
        "0.33",
        "-8.9",
        "-7.0",
        "-6.8",
        "513",
        "469",
        "1.0",
      ]),
      line("accept_stat__", [
        "0.91",
        "4.0e-03",
        "0.14",
        "0.060",
        "0.61",
        "0.97",
        "1.0",
        "1024",
        "980",
        "1.0",
      ]),
      "",
      line("Cor[1,1]", ["1.0", "nan", "0.00", "0.00", "1.0", "1.0", "1.0", "nan", "nan", "nan"]),
      line("Cor[1,2]", [
        "0.26",
        "6.5e-03",
        "0.12",
        "0.12",
        "0.090",
        "0.25",
        "0.48",
        "3300",
        "2800",
        "1.0",
      ]),
      line("Cor[2,1]", [
        "0.25",
        "6.4e-03",
        "0.12",
        "0.12",
        "0.080",
        "0.24",
        "0.47",
        "3422",
        "2750",
        "1.0",
      ]),
      line("Cor[2,2]", ["1.0", "nan", "0.00", "0.00", "1.0", "1.0", "1.0", "nan", "nan", "nan"]),
      line("sigma", [
        "12346",
        "1.5e+00",
        "100",
        "98",
        "12100",
        "12345",
        "12500",
        "800",
        "750",
        "1.0",
      ]),
      "",
      "Samples were drawn using hmc with nuts.",
      "For each parameter, ESS_bulk and ESS_tail measure the effective sample size for the entire sample (bulk) and for the .05 and .95 tails (tail), ",
      "and R_hat measures the potential scale reduction on split chains. At convergence R_hat will be very close to 1.00.",
      "",
    ].join("\n");
    expect(text).toBe(expected);
  });

  it("summarises CSV files written by the writer", () => {
    const files = [0, 1].map((chainIndex) => {
      let text = "";
      const writer = new CmdStanCsvWriter((t) => (text += t));
      writer.writeHeader({ modelName: "m", seed: 1, numSamples: 50, numChains: 2 }, [
        "lp__",
        "divergent__",
        "theta.1",
        "theta.2",
      ]);
      writer.writeAdaptation(0.5, { kind: "diag", values: [1, 1] });
      for (let i = 0; i < 50; i++) {
        const x = Math.sin(i * 1.7 + chainIndex);
        writer.writeRow([-x * x, 0, x, 2 * x + 1]);
      }
      writer.writeTiming(0.1, 0.2);
      return readCmdStanCsv(text);
    });
    const table = stanSummaryFromCsv(files);
    expect(table).toContain("Inference for Stan model: m_model");
    expect(table).toContain(
      "2 chains: each with iter=50; warmup=1000; thin=1; 100 iterations saved.",
    );
    expect(table).toContain("Warmup took (0.10, 0.10) seconds, 0.20 seconds total");
    const rows = table.split("\n");
    const thetaRows = rows.filter((r) => r.startsWith("theta["));
    expect(thetaRows.map((r) => r.split(/\s+/)[0])).toEqual(["theta[1]", "theta[2]"]);
    expect(rows.find((r) => r.startsWith("divergent__"))).toMatch(/nan\s+nan\s+nan$/);
  });
});
