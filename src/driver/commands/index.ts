import type { Command } from "../command";
import { checkCommand } from "./check";
import { describeCommand } from "./describe";
import { formatCommand } from "./format";
import { plotCommand } from "./plot";
import { reportCommand } from "./report";
import { stancodeCommand } from "./stancode";
import { standataCommand } from "./standata";

/** Every sub-command, in the order `stan2ts --help` lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, describeCommand, formatCommand, plotCommand, reportCommand, stancodeCommand, standataCommand];
