/**
 * The compiler pipeline: the one place that chains the stages. `PIPELINE` is the ordered, typed
 * list of named passes, each a small function from one representation to the next:
 *
 *   Stan source ─parse─▶ AST ─typecheck─▶ typed AST ─sufficient-statistics─▶ typed AST ─lower─▶ IR
 *   ─structure-continue ─fuse-loops ─log-of-exp ─hoist-reciprocals ─hoist-data-calls
 *   ─drop-repeated-comments ─const-transformed-data─▶ IR ─differentiate─▶ sweep IR ─emit─▶ TypeScript text
 *   ─format─▶ module ─bundle─▶ <name>.js
 *
 * Every entry point below runs a prefix of that list (`check` stops after typecheck, `compile
 * --dump-after=PASS` after PASS). Errors are `CompileError`s carrying the source text.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Program, TypedProgram } from "../ast/ast";
import { printProgram } from "../ast/printer";
import type { BrmsBuild } from "../brms/index";
import { UserError } from "../brms/dataFrame";
import { brmsNamingOf, type BrmsNaming } from "../bundle/brmsLayout";
import { absoluteImports, bundleModel, PACKAGE_IMPORTS, type BundleResult } from "../bundle/bundleModel";
import { differentiate, type SweepModule } from "../ad/differentiate";
import { emitModuleText, printSweeps, type EmitOptions } from "../codegen/emitModule";
import { layoutModule } from "../codegen/layout";
import { closestName, CompileError, DiagnosticSink, type Diagnostic } from "../common/diagnostics";
import { constTransformedScalars } from "../ir/constTransformedData";
import { FreshVars } from "../ir/freshVars";
import { fuseLoops, structureContinue } from "../ir/fuseLoops";
import { foldLiterals } from "../ir/foldLiterals";
import { hoistDataCalls } from "../ir/hoistDataCalls";
import { hoistInvariantCalls } from "../ir/hoistInvariantCalls";
import { hoistReciprocals } from "../ir/hoistReciprocals";
import type { IrProgram, LStmt } from "../ir/ir";
import { logOfExp } from "../ir/logOfExp";
import { rewriteGaussianSufficientStats } from "../optimize/gaussianSufficientStats";
import { lowerProgram } from "../ir/lowerProgram";
import { printIr } from "../ir/printIr";
import { dropRepeatedComments } from "../ir/repeatedComments";
import { sharePureCalls } from "../ir/sharePureCalls";
import { rewriteDensityCode } from "../ir/sweepRewrite";
import { parseStan, withSource } from "../parse/parseStan";
import { checkProgram } from "../typecheck/checkProgram";
import { localCopy, stripBom } from "./loadData";

export interface CompileOptions extends Partial<EmitOptions> {
  /** Model name; defaults to the file name without `.stan`. */
  readonly name?: string;
  /**
   * Evaluate Gaussian likelihoods with an affine location from per-group sufficient statistics
   * (`src/optimize/gaussianSufficientStats.ts`); default true. False keeps the row-by-row code only.
   */
  readonly sufficientStatistics?: boolean;
}

export interface CompileResult {
  readonly name: string;
  /** The generated TypeScript module (laid out by src/codegen/layout.ts). */
  readonly code: string;
  readonly ir: IrProgram;
}

export function modelNameOf(file: string): string {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.stan$/, "");
  const cleaned = base.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `m_${cleaned}`;
}

// ---------------------------------------------------------------------------------------------
// Representations and passes

/** One compilation: its input and settings, and what the passes report along the way. */
export interface Compilation {
  readonly source: string;
  readonly file: string;
  readonly name: string;
  readonly sufficientStatistics: boolean;
  readonly emit: EmitOptions;
  /** Where the bundle pass writes `<name>.ts` and `<name>.js` (only callers that bundle set it). */
  readonly output?: { readonly tsPath: string; readonly jsPath: string; readonly brms?: BrmsNaming };
  readonly warnings: Diagnostic[];
  /** Milliseconds per pass, in the order they ran. */
  readonly timings: { pass: string; ms: number }[];
}

