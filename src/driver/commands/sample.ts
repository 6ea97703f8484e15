/**
 * `stan2ts sample model.stan|model.R`: compile, bundle, sample on worker threads with a progress
 * display, and print the summary with the sampler's warnings. Also the engine behind `demo`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { stanDataToJson } from "../../brms/index";
import { compileModelFile, isRScript, type CompiledModelFiles } from "../compile";
import type { ModelSampleOptions, SampleableModel, StanFit } from "../../runtime/api";
import { openFileSink } from "../../runtime/io/fileSink";
import { createInstance, type StanData } from "../../runtime/model";
import { ProgressDisplay } from "../../runtime/progress/progressDisplay";
import type { MetricKind } from "../../runtime/nuts/metric";
import { BRMS_NAMES_FILE, brmsNamesJson } from "../../views/brmsNames";
import { UsageError, UserInputError, type Command } from "../command";
import { cmdstanHelp, flagValue, integerIn, numberValue, numberWhere, oneOf, onePositional, optionsHelp, parseCommandLine, stringValue, type CommandLineSpec, type OptionSpec } from "../args";
import { isUrl, loadStanJson } from "../loadData";
import { prepareOutputDir, writeOutputFile } from "../outputDir";
import { printNotes } from "./stancode";
import { checkPostFitCalls } from "../../brms/postFit/runPostFit";
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
  /** CSV/JSON file names are `<base>_<chain>.csv`; the model's name unless CmdStan's `output file=` says otherwise. */
  outputBase?: string;
  /** Also write every draw as JSON, one file per chain, streamed as the rows arrive. */
  json: boolean;
  quiet: boolean;
}

const SEED_MAX = 4294967295;

/**
 * The sample command's options. CmdStan's spellings (`cmdstan`) make a CmdStan command line such
 * as `sample num_samples=1000 adapt delta=0.9 data file=d.json random seed=4 output file=o.csv`
 * mostly work; `iter` is rstan's and brms's (warmup + sampling), which CmdStan does not have.
 */
const SAMPLER = "Sampler (CmdStan's defaults; an R script's brm() arguments apply unless an option overrides them):";

export const SAMPLE_OPTIONS: readonly OptionSpec[] = [
  { section: "Data:", name: "data", value: "PATH|URL", cmdstan: ["data file"], help: ["Stan JSON (CmdStan format) for a .stan file; a CSV file for an R script", "(replaces the script's read_csv). http(s):// URLs are downloaded."] },
  { section: "Data:", name: "init", value: "PATH|URL|R", cmdstan: ["init"], help: "initial values (Stan JSON, constrained scale) or an init radius" },
  { section: SAMPLER, name: "chains", value: "N", aliases: ["num-chains"], cmdstan: ["num_chains"], parse: integerIn(1), help: "number of chains (4)" },
  { section: SAMPLER, name: "cores", value: "N", parse: integerIn(1), help: ["chains run at once, each on a worker thread (all available cores, at", "most one per chain); draws do not depend on it"] },
  { section: SAMPLER, name: "warmup", value: "N", aliases: ["num-warmup", "iter-warmup"], cmdstan: ["num_warmup"], parse: integerIn(0), help: "warmup iterations per chain (1000; with --iter: iter/2)" },
  { section: SAMPLER, name: "samples", value: "N", aliases: ["num-samples", "iter-sampling"], cmdstan: ["num_samples"], parse: integerIn(1), help: "post-warmup iterations per chain (1000)" },
  { section: SAMPLER, name: "iter", value: "N", parse: integerIn(1), help: ["rstan/brms meaning: warmup + sampling iterations per chain, so", "samples = iter - warmup (the summary's header, CmdStan's, shows", "iter=<sampling iterations>; warmup=<warmup iterations>)"] },
  { section: SAMPLER, name: "seed", value: "N", cmdstan: ["random seed"], parse: integerIn(0, SEED_MAX, `an integer from 0 to ${SEED_MAX}`), help: `random seed, 0..${SEED_MAX} (random when absent; recorded in the CSV files)` },
  { section: SAMPLER, name: "adapt-delta", value: "X", cmdstan: ["adapt delta"], parse: numberWhere((x) => x > 0 && x < 1, "strictly between 0 and 1"), help: "target acceptance statistic, 0 < X < 1 (0.8)" },
  { section: SAMPLER, name: "max-treedepth", value: "N", aliases: ["max-depth"], cmdstan: ["max_depth"], parse: integerIn(1), help: "maximum tree depth (10)" },
  { section: SAMPLER, name: "metric", value: "diag|dense", cmdstan: ["metric"], parse: oneOf({ diag: "diag", dense: "dense", diag_e: "diag", dense_e: "dense" }, ["diag", "dense"]), help: "metric adapted during warmup (diag; CmdStan's diag_e/dense_e too)" },
  { section: SAMPLER, name: "thin", value: "N", cmdstan: ["thin"], parse: integerIn(1), help: "keep every N-th draw (1)" },
  { section: "Output:", name: "output-dir", short: "o", value: "DIR", cmdstan: ["output dir"], help: ["write one CmdStan CSV per chain as the run goes (<name>_<chain>.csv),", "the Stan program (<name>.stan) and, for R scripts, brms.json (brms", "names; read by stan2ts report)"] },
  { section: "Output:", name: "output-file", value: "PATH", hidden: true, cmdstan: ["output file"], help: "CmdStan's output file=PATH: CSVs PATH_1.csv … (folder and base name)" },
  { section: "Output:", name: "json", help: ["with --output-dir, also every draw as JSON, one file per chain", "(<name>_<chain>.json, written as the draws arrive)"] },
  { section: "Output:", name: "quiet", short: "q", help: "no progress display" },
];

