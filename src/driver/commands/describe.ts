/** `stan2ts describe data.csv [--group col]`: rethinking::precis-style summary of a data file. */
import { loadDataFrame } from "../../views/loadDataFrame";
import { formatGroupSizes, formatPrecis, groupSizes, precis } from "../../views/precis";
import { onePositional, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, type Command } from "../command";

export interface DescribeArgs {
  readonly dataPath: string;
  readonly group?: string;
}

const DESCRIBE_OPTIONS: readonly OptionSpec[] = [
  { name: "group", value: "column", help: "also count the groups in this column and the rows per group" },
];

export function parseDescribeArgs(argv: readonly string[]): DescribeArgs {
  const parsed = parseCommandLine(argv, { command: "describe", options: DESCRIBE_OPTIONS });
  if (parsed.positionals.length > 1) throw new UsageError(`describe takes one CSV file, got '${parsed.positionals.join("' and '")}'.`);
  const dataPath = onePositional(parsed, "describe needs a CSV file: stan2ts describe data.csv [--group column]");
  return { dataPath, group: stringValue(parsed, "group") };
}

export const describeCommand: Command = {
  name: "describe",
  summary: "summarise a CSV data file like rethinking::precis (mean, sd, 89% interval, histogram)",
  help: [
    "Usage: stan2ts describe <data.csv> [--group column]",
    "",
    "Prints, for every column, the mean, sd, 5.5% and 94.5% quantiles (R's type 7) and a small",
    "unicode histogram, laid out as R prints rethinking::precis(d). Text columns show NaN/NA.",
    "With --group, also prints the number of distinct groups in that column and the median,",
    "minimum and maximum number of rows per group.",
    "",
    optionsHelp(DESCRIBE_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const args = parseDescribeArgs(argv);
    const frame = loadDataFrame(args.dataPath);
    let out = formatPrecis(precis(frame));
    if (args.group !== undefined) out += "\n" + formatGroupSizes(groupSizes(frame, args.group));
    process.stdout.write(out);
    return 0;
  },
};
