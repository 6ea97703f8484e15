/** Shared by `check` and `format`: argument parsing and reading the one Stan file they take. */
import { readFileSync } from "node:fs";
import { UsageError } from "../command";
import { stripBom } from "../loadData";

export interface StanFileArgs {
  readonly file: string;
  readonly source: string;
}

export function readStanFileArg(argv: readonly string[], command: string): StanFileArgs {
  const files: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith("-") && arg !== "-")
      throw new UsageError(`unknown option '${arg}' for ${command}.`);
    files.push(arg);
  }
  if (files.length !== 1)
    throw new UsageError(`${command} takes exactly one Stan file: stan2ts ${command} model.stan`);
  const file = files[0];
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
