/**
 * Compile time of the lecture models (issue #6), in three forms:
 *
 * 1. Cold CLI: `node bin/stan2ts.js compile <file> -o <tmp>` as a user runs it (module loading,
 *    tsx transpilation, compile, bundle), wall and CPU seconds (user + sys, from bash's `time`).
 * 2. First compile in a fresh process after the imports (JIT cold) and warm in-process (median of
 *    `runs` compiles after that), each with its stages in CPU ms: brms front end (R scripts),
 *    Stan → IR after the IR passes (`lowerStan`), reverse mode and module text (`differentiate`,
 *    `emitModuleText`), its
 *    layout (`layoutModule`; prettier no longer runs in a compile) and esbuild bundling (esbuild works in its own process: its CPU is not
 *    counted there, so that column is mostly waiting) — then `compileModelFile` end to end, warm,
 *    in wall and CPU ms.
 *
 *   node --import tsx bench/compile.ts [--runs 5] [--cli-runs 3] [--models m1.stan,m2.stan,m2.R] [--no-cli]
 *
 * Compile time against program size: bench/compileScaling.ts (also in `npm run bench`).
 *
 * Files are fixtures/stan/good/<m>.stan and fixtures/brms/<m>.R (the R scripts read the lecture
 * data, or the embedded simulated data when ../shared/data is missing). CPU time is the number to
 * compare on a shared machine; wall time includes waiting for a core.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LECTURE_DATA = resolve(ROOT, "../shared/data/williams-seed.csv");
const SIM_DATA = resolve(ROOT, "fixtures/data/lecture-sim.csv");

interface Options {
  runs: number;
  cliRuns: number;
  models: string[];
  cli: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { runs: 5, cliRuns: 3, models: ["m1.stan", "m2.stan", "m2.R"], cli: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--runs") options.runs = Number(argv[++i]);
    else if (a === "--cli-runs") options.cliRuns = Number(argv[++i]);
    else if (a === "--models") options.models = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a === "--no-cli") options.cli = false;
    else throw new Error(`bench/compile.ts: unknown argument '${a}' (known: --runs N --cli-runs N --models m2.stan,m2.R --no-cli)`);
  }
  return options;
}

const modelPath = (model: string) =>
  model.endsWith(".R") ? join(ROOT, "fixtures/brms", model) : join(ROOT, "fixtures/stan/good", model);
const dataArgs = (model: string): string[] =>
  model.endsWith(".R") && !existsSync(LECTURE_DATA) ? ["--data", SIM_DATA] : [];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One CLI run in a new process: wall seconds and the child's CPU seconds. */
function cliRun(model: string, outDir: string): { wall: number; cpu: number } {
  const command = [
    "TIMEFORMAT='%U %S';",
    "time",
    "node",
    JSON.stringify(join(ROOT, "bin/stan2ts.js")),
    "compile",
    JSON.stringify(modelPath(model)),
    "-o",
    JSON.stringify(outDir),
    ...dataArgs(model).map((a) => JSON.stringify(a)),
    "> /dev/null",
  ].join(" ");
  const started = performance.now();
  const r = spawnSync("bash", ["-c", command], { cwd: ROOT, encoding: "utf8" });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`stan2ts compile ${model} failed:\n${r.stderr}`);
  const [user, sys] = r.stderr.trim().split(/\s+/).slice(-2).map(Number);
  return { wall, cpu: user + sys };
}

interface Stages {
  brms: number;
  lower: number;
  emitText: number;
  layout: number;
  bundle: number;
  total: number;
}

