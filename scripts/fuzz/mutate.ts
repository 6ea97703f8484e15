/**
 * Mutations of Stan programs for the fuzzer (issue #15, item 5): token deletion, duplication and
 * swaps, splices between programs, identifier and number replacement, random bytes, unicode and
 * line terminators. Pure and seeded: a case is a function of (seed, case number, corpus).
 */
import { Random } from "../random";

/** A rough Stan tokenizer: enough to cut programs at token boundaries (comments and strings whole). */
const TOKEN =
  /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|#[^\n]*|"(?:[^"\\\n]|\\.)*"|[A-Za-z][A-Za-z0-9_]*|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|<-|[<>=!]=|&&|\|\||%\/%|\.\*|\.\/|[\s\S]/g;

export function tokenize(source: string): string[] {
  return source.match(TOKEN) ?? [];
}

const isSpace = (t: string) => /^\s+$/.test(t);
const isIdentifier = (t: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(t);
const isNumber = (t: string) => /^(?:\d|\.\d)/.test(t);

/** Names that stress the code generator (JS words, globals, module names, runtime helpers). */
const HOSTILE_NAMES = [
  "new", "class", "function", "delete", "this", "arguments", "eval", "let", "yield", "await", "NaN", "Infinity",
  "undefined", "Math", "Number", "Object", "console", "globalThis", "process", "constructor", "toString",
  "__proto__", "prototype", "logDensity", "logDensityGradient", "logDensityGradientInto", "writeConstrained",
  "unconstrain", "model", "create", "data", "variables", "square", "exp", "log1p", "normal_lpdf",
  "cholesky_factor_corr_constrain", "lp__", "theta__", "e", "k", "x1", "a_b_c",
];

/** Numbers that stress literal printing and integer semantics. */
const NUMBERS = [
  "0", "1", "010", "08", "00000.0", "1e999", "1e-999", "2147483647", "2147483648", "99999999999", "0.5", ".5",
  "1.", "3e2", "1_000", "0.0", "1e308", "4.9e-324", "7",
];

/** Unicode and control text: BOM, NUL, line and paragraph separators, combining marks, surrogates. */
const UNICODE = [
  "\uFEFF", "\u0000", "\u2028", "\u2029", "é", "e\u0301", "😀", "\uD800", "\u200B", "\u00A0", "ß", "Ω", "\u0085", "\u000B", "\f",
];

const LINE_TERMINATORS = ["\n", "\r", "\r\n", "\u2028", "\u2029"];

export interface CorpusProgram {
  readonly name: string;
  readonly source: string;
  readonly tokens: readonly string[];
}

export function corpusProgram(name: string, source: string): CorpusProgram {
  return { name, source, tokens: tokenize(source) };
}

/** One mutation applied to a token list; returns its short description. */
type Mutation = (tokens: string[], rng: Random, corpus: readonly CorpusProgram[], identifiers: readonly string[]) => string;

const pick = <T>(rng: Random, xs: readonly T[]): T => xs[rng.integer(0, xs.length - 1)];

/** A token index, preferring tokens that are not whitespace. */
function someToken(tokens: readonly string[], rng: Random): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const i = rng.integer(0, tokens.length - 1);
    if (!isSpace(tokens[i])) return i;
  }
  return rng.integer(0, tokens.length - 1);
}

