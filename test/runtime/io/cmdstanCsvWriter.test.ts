import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CmdStanCsvWriter, formatConfigComments } from "../../../src/runtime/io/cmdstanCsvWriter";
import { openFileSink } from "../../../src/runtime/io/fileSink";
import { readCmdStanCsv } from "../../../src/runtime/io/readCmdStanCsv";

const SAMPLER_COLUMNS = [
  "lp__",
  "accept_stat__",
  "stepsize__",
  "treedepth__",
  "n_leapfrog__",
  "divergent__",
  "energy__",
];

// Expected files were written by hand from sampler-spec §6.2–§6.6 (CmdStan 2.36 layout).
const expectedFile = (name: string) =>
  readFileSync(new URL(`./data/${name}`, import.meta.url), "utf8");

function collect(): { writer: CmdStanCsvWriter; text: () => string; chunks: string[] } {
  const chunks: string[] = [];
  return {
    writer: new CmdStanCsvWriter((t) => chunks.push(t)),
    text: () => chunks.join(""),
    chunks,
  };
}

describe("CmdStanCsvWriter", () => {
  it("writes the default configuration header byte for byte", () => {
    const { writer, text } = collect();
    writer.writeHeader(
      {
        modelName: "bernoulli",
        seed: 4294967295,
        startDatetime: new Date(Date.UTC(2026, 10, 23, 8, 5, 9)),
        stan2tsVersion: "0.1.0",
      },
      [...SAMPLER_COLUMNS, "theta"],
    );
    expect(text()).toBe(expectedFile("header_defaults.csv"));
  });

  it("writes a full dense-metric file with warmup rows, sig_figs, specials and the footer", () => {
    const { writer, text } = collect();
    writer.writeHeader(
      {
        modelName: "m1",
        seed: 14,
        startDatetime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        numSamples: 2000,
        numWarmup: 500,
        saveWarmup: true,
        thin: 2,
        delta: 0.95,
        maxDepth: 12,
        metric: "dense_e",
        numChains: 4,
        id: 3,
        dataFile: "data/m1.json",
        init: 0.5,
        outputFile: "out.csv",
        sigFigs: 8,
        stan2tsVersion: "0.1.0",
        notes: ["Warm-up: intended 15%/75%/10% windows"],
      },
      [...SAMPLER_COLUMNS, "b.1", "b.2"],
    );
    writer.writeRow([-7.5, 0.9, 0.5, 2, 3, 0, 8.25, 0.123456789, -12345.678]);
    writer.writeAdaptation(0.8935421734, {
      kind: "dense",
      dim: 2,
      values: new Float64Array([1.234567, 0.5, 0.5, 0.00002]),
    });
    writer.writeRow([-7.25, 0.75, 0.8935421734, 3, 7, 1, 9, 1.23456789e-6, Infinity]);
    writer.writeRow(new Float64Array([-6.5, 1, 0.8935421734, 1, 1, 0, 7.5, NaN, -Infinity]));
    writer.writeTiming(0.012, 0.5);
    expect(text()).toBe(expectedFile("full_dense.csv"));
  });

  it("marks a generated seed (Default) and prints integer and double arguments as C++ does", () => {
    const text = formatConfigComments({
      modelName: "m",
      seed: 87122538,
      seedIsDefault: true,
      init: 1e-7,
      stepsize: 0.1,
      delta: 0.95,
    });
    expect(text).toContain("#   seed = 87122538 (Default)\n");
    expect(text).toContain("# init = 1e-07\n");
    expect(text).toContain("#         stepsize = 0.1\n");
    expect(text).toContain("#       delta = 0.95\n");
  });

  it("writes the diagonal and unit adaptation blocks at six significant digits", () => {
    const diag = collect();
    diag.writer.writeAdaptation(1.23456789, { kind: "diag", values: [0.123456789, 2, 1e-7] });
    expect(diag.text()).toBe(
      "# Adaptation terminated\n# Step size = 1.23457\n# Diagonal elements of inverse mass matrix:\n# 0.123457, 2, 1e-07\n",
    );
    const unit = collect();
    unit.writer.writeAdaptation(0.5, { kind: "unit" });
    expect(unit.text()).toBe(
      "# Adaptation terminated\n# Step size = 0.5\n# No free parameters for unit metric\n",
    );
  });

  it("hands each row to the sink as soon as it is written", () => {
    const { writer, chunks } = collect();
    writer.writeHeader({ modelName: "m", seed: 1 }, ["lp__", "x"]);
    const before = chunks.length;
    writer.writeRow([1, 2]);
    expect(chunks.length).toBe(before + 1);
    expect(chunks[chunks.length - 1]).toBe("1,2\n");
  });

  it("rejects a row whose length differs from the header", () => {
    const { writer } = collect();
    writer.writeHeader({ modelName: "m", seed: 1 }, ["lp__", "x"]);
    expect(() => writer.writeRow([1, 2, 3])).toThrow(/3 values but the header has 2 columns/);
  });

  it("round-trips through readCmdStanCsv", () => {
    const { writer, text } = collect();
    const columns = [...SAMPLER_COLUMNS, "Cor_1.1.1", "Cor_1.2.1", "Cor_1.1.2", "Cor_1.2.2"];
    writer.writeHeader(
      { modelName: "rt", seed: 99, sigFigs: 17, numSamples: 3, dataFile: "d.json" },
      columns,
    );
    const rows = [
      [-1.5, 0.8, 0.3, 2, 3, 0, 2.25, 1, 0.25, 0.25, 1],
      [-1.25, 0.7, 0.3, 3, 7, 1, 2.5, 1, -1 / 3, -1 / 3, 1],
      [-0.5, 1, 0.3, 1, 1, 0, Math.PI, 1, NaN, Infinity, -Infinity],
    ];
    writer.writeAdaptation(0.3, { kind: "diag", values: [1.5, 0.25] });
    for (const row of rows) writer.writeRow(row);
    writer.writeTiming(1.25, 2.5);
    const parsed = readCmdStanCsv(text());
    expect(parsed.columnNames).toEqual(columns);
    expect(parsed.rows.map((r) => Array.from(r))).toEqual(rows);
    expect(parsed.warmupRowCount).toBe(0);
    expect(parsed.stepSize).toBe(0.3);
    expect(parsed.metricKind).toBe("diag");
    expect(parsed.metric).toEqual([1.5, 0.25]);
    expect(parsed.timing).toEqual({
      warmupSeconds: 1.25,
      samplingSeconds: 2.5,
      totalSeconds: 3.75,
    });
    expect(parsed.config.model).toBe("rt_model");
    expect(parsed.config.num_samples).toBe("3");
    expect(parsed.config.seed).toBe("99");
    expect(parsed.config.delta).toBe("0.8");
    expect(parsed.config.max_depth).toBe("10");
    expect(parsed.config["data.file"]).toBe("d.json");
    expect(parsed.config["output.file"]).toBe("output.csv");
    expect(parsed.config.metric_file).toBe("");
  });

  it("reads the dense file: warmup rows, dense metric, sig_figs", () => {
    const parsed = readCmdStanCsv(expectedFile("full_dense.csv"));
    expect(parsed.rows.length).toBe(3);
    expect(parsed.warmupRowCount).toBe(1);
    expect(parsed.metricKind).toBe("dense");
    expect(parsed.metric).toEqual([1.23457, 0.5, 0.5, 2e-5]);
    expect(parsed.config.sig_figs).toBe("8");
    expect(parsed.config.id).toBe("3");
    expect(parsed.otherComments).toContain("Warm-up: intended 15%/75%/10% windows");
    expect(parsed.rows[1][8]).toBe(Infinity);
    expect(Number.isNaN(parsed.rows[2][7])).toBe(true);
  });

  it("reads files in the older CmdStan spelling (0/1 booleans, 17-digit doubles, no save_metric)", () => {
    const text = [
      "# stan_version_major = 2",
      "# stan_version_minor = 33",
      "# model = coin_model",
      "# method = sample (Default)",
      "#   sample",
      "#     num_samples = 200",
      "#     save_warmup = 0 (Default)",
      "#     adapt",
      "#       engaged = 1 (Default)",
      "#       delta = 0.80000000000000004 (Default)",
      "#     algorithm = hmc (Default)",
      "#       hmc",
      "#         engine = nuts (Default)",
      "#           nuts",
      "#             max_depth = 12",
      "# random",
      "#   seed = 42 (Default)",
      "# stancflags =",
      "lp__,accept_stat__,p",
      "# Adaptation terminated",
      "# Step size = 0.911297",
      "# Diagonal elements of inverse mass matrix:",
      "# 0.566254",
      "-8.07514,0.722434,0.0898933",
      "-7.23378,0.964012,0.142034",
      "",
    ].join("\n");
    const parsed = readCmdStanCsv(text);
    expect(parsed.config.save_warmup).toBe("0");
    expect(parsed.config.engaged).toBe("1");
    expect(Number(parsed.config.delta)).toBe(0.8);
    expect(parsed.config.max_depth).toBe("12");
    expect(parsed.config.seed).toBe("42");
    expect(parsed.config.stancflags).toBe("");
    expect(parsed.stepSize).toBe(0.911297);
    expect(parsed.metric).toEqual([0.566254]);
    expect(parsed.rows.length).toBe(2);
    expect(parsed.timing).toBeUndefined();
  });

  it("reports a malformed row with file and line", () => {
    const text = "# model = x_model\nlp__,a\n1,2\n1,oops\n";
    expect(() => readCmdStanCsv(text, "chain1.csv")).toThrow(
      /chain1\.csv:4: column a: not a number: "oops"/,
    );
  });

  it("keeps completed rows in a file sink even when the run stops before the footer", () => {
    const dir = mkdtempSync(join(tmpdir(), "stan2ts-csv-"));
    try {
      const path = join(dir, "out.csv");
      const sink = openFileSink(path);
      const writer = new CmdStanCsvWriter(sink.write);
      writer.writeHeader({ modelName: "m", seed: 3 }, ["lp__", "x"]);
      writer.writeAdaptation(1, { kind: "unit" });
      writer.writeRow([-1, 0.5]);
      writer.writeRow([-2, 0.25]);
      // No close and no footer: what is on disk must already hold both rows.
      const parsed = readCmdStanCsv(readFileSync(path, "utf8"));
      expect(parsed.rows.map((r) => Array.from(r))).toEqual([
        [-1, 0.5],
        [-2, 0.25],
      ]);
      expect(parsed.timing).toBeUndefined();
      sink.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
