/**
 * The one command-line parser every sub-command uses. Node's `util.parseArgs` splits the words
 * (`--opt=value`, `--opt value`, `-o value`, `-qo value`, `--`); on top of it this module adds what
 * it lacks: values checked as they are read (a `UsageError` naming the option as the user spelled
 * it), "did you mean" for unknown options, `--snake_case` spellings, CmdStan's `key=value` words
 * with their keyword structure (`adapt delta=0.9`, `data file=d.json`), and help text generated
 * from the same option table, so the two cannot drift apart.
 */
import { parseArgs } from "node:util";
import { UsageError } from "./command";

/** A parsed value: text, a number checked by the option's `parse`, or `true` for a switch. */
export type OptionValue = string | number | boolean;

export interface OptionSpec {
  /** Long name without dashes (`adapt-delta`); the key of the parsed value. */
  readonly name: string;
  readonly short?: string;
  /** Placeholder in the help text (`N`, `PATH`); absent for a switch, which takes no value. */
  readonly value?: string;
  /** What a missing value is, for the message (`a pass name (--dump-after=list lists them)`). */
  readonly needs?: string;
  /** Help text; later entries are continuation lines. */
  readonly help: string | readonly string[];
  /** Other long spellings accepted (`num-samples`); `_` and `-` are interchangeable in all. */
  readonly aliases?: readonly string[];
  /**
   * CmdStan spellings, as words after the command: `num_samples` accepts `num_samples=N`,
   * `adapt delta` accepts `adapt delta=X` (the first word is a CmdStan keyword).
   */
  readonly cmdstan?: readonly string[];
  /** Checks the text and converts it; throws a `UsageError` naming `shown` (the user's spelling). */
  readonly parse?: (text: string, shown: string) => OptionValue;
  /** Help section title (options print in table order, a title where the section changes). */
  readonly section?: string;
  /** Accepted but not listed (an internal spelling such as CmdStan's `output file=`). */
  readonly hidden?: boolean;
}

export interface CommandLineSpec {
  /** The command's name, for messages (`unknown option '--x' for sample`). */
  readonly command: string;
  readonly options: readonly OptionSpec[];
  /** CmdStan words that change nothing here (`sample`, `method=sample`, `algorithm=hmc`). */
  readonly cmdstanNoOps?: readonly string[];
}

export interface ParsedCommandLine {
  /** Parsed values by option name; later occurrences win. */
  readonly values: ReadonlyMap<string, OptionValue>;
  /** How the user spelled each option given (`--num-samples`, `num_samples`), for messages. */
  readonly spelled: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
}

const normalize = (name: string): string => name.replace(/_/g, "-");

/**
 * Parses `argv` (the words after the command name) against the option table. Unknown options,
 * missing or malformed values and values given to switches are `UsageError`s (exit code 2).
 */
export function parseCommandLine(argv: readonly string[], spec: CommandLineSpec): ParsedCommandLine {
  const byLongName = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const option of spec.options) {
    for (const name of [option.name, ...(option.aliases ?? [])]) byLongName.set(normalize(name), option);
    if (option.short !== undefined) byShort.set(option.short, option);
  }
  // Tell parseArgs which words take a value, so `--data d.json` reads `d.json` as the value.
  const parseArgsOptions: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [name, option] of byLongName) parseArgsOptions[name] = { type: option.value === undefined ? "boolean" : "string" };
  for (const [short, option] of byShort) parseArgsOptions[`short-${short}`] = { type: option.value === undefined ? "boolean" : "string", short };

  // `--max_treedepth` is `--max-treedepth`; only the name part is rewritten, never the value.
  const words = argv.map((word) => (/^--[^=]*_/.test(word) ? word.replace(/^--([^=]*)/, (_, name: string) => `--${normalize(name)}`) : word));
  const { tokens } = parseArgs({ args: [...words], options: parseArgsOptions, strict: false, allowPositionals: true, tokens: true });

  const values = new Map<string, OptionValue>();
  const spelled = new Map<string, string>();
  const positionals: string[] = [];
  const cmdstan = new CmdStanWords(spec);
  let afterTerminator = false;
  const set = (option: OptionSpec, shown: string, text: string | undefined): void => {
    if (option.value === undefined) {
      if (text !== undefined) throw new UsageError(`${shown} takes no value (got '${shown}=${text}').`);
      values.set(option.name, true);
    } else {
      if (text === undefined) throw new UsageError(`${shown} needs ${option.needs ?? `a value (${shown} ${option.value})`}.`);
      values.set(option.name, option.parse ? option.parse(text, shown) : text);
    }
    spelled.set(option.name, shown);
  };
  for (const token of tokens) {
    if (token.kind === "option-terminator") {
      afterTerminator = true;
      continue;
    }
    if (token.kind === "positional") {
      const word = token.value;
      const match = afterTerminator ? undefined : cmdstan.read(word);
      if (match === undefined) positionals.push(word);
      else if (match !== "keyword") set(match.option, match.shown, match.value);
      continue;
    }
    const shown = argv[token.index].startsWith("--") ? argv[token.index].replace(/=.*$/s, "") : token.rawName;
    const option = token.rawName.startsWith("--") ? byLongName.get(token.name) : byShort.get(token.rawName.slice(1));
    if (option === undefined) throw new UsageError(unknownOptionMessage(shown, spec));
    // A value word that is itself an option (`--data --chains 2`) means the value was forgotten.
    const text = token.inlineValue === false && token.value?.startsWith("--") ? undefined : token.value;
    set(option, shown, text);
  }
  cmdstan.finish();
  return { values, spelled, positionals };
}

