/**
 * The summary table, laid out like CmdStan's `stansummary` (sampler-spec §6.8): preamble with
 * model, chains and timing; columns Mean, MCSE, StdDev, MAD, percentiles, ESS_bulk, ESS_tail,
 * R_hat; `__` rows first (lp__, then the sampler's diagnostics, which get no MCSE, ESS or R-hat),
 * a blank line, then the model variables with containers shown row-major and bracketed
 * (`Cor_1[1,2]`); the three-line footer.
 *
 * Numbers are formatted for reading, value by value (issue 18): values at a fixed number of
 * significant digits (default 3, posterior's) in plain decimals unless tiny or huge, ESS as whole
 * numbers, R-hat with two decimals (three when two would round a value above the 1.01 warning
 * threshold down to it). stansummary instead picks fixed or scientific notation per column, so
 * one large value (stepsize__'s R-hat) turned a whole column into `1.0e+00`.
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
  /** Significant digits of values (stansummary's --sig_figs), default 3. */
  sigFigs?: number;
  /** Percentiles shown, default [5, 50, 95]; summaries must then carry these probs/100. */
  percentiles?: readonly number[];
  algorithm?: string;
  engine?: string;
}

const DEFAULT_PERCENTILES = [5, 50, 95];
const PADDING = 2;

/**
 * The name users see for each CSV column: brms's where `brmsNames` has one (a brms model's
 * variables), else Stan's `b[1]`. The fit's JSON `variables` and the streamed JSON both use it.
 */
export function displayNames(columns: readonly string[], brmsNames: ReadonlyMap<string, string>): string[] {
  return columns.map((column) => brmsNames.get(column) ?? bracketName(column));
}

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

/** Significant digits of summary values when none are asked for (posterior's printed summaries show 3). */
export const DEFAULT_SIG_FIGS = 3;
/** The R-hat above which the sampler warns: a printed R-hat must not read as passing when it fails. */
const RHAT_WARNING_THRESHOLD = 1.01;
/** Plain decimals from 0.001 to 9,999,999; scientific notation only beyond. */
const MIN_PLAIN_EXPONENT = -3;
const MAX_PLAIN_EXPONENT = 6;

/** The power of ten of `value`'s leading digit once rounded to `sigFigs` digits (9.996 at 3 → 1). */
function decimalExponent(value: number, sigFigs: number): number {
  const text = formatScientific(value, sigFigs - 1);
  return Number(text.slice(text.indexOf("e") + 1));
}

/**
 * A summary value at `sigFigs` significant digits, trailing zeros kept: plain decimals where they
 * fit (`-15.0`, `0.00692`, `4.00`, `12346`), `1.23e-05` only for tiny and huge magnitudes.
 * `NA` for NaN (a constant column's R-hat), as R prints it.
 */
export function formatSummaryValue(value: number, sigFigs: number = DEFAULT_SIG_FIGS): string {
  if (Number.isNaN(value)) return "NA";
  if (!Number.isFinite(value)) return value > 0 ? "Inf" : "-Inf";
  if (value === 0) return "0";
  const exponent = decimalExponent(value, sigFigs);
  if (exponent < MIN_PLAIN_EXPONENT || exponent > MAX_PLAIN_EXPONENT) {
    return formatScientific(value, sigFigs - 1);
  }
  return formatFixed(value, Math.max(0, sigFigs - 1 - exponent));
}

/** An effective sample size as a whole number (`NA` when undefined). */
export function formatEss(value: number): string {
  if (!Number.isFinite(value)) return formatSummaryValue(value);
  return formatFixed(value, 0);
}

/**
 * R-hat with two decimals (more when `sigFigs` asks for more than 3), and one more when two would
 * round a failing value down to the threshold (1.013 → `1.013`, not `1.01`).
 */
export function formatRhat(value: number, sigFigs: number = DEFAULT_SIG_FIGS): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 100) return formatSummaryValue(value, sigFigs);
  const decimals = Math.max(2, sigFigs - 1);
  const text = formatFixed(value, decimals);
  if (value > RHAT_WARNING_THRESHOLD && Number(text) <= RHAT_WARNING_THRESHOLD) {
    return formatFixed(value, decimals + 1);
  }
  return text;
}

/**
 * Sampler diagnostics (`accept_stat__`, `stepsize__`, …) describe the sampler, not the posterior:
 * they get no MCSE, ESS or R-hat (stepsize__ is constant within a chain and differs between
 * chains, so its R-hat is astronomically large and means nothing). `lp__` is judged like a
 * parameter.
 */
export function isSamplerDiagnostic(column: string): boolean {
  return column.endsWith("__") && column !== "lp__";
}

/** One row of the summary table. */
export interface SummaryTableRow {
  /** The name shown: Stan's `theta[1]`, or brms's `b_day01` for brms models. */
  readonly name: string;
  /** The CSV column the draws came from (`theta.1`, `b.1`, `stepsize__`). */
  readonly column: string;
  readonly summary: VariableSummary;
}

