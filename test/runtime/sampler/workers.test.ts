import { readFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { openFileSink } from "../../../src/runtime/io/fileSink";
import { readCmdStanCsv } from "../../../src/runtime/io/readCmdStanCsv";
import type { CsvOutputOptions } from "../../../src/runtime/sampler/csvOutput";
import type { Fit } from "../../../src/runtime/sampler/fit";
import { sampleInProcess } from "../../../src/runtime/sampler/sampleInProcess";
import { sampleModule } from "../../../src/runtime/sampler/sampleModule";
import { bundleForNode } from "../models/buildModules";
import { EIGHT_SCHOOLS, eightSchoolsNonCentred } from "../models/targets";
import { model as gqModel } from "../models/gqModule";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
let bundles: Record<string, string>;

beforeAll(async () => {
  bundles = await bundleForNode({
    eightSchools: here("../models/eightSchoolsModule.ts"),
    gq: here("../models/gqModule.ts"),
    chainWorker: here("../../../src/runtime/sampler/chainWorker.ts"),
  });
});

const small = { chains: 3, warmup: 150, samples: 100, seed: 20261123 };
const fixedStart = new Date(Date.UTC(2026, 10, 23, 12, 0, 0));

function csvTo(dir: string): CsvOutputOptions {
  return {
    open: (chain, name) => openFileSink(join(dir, `${name}_${chain}.csv`)),
    header: { startDatetime: fixedStart, dataFile: "eight_schools.json" },
  };
}

/** The CSV text without the timing footer, whose elapsed seconds differ run to run. */
function csvWithoutTiming(path: string): string {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => !/seconds \((Warm-up|Sampling|Total)\)$/.test(line))
    .join("\n");
}

function allDraws(fit: Fit): number[][] {
  return fit.chains.map((c) => c.rows.flatMap((r) => Array.from(r)));
}

describe("parallel chains in worker threads", () => {
  it("gives identical draws and byte-identical CSVs with cores 1 and 2, and equals in-process sampling", async () => {
    const dir1 = mkdtempSync(join(tmpdir(), "stan2ts-cores1-"));
    const dir2 = mkdtempSync(join(tmpdir(), "stan2ts-cores2-"));
    const one = await sampleModule(bundles.eightSchools, EIGHT_SCHOOLS, { ...small, cores: 1, csv: csvTo(dir1) });
    const two = await sampleModule(bundles.eightSchools, EIGHT_SCHOOLS, { ...small, cores: 2, csv: csvTo(dir2) });
    expect(one.chains.map((c) => c.rows.length)).toEqual([100, 100, 100]);
    expect(allDraws(two)).toEqual(allDraws(one));
    expect(one.columnNames.slice(0, 9)).toEqual([
      "lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__", "mu", "tau",
    ]);
    for (let chain = 1; chain <= 3; chain++) {
      const a = csvWithoutTiming(join(dir1, `eight_schools_nc_${chain}.csv`));
      const b = csvWithoutTiming(join(dir2, `eight_schools_nc_${chain}.csv`));
      expect(b).toBe(a);
      const parsed = readCmdStanCsv(readFileSync(join(dir1, `eight_schools_nc_${chain}.csv`), "utf8"));
      expect(parsed.columnNames).toEqual(one.columnNames);
    }
    const inProcess = sampleInProcess(eightSchoolsNonCentred(), small);
    expect(allDraws(inProcess)).toEqual(allDraws(one));
    // Chains differ from each other (own streams).
    expect(one.chains[0].rows[0][7]).not.toBe(one.chains[1].rows[0][7]);
  });

  it("runs a plain model module through the generic chain worker, generated quantities included", async () => {
    const fit = await sampleModule(bundles.gq, { mu: 3 }, { chains: 2, cores: 2, warmup: 100, samples: 200, seed: 5, workerUrl: bundles.chainWorker });
    const local = sampleInProcess(gqModel.create({ mu: 3 }), { chains: 2, warmup: 100, samples: 200, seed: 5 });
    expect(allDraws(fit)).toEqual(allDraws(local));
    const yRep = fit.draws("y_rep");
    expect(yRep.length).toBe(400);
    expect(fit.draws("x")).not.toEqual(yRep);
  });

  it("reports a data error from the worker with its name and message, not a crash", async () => {
    await expect(sampleModule(bundles.eightSchools, { y: [1, 2] }, { chains: 2, seed: 1 })).rejects.toMatchObject({
      name: "StanDataError",
      message: expect.stringContaining("variable 'sigma' is missing"),
    });
  });

  it("reports a model module that cannot be loaded or exports no model", async () => {
    const missing = join(tmpdir(), "stan2ts-no-such-model.mjs");
    await expect(sampleModule(missing, {}, { chains: 1, seed: 1, workerUrl: bundles.chainWorker })).rejects.toThrow(
      /Chain 1: .*stan2ts-no-such-model/,
    );
    await expect(sampleModule(bundles.chainWorker, {}, { chains: 1, seed: 1, workerUrl: bundles.chainWorker })).rejects.toThrow(
      /does not export 'model'/,
    );
  });

  it("keeps completed draws when the run is interrupted", async () => {
    const controller = new AbortController();
    const dir = mkdtempSync(join(tmpdir(), "stan2ts-abort-"));
    const passed = new Set<number>();
    const fit = await sampleModule(bundles.eightSchools, EIGHT_SCHOOLS, {
      chains: 2,
      cores: 2,
      warmup: 200,
      samples: 10_000_000,
      seed: 3,
      csv: csvTo(dir),
      onProgress: (event) => {
        // Stop once every chain is past iteration 1200 (chains run at different speeds).
        if (event.iteration > 1200) passed.add(event.chain);
        if (passed.size === 2) controller.abort();
      },
      signal: controller.signal,
    });
    expect(fit.chains.every((c) => c.interrupted)).toBe(true);
    for (const chain of fit.chains) {
      expect(chain.rows.length).toBeGreaterThanOrEqual(1000);
      expect(chain.rows.length).toBeLessThan(10_000_000);
    }
    const csv = readCmdStanCsv(readFileSync(join(dir, "eight_schools_nc_1.csv"), "utf8"));
    expect(csv.rows.length).toBe(fit.chains[0].rows.length);
  });
});

describe("browser build", () => {
  it("bundles the sampling API, the web host and the web worker side for the browser without Node modules", async () => {
    const { build } = await import("esbuild");
    const result = await build({
      stdin: {
        contents: [
          `export * from "./src/runtime/sampler/index";`,
          `export { sampleInWebWorkers } from "./src/runtime/sampler/sampleInWebWorkers";`,
          `export { serveModelIfWebChainWorker } from "./src/runtime/sampler/webChainWorker";`,
          `export { ProgressDisplay } from "./src/runtime/progress/progressDisplay";`,
        ].join("\n"),
        resolveDir: here("../../.."),
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/from\s+["']node:/);
    expect(code).toContain("sampleInWebWorkers");
  });
});
