/**
 * `stan2ts summary DIR|CSV…`: the summary table of a finished run, read back from its CmdStan
 * CSV files (ours or CmdStan's), like CmdStan's `stansummary`. A `brms.json` name map beside the
 * files (written by `stan2ts sample -o` for brms scripts) makes the rows brms's variables.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  CmdStanCsvError,
  DEFAULT_SIG_FIGS,
  formatSummaryCsv,
  readCmdStanCsv,
  stanSummaryFromCsv,
  summaryRowsFromCsv,
  type CmdStanCsv,
  type CsvSummaryOptions,
} from "../../runtime/io/index";
import { BRMS_NAMES_FILE, parseBrmsNamesJson } from "../../views/brmsNames";
import { numberValue, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, UserInputError, type Command } from "../command";

export interface SummaryArgs {
  /** Output directories and CSV files, as given. */
  readonly inputs: readonly string[];
  readonly sigFigs?: number;
  readonly percentiles?: readonly number[];
  readonly csvFile?: string;
}

/** The command's options, with stansummary's spellings (`--sig_figs`, `-s`, `--csv_filename`, …). */
const SUMMARY_OPTIONS: readonly OptionSpec[] = [
  {
    name: "sig-figs",
    short: "s",
    value: "N",
    help: `significant digits of the values, 1 to 15 (default ${DEFAULT_SIG_FIGS})`,
    parse: (text, shown) => parseSigFigs(text, shown),
  },
  {
    name: "percentiles",
    short: "p",
    value: "P,P,…",
    help: "percentiles shown, increasing, each above 0 and below 100 (default 5,50,95)",
    // checked here, split in parseSummaryArgs
    parse: (text, shown) => (parsePercentiles(text, shown), text),
  },
  {
    name: "csv-file",
    short: "c",
    aliases: ["csv-filename"],
    value: "FILE",
    help: "also write the table to FILE as CSV, at full precision",
  },
];

function parseSigFigs(text: string, spelling: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 15) {
    throw new UsageError(`${spelling} needs a whole number from 1 to 15, got '${text}'.`);
  }
  return n;
}

function parsePercentiles(text: string, spelling: string): number[] {
  const values = text.split(",").map((part) => part.trim());
  const numbers = values.map(Number);
  const bad = values.findIndex((part, i) => part === "" || !(numbers[i] > 0 && numbers[i] < 100));
  if (bad >= 0) {
    throw new UsageError(`${spelling}: '${values[bad]}' is not a percentile above 0 and below 100 (e.g. ${spelling} 5,50,95).`);
  }
  for (let i = 1; i < numbers.length; i++) {
    if (!(numbers[i] > numbers[i - 1])) throw new UsageError(`${spelling}: the percentiles must increase, got '${text}'.`);
  }
  return numbers;
}

export function parseSummaryArgs(argv: readonly string[]): SummaryArgs {
  const parsed = parseCommandLine(argv, { command: "summary", options: SUMMARY_OPTIONS });
  if (parsed.positionals.length === 0) {
    throw new UsageError("summary needs a sampling output directory or CSV files: stan2ts summary DIR (or FILE.csv …)");
  }
  const percentiles = stringValue(parsed, "percentiles");
  return {
    inputs: parsed.positionals,
    sigFigs: numberValue(parsed, "sig-figs"),
    percentiles: percentiles === undefined ? undefined : parsePercentiles(percentiles, parsed.spelled.get("percentiles") ?? "--percentiles"),
    csvFile: stringValue(parsed, "csv-file"),
  };
}

/** A chain file's name and text. */
interface ChainText {
  readonly file: string;
  readonly text: string;
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UserInputError(`Cannot read '${file}': ${(err as Error).message}`);
  }
}

/** The first line that is not a comment: a CSV's column line. */
const columnLine = (text: string): string | undefined => text.split("\n", 200).find((line) => !line.startsWith("#"));

/** The chain files of the inputs, read once: every sampler CSV of a directory, and each file named. */
function chainTexts(inputs: readonly string[]): ChainText[] {
  const chains: ChainText[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new UserInputError(`No such file or directory: '${input}'.`);
    if (!statSync(input).isDirectory()) {
      chains.push({ file: input, text: readText(input) });
      continue;
    }
    const inDir = readdirSync(input)
      .filter((f) => f.endsWith(".csv") && !/diagnostic/i.test(f))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((f) => ({ file: join(input, f), text: readText(join(input, f)) }))
      .filter(({ text }) => columnLine(text)?.startsWith("lp__")); // not sampler output (e.g. a data file)
    if (inDir.length === 0) {
      throw new UserInputError(`'${input}' holds no CmdStan sampler CSV files (chain files have the column lp__ first).`);
    }
    chains.push(...inDir);
  }
  return chains;
}

