/**
 * `stan2ts sample model.stan|model.R`: compile, bundle, sample on worker threads with a progress
 * display, and print the summary with the sampler's warnings. Also the engine behind `demo`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { stanDataToJson } from "../../brms/index";
import { compileModelFile, isRScript, type CompiledModelFiles } from "../compile";
import type { ModelSampleOptions, SampleableModel, StanFit } from "../../runtime/api";
import { openFileSink } from "../../runtime/io/fileSink";
import { writeJson } from "../../runtime/io/jsonFile";
import { createInstance, type StanData } from "../../runtime/model";
import { ProgressDisplay } from "../../runtime/progress/progressDisplay";
import type { MetricKind } from "../../runtime/nuts/metric";
import { BRMS_NAMES_FILE, brmsNamesJson } from "../../views/brmsNames";
import { UsageError, UserInputError, type Command } from "../command";
import { isUrl, loadStanJson } from "../loadData";
import { prepareOutputDir, writeOutputFile } from "../outputDir";
import { printNotes } from "./stancode";
import { runScriptPostFit } from "./postFit";

export interface SampleArgs {
  file: string;
  data?: string;
  chains?: number;
  cores?: number;
  warmup?: number;
  samples?: number;
  iter?: number;
  seed?: number;
  adaptDelta?: number;
  maxTreedepth?: number;
  metric?: MetricKind;
  thin?: number;
  init?: string;
  outputDir?: string;
  quiet: boolean;
}

type NumericFlag = "chains" | "cores" | "warmup" | "samples" | "iter" | "seed" | "adaptDelta" | "maxTreedepth" | "thin";

const INTEGER_FLAGS: Record<string, NumericFlag> = {
  "--chains": "chains",
  "--cores": "cores",
  "--warmup": "warmup",
  "--samples": "samples",
  "--iter": "iter",
  "--seed": "seed",
  "--max-treedepth": "maxTreedepth",
  "--thin": "thin",
};

/** Parses the sample command line; every mistake is a `UsageError` naming the flag. */
export function parseSampleArgs(argv: readonly string[]): SampleArgs {
  const args: SampleArgs = { file: "", quiet: false };
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let inline: string | undefined;
    const eq = flag.indexOf("=");
    if (flag.startsWith("--") && eq > 0) {
      inline = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith("--"))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    if (flag in INTEGER_FLAGS) {
      const text = value();
      const n = Number(text);
      const min = flag === "--warmup" || flag === "--seed" ? 0 : 1;
      if (!/^\d+$/.test(text) || n < min || (flag === "--seed" && n > 4294967295)) {
        throw new UsageError(`${flag} must be ${flag === "--seed" ? "an integer from 0 to 4294967295" : min === 0 ? "a non-negative integer" : "a positive integer"}, got '${text}'.`);
      }
      args[INTEGER_FLAGS[flag]] = n;
    } else if (flag === "--adapt-delta") {
      const text = value();
      const n = Number(text);
      if (!(n > 0 && n < 1)) throw new UsageError(`--adapt-delta must be strictly between 0 and 1, got '${text}'.`);
      args.adaptDelta = n;
    } else if (flag === "--metric") {
      const text = value();
      if (text !== "diag" && text !== "dense") throw new UsageError(`--metric must be 'diag' or 'dense', got '${text}'.`);
      args.metric = text === "diag" ? "diag" : "dense";
    } else if (flag === "--data") args.data = value();
    else if (flag === "--init") args.init = value();
    else if (flag === "--output-dir" || flag === "-o") args.outputDir = value();
    else if (flag === "--quiet" || flag === "-q") args.quiet = true;
    else if (flag.startsWith("-")) throw new UsageError(`unknown option '${flag}' for sample (see stan2ts sample --help).`);
    else files.push(flag);
  }
  if (files.length !== 1) throw new UsageError("sample takes one model file: stan2ts sample model.stan --data data.json (or model.R)");
  args.file = files[0];
  if (args.iter !== undefined && args.samples !== undefined) throw new UsageError("give --iter or --samples, not both.");
  return args;
}

/** Settings after flags, the script's brm() arguments and defaults (flags win). */
export interface RunSettings {
  chains: number;
  cores: number;
  warmup: number;
  samples: number;
  thin: number;
  seed?: number;
  adaptDelta?: number;
  maxTreedepth?: number;
  metric?: MetricKind;
}

