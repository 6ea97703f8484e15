/**
 * Layout of the generated module's text, in time linear in its length. The sweeps write one
 * statement or brace per line, without indentation, and some short blocks on one line
 * (`if (!ok) { loc__ = 3; throw …; }`). `layoutModule` puts each statement of such a block on its
 * own line, indents every line by its bracket depth (two spaces a level) and breaks lines longer
 * than 120 columns at the commas of an argument list, array or object (one item a line, with a
 * trailing comma), as prettier lays them out. Prettier itself (`formatModule`) costs more than
 * the rest of code generation on large programs, so it only runs on request.
 */

const WIDTH = 120;
const INDENT = "  ";

/** Words before `(` that make it a statement's or an operator's parenthesis, not a call's. */
const NOT_CALLEES = new Set([
  "if", "for", "while", "switch", "catch", "return", "typeof", "void", "await", "in", "of", "throw",
  "else", "do", "case", "delete", "instanceof", "yield", "new",
]);

interface Group {
  readonly open: number;
  close: number;
  /** Positions of the commas and semicolons directly inside (not in a nested group). */
  readonly commas: number[];
  readonly semicolons: number[];
  /** Positions of the `&&` and `||` operators directly inside. */
  readonly logical: number[];
  /** Whether a comma occurs anywhere inside. */
  hasComma: boolean;
  readonly children: Group[];
}

/**
 * The bracket groups of one line, outermost first (strings and comments skipped). A bracket
 * left open at the end of the line gets close = -1; a line comment ends the scan.
 */
function scan(line: string): Group[] {
  const top: Group[] = [];
  const stack: Group[] = [];
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && line[i + 1] === "/") break;
    else if (c === "/" && line[i + 1] === "*") {
      const end = line.indexOf("*/", i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (c === "(" || c === "[" || c === "{") {
      const g: Group = { open: i, close: -1, commas: [], semicolons: [], logical: [], hasComma: false, children: [] };
      (stack.length > 0 ? stack[stack.length - 1].children : top).push(g);
      stack.push(g);
    } else if (c === ")" || c === "]" || c === "}") {
      const g = stack.pop();
      if (g) g.close = i;
    } else if (c === "," && stack.length > 0) {
      stack[stack.length - 1].commas.push(i);
      for (const g of stack) g.hasComma = true;
    } else if (c === ";" && stack.length > 0) stack[stack.length - 1].semicolons.push(i);
    else if ((c === "&" || c === "|") && line[i + 1] === c && stack.length > 0) {
      stack[stack.length - 1].logical.push(i);
      i++;
    }
  }
  return top;
}

function* preOrder(groups: readonly Group[]): Generator<Group> {
  for (const g of groups) {
    yield g;
    yield* preOrder(g.children);
  }
}

/** Splits `text` at the given positions (relative to `offset`), trimmed, empty pieces dropped. */
function splitAt(text: string, offset: number, positions: readonly number[], keep: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const p of positions) {
    out.push(text.slice(from, p - offset).trim() + keep);
    from = p - offset + 1;
  }
  out.push(text.slice(from).trim());
  return out.filter((s) => s !== "" && s !== keep);
}

/** A one-line statement block (`{ a; b; }`, closed on the line) becomes one line per statement. */
function expandBlocks(line: string): string[] {
  const block = [...preOrder(scan(line))].find((g) => line[g.open] === "{" && g.close > 0 && g.semicolons.length > 0);
  if (!block) return [line];
  const head = line.slice(0, block.open + 1).trim();
  const inner = line.slice(block.open + 1, block.close);
  const statements = splitAt(inner, block.open + 1, block.semicolons, ";");
  return [head, ...statements.flatMap(expandBlocks), ...expandBlocks(line.slice(block.close).trim())];
}

/**
 * The identifier characters ending `text` (undefined if none), scanned backwards: the regex
 * /[\w$]+$/ retries from every start and is quadratic in a very long name.
 */
function trailingWord(text: string): string | undefined {
  let start = text.length;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  return start < text.length ? text.slice(start) : undefined;
}

/** Whether a group may be laid out one item a line with a trailing comma. */
function breakable(line: string, g: Group): boolean {
  if (g.close < 0 || !g.hasComma) return false;
  const kind = line[g.open];
  const before = line.slice(0, g.open).trimEnd();
  const word = trailingWord(before);
  const last = before[before.length - 1] ?? "";
  if (kind === "(") return word !== undefined ? !NOT_CALLEES.has(word) : last === ")" || last === "]";
  if (kind === "[") return word === undefined && last !== ")" && last !== "]";
  return g.semicolons.length === 0;
}

/**
 * Breaks a line longer than the width: the statement of a braceless `if (…) statement` goes on
 * the next line; else the first breakable group is laid out one item a line; else an
 * assignment breaks after its operator (each recursively, as prettier does).
 */
