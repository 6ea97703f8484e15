/**
 * compile(): the one function that chains the stages — parse, lower to IR, reverse-mode source
 * transformation and TypeScript emission. Errors are `CompileError`s carrying the source text.
 */
import { CompileError, DiagnosticSink } from "../common/diagnostics";
import { checkProgram } from "../typecheck/checkProgram";
import { rewriteGaussianSufficientStats } from "../optimize/gaussianSufficientStats";
import { withSource } from "../parse/parseStan";
import { frontEnd } from "./frontEnd";
import { lowerProgram } from "../ir/lowerProgram";
import type { IrProgram } from "../ir/ir";
import { emitModule, type EmitOptions } from "../codegen/emitModule";

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
  /** The generated TypeScript module (prettier-formatted). */
  readonly code: string;
  readonly ir: IrProgram;
}

export function modelNameOf(file: string): string {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.stan$/, "");
  const cleaned = base.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `m_${cleaned}`;
}

/** Lowers a Stan program to IR (parse, type-check, lowering), attaching the source to any error. */
export function lowerStan(source: string, file: string, name = modelNameOf(file), sufficientStatistics = true): IrProgram {
  const { program, parsed } = frontEnd(source, file);
  try {
    const rewritten = sufficientStatistics ? rewriteGaussianSufficientStats(program, parsed) : undefined;
    if (rewritten) {
      try {
        return lowerProgram(checkProgram(rewritten, new DiagnosticSink(), { compilerNames: true }), source, { name });
      } catch (e) {
        // An optimisation must never turn a valid program into an error: compile it as written
        // (which reports the user's own error, if that is what this was).
        if (!(e instanceof CompileError)) throw e;
      }
    }
    return lowerProgram(program, source, { name });
  } catch (e) {
    if (e instanceof CompileError) throw withSource(e, file, source);
    throw e;
  }
}

export async function compileStan(source: string, file: string, options: CompileOptions = {}): Promise<CompileResult> {
  const name = options.name ?? modelNameOf(file);
  const ir = lowerStan(source, file, name, options.sufficientStatistics ?? true);
  try {
    const code = await emitModule(ir, {
      runtimeImport: options.runtimeImport ?? "../src/runtime",
      supportImport: options.supportImport ?? "../src/codegen/support/modelSupport",
    });
    return { name, code, ir };
  } catch (e) {
    if (e instanceof CompileError) throw withSource(e, file, source);
    throw e;
  }
}
