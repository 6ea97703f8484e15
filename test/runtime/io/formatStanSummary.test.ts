import { describe, expect, it } from "vitest";
import type { VariableSummary } from "../../../src/runtime/diagnostics";
import { CmdStanCsvWriter } from "../../../src/runtime/io/cmdstanCsvWriter";
import {
  bracketName,
  displayOrder,
  formatFixed,
  formatEss,
  formatRhat,
  formatScientific,
  formatStanSummary,
  formatSummaryValue,
  isSamplerDiagnostic,
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

  it("formats values for reading: fixed significant digits, whole ESS, R-hat that cannot hide a failure", () => {
    expect([-15.0, 0.773, 0.00692, 4, 12345.6, 2500000, 0].map((v) => formatSummaryValue(v))).toEqual([
      "-15.0", "0.773", "0.00692", "4.00", "12346", "2500000", "0",
    ]);
    // Scientific only for tiny and huge magnitudes.
    expect([0.000807, -0.0008065, 12345678].map((v) => formatSummaryValue(v))).toEqual([
      "8.07e-04", "-8.07e-04", "1.23e+07",
    ]);
    // Rounding that carries into a new digit moves the decimal point (9.996 → 10.0).
    expect(formatSummaryValue(9.996)).toBe("10.0");
    expect(formatSummaryValue(0.0009996)).toBe("0.00100");
    expect(formatSummaryValue(2.345, 2)).toBe("2.3");
    expect([NaN, Infinity, -Infinity].map((v) => formatSummaryValue(v))).toEqual(["NA", "Inf", "-Inf"]);
    expect([34.9, 3421.5, 139.27, NaN].map(formatEss)).toEqual(["35", "3422", "139", "NA"]);
    // The case: 1.013 printed as 1.0e+00 under a warning that named it above 1.01.
    expect([1.013, 1.0101, 1.0012, 1.005, 1.14, 1.0149].map((v) => formatRhat(v))).toEqual([
      "1.013", "1.010", "1.00", "1.00", "1.14", "1.015",
    ]);
    expect(formatRhat(1.01)).toBe("1.01");
    expect(formatRhat(1.0133, 5)).toBe("1.0133");
    expect(formatRhat(3.6e14)).toBe("3.60e+14");
    expect(isSamplerDiagnostic("stepsize__")).toBe(true);
    expect(isSamplerDiagnostic("lp__")).toBe(false);
    expect(isSamplerDiagnostic("theta")).toBe(false);
  });

  it("lays out preamble, sampler rows, model rows (row-major) and footer", () => {
    const columns = ["lp__", "accept_stat__", "stepsize__", "Cor.1.1", "Cor.2.1", "Cor.1.2", "Cor.2.2", "sigma", "tiny"];
    const summaries = [
      summary("lp__", [-7.3, 0.033, 0.77, 0.33, -8.9, -7.0, -6.8, 513.4, 469.2, 1.0012]),
      summary("accept_stat__", [0.91, 0.004, 0.14, 0.06, 0.61, 0.97, 1.0, 1023.7, 980.1, 1.0003]),
      // Constant within each chain, different between chains: R-hat ~1e14, shown as nothing.
      summary("stepsize__", [0.23, 0.02, 0.041, 0.026, 0.19, 0.21, 0.3, 4.2, NaN, 3.6e14]),
      summary("Cor[1,1]", [1, NaN, 0, 0, 1, 1, 1, NaN, NaN, NaN]),
      summary("Cor[2,1]", [0.25, 0.0064, 0.12, 0.12, 0.08, 0.24, 0.47, 3421.5, 2750, 1.0]),
      summary("Cor[1,2]", [0.26, 0.0065, 0.12, 0.12, 0.09, 0.25, 0.48, 3300, 2800, 1.001]),
      summary("Cor[2,2]", [1, NaN, 0, 0, 1, 1, 1, NaN, NaN, NaN]),
      summary("sigma", [12345.6, 1.5, 100.2, 98, 12100, 12345, 12500, 800, 750, 1.02]),
      summary("tiny", [1.5e-5, 2e-7, 3e-6, 2.5e-6, 1e-5, 1.5e-5, 2e-5, 400, 380, 1.013]),
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
    // Widths by hand: name column 13 + 1; each column its widest cell or header plus 2 (the
    // scientific cells of `tiny` are 8 wide: 10; R_hat's widest is 1.013: 7).
    const widths = [10, 10, 10, 10, 10, 10, 10, 10, 10, 7];
    const line = (name: string, cells: string[]) =>
      (name.padEnd(14) + cells.map((c, j) => c.padStart(widths[j])).join("")).trimEnd();
    const expected = [
      "Inference for Stan model: demo_model",
      "2 chains: each with iter=1000; warmup=500; thin=1; 2000 iterations saved.",
      "",
      "Warmup took (0.50, 0.25) seconds, 0.75 seconds total",
      "Sampling took (1.2, 100) seconds, 1.7 minutes total",
      "",
      line("", ["Mean", "MCSE", "StdDev", "MAD", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat"]),
      "",
      line("lp__", ["-7.30", "0.0330", "0.770", "0.330", "-8.90", "-7.00", "-6.80", "513", "469", "1.00"]),
      line("accept_stat__", ["0.910", "", "0.140", "0.0600", "0.610", "0.970", "1.00"]),
      line("stepsize__", ["0.230", "", "0.0410", "0.0260", "0.190", "0.210", "0.300"]),
      "",
      line("Cor[1,1]", ["1.00", "NA", "0", "0", "1.00", "1.00", "1.00", "NA", "NA", "NA"]),
      line("Cor[1,2]", ["0.260", "0.00650", "0.120", "0.120", "0.0900", "0.250", "0.480", "3300", "2800", "1.00"]),
      line("Cor[2,1]", ["0.250", "0.00640", "0.120", "0.120", "0.0800", "0.240", "0.470", "3422", "2750", "1.00"]),
      line("Cor[2,2]", ["1.00", "NA", "0", "0", "1.00", "1.00", "1.00", "NA", "NA", "NA"]),
      line("sigma", ["12346", "1.50", "100", "98.0", "12100", "12345", "12500", "800", "750", "1.02"]),
      line("tiny", ["1.50e-05", "2.00e-07", "3.00e-06", "2.50e-06", "1.00e-05", "1.50e-05", "2.00e-05", "400", "380", "1.013"]),
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
    // A sampler diagnostic's row ends after its quantiles: no MCSE, ESS or R-hat.
    expect(rows.find((r) => r.startsWith("divergent__"))!.trim().split(/\s+/)).toEqual(["divergent__", "0", "0", "0", "0", "0", "0"]);
  });
});