type CellKind = "value" | "mcse" | "ess" | "rhat";

interface TableColumn {
  readonly header: string;
  readonly kind: CellKind;
  readonly value: (s: VariableSummary) => number;
}

function tableColumns(percentiles: readonly number[]): TableColumn[] {
  const isDefault = percentiles.join(",") === DEFAULT_PERCENTILES.join(",");
  const percentile = (pct: number, k: number) => (s: VariableSummary) => {
    if (isDefault) return [s.q5, s.q50, s.q95][k];
    const at = s.probs.findIndex((p) => Math.abs(p - pct / 100) < 1e-12);
    return at >= 0 ? s.quantiles[at] : NaN;
  };
  return [
    { header: "Mean", kind: "value", value: (s) => s.mean },
    { header: "MCSE", kind: "mcse", value: (s) => s.mcseMean },
    { header: "StdDev", kind: "value", value: (s) => s.sd },
    { header: "MAD", kind: "value", value: (s) => s.mad },
    ...percentiles.map((pct, k): TableColumn => ({ header: `${pct}%`, kind: "value", value: percentile(pct, k) })),
    { header: "ESS_bulk", kind: "ess", value: (s) => s.essBulk },
    { header: "ESS_tail", kind: "ess", value: (s) => s.essTail },
    { header: "R_hat", kind: "rhat", value: (s) => s.rhat },
  ];
}

function formatCell(row: SummaryTableRow, column: TableColumn, sigFigs: number): string {
  if (column.kind !== "value" && isSamplerDiagnostic(row.column)) return "";
  const value = column.value(row.summary);
  if (column.kind === "ess") return formatEss(value);
  if (column.kind === "rhat") return formatRhat(value, sigFigs);
  return formatSummaryValue(value, sigFigs);
}

/** "Warmup took …" / "Sampling took …" as stansummary prints them (minutes/hours for long runs). */
function timingLine(label: string, perChain: readonly number[]): string {
  let total = perChain.reduce((a, b) => a + b, 0);
  let unit = "seconds";
  if (total / 3600 > 1) {
    total /= 3600;
    unit = "hours";
  } else if (total / 60 > 1) {
    total /= 60;
    unit = "minutes";
  }
  const time = (v: number) => formatSummaryValue(v, 2);
  if (perChain.length === 1) return `${label} took ${time(total)} ${unit}`;
  return `${label} took (${perChain.map(time).join(", ")}) seconds, ${time(total)} ${unit} total`;
}

/**
 * The summary text for one fit, laid out like stansummary: preamble, header, the rows whose
 * column ends in `__` (lp__ and the sampler's), a blank line, the model's rows, the footer.
 * Rows are shown in the order given within each part.
 */
