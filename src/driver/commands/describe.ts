/** `stan2ts describe data.csv [--group col]`: rethinking::precis-style summary of a data file. */
import { loadDataFrame } from "../../views/loadDataFrame";
import { formatGroupSizes, formatPrecis, groupSizes, precis } from "../../views/precis";
import { UsageError, type Command } from "../command";

export interface DescribeArgs {
  readonly dataPath: string;
  readonly group?: string;
}

export function parseDescribeArgs(argv: readonly string[]): DescribeArgs {
  let dataPath: string | undefined;
  let group: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--group") {
      group = argv[++i];
      if (group === undefined) throw new UsageError("--group needs a column name.");
    } else if (arg.startsWith("--group=")) group = arg.slice("--group=".length);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}' for describe.`);
    else if (dataPath === undefined) dataPath = arg;
    else throw new UsageError(`describe takes one CSV file, got '${dataPath}' and '${arg}'.`);
  }
  if (dataPath === undefined) throw new UsageError("describe needs a CSV file: stan2ts describe data.csv [--group column]");
  return { dataPath, group };
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