/** The typed AST, with the untyped tree source-level rewrites start from. */
export interface CheckedProgram {
  readonly program: TypedProgram;
  readonly parsed: Program;
  /**
   * Set by the sufficient-statistics rewrite: the program as the user wrote it, which `lower`
   * tries when the rewritten program does not lower, to tell the user's error from the pass's.
   */
  readonly asWritten?: CheckedProgram;
}

/** A named pass from one representation to the next. */
export interface Pass<In, Out> {
  readonly name: string;
  /** One line for `--dump-after=list`: what the pass does. */
  readonly summary: string;
  /** What `--dump-after` prints for its output. */
  readonly prints: "Stan" | "IR" | "sweep IR" | "TypeScript" | "JavaScript";
  // function-typed properties, so the chain's checks are strict (contravariant in In)
  readonly run: (input: In, c: Compilation) => Out | Promise<Out>;
  readonly dump: (output: Out) => string;
}

/** A pass with its types erased, as the runner holds it (the chain below checks the types). */
type AnyPass = Pass<unknown, unknown>;

/** An ordered list of passes whose types line up: each pass reads what the one before wrote. */
class PassChain<Out> {
  private constructor(readonly passes: readonly AnyPass[]) {}
  static startingWith<Out>(first: Pass<string, Out>): PassChain<Out> {
    return new PassChain<Out>([first as unknown as AnyPass]);
  }
  then<Next>(pass: Pass<Out, Next>): PassChain<Next> {
    return new PassChain<Next>([...this.passes, pass as unknown as AnyPass]);
  }
}

const parse: Pass<string, Program> = {
  name: "parse",
  summary: "Stan source → AST (syntax errors located, legacy-syntax warnings)",
  prints: "Stan",
  run(source, c) {
    const parsed = parseStan(source, c.file);
    c.warnings.push(...parsed.warnings);
    return parsed.program;
  },
  dump: (program) => printProgram(program),
};

const typecheck: Pass<Program, CheckedProgram> = {
  name: "typecheck",
  summary: "AST → typed AST: scopes, block rules, signatures, promotion",
  prints: "Stan",
  run(parsed, c) {
    const sink = new DiagnosticSink();
    try {
      const program = checkProgram(parsed, sink);
      c.warnings.push(...sink.warnings);
      return { program, parsed };
    } catch (e) {
      // Pathologically deep nesting exhausts the JavaScript stack: a user error, not a crash.
      if (e instanceof RangeError) throw new CompileError({ kind: "Semantic error", message: "The program is nested too deeply to type-check." });
      throw e;
    }
  },
  dump: (checked) => printProgram(checked.program),
};

const sufficientStatistics: Pass<CheckedProgram, CheckedProgram> = {
  name: "sufficient-statistics",
  summary: "affine-location Gaussian likelihoods → per-group sufficient statistics, type-checked again",
  prints: "Stan",
  run(checked, c) {
    if (!c.sufficientStatistics) return checked;
    const rewritten = rewriteGaussianSufficientStats(checked.program, checked.parsed);
    if (!rewritten) return checked;
    // The original program type-checked, so a rewritten one that does not is a defect of the
    // pass (test/optimize/sufficientStatsValidity.test.ts): say so instead of hiding it.
    try {
      const program = checkProgram(rewritten, new DiagnosticSink(), { compilerNames: true });
      return { program, parsed: rewritten, asWritten: checked };
    } catch (e) {
      if (e instanceof CompileError) throw rewriteDefect("type-check", e);
      throw e;
    }
  },
  dump: (checked) => printProgram(checked.program),
};

/** A sufficient-statistics rewrite the next stage refuses: a defect of the pass, never the user's. */
function rewriteDefect(stage: string, e: CompileError): Error {
  return new Error(
    `internal error: the sufficient-statistics rewrite produced a program that does not ${stage} (${e.diagnostic.message}); ` +
      "compile with --no-sufficient-stats to use the row-by-row code",
  );
}

