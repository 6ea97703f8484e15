import type { Command } from "../command";

/**
 * A sub-command by name, and how to load it. A command's module — and what it pulls in: the
 * compiler and Chevrotain, esbuild, vega — is imported only when that command runs (or when the
 * command list is printed), so `stan2ts --version` and a command's start load nothing else.
 */
export interface CommandEntry {
  readonly name: string;
  load(): Promise<Command>;
}

/** Every sub-command, in the order `stan2ts --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: "check", load: async () => (await import("./check")).checkCommand },
  { name: "compile", load: async () => (await import("./compile")).compileCommand },
  { name: "demo", load: async () => (await import("./demo")).demoCommand },
  { name: "describe", load: async () => (await import("./describe")).describeCommand },
  { name: "diagnose", load: async () => (await import("./diagnose")).diagnoseCommand },
  { name: "format", load: async () => (await import("./format")).formatCommand },
  { name: "log-prob", load: async () => (await import("./logProb")).logProbCommand },
  { name: "plot", load: async () => (await import("./plot")).plotCommand },
  { name: "report", load: async () => (await import("./report")).reportCommand },
  { name: "sample", load: async () => (await import("./sample")).sampleCommand },
  { name: "stancode", load: async () => (await import("./stancode")).stancodeCommand },
  { name: "standata", load: async () => (await import("./standata")).standataCommand },
  { name: "summary", load: async () => (await import("./summary")).summaryCommand },
];
