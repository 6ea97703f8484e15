/**
 * CmdStan-`diagnose`-style report for CSV files of one run: sampler checks from the `__` columns
 * (post-warmup rows only) and R-hat/ESS warnings from the model columns.
 */
import { summarizeVariable } from "../diagnostics/convergence";
import {
  convergenceWarnings,
  formatDiagnoseReport,
  samplerDiagnostics,
  type SamplerDiagnostics,
} from "../diagnostics/samplerDiagnostics";
import { bracketName, drawsByColumn } from "./formatStanSummary";
import type { CmdStanCsv } from "./readCmdStanCsv";

export interface CsvDiagnosis {
  sampler: SamplerDiagnostics;
  convergence: string[];
  /** The full text report. */
  report: string;
}

export function diagnoseCsv(csvs: readonly CmdStanCsv[]): CsvDiagnosis {
  const perColumn = drawsByColumn(csvs);
  const columns = csvs[0].columnNames;
  const column = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`CSV has no ${name} column; is it a NUTS sampler output file?`);
    return perColumn[index];
  };
  const treedepth = column("treedepth__");
  const divergent = column("divergent__");
  const energy = column("energy__");
  const maxDepth = Number(csvs[0].config.max_depth ?? 10);
  const sampler = samplerDiagnostics(
    csvs.map((_, chain) => ({
      treedepth: treedepth[chain],
      divergent: divergent[chain],
      energy: energy[chain],
    })),
    Number.isFinite(maxDepth) ? maxDepth : 10,
  );
  const summaries = columns.flatMap((name, col) =>
    name.endsWith("__") ? [] : [summarizeVariable(bracketName(name), perColumn[col])],
  );
  const convergence = convergenceWarnings(summaries, csvs.length);
  return { sampler, convergence, report: formatDiagnoseReport(sampler, convergence) };
}
