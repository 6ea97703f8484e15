/**
 * Agreement with Stan: compares every output column's posterior mean and sd between rstan's draws
 * and stan2ts's draws of the same program on the same data, with MCSE-based z-scores
 *
 *   z_mean = (mean_ours − mean_stan) / sqrt(mcse_mean_ours² + mcse_mean_stan²)
 *   z_sd   = (sd_ours − sd_stan) / sqrt(mcse_sd_ours² + mcse_sd_stan²)
 *
 * Both sides' MCSEs come from the same estimators (src/runtime/diagnostics), so shorter runs only
 * widen the denominators. Inputs are CmdStan CSVs: `<stanDir>/<model>-stan_<chain>.csv` (written by
 * validation/agreement/fitFixtureStan.R or fitLectureStan.R) and `<oursDir>/<model>/<model>_<chain>.csv` (written by
 * `stan2ts sample -o`). Output: docs/validation/agreement.md.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { essBulk, mcseMean, mcseSd, pooledMean, pooledSd, rhat } from "../../src/runtime/diagnostics/index";
import { readCmdStanCsv } from "../../src/runtime/io/readCmdStanCsv";
import { REPO_ROOT } from "../loadModel";

export interface ColumnAgreement {
  readonly column: string;
  readonly meanStan: number;
  readonly meanOurs: number;
  readonly sdStan: number;
  readonly sdOurs: number;
  readonly zMean: number;
  readonly zSd: number;
}

/**
 * One side's own convergence over the compared columns. A reference run that has not converged
 * (chains still apart: R-hat well above 1.01) makes every z-score meaningless, so the table shows it.
 */
export interface SideConvergence {
  /** Post-warmup draws over all chains. */
  readonly draws: number;
  readonly chains: number;
  readonly drawsPerChain: number;
  readonly maxRhat: { readonly column: string; readonly value: number };
  readonly minEssBulk: { readonly column: string; readonly value: number };
  /** Mean of lp__ in each chain: a chain apart from the others shows here first. */
  readonly lpChainMeans: number[];
}

export interface ModelAgreement {
  readonly model: string;
  readonly columns: ColumnAgreement[];
  /** Columns constant in both runs (a correlation matrix's diagonal): nothing to compare. */
  readonly constantColumns: number;
  readonly convergenceStan: SideConvergence;
  readonly convergenceOurs: SideConvergence;
}

/** Draws per chain for each column of a set of CmdStan CSVs (post-warmup rows only). */
export function readChains(files: readonly string[]): Map<string, Float64Array[]> {
  const byColumn = new Map<string, Float64Array[]>();
  for (const file of files) {
    const csv = readCmdStanCsv(readFileSync(file, "utf8"), file);
    const rows = csv.rows.slice(csv.warmupRowCount);
    csv.columnNames.forEach((name, c) => {
      if (!byColumn.has(name)) byColumn.set(name, []);
      byColumn.get(name)!.push(Float64Array.from(rows, (row) => row[c]));
    });
  }
  return byColumn;
}

const SAMPLER_COLUMNS = new Set(["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"]);

export function compareChains(model: string, stan: Map<string, Float64Array[]>, ours: Map<string, Float64Array[]>): ModelAgreement {
  const columns: ColumnAgreement[] = [];
  let constantColumns = 0;
  for (const [column, stanChains] of stan) {
    if (SAMPLER_COLUMNS.has(column)) continue;
    const ourChains = ours.get(column);
    if (!ourChains) throw new Error(`${model}: column '${column}' is in Stan's output but not in stan2ts's`);
    const sdStan = pooledSd(stanChains);
    const sdOurs = pooledSd(ourChains);
    if (sdStan === 0 && sdOurs === 0) {
      constantColumns++;
      continue;
    }
    const meanStan = pooledMean(stanChains);
    const meanOurs = pooledMean(ourChains);
    columns.push({
      column,
      meanStan,
      meanOurs,
      sdStan,
      sdOurs,
      zMean: (meanOurs - meanStan) / Math.hypot(mcseMean(stanChains), mcseMean(ourChains)),
      zSd: (sdOurs - sdStan) / Math.hypot(mcseSd(stanChains), mcseSd(ourChains)),
    });
  }
  const compared = columns.map((c) => c.column);
  return {
    model,
    columns,
    constantColumns,
    convergenceStan: sideConvergence(stan, compared),
    convergenceOurs: sideConvergence(ours, compared),
  };
}

