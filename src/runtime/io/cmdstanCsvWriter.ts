/**
 * Streaming writer for CmdStan's sampler CSV (sampler-spec §6): comment header with the argument
 * tree in CmdStan 2.36 order and spelling, the column line, the adaptation block, one line per
 * draw and the timing footer. Every piece goes straight to the `write` sink as soon as it is
 * produced, so a file sink keeps every completed draw if the run is interrupted.
 */
import { formatG } from "./formatG";

export type CsvMetricKind = "unit_e" | "diag_e" | "dense_e";

/** Run configuration printed in the header. Omitted fields take CmdStan's defaults. */
export interface CsvConfig {
  /** Model name without the `_model` suffix CmdStan appends. */
  modelName: string;
  seed: number;
  /** True when no seed was given and one was generated; CmdStan then marks it "(Default)". */
  seedIsDefault?: boolean;
  /** Stan version to report; readers check its major/minor. Default 2.36.0. */
  stanVersion?: { major: number; minor: number; patch: number };
  /** Written as `YYYY-MM-DD HH:MM:SS UTC`. Default: now. */
  startDatetime?: Date;
  numSamples?: number;
  numWarmup?: number;
  saveWarmup?: boolean;
  thin?: number;
  adaptEngaged?: boolean;
  gamma?: number;
  delta?: number;
  kappa?: number;
  t0?: number;
  initBuffer?: number;
  termBuffer?: number;
  window?: number;
  saveMetric?: boolean;
  maxDepth?: number;
  metric?: CsvMetricKind;
  metricFile?: string;
  stepsize?: number;
  stepsizeJitter?: number;
  numChains?: number;
  /** Chain id of the first chain (CmdStan's `id`). */
  id?: number;
  dataFile?: string;
  /** Init radius (number) or init file name. */
  init?: number | string;
  outputFile?: string;
  diagnosticFile?: string;
  refresh?: number;
  /** −1 means the stream default of 6 significant digits; 0..18 sets the precision of draws. */
  sigFigs?: number;
  profileFile?: string;
  saveCmdstanConfig?: boolean;
  numThreads?: number;
  /** Compiler line; default `stan2ts v<stan2tsVersion>`. */
  stancVersion?: string;
  stancFlags?: string;
  stan2tsVersion?: string;
  /** Extra comment lines after the configuration, e.g. notes on adaptation choices. */
  notes?: readonly string[];
}

export type AdaptedMetric =
  | { kind: "unit" }
  | { kind: "diag"; values: ArrayLike<number> }
  | { kind: "dense"; values: ArrayLike<number>; dim: number };

/** CmdStan 2.36 defaults, as printed without "(Default)" only when changed. */
export const CMDSTAN_DEFAULTS = {
  numSamples: 1000,
  numWarmup: 1000,
  saveWarmup: false,
  thin: 1,
  adaptEngaged: true,
  gamma: 0.05,
  delta: 0.8,
  kappa: 0.75,
  t0: 10,
  initBuffer: 75,
  termBuffer: 50,
  window: 25,
  saveMetric: false,
  maxDepth: 10,
  metric: "diag_e" as CsvMetricKind,
  metricFile: "",
  stepsize: 1,
  stepsizeJitter: 0,
  numChains: 1,
  id: 1,
  dataFile: "",
  init: "2",
  outputFile: "output.csv",
  diagnosticFile: "",
  refresh: 100,
  sigFigs: -1,
  profileFile: "profile.csv",
  saveCmdstanConfig: false,
  numThreads: 1,
} as const;

const DEFAULT_STAN_VERSION = { major: 2, minor: 36, patch: 0 };

/** The stream default of C++ (and of CmdStan before 2.37) when sig_figs is not set. */
const STREAM_SIG_FIGS = 6;

/** Sig figs used for draws: sig_figs ∈ [0, 18] overrides the stream default (`C:file.hpp`). */
export function drawSigFigs(sigFigs: number | undefined): number {
  return sigFigs !== undefined && sigFigs >= 0 && sigFigs <= 18 ? sigFigs : STREAM_SIG_FIGS;
}

