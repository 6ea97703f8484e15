/** `stan2ts plot data.csv --hist-per-group col | --spaghetti x=… y=… --group col`: the lecture's data figures as SVG. */
import { writeFileSync } from "node:fs";
import { histPerGroupSpec, spaghettiSpec } from "../../views/dataPlots";
import { loadDataFrame } from "../../views/loadDataFrame";
import { renderVegaLiteSvg } from "../../views/renderVegaLite";
import { flagValue, integerIn, numberValue, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, type Command } from "../command";

export type PlotArgs =
  | { readonly kind: "hist-per-group"; readonly dataPath: string; readonly group: string; readonly xTitle?: string; readonly output?: string }
  | {
      readonly kind: "spaghetti";
      readonly dataPath: string;
      readonly x: string;
      readonly ys: readonly string[];
      readonly group: string;
      readonly sample?: number;
      readonly seed?: number;
      readonly yTitle?: string;
      readonly output?: string;
    };

const USAGE = [
  "Usage: stan2ts plot <data.csv> --hist-per-group <column> [--xlab text] [-o out.svg]",
  "       stan2ts plot <data.csv> --spaghetti x=<column> y=<col1>[,<col2>…] --group <column>",
  "                    [--sample n] [--seed s] [--ylab text] [-o out.svg]",
].join("\n");

const PLOT_OPTIONS: readonly OptionSpec[] = [
  { name: "hist-per-group", value: "col", help: "histogram of the number of rows per group (e.g. days per person)." },
  { name: "spaghetti", help: ["one facet per group: a grey line and coloured points per y column", "over x (give x=<column> y=<col1>[,<col2>…] and --group)."] },
  { name: "group", value: "col", help: "the grouping column of --spaghetti." },
  { name: "sample", value: "n", parse: integerIn(1, Number.MAX_SAFE_INTEGER, "a whole number of at least 1"), help: ["draw n groups chosen as R's set.seed(s); slice_sample(n = n) on", "the nested data would choose them."] },
  { name: "seed", value: "s", parse: integerIn(0, Number.MAX_SAFE_INTEGER, "a whole number"), help: "the seed s of --sample (random, and printed, when absent)." },
  { name: "xlab", value: "text", help: "x-axis title of --hist-per-group." },
  { name: "ylab", value: "text", help: "y-axis title of --spaghetti." },
  { name: "output", short: "o", value: "file.svg", help: "write there (default: standard output)." },
];

export function parsePlotArgs(argv: readonly string[]): PlotArgs {
  const parsed = parseCommandLine(argv, { command: "plot", options: PLOT_OPTIONS });
  // `x=col` and `y=a,b` are words, as ggplot's aes(x = , y = ) reads.
  let x: string | undefined;
  let ys: string[] | undefined;
  const files: string[] = [];
  for (const word of parsed.positionals) {
    if (word.startsWith("x=")) x = word.slice(2);
    else if (word.startsWith("y=")) ys = word.slice(2).split(",").filter((s) => s !== "");
    else files.push(word);
  }
  if (files.length > 1) throw new UsageError(`plot takes one CSV file, got '${files.join("' and '")}'.`);
  const dataPath = files[0];
  if (dataPath === undefined) throw new UsageError(`plot needs a CSV file.\n${USAGE}`);
  const output = stringValue(parsed, "output");
  if (output !== undefined && !output.toLowerCase().endsWith(".svg")) {
    throw new UsageError(`plot writes SVG; give -o a file name ending in .svg (got '${output}').`);
  }
  const histGroup = stringValue(parsed, "hist-per-group");
  const spaghetti = flagValue(parsed, "spaghetti");
  if ((histGroup !== undefined) === spaghetti) throw new UsageError(`plot needs exactly one of --hist-per-group or --spaghetti.\n${USAGE}`);
  if (histGroup !== undefined) return { kind: "hist-per-group", dataPath, group: histGroup, xTitle: stringValue(parsed, "xlab"), output };
  if (x === undefined || ys === undefined || ys.length === 0) throw new UsageError(`--spaghetti needs x=<column> and y=<columns>.\n${USAGE}`);
  const group = stringValue(parsed, "group");
  if (group === undefined) throw new UsageError(`--spaghetti needs --group <column>.\n${USAGE}`);
  return { kind: "spaghetti", dataPath, x, ys, group, sample: numberValue(parsed, "sample"), seed: numberValue(parsed, "seed"), yTitle: stringValue(parsed, "ylab"), output };
}

export const plotCommand: Command = {
  name: "plot",
  summary: "draw the lecture's data figures as SVG (rows per group histogram, spaghetti plot)",
  help: [
    USAGE,
    "",
    optionsHelp(PLOT_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const args = parsePlotArgs(argv);
    const frame = loadDataFrame(args.dataPath);
    let svg: string;
    if (args.kind === "hist-per-group") {
      svg = await renderVegaLiteSvg(histPerGroupSpec(frame, { group: args.group, xTitle: args.xTitle }));
    } else {
      const seed = args.seed ?? Math.floor(Math.random() * 2 ** 31);
      const plot = spaghettiSpec(frame, { x: args.x, ys: args.ys, group: args.group, sample: args.sample, seed, yTitle: args.yTitle });
      if (args.seed === undefined && args.sample !== undefined) console.error(`Note: groups chosen with --seed ${seed}.`);
      svg = await renderVegaLiteSvg(plot.spec);
    }
    if (args.output === undefined) process.stdout.write(svg + "\n");
    else {
      writeFileSync(args.output, svg + "\n");
      console.error(`Wrote ${args.output}`);
    }
    return 0;
  },
};
