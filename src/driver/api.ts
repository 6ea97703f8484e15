/**
 * `import { compile, sample } from "stan2ts"`: the compiler and the sampler for Node programs —
 * what `stan2ts compile` and `stan2ts sample` do, as functions — with the whole runtime
 * (`stan2ts/runtime`: `StanFit`, diagnostics, CSV reading) re-exported.
 *
 *   const { model } = await compile("m1.stan", { outDir: "out" });   // out/m1.ts, out/m1.js
 *   const fit = await model.sample(data, { chains: 4, seed: 14 });
 *   const fit2 = await sample("m1.stan", "m1.data.json", { seed: 14 }); // compiled to a temporary folder
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrmsBuild } from "../brms/index";
import type { ModelSampleOptions, SampleableModel, StanFit } from "../runtime/api";
import type { StanData } from "../runtime/model";
import { compileModelFile, isRScript } from "./compile";
import { loadStanJson } from "./loadData";

export * from "../runtime/index";
export { compileStan, checkStan, type CompileOptions, type CompileResult, type CheckResult } from "./compile";
export { CompileError, renderDiagnostic, type Diagnostic } from "../common/diagnostics";

export interface CompileFileOptions {
  /** Folder for `<name>.ts` and `<name>.js`, created if missing (default: the current folder). */
  readonly outDir?: string;
  /**
   * Folder for the bundle `<name>.js` (default `outDir`). TypeScript loaders (tsx, vitest) load a
   * neighbouring `<name>.ts` when asked for `<name>.js`: programs run by one need a folder apart.
   */
  readonly bundleDir?: string;
  /** R scripts: the data frame as a CSV path or http(s) URL, replacing the script's `read_csv(...)`. */
  readonly data?: string;
  /** Also compile Gaussian likelihoods from per-group sufficient statistics (default true). */
  readonly sufficientStatistics?: boolean;
}

export interface CompiledModelFile {
  readonly name: string;
  /** The Stan program compiled (for an R script, the one brms would generate). */
  readonly stanCode: string;
  /** The readable TypeScript module; it imports the runtime from `stan2ts/runtime`. */
  readonly tsPath: string;
  /** The bundle: the model with the runtime, one self-contained ES module. */
  readonly jsPath: string;
  /** The bundle, imported: `model.sample(data, options)`. */
  readonly model: SampleableModel;
  /** R scripts: the Stan data brms would pass (from the script's data frame). */
  readonly standata?: StanData;
}

let loads = 0;

/** brms's Stan data as Stan JSON would give it (the R front end loads only for R scripts). */
async function brmsStanData(build: BrmsBuild): Promise<StanData> {
  const { stanDataToJson } = await import("../brms/index");
  return JSON.parse(stanDataToJson(build.standata)) as StanData;
}

/**
 * Compiles a Stan program (`.stan`) or a brms R script (`.R`) to `<outDir>/<name>.ts` and
 * `<name>.js` and imports the bundle. Errors are `CompileError`s (`renderDiagnostic` prints them
 * with the offending line) or, for unreadable files and bad data, errors naming the file.
 */
export async function compile(file: string, options: CompileFileOptions = {}): Promise<CompiledModelFile> {
  const compiled = await compileModelFile(file, {
    outDir: options.outDir ?? process.cwd(),
    bundleDir: options.bundleDir,
    dataPath: options.data,
    sufficientStatistics: options.sufficientStatistics,
  });
  // A new URL per load: recompiling to the same path must not return the cached module.
  const url = `${pathToFileURL(compiled.jsPath).href}?load=${++loads}`;
  const { model } = (await import(url)) as { model?: Partial<SampleableModel> };
  if (typeof model?.sample !== "function") {
    throw new Error(`${compiled.jsPath} loaded as the TypeScript module beside it (a TypeScript loader such as tsx does that): pass compile() a bundleDir apart from outDir`);
  }
  const standata = compiled.brms ? await brmsStanData(compiled.brms.build) : undefined;
  return { name: compiled.name, stanCode: compiled.stanCode, tsPath: compiled.tsPath, jsPath: compiled.jsPath, model: model as SampleableModel, standata };
}

export interface SampleFileOptions extends ModelSampleOptions {
  /** Also compile Gaussian likelihoods from per-group sufficient statistics (default true). */
  readonly sufficientStatistics?: boolean;
}

/**
 * Samples a model: one returned by `compile` (or imported from a bundle), or a model file, which
 * is compiled into a temporary folder removed afterwards. `data` is Stan JSON as an object or a
 * path/URL of a Stan JSON file; for an R script it is the CSV data frame (path or URL), absent
 * for the script's own `read_csv(...)`.
 */
export async function sample(model: SampleableModel | string, data?: StanData | string, options: SampleFileOptions = {}): Promise<StanFit> {
  if (typeof model !== "string") {
    return model.sample(typeof data === "string" ? await loadStanJson(data) : (data ?? {}), options);
  }
  const rScript = isRScript(model);
  if (rScript && data !== undefined && typeof data !== "string") {
    throw new TypeError("sample(): an R script's data is a CSV file path or URL");
  }
  const dir = mkdtempSync(join(tmpdir(), "stan2ts-sample-"));
  try {
    const compiled = await compile(model, { outDir: dir, bundleDir: join(dir, "bundle"), data: rScript ? (data as string | undefined) : undefined, sufficientStatistics: options.sufficientStatistics });
    const stanData = rScript ? (compiled.standata ?? {}) : typeof data === "string" ? await loadStanJson(data) : (data ?? {});
    return await compiled.model.sample(stanData, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
