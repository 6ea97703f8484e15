/**
 * Stan source text → untyped AST. Lexes, parses (first syntax error wins, as in stanc3), builds
 * the AST and collects deprecation warnings. Throws `CompileError` with a located message.
 */
import type { IRecognitionException, IToken } from "chevrotain";
import { stanLexer } from "../../grammar/stan/lexer";
import { StanParser } from "../../grammar/stan/parser";
import type { Program } from "../ast/ast";
import { CompileError, DiagnosticSink, type Diagnostic } from "../common/diagnostics";
import type { Position, Span } from "../common/span";
import { AstBuilder } from "./buildAst";
import { stanErrorMessages } from "./syntaxMessages";
import { closestName } from "../common/diagnostics";
import { parseOnLargeStack } from "./largeStack";

/**
 * One parser instance, reused (Chevrotain's recommended pattern: self-analysis is costly), built
 * without grammar validations (the grammar's test runs them).
 */
let sharedParser: StanParser | undefined;
function parser(): StanParser {
  sharedParser ??= new StanParser(stanErrorMessages, false);
  return sharedParser;
}

export interface ParseResult {
  readonly program: Program;
  readonly warnings: Diagnostic[];
}

/**
 * The largest program stan2ts compiles, in characters. The largest real Stan programs are a few
 * hundred kB; a 1 MB program (30,000 statements) takes ~0.8 GB to check, and memory grows with
 * size, so a 10 MB one would need several GB: it is refused with this message instead.
 */
export const MAX_PROGRAM_CHARS = 1_000_000;

export function parseStan(source: string, file: string): ParseResult {
  if (source.length > MAX_PROGRAM_CHARS) {
    throw syntaxError(
      { file, start: positionAt(source, 0), end: positionAt(source, 0) },
      `The program is ${(source.length / 1e6).toFixed(1)} million characters long; stan2ts compiles programs of up to ${MAX_PROGRAM_CHARS.toLocaleString("en-US")} characters.`,
      source,
    );
  }
  const sink = new DiagnosticSink();
  const lexed = stanLexer.tokenize(source);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0];
    const start = positionAt(source, e.offset);
    const ch = source.charAt(e.offset);
    const message =
      ch === '"'
        ? "This string is never closed: a '\"' is missing before the end of the line."
        : `Invalid character '${ch}' in the program.`;
    throw syntaxError({ file, start, end: start }, message, source);
  }
  const unclosed = lexed.tokens.find((t) => t.tokenType.name === "UnclosedComment");
  if (unclosed) {
    const start = positionAt(source, unclosed.startOffset);
    throw syntaxError(
      { file, start, end: start },
      "This comment is never closed: '/*' needs a matching '*/'.",
      source,
    );
  }
  // `#include` is recognised by the lexer so it can be refused clearly.
  const include = lexed.tokens.find((t) => t.tokenType.name === "Include");
  if (include) {
    throw syntaxError(tokenSpan(include, file), "'#include' is not supported by stan2ts.", source, [
      "Paste the included file's contents in place of the directive.",
    ]);
  }
  for (const c of lexed.groups.hashComments ?? []) {
    sink.warn(tokenSpan(c, file), "Comments beginning with '#' are deprecated; use '//' instead.");
  }
  const deepest = nesting(lexed.tokens);
  if (deepest.depth > MAX_NESTING_DEPTH) {
    throw syntaxError(tokenSpan(deepest.tooDeep!, file), tooDeepMessage(deepest.depth), source);
  }
  if (deepest.depth <= MAIN_THREAD_DEPTH) {
    const lexerWarnings = sink.warnings.length;
    try {
      return buildProgram(lexed.tokens, sink, source, file);
    } catch (e) {
      // nesting the bracket count does not see (`- - - x`, braceless `while`s) can still be deep;
      // the AST builder's warnings come again from the other thread
      if (!(e instanceof RangeError)) throw e;
      sink.warnings.splice(lexerWarnings);
    }
  }
  const reply = parseOnLargeStack(source, file);
  switch (reply.kind) {
    case "parsed":
      return { program: reply.program, warnings: [...sink.warnings, ...reply.warnings] };
    case "compileError":
      throw withSource(new CompileError(reply.diagnostic), file, source);
    case "tooDeep":
      throw syntaxError(
        deepest.deepestToken ? tokenSpan(deepest.deepestToken, file) : { file, start: positionAt(source, 0), end: positionAt(source, 0) },
        "The program is nested too deeply to parse.",
        source,
      );
    case "failed":
      throw new Error(`internal error: ${reply.message}`);
  }
}

/**
 * The deepest bracket nesting stan2ts parses. The parser runs on a thread with a large stack
 * beyond `MAIN_THREAD_DEPTH` (`largeStack.ts`); the later passes recurse once per level with a few
 * frames each and survive this depth on Node's default stack (test/parse/nesting.slow.test.ts).
 */
export const MAX_NESTING_DEPTH = 500;

/**
 * Bracket nesting the parser handles on the calling thread: Chevrotain takes about 44 frames per
 * level, and Node's default stack ends near 150 levels (less before the JIT has compiled it).
 */
const MAIN_THREAD_DEPTH = 60;

