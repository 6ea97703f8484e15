/**
 * `stan2ts compile model.stan [-o DIR]`: writes the readable TypeScript module `<name>.ts` (and its
 * bundle `<name>.js`); `--dump-after=PASS` prints what one pass of the pipeline produced instead.
 */
import { compileModelFile, dumpAfter, passList } from "../compile";
import { flagValue, optionsHelp, parseCommandLine, stringValue, type OptionSpec } from "../args";
import { UsageError, type Command } from "../command";
import { prepareOutputDir } from "../outputDir";

const COMPILE_OPTIONS: readonly OptionSpec[] = [
  { name: "output-dir", short: "o", value: "DIR", help: "where <name>.ts and <name>.js go (the current folder)" },
  { name: "data", value: "file.csv", help: "an R script's data instead of its read_csv(...) (a path or http(s) URL)" },
  { name: "no-sufficient-stats", help: "only the row-by-row code (see above)" },
  { name: "dump-after", value: "PASS", needs: "a pass name (--dump-after=list lists them)", help: "print what the compiler produced after PASS and stop (list: the passes)" },
];

export const compileCommand: Command = {
  name: "compile",
  summary: "compile a Stan program to a readable TypeScript module with its derived gradient",
  help: [
    "Usage: stan2ts compile <model.stan|model.R> [-o DIR] [--data file.csv] [--no-sufficient-stats]",
    "                       [--dump-after=PASS]",
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
    "",
    "--dump-after=PASS (or --dump-after PASS) runs the compiler up to that pass, prints what it",
    "produced and stops, writing no files: the program as Stan after parse, typecheck and",
    "sufficient-statistics; the IR (blocks, declarations, one statement per line with its Stan",
    "line) after lower and each IR pass; the sweep IR after differentiate (each function's code,",
    "the gradient's forward and adjoint sweeps apart); the TypeScript before (emit) and after",
    "(format) formatting; the bundle's JavaScript after bundle. --dump-after=list lists the passes.",
    "",
    optionsHelp(COMPILE_OPTIONS),
  ].join("\n"),
  async run(argv) {
    const parsed = parseCommandLine(argv, { command: "compile", options: COMPILE_OPTIONS });
    const outDir = stringValue(parsed, "output-dir") ?? ".";
    const dataPath = stringValue(parsed, "data");
    const sufficientStatistics = !flagValue(parsed, "no-sufficient-stats");
    const dumpAfterPass = stringValue(parsed, "dump-after");
    const files = parsed.positionals;
    if (dumpAfterPass === "") throw new UsageError("--dump-after needs a pass name (--dump-after=list lists them).");
    if (dumpAfterPass === "list") {
      console.log(passList());
      return 0;
    }
    if (files.length !== 1) throw new UsageError("compile takes exactly one model file: stan2ts compile model.stan [-o DIR]");
    if (dumpAfterPass !== undefined) {
      const text = await dumpAfter(files[0], dumpAfterPass, { outDir, dataPath, sufficientStatistics });
      ignoreClosedPipe();
      process.stdout.write(ensureNewline(text));
      return 0;
    }
    prepareOutputDir(outDir);
    const r = await compileModelFile(files[0], { outDir, dataPath, sufficientStatistics });
    console.log(`wrote ${r.tsPath}`);
    console.log(`wrote ${r.jsPath}`);
    return 0;
  },
};

let pipeGuarded = false;

/** A reader that stops early (`--dump-after=emit | head`) closes the pipe: not an error. */
function ignoreClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") console.error(`stan2ts: cannot write to stdout: ${e.message}`);
  });
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
