/**
 * The `stan2ts` command line: dispatches to sub-commands and is the one place that turns errors
 * into messages and exit codes. User errors never show a stack trace. A command's module is
 * loaded only when it runs (commands/index.ts), so `--version` reads package.json and nothing else.
 */
import { CompileError, renderDiagnostic } from "../common/diagnostics";
import { COMMANDS } from "./commands/index";
import { closest } from "./args";
import { UsageError } from "./command";
import { describeFileError } from "./fileErrors";
import { packageRoot } from "./packageRoot";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const VERSION = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;

/** The command list (loads every command's module for its summary line). */
export async function mainHelp(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const lines = [
    `stan2ts ${VERSION} — compile Stan programs and brms model calls to TypeScript with derived gradients`,
    "",
    "Usage: stan2ts <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `stan2ts <command> --help` for a command's options.",
  ];
  return lines.join("\n");
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(await mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    console.log(VERSION);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    const suggestion = closest(name, COMMANDS.map((c) => c.name));
    console.error(`stan2ts: unknown command '${name}'${suggestion === undefined ? "" : `; did you mean '${suggestion}'?`}\n\n${await mainHelp()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(command.help);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    return reportError(err);
  }
}

/**
 * Errors the user must fix, by class name (compared by name: chain errors are re-created from a
 * worker's message with the worker's error name, and a bundled model carries its own copies of
 * the runtime's classes). Bad data or init values, a model that rejects every point or cannot be
 * sampled, a bad CSV: exit 1 with the message, never a stack trace.
 */
const USER_ERROR_NAMES = new Set([
  "StanDataError",
  "StanDomainError",
  "UserError",
  "InitializationError",
  "SamplingError",
  "CmdStanCsvError",
]);

/** Prints an error the way users should see it; returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof CompileError) {
    const sources = (err as CompileError & { sources?: ReadonlyMap<string, string> }).sources ?? new Map();
    console.error(renderDiagnostic(err.diagnostic, sources));
    return 1;
  }
  if (err instanceof UsageError) {
    console.error(`stan2ts: ${err.message}`);
    return 2;
  }
  if (err instanceof Error && USER_ERROR_NAMES.has(err.name)) {
    console.error(`Error: ${err.message}`);
    return 1;
  }
  const fileProblem = describeFileError(err);
  if (fileProblem !== undefined) {
    console.error(`Error: ${fileProblem}`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  console.error(`stan2ts: internal error: ${message}`);
  console.error("This is a bug in stan2ts; please report it with the input that caused it.");
  const stack = err instanceof Error ? ((err as Error & { workerStack?: string }).workerStack ?? err.stack) : undefined;
  if (process.env.STAN2TS_DEBUG && stack) console.error(stack);
  return 70;
}

/** Entry point used by bin/stan2ts.js. */
export async function runCli(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    process.exitCode = reportError(err);
  }
}