/** Said at the first bracket past the limit; the deepest nesting too, when it goes further. */
function tooDeepMessage(deepest: number): string {
  const further = deepest > MAX_NESTING_DEPTH + 1 ? ` (${deepest.toLocaleString("en-US")} at the deepest)` : "";
  return `Brackets are nested ${MAX_NESTING_DEPTH + 1} deep here${further}; stan2ts parses programs nested up to ${MAX_NESTING_DEPTH} deep.`;
}

/** The deepest nesting of (), [] and {} in the tokens, the first token at it, and the first bracket past the limit. */
function nesting(tokens: readonly IToken[]): { depth: number; deepestToken?: IToken; tooDeep?: IToken } {
  let depth = 0;
  let deepest = 0;
  let deepestToken: IToken | undefined;
  let tooDeep: IToken | undefined;
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (name === "LParen" || name === "LBracket" || name === "LBrace") {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        deepestToken = t;
      }
      if (depth === MAX_NESTING_DEPTH + 1 && !tooDeep) tooDeep = t;
    } else if (name === "RParen" || name === "RBracket" || name === "RBrace") {
      depth--;
    }
  }
  return { depth: deepest, deepestToken, tooDeep };
}

/**
 * Parses on this thread, whatever the nesting: what the large-stack thread runs. Stack
 * exhaustion escapes as the `RangeError` it is.
 */
export function parseInThisThread(source: string, file: string): ParseResult {
  const lexed = stanLexer.tokenize(source);
  return buildProgram(lexed.tokens, new DiagnosticSink(), source, file);
}

/** Tokens → CST → AST. */
function buildProgram(tokens: IToken[], sink: DiagnosticSink, source: string, file: string): ParseResult {
  const p = parser();
  p.input = tokens;
  const cst = p.program();
  if (p.errors.length > 0) {
    const err = p.errors[0];
    throw syntaxError(errorSpan(err, source, file), err.message, source, syntaxHints(err, tokens));
  }
  try {
    const program = new AstBuilder(file, source, sink).program(cst);
    return { program, warnings: sink.warnings };
  } catch (e) {
    if (e instanceof CompileError) throw withSource(e, file, source);
    throw e;
  }
}

/** Attaches the source text so the CLI's `reportError` can quote the offending line. */
export function withSource(err: CompileError, file: string, source: string): CompileError {
  const existing = (err as CompileError & { sources?: Map<string, string> }).sources;
  const sources = new Map(existing ?? []);
  sources.set(file, source);
  return Object.assign(err, { sources });
}

function syntaxError(span: Span, message: string, source: string, notes?: string[]): CompileError {
  return withSource(
    new CompileError({ kind: "Syntax error", span, message, notes }),
    span.file,
    source,
  );
}

function tokenSpan(t: IToken, file: string): Span {
  return {
    file,
    start: { line: t.startLine ?? 0, column: t.startColumn ?? 0, offset: t.startOffset },
    end: { line: t.endLine ?? 0, column: t.endColumn ?? 0, offset: t.endOffset ?? t.startOffset },
  };
}

function errorSpan(err: IRecognitionException, source: string, file: string): Span {
  const t = err.token;
  if (t.tokenType.name !== "EOF" && Number.isFinite(t.startOffset)) return tokenSpan(t, file);
  // At end of input: point just after the last character of the program.
  const end = positionAt(source, trimmedEnd(source));
  return { file, start: end, end };
}

function trimmedEnd(source: string): number {
  let i = source.length;
  while (i > 0 && /\s/.test(source[i - 1])) i--;
  return i;
}

function positionAt(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1, offset };
}

const TYPE_WORDS = [
  "int",
  "real",
  "vector",
  "row_vector",
  "matrix",
  "simplex",
  "unit_vector",
  "sum_to_zero_vector",
  "ordered",
  "positive_ordered",
  "cholesky_factor_corr",
  "cholesky_factor_cov",
  "corr_matrix",
  "cov_matrix",
  "array",
];

function isIdentifierToken(t: IToken | undefined): boolean {
  return t !== undefined && t.tokenType.name === "Identifier";
}

/** Hints for two common slips the generic "expected … but found …" does not explain. */
function syntaxHints(err: IRecognitionException, tokens: readonly IToken[]): string[] | undefined {
  const at = tokens.indexOf(err.token);
  if (
    at <= 0 ||
    (!isIdentifierToken(err.token) &&
      !(err.token.tokenType.CATEGORIES ?? []).some((c) => c.name === "Identifier"))
  ) {
    return undefined;
  }
  const previous = tokens[at - 1];
  const rules = err.context?.ruleStack ?? [];
  // `real f(x)`: an argument without a type.
  if (
    rules[rules.length - 1] === "functionDef" &&
    (previous.image === "(" || previous.image === ",")
  ) {
    return ["Function arguments need a type, e.g. 'real x' or 'array[] real x'."];
  }
  // `vectr[N] y;`: an unknown type word read as an expression.
  let start = at - 1;
  while (start > 0 && !";{}".includes(tokens[start - 1].image)) start--;
  const first = tokens[start];
  const next = tokens[start + 1];
  if (
    isIdentifierToken(first) &&
    (start === at - 1 || next?.image === "[" || next?.image === "<")
  ) {
    const guess = closestName(
      first.image,
      TYPE_WORDS,
      Math.min(3, Math.max(1, Math.floor(first.image.length / 3))),
    );
    return [`'${first.image}' is not a Stan type${guess ? `; did you mean '${guess}'?` : "."}`];
  }
  return undefined;
}
