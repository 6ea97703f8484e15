/**
 * `npm run bench`: the lecture models end to end, as a user runs them.
 *
 * For m1, m2, m3 (fixtures/brms/*.R) on ../shared/data/williams-seed.csv with the lecture's settings
 * (4 chains, 1000 warmup, 2000 draws, seed 14, 2 cores) it prints compile time, wall time
 * (compile + sampling), min bulk and tail ESS over all parameters (brms's variables except lp__
 * and lprior), min bulk ESS per second of sampling (the wall time of the sampling call: warmup and
 * draws of all chains, as a user waits for it), gradient evaluations per second, divergences
 * and max R-hat (gradients/s: leapfrog steps per second of one chain's sampling phase); then µs per log density and per gradient, parse + type-check time of the
 * generated Stan program, compile time against program size (bench/compileScaling.ts: m1's cold
 * CLI compile, 10/100/1,000-statement programs, 200 nested calls), the sampler's own overhead per
 * leapfrog step (bench/runtimeOverhead.ts), a scaling study: m1's gradient on 10× and 100× the
 * observations, and what the deterministic elementary functions cost against the engine's Math
 * (bench/elementaryCost.ts: gradients/s of m1–m3 and the fixtures both ways, ns per function call).
 *
 *   npm run bench [-- --quick] [-- --with-brms] [-- --models m1,m3] [-- --brms-draws N] [-- --brms-chains N] [-- --data file.csv]
 *
 * --with-brms fits the same scripts with brms (rstan backend) in the same run and prints ours/brms
 * per column. brms needs hours for m2 and m3 with these settings, so for those it runs the same
 * 1000 warmup iterations and only `--brms-draws` (default 200) draws per chain, on `--brms-chains`
 * chains (default 4); then only the post-warmup rates compare (min bulk ESS per second of the draws
 * phase, gradients per second), and the output estimates brms's wall time at the lecture's settings
 * from the measured phases (all said in the output). --quick: a short smoke run (fewer iterations,
 * shorter timings); its numbers are not the benchmark.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stanDataToJson } from "../src/brms/index";
import { checkStan, compileModelFile, type CompiledModelFiles } from "../src/driver/compile";
import { compileTimeSection } from "./compileScaling";
import { elementaryCostSection } from "./elementaryCost";
import type { SampleableModel, StanFit } from "../src/runtime/api";
import type { ModelInstance, StanData } from "../src/runtime/model";
import { ProgressDisplay } from "../src/runtime/progress/progressDisplay";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LECTURE_DATA = resolve(ROOT, "../shared/data/williams-seed.csv");
const SIM_DATA = resolve(ROOT, "fixtures/data/lecture-sim.csv");

interface Options {
  quick: boolean;
  withBrms: boolean;
  models: string[];
  brmsDraws: number;
  /** Chains of a shortened brms run (default: the lecture's 4). */
  brmsChains: number | undefined;
  /** Replaces the lecture data (e.g. a small CSV to try --with-brms quickly). */
  dataPath?: string;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { quick: false, withBrms: false, models: ["m1", "m2", "m3"], brmsDraws: 200, brmsChains: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") options.quick = true;
    else if (a === "--with-brms") options.withBrms = true;
    else if (a === "--models") options.models = (argv[++i] ?? "").split(",").filter(Boolean);
    else if (a === "--brms-draws") options.brmsDraws = Number(argv[++i]);
    else if (a === "--brms-chains") options.brmsChains = Number(argv[++i]);
    else if (a === "--data") options.dataPath = argv[++i];
    else throw new Error(`bench/run.ts: unknown argument '${a}' (known: --quick --with-brms --models m1,m2 --brms-draws N --brms-chains N --data file.csv)`);
  }
  return options;
}

interface Settings {
  chains: number;
  cores: number;
  warmup: number;
  samples: number;
  seed: number;
}