export const SAMPLE_COMMAND_LINE: CommandLineSpec = {
  command: "sample",
  options: SAMPLE_OPTIONS,
  // Words of a CmdStan command line that choose what stan2ts always does.
  cmdstanNoOps: ["sample", "method=sample", "algorithm=hmc", "engine=nuts", "engaged=1", "save_warmup=0", "save_warmup=false"],
};

/** Parses the sample command line; every mistake is a `UsageError` naming the option. */
export function parseSampleArgs(argv: readonly string[]): SampleArgs {
  const parsed = parseCommandLine(argv, SAMPLE_COMMAND_LINE);
  const file = onePositional(parsed, "sample takes one model file: stan2ts sample model.stan --data data.json (or model.R)");
  const args: SampleArgs = {
    file,
    data: stringValue(parsed, "data"),
    chains: numberValue(parsed, "chains"),
    cores: numberValue(parsed, "cores"),
    warmup: numberValue(parsed, "warmup"),
    samples: numberValue(parsed, "samples"),
    iter: numberValue(parsed, "iter"),
    seed: numberValue(parsed, "seed"),
    adaptDelta: numberValue(parsed, "adapt-delta"),
    maxTreedepth: numberValue(parsed, "max-treedepth"),
    metric: stringValue(parsed, "metric") as MetricKind | undefined,
    thin: numberValue(parsed, "thin"),
    init: stringValue(parsed, "init"),
    outputDir: stringValue(parsed, "output-dir"),
    json: flagValue(parsed, "json"),
    quiet: flagValue(parsed, "quiet"),
  };
  const outputFile = stringValue(parsed, "output-file");
  if (outputFile !== undefined) {
    // CmdStan writes output file=out.csv as out_1.csv … for several chains; so do we, in its folder.
    const path = args.outputDir === undefined ? outputFile : join(args.outputDir, outputFile);
    args.outputDir = dirname(path);
    args.outputBase = basename(path).replace(/\.csv$/i, "");
    if (args.outputBase === "") throw new UsageError(`output file=${outputFile} needs a file name.`);
  }
  for (const key of Object.keys(args) as (keyof SampleArgs)[]) if (args[key] === undefined) delete args[key];
  if (args.iter !== undefined && args.samples !== undefined) {
    throw new UsageError(`give ${parsed.spelled.get("iter")} or ${parsed.spelled.get("samples")}, not both.`);
  }
  if (args.json && args.outputDir === undefined) throw new UsageError("--json writes into the output folder: give --output-dir DIR too.");
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
 * floor(iter / 2). CmdStan has no `iter`; its num_warmup/num_samples default to 1000 each, and
 * its stansummary header (the one Stan programs print) says `iter=<num_samples>;
 * warmup=<num_warmup>`, so `--iter 500` prints `iter=250; warmup=250` there, while brms's
 * print(fit) (R scripts) says `iter = 500; warmup = 250`: each in its own vocabulary.
 * Cores default to every available core, at most one per chain, as the API does.
 */
export function resolveSettings(
  args: SampleArgs,
  script: { iter?: number; warmup?: number; chains?: number; cores?: number; seed?: number; thin?: number; adaptDelta?: number; maxTreedepth?: number } = {},
  defaultCores = availableParallelism(),
): RunSettings {
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
    // pp_check()/loo()/conditional_effects() on a model they cannot handle: say so before sampling
    if (compiled.brms) checkPostFitCalls(compiled.brms.build.model.script.postFit, compiled.brms.build.model);
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
    const outputBase = args.outputBase ?? compiled.name;
    if (outputDir !== undefined) {
      prepareOutputDir(outputDir);
      writeOutputFile(outputDir, `${compiled.name}.stan`, compiled.stanCode);
      // brms models: the name map `stan2ts report` reads (CmdStan column → brms name).
      if (compiled.brms) {
        const formula = compiled.brms.naming.responses.map((r) => [r.formulaText, ...r.dparTexts].join("\n")).join("\n");
        writeOutputFile(outputDir, BRMS_NAMES_FILE, brmsNamesJson(compiled.brms.build.outputNames, formula));
      }
    }
    const brmsColumns = compiled.brms ? new Set(compiled.brms.build.outputNames.map((n) => n.stan)) : undefined;
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
            open: (chain) => openFileSink(join(outputDir, `${outputBase}_${chain}.csv`)),
            header: { dataFile: args.data === undefined ? "" : basename(args.data), startDatetime: new Date() },
          },
      // Streamed per chain as the rows arrive: a long run's draws as JSON are more text than memory
      // should hold (m2, 4 × 4000 draws: ~1.5 GB).
      json: outputDir === undefined || !args.json
        ? undefined
        : {
            open: (chain) => openFileSink(join(outputDir, `${outputBase}_${chain}.json`)),
            fields: compiled.brms ? { brmsNames: Object.fromEntries(compiled.brms.build.outputNames.map((n) => [n.stan, n.brms])) } : undefined,
          },
      // brms's summary and checks use only brms's variables (and the sampler's columns); the rest
      // (z_1, L_1, … : two thirds of m2's 4825 columns) go to the files but are not kept.
      keepColumn: brmsColumns === undefined ? undefined : (column) => column.endsWith("__") || brmsColumns.has(column),
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
    const base = args.outputBase ?? compiled.name;
    const files = [`${fit.numChains} CmdStan CSV files (${base}_1.csv …)`, `${compiled.name}.stan`];
    if (args.json) files.push(`${fit.numChains} JSON files of the draws (${base}_1.json …)`);
    if (compiled.brms) files.push("brms.json (brms names)");
    lines.push(`Output: ${files.slice(0, -1).join(", ")} and ${files.at(-1)} in ${args.outputDir}`);
  }
  // Every line ends with a newline, the last one too (the shell prompt starts on its own line).
  return lines.join("\n").replace(/\n*$/, "\n");
}

