/** `stan2ts stancode model.R`: the Stan program brms would generate for the script's brm() call. */
import { renderDiagnostic } from "../../common/diagnostics";
import { buildFromScriptFile } from "../../brms/index";
import { onePositional, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, type Command } from "../command";

export interface BrmsCliArgs {
  readonly script: string;
  readonly dataPath?: string;
}

/** The `--data` option of stancode and standata. */
export const BRMS_DATA_OPTIONS: readonly OptionSpec[] = [
  { name: "data", value: "file.csv", help: "data for the brm() call instead of the script's read_csv(...) (a path or http(s) URL)" },
];

/** Parses `<model.R> [--data file.csv]`. */
export function parseBrmsArgs(argv: readonly string[], command: string): BrmsCliArgs {
  const parsed = parseCommandLine(argv, { command, options: BRMS_DATA_OPTIONS });
  if (parsed.positionals.length > 1) throw new UsageError(`${command} takes one R script, got '${parsed.positionals.join("' and '")}'.`);
  const script = onePositional(parsed, `${command} needs an R script: stan2ts ${command} model.R [--data d.csv]`);
  return { script, dataPath: stringValue(parsed, "data") };
}

export const stancodeCommand: Command = {
  name: "stancode",
  summary: "print the Stan program for an R script's brm() call (like make_stancode)",
  help: [
    "Usage: stan2ts stancode <model.R> [--data file.csv]",
    "",
    "Reads the brm() call in an R script and prints the Stan program brms 2.18 would generate.",
    "Default priors depend on the data, so the script's read_csv(...) file (resolved relative to",
    "the script) or --data is loaded.",
    "",
    optionsHelp(BRMS_DATA_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const args = parseBrmsArgs(argv, "stancode");
    const build = await buildFromScriptFile(args.script, args.dataPath);
    printNotes(build);
    process.stdout.write(build.stanCode);
    return 0;
  },
};

/** Notes and warnings from reading the script go to stderr, one line each plus details. */
export function printNotes(build: Awaited<ReturnType<typeof buildFromScriptFile>>): void {
  const sources = new Map([[build.model.script.file, build.model.script.source]]);
  for (const note of build.model.script.notes) console.error(`Note: ${note.message}`);
  for (const warning of build.model.warnings.warnings) console.error(renderDiagnostic(warning, sources));
}
