/**
 * One fuzz case through stan2ts, in process: check → compile → load the generated module →
 * create an instance with the program's fixture data → a 5-draw sample. Every error is classified
 * as the CLI classifies it (`reportError`): exit 1/2 is a user error and fine; exit 70 (internal
 * error), a module that does not load, or text injected into the module running is a finding.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkStan, compileStan } from "../../src/driver/compile";
import { reportError } from "../../src/driver/cli";
import type { CompiledModel, StanData } from "../../src/runtime/model";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";

export type Stage = "check" | "compile" | "load" | "create" | "sample";

export interface CaseOutcome {
  /** `ok`: sampled; `user`: a classified user error; the others are findings. */
  readonly kind: "ok" | "user" | "internal" | "build" | "injected";
  readonly stage: Stage;
  readonly message: string;
}

const SRC = join(import.meta.dirname, "../../src");

/** The exit code the CLI would give for this error, without printing it. */
function exitCodeOf(error: unknown): number {
  const original = console.error;
  console.error = () => undefined;
  try {
    return reportError(error);
  } finally {
    console.error = original;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0].slice(0, 300);
}

let moduleCounter = 0;

export async function runCase(source: string, data: StanData, workDir: string, onStage: (stage: Stage) => void): Promise<CaseOutcome> {
  let stage: Stage = "check";
  const classify = (error: unknown): CaseOutcome => {
    const code = exitCodeOf(error);
    return { kind: code === 70 ? "internal" : "user", stage, message: firstLine(error) };
  };
  const file = "fuzz.stan";
  const marker = globalThis as { fuzzInjected?: unknown };
  delete marker.fuzzInjected;
  onStage(stage);
  try {
    checkStan(source, file);
  } catch (error) {
    return classify(error);
  }
  stage = "compile";
  onStage(stage);
  let code: string;
  try {
    code = (await compileStan(source, file, { runtimeImport: join(SRC, "runtime"), supportImport: join(SRC, "codegen/support/modelSupport") })).code;
  } catch (error) {
    return classify(error);
  }
  stage = "load";
  onStage(stage);
  let model: CompiledModel;
  // .mts: an ES module wherever the folder is (tsx would read a .ts in /tmp as CommonJS)
  const path = join(workDir, `case${moduleCounter++}.mts`);
  try {
    mkdirSync(workDir, { recursive: true });
    writeFileSync(path, code);
    model = ((await import(path)) as { model: CompiledModel }).model;
  } catch (error) {
    // the compiler accepted the program: a module that does not load is a compiler defect
    return { kind: "build", stage, message: firstLine(error) };
  } finally {
    rmSync(path, { force: true });
  }
  const injected = (): CaseOutcome | undefined =>
    marker.fuzzInjected !== undefined ? { kind: "injected", stage, message: `program text ran as JavaScript (marker ${String(marker.fuzzInjected)})` } : undefined;
  stage = "create";
  onStage(stage);
  try {
    const instance = model.create(data);
    stage = "sample";
    onStage(stage);
    sampleInProcess(instance, { chains: 1, warmup: 5, samples: 5, seed: 1 });
  } catch (error) {
    return injected() ?? classify(error);
  }
  return injected() ?? { kind: "ok", stage, message: "" };
}