export function formatSummaryTable(rows: readonly SummaryTableRow[], options: StanSummaryOptions): string {
  const sigFigs = options.sigFigs ?? DEFAULT_SIG_FIGS;
  const columns = tableColumns(options.percentiles ?? DEFAULT_PERCENTILES);
  const samplerRows = rows.filter((r) => r.column.endsWith("__"));
  const modelRows = rows.filter((r) => !r.column.endsWith("__"));
  const cells = new Map(rows.map((r) => [r, columns.map((c) => formatCell(r, c, sigFigs))]));
  const widths = columns.map(
    (c, j) => Math.max(c.header.length, ...rows.map((r) => cells.get(r)![j].length)) + PADDING,
  );
  const nameWidth = Math.max(0, ...rows.map((r) => r.name.length)) + 1;
  const line = (name: string, texts: readonly string[]) =>
    (name.padEnd(nameWidth) + texts.map((t, j) => t.padStart(widths[j])).join("")).trimEnd();

  const totalDraws =
    options.totalDraws ?? options.numChains * Math.ceil(options.numSamples / options.thin);
  const lines: string[] = [];
  lines.push(`Inference for Stan model: ${options.modelName}`);
  lines.push(
    `${options.numChains} chains: each with iter=${options.numSamples}; warmup=${options.numWarmup}; thin=${options.thin}; ${totalDraws} iterations saved.`,
  );
  lines.push("");
  const timed = (seconds: readonly number[]) => seconds.some((s) => Number.isFinite(s));
  if (timed(options.warmupSeconds)) lines.push(timingLine("Warmup", options.warmupSeconds));
  if (timed(options.samplingSeconds)) lines.push(timingLine("Sampling", options.samplingSeconds));
  if (timed(options.warmupSeconds) || timed(options.samplingSeconds)) lines.push("");
  lines.push(line("", columns.map((c) => c.header)));
  lines.push("");
  for (const r of samplerRows) lines.push(line(r.name, cells.get(r)!));
  if (samplerRows.length > 0 && modelRows.length > 0) lines.push("");
  for (const r of modelRows) lines.push(line(r.name, cells.get(r)!));
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
 * The table as CSV (as stansummary's --csv_filename): a `name` column, then the table's columns
 * at full precision (shortest round-trip form; NaN, Inf, -Inf as R reads them). Cells a sampler
 * diagnostic does not get (MCSE, ESS, R-hat) are empty.
 */
export function formatSummaryCsv(
  rows: readonly SummaryTableRow[],
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): string {
  const columns = tableColumns(percentiles);
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const number = (v: number) =>
    Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
  const lines = [["name", ...columns.map((c) => c.header)].map(quote).join(",")];
  for (const row of rows) {
    const values = columns.map((c) =>
      c.kind !== "value" && isSamplerDiagnostic(row.column) ? "" : number(c.value(row.summary)),
    );
    lines.push([quote(row.name), ...values].join(","));
  }
  return lines.join("\n") + "\n";
}

/** Rows for CSV columns in stansummary's order, named `theta[1]`. */
export function stanSummaryRows(
  columnNames: readonly string[],
  summaries: readonly VariableSummary[],
): SummaryTableRow[] {
  if (summaries.length !== columnNames.length) {
    throw new Error(`stanSummaryRows: ${columnNames.length} columns but ${summaries.length} summaries`);
  }
  const { sampler, model } = displayOrder(columnNames);
  return [...sampler, ...model].map((i) => ({
    name: bracketName(columnNames[i]),
    column: columnNames[i],
    summary: summaries[i],
  }));
}

/** The summary text for one fit; `summaries[i]` describes CSV column `columnNames[i]`. */
export function formatStanSummary(
  columnNames: readonly string[],
  summaries: readonly VariableSummary[],
  options: StanSummaryOptions,
): string {
  return formatSummaryTable(stanSummaryRows(columnNames, summaries), options);
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

export interface CsvSummaryOptions {
  sigFigs?: number;
  /** Percentiles shown, default [5, 50, 95]. */
  percentiles?: readonly number[];
  /**
   * Names to show by CSV column (brms's `b_day01` for `b.1`); when given, the model rows are
   * exactly the named columns in this map's order (a brms model's internal columns are left out).
   */
  names?: ReadonlyMap<string, string>;
}

/** The summary table's rows for CSV files of one run (one file per chain). */
export function summaryRowsFromCsv(
  csvs: readonly CmdStanCsv[],
  options: CsvSummaryOptions = {},
): SummaryTableRow[] {
  const perColumn = drawsByColumn(csvs);
  const columnNames = csvs[0].columnNames;
  const probs = (options.percentiles ?? DEFAULT_PERCENTILES).map((p) => p / 100);
  const summaryOf = (col: number) =>
    summarizeVariable(bracketName(columnNames[col]), perColumn[col], probs);
  const { sampler, model } = displayOrder(columnNames);
  const samplerRows = sampler.map((col) => ({
    name: columnNames[col],
    column: columnNames[col],
    summary: summaryOf(col),
  }));
  if (options.names === undefined) {
    return [
      ...samplerRows,
      ...model.map((col) => ({
        name: bracketName(columnNames[col]),
        column: columnNames[col],
        summary: summaryOf(col),
      })),
    ];
  }
  const modelRows: SummaryTableRow[] = [];
  for (const [column, name] of options.names) {
    const col = columnNames.indexOf(column);
    if (col >= 0 && !column.endsWith("__")) modelRows.push({ name, column, summary: summaryOf(col) });
  }
  return [...samplerRows, ...modelRows];
}

/** The summary text for CSV files of one run (configuration and timing read from the files). */
export function stanSummaryFromCsv(
  csvs: readonly CmdStanCsv[],
  options: CsvSummaryOptions = {},
): string {
  const rows = summaryRowsFromCsv(csvs, options);
  const config = csvs[0].config;
  const number = (key: string, fallback: number) =>
    config[key] !== undefined && config[key] !== "" ? Number(config[key]) : fallback;
  const draws = csvs.reduce((total, csv) => total + csv.rows.length - csv.warmupRowCount, 0);
  const thin = number("thin", 1);
  return formatSummaryTable(rows, {
    modelName: config.model ?? "model",
    numChains: csvs.length,
    // Old CmdStan files record no configuration: then the draws the first file holds.
    numSamples: number("num_samples", (csvs[0].rows.length - csvs[0].warmupRowCount) * thin),
    numWarmup: number("num_warmup", 1000),
    thin,
    totalDraws: draws,
    warmupSeconds: csvs.map((c) => c.timing?.warmupSeconds ?? NaN),
    samplingSeconds: csvs.map((c) => c.timing?.samplingSeconds ?? NaN),
    sigFigs: options.sigFigs,
    percentiles: options.percentiles,
    algorithm: config.algorithm,
    engine: config.engine,
  });
}