/** Parses the chains, checks they belong to one run and cuts them to a common length. */
function readChains(texts: readonly ChainText[]): CmdStanCsv[] {
  const files = texts.map((t) => t.file);
  const chains = texts.map(({ file, text }) => {
    let csv: CmdStanCsv;
    try {
      csv = readCmdStanCsv(text, file);
    } catch (err) {
      if (err instanceof CmdStanCsvError) {
        const hint = /\.csv$/i.test(file) ? "" : " (give a sampling output directory or its chain CSV files)";
        throw new UserInputError(`'${file}' is not a readable CmdStan CSV: ${err.message}${hint}`);
      }
      throw err;
    }
    if (csv.columnNames[0] !== "lp__") {
      throw new UserInputError(`'${file}' is not sampler output: its first column is '${csv.columnNames[0] ?? ""}', not lp__.`);
    }
    return csv;
  });
  const first = chains[0].columnNames.join(",");
  chains.forEach((csv, i) => {
    if (csv.columnNames.join(",") !== first) {
      throw new UserInputError(`'${files[i]}' has different columns from '${files[0]}': they are not chains of one run.`);
    }
  });
  const lengths = chains.map((csv) => csv.rows.length - csv.warmupRowCount);
  const common = Math.min(...lengths);
  if (common < 4) {
    throw new UserInputError(`The chains hold too few post-warmup draws to summarise (${lengths.join(", ")}; R-hat and ESS need at least 4 each).`);
  }
  if (lengths.some((n) => n !== common)) {
    console.error(`Note: the chains have ${lengths.join(", ")} post-warmup draws; the summary uses the first ${common} of each (R-hat and ESS need chains of equal length).`);
  }
  return chains.map((csv) => ({ ...csv, rows: csv.rows.slice(0, csv.warmupRowCount + common) }));
}

/** brms names by CSV column, in brms's order, when a name map sits beside the (first) files. */
function brmsNamesBeside(inputs: readonly string[]): Map<string, string> | undefined {
  const first = inputs[0];
  const dir = statSync(first).isDirectory() ? first : dirname(first);
  const path = join(dir, BRMS_NAMES_FILE);
  if (!existsSync(path)) return undefined;
  const names = parseBrmsNamesJson(readText(path), path);
  return names === undefined ? undefined : new Map(names.names.map((n) => [n.stan, n.brms]));
}

export const summaryCommand: Command = {
  name: "summary",
  summary: "summarise a finished run's CmdStan CSV files (like CmdStan's stansummary)",
  help: [
    "Usage: stan2ts summary <DIR | FILE.csv …> [options]",
    "",
    "Prints the summary table of the chains in DIR (an output directory of `stan2ts sample -o`;",
    "every CSV whose first column is lp__) or in the CSV files given, ours or CmdStan's: mean,",
    "MCSE, standard deviation, MAD, percentiles, bulk and tail ESS and R-hat, computed as",
    "posterior's summarise_draws does. Sampler diagnostics (accept_stat__, …) get no MCSE, ESS or",
    "R-hat. With a brms.json name map beside the files (brms scripts) the rows are brms's",
    "variables under brms's names (b_day01, sd_record_id__Intercept, r_record_id[12,Intercept]).",
    "",
    "Options (stansummary's spellings --sig_figs, --csv_filename work too):",
    optionsHelp(SUMMARY_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const args = parseSummaryArgs(argv);
    const chains = readChains(chainTexts(args.inputs));
    const options: CsvSummaryOptions = {
      sigFigs: args.sigFigs,
      percentiles: args.percentiles,
      names: brmsNamesBeside(args.inputs),
    };
    process.stdout.write(stanSummaryFromCsv(chains, options));
    if (args.csvFile !== undefined) {
      try {
        writeFileSync(args.csvFile, formatSummaryCsv(summaryRowsFromCsv(chains, options), args.percentiles));
      } catch (err) {
        throw new UserInputError(`Cannot write '${args.csvFile}': ${(err as Error).message}`);
      }
      console.error(`Wrote ${args.csvFile}`);
    }
    return 0;
  },
};
