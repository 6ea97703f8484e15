/**
 * The summary numbers against R's posterior package on recorded chains: four chain CSVs written by
 * `stan2ts sample fixtures/stan/good/eight_schools_centered.stan --data
 * fixtures/data/eight_schools_centered.data.json --chains 4 --warmup 200 --samples 200 --seed 18
 * -o DIR` (a centred eight-schools run that has not mixed: R-hat up to 1.14, and 1.013 for
 * theta[2]), and `data/summary/posterior_summary.csv`, written from them by
 *
 *   cd test/runtime/io/data/summary && Rscript posterior_summary.R
 *
 * (R 4, posterior 1.4.0): `summarise_draws(draws)` (mean, median, sd, mad, q5, q95, rhat, ess_bulk,
 * ess_tail) plus `summarise_draws(draws, mcse_mean, ~quantile2(.x, probs = c(0.025, 0.975)))`, each number
 * printed with sprintf("%.17g"); the draws are read with read.csv(comment.char = "#").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { summarizeVariable, type VariableSummary } from "../../../src/runtime/diagnostics";
import {
  drawsByColumn,
  formatEss,
  formatRhat,
  formatSummaryValue,
  readCmdStanCsv,
  stanSummaryFromCsv,
} from "../../../src/runtime/io/index";

const DIR = join(__dirname, "data", "summary");
const csvs = [1, 2, 3, 4].map((chain) => {
  const file = `eight_schools_centered_${chain}.csv`;
  return readCmdStanCsv(readFileSync(join(DIR, file), "utf8"), file);
});

/** posterior's rows by variable (CmdStan column names, `theta.1`): field → number (NA → NaN). */
function posteriorSummary(): Map<string, Record<string, number>> {
  const [header, ...lines] = readFileSync(join(DIR, "posterior_summary.csv"), "utf8").trim().split("\n");
  const fields = header.split(",");
  return new Map(
    lines.map((line) => {
      const cells = line.split(",");
      const row: Record<string, number> = {};
      fields.slice(1).forEach((field, k) => (row[field] = cells[k + 1] === "NA" ? NaN : Number(cells[k + 1])));
      return [cells[0], row];
    }),
  );
}

const FIELDS: [string, (s: VariableSummary) => number][] = [
  ["mean", (s) => s.mean],
  ["median", (s) => s.median],
  ["sd", (s) => s.sd],
  ["mcse_mean", (s) => s.mcseMean],
  ["mad", (s) => s.mad],
  ["q5", (s) => s.q5],
  ["q95", (s) => s.q95],
  ["q2.5", (s) => s.quantiles[0]],
  ["q97.5", (s) => s.quantiles[1]],
  ["rhat", (s) => s.rhat],
  ["ess_bulk", (s) => s.essBulk],
  ["ess_tail", (s) => s.essTail],
];

describe("summary numbers against posterior::summarise_draws", () => {
  const expected = posteriorSummary();
  const columns = csvs[0].columnNames;
  const perColumn = drawsByColumn(csvs);
  const ours = new Map(columns.map((c, i) => [c, summarizeVariable(c, perColumn[i], [0.025, 0.975])]));

  it("covers every column of the files", () => {
    expect([...expected.keys()]).toEqual(columns);
  });

  it("agrees to rounding error and prints the same digits", () => {
    for (const column of columns) {
      const r = expected.get(column)!;
      const s = ours.get(column)!;
      for (const [field, value] of FIELDS) {
        const mine = value(s);
        const theirs = r[field];
        const where = `${column} ${field}`;
        if (Number.isNaN(theirs)) {
          expect(mine, where).toBeNaN();
          continue;
        }
        expect(Math.abs(mine - theirs), where).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theirs)));
        // What the table prints for this field, from our number and from posterior's.
        const printed =
          field === "rhat" ? formatRhat : field.startsWith("ess") ? formatEss : (x: number) => formatSummaryValue(x, 3);
        expect(printed(mine), where).toBe(printed(theirs));
      }
    }
  });

  it("prints posterior's numbers in the table (theta[2]: R-hat 1.013, above the 1.01 threshold)", () => {
    const table = stanSummaryFromCsv(csvs);
    const row = table.split("\n").find((line) => line.startsWith("theta[2] "))!;
    const r = expected.get("theta.2")!;
    const cells = row.trim().split(/\s+/);
    expect(cells[0]).toBe("theta[2]");
    expect(cells.slice(1, 8)).toEqual(
      [r.mean, r.mcse_mean, r.sd, r.mad, r.q5, r.median, r.q95].map((x) => formatSummaryValue(x, 3)),
    );
    expect(cells.slice(8)).toEqual([formatEss(r.ess_bulk), formatEss(r.ess_tail), formatRhat(r.rhat)]);
    expect(cells.slice(8)).toEqual(["339", "376", "1.013"]);
  });

  it("prints other percentiles as posterior's quantile2 computes them", () => {
    const table = stanSummaryFromCsv(csvs, { percentiles: [2.5, 97.5], sigFigs: 4 });
    const lines = table.split("\n");
    expect(lines.find((line) => line.trim().startsWith("Mean"))!.trim().split(/\s+/)).toEqual([
      "Mean", "MCSE", "StdDev", "MAD", "2.5%", "97.5%", "ESS_bulk", "ESS_tail", "R_hat",
    ]);
    const row = lines.find((line) => line.startsWith("tau "))!.trim().split(/\s+/);
    const r = expected.get("tau")!;
    expect(row.slice(5, 7)).toEqual([r["q2.5"], r["q97.5"]].map((x) => formatSummaryValue(x, 4)));
  });
});
