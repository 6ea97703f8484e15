/**
 * The Stan front end in one call: parse + type-check. Errors carry the source text (`sources`) so
 * the CLI's `reportError` can quote the offending line.
 */
import type { Program, TypedProgram } from "../ast/ast";
import { CompileError, DiagnosticSink, type Diagnostic } from "../common/diagnostics";
import { parseStan, withSource } from "../parse/parseStan";
import { checkProgram } from "../typecheck/checkProgram";

export interface FrontEndResult {
  readonly program: TypedProgram;
  /** The same program before type checking (source-level rewrites start from it). */
  readonly parsed: Program;
  readonly warnings: Diagnostic[];
}

export function frontEnd(source: string, file: string): FrontEndResult {
  const parsed = parseStan(source, file);
  const sink = new DiagnosticSink();
  sink.warnings.push(...parsed.warnings);
  try {
    const program = checkProgram(parsed.program, sink);
    return { program, parsed: parsed.program, warnings: sink.warnings };
  } catch (e) {
    if (e instanceof CompileError) throw withSource(e, file, source);
    if (e instanceof RangeError) {
      // Pathologically deep nesting exhausts the JavaScript stack: a user error, not a crash.
      const err = new CompileError({
        kind: "Semantic error",
        message: "The program is nested too deeply to type-check.",
      });
      throw withSource(err, file, source);
    }
    throw e;
  }
}
