/**
 * A finished `stan2ts sample --output-dir` directory: every chain's CmdStan CSV (post-warmup
 * draws by column) and, for brms models, the brms name map.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../brms/dataFrame";
import { CmdStanCsvError, readCmdStanCsv, type CmdStanCsv } from "../runtime/io/index";
import { BRMS_NAMES_FILE, parseBrmsNamesJson, type BrmsNames } from "./brmsNames";

/** The sampler's own columns (CmdStan order); everything after them belongs to the model. */
export const SAMPLER_COLUMNS = ["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"];

export interface FitDraws {
  readonly dir: string;
  readonly files: readonly string[];
  readonly modelName: string;
  readonly chainCount: number;
  readonly drawsPerChain: number;
  readonly warmupDraws: number;
  readonly maxTreedepth: number;
  /** Every column of the CSVs, in file order. */
  readonly columnNames: readonly string[];
  /** Post-warmup draws: column name → one array per chain. */
  readonly draws: ReadonlyMap<string, readonly Float64Array[]>;
  readonly brms?: BrmsNames;
}

export function readFitDir(dir: string): FitDraws {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`No such output directory: '${dir}'.`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".csv") && !/diagnostic/i.test(f))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const chains: { file: string; csv: CmdStanCsv }[] = [];
  for (const file of files) {
    let csv: CmdStanCsv;
    try {
      csv = readCmdStanCsv(readFileSync(join(dir, file), "utf8"), file);
    } catch (err) {
      if (err instanceof CmdStanCsvError) throw new UserError(`'${join(dir, file)}' is not a readable CmdStan CSV: ${err.message}`);
      throw err;
    }
    if (csv.columnNames[0] !== "lp__") continue; // not sampler output (e.g. a data file)
    chains.push({ file, csv });
  }
  if (chains.length === 0) throw new UserError(`'${dir}' holds no CmdStan sampler CSV files (chain files start with the column lp__).`);
  const first = chains[0];
  for (const { file, csv } of chains) {
    if (csv.columnNames.join(",") !== first.csv.columnNames.join(",")) {
      throw new UserError(`'${file}' has different columns from '${first.file}'; the directory mixes runs of different models.`);
    }
  }
  const drawsPerChain = Math.min(...chains.map(({ csv }) => csv.rows.length - csv.warmupRowCount));
  if (drawsPerChain < 2) throw new UserError(`'${dir}': the chains hold fewer than 2 post-warmup draws.`);
  const draws = new Map<string, Float64Array[]>();
  first.csv.columnNames.forEach((name, column) => {
    draws.set(
      name,
      chains.map(({ csv }) => {
        const out = new Float64Array(drawsPerChain);
        for (let i = 0; i < drawsPerChain; i++) out[i] = csv.rows[csv.warmupRowCount + i][column];
        return out;
      }),
    );
  });
  const brmsPath = join(dir, BRMS_NAMES_FILE);
  const brms = existsSync(brmsPath) ? parseBrmsNamesJson(readFileSync(brmsPath, "utf8"), brmsPath) : undefined;
  const config = first.csv.config;
  return {
    dir,
    files: chains.map((c) => c.file),
    modelName: (config.model ?? "model").replace(/_model$/, ""),
    chainCount: chains.length,
    drawsPerChain,
    warmupDraws: Number(config.num_warmup ?? NaN),
    maxTreedepth: Number(config.max_depth ?? 10),
    columnNames: first.csv.columnNames,
    draws,
    brms,
  };
}