/** One model's end-to-end numbers (ours or brms's). */
interface Row {
  compileSeconds: number;
  /** Compile + sampling, seconds. */
  wallSeconds: number;
  /** The sampling call alone (warmup + draws, all chains), seconds. */
  samplingSeconds: number;
  /** The settings this side ran with (a shortened brms run has its own). */
  settings: Settings;
  /** Warmup and post-warmup seconds, each summed over chains. */
  chainWarmupSeconds: number;
  chainDrawsSeconds: number;
  minBulk: number;
  minTail: number;
  gradientsPerSecond: number;
  divergences: number;
  maxRhat: number;
  note?: string;
}

const now = () => globalThis.performance.now();

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Best-of-batches time per call in µs (the least disturbed batch on a shared machine). */
function microsPerCall(fn: () => void, seconds: number): number {
  // Warm up until the JIT has settled: at least 200 calls and a quarter of the timing budget.
  const warm = now() + (seconds * 1000) / 4;
  for (let i = 0; i < 200 || now() < warm; i++) fn();
  let best = Infinity;
  const end = now() + seconds * 1000;
  do {
    let n = 0;
    const t0 = now();
    while (now() - t0 < 20) {
      fn();
      n++;
    }
    best = Math.min(best, ((now() - t0) * 1000) / n);
  } while (now() < end);
  return best;
}

function fixedPoint(dim: number): Float64Array {
  const theta = new Float64Array(dim);
  for (let i = 0; i < dim; i++) theta[i] = 0.1 * Math.sin(i + 1);
  return theta;
}

function gradientTimes(instance: ModelInstance, seconds: number): { logDensity: number; gradient: number } {
  const theta = fixedPoint(instance.dim);
  const grad = new Float64Array(instance.dim);
  let sink = 0;
  const logDensity = microsPerCall(() => {
    sink += instance.logDensity(theta);
  }, seconds);
  const gradient = microsPerCall(() => {
    sink += instance.logDensityGradient(theta, grad);
  }, seconds);
  if (Number.isNaN(sink)) console.error("(log density was NaN at the timing point)");
  return { logDensity, gradient };
}

function parseCheckMs(stanCode: string, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const t0 = now();
    checkStan(stanCode, "model.stan");
    if (i >= 5) times.push(now() - t0);
  }
  return median(times);
}

function fitRow(fit: StanFit, compileSeconds: number, samplingSeconds: number, settings: Settings): Row {
  const summaries = fit.parameterSummaries().filter((s) => s.name !== "lprior");
  const finite = (xs: number[]) => xs.filter(Number.isFinite);
  const leapfrogColumn = fit.columns.indexOf("n_leapfrog__");
  // Gradient evaluations per second of one chain's sampling phase (leapfrog steps / its seconds).
  let gradients = 0;
  let chainDrawsSeconds = 0;
  let chainWarmupSeconds = 0;
  for (const chain of fit.raw.chains) {
    for (const row of chain.rows) gradients += row[leapfrogColumn];
    chainDrawsSeconds += chain.samplingSeconds;
    chainWarmupSeconds += chain.warmupSeconds;
  }
  return {
    compileSeconds,
    wallSeconds: compileSeconds + samplingSeconds,
    samplingSeconds,
    settings,
    chainWarmupSeconds,
    chainDrawsSeconds,
    minBulk: Math.min(...finite(summaries.map((s) => s.essBulk))),
    minTail: Math.min(...finite(summaries.map((s) => s.essTail))),
    gradientsPerSecond: gradients / chainDrawsSeconds,
    divergences: fit.raw.numDivergent,
    maxRhat: Math.max(...finite(summaries.map((s) => s.rhat))),
  };
}

async function loadBundle(compiled: CompiledModelFiles): Promise<SampleableModel> {
  return ((await import(pathToFileURL(compiled.jsPath).href)) as { model: SampleableModel }).model;
}

async function compileScript(model: string, dataPath: string, workDir: string): Promise<{ compiled: CompiledModelFiles; seconds: number; data: StanData }> {
  const dir = join(workDir, model);
  const bundleDir = join(dir, "bundle");
  mkdirSync(bundleDir, { recursive: true });
  // The bundle is ESM; tsx (which runs this file) would otherwise load a `.js` as CommonJS.
  writeFileSync(join(bundleDir, "package.json"), '{ "type": "module" }\n');
  const t0 = now();
  const compiled = await compileModelFile(join(ROOT, `fixtures/brms/${model}.R`), { outDir: dir, bundleDir, dataPath });
  const seconds = (now() - t0) / 1000;
  const data = JSON.parse(stanDataToJson(compiled.brms!.build.standata)) as StanData;
  return { compiled, seconds, data };
}

