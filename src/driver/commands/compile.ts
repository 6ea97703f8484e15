/** `stan2ts compile model.stan [-o DIR]`: writes the readable TypeScript module `<name>.ts` (and its bundle `<name>.js`). */
import { compileModelFile, dumpAfter, passList } from "../compile";
import { UsageError, type Command } from "../command";

export const compileCommand: Command = {
  name: "compile",
  summary: "compile a Stan program to a readable TypeScript module with its derived gradient",
  help: [
    "Usage: stan2ts compile <model.stan|model.R> [-o DIR] [--data file.csv] [--no-sufficient-stats]",
    "",
    "Writes DIR/<name>.ts — the model as TypeScript: data validation, transformed data, the log",
    "density and its gradient (forward sweep, then adjoint statements naming each Stan line they",
    "differentiate), constrain/unconstrain — and DIR/<name>.js, the same model bundled with the",
    "runtime. DIR defaults to the current folder.",
    "",
    "For an R script the Stan program is the one brms would generate (its default priors depend on",
    "the data: the script's read_csv(...) or --data, a CSV path or http(s) URL), and the bundle",
    "carries brms's names, so fit.summary() prints like brms's print(fit).",
    "",
    "A normal likelihood whose mean is linear in the parameters (brms's gaussian models) is also",
    "compiled a second way, from per-group sufficient statistics computed when the data are loaded;",
    "--no-sufficient-stats leaves only the row-by-row code.",
  ].join("\n"),
  async run(argv) {
    let outDir = ".";
    let dataPath: string | undefined;
    let sufficientStatistics = true;
    const files: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === "-o" || a === "--output-dir") {
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${a} needs a folder.`);
        outDir = v;
      } else if (a === "--data") {
        dataPath = argv[++i];
        if (dataPath === undefined) throw new UsageError("--data needs a CSV file path or URL.");
      } else if (a === "--no-sufficient-stats") {
        sufficientStatistics = false;
      } else if (a.startsWith("-")) {
        throw new UsageError(`unknown option '${a}' for compile.`);
      } else files.push(a);
    }
    if (files.length !== 1) throw new UsageError("compile takes exactly one model file: stan2ts compile model.stan [-o DIR]");
    const r = await compileModelFile(files[0], { outDir, dataPath, sufficientStatistics });
    console.log(`wrote ${r.tsPath}`);
    console.log(`wrote ${r.jsPath}`);
    return 0;
  },
};
