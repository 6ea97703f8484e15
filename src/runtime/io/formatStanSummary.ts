/**
 * A summary table laid out like CmdStan 2.36's `stansummary` (sampler-spec §6.8): preamble with
 * model, chains and timing; columns Mean, MCSE, StdDev, MAD, percentiles, ESS_bulk, ESS_tail,
 * R_hat; sampler (`__`) rows first, a blank line, then the model variables with containers shown
 * row-major and bracketed (`Cor_1[1,2]`); the three-line footer. Column formatting follows
 * stansummary: each column is fixed-point when its widest value fits in fewer than 8 characters
 * (with padding), otherwise scientific, at `sigFigs` significant digits (default 2).
 *
 * The numbers are posterior's (our `summarizeVariable`), not the C++ variants of spec §5.8; the
 * MCSE column is posterior's mcse_mean.
 */
import { summarizeVariable, type VariableSummary } from "../diagnostics/convergence";
import { isExactly } from "./formatG";
import type { CmdStanCsv } from "./readCmdStanCsv";

export interface StanSummaryOptions {
  /** As printed after "Inference for Stan model: " (CmdStan prints e.g. `bernoulli_model`). */
  modelName: string;
  numChains: number;
  numSamples: number;
  numWarmup: number;
  thin: number;
  /** Saved post-warmup draws over all chains; default numChains · ⌈numSamples / thin⌉. */
  totalDraws?: number;
  /** Per chain, in seconds. */
  warmupSeconds: readonly number[];
  samplingSeconds: readonly number[];
  /** Significant digits (stansummary's --sig_figs), default 2. */
  sigFigs?: number;
  /** Percentiles shown, default [5, 50, 95]; summaries must then carry these probs/100. */
  percentiles?: readonly number[];
  algorithm?: string;
  engine?: string;
}

const DEFAULT_PERCENTILES = [5, 50, 95];
const PADDING = 2;
const FIXED_THRESHOLD = 8;

/** `b.1` → `b[1]`, `Cor_1.2.1` → `Cor_1[2,1]`; names without indices are unchanged. */
export function bracketName(csvName: string): string {
  const dot = csvName.indexOf(".");
  if (dot < 0) return csvName;
  return `${csvName.slice(0, dot)}[${csvName
    .slice(dot + 1)
    .split(".")
    .join(",")}]`;
}

/**
 * Display order of CSV columns: sampler columns as they come, then model columns with each
 * container (consecutive columns sharing a base name) re-ordered from column-major to row-major.
 */
export function displayOrder(columnNames: readonly string[]): {
  sampler: number[];
  model: number[];
} {
  const sampler: number[] = [];
  const model: number[] = [];
  let i = 0;
  while (i < columnNames.length) {
    const name = columnNames[i];
    if (name.endsWith("__")) {
      sampler.push(i++);
      continue;
    }
    const dot = name.indexOf(".");
    if (dot < 0) {
      model.push(i++);
      continue;
    }
    const base = name.slice(0, dot);
    let end = i + 1;
    while (end < columnNames.length && columnNames[end].startsWith(base + ".")) end++;
    const dims = columnNames[end - 1]
      .slice(dot + 1)
      .split(".")
      .map(Number);
    const count = dims.reduce((a, b) => a * b, 1);
    if (dims.some((d) => !Number.isInteger(d) || d < 1) || count !== end - i) {
      for (let k = i; k < end; k++) model.push(k); // not a regular container: keep file order
    } else {
      const index = dims.map(() => 1);
      for (let k = 0; k < count; k++) {
        let offset = 0;
        let stride = 1;
        for (let d = 0; d < dims.length; d++) {
          offset += (index[d] - 1) * stride;
          stride *= dims[d];
        }
        model.push(i + offset);
        for (let d = dims.length - 1; d >= 0; d--) {
          if (index[d] < dims[d]) {
            index[d]++;
            break;
          }
          index[d] = 1;
        }
      }
    }
    i = end;
  }
  return { sampler, model };
}

/** stansummary's width and decimals for showing `value` in fixed notation at `sigFigs`. */
function fixedWidthAndPrecision(
  value: number,
  sigFigs: number,
): { width: number; precision: number } {
  let width: number;
  let precision: number;
  const magnitude = Math.abs(value);
  if (value === 0) {
    width = sigFigs;
    precision = sigFigs;
  } else if (!Number.isFinite(value)) {
    width = 3; // nan, inf
    precision = sigFigs;
  } else if (magnitude >= 1) {
    const integerDigits = Math.ceil(Math.log10(magnitude) + 1e-6);
    width = integerDigits >= sigFigs ? integerDigits : sigFigs + 1;
    precision = integerDigits >= sigFigs ? 0 : sigFigs - integerDigits;
  } else {
    const leadingZeros = Math.abs(Math.floor(Math.log10(magnitude)));
    width = 1 + leadingZeros + sigFigs;
    precision = leadingZeros + sigFigs - 1;
  }
  if (value < 0 || Object.is(value, -0)) width++;
  return { width, precision };
}