// ---------------------------------------------------------------------------------------------
// brms side

const R_DRIVER = String.raw`
args <- commandArgs(trailingOnly = TRUE)
script <- args[1]; data_path <- args[2]
bench_warmup <- as.integer(args[3]); bench_iter <- as.integer(args[4])
bench_chains <- as.integer(args[5]); bench_cores <- as.integer(args[6])
suppressPackageStartupMessages({ library(brms); library(readr); library(dplyr); library(posterior) })
# The scripts' library() calls (tidyverse is not installed here) and here() do nothing; read_csv
# reads the benchmark's data file; brm() is timed: compile (chains = 0), then sampling.
library <- function(...) invisible(NULL)
here <- function(...) NULL
read_csv <- function(path, ...) readr::read_csv(data_path, show_col_types = FALSE)
brm <- function(..., iter, warmup, chains, cores, seed, file) {
  t0 <- proc.time()[["elapsed"]]
  fit0 <- brms::brm(..., chains = 0, backend = "rstan", silent = 2, refresh = 0)
  t1 <- proc.time()[["elapsed"]]
  fit <- update(fit0, recompile = FALSE, chains = bench_chains, cores = bench_cores, iter = bench_iter,
                warmup = bench_warmup, seed = 14, refresh = 0, silent = 2)
  t2 <- proc.time()[["elapsed"]]
  draws <- as_draws_array(fit)
  draws <- subset_draws(draws, variable = setdiff(variables(draws), c("lp__", "lprior")))
  s <- summarise_draws(draws, rhat, ess_bulk, ess_tail)
  post <- rstan::get_sampler_params(fit$fit, inc_warmup = FALSE)
  leapfrog <- sum(sapply(post, function(x) sum(x[, "n_leapfrog__"])))
  chain_sampling <- sum(rstan::get_elapsed_time(fit$fit)[, "sample"])
  chain_warmup <- sum(rstan::get_elapsed_time(fit$fit)[, "warmup"])
  divergent <- sum(sapply(post, function(x) sum(x[, "divergent__"])))
  cat(sprintf("BRMS_RESULT compile=%.3f sampling=%.3f min_bulk=%.3f min_tail=%.3f max_rhat=%.5f leapfrog=%.0f chain_sampling=%.3f chain_warmup=%.3f divergent=%d\n",
              t1 - t0, t2 - t1, min(s$ess_bulk, na.rm = TRUE), min(s$ess_tail, na.rm = TRUE),
              max(s$rhat, na.rm = TRUE), leapfrog, chain_sampling, chain_warmup, divergent))
  invisible(fit)
}
setwd(dirname(script))
source(basename(script), echo = FALSE)
`;

function brmsAvailable(): string | null {
  const probe = spawnSync("Rscript", ["-e", "suppressPackageStartupMessages(library(brms)); library(posterior); library(readr); library(dplyr)"], { encoding: "utf8" });
  if (probe.error) return "Rscript is not installed";
  if (probe.status !== 0) return `brms (or posterior/readr/dplyr) is not installed: ${probe.stderr.trim().split("\n").pop()}`;
  return null;
}