export class CmdStanCsvWriter {
  private readonly write: (text: string) => void;
  private sigFigs = STREAM_SIG_FIGS;
  private columnCount = -1;

  constructor(write: (text: string) => void) {
    this.write = write;
  }

  /** Writes the configuration comments and the column-name line. */
  writeHeader(config: CsvConfig, columnNames: readonly string[]): void {
    this.sigFigs = drawSigFigs(config.sigFigs);
    this.columnCount = columnNames.length;
    this.write(formatConfigComments(config) + columnNames.join(",") + "\n");
  }

  /** A free-form `# text` line (e.g. a warning CmdStan would print into the file). */
  writeComment(text: string): void {
    this.write(commentLine(text));
  }

  /**
   * The `# Adaptation terminated` block with the step size and inverse metric, always at six
   * significant digits: Stan formats them in a fresh stream that ignores sig_figs.
   */
  writeAdaptation(stepSize: number, metric: AdaptedMetric): void {
    let text =
      commentLine("Adaptation terminated") +
      commentLine("Step size = " + formatG(stepSize, STREAM_SIG_FIGS));
    switch (metric.kind) {
      case "unit":
        text += commentLine("No free parameters for unit metric");
        break;
      case "diag":
        text += commentLine("Diagonal elements of inverse mass matrix:");
        text += commentLine(joinNumbers(metric.values, 0, metric.values.length, STREAM_SIG_FIGS));
        break;
      case "dense":
        text += commentLine("Elements of inverse mass matrix:");
        for (let row = 0; row < metric.dim; row++) {
          text += commentLine(
            joinNumbers(metric.values, row * metric.dim, (row + 1) * metric.dim, STREAM_SIG_FIGS),
          );
        }
        break;
    }
    this.write(text);
  }

  /** One draw: sampler columns then model columns, in header order. */
  writeRow(values: ArrayLike<number>): void {
    if (this.columnCount >= 0 && values.length !== this.columnCount) {
      throw new Error(
        `CSV row has ${values.length} values but the header has ${this.columnCount} columns`,
      );
    }
    const sigFigs = this.sigFigs;
    let line = values.length > 0 ? formatG(values[0], sigFigs) : "";
    for (let i = 1; i < values.length; i++) line += "," + formatG(values[i], sigFigs);
    this.write(line + "\n");
  }

  /** The elapsed-time footer (seconds). Stan formats it in fresh streams: six significant digits. */
  writeTiming(warmupSeconds: number, samplingSeconds: number): void {
    const title = " Elapsed Time: ";
    const pad = " ".repeat(title.length);
    this.write(
      commentLine("") +
        commentLine(title + formatG(warmupSeconds, STREAM_SIG_FIGS) + " seconds (Warm-up)") +
        commentLine(pad + formatG(samplingSeconds, STREAM_SIG_FIGS) + " seconds (Sampling)") +
        commentLine(
          pad + formatG(warmupSeconds + samplingSeconds, STREAM_SIG_FIGS) + " seconds (Total)",
        ) +
        commentLine(""),
    );
  }
}

function commentLine(text: string): string {
  return "# " + text + "\n";
}

function joinNumbers(values: ArrayLike<number>, from: number, to: number, sigFigs: number): string {
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(formatG(values[i], sigFigs));
  return parts.join(", ");
}

function formatValue(value: number | string | boolean): string {
  // Integer arguments (seed, counts) print in full; doubles use the stream default.
  if (typeof value === "number")
    return Number.isInteger(value) ? String(value) : formatG(value, STREAM_SIG_FIGS);
  if (typeof value === "boolean") return value ? "true" : "false";
  return value;
}