/** C's `%.{p}f` (glibc: exact decimal ties round to even, where `toFixed` rounds them up). */
export function formatFixed(value: number, precision: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const magnitude = Math.abs(value);
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  if (magnitude >= 1e21) return sign + magnitude.toFixed(0);
  let text = magnitude.toFixed(precision);
  const longer = magnitude.toFixed(precision + 1);
  if (longer.endsWith("5") && Number(longer) === magnitude && isExactly(magnitude, longer)) {
    let before = longer.length - 2;
    if (longer[before] === ".") before--;
    if ((longer.charCodeAt(before) - 48) % 2 === 0) {
      text = longer.slice(0, -1);
      if (text.endsWith(".")) text = text.slice(0, -1);
    }
  }
  return sign + text;
}

/** C's `%.{p}e` (two-digit exponent at least). */
export function formatScientific(value: number, precision: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const text = value.toExponential(precision);
  const e = text.indexOf("e");
  const exponent = Number(text.slice(e + 1));
  const absExp = Math.abs(exponent);
  return `${text.slice(0, e)}e${exponent < 0 ? "-" : "+"}${absExp < 10 ? "0" : ""}${absExp}`;
}

interface ColumnFormat {
  width: number;
  scientific: boolean;
}

function columnFormat(values: readonly number[], header: string, sigFigs: number): ColumnFormat {
  let maxFixed = 0;
  for (const v of values) maxFixed = Math.max(maxFixed, fixedWidthAndPrecision(v, sigFigs).width);
  if (maxFixed + PADDING < FIXED_THRESHOLD)
    return { width: Math.max(maxFixed, header.length) + PADDING, scientific: false };
  let scientificWidth = sigFigs + 1 + 4;
  if (values.some((v) => v < 0)) scientificWidth++;
  return { width: Math.max(scientificWidth, header.length) + PADDING, scientific: true };
}

function formatCell(value: number, format: ColumnFormat, sigFigs: number): string {
  const text = format.scientific
    ? formatScientific(value, sigFigs - 1)
    : formatFixed(value, fixedWidthAndPrecision(value, sigFigs).precision);
  return text.padStart(format.width);
}

/** "Warmup took …" / "Sampling took …" as stansummary prints them (minutes/hours for long runs). */
function timingLine(label: string, perChain: readonly number[], sigFigs: number): string {
  let total = perChain.reduce((a, b) => a + b, 0);
  let unit = "seconds";
  if (total / 3600 > 1) {
    total /= 3600;
    unit = "hours";
  } else if (total / 60 > 1) {
    total /= 60;
    unit = "minutes";
  }
  const fixed = (v: number) => formatFixed(v, fixedWidthAndPrecision(v, sigFigs).precision);
  if (perChain.length === 1) return `${label} took ${fixed(total)} ${unit}`;
  return `${label} took (${perChain.map(fixed).join(", ")}) seconds, ${fixed(total)} ${unit} total`;
}

function rowValues(s: VariableSummary, percentiles: readonly number[]): number[] {
  const isDefault =
    percentiles.length === 3 &&
    percentiles[0] === 5 &&
    percentiles[1] === 50 &&
    percentiles[2] === 95;
  const quantiles = isDefault
    ? [s.q5, s.q50, s.q95]
    : percentiles.map((pct) => {
        const k = s.probs.findIndex((p) => Math.abs(p - pct / 100) < 1e-12);
        return k >= 0 ? s.quantiles[k] : NaN;
      });
  return [s.mean, s.mcseMean, s.sd, s.mad, ...quantiles, s.essBulk, s.essTail, s.rhat];
}