function runBrms(model: string, dataPath: string, settings: Settings, workDir: string): Row {
  const driver = join(workDir, "brms-driver.R");
  writeFileSync(driver, R_DRIVER);
  const t0 = now();
  const out = execFileSync(
    "Rscript",
    [driver, join(ROOT, `fixtures/brms/${model}.R`), dataPath, String(settings.warmup), String(settings.warmup + settings.samples), String(settings.chains), String(settings.cores)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] },
  );
  const wall = (now() - t0) / 1000;
  const line = out.split("\n").find((l) => l.startsWith("BRMS_RESULT"));
  if (!line) throw new Error(`brms run for ${model} printed no result:\n${out}`);
  const v = Object.fromEntries(line.slice("BRMS_RESULT ".length).split(" ").map((kv) => kv.split("=")).map(([k, x]) => [k, Number(x)]));
  return {
    compileSeconds: v.compile,
    wallSeconds: wall,
    samplingSeconds: v.sampling,
    settings,
    chainWarmupSeconds: v.chain_warmup,
    chainDrawsSeconds: v.chain_sampling,
    minBulk: v.min_bulk,
    minTail: v.min_tail,
    gradientsPerSecond: v.leapfrog / v.chain_sampling,
    divergences: v.divergent,
    maxRhat: v.max_rhat,
  };
}

// ---------------------------------------------------------------------------------------------
// Output

const COLUMNS: { label: string; value: (r: Row) => number; digits: number; ratio: boolean }[] = [
  { label: "compile s", value: (r) => r.compileSeconds, digits: 2, ratio: true },
  { label: "wall s", value: (r) => r.wallSeconds, digits: 1, ratio: true },
  { label: "s/iteration", value: (r) => r.samplingSeconds / iterations(r.settings), digits: 5, ratio: true },
  { label: "min bulk ESS", value: (r) => r.minBulk, digits: 0, ratio: true },
  { label: "min tail ESS", value: (r) => r.minTail, digits: 0, ratio: true },
  { label: "min bulk ESS/s", value: (r) => r.minBulk / r.samplingSeconds, digits: 1, ratio: true },
  // per second of the post-warmup phase: the rate a shorter run measures without its warmup share
  { label: "min bulk ESS/s draws", value: (r) => (r.minBulk * parallelChains(r.settings)) / r.chainDrawsSeconds, digits: 1, ratio: true },
  { label: "gradients/s", value: (r) => r.gradientsPerSecond, digits: 0, ratio: true },
  { label: "divergences", value: (r) => r.divergences, digits: 0, ratio: false },
  { label: "max R-hat", value: (r) => r.maxRhat, digits: 3, ratio: false },
];

const iterations = (s: Settings): number => s.chains * (s.warmup + s.samples);
/** Chains that run at once; per-phase wall time is the phase's chain seconds divided by this. */
const parallelChains = (s: Settings): number => Math.min(s.chains, s.cores);

/**
 * A shortened run's wall time scaled to `settings`: its mean chain's warmup and draws (scaled to
 * settings.samples), times the rounds of chains the cores take, plus compilation.
 */
function fullRunEstimate(r: Row, settings: Settings): number {
  const meanChain = (r.chainWarmupSeconds + (r.chainDrawsSeconds * settings.samples) / r.settings.samples) / r.settings.chains;
  return r.compileSeconds + meanChain * Math.ceil(settings.chains / parallelChains(settings));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => `| ${cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join(" | ")} |`;
  return [line(header), `|${widths.map((w, j) => (j === 0 ? "-" : "") + "-".repeat(w + 1) + (j === 0 ? "" : ":")).join("|")}|`, ...rows.map(line)].join("\n");
}

const fmt = (x: number, digits: number) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

// ---------------------------------------------------------------------------------------------

/** m1's Stan data with every person copied `factor` times as new people: factor× observations. */
function replicatePeople(data: StanData, factor: number): StanData {
  const N = data.N as number;
  const N1 = data.N_1 as number;
  const rep = <T>(xs: T[], f: (x: T, copy: number) => T): T[] => Array.from({ length: factor }, (_, c) => xs.map((x) => f(x, c))).flat();
  return {
    ...data,
    N: N * factor,
    N_1: N1 * factor,
    Y: rep(data.Y as number[], (y) => y),
    X: rep(data.X as number[][], (x) => x),
    J_1: rep(data.J_1 as number[], (j, c) => j + c * N1),
    Z_1_1: rep(data.Z_1_1 as number[], (z) => z),
    Z_1_2: rep(data.Z_1_2 as number[], (z) => z),
  };
}