/** `YYYY-MM-DD HH:MM:SS UTC`. */
export function formatStartDatetime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC`
  );
}

/** The comment block CmdStan 2.36 writes before the column line (`C:write_config.hpp`). */
export function formatConfigComments(config: CsvConfig): string {
  const d = CMDSTAN_DEFAULTS;
  const lines: string[] = [];
  const category = (depth: number, name: string) => lines.push("  ".repeat(depth) + name);
  const valued = (
    depth: number,
    name: string,
    value: number | string | boolean | undefined,
    defaultValue: number | string | boolean,
    forceDefault?: boolean,
  ) => {
    const shown = value === undefined ? defaultValue : value;
    const isDefault = forceDefault ?? formatValue(shown) === formatValue(defaultValue);
    lines.push(
      "  ".repeat(depth) + `${name} = ${formatValue(shown)}${isDefault ? " (Default)" : ""}`,
    );
  };
  const version = config.stanVersion ?? DEFAULT_STAN_VERSION;
  lines.push(`stan_version_major = ${version.major}`);
  lines.push(`stan_version_minor = ${version.minor}`);
  lines.push(`stan_version_patch = ${version.patch}`);
  lines.push(`model = ${config.modelName}_model`);
  lines.push(`start_datetime = ${formatStartDatetime(config.startDatetime ?? new Date())}`);
  valued(0, "method", "sample", "sample");
  category(1, "sample");
  valued(2, "num_samples", config.numSamples, d.numSamples);
  valued(2, "num_warmup", config.numWarmup, d.numWarmup);
  valued(2, "save_warmup", config.saveWarmup, d.saveWarmup);
  valued(2, "thin", config.thin, d.thin);
  category(2, "adapt");
  valued(3, "engaged", config.adaptEngaged, d.adaptEngaged);
  valued(3, "gamma", config.gamma, d.gamma);
  valued(3, "delta", config.delta, d.delta);
  valued(3, "kappa", config.kappa, d.kappa);
  valued(3, "t0", config.t0, d.t0);
  valued(3, "init_buffer", config.initBuffer, d.initBuffer);
  valued(3, "term_buffer", config.termBuffer, d.termBuffer);
  valued(3, "window", config.window, d.window);
  valued(3, "save_metric", config.saveMetric, d.saveMetric);
  valued(2, "algorithm", "hmc", "hmc");
  category(3, "hmc");
  valued(4, "engine", "nuts", "nuts");
  category(5, "nuts");
  valued(6, "max_depth", config.maxDepth, d.maxDepth);
  valued(4, "metric", config.metric, d.metric);
  valued(4, "metric_file", config.metricFile, d.metricFile);
  valued(4, "stepsize", config.stepsize, d.stepsize);
  valued(4, "stepsize_jitter", config.stepsizeJitter, d.stepsizeJitter);
  valued(2, "num_chains", config.numChains, d.numChains);
  valued(0, "id", config.id, d.id);
  category(0, "data");
  valued(1, "file", config.dataFile, d.dataFile);
  valued(0, "init", config.init, d.init);
  category(0, "random");
  valued(1, "seed", config.seed, config.seed, config.seedIsDefault ?? false);
  category(0, "output");
  valued(1, "file", config.outputFile, d.outputFile);
  valued(1, "diagnostic_file", config.diagnosticFile, d.diagnosticFile);
  valued(1, "refresh", config.refresh, d.refresh);
  valued(1, "sig_figs", config.sigFigs, d.sigFigs);
  valued(1, "profile_file", config.profileFile, d.profileFile);
  valued(1, "save_cmdstan_config", config.saveCmdstanConfig, d.saveCmdstanConfig);
  valued(0, "num_threads", config.numThreads, d.numThreads);
  lines.push(
    `stanc_version = ${config.stancVersion ?? `stan2ts v${config.stan2tsVersion ?? "0.0.0"}`}`,
  );
  lines.push(`stancflags = ${config.stancFlags ?? ""}`);
  if (config.stan2tsVersion !== undefined) lines.push(`stan2ts_version = ${config.stan2tsVersion}`);
  for (const note of config.notes ?? []) lines.push(note);
  return lines.map(commentLine).join("");
}
