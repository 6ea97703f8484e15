/**
 * A model file (Stan program or brms R script) → `<name>.ts` (the readable generated module) and
 * `<name>.js` (the bundle) in a folder. Shared by `compile`, `sample` and `demo`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { buildFromScriptFile, type BrmsBuild } from "../brms/index";
import { UserError } from "../brms/index";
import { compileStan, modelNameOf } from "../driver/compile";
import { localCopy } from "../driver/loadData";
import { brmsNamingOf, type BrmsNaming } from "./brmsLayout";
import { bundleModel, MODEL_SUPPORT, RUNTIME_DIR } from "./bundleModel";

export interface CompiledModelFiles {
  readonly name: string;
  /** The Stan program compiled (for an R script, the one brms would generate). */
  readonly stanCode: string;
  readonly tsPath: string;
  readonly jsPath: string;
  /** Present for R scripts: the brms build (data, names, notes) and its embedded naming. */
  readonly brms?: { readonly build: BrmsBuild; readonly naming: BrmsNaming };
  /** Milliseconds: brms front end (R scripts), Stan → TypeScript, bundling. */
  readonly timings: { readonly brms: number; readonly compile: number; readonly bundle: number };
}

export interface CompileModelOptions {
  /** Folder for `<name>.ts` and `<name>.js` (created if missing). */
  readonly outDir: string;
  /** R scripts: a CSV path or http(s) URL replacing the script's read_csv(...). */
  readonly dataPath?: string;
  /**
   * Where the bundle goes (default `<outDir>/<name>.js`). Loaders such as tsx map an import of
   * `x.js` to a neighbouring `x.ts`, so code that imports the bundle under tsx puts it elsewhere.
   */
  readonly bundleDir?: string;
  /** Also compile Gaussian likelihoods from sufficient statistics (default true). */
  readonly sufficientStatistics?: boolean;
}

export const isRScript = (file: string): boolean => /\.r$/i.test(file);

/** Import specifier from `fromDir` to `target`, POSIX style, always relative (`./…` or `../…`). */
function importFrom(fromDir: string, target: string): string {
  const rel = relative(resolve(fromDir), target).split("\\").join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

function readSource(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read the model file '${file}'${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}.`);
  }
}

export async function compileModelFile(file: string, options: CompileModelOptions): Promise<CompiledModelFiles> {
  const now = () => globalThis.performance.now();
  let started = now();
  let stanCode: string;
  let stanFile: string;
  let name: string;
  let brms: CompiledModelFiles["brms"];
  if (isRScript(file)) {
    const dataPath = options.dataPath === undefined ? undefined : await localCopy(options.dataPath, ".csv");
    const build = await buildFromScriptFile(file, dataPath);
    name = modelNameOf(basename(file).replace(/\.r$/i, ".stan"));
    stanFile = `${name}.stan`;
    stanCode = build.stanCode;
    brms = { build, naming: brmsNamingOf(build) };
  } else {
    stanCode = readSource(file);
    stanFile = file;
    name = modelNameOf(file);
  }
  const brmsMs = now() - started;
  started = now();
  mkdirSync(options.outDir, { recursive: true });
  const result = await compileStan(stanCode, stanFile, {
    name,
    sufficientStatistics: options.sufficientStatistics ?? true,
    runtimeImport: importFrom(options.outDir, RUNTIME_DIR),
    supportImport: importFrom(options.outDir, MODEL_SUPPORT),
  });
  const tsPath = join(options.outDir, `${name}.ts`);
  writeFileSync(tsPath, result.code);
  const compileMs = now() - started;
  if (options.bundleDir !== undefined) mkdirSync(options.bundleDir, { recursive: true });
  const jsPath = join(options.bundleDir ?? options.outDir, `${name}.js`);
  const bundled = await bundleModel(tsPath, jsPath, { brms: brms?.naming });
  return { name, stanCode, tsPath, jsPath, brms, timings: { brms: brmsMs, compile: compileMs, bundle: bundled.milliseconds } };
}