function runtimeOverheadLines(quick: boolean): string[] {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench/runtimeOverhead.ts"), quick ? "5000" : "50000"], { encoding: "utf8", cwd: ROOT });
  if (r.status !== 0) return [`(bench/runtimeOverhead.ts failed: ${r.stderr.trim().split("\n").pop()})`];
  return r.stdout.trim().split("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let dataPath = options.dataPath ?? LECTURE_DATA;
  if (options.dataPath === undefined && !existsSync(dataPath)) {
    console.log(`Note: ${LECTURE_DATA} is missing; using the embedded simulated data ${SIM_DATA} instead.`);
    dataPath = SIM_DATA;
  }
  const settings: Settings = options.quick
    ? { chains: 4, cores: 2, warmup: 150, samples: 150, seed: 14 }
    : { chains: 4, cores: 2, warmup: 1000, samples: 2000, seed: 14 };
  const timingSeconds = options.quick ? 0.3 : 2;
  console.log(`stan2ts benchmark — ${options.quick ? "QUICK SMOKE RUN (not the benchmark settings)" : "lecture settings"}: ` +
    `${settings.chains} chains, ${settings.warmup} warmup, ${settings.samples} draws, seed ${settings.seed}, ${settings.cores} cores; data ${dataPath}`);
  console.log(`node ${process.versions.node}, ${new Date().toISOString()}\n`);

  let brmsMissing: string | null = null;
  if (options.withBrms) {
    brmsMissing = brmsAvailable();
    if (brmsMissing) console.log(`--with-brms: ${brmsMissing}; printing stan2ts alone.\n`);
  } else {
    console.log("(brms comparison off; add --with-brms to fit the same models with brms in this run)\n");
  }

  const workDir = mkdtempSync(join(tmpdir(), "stan2ts-bench-"));
  const ours = new Map<string, Row>();
  const theirs = new Map<string, Row>();
  const micro: string[][] = [];
  let m1Data: StanData | undefined;
  let m1Model: SampleableModel | undefined;
  try {
    for (const name of options.models) {
      const { compiled, seconds, data } = await compileScript(name, dataPath, workDir);
      const model = await loadBundle(compiled);
      if (name === "m1") {
        m1Data = data;
        m1Model = model;
      }
      const instance = model.create(data);
      const times = gradientTimes(instance, timingSeconds);
      micro.push([
        name,
        String(instance.dim),
        String(data.N),
        fmt(times.logDensity, 1),
        fmt(times.gradient, 1),
        fmt(times.gradient / times.logDensity, 2),
        fmt(parseCheckMs(compiled.stanCode, options.quick ? 5 : 30), 1),
        fmt(compiled.timings.brms, 0),
        fmt(compiled.timings.compile, 0),
        fmt(compiled.timings.bundle, 0),
      ]);
      process.stderr.write(`${name}: compiled in ${seconds.toFixed(2)} s; sampling…\n`);
      const progress = new ProgressDisplay(process.stderr, { chains: settings.chains });
      const t0 = now();
      const fit = await model.sample(data, { ...settings, onProgress: progress.update });
      const samplingSeconds = (now() - t0) / 1000;
      progress.finish();
      const row = fitRow(fit, seconds, samplingSeconds, settings);
      ours.set(name, row);
      console.log(`${name}: wall ${row.wallSeconds.toFixed(1)} s (compile ${row.compileSeconds.toFixed(2)} s), min bulk ESS ${row.minBulk.toFixed(0)}, ` +
        `min bulk ESS/s ${(row.minBulk / row.samplingSeconds).toFixed(1)}, divergences ${row.divergences}, max R-hat ${row.maxRhat.toFixed(3)}`);
      if (options.withBrms && !brmsMissing) {
        const full = name === "m1" || options.quick;
        const brmsSettings = full ? settings : { ...settings, samples: options.brmsDraws, chains: options.brmsChains ?? settings.chains };
        process.stderr.write(`${name}: brms (rstan), ${brmsSettings.chains} chains with ${brmsSettings.warmup} warmup + ${brmsSettings.samples} draws each…\n`);
        const b = runBrms(name, dataPath, brmsSettings, workDir);
        if (!full) b.note = `brms ran ${brmsSettings.chains} chains of ${brmsSettings.warmup} warmup + ${brmsSettings.samples} draws (full settings take hours): compare the post-warmup rates`;
        theirs.set(name, b);
        console.log(`${name} (brms): wall ${b.wallSeconds.toFixed(1)} s (compile ${b.compileSeconds.toFixed(1)} s), min bulk ESS ${b.minBulk.toFixed(0)}, sampling ${b.samplingSeconds.toFixed(1)} s`);
      }
    }

    console.log("\n## End to end (stan2ts)\n");
    console.log(table(["model", ...COLUMNS.map((c) => c.label)], options.models.map((m) => [m, ...COLUMNS.map((c) => fmt(c.value(ours.get(m)!), c.digits))])));

    if (theirs.size > 0) {
      console.log("\n## brms (rstan backend), same data, same run\n");
      console.log(table(["model", ...COLUMNS.map((c) => c.label)], [...theirs.keys()].map((m) => [m, ...COLUMNS.map((c) => fmt(c.value(theirs.get(m)!), c.digits))])));
      console.log("\n## Ratios ours / brms (time columns: below 1 is faster; ESS, ESS/s and gradients/s: above 1 is better)\n");
      const ratioColumns = COLUMNS.filter((c) => c.ratio);
      console.log(table(["model", ...ratioColumns.map((c) => c.label)], [...theirs.keys()].map((m) => {
        const full = theirs.get(m)!.note === undefined;
        return [m, ...ratioColumns.map((c) => {
          // A shorter brms run spends most of its time in warmup: only the rates of the post-warmup
          // phase compare (ESS per second of draws, gradients per second).
          const comparable = full || c.label === "min bulk ESS/s draws" || c.label === "gradients/s";
          return comparable ? fmt(c.value(ours.get(m)!) / c.value(theirs.get(m)!), 2) : "n/a";
        })];
      })));
      for (const [m, r] of theirs) {
        if (!r.note) continue;
        console.log(`${m}: ${r.note}.`);
        const estimate = fullRunEstimate(r, settings);
        const ourWall = ours.get(m)!.wallSeconds;
        console.log(`${m}: brms at the lecture's settings, estimated from this run (compile + mean chain's warmup + its draws × ${settings.samples}/${r.settings.samples},` +
          ` ${settings.chains} chains on ${settings.cores} cores): ${estimate.toFixed(0)} s; stan2ts measured ${ourWall.toFixed(1)} s (${fmt(ourWall / estimate, 3)} of it).`);
      }
    }

    console.log("\n## Compile time against program size (bench/compileScaling.ts)\n");
    for (const line of await compileTimeSection(options.quick)) console.log(line);

    console.log("\n## Per evaluation and front end\n");
    console.log(table(["model", "params", "N", "µs/log density", "µs/gradient", "gradient/density", "parse+check ms", "brms ms", "Stan→TS ms", "bundle ms"], micro));

    if (m1Data && m1Model) {
      console.log("\n## Scaling: m1's gradient with every person copied (observations and people ×k)\n");
      const rows: string[][] = [];
      let base = NaN;
      for (const factor of [1, 10, 100]) {
        const instance = m1Model.create(factor === 1 ? m1Data : replicatePeople(m1Data, factor));
        const { gradient } = gradientTimes(instance, factor === 100 ? timingSeconds * 2 : timingSeconds);
        if (factor === 1) base = gradient;
        rows.push([`${factor}×`, String(instance.dim), String((m1Data.N as number) * factor), fmt(gradient, 1), fmt(gradient / base, 1), fmt((gradient * 1000) / ((m1Data.N as number) * factor), 2)]);
      }
      console.log(table(["data", "params", "N", "µs/gradient", "× of 1×", "ns per observation"], rows));
      console.log("Linear growth means the last column stays about constant.");
    }

    console.log("\n## Runtime overhead (bench/runtimeOverhead.ts)\n");
    for (const line of runtimeOverheadLines(options.quick)) console.log(line);

    console.log(`\n## Deterministic elementary functions: cost against Math (bench/elementaryCost.ts; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")})\n`);
    for (const line of await elementaryCostSection(options.quick)) console.log(line);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
