import type { Command } from "../command";

/** Every sub-command, in the order `stan2ts --help` lists them. */
export const COMMANDS: readonly Command[] = [];