const lower: Pass<CheckedProgram, IrProgram> = {
  name: "lower",
  summary: "typed AST → IR: scalar statements over flat storage, transforms and Jacobians explicit",
  prints: "IR",
  run(checked, c) {
    try {
      return lowerProgram(checked.program, c.source, { name: c.name });
    } catch (e) {
      // A rewritten program that does not lower: if the program as written does not lower either,
      // the error is the user's (reported on their program); if it does, the pass is at fault.
      if (checked.asWritten && e instanceof CompileError) {
        lowerProgram(checked.asWritten.program, c.source, { name: c.name });
        throw rewriteDefect("lower", e);
      }
      throw e;
    }
  },
  dump: printIr,
};

/** The IR blocks the IR passes rewrite, in the order they visit them (see `runIrPasses`). */
type IrBlock = "transformedData" | "transformedParams" | "model" | "generatedQuantities";
const IR_BLOCKS: readonly IrBlock[] = ["transformedData", "transformedParams", "model", "generatedQuantities"];

/** An IR → IR pass, as a rewrite of the statements of each block it applies to. */
interface IrPass extends Pass<IrProgram, IrProgram> {
  readonly blocks: readonly IrBlock[];
  /** One block's statements rewritten; `constants` are appended to transformed data. */
  rewrite(stmts: readonly LStmt[], fresh: FreshVars): readonly LStmt[] | { readonly stmts: readonly LStmt[]; readonly constants: readonly LStmt[] };
}

function irPass(name: string, summary: string, blocks: readonly IrBlock[], rewrite: IrPass["rewrite"]): IrPass {
  const pass: IrPass = {
    name,
    summary,
    prints: "IR",
    blocks,
    rewrite,
    run: (ir) => runIrPasses(ir, [pass]),
    dump: printIr,
  };
  return pass;
}

/** `pass` applied to one block of the program. */
function rewriteBlock(ir: IrProgram, pass: IrPass, block: IrBlock): IrProgram {
  const fresh = new FreshVars(ir);
  const out = pass.rewrite(ir[block], fresh);
  if (!("constants" in out)) return fresh.result({ [block]: out });
  return fresh.result({ [block]: out.stmts, transformedData: [...ir.transformedData, ...out.constants] });
}

/**
 * Runs consecutive IR passes block by block: transformed data through every pass, then the
 * transformed parameters, the model, the generated quantities. The passes never read another
 * block, so this is the same program as pass after pass; the order fixes the numbering of the
 * temporaries they add (the transformed parameters' before the model's) and puts the constants
 * `hoist-data-calls` appends after the transformed data the transformed-data passes rewrote.
 */
function runIrPasses(ir: IrProgram, passes: readonly IrPass[], c?: Compilation): IrProgram {
  let out = ir;
  for (const block of IR_BLOCKS) {
    for (const pass of passes) {
      if (!pass.blocks.includes(block)) continue;
      const started = globalThis.performance.now();
      out = rewriteBlock(out, pass, block);
      c?.timings.push({ pass: pass.name, ms: globalThis.performance.now() - started });
    }
  }
  return out;
}

const structureContinuePass = irPass(
  "structure-continue",
  "`if (c) continue;` → `if (!c) { rest of the loop body }` (transformed parameters, model)",
  ["transformedParams", "model"],
  structureContinue,
);

const fuseLoopsPass = irPass(
  "fuse-loops",
  "adjacent loops over one range, sharing arrays only at the loop index, become one loop",
  ["transformedParams", "model", "generatedQuantities"],
  fuseLoops,
);

const logOfExpPass = irPass(
  "log-of-exp",
  "`log(x)` right after `x = exp(t)` in the same iteration reads `t` while exp(t) is finite",
  ["transformedParams", "model"],
  (stmts, fresh) => logOfExp(stmts, fresh.scalarTemp),
);

const hoistReciprocalsPass = irPass(
  "hoist-reciprocals",
  "division by a loop-invariant scalar → multiplication by its reciprocal, computed once",
  ["transformedParams", "model"],
  (stmts, fresh) => hoistReciprocals(stmts, fresh.scalarTemp),
);

