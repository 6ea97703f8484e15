/**
 * The fuzzer (issue #15, item 5): mutates the fixture programs (scripts/fuzz/mutate.ts) and runs
 * each through check → compile → load → a 5-draw sample (scripts/fuzz/runCase.ts) in a worker
 * thread. A finding is an internal error (exit 70), an uncaught exception, a generated module
 * that does not load, program text running as JavaScript, or a case whose checking or compiling
 * takes over the time limit; each is minimised (tokens removed while the finding stays the same)
 * and written to the output folder. Sampling that runs over the limit is the program's own doing
 * (a mutated `while` may never end) and is counted, not reported.
 *
 *   npm run fuzz -- --count 2000 --seed 1 [--from 0] [--timeout 5000] [--out fuzz-findings]
 *
 * `--from K` starts at case K of the seed's sequence (a long run resumed, or one case replayed
 * with `--from K --count 1`). A case the machine could not run (the loader could not start a
 * process: ENOMEM, EAGAIN) is run again once on a fresh worker, then counted as skipped. So is a
 * case whose checking or compiling overruns the limit, which is wall-clock time on a shared
 * machine: it is a finding only when the second run overruns too (scripts/fuzz/results.ts).
 *
 * Exit code 0 when nothing was found, 1 otherwise.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { StanData } from "../src/runtime/model";
import { type CorpusProgram, corpusProgram, mutatedCase, tokenize } from "./fuzz/mutate";
import { countedResult, isFinding, isInfrastructure, type Result } from "./fuzz/results";
import type { CaseOutcome, Stage } from "./fuzz/runCase";

interface Options {
  readonly from: number;
  readonly count: number;
  readonly seed: number;
  readonly timeoutMs: number;
  readonly out: string;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string, fallback: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
  };
  const count = Number(value("--count", "200"));
  const seed = Number(value("--seed", "1"));
  const timeoutMs = Number(value("--timeout", "5000"));
  const from = Number(value("--from", "0"));
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(seed) || !(timeoutMs > 0) || !Number.isInteger(from) || from < 0) {
    console.error("usage: npm run fuzz -- --count N --seed S [--from K] [--timeout MS] [--out DIR]");
    process.exit(2);
  }
  return { from, count, seed, timeoutMs, out: value("--out", "fuzz-findings") };
}

const ROOT = join(import.meta.dirname, "..");

function loadCorpus(): { programs: CorpusProgram[]; data: Map<string, StanData> } {
  const goodDir = join(ROOT, "fixtures/stan/good");
  const programs: CorpusProgram[] = [];
  const data = new Map<string, StanData>();
  for (const file of readdirSync(goodDir).filter((f) => f.endsWith(".stan")).sort()) {
    const name = file.replace(/\.stan$/, "");
    programs.push(corpusProgram(name, readFileSync(join(goodDir, file), "utf8")));
    const dataFile = join(ROOT, "fixtures/data", `${name}.data.json`);
    data.set(name, existsSync(dataFile) ? (JSON.parse(readFileSync(dataFile, "utf8")) as StanData) : {});
  }
  return { programs, data };
}


/** One worker thread, replaced when a case overruns the limit (the only way to stop it). */
class CaseRunner {
  private worker: Worker | undefined;
  /** Resolves when the worker has loaded the compiler (a cold start is not charged to a case). */
  private ready: Promise<void> = Promise.resolve();
  private nextId = 0;
  private casesOnWorker = 0;

  constructor(
    private readonly workDir: string,
    private readonly timeoutMs: number,
  ) {}

  private async start(): Promise<Worker> {
    // a fresh thread now and then: every loaded module stays in the module cache
    if (this.worker && this.casesOnWorker >= 300) this.stop();
    if (!this.worker) {
      // the worker is TypeScript: a bootstrap registers tsx's loader in the thread, then imports it
      const tsx = import.meta.resolve("tsx/esm/api");
      const entry = new URL("./fuzz/worker.ts", import.meta.url).href;
      const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
      const worker = new Worker(bootstrap, { eval: true, workerData: { workDir: this.workDir } });
      worker.unref();
      this.ready = new Promise((resolve, reject) => {
        const onReady = (m: { ready?: boolean }) => {
          if (!m.ready) return;
          worker.off("message", onReady);
          resolve();
        };
        worker.on("message", onReady);
        worker.once("error", reject);
      });
      this.worker = worker;
      this.casesOnWorker = 0;
    }
    this.casesOnWorker++;
    await this.ready;
    return this.worker;
  }

