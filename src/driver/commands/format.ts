/** `stan2ts format model.stan`: print the program as canonical modern Stan. */
import { printProgram } from "../../ast/printer";
import { renderDiagnostic } from "../../common/diagnostics";
import { parseStan } from "../../parse/parseStan";
import type { Command } from "../command";
import { readStanFileArg } from "./stanFile";

export const formatCommand: Command = {
  name: "format",
  summary: "print a Stan program as canonical modern Stan (legacy arrays rewritten)",
  help: [
    "Usage: stan2ts format <model.stan>",
    "",
    "Parses the program and prints it to stdout in canonical modern Stan: two-space indentation,",
    "one statement per line, `array[…]` declarations instead of the legacy `real x[N]` form.",
    "Comments are not kept. Deprecation warnings go to stderr; a syntax error exits 1.",
  ].join("\n"),
  async run(argv) {
    const { file, source } = readStanFileArg(argv, "format");
    const { program, warnings } = parseStan(source, file);
    const sources = new Map([[file, source]]);
    for (const w of warnings) console.error(renderDiagnostic(w, sources));
    process.stdout.write(printProgram(program));
    return 0;
  },
};