/** The CmdStan `key=value` words and keywords of one command. */
class CmdStanWords {
  /** `adapt delta` → option, `num_samples` → option. */
  private readonly paths = new Map<string, OptionSpec>();
  private readonly keywords = new Set<string>();
  private readonly noOps: Set<string>;
  private group: string | undefined;
  private pendingKeyword: string | undefined;

  constructor(private readonly spec: CommandLineSpec) {
    for (const option of spec.options) {
      for (const path of option.cmdstan ?? []) {
        this.paths.set(path, option);
        const words = path.split(" ");
        if (words.length === 2) this.keywords.add(words[0]);
      }
    }
    this.noOps = new Set(spec.cmdstanNoOps ?? []);
  }

  /** The option a word sets, "keyword" for a keyword or no-op, undefined for a positional. */
  read(word: string): { option: OptionSpec; shown: string; value: string } | "keyword" | undefined {
    if (this.paths.size === 0) return undefined;
    if (this.keywords.has(word)) {
      this.group = word;
      this.pendingKeyword = word;
      return "keyword";
    }
    if (this.noOps.has(word)) return "keyword";
    const pair = /^([a-z][a-z_]*)=(.*)$/s.exec(word);
    if (pair === null) return undefined;
    const [, key, value] = pair;
    this.pendingKeyword = undefined;
    const qualified = this.group === undefined ? undefined : `${this.group} ${key}`;
    if (qualified !== undefined && this.paths.has(qualified)) return { option: this.paths.get(qualified)!, shown: qualified, value };
    if (this.paths.has(key)) return { option: this.paths.get(key)!, shown: key, value };
    throw new UsageError(this.unknownWordMessage(key, word));
  }

  /** A keyword must be followed by its argument (`data file=d.json`, not `data` alone). */
  finish(): void {
    if (this.pendingKeyword === undefined) return;
    const expected = [...this.paths.keys()].filter((p) => p.startsWith(`${this.pendingKeyword} `)).map((p) => `${p}=…`);
    throw new UsageError(`CmdStan keyword '${this.pendingKeyword}' needs its argument: ${expected.join(" or ")}.`);
  }

  private unknownWordMessage(key: string, word: string): string {
    const paths = [...this.paths.keys()];
    const needsGroup = paths.filter((p) => p.endsWith(` ${key}`));
    if (needsGroup.length > 0) {
      return `'${word}' is a CmdStan argument that belongs after its keyword: ${needsGroup.map((p) => `${p}=…`).join(" or ")}.`;
    }
    const suggestion = closest(key, paths.map((p) => p.split(" ").at(-1)!));
    const full = suggestion === undefined ? undefined : paths.find((p) => p === suggestion || p.endsWith(` ${suggestion}`));
    return (
      `unknown CmdStan argument '${word}' for ${this.spec.command}` +
      (full !== undefined ? `; did you mean '${full}=…'?` : ".") +
      ` CmdStan spellings accepted: ${paths.map((p) => `${p}=`).join(", ")}.`
    );
  }
}