const hoistDataCallsPass = irPass(
  "hoist-data-calls",
  "data-only subexpressions with a call → transformed-data constants",
  ["transformedParams", "model"],
  (stmts, fresh) => hoistDataCalls(stmts, fresh.constant),
);

const dropRepeatedCommentsPass = irPass(
  "drop-repeated-comments",
  "a Stan-line comment repeating the one just before it is dropped",
  ["transformedData", "model"],
  (stmts) => dropRepeatedComments(stmts),
);

const constTransformedDataPass = irPass(
  "const-transformed-data",
  "transformed-data scalars assigned exactly once become JS `const`s",
  ["transformedData"],
  constTransformedScalars,
);

const differentiatePass: Pass<IrProgram, SweepModule> = {
  name: "differentiate",
  summary: "IR → sweep IR: reverse mode (activity, what the forward sweep keeps, forward sweep, adjoint sweep) for every function",
  prints: "sweep IR",
  run: (ir) => differentiate(ir),
  dump: printSweeps,
};

/** A pass rewriting the log density's and the gradient's sweeps (its temporaries named after `hint`). */
function sweepRewritePass(name: string, summary: string, hint: string, rewrite: Parameters<typeof rewriteDensityCode>[2]): Pass<SweepModule, SweepModule> {
  return { name, summary: `sweep IR → sweep IR: ${summary}`, prints: "sweep IR", run: (sweeps) => rewriteDensityCode(sweeps, hint, rewrite), dump: printSweeps };
}

const foldLiteralsPass = sweepRewritePass("fold-literals", "integer literal arithmetic folded and pow(x, 1) → x, exactly (src/ir/foldLiterals.ts)", "fold", (stmts) => foldLiterals(stmts));
const hoistInvariantCallsPass = sweepRewritePass(
  "hoist-invariant-calls",
  "pure calls whose arguments a loop does not change are computed once before it (src/ir/hoistInvariantCalls.ts)",
  "inv",
  hoistInvariantCalls,
);
const sharePureCallsPass = sweepRewritePass(
  "share-pure-calls",
  "a pure call evaluated again with the same arguments reads the first one's value (src/ir/sharePureCalls.ts)",
  "shared",
  sharePureCalls,
);

const emit: Pass<SweepModule, string> = {
  name: "emit",
  summary: "sweep IR → TypeScript text: the module's data reading, buffers and functions around the sweeps",
  prints: "TypeScript",
  run: (sweeps, c) => emitModuleText(sweeps, c.emit),
  dump: (text) => text,
};

const format: Pass<string, string> = {
  name: "format",
  summary: "TypeScript text → the module <name>.ts, indented and long lines broken (src/codegen/layout.ts, linear time)",
  prints: "TypeScript",
  run: (text) => layoutModule(text),
  dump: (code) => code,
};

const bundle: Pass<string, BundleResult> = {
  name: "bundle",
  summary: "<name>.ts + runtime + module API → one ESM file <name>.js (esbuild)",
  prints: "JavaScript",
  async run(code, c) {
    if (!c.output) throw new Error("internal error: the bundle pass needs output paths");
    writeFileSync(c.output.tsPath, code);
    return bundleModel(c.output.tsPath, c.output.jsPath, { brms: c.output.brms });
  },
  dump: (bundled) => readFileSync(bundled.outFile, "utf8"),
};

/** The pipeline, in order. */
export const PIPELINE = PassChain.startingWith(parse)
  .then(typecheck)
  .then(sufficientStatistics)
  .then(lower)
  .then(structureContinuePass)
  .then(fuseLoopsPass)
  .then(logOfExpPass)
  .then(hoistReciprocalsPass)
  .then(hoistDataCallsPass)
  .then(dropRepeatedCommentsPass)
  .then(constTransformedDataPass)
  .then(differentiatePass)
  .then(foldLiteralsPass)
  .then(hoistInvariantCallsPass)
  .then(sharePureCallsPass)
  .then(emit)
  .then(format)
  .then(bundle).passes;

