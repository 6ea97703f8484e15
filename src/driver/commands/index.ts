import type { Command } from "../command";
import { checkCommand } from "./check";
import { compileCommand } from "./compile";
import { demoCommand } from "./demo";
import { describeCommand } from "./describe";
import { diagnoseCommand } from "./diagnose";
import { formatCommand } from "./format";
import { logProbCommand } from "./logProb";
import { plotCommand } from "./plot";
import { reportCommand } from "./report";
import { sampleCommand } from "./sample";
import { stancodeCommand } from "./stancode";
import { summaryCommand } from "./summary";
import { standataCommand } from "./standata";

/** Every sub-command, in the order `stan2ts --help` lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, compileCommand, demoCommand, describeCommand, diagnoseCommand, formatCommand, logProbCommand, plotCommand, reportCommand, sampleCommand, stancodeCommand, standataCommand, summaryCommand];
