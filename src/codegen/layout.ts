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

/**
 * Characters scanned for brackets so far: the work layout does, which stays proportional to the
 * text's length however deeply it nests (test/codegen/layout.test.ts; a timing would be flaky).
 */
export const layoutWork = { scannedChars: 0 };

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
  layoutWork.scannedChars += line.length;
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

/**
 * The first group in pre-order that satisfies `test`, with an explicit stack: it stops at the
 * first match, and nested generators (`yield*`) would pass each group up through every level.
 */
function firstInPreOrder(groups: readonly Group[], test: (g: Group) => boolean): Group | undefined {
  const stack: Group[] = [];
  for (let i = groups.length - 1; i >= 0; i--) stack.push(groups[i]);
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (test(g)) return g;
    for (let i = g.children.length - 1; i >= 0; i--) stack.push(g.children[i]);
  }
  return undefined;
}

/** A one-line statement block (`{ a; b; }`, closed on the line) becomes one line per statement. */
function expandBlocks(line: string): string[] {
  const block = firstInPreOrder(scan(line), (g) => line[g.open] === "{" && g.close > 0 && g.semicolons.length > 0);
  if (!block) return [line];
  const head = line.slice(0, block.open + 1).trim();
  const inner = line.slice(block.open + 1, block.close);
  const statements = splitAt(inner, block.open + 1, block.semicolons, ";");
  return [head, ...statements.flatMap(expandBlocks), ...expandBlocks(line.slice(block.close).trim())];
}

/**
 * A part of one scanned line that `breakLong` lays out: the text `line.slice(from, to) + suffix`
 * (`suffix` is a trailing comma or ` &&` the layout adds), with the bracket groups that are
 * outermost in it, at their positions in the whole line. The line is scanned once; its parts
 * reuse the groups found, so breaking a line nested `d` deep costs its length, not `d` times it.
 */
interface Part {
  readonly line: string;
  readonly from: number;
  readonly to: number;
  readonly suffix: string;
  readonly groups: readonly Group[];
}

/** What `String.prototype.trim` removes. */
const isSpace = (c: string) => /\s/.test(c);

const partText = (p: Part) => p.line.slice(p.from, p.to) + p.suffix;

/** `line.slice(from, to).trim()` as a part: the bounds moved past white space. */
function trimmedPart(line: string, from: number, to: number, groups: readonly Group[], suffix = ""): Part {
  while (from < to && isSpace(line[from])) from++;
  while (to > from && isSpace(line[to - 1])) to--;
  return { line, from, to, suffix, groups };
}

/** `groups` (ordered, disjoint) split by the positions that separate them, in one pass. */
function groupsBetween(groups: readonly Group[], bounds: readonly number[]): Group[][] {
  const out: Group[][] = bounds.slice(1).map(() => []);
  let k = 0;
  for (const g of groups) {
    while (k + 2 < bounds.length && g.open > bounds[k + 1]) k++;
    out[k].push(g);
  }
  return out;
}

/**
 * The outermost groups of `line.slice(at)`, as its own scan would find them: those opening after
 * `at` whose enclosing groups (if any) opened before it.
 */
function groupsAfter(groups: readonly Group[], at: number): Group[] {
  const out: Group[] = [];
  const visit = (list: readonly Group[]) => {
    for (const g of list) {
      if (g.open >= at) out.push(g);
      else if (g.close < 0 || g.close >= at) visit(g.children);
    }
  };
  visit(groups);
  return out;
}

/**
 * The identifier characters ending `line.slice(from, end)` after trailing white space is dropped
 * (undefined if none), and the last character before them: scanned backwards, so the cost is
 * the word's length (the regex /[\w$]+$/ retries from every start and is quadratic in a long
 * name; slicing the whole prefix is quadratic in a line's groups).
 */
function wordBefore(line: string, from: number, end: number): { word?: string; last: string } {
  while (end > from && /\s/.test(line[end - 1])) end--;
  let start = end;
  while (start > from && /[\w$]/.test(line[start - 1])) start--;
  return { word: start < end ? line.slice(start, end) : undefined, last: end > from ? line[end - 1] : "" };
}

/** Whether a group may be laid out one item a line with a trailing comma. */
function breakable(part: Part, g: Group): boolean {
  if (g.close < 0 || !g.hasComma) return false;
  const kind = part.line[g.open];
  const { word, last } = wordBefore(part.line, part.from, g.open);
  if (kind === "(") return word !== undefined ? !NOT_CALLEES.has(word) : last === ")" || last === "]";
  if (kind === "[") return word === undefined && last !== ")" && last !== "]";
  return g.semicolons.length === 0;
}

