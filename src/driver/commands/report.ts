/** `stan2ts report FIT_DIR -o report.html`: a self-contained HTML page for a finished sampling run. */
import { writeFileSync } from "node:fs";
import { readFitDir } from "../../views/fitDir";
import { buildPosteriorReport } from "../../views/posteriorReport";
import { UsageError, type Command } from "../command";

export interface ReportArgs {
  readonly dir: string;
  readonly output: string;
  readonly maxPlottedParameters?: number;
}

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let dir: string | undefined;
  let output: string | undefined;
  let maxPlottedParameters: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-o" || arg === "--output") {
      output = argv[++i];
      if (output === undefined) throw new UsageError(`${arg} needs a file name.`);
    } else if (arg === "--max-parameters") {
      const text = argv[++i] ?? "";
      if (!/^\d+$/.test(text)) throw new UsageError(`--max-parameters needs a whole number, got '${text}'.`);
      maxPlottedParameters = Number(text);
    } else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}' for report.`);
    else if (dir === undefined) dir = arg;
    else throw new UsageError(`report takes one output directory, got '${dir}' and '${arg}'.`);
  }
  if (dir === undefined) throw new UsageError("report needs a sampling output directory: stan2ts report FIT_DIR -o report.html");
  return { dir, output: output ?? "report.html", maxPlottedParameters };
}

export const reportCommand: Command = {
  name: "report",
  summary: "write a self-contained HTML posterior report (summary, trace/rank/density plots) for a sample output dir",
  help: [
    "Usage: stan2ts report <FIT_DIR> [-o report.html] [--max-parameters 30]",
    "",
    "FIT_DIR is an output directory of `stan2ts sample --output-dir`: one CmdStan CSV per chain,",
    "and for brms models a brms.json name map. The page holds the summary table (mean, MCSE, sd,",
    "5/50/95% quantiles, bulk/tail ESS, R-hat), trace plots with divergences marked, rank plots and",
    "densities with 90% intervals for the first --max-parameters parameters, and for brms models the",
    "correlations and each group's ranked per-level estimates. Plots are inline SVG: the file works",
    "offline and needs no scripts.",
  ].join("\n"),
  async run(argv) {
    const args = parseReportArgs(argv);
    const fit = readFitDir(args.dir);
    const html = await buildPosteriorReport(fit, { maxPlottedParameters: args.maxPlottedParameters });
    writeFileSync(args.output, html);
    console.error(`Wrote ${args.output}`);
    return 0;
  },
};
