/** A location in a source file: 1-based lines and columns, end inclusive of the last character. */
export interface Position {
  readonly line: number;
  readonly column: number;
  /** 0-based character offset into the source text. */
  readonly offset: number;
}

export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

export function joinSpans(first: Span, last: Span): Span {
  return { file: first.file, start: first.start, end: last.end };
}

/** A span for things the compiler makes itself (brms-generated code, implicit statements). */
export function syntheticSpan(file = "<generated>"): Span {
  const zero: Position = { line: 0, column: 0, offset: 0 };
  return { file, start: zero, end: zero };
}
