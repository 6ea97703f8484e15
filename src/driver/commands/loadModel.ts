/**
 * Shared by `diagnose` and `log-prob`: compile a Stan file to a module in a temporary folder
 * (bundled with this package's runtime) and load it in this process.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { absoluteImports, bundleModel } from "../../bundle/bundleModel";
import { type CompiledModel, createInstance, type ModelInstance } from "../../runtime/model";
import { UsageError } from "../command";
import { compileStan, modelNameOf } from "../compile";
import { loadStanJson, stripBom } from "../loadData";

export interface LoadedModel {
  readonly model: CompiledModel;
  readonly instance: ModelInstance;
}

export async function loadModelWithData(file: string, dataPath: string | undefined): Promise<LoadedModel> {
  let source: string;
  try {
    source = stripBom(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read '${file}'${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}.`);
  }
  const result = await compileStan(source, file, { name: modelNameOf(file), ...absoluteImports() });
  const dir = mkdtempSync(join(tmpdir(), "stan2ts-"));
  try {
    // One JavaScript file, so no TypeScript loader is needed (the built CLI runs without tsx);
    // .mjs: loaded as an ES module wherever the folder is.
    const path = join(dir, `${result.name}.mjs`);
    await bundleModel(result.code, path, { sourceDir: dir });
    const mod = (await import(pathToFileURL(path).href)) as { model: CompiledModel };
    const data = dataPath === undefined ? {} : await loadStanJson(dataPath);
    return { model: mod.model, instance: createInstance(mod.model, data) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