/** The stansummary text for one fit; `summaries[i]` describes CSV column `columnNames[i]`. */
export function formatStanSummary(
  columnNames: readonly string[],
  summaries: readonly VariableSummary[],
  options: StanSummaryOptions,
): string {
  if (summaries.length !== columnNames.length) {
    throw new Error(
      `formatStanSummary: ${columnNames.length} columns but ${summaries.length} summaries`,
    );
  }
  const sigFigs = options.sigFigs ?? 2;
  const percentiles = options.percentiles ?? DEFAULT_PERCENTILES;
  const header = [
    "Mean",
    "MCSE",
    "StdDev",
    "MAD",
    ...percentiles.map((p) => `${p}%`),
    "ESS_bulk",
    "ESS_tail",
    "R_hat",
  ];
  const { sampler, model } = displayOrder(columnNames);
  const names = columnNames.map(bracketName);
  const values = summaries.map((s) => rowValues(s, percentiles));
  const shown = [...sampler, ...model];
  const formats = header.map((label, j) =>
    columnFormat(
      shown.map((i) => values[i][j]),
      label,
      sigFigs,
    ),
  );
  const nameWidth = Math.max(0, ...shown.map((i) => names[i].length)) + 1;
  const row = (i: number) =>
    names[i].padEnd(nameWidth) +
    values[i].map((v, j) => formatCell(v, formats[j], sigFigs)).join("");

  const totalDraws =
    options.totalDraws ?? options.numChains * Math.ceil(options.numSamples / options.thin);
  const lines: string[] = [];
  lines.push(`Inference for Stan model: ${options.modelName}`);
  lines.push(
    `${options.numChains} chains: each with iter=${options.numSamples}; warmup=${options.numWarmup}; thin=${options.thin}; ${totalDraws} iterations saved.`,
  );
  lines.push("");
  lines.push(timingLine("Warmup", options.warmupSeconds, sigFigs));
  lines.push(timingLine("Sampling", options.samplingSeconds, sigFigs));
  lines.push("");
  lines.push(
    " ".repeat(nameWidth) + header.map((label, j) => label.padStart(formats[j].width)).join(""),
  );
  lines.push("");
  for (const i of sampler) lines.push(row(i));
  if (sampler.length > 0 && model.length > 0) lines.push("");
  for (const i of model) lines.push(row(i));
  lines.push("");
  lines.push(
    `Samples were drawn using ${options.algorithm ?? "hmc"} with ${options.engine ?? "nuts"}.`,
  );
  lines.push(
    "For each parameter, ESS_bulk and ESS_tail measure the effective sample size for the entire sample (bulk) and for the .05 and .95 tails (tail), ",
  );
  lines.push(
    "and R_hat measures the potential scale reduction on split chains. At convergence R_hat will be very close to 1.00.",
  );
  return lines.join("\n") + "\n";
}

/**
 * Summaries of every column. `perColumn[col][chain]` holds that column's draws in one chain
 * (sampler and model columns alike); `probs` adds quantiles (e.g. for other percentiles).
 */
export function summarizeColumns(
  columnNames: readonly string[],
  perColumn: readonly (readonly ArrayLike<number>[])[],
  probs: readonly number[] = [],
): VariableSummary[] {
  return columnNames.map((name, col) =>
    summarizeVariable(bracketName(name), perColumn[col], probs),
  );
}

/** Post-warmup draws of parsed CSV files (one per chain) as `perColumn[col][chain]`. */
export function drawsByColumn(csvs: readonly CmdStanCsv[]): Float64Array[][] {
  if (csvs.length === 0) throw new Error("no CSV files to summarise");
  const columns = csvs[0].columnNames;
  for (const csv of csvs) {
    if (csv.columnNames.join(",") !== columns.join(","))
      throw new Error("CSV files have different columns");
  }
  return columns.map((_, col) =>
    csvs.map((csv) => {
      const rows = csv.rows.slice(csv.warmupRowCount);
      const draws = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) draws[r] = rows[r][col];
      return draws;
    }),
  );
}

/** stansummary for CSV files of one run (configuration and timing read from the files). */
export function stanSummaryFromCsv(csvs: readonly CmdStanCsv[], sigFigs?: number): string {
  const perColumn = drawsByColumn(csvs);
  const first = csvs[0];
  const config = first.config;
  const number = (key: string, fallback: number) =>
    config[key] !== undefined && config[key] !== "" ? Number(config[key]) : fallback;
  const summaries = summarizeColumns(first.columnNames, perColumn);
  return formatStanSummary(first.columnNames, summaries, {
    modelName: config.model ?? "model",
    numChains: csvs.length,
    numSamples: number("num_samples", 1000),
    numWarmup: number("num_warmup", 1000),
    thin: number("thin", 1),
    totalDraws: perColumn.length > 0 ? perColumn[0].reduce((a, c) => a + c.length, 0) : 0,
    warmupSeconds: csvs.map((c) => c.timing?.warmupSeconds ?? NaN),
    samplingSeconds: csvs.map((c) => c.timing?.samplingSeconds ?? NaN),
    sigFigs,
    algorithm: config.algorithm,
    engine: config.engine,
  });
}