  stop(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  async run(source: string, data: StanData): Promise<Result> {
    const worker = await this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      let stage: Stage = "check";
      const finish = (result: Result) => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        resolve(result);
      };
      const onMessage = (m: { id: number; stage?: Stage; outcome?: CaseOutcome }) => {
        if (m.id !== id) return;
        if (m.stage) stage = m.stage;
        if (m.outcome) finish(m.outcome);
      };
      const onError = (error: unknown) => {
        this.worker = undefined;
        finish({ kind: "internal", stage, message: `uncaught in the worker: ${String(error)}` });
      };
      const timer = setTimeout(() => {
        this.stop();
        finish({ kind: "timeout", stage, message: `over ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.postMessage({ id, source, data });
    });
  }
}

const signature = (r: Result) => `${r.kind}|${r.stage}|${r.message.replace(/\d+/g, "#").slice(0, 80)}`;

/** Removes tokens (halves, then smaller chunks, then single tokens) while the finding stays the same. */
async function minimise(runner: CaseRunner, source: string, data: StanData, finding: Result, budget: number): Promise<string> {
  let tokens = tokenize(source);
  const wanted = signature(finding);
  let runs = 0;
  for (let chunk = Math.max(1, tokens.length >> 1); chunk >= 1 && runs < budget; chunk = chunk === 1 ? 0 : chunk >> 1) {
    for (let at = 0; at < tokens.length && runs < budget; ) {
      const candidate = [...tokens.slice(0, at), ...tokens.slice(at + chunk)];
      runs++;
      const r = await runner.run(candidate.join(""), data);
      if (signature(r) === wanted) tokens = candidate;
      else at += chunk;
    }
  }
  return tokens.join("");
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const { programs, data } = loadCorpus();
  const workDir = mkdtempSync(join(tmpdir(), "stan2ts-fuzz-"));
  const runner = new CaseRunner(workDir, options.timeoutMs);
  const counts = new Map<string, number>();
  const findings: { index: number; result: Result; file: string }[] = [];
  const started = Date.now();
  try {
    for (let index = options.from; index < options.from + options.count; index++) {
      const c = mutatedCase(programs, options.seed, index);
      const caseData = data.get(c.base.name) ?? {};
      const counted = await countedResult(await runner.run(c.source, caseData), () => {
        // on a fresh worker (a timed-out one is gone already)
        runner.stop();
        return runner.run(c.source, caseData);
      });
      const result = counted.result;
      if (counted.rerun === "slow once, not on a second run") counts.set(`run twice: ${counted.rerun}`, (counts.get(`run twice: ${counted.rerun}`) ?? 0) + 1);
      const key = isInfrastructure(result)
        ? "skipped (machine could not run it)"
        : result.kind === "timeout" ? `timeout in ${result.stage}` : result.kind === "ok" ? "sampled" : result.kind === "user" ? `user error at ${result.stage}` : result.kind;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if ((index + 1 - options.from) % 1000 === 0) console.error(`fuzz: ${index + 1 - options.from} of ${options.count} cases, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (!isFinding(result) || isInfrastructure(result)) continue;
      const minimal = await minimise(runner, c.source, caseData, result, 150);
      mkdirSync(options.out, { recursive: true });
      const file = join(options.out, `seed${options.seed}-case${index}.stan`);
      writeFileSync(file, minimal);
      writeFileSync(
        `${file}.txt`,
        `${result.kind} at ${result.stage}: ${result.message}\nfrom ${c.base.name}.stan by ${c.steps.join("; ")}\ndata: fixtures/data/${c.base.name}.data.json\nreplay: npm run fuzz -- --seed ${options.seed} --from ${index} --count 1\n`,
      );
      findings.push({ index, result, file });
      console.error(`case ${index}: ${result.kind} at ${result.stage}: ${result.message} (minimised: ${file})`);
    }
  } finally {
    runner.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const summary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(", ");
  console.log(`fuzz: ${options.count} cases (${options.from} to ${options.from + options.count - 1}), seed ${options.seed}, ${seconds} s; ${summary}`);
  console.log(findings.length === 0 ? "fuzz: no findings" : `fuzz: ${findings.length} findings in ${options.out}/`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

await main();