/** Lays out one line at `depth` (see `breakPart`). */
function breakLong(line: string, depth: number, out: string[]): void {
  breakPart({ line, from: 0, to: line.length, suffix: "", groups: scan(line) }, depth, out);
}

/**
 * Breaks a part longer than the width: the statement of a braceless `if (…) statement` goes on
 * the next line; else the first breakable group is laid out one item a line; else an
 * assignment breaks after its operator (each recursively, as prettier does).
 */
function breakPart(part: Part, depth: number, out: string[]): void {
  const indent = INDENT.repeat(depth);
  const { line, from, to, groups } = part;
  if (to - from + part.suffix.length + indent.length <= WIDTH) {
    out.push(indent + partText(part));
    return;
  }
  const condition = groups[0];
  if (condition !== undefined && condition.close > 0 && /^(if|while) \($/.test(line.slice(from, condition.open + 1))) {
    const rest = trimmedPart(line, condition.close + 1, to, groups.slice(1), part.suffix);
    if (rest.from < rest.to && line[rest.from] !== "{") {
      breakPart({ line, from, to: condition.close + 1, suffix: "", groups: [condition] }, depth, out);
      breakPart(rest, depth + 1, out);
      return;
    }
    // a long condition: one operand of its `&&` / `||` chain a line (inside `!(…)` if negated)
    const inner = condition.children[0];
    const negated = inner !== undefined && inner.open === condition.open + 2 && line[condition.open + 1] === "!" && inner.close === condition.close - 1;
    const chain = condition.logical.length === 0 && negated ? inner : condition;
    if (chain.logical.length > 0) {
      out.push(indent + line.slice(from, chain.open + 1));
      const operandGroups = groupsBetween(chain.children, [chain.open, ...chain.logical, chain.close]);
      let start = chain.open + 1;
      chain.logical.forEach((p, k) => {
        breakPart(trimmedPart(line, start, p, operandGroups[k], ` ${line.slice(p, p + 2)}`), depth + 1, out);
        start = p + 2;
      });
      breakPart(trimmedPart(line, start, chain.close, operandGroups[chain.logical.length]), depth + 1, out);
      breakPart({ line, from: chain.close, to, suffix: part.suffix, groups: groupsAfter(groups, chain.close) }, depth, out);
      return;
    }
  }
  const g = firstInPreOrder(groups, (x) => breakable(part, x));
  if (!g) {
    const text = partText(part);
    const assignment = assignmentOperatorEnd(text, groups.length > 0 ? groups[0].open - from : text.length, groups[0] && { open: groups[0].open - from, close: groups[0].close < 0 ? -1 : groups[0].close - from, isBracket: line[groups[0].open] === "[" });
    // after the operator only when that makes the first line fit (else a long target stays whole)
    if (assignment === undefined || indent.length + assignment > WIDTH) out.push(indent + text);
    else {
      out.push(indent + text.slice(0, assignment));
      out.push(indent + INDENT + text.slice(assignment).trim());
    }
    return;
  }
  out.push(indent + line.slice(from, g.open + 1).trimEnd());
  // the items between the group's own commas, each with a trailing comma, empty ones dropped
  const bounds = [g.open, ...g.commas, g.close];
  const itemGroups = groupsBetween(g.children, bounds);
  for (let i = 0; i + 1 < bounds.length; i++) {
    const isLast = i + 2 === bounds.length;
    const item = trimmedPart(line, bounds[i] + 1, bounds[i + 1], itemGroups[i], isLast ? "" : ",");
    if (item.from === item.to) continue;
    breakPart(isLast && line[item.to - 1] !== "," ? { ...item, suffix: "," } : item, depth + 1, out);
  }
  breakPart({ line, from: g.close, to, suffix: part.suffix, groups: groupsAfter(groups, g.close) }, depth, out);
}

/**
 * Where a top-level assignment operator (`=`, `+=`, …) of a statement ends, if it has one;
 * `firstGroupOpen` is where its first bracket opens (the text's length if none), `first` that
 * bracket group (positions in `text`).
 */
function assignmentOperatorEnd(
  text: string,
  firstGroupOpen: number,
  first: { readonly open: number; readonly close: number; readonly isBracket: boolean } | undefined,
): number | undefined {
  const m = /^(?:(?:const|let) )?[\w$.]+(?:\s*:\s*[\w$.[\] ]+)?\s*([-+*/]?=)(?!=)\s/.exec(text.slice(0, firstGroupOpen + 1));
  if (m) return m[0].trimEnd().length;
  // an element assignment `x[…] op= …`: the operator right after the first group
  if (first === undefined || !first.isBracket || first.close < 0) return undefined;
  const after = /^\s*([-+*/]?=)(?!=)\s/.exec(text.slice(first.close + 1));
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