export const SAMPLE_HELP = [
  "Usage: stan2ts sample <model.stan|model.R> [options]",
  "",
  "Compiles the model, bundles it and runs Stan's NUTS sampler on worker threads with a progress",
  "display, then prints the summary (stansummary layout for Stan programs, brms's print(fit) for",
  "R scripts) and the sampler's warnings (divergences, tree depth, E-BFMI, R-hat, ESS).",
  "",
  optionsHelp(SAMPLE_OPTIONS),
  "",
  "Options take --name value or --name=value; --snake_case spellings work too (--adapt_delta).",
  "CmdStan's spellings are accepted, so a CmdStan command line mostly works, e.g.",
  "  stan2ts sample m.stan num_samples=1000 num_warmup=500 adapt delta=0.9 data file=d.json \\",
  "    random seed=4 output file=out/m.csv",
  "writes out/m_1.csv … These are:",
  cmdstanHelp(SAMPLE_OPTIONS),
  "Also accepted, changing nothing (stan2ts always does this):",
  `  ${SAMPLE_COMMAND_LINE.cmdstanNoOps!.join(" ")}`,
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
    if (outcome.compiled.brms && outcome.fit.summaryDrawsPerChain >= 4) process.stdout.write(await runScriptPostFit(outcome.fit, outcome.compiled.brms.build, args.file));
    return 0;
  },
};