function sideConvergence(draws: Map<string, Float64Array[]>, columns: readonly string[]): SideConvergence {
  let maxRhat = { column: "", value: -Infinity };
  let minEssBulk = { column: "", value: Infinity };
  for (const column of columns) {
    const chains = draws.get(column)!;
    const r = rhat(chains);
    const ess = essBulk(chains);
    // NaN (a column constant on this side only) must not hide a bad one, nor be reported as one.
    if (r > maxRhat.value) maxRhat = { column, value: r };
    if (ess < minEssBulk.value) minEssBulk = { column, value: ess };
  }
  const lp = draws.get("lp__") ?? [];
  return {
    draws: lp.reduce((n, chain) => n + chain.length, 0),
    chains: lp.length,
    drawsPerChain: lp[0]?.length ?? 0,
    maxRhat,
    minEssBulk,
    lpChainMeans: lp.map((chain) => pooledMean([chain])),
  };
}

export interface AgreementSummary {
  readonly quantities: number;
  readonly maxAbsZ: number;
  /** The largest |z| among the posterior means alone, and among the posterior sds alone. */
  readonly maxAbsZMean: number;
  readonly maxAbsZSd: number;
  readonly within2: number;
  readonly within4: number;
}

/** Over both z-scores of every compared column. */
export function summarizeAgreement(result: ModelAgreement): AgreementSummary {
  const zs = result.columns.flatMap((c) => [c.zMean, c.zSd]);
  const abs = zs.map(Math.abs);
  return {
    quantities: zs.length,
    maxAbsZ: Math.max(...abs),
    maxAbsZMean: Math.max(...result.columns.map((c) => Math.abs(c.zMean))),
    maxAbsZSd: Math.max(...result.columns.map((c) => Math.abs(c.zSd))),
    within2: abs.filter((z) => z < 2).length / zs.length,
    within4: abs.filter((z) => z < 4).length / zs.length,
  };
}

/** brms-level quantities shown in the table; the rest (z_1, r_1, L_1, …) only enter the summary. */
const HEADLINE = /^(b(_[A-Za-z]+)?\.\d+|b_\w+|Intercept\w*|sigma\w*|sd_\d+\.\d+|cor_\d+\.\d+|rescor\.\d+|[A-Za-z]\w*)$/;

function g(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(4);
}

export function agreementMarkdown(results: readonly ModelAgreement[], settings: string[]): string {
  const lines = ["# Agreement with Stan", "", ...settings, ""];
  lines.push(
    "| model | columns compared | z-scores | max abs z | of means | of sds | share abs z < 2 | share abs z < 4 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of results) {
    const s = summarizeAgreement(r);
    const max = `${s.maxAbsZ.toFixed(2)} | ${s.maxAbsZMean.toFixed(2)} | ${s.maxAbsZSd.toFixed(2)}`;
    lines.push(`| ${r.model} | ${r.columns.length} | ${s.quantities} | ${max} | ${(100 * s.within2).toFixed(1)}% | ${(100 * s.within4).toFixed(1)}% |`);
  }
  for (const r of results) {
    lines.push("", `## ${r.model}`, "", `Draws: Stan ${r.convergenceStan.draws}, stan2ts ${r.convergenceOurs.draws}; ${r.constantColumns} constant columns skipped.`, "");
    lines.push(
      "Each side's own convergence over the compared columns (z-scores mean little if either side's chains disagree):",
      "",
      "| side | chains × draws | max R-hat | min bulk ESS | lp__ mean per chain |",
      "|---|---:|---|---|---|",
    );
    for (const [side, c] of [["Stan", r.convergenceStan], ["stan2ts", r.convergenceOurs]] as const) {
      const lp = c.lpChainMeans.map((x) => x.toFixed(1)).join(", ");
      lines.push(`| ${side} | ${c.chains} × ${c.drawsPerChain} | ${c.maxRhat.value.toFixed(3)} (${c.maxRhat.column}) | ${c.minEssBulk.value.toFixed(0)} (${c.minEssBulk.column}) | ${lp} |`);
    }
    lines.push("");
    lines.push("| column | mean (Stan) | mean (stan2ts) | z mean | sd (Stan) | sd (stan2ts) | z sd |", "|---|---:|---:|---:|---:|---:|---:|");
    const worst = [...r.columns].sort((a, b) => Math.max(Math.abs(b.zMean), Math.abs(b.zSd)) - Math.max(Math.abs(a.zMean), Math.abs(a.zSd))).slice(0, 5);
    const shown = r.columns.filter((c) => HEADLINE.test(c.column) || worst.includes(c));
    for (const c of shown) {
      lines.push(`| ${c.column}${worst.includes(c) ? " (worst 5)" : ""} | ${g(c.meanStan)} | ${g(c.meanOurs)} | ${c.zMean.toFixed(2)} | ${g(c.sdStan)} | ${g(c.sdOurs)} | ${c.zSd.toFixed(2)} |`);
    }
  }
  return lines.join("\n") + "\n";
}

function csvFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export async function runAgreementPart(flags: Map<string, string>): Promise<boolean> {
  const stanDir = resolve(REPO_ROOT, flags.get("stan") ?? "validation/.cache/stan");
  const oursDir = resolve(REPO_ROOT, flags.get("ours") ?? "validation/.cache/ours");
  const models = (flags.get("models") ?? "m1,m2,m3").split(",");
  const outFile = flags.get("out") ?? "agreement.md";
  if (!/^[\w.-]+\.md$/.test(outFile)) throw new Error(`--out must be a file name ending in .md (written to docs/validation/), got '${outFile}'`);
  const label = flags.get("label") ?? "fixture programs on fixtures/data/<model>.data.json";
  const results: ModelAgreement[] = [];
  const settings: string[] = [];
  for (const model of models) {
    const stanFiles = csvFiles(stanDir, new RegExp(`^${model}-stan_\\d+\\.csv$`));
    // stan2ts names the CSVs after the program (m1_1.csv), whatever the run folder is called.
    const ourFiles = csvFiles(join(oursDir, model), /^[\w-]+_\d+\.csv$/);
    if (stanFiles.length === 0 || ourFiles.length === 0) {
      console.log(`agreement: ${model} skipped (no ${stanFiles.length === 0 ? "Stan" : "stan2ts"} draws)`);
      continue;
    }
    results.push(compareChains(model, readChains(stanFiles), readChains(ourFiles)));
    const info = join(stanDir, `${model}-stan.json`);
    if (existsSync(info)) settings.push(`- ${model}: rstan run ${readFileSync(info, "utf8").replace(/\s+/g, " ").trim()}`);
  }
  if (results.length === 0) {
    console.log("agreement: no model has draws from both sides; see docs/validation/README.md for the commands");
    return true;
  }
  const header = [
    `Data: ${label}.`,
    "",
    "Made by the commands in `docs/validation/README.md` (rstan fits by `validation/agreement/fit{Fixture,Lecture}Stan.R`,",
    "stan2ts fits by `stan2ts sample … -o`, comparison by `npm run validate -- agreement`).",
    "z = (stan2ts − Stan) / sqrt(MCSE_stan² + MCSE_stan2ts²) for each column's mean and sd; both MCSEs",
    "from the same estimators. Constant columns (correlation diagonals) are skipped.",
    ...settings,
  ];
  writeFileSync(join(REPO_ROOT, "docs", "validation", outFile), agreementMarkdown(results, header));
  let ok = true;
  for (const r of results) {
    const s = summarizeAgreement(r);
    const rhats = `max R-hat Stan ${r.convergenceStan.maxRhat.value.toFixed(3)}, stan2ts ${r.convergenceOurs.maxRhat.value.toFixed(3)}`;
    console.log(`agreement ${r.model}: ${s.quantities} z-scores, max |z| ${s.maxAbsZ.toFixed(2)}, ${(100 * s.within2).toFixed(1)}% within 2; ${rhats}`);
    if (s.maxAbsZ >= 4) ok = false;
  }
  return ok;
}