/** The last IR pass: its output is what `differentiate` reads. */
const LAST_IR_PASS = constTransformedDataPass;

export const PASS_NAMES: readonly string[] = PIPELINE.map((p) => p.name);

/** `--dump-after=list`: the passes in order, one line each. */
export function passList(): string {
  const width = Math.max(...PASS_NAMES.map((n) => n.length));
  return PIPELINE.map((p, i) => `${String(i + 1).padStart(2)}. ${p.name.padEnd(width)}  ${p.summary}`).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Running a prefix of the pipeline

function compilation(source: string, file: string, options: CompileOptions & { output?: Compilation["output"] }): Compilation {
  return {
    source,
    file,
    name: options.name ?? modelNameOf(file),
    sufficientStatistics: options.sufficientStatistics ?? true,
    emit: {
      runtimeImport: options.runtimeImport ?? "../src/runtime",
      supportImport: options.supportImport ?? "../src/codegen/support/modelSupport",
    },
    output: options.output,
    warnings: [],
    timings: [],
  };
}

/** The passes after `from` (from the start when absent) up to and including `last`. */
function passesBetween(from: { readonly name: string } | undefined, last: { readonly name: string }): readonly AnyPass[] {
  const index = (name: string) => {
    const i = PIPELINE.findIndex((p) => p.name === name);
    if (i < 0) throw new Error(`internal error: no pass '${name}'`);
    return i;
  };
  return PIPELINE.slice(from === undefined ? 0 : index(from.name) + 1, index(last.name) + 1);
}

/** Where a run starts: after the pass `after`, whose output was `value` (default: from the source). */
interface Resume<In> {
  readonly after: Pass<never, In>;
  readonly value: In;
}

const isIrPass = (p: AnyPass | IrPass): p is IrPass => "rewrite" in p;

/** What the runner does next: one pass, or a run of consecutive IR passes (applied block by block). */
type Step = AnyPass | { readonly name: string; readonly irPasses: readonly IrPass[] };

function steps(passes: readonly AnyPass[]): Step[] {
  const out: Step[] = [];
  for (const pass of passes) {
    const last = out[out.length - 1];
    if (!isIrPass(pass)) out.push(pass);
    else if (last && "irPasses" in last) out[out.length - 1] = { name: last.name, irPasses: [...last.irPasses, pass] };
    else out.push({ name: pass.name, irPasses: [pass] });
  }
  return out;
}

function runStep(step: Step, input: unknown, c: Compilation): unknown {
  if (!("irPasses" in step)) return runPass(step, input, c);
  try {
    return runIrPasses(input as IrProgram, step.irPasses, c);
  } catch (e) {
    throw located(e, c);
  }
}

/**
 * A pass's error as the user sees it: a compile error with the source attached. The passes after
 * parsing recurse once per level of nesting on the default stack; the parser refuses bracket
 * nesting beyond `MAX_NESTING_DEPTH`, which they survive, but nesting without brackets (a chain
 * of thousands of `else if`s or unary minuses) can still exhaust the stack: the user's program,
 * so a user error, not an internal one.
 */
function located(e: unknown, c: Compilation): unknown {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return withSource(new CompileError({ kind: "Semantic error", message: "The program is nested too deeply to compile." }), c.file, c.source);
  }
  return e instanceof CompileError ? withSource(e, c.file, c.source) : e;
}

/** Runs one pass, timing it and attaching the source to a compile error. */
function runPass(pass: AnyPass, input: unknown, c: Compilation): unknown {
  const started = globalThis.performance.now();
  const done = (out: unknown) => {
    c.timings.push({ pass: pass.name, ms: globalThis.performance.now() - started });
    return out;
  };
  try {
    const out = pass.run(input, c);
    return out instanceof Promise
      ? out.then(done, (e: unknown) => {
          throw located(e, c);
        })
      : done(out);
  } catch (e) {
    throw located(e, c);
  }
}

