/** `stan2ts report FIT_DIR -o report.html`: a self-contained HTML page for a finished sampling run. */
import { writeFileSync } from "node:fs";
import { readFitDir } from "../../views/fitDir";
import { buildPosteriorReport } from "../../views/posteriorReport";
import { integerIn, numberValue, onePositional, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, type Command } from "../command";

export interface ReportArgs {
  readonly dir: string;
  readonly output: string;
  readonly maxPlottedParameters?: number;
}

const REPORT_OPTIONS: readonly OptionSpec[] = [
  { name: "output", short: "o", value: "FILE", help: "where the HTML page goes (report.html)" },
  { name: "max-parameters", value: "N", parse: integerIn(0, Number.MAX_SAFE_INTEGER, "a whole number"), help: "plot the first N parameters (30)" },
];

export function parseReportArgs(argv: readonly string[]): ReportArgs {
  const parsed = parseCommandLine(argv, { command: "report", options: REPORT_OPTIONS });
  if (parsed.positionals.length > 1) throw new UsageError(`report takes one output directory, got '${parsed.positionals.join("' and '")}'.`);
  const dir = onePositional(parsed, "report needs a sampling output directory: stan2ts report FIT_DIR -o report.html");
  return { dir, output: stringValue(parsed, "output") ?? "report.html", maxPlottedParameters: numberValue(parsed, "max-parameters") };
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
    "",
    optionsHelp(REPORT_OPTIONS),
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