function unknownOptionMessage(shown: string, spec: CommandLineSpec): string {
  const visible = spec.options.filter((o) => !o.hidden);
  const candidates = visible.flatMap((o) => [o.name, ...(o.aliases ?? [])].map((n) => `--${n}`));
  // `--num_samples` and friends: a CmdStan name given as a long option.
  const cmdstanName = spec.options.find((o) => (o.cmdstan ?? []).some((p) => normalize(p.replace(" ", "-")) === normalize(shown.replace(/^-+/, ""))));
  const suggestion = cmdstanName !== undefined ? `--${cmdstanName.name}` : closest(normalize(shown), candidates.map(normalize));
  const original = suggestion === undefined ? undefined : candidates.find((c) => normalize(c) === suggestion);
  return `unknown option '${shown}' for ${spec.command}${original !== undefined ? `; did you mean ${original}?` : "."} See stan2ts ${spec.command} --help.`;
}

/**
 * The candidate nearest to `word` by edit distance (insertions, deletions, substitutions and
 * swaps of neighbours), if near enough to be a slip: at most 1 edit for short words, 2 for longer
 * ones, 3 from 9 characters. A unique candidate that starts with the word (`--adapt`) also counts.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const allowed = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  const prefixed = candidates.filter((c) => c.startsWith(word) && word.replace(/^-+/, "").length >= 3);
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// ---- value checks shared by the commands ----

/** A whole number in [min, max]; the message says which range. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER, description?: string): (text: string, shown: string) => number {
  const expected = description ?? (min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer of at least ${min}`);
  return (text, shown) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${shown} must be ${expected}, got '${text}'.`);
    return n;
  };
}

/** A finite number satisfying `ok`, described by `expected` ("strictly between 0 and 1"). */
export function numberWhere(ok: (x: number) => boolean, expected: string): (text: string, shown: string) => number {
  return (text, shown) => {
    const n = text.trim() === "" ? NaN : Number(text);
    if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`${shown} must be ${expected}, got '${text}'.`);
    return n;
  };
}

/** One of the spellings in `choices` (spelling → value); the message lists the first spellings. */
export function oneOf(choices: Readonly<Record<string, string>>, listed: readonly string[]): (text: string, shown: string) => string {
  return (text, shown) => {
    const value = choices[text];
    if (value === undefined) throw new UsageError(`${shown} must be ${listed.map((c) => `'${c}'`).join(" or ")}, got '${text}'.`);
    return value;
  };
}

// ---- typed reads of parsed values ----

export function stringValue(parsed: ParsedCommandLine, name: string): string | undefined {
  const v = parsed.values.get(name);
  return v === undefined ? undefined : String(v);
}

export function numberValue(parsed: ParsedCommandLine, name: string): number | undefined {
  const v = parsed.values.get(name);
  if (v === undefined) return undefined;
  if (typeof v !== "number") throw new Error(`option --${name} has no number parser`);
  return v;
}

export function flagValue(parsed: ParsedCommandLine, name: string): boolean {
  return parsed.values.get(name) === true;
}

/** Exactly one positional argument, else a usage error with `usage`. */
export function onePositional(parsed: ParsedCommandLine, usage: string): string {
  if (parsed.positionals.length !== 1) throw new UsageError(usage);
  return parsed.positionals[0];
}

// ---- help text ----

const HELP_COLUMN = 25;

/** The options block of a command's help, generated from its table. */
export function optionsHelp(options: readonly OptionSpec[]): string {
  const lines: string[] = [];
  let section: string | undefined;
  for (const option of options) {
    if (option.hidden) continue;
    if (option.section !== undefined && option.section !== section) {
      if (lines.length > 0) lines.push("");
      lines.push(option.section);
      section = option.section;
    }
    let left = `  --${option.name}${option.value === undefined ? "" : ` ${option.value}`}`;
    if (option.short !== undefined) left += `, -${option.short}`;
    const help = typeof option.help === "string" ? [option.help] : option.help;
    if (left.length + 1 > HELP_COLUMN) {
      lines.push(left);
      left = "";
    }
    help.forEach((text, i) => lines.push(`${(i === 0 ? left : "").padEnd(HELP_COLUMN)}${text}`));
  }
  return lines.join("\n");
}

/** "CmdStan spellings" lines: each `key=` word and the option it sets. */
export function cmdstanHelp(options: readonly OptionSpec[]): string {
  const entries = options.flatMap((o) => (o.cmdstan ?? []).map((path) => `${path}=${o.value ?? ""}${o.hidden ? "" : ` (--${o.name})`}`));
  if (entries.length === 0) return "";
  const lines: string[] = [];
  let line = " ";
  for (const entry of entries) {
    if (line.length + entry.length + 2 > 100) {
      lines.push(line.replace(/,$/, ","));
      line = " ";
    }
    line += ` ${entry},`;
  }
  lines.push(line.replace(/,$/, ""));
  return lines.join("\n");
}