/**
 * rstan/brms count `iter` including warmup: samples = iter − warmup, warmup defaulting to
 * floor(iter / 2). CmdStan's `--warmup/--samples` default to 1000 each.
 */
export function resolveSettings(args: SampleArgs, script: { iter?: number; warmup?: number; chains?: number; cores?: number; seed?: number; thin?: number; adaptDelta?: number; maxTreedepth?: number } = {}, defaultCores = 2): RunSettings {
  const iter = args.iter ?? (args.samples === undefined ? script.iter : undefined);
  let warmup: number;
  let samples: number;
  if (iter !== undefined) {
    warmup = args.warmup ?? script.warmup ?? Math.floor(iter / 2);
    if (warmup >= iter) {
      throw new UsageError(`warmup (${warmup}) must be smaller than iter (${iter}): iter counts warmup and sampling together; pass --warmup.`);
    }
    samples = iter - warmup;
  } else {
    warmup = args.warmup ?? script.warmup ?? 1000;
    samples = args.samples ?? 1000;
  }
  const chains = args.chains ?? script.chains ?? 4;
  return {
    chains,
    cores: Math.max(1, Math.min(chains, args.cores ?? script.cores ?? defaultCores)),
    warmup,
    samples,
    thin: args.thin ?? script.thin ?? 1,
    seed: args.seed ?? script.seed,
    adaptDelta: args.adaptDelta ?? script.adaptDelta,
    maxTreedepth: args.maxTreedepth ?? script.maxTreedepth,
    metric: args.metric,
  };
}

export interface RunOutcome {
  fit: StanFit;
  compiled: CompiledModelFiles;
  settings: RunSettings;
  wallSeconds: number;
}

export interface RunOptions {
  /** Called with the settings before sampling starts (the demo prints them). */
  onStart?: (settings: RunSettings, compiled: CompiledModelFiles) => void;
  /** R scripts: take iter/warmup/chains/cores/seed from the script's brm() call (default true). */
  useScriptSettings?: boolean;
  log?: (line: string) => void;
}

