/**
 * Compile a Stan program in-process and load the generated module, for studies and tests that
 * sample many data sets. Generated modules are cached under `validation/.cache/models/` (keyed by
 * a hash of the program text and compiler options), so a rerun skips the compile.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileStan } from "../src/driver/compile";
import type { CompiledModel } from "../src/runtime/model";

export const VALIDATION_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(VALIDATION_DIR, "..");
const CACHE_DIR = join(VALIDATION_DIR, ".cache", "models");

export interface LoadedModel {
  readonly model: CompiledModel;
  /** Path of the generated module (usable with `sampleModule`). */
  readonly modulePath: string;
}

/** Compiles `source` (named `file` in messages) and imports the generated module. */
export async function loadStanModel(source: string, file: string): Promise<LoadedModel> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const name = file.replace(/^.*[\\/]/, "").replace(/\.stan$/, "").replace(/[^A-Za-z0-9_]/g, "_");
  const hash = createHash("sha256").update(file).update("\0").update(source).digest("hex").slice(0, 16);
  const modulePath = join(CACHE_DIR, `${name}-${hash}.ts`);
  if (!existsSync(modulePath)) {
    const { code } = await compileStan(source, file, {
      runtimeImport: "../../../src/runtime",
      supportImport: "../../../src/codegen/support/modelSupport",
    });
    // Write then import: a concurrent writer produces the same bytes, so a race is harmless.
    writeFileSync(modulePath, code);
  }
  const loaded = (await import(pathToFileURL(modulePath).href)) as { model?: CompiledModel };
  if (!loaded.model) throw new Error(`${modulePath} does not export 'model'`);
  return { model: loaded.model, modulePath };
}

/** Loads a program from a file (path relative to the repository root or absolute). */
export async function loadStanFile(path: string): Promise<LoadedModel> {
  const absolute = resolve(REPO_ROOT, path);
  return loadStanModel(readFileSync(absolute, "utf8"), absolute.replace(/^.*[\\/]/, ""));
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(resolve(REPO_ROOT, path), "utf8")) as T;
}