function breakLong(line: string, depth: number, out: string[]): void {
  const indent = INDENT.repeat(depth);
  if (line.length + indent.length <= WIDTH) {
    out.push(indent + line);
    return;
  }
  const groups = scan(line);
  const condition = groups[0];
  if (/^(if|while) \($/.test(line.slice(0, (condition?.open ?? 0) + 1)) && condition.close > 0) {
    const rest = line.slice(condition.close + 1).trim();
    if (rest !== "" && !rest.startsWith("{")) {
      breakLong(line.slice(0, condition.close + 1), depth, out);
      breakLong(rest, depth + 1, out);
      return;
    }
    // a long condition: one operand of its `&&` / `||` chain a line (inside `!(…)` if negated)
    const inner = condition.children[0];
    const negated = inner !== undefined && inner.open === condition.open + 2 && line[condition.open + 1] === "!" && inner.close === condition.close - 1;
    const chain = condition.logical.length === 0 && negated ? inner : condition;
    if (chain.logical.length > 0) {
      out.push(indent + line.slice(0, chain.open + 1));
      let from = chain.open + 1;
      for (const p of chain.logical) {
        breakLong(`${line.slice(from, p).trim()} ${line.slice(p, p + 2)}`, depth + 1, out);
        from = p + 2;
      }
      breakLong(line.slice(from, chain.close).trim(), depth + 1, out);
      breakLong(line.slice(chain.close), depth, out);
      return;
    }
  }
  const g = [...preOrder(groups)].find((x) => breakable(line, x));
  if (!g) {
    const assignment = assignmentOperatorEnd(line, groups);
    // after the operator only when that makes the first line fit (else a long target stays whole)
    if (assignment === undefined || indent.length + assignment > WIDTH) out.push(indent + line);
    else {
      out.push(indent + line.slice(0, assignment));
      out.push(indent + INDENT + line.slice(assignment).trim());
    }
    return;
  }
  out.push(indent + line.slice(0, g.open + 1).trimEnd());
  const inner = line.slice(g.open + 1, g.close);
  for (const item of splitAt(inner, g.open + 1, g.commas, ",")) breakLong(item.endsWith(",") ? item : `${item},`, depth + 1, out);
  breakLong(line.slice(g.close), depth, out);
}

/** Where a top-level assignment operator (`=`, `+=`, …) of a statement ends, if it has one. */
function assignmentOperatorEnd(line: string, groups: readonly Group[]): number | undefined {
  const firstGroup = groups.length > 0 ? groups[0].open : line.length;
  const m = /^(?:(?:const|let) )?[\w$.]+(?:\s*:\s*[\w$.[\] ]+)?\s*([-+*/]?=)(?!=)\s/.exec(line.slice(0, firstGroup + 1));
  if (m) return m[0].trimEnd().length;
  // an element assignment `x[…] op= …`: the operator right after the first group
  const first = groups[0];
  if (first === undefined || line[first.open] !== "[" || first.close < 0) return undefined;
  const after = /^\s*([-+*/]?=)(?!=)\s/.exec(line.slice(first.close + 1));
  return after ? first.close + 1 + after[0].trimEnd().length : undefined;
}

/** Bracket depth change of a line, and how many brackets it closes before anything else. */
function depthChange(line: string): { delta: number; leadingClosers: number } {
  let delta = 0;
  let leadingClosers = 0;
  let leading = true;
  // brackets left open, less those closed that earlier lines opened (outside strings and comments)
  let quote = "";
  let open = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "/" && (line[i + 1] === "/" || line[i + 1] === "*")) break;
    else if (c === "(" || c === "[" || c === "{") open++;
    else if (c === ")" || c === "]" || c === "}") {
      if (open > 0) open--;
      else {
        delta--;
        if (leading) leadingClosers++;
        continue;
      }
    }
    if (c !== " ") leading = false;
  }
  return { delta: delta + open, leadingClosers };
}

/** Lays out module text written one statement a line without indentation (see the file comment). */
export function layoutModule(text: string): string {
  const out: string[] = [];
  let depth = 0;
  let blank = false;
  let inComment = false;
  for (const raw of text.split("\n")) {
    const trimmed = raw.trim();
    if (trimmed === "") {
      if (!blank && out.length > 0) out.push("");
      blank = true;
      continue;
    }
    blank = false;
    // a block comment's continuation lines line up under its first `*`
    if (inComment || (trimmed.startsWith("/*") && !trimmed.includes("*/"))) {
      out.push(INDENT.repeat(depth) + (inComment ? ` ${trimmed}` : trimmed));
      inComment = !trimmed.includes("*/");
      continue;
    }
    for (const line of trimmed.startsWith("//") ? [trimmed] : expandBlocks(trimmed)) {
      const { delta, leadingClosers } = depthChange(line);
      breakLong(line, Math.max(0, depth - leadingClosers), out);
      depth = Math.max(0, depth + delta);
    }
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out.join("\n") + "\n";
}