const MUTATIONS: readonly Mutation[] = [
  function deleteTokens(tokens, rng) {
    const i = someToken(tokens, rng);
    const n = rng.uniform() < 0.8 ? 1 : rng.integer(2, 12);
    tokens.splice(i, n);
    return `delete ${n} at ${i}`;
  },
  function duplicateTokens(tokens, rng) {
    const i = someToken(tokens, rng);
    const n = rng.uniform() < 0.7 ? 1 : rng.integer(2, 20);
    tokens.splice(i, 0, ...tokens.slice(i, i + n));
    return `duplicate ${n} at ${i}`;
  },
  function swapTokens(tokens, rng) {
    const i = someToken(tokens, rng);
    const j = someToken(tokens, rng);
    [tokens[i], tokens[j]] = [tokens[j], tokens[i]];
    return `swap ${i} ${j}`;
  },
  function spliceFromOther(tokens, rng, corpus) {
    const other = pick(rng, corpus).tokens;
    const from = rng.integer(0, other.length - 1);
    const length = rng.integer(1, 40);
    const at = rng.integer(0, tokens.length);
    const remove = rng.uniform() < 0.5 ? rng.integer(0, 20) : 0;
    tokens.splice(at, remove, ...other.slice(from, from + length));
    return `splice ${length} at ${at}`;
  },
  function replaceIdentifier(tokens, rng, _corpus, identifiers) {
    const positions = tokens.flatMap((t, i) => (isIdentifier(t) ? [i] : []));
    if (positions.length === 0) return "no identifier";
    const i = pick(rng, positions);
    const replacement = rng.uniform() < 0.5 ? pick(rng, HOSTILE_NAMES) : pick(rng, identifiers);
    // every occurrence (a consistent rename) or just this one (a dangling name)
    if (rng.uniform() < 0.5) {
      const old = tokens[i];
      for (let k = 0; k < tokens.length; k++) if (tokens[k] === old) tokens[k] = replacement;
    } else tokens[i] = replacement;
    return `identifier ${replacement}`;
  },
  function replaceNumber(tokens, rng) {
    const positions = tokens.flatMap((t, i) => (isNumber(t) ? [i] : []));
    const replacement = pick(rng, NUMBERS);
    if (positions.length === 0) tokens.splice(someToken(tokens, rng), 0, replacement);
    else tokens[pick(rng, positions)] = replacement;
    return `number ${replacement}`;
  },
  function randomBytes(tokens, rng) {
    const n = rng.integer(1, 6);
    let text = "";
    for (let k = 0; k < n; k++) text += String.fromCharCode(rng.integer(0, 127));
    tokens.splice(rng.integer(0, tokens.length), 0, text);
    return `bytes ${JSON.stringify(text)}`;
  },
  function insertUnicode(tokens, rng) {
    const text = pick(rng, UNICODE);
    tokens.splice(rng.integer(0, tokens.length), 0, text);
    return `unicode ${JSON.stringify(text)}`;
  },
  function lineTerminatorInComment(tokens, rng) {
    const terminator = pick(rng, LINE_TERMINATORS);
    const payload = `/* x${terminator}globalThis.fuzzInjected = 1; // */`;
    // inside a statement (a comment between tokens) or in a line comment
    const at = someToken(tokens, rng);
    tokens.splice(at, 0, rng.uniform() < 0.5 ? payload : `// y${terminator}globalThis.fuzzInjected = 2;\n`);
    return `line terminator ${JSON.stringify(terminator)} in a comment`;
  },
];

const identifierCache = new WeakMap<readonly CorpusProgram[], string[]>();

function identifiersOf(corpus: readonly CorpusProgram[]): string[] {
  let names = identifierCache.get(corpus);
  if (!names) {
    names = [...new Set(corpus.flatMap((p) => p.tokens.filter(isIdentifier)))];
    identifierCache.set(corpus, names);
  }
  return names;
}

/** The mutated text of case `index` under `seed`: one to three mutations of one corpus program. */
export function mutatedCase(corpus: readonly CorpusProgram[], seed: number, index: number): { base: CorpusProgram; source: string; steps: string[] } {
  const rng = new Random(`${seed}:${index}`);
  const identifiers = identifiersOf(corpus);
  const base = pick(rng, corpus);
  const tokens = [...base.tokens];
  const steps: string[] = [];
  const count = rng.uniform() < 0.6 ? 1 : rng.integer(2, 3);
  for (let k = 0; k < count && tokens.length > 0; k++) {
    const mutation = pick(rng, MUTATIONS);
    steps.push(mutation(tokens, rng, corpus, identifiers));
  }
  return { base, source: tokens.join(""), steps };
}
