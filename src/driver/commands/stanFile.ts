/** Shared by `check` and `format`: argument parsing and reading the one Stan file they take. */
import { readFileSync } from "node:fs";
import { onePositional, parseCommandLine } from "../args";
import { UsageError } from "../command";
import { stripBom } from "../loadData";

export interface StanFileArgs {
  readonly file: string;
  readonly source: string;
}

export function readStanFileArg(argv: readonly string[], command: string): StanFileArgs {
  const parsed = parseCommandLine(argv, { command, options: [] });
  const file = onePositional(parsed, `${command} takes exactly one Stan file: stan2ts ${command} model.stan`);
  let source: string;
  try {
    source = stripBom(readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read '${file}'${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}.`,
    );
  }
  return { file, source };
}