/** Compiles, bundles and samples `args.file`; writes CSVs/program/JSON when `outputDir` is set. */
export async function runSample(args: SampleArgs, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = globalThis.performance.now();
  // Ctrl-C (SIGINT) and SIGTERM alike. While sampling, the first one stops each chain after its
  // current iteration and the run ends as usual (completed draws kept, summary printed, exit 0).
  // Before sampling, the run stops at the next step boundary (esbuild's service may still be
  // writing into the temporary folder mid-step); a second signal quits at once. Either way the
  // temporary folder is removed and the exit code is 128 + the signal's number.
  const controller = new AbortController();
  let sampling = false;
  let stopSignal: NodeJS.Signals | undefined;
  const exitCodeOf = (signal: NodeJS.Signals): number => (signal === "SIGTERM" ? 143 : 130);
  const quit = (signal: NodeJS.Signals): never => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(exitCodeOf(signal));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopSignal !== undefined) quit(signal);
    stopSignal = signal;
    const how = signal === "SIGTERM" ? "Terminated (SIGTERM)" : "Interrupted";
    if (!sampling) {
      log(`\n${how}: stopping before sampling starts (Ctrl-C again to quit at once)…`);
      return;
    }
    log(`\n${how}: stopping each chain after its current iteration (Ctrl-C again to quit at once)…`);
    controller.abort();
  };
  /** Between the steps before sampling: a signal received meanwhile ends the run here. */
  const checkpoint = (): void => {
    if (stopSignal !== undefined) quit(stopSignal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Created only once the handlers listen (a handler runs no earlier than the next turn of the
  // event loop, so it sees it): a signal before this kills the process with nothing to remove, one
  // after it is handled and removes the folder.
  const workDir = mkdtempSync(join(tmpdir(), "stan2ts-sample-"));
  try {
    // The bundle is ESM; say so, or tsx (which runs this CLI) would load a `.js` here as CommonJS.
    mkdirSync(join(workDir, "bundle"));
    writeFileSync(join(workDir, "bundle", "package.json"), '{ "type": "module" }\n');
    const compiled = await compileModelFile(args.file, { outDir: workDir, bundleDir: join(workDir, "bundle"), dataPath: isRScript(args.file) ? args.data : undefined });
    checkpoint();
    if (compiled.brms) printNotes(compiled.brms.build);
    let data: StanData;
    if (compiled.brms) data = JSON.parse(stanDataToJson(compiled.brms.build.standata)) as StanData;
    else if (args.data !== undefined && /\.csv$/i.test(args.data)) {
      throw new UsageError(`'${args.data}' looks like CSV: Stan programs take Stan JSON data (CmdStan's format); CSV files are read for brms R scripts.`);
    } else data = args.data === undefined ? {} : await loadStanJson(args.data);
    checkpoint();
    const init = args.init === undefined ? undefined : await readInit(args.init);

    const settings = resolveSettings(args, options.useScriptSettings === false ? {} : compiled.brms?.build.model.script.sampling);
    const { model } = (await import(pathToFileURL(compiled.jsPath).href)) as { model: SampleableModel };
    // Data problems are reported here, naming the field, before any output file is created.
    createInstance(model, data);

    const outputDir = args.outputDir;
    if (outputDir !== undefined) {
      prepareOutputDir(outputDir);
      writeOutputFile(outputDir, `${compiled.name}.stan`, compiled.stanCode);
      // brms models: the name map `stan2ts report` reads (CmdStan column → brms name).
      if (compiled.brms) {
        const formula = compiled.brms.naming.responses.map((r) => [r.formulaText, ...r.dparTexts].join("\n")).join("\n");
        writeOutputFile(outputDir, BRMS_NAMES_FILE, brmsNamesJson(compiled.brms.build.outputNames, formula));
      }
    }
    options.onStart?.(settings, compiled);
    const progress = new ProgressDisplay(process.stderr, { chains: settings.chains, mode: args.quiet ? "quiet" : "auto" });
    const sampleOptions: ModelSampleOptions = {
      chains: settings.chains,
      cores: settings.cores,
      warmup: settings.warmup,
      samples: settings.samples,
      thin: settings.thin,
      seed: settings.seed,
      adaptDelta: settings.adaptDelta,
      maxTreedepth: settings.maxTreedepth,
      metric: settings.metric,
      init,
      onProgress: progress.update,
      signal: controller.signal,
      csv: outputDir === undefined
        ? undefined
        : {
            open: (chain, name) => openFileSink(join(outputDir, `${name}_${chain}.csv`)),
            header: { dataFile: args.data === undefined ? "" : basename(args.data), startDatetime: new Date() },
          },
    };
    let fit: StanFit;
    checkpoint();
    sampling = true;
    try {
      fit = await model.sample(data, sampleOptions);
    } finally {
      sampling = false;
      progress.finish();
    }
    if (outputDir !== undefined) {
      // Streamed: a long run's draws are more text than one JavaScript string can hold.
      const sink = openFileSink(join(outputDir, `${compiled.name}.json`));
      try {
        writeJson(sink, fit);
      } finally {
        sink.close();
      }
    }
    return { fit, compiled, settings, wallSeconds: (globalThis.performance.now() - started) / 1000 };
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * `--init`: a number is an init radius (Stan's uniform(−R, R) on the unconstrained scale, R ≥ 0);
 * anything else is a Stan JSON file or URL of constrained initial values.
 */
export async function readInit(text: string): Promise<number | StanData> {
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) || /^[-+]?(inf|infinity|nan)$/i.test(text.trim())) {
    const radius = Number(text.trim().replace(/^([-+]?)inf(inity)?$/i, "$1Infinity"));
    if (!(radius >= 0) || !Number.isFinite(radius)) {
      throw new UserInputError(`--init ${text}: an init radius must be a finite number, 0 or more (e.g. --init 0.5), or give a Stan JSON file of initial values.`);
    }
    return radius;
  }
  if (!isUrl(text) && !existsSync(text)) {
    throw new UserInputError(`--init '${text}' is neither an init radius (a number, 0 or more) nor an existing Stan JSON file of initial values.`);
  }
  return loadStanJson(text);
}

/** Summary, then sampler/convergence warnings, then where the files went. */
export function report(outcome: RunOutcome, args: SampleArgs): string {
  const { fit, compiled } = outcome;
  if (fit.summaryDrawsPerChain < 4) {
    return `No summary: the run stopped before every chain had 4 post-warmup draws (${fit.drawsPerChain.join(", ")}).\n`;
  }
  const lines: string[] = [fit.summary()];
  const diagnostics = fit.diagnostics();
  // brms's print(fit) carries its own divergence and Rhat warnings; add tree depth and E-BFMI.
  const warnings = compiled.brms === undefined ? diagnostics.warnings : diagnostics.warnings.filter((w) => /treedepth|E-BFMI|rejected/.test(w));
  for (const warning of warnings) lines.push(`Warning: ${warning}\n`);
  if (diagnostics.interruptedChains.length > 0) {
    const counts = fit.drawsPerChain.map((n, i) => `chain ${i + 1}: ${n}`).join(", ");
    lines.push(
      `Interrupted: post-warmup draws completed before the interrupt: ${counts}. ` +
        `The summary uses the first ${fit.summaryDrawsPerChain} of each chain (R-hat and ESS need chains of equal length)` +
        (args.outputDir ? `; every completed draw is in the CSV files in ${args.outputDir}.` : "."),
    );
  }
  if (args.outputDir !== undefined) {
    lines.push(
      `Output: ${fit.numChains} CmdStan CSV files (${compiled.name}_1.csv …), ${compiled.name}.stan, ${compiled.name}.json` +
        `${compiled.brms ? " and brms.json (brms names)" : ""} in ${args.outputDir}`,
    );
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}

export const SAMPLE_HELP = [
  "Usage: stan2ts sample <model.stan|model.R> [options]",
  "",
  "Compiles the model, bundles it and runs Stan's NUTS sampler on worker threads with a progress",
  "display, then prints the summary (stansummary layout for Stan programs, brms's print(fit) for",
  "R scripts) and the sampler's warnings (divergences, tree depth, E-BFMI, R-hat, ESS).",
  "",
  "Data:",
  "  --data PATH|URL        Stan JSON (CmdStan format) for a .stan file; a CSV file for an R script",
  "                         (replaces the script's read_csv). http(s):// URLs are downloaded.",
  "  --init PATH|URL|R      initial values (Stan JSON, constrained scale) or an init radius",
  "",
  "Sampler (CmdStan's defaults; an R script's brm() arguments apply unless a flag overrides them):",
  "  --chains N             number of chains (4)",
  "  --cores N              chains run at once, each on a worker thread (2); draws do not depend on it",
  "  --warmup N             warmup iterations per chain (1000; brms: iter/2)",
  "  --samples N            post-warmup draws per chain (1000)",
  "  --iter N               rstan/brms meaning: warmup + sampling, so samples = iter - warmup",
  "  --seed N               random seed, 0..4294967295 (random when absent; printed in the output)",
  "  --adapt-delta X        target acceptance statistic, 0 < X < 1 (0.8)",
  "  --max-treedepth N      maximum tree depth (10)",
  "  --metric diag|dense    metric adapted during warmup (diag)",
  "  --thin N               keep every N-th draw (1)",
  "",
  "Output:",
  "  --output-dir DIR, -o   write one CmdStan CSV per chain as the run goes (<name>_<chain>.csv),",
  "                         the Stan program (<name>.stan), every draw as JSON (<name>.json) and,",
  "                         for R scripts, brms.json (brms names; read by stan2ts report)",
  "  --quiet, -q            no progress display",
  "",
  "Ctrl-C or SIGTERM stops the chains after their current iteration; completed draws stay in the CSV",
  "files and the summary covers them. Bad data, initial values that fail and unusable output folders",
  "are reported naming the cause (field, row, column, path), exit code 1 (see docs/errors.md).",
].join("\n");

export const sampleCommand: Command = {
  name: "sample",
  summary: "compile and sample a Stan program or brms R script; print the summary",
  help: SAMPLE_HELP,
  async run(argv) {
    const args = parseSampleArgs(argv);
    const outcome = await runSample(args);
    process.stdout.write(report(outcome, args));
    // An R script's calls after brm() (fixef(m1), hypothesis(m1, "…"), …) run on the draws.
    if (outcome.compiled.brms && outcome.fit.summaryDrawsPerChain >= 4) process.stdout.write(runScriptPostFit(outcome.fit, outcome.compiled.brms.build, args.file));
    return 0;
  },
};
