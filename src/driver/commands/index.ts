import type { Command } from "../command";
import { stancodeCommand } from "./stancode";
import { standataCommand } from "./standata";

/** Every sub-command, in the order `stan2ts --help` lists them. */
export const COMMANDS: readonly Command[] = [stancodeCommand, standataCommand];
