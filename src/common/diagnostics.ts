import type { Span } from "./span";

/**
 * Errors and warnings are data; `renderDiagnostic` is the one place that prints them, in stanc3's
 * shape: a header naming the kind, file, line and columns, a numbered source excerpt with a caret,
 * one plain sentence, and optional detail lines (expected vs found, hints).
 */
export type DiagnosticKind =
  | "Syntax error"
  | "Semantic error"
  | "Warning"
  | "Info"
  | "Data error"
  | "Runtime error"
  | "Model error";

export interface Diagnostic {
  readonly kind: DiagnosticKind;
  readonly span?: Span;
  /** One plain sentence. */
  readonly message: string;
  /** Further lines: expected vs found, "did you mean …?". */
  readonly notes?: readonly string[];
}

/** An error the user caused; carries one diagnostic. Internal bugs throw ordinary Errors. */
export class CompileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = "CompileError";
  }
}

/** Collects warnings while a stage runs. */
export class DiagnosticSink {
  readonly warnings: Diagnostic[] = [];
  warn(span: Span | undefined, message: string, notes?: readonly string[]): void {
    this.warnings.push({ kind: "Warning", span, message, notes });
  }
}

export function fail(kind: DiagnosticKind, span: Span | undefined, message: string, notes?: readonly string[]): never {
  throw new CompileError({ kind, span, message, notes });
}

/** Source texts by file name, so the renderer can quote lines. */
export type SourceMap = ReadonlyMap<string, string>;

const RULE = "   -------------------------------------------------";

export function renderDiagnostic(d: Diagnostic, sources: SourceMap): string {
  const out: string[] = [];
  const span = d.span;
  if (span && span.start.line > 0) {
    const cols =
      span.start.line === span.end.line
        ? span.end.column > span.start.column
          ? `line ${span.start.line}, column ${span.start.column} to column ${span.end.column + 1}`
          : `line ${span.start.line}, column ${span.start.column}`
        : `line ${span.start.line}, column ${span.start.column} to line ${span.end.line}, column ${span.end.column + 1}`;
    out.push(`${d.kind} in '${span.file}', ${cols}:`);
    const text = sources.get(span.file);
    if (text !== undefined) {
      const lines = text.split(/\r?\n/);
      const first = Math.max(1, span.start.line - 2);
      const last = Math.min(lines.length, span.start.line + 2);
      const width = String(last).length;
      out.push(RULE);
      for (let n = first; n <= last; n++) {
        out.push(`   ${String(n).padStart(width)}:  ${lines[n - 1] ?? ""}`);
        if (n === span.start.line) {
          const caretCol = Math.max(1, span.start.column);
          out.push(" ".repeat(3 + width + 3 + caretCol - 1) + "^");
        }
      }
      out.push(RULE);
    }
  } else {
    out.push(span ? `${d.kind} in '${span.file}':` : `${d.kind}:`);
  }
  out.push(d.message);
  for (const note of d.notes ?? []) out.push(`  ${note}`);
  return out.join("\n");
}

/** Edit distance, for "did you mean …?" hints. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

export function closestName(name: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