/** Runs the (synchronous) passes up to and including `last`. */
function runSync<In, Out>(c: Compilation, last: Pass<never, Out>, from?: Resume<In>): Out {
  let value: unknown = from ? from.value : c.source;
  for (const step of steps(passesBetween(from?.after, last))) {
    value = runStep(step, value, c);
    if (value instanceof Promise) throw new Error(`internal error: pass '${step.name}' is asynchronous`);
  }
  return value as Out;
}

/** Runs the passes up to and including `last`. */
async function run<In, Out>(c: Compilation, last: Pass<never, Out>, from?: Resume<In>): Promise<Out> {
  let value: unknown = from ? from.value : c.source;
  for (const step of steps(passesBetween(from?.after, last))) value = await runStep(step, value, c);
  return value as Out;
}

export interface CheckResult extends CheckedProgram {
  readonly warnings: Diagnostic[];
}

/** Parse and type-check (`stan2ts check`); errors carry the source text. */
export function checkStan(source: string, file: string): CheckResult {
  const c = compilation(source, file, {});
  return { ...runSync(c, typecheck), warnings: c.warnings };
}

/** Stan source → the IR after every IR pass (what reverse mode and code generation read). */
export function lowerStan(source: string, file: string, name = modelNameOf(file), sufficientStatistics = true): IrProgram {
  return runSync(compilation(source, file, { name, sufficientStatistics }), LAST_IR_PASS);
}

/** Stan source → the formatted TypeScript module. */
export async function compileStan(source: string, file: string, options: CompileOptions = {}): Promise<CompileResult> {
  const c = compilation(source, file, options);
  const ir = runSync(c, LAST_IR_PASS);
  const code = await run(c, format, { after: LAST_IR_PASS, value: ir });
  return { name: c.name, code, ir };
}

// ---------------------------------------------------------------------------------------------
// Model files (Stan programs and brms R scripts)

export interface CompiledModelFiles {
  readonly name: string;
  /** The Stan program compiled (for an R script, the one brms would generate). */
  readonly stanCode: string;
  readonly tsPath: string;
  readonly jsPath: string;
  /** Present for R scripts: the brms build (data, names, notes) and its embedded naming. */
  readonly brms?: { readonly build: BrmsBuild; readonly naming: BrmsNaming };
  /**
   * Milliseconds: brms front end (R scripts), Stan → TypeScript, bundling; and per pass of the
   * pipeline (an IR pass once per block it rewrites), in the order they ran.
   */
  readonly timings: {
    readonly brms: number;
    readonly compile: number;
    readonly bundle: number;
    readonly passes: readonly { readonly pass: string; readonly ms: number }[];
  };
}

export interface CompileModelOptions {
  /** Folder for `<name>.ts` and `<name>.js` (created if missing). */
  readonly outDir: string;
  /** R scripts: a CSV path or http(s) URL replacing the script's read_csv(...). */
  readonly dataPath?: string;
  /**
   * Where the bundle goes (default `<outDir>/<name>.js`). Loaders such as tsx map an import of
   * `x.js` to a neighbouring `x.ts`, so code that imports the bundle under tsx puts it elsewhere.
   */
  readonly bundleDir?: string;
  /** Also compile Gaussian likelihoods from sufficient statistics (default true). */
  readonly sufficientStatistics?: boolean;
}

export const isRScript = (file: string): boolean => /\.r$/i.test(file);

interface ModelSource {
  readonly name: string;
  readonly stanCode: string;
  /** The program compiled: stanCode, or for an R script brms's with what brms computes after sampling (BrmsBuild.samplingCode). */
  readonly compiledCode: string;
  /** The file name Stan locations name (`<name>.stan` for an R script). */
  readonly stanFile: string;
  readonly brms?: CompiledModelFiles["brms"];
}

