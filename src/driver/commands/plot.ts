/** `stan2ts plot data.csv --hist-per-group col | --spaghetti x=… y=… --group col`: the lecture's data figures as SVG. */
import { writeFileSync } from "node:fs";
import { histPerGroupSpec, spaghettiSpec } from "../../views/dataPlots";
import { loadDataFrame } from "../../views/loadDataFrame";
import { renderVegaLiteSvg } from "../../views/renderVegaLite";
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

export function parsePlotArgs(argv: readonly string[]): PlotArgs {
  let dataPath: string | undefined;
  let histGroup: string | undefined;
  let spaghetti = false;
  let x: string | undefined;
  let ys: string[] | undefined;
  let group: string | undefined;
  let sample: number | undefined;
  let seed: number | undefined;
  let xTitle: string | undefined;
  let yTitle: string | undefined;
  let output: string | undefined;
  const value = (i: number, option: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${option} needs a value.\n${USAGE}`);
    return v;
  };
  const wholeNumber = (text: string, option: string): number => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${option} needs a whole number, got '${text}'.`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--hist-per-group") histGroup = value(++i, arg);
    else if (arg === "--spaghetti") spaghetti = true;
    else if (arg.startsWith("x=")) x = arg.slice(2);
    else if (arg.startsWith("y=")) ys = arg.slice(2).split(",").filter((s) => s !== "");
    else if (arg === "--group") group = value(++i, arg);
    else if (arg === "--sample") sample = wholeNumber(value(++i, arg), arg);
    else if (arg === "--seed") seed = wholeNumber(value(++i, arg), arg);
    else if (arg === "--xlab") xTitle = value(++i, arg);
    else if (arg === "--ylab") yTitle = value(++i, arg);
    else if (arg === "-o" || arg === "--output") output = value(++i, arg);
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}' for plot.\n${USAGE}`);
    else if (dataPath === undefined) dataPath = arg;
    else throw new UsageError(`plot takes one CSV file, got '${dataPath}' and '${arg}'.`);
  }
  if (dataPath === undefined) throw new UsageError(`plot needs a CSV file.\n${USAGE}`);
  if (output !== undefined && !output.toLowerCase().endsWith(".svg")) {
    throw new UsageError(`plot writes SVG; give -o a file name ending in .svg (got '${output}').`);
  }
  if ((histGroup !== undefined) === spaghetti) throw new UsageError(`plot needs exactly one of --hist-per-group or --spaghetti.\n${USAGE}`);
  if (histGroup !== undefined) return { kind: "hist-per-group", dataPath, group: histGroup, xTitle, output };
  if (x === undefined || ys === undefined || ys.length === 0) throw new UsageError(`--spaghetti needs x=<column> and y=<columns>.\n${USAGE}`);
  if (group === undefined) throw new UsageError(`--spaghetti needs --group <column>.\n${USAGE}`);
  if (sample === 0) throw new UsageError("--sample must be at least 1.");
  return { kind: "spaghetti", dataPath, x, ys, group, sample, seed, yTitle, output };
}

export const plotCommand: Command = {
  name: "plot",
  summary: "draw the lecture's data figures as SVG (rows per group histogram, spaghetti plot)",
  help: [
    USAGE,
    "",
    "--hist-per-group col   histogram of the number of rows per group (e.g. days per person).",
    "--spaghetti            one facet per group: a grey line and coloured points per y column",
    "                       over x. --sample n draws n groups chosen as R's",
    "                       set.seed(s); slice_sample(n = n) on the nested data would choose them.",
    "-o file.svg            write there (default: standard output).",
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
