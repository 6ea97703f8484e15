/** `stan2ts standata model.R [--data d.csv]`: the Stan data (CmdStan JSON) brms would pass. */
import { buildFromScriptFile, stanDataToJson } from "../../brms/index";
import type { Command } from "../command";
import { optionsHelp } from "../args";
import { BRMS_DATA_OPTIONS, parseBrmsArgs, printNotes } from "./stancode";

export const standataCommand: Command = {
  name: "standata",
  summary: "print the Stan data JSON for an R script's brm() call (like make_standata)",
  help: [
    "Usage: stan2ts standata <model.R> [--data file.csv]",
    "",
    "Builds the data brms 2.18 would pass to Stan for the script's brm() call and prints it as",
    "CmdStan JSON. The data come from the script's read_csv(...) (a path relative to the script,",
    "or an http(s) URL) unless --data names a CSV file; the script's mutate() steps are applied.",
    "",
    optionsHelp(BRMS_DATA_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const args = parseBrmsArgs(argv, "standata");
    const build = await buildFromScriptFile(args.script, args.dataPath);
    printNotes(build);
    process.stdout.write(stanDataToJson(build.standata));
    return 0;
  },
};