/** The Stan program of a model file: the file itself, or for an R script the one brms would generate. */
async function readModelFile(file: string, dataPath: string | undefined): Promise<ModelSource> {
  if (isRScript(file)) {
    const localData = dataPath === undefined ? undefined : await localCopy(dataPath, ".csv");
    // The R front end (its Chevrotain parser is built when its module loads) only for R scripts.
    const { buildFromScriptFile } = await import("../brms/index");
    const build = await buildFromScriptFile(file, localData);
    const name = modelNameOf(basename(file).replace(/\.r$/i, ".stan"));
    return { name, stanCode: build.stanCode, compiledCode: build.samplingCode, stanFile: `${name}.stan`, brms: { build, naming: brmsNamingOf(build) } };
  }
  try {
    const stanCode = stripBom(readFileSync(file, "utf8"));
    return { name: modelNameOf(file), stanCode, compiledCode: stanCode, stanFile: file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read the model file '${file}'${code === "ENOENT" ? ": no such file" : code ? ` (${code})` : ""}.`);
  }
}

/**
 * A model file (Stan program or brms R script) → `<name>.ts` (the readable generated module) and
 * `<name>.js` (the bundle) in a folder: the whole pipeline. Shared by `compile`, `sample` and `demo`.
 */
export async function compileModelFile(file: string, options: CompileModelOptions): Promise<CompiledModelFiles> {
  const started = globalThis.performance.now();
  const model = await readModelFile(file, options.dataPath);
  const brmsMs = globalThis.performance.now() - started;
  mkdirSync(options.outDir, { recursive: true });
  if (options.bundleDir !== undefined) mkdirSync(options.bundleDir, { recursive: true });
  const tsPath = join(options.outDir, `${model.name}.ts`);
  const jsPath = join(options.bundleDir ?? options.outDir, `${model.name}.js`);
  const c = compilation(model.compiledCode, model.stanFile, {
    name: model.name,
    sufficientStatistics: options.sufficientStatistics ?? true,
    ...PACKAGE_IMPORTS,
    output: { tsPath, jsPath, brms: model.brms?.naming },
  });
  await run(c, bundle);
  const ms = (pass: string) => c.timings.filter((t) => t.pass === pass).reduce((sum, t) => sum + t.ms, 0);
  const compileMs = c.timings.reduce((sum, t) => sum + t.ms, 0) - ms("bundle");
  return { name: model.name, stanCode: model.stanCode, tsPath, jsPath, brms: model.brms, timings: { brms: brmsMs, compile: compileMs, bundle: ms("bundle"), passes: c.timings } };
}

/** A pass name `--dump-after` does not know: exit 1 with the closest name and the list. */
export class UnknownPassError extends UserError {
  constructor(name: string) {
    const near = closestName(name, PASS_NAMES);
    super(`--dump-after: there is no pass '${name}'.${near ? ` Did you mean '${near}'?` : ""} The passes, in order:\n${passList()}`);
  }
}

/**
 * `stan2ts compile --dump-after=PASS`: the model file compiled up to and including PASS, and the
 * intermediate form PASS produced as text (Stan for AST passes, the IR dump, TypeScript,
 * JavaScript for the bundle). Nothing is written, except the bundle pass's files in a
 * temporary folder that is removed.
 */
export async function dumpAfter(file: string, passName: string, options: Omit<CompileModelOptions, "bundleDir">): Promise<string> {
  const pass = PIPELINE.find((p) => p.name === passName);
  if (!pass) throw new UnknownPassError(passName);
  const model = await readModelFile(file, options.dataPath);
  const settings = { name: model.name, sufficientStatistics: options.sufficientStatistics ?? true };
  if (pass !== (bundle as unknown as AnyPass)) {
    // imports as `compile -o outDir` would write them
    return pass.dump(await run(compilation(model.compiledCode, model.stanFile, { ...settings, ...PACKAGE_IMPORTS }), pass));
  }
  const dir = mkdtempSync(join(tmpdir(), "stan2ts-dump-"));
  try {
    const output = { tsPath: join(dir, `${model.name}.ts`), jsPath: join(dir, `${model.name}.js`), brms: model.brms?.naming };
    return bundle.dump(await run(compilation(model.compiledCode, model.stanFile, { ...settings, ...absoluteImports(), output }), bundle));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