const options = parseArgs(process.argv.slice(2));
const work = mkdtempSync(join(tmpdir(), "stan2ts-compile-bench-"));
try {
  if (options.cli) {
    console.log(`Cold CLI: node bin/stan2ts.js compile <file> -o <tmp> (${options.cliRuns} runs each, medians)`);
    const rows = options.models.map((model) => {
      const runs = Array.from({ length: options.cliRuns }, () => cliRun(model, join(work, "cli")));
      return {
        model,
        "wall s": median(runs.map((r) => r.wall)).toFixed(2),
        "CPU s (user+sys)": median(runs.map((r) => r.cpu)).toFixed(2),
      };
    });
    console.table(rows);
  }

  const importStart = process.cpuUsage();
  const { lowerStan, modelNameOf } = await import("../src/driver/compile");
  const { emitModuleText } = await import("../src/codegen/emitModule");
  const { differentiate } = await import("../src/ad/differentiate");
  const { layoutModule } = await import("../src/codegen/layout");
  const { buildFromScriptFile } = await import("../src/brms/index");
  const { bundleModel } = await import("../src/bundle/bundleModel");
  const { compileModelFile } = await import("../src/driver/compile");
  const importCpu = process.cpuUsage(importStart);
  const importMs = (importCpu.user + importCpu.system) / 1000;
  const { readFileSync, writeFileSync } = await import("node:fs");
  const emitOptions = { runtimeImport: join(ROOT, "src/runtime"), supportImport: join(ROOT, "src/codegen/support/modelSupport") };

  /** This process's CPU milliseconds so far (robust on a shared machine, unlike wall time). */
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };

  /** One compile, stage by stage (the same steps as compileModelFile), in CPU ms of this process. */
  async function stagedCompile(model: string, outDir: string): Promise<Stages> {
    const t0 = cpuMs();
    let source: string;
    let file: string;
    if (model.endsWith(".R")) {
      const data = dataArgs(model)[1];
      source = (await buildFromScriptFile(modelPath(model), data)).stanCode;
      file = `${model.replace(/\.R$/, "")}.stan`;
    } else {
      source = readFileSync(modelPath(model), "utf8");
      file = model;
    }
    const t1 = cpuMs();
    const ir = lowerStan(source, file, modelNameOf(file));
    const t2 = cpuMs();
    const text = emitModuleText(differentiate(ir), emitOptions);
    const t3 = cpuMs();
    const code = layoutModule(text);
    const t4 = cpuMs();
    const tsPath = join(outDir, `${ir.name}.ts`);
    writeFileSync(tsPath, code);
    await bundleModel(tsPath, join(outDir, `${ir.name}.bundle.js`), {});
    const t5 = cpuMs();
    return { brms: t1 - t0, lower: t2 - t1, emitText: t3 - t2, layout: t4 - t3, bundle: t5 - t4, total: t5 - t0 };
  }

  const fmt = (ms: number) => ms.toFixed(0);
  const stageRow = (label: string, s: Stages) => ({
    compile: label,
    "brms ms": fmt(s.brms),
    "Stan→IR ms": fmt(s.lower),
    "AD + module text ms": fmt(s.emitText),
    "layout ms": fmt(s.layout),
    "bundle ms": fmt(s.bundle),
    "total ms": fmt(s.total),
  });
  console.log(`\nIn process, CPU ms (imports of the compile pipeline under tsx: ${fmt(importMs)} ms)`);
  const rows = [];
  for (const model of options.models) {
    const first = await stagedCompile(model, work);
    const warm: Stages[] = [];
    for (let i = 0; i < options.runs; i++) warm.push(await stagedCompile(model, work));
    const med = (key: keyof Stages) => median(warm.map((s) => s[key]));
    rows.push(stageRow(`${model} first`, first));
    rows.push(
      stageRow(`${model} warm (median of ${options.runs})`, {
        brms: med("brms"),
        lower: med("lower"),
        emitText: med("emitText"),
        layout: med("layout"),
        bundle: med("bundle"),
        total: med("total"),
      }),
    );
    // compileModelFile end to end (what `compile`, `sample` and `demo` call), warm.
    const e2eWall: number[] = [];
    const e2eCpu: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      const t = performance.now();
      const c = cpuMs();
      await compileModelFile(modelPath(model), { outDir: join(work, "e2e"), dataPath: dataArgs(model)[1] });
      e2eWall.push(performance.now() - t);
      e2eCpu.push(cpuMs() - c);
    }
    rows.push({ compile: `${model} compileModelFile warm, wall`, "total ms": fmt(median(e2eWall)) });
    rows.push({ compile: `${model} compileModelFile warm, CPU`, "total ms": fmt(median(e2eCpu)) });
  }
  console.table(rows);
} finally {
  rmSync(work, { recursive: true, force: true });
}
