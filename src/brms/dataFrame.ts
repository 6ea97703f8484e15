/**
 * Data frames for brms models: CSV text → typed columns (readr's rules: a column is numeric when
 * every non-missing cell parses as a number; `""` and `NA` are missing), and the script's
 * `mutate(x = arithmetic)` steps evaluated column-wise.
 */
import { parse } from "csv-parse/sync";
import { fail } from "../common/diagnostics";
import { deparseR, type RExpr } from "./rAst";
import type { Span } from "../common/span";
import { formatLevel, factorLevels, numericLevels } from "./terms/levels";
import { contrastFunction, countLevels, isContrastFunction, type ContrastFunction, type ContrastMatrix, type ContrastsSetting } from "./terms/contrasts";

/**
 * A step of the script on its data, applied in order before the model sees it: a column set by
 * `mutate(d, column = expr)` or `d$column <- expr`, contrasts set by `contrasts(d$column) <- value`,
 * and the `options(contrasts = c(...))` in force at the brm() call.
 */
export type Mutation =
  | { readonly kind: "column"; readonly column: string; readonly expr: RExpr; readonly span: Span }
  | { readonly kind: "contrasts"; readonly column: string; readonly expr: RExpr; readonly span: Span }
  | { readonly kind: "contrastsOption"; readonly functions: readonly [ContrastFunction, ContrastFunction] };

/** What makes a text column an R factor: its levels in order, whether it is ordered, its contrasts. */
export interface FactorInfo {
  readonly levels: readonly string[];
  readonly ordered: boolean;
  /** `contrasts(d$x) <- …`; undefined takes options(contrasts =). */
  readonly contrasts?: ContrastsSetting;
  /** Where the contrasts were set, for messages. */
  readonly contrastsSpan?: Span;
}

export type Column =
  /** `integer`: an R integer column (read.csv and fread read a column of whole numbers so; readr reads doubles). */
  | { readonly kind: "numeric"; readonly values: Float64Array; readonly integer?: boolean }
  /** Character cells; `null` is missing. With `factor`, an R factor (factor(), ordered(), relevel()); without, text that brms makes a factor with sorted levels. */
  | { readonly kind: "character"; readonly values: readonly (string | null)[]; readonly factor?: FactorInfo };

export interface DataFrame {
  /** Where the data came from, for messages. */
  readonly source: string;
  readonly nrow: number;
  readonly columns: ReadonlyMap<string, Column>;
  /** options(contrasts = c(unordered, ordered)) at the brm() call; R's default when undefined. */
  readonly defaultContrasts?: readonly [ContrastFunction, ContrastFunction];
}

/** A data problem the user must fix; printed as `Error: …` by the CLI. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

const MISSING = new Set(["", "NA"]);

/** R's largest integer: read.csv reads a whole number beyond it as a double. */
const R_INT_MAX = 2147483647;

/**
 * `integerColumns`: type columns as read.csv (utils::type.convert) and fread do, where a column whose
 * every non-missing cell is a whole number written without a decimal point or exponent is an R
 * integer; readr's read_csv reads every number as a double.
 */
export function parseCsv(text: string, source: string, options: { readonly integerColumns?: boolean } = {}): DataFrame {
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: false, skip_empty_lines: true, bom: true }) as string[][];
  } catch (err) {
    throw new UserError(`Could not read the CSV data in '${source}': ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new UserError(`The CSV data in '${source}' is empty.`);
  const header = rows[0];
  const body = rows.slice(1);
  // readr would rename a repeated name (`x...2`, `x...5`) and the formula's `x` would then name
  // no column; silently taking one of them would fit the wrong data. Stop and name it.
  const firstColumn = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === "") return;
    const earlier = firstColumn.get(name);
    if (earlier !== undefined) {
      throw new UserError(
        `The CSV data in '${source}' has two columns named '${name}' (columns ${earlier + 1} and ${j + 1}); rename one of them.`,
      );
    }
    firstColumn.set(name, j);
  });
  const columns = new Map<string, Column>();
  header.forEach((rawName, j) => {
    // readr names an empty header cell `...<j>` (the lecture's data has such an index column).
    const name = rawName === "" ? `...${j + 1}` : rawName;
    const cells = body.map((r) => r[j]);
    const numbers = new Float64Array(cells.length);
    let numeric = true;
    let integer = options.integerColumns === true;
    let present = 0;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i].trim();
      if (MISSING.has(cell)) {
        numbers[i] = NaN;
        continue;
      }
      const value = parseNumber(cell);
      if (value === undefined) {
        numeric = false;
        break;
      }
      numbers[i] = value;
      present++;
      if (integer && !(/^[+-]?\d+$/.test(cell) && Math.abs(value) <= R_INT_MAX)) integer = false;
    }
    // A column with no values is logical in R, not integer.
    const numericColumn: Column = integer && present > 0 ? { kind: "numeric", values: numbers, integer: true } : { kind: "numeric", values: numbers };
    columns.set(name, numeric ? numericColumn : { kind: "character", values: cells.map((c) => (MISSING.has(c.trim()) ? null : c)) });
  });
  return { source, nrow: body.length, columns };
}

function parseNumber(cell: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell)) return Number(cell);
  if (cell === "Inf" || cell === "-Inf") return cell === "Inf" ? Infinity : -Infinity;
  if (cell === "TRUE" || cell === "FALSE") return undefined;
  return undefined;
}

/** A value while evaluating a mutate() expression: a column (length nrow) or a scalar. */
/** A column's values on the rows, or one number for every row. */
export type Vec = Float64Array | number;

/** R's arithmetic operators, elementwise (mutate() and I() in formulas). */
export const R_ARITHMETIC: Readonly<Partial<Record<string, (a: number, b: number) => number>>> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => a ** b,
};

export function applyMutations(frame: DataFrame, mutations: readonly Mutation[]): DataFrame {
  let current = frame;
  for (const m of mutations) {
    if (m.kind === "contrastsOption") {
      current = { ...current, defaultContrasts: m.functions };
      continue;
    }
    const columns = new Map(current.columns);
    if (m.kind === "contrasts") columns.set(m.column, withContrasts(current, m));
    else {
      const result = evalColumnValue(m.expr, current);
      columns.set(m.column, typeof result === "number" ? { kind: "numeric", values: new Float64Array(current.nrow).fill(result) } : result instanceof Float64Array ? { kind: "numeric", values: result } : result);
    }
    current = { ...current, columns };
  }
  return current;
}

/** A column read by name in mutate() or as `d$name`. */
function columnOf(frame: DataFrame, e: Extract<RExpr, { kind: "Name" | "Member" }>): Column {
  const name = e.kind === "Name" ? e.name : e.member;
  const column = frame.columns.get(name);
  if (!column) fail("Semantic error", e.span, `The data have no column '${name}'.`, columnHint(frame));
  return column;
}

/** The levels a column has as a factor: its own, or (text and numbers) its sorted distinct values. */
function levelsOf(column: Column): { labels: (string | null)[]; levels: readonly string[] } {
  if (column.kind === "numeric") {
    const present = column.values.filter((v) => !Number.isNaN(v));
    return { labels: Array.from(column.values, (v) => (Number.isNaN(v) ? null : formatLevel(v))), levels: numericLevels(present).levels };
  }
  if (column.factor) return { labels: [...column.values], levels: column.factor.levels };
  return { labels: [...column.values], levels: factorLevels(column.values.filter((v): v is string => v !== null)).levels };
}

/**
 * A column value of mutate() or `d$x <- …`: factor(x, levels =, ordered =), as.factor(), ordered(),
 * as.ordered(), relevel(x, ref =) make factors; anything else is arithmetic.
 */
export function evalColumnValue(e: RExpr, frame: DataFrame): Column | Vec {
  if (e.kind === "Paren") return evalColumnValue(e.inner, frame);
  if (e.kind === "Name" || e.kind === "Member") {
    // A copy of a column keeps its R type: `d$x <- d$count` of an integer column is integer (brms then declares `int` data).
    const column = columnOf(frame, e);
    return column.kind === "numeric" ? { ...column, values: Float64Array.from(column.values) } : column;
  }
  if (e.kind !== "Call" || e.fn.kind !== "Name" || !["factor", "as.factor", "ordered", "as.ordered", "relevel"].includes(e.fn.name)) return evalColumnExpr(e, frame);
  const fn = e.fn.name;
  const given = new Map<string, RExpr>();
  const order = fn === "relevel" ? ["x", "ref"] : fn.startsWith("as.") ? ["x"] : ["x", "levels"];
  const free = order.filter((k) => !e.args.some((a) => a.name === k));
  for (const a of e.args) {
    const key = a.name ?? free.shift();
    const allowed = fn === "factor" ? [...order, "ordered"] : order;
    if (key === undefined || !allowed.includes(key)) {
      fail("Semantic error", a.span, `${fn}() argument '${a.name ?? deparseR(a.value)}' is not supported.`, [
        fn === "relevel" ? "relevel() takes the factor and ref = the reference level." : `${fn}() takes the column${fn.startsWith("as.") ? "" : ", levels = c(...)"}${fn === "factor" ? " and ordered = TRUE/FALSE" : ""}.`,
      ]);
    }
    given.set(key, a.value);
  }
  const x = given.get("x");
  if (!x) fail("Semantic error", e.span, `${fn}() needs a column.`);
  const inner = evalColumnValue(x, frame);
  if (typeof inner === "number") fail("Semantic error", x.span, `${fn}() needs a column, not a number.`);
  const column: Column = inner instanceof Float64Array ? { kind: "numeric", values: inner } : inner;
  const { labels, levels } = levelsOf(column);
  if (fn === "relevel") {
    // R: relevel() is for unordered factors only; text must be made a factor first.
    if (column.kind !== "character" || !column.factor || column.factor.ordered) {
      fail("Semantic error", e.span, "'relevel' only for (unordered) factors", [`Make it a factor first: relevel(factor(${deparseR(x)}), ref = ...).`]);
    }
    const refExpr = given.get("ref");
    if (!refExpr) fail("Semantic error", e.span, "relevel() needs ref = the reference level.");
    let ref: number;
    if (refExpr.kind === "Str") {
      ref = levels.indexOf(refExpr.value);
      if (ref < 0) fail("Semantic error", refExpr.span, `'ref' must be an existing level: '${refExpr.value}' is not one of ${levels.map((l) => `'${l}'`).join(", ")}.`);
    } else if (refExpr.kind === "Num" && Number.isInteger(refExpr.value) && refExpr.value >= 1 && refExpr.value <= levels.length) ref = refExpr.value - 1;
    else fail("Semantic error", refExpr.span, "ref = must be a level name (a string) or its position.");
    // relevel() builds a new factor: the contrasts set on the old one are gone.
    return { kind: "character", values: labels, factor: { levels: [levels[ref], ...levels.filter((_, i) => i !== ref)], ordered: false } };
  }
  let ordered = fn === "ordered" || fn === "as.ordered";
  const orderedExpr = given.get("ordered");
  if (orderedExpr) {
    if (orderedExpr.kind !== "Bool") fail("Semantic error", orderedExpr.span, "ordered = must be TRUE or FALSE.");
    ordered = orderedExpr.value;
  }
  if (fn.startsWith("as.") && column.kind === "character" && column.factor && (fn === "as.factor" || column.factor.ordered)) return column;
  const levelsExpr = given.get("levels");
  let chosen = levels;
  if (levelsExpr) {
    chosen = levelValues(levelsExpr, column.kind === "numeric");
    const repeated = chosen.find((l, i) => chosen.indexOf(l) !== i);
    if (repeated !== undefined) fail("Semantic error", levelsExpr.span, `factor level [${chosen.lastIndexOf(repeated) + 1}] is duplicated`);
  }
  // factor() keeps the levels (in the given order) and makes every other value missing, as R does.
  const known = new Set(chosen);
  return { kind: "character", values: labels.map((v) => (v !== null && known.has(v) ? v : null)), factor: { levels: chosen, ordered } };
}

/** `levels = c("lo", "mid", "hi")` (or numbers, for a numeric column) as level labels. */
function levelValues(e: RExpr, numeric: boolean): string[] {
  const items = e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "c" ? e.args.map((a) => a.value) : [e];
  return items.map((item) => {
    if (item.kind === "Str" && !numeric) return item.value;
    const value = item.kind === "Num" ? item.value : item.kind === "Unary" && item.op === "-" && item.operand.kind === "Num" ? -item.operand.value : undefined;
    if (value !== undefined && numeric) return formatLevel(value);
    return fail("Semantic error", item.span, `The levels of a ${numeric ? "numeric" : "text"} column must be ${numeric ? "numbers" : "strings"}, as in levels = c(${numeric ? "8, 6, 4" : '"lo", "mid", "hi"'}).`);
  });
}

/**
 * `contrasts(d$x) <- value`, as R's `contrasts<-`: a contrast function by name ("contr.sum") is kept
 * and called on the levels when the model matrix is built; contr.sum(3), contr.treatment(3, base = 2),
 * cbind(...) and matrix(...) are matrices, one row per level; a matrix with more than k − 1 columns
 * keeps the first k − 1.
 */
function withContrasts(frame: DataFrame, m: Extract<Mutation, { kind: "contrasts" }>): Column {
  const column = frame.columns.get(m.column);
  if (!column) fail("Semantic error", m.span, `The data have no column '${m.column}'.`, columnHint(frame));
  if (column.kind !== "character" || !column.factor) {
    fail("Semantic error", m.span, "contrasts apply only to factors", [`Make the column a factor first: d$${m.column} <- factor(d$${m.column}).`]);
  }
  const levels = column.factor.levels;
  if (levels.length < 2) fail("Semantic error", m.span, "contrasts can be applied only to factors with 2 or more levels");
  const setting = contrastsValue(m.expr, levels.length);
  if (setting.kind === "matrix") {
    const { rows, colnames } = setting.matrix;
    if (rows.length !== levels.length) fail("Semantic error", m.expr.span, `wrong number of contrast matrix rows: ${rows.length} for the ${levels.length} levels of '${m.column}'`);
    const width = rows[0].length;
    const wanted = levels.length - 1;
    if (width < wanted) {
      fail("Semantic error", m.expr.span, `The contrast matrix has ${width} column${width === 1 ? "" : "s"}; stan2ts needs all ${wanted} (k − 1 for the ${levels.length} levels of '${m.column}').`, [
        "R would fill in the missing columns from a QR decomposition; give the full matrix instead.",
      ]);
    }
    const matrix: ContrastMatrix = { rows: rows.map((r) => r.slice(0, wanted)), colnames: colnames?.slice(0, wanted) };
    return { ...column, factor: { ...column.factor, contrasts: { kind: "matrix", matrix }, contrastsSpan: m.expr.span } };
  }
  return { ...column, factor: { ...column.factor, contrasts: setting, contrastsSpan: m.expr.span } };
}

/** The right-hand side of `contrasts(x) <- …` for a factor with n levels. */
function contrastsValue(e: RExpr, n: number): ContrastsSetting {
  const unsupported = (): never =>
    fail("Semantic error", e.span, `'${deparseR(e)}' is not a contrast stan2ts can compute.`, [
      'Contrasts may be contr.treatment(k, base = b), contr.sum(k), contr.helmert(k), contr.poly(k), contr.SAS(k), a name such as "contr.sum", or a numeric matrix made with cbind(...) or matrix(...).',
    ]);
  if (e.kind === "Str") {
    if (!isContrastFunction(e.value)) unsupported();
    return { kind: "function", name: e.value as ContrastFunction };
  }
  // `contrasts(x) <- contr.sum`: R calls the function with the number of levels.
  if (e.kind === "Name" && isContrastFunction(e.name)) return { kind: "matrix", matrix: contrastFunction(e.name, countLevels(n)) };
  if (e.kind !== "Call" || e.fn.kind !== "Name") return unsupported();
  const fn = e.fn.name;
  if (isContrastFunction(fn)) {
    let count: number | undefined;
    let base = 1;
    e.args.forEach((a, i) => {
      const key = a.name ?? (i === 0 ? "n" : i === 1 && fn === "contr.treatment" ? "base" : "");
      const value = numberValue(a.value);
      if (key === "n" && value !== undefined && Number.isInteger(value) && value >= 2) count = value;
      else if (key === "base" && fn === "contr.treatment" && value !== undefined && Number.isInteger(value)) base = value;
      else fail("Semantic error", a.span, `${fn}() argument '${a.name ?? deparseR(a.value)}' is not supported.`, [`stan2ts computes ${fn}(k${fn === "contr.treatment" ? ", base = b" : ""}) for a number of levels k.`]);
    });
    if (count === undefined) fail("Semantic error", e.span, `${fn}() needs the number of levels, as in ${fn}(${n}).`);
    if (base < 1 || base > count) fail("Semantic error", e.span, `baseline group number out of range: base = ${base} for ${count} levels`);
    return { kind: "matrix", matrix: contrastFunction(fn, countLevels(count), base) };
  }
  if (fn === "cbind") {
    const columns = e.args.map((a) => numberVector(a.value) ?? unsupported());
    if (columns.length === 0 || columns.some((c) => c.length === 0)) unsupported();
    const named = e.args.filter((a) => a.name !== undefined).length;
    if (named !== 0 && named !== e.args.length) fail("Semantic error", e.span, "Name every column of the contrast matrix, or none.");
    const rows = Math.max(...columns.map((c) => c.length));
    if (columns.some((c) => rows % c.length !== 0)) fail("Semantic error", e.span, "The columns of cbind() must have the same length.");
    return { kind: "matrix", matrix: { rows: Array.from({ length: rows }, (_, r) => columns.map((c) => c[r % c.length])), colnames: named ? e.args.map((a) => a.name!) : undefined } };
  }
  if (fn === "matrix") {
    let data: number[] | undefined;
    let nrow: number | undefined;
    let ncol: number | undefined;
    let byrow = false;
    e.args.forEach((a, i) => {
      const key = a.name ?? ["data", "nrow", "ncol", "byrow"][i];
      if (key === "data") data = numberVector(a.value) ?? unsupported();
      else if (key === "nrow" || key === "ncol") {
        const value = numberValue(a.value);
        if (value === undefined || !Number.isInteger(value) || value < 1) fail("Semantic error", a.value.span, `${key} = must be a positive whole number.`);
        if (key === "nrow") nrow = value;
        else ncol = value;
      } else if (key === "byrow" && a.value.kind === "Bool") byrow = a.value.value;
      else fail("Semantic error", a.span, `matrix() argument '${a.name ?? deparseR(a.value)}' is not supported (data, nrow, ncol and byrow are).`);
    });
    if (!data || data.length === 0) fail("Semantic error", e.span, "matrix() needs its values, as in matrix(c(...), nrow = 3).");
    const values = data;
    const rows = nrow ?? (ncol !== undefined ? Math.ceil(values.length / ncol) : values.length);
    const cols = ncol ?? Math.ceil(values.length / rows);
    if ((rows * cols) % values.length !== 0 && values.length % rows !== 0) fail("Semantic error", e.span, `data length [${values.length}] is not a sub-multiple or multiple of the number of rows [${rows}]`);
    const at = (r: number, c: number) => values[(byrow ? r * cols + c : c * rows + r) % values.length];
    return { kind: "matrix", matrix: { rows: Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => at(r, c))) } };
  }
  return unsupported();
}

function numberValue(e: RExpr): number | undefined {
  if (e.kind === "Num") return e.value;
  if (e.kind === "Unary" && (e.op === "-" || e.op === "+")) {
    const inner = numberValue(e.operand);
    return inner === undefined ? undefined : e.op === "-" ? -inner : inner;
  }
  if (e.kind === "Paren") return numberValue(e.inner);
  return undefined;
}

/** `c(1, -1, 0)`, `1:3` or one number. */
function numberVector(e: RExpr): number[] | undefined {
  const single = numberValue(e);
  if (single !== undefined) return [single];
  if (e.kind === "Call" && e.fn.kind === "Name" && e.fn.name === "c") {
    const parts = e.args.map((a) => (a.name === undefined ? numberVector(a.value) : undefined));
    return parts.every((p) => p !== undefined) ? (parts as number[][]).flat() : undefined;
  }
  if (e.kind === "Binary" && e.op === ":") {
    const from = numberValue(e.left);
    const to = numberValue(e.right);
    if (from === undefined || to === undefined) return undefined;
    const step = from <= to ? 1 : -1;
    return Array.from({ length: Math.floor(Math.abs(to - from)) + 1 }, (_, i) => from + i * step);
  }
  return undefined;
}

const UNARY_FUNCTIONS: Record<string, (x: number) => number> = {
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

function evalColumnExpr(e: RExpr, frame: DataFrame): Vec {
  const recur = (x: RExpr): Vec => evalColumnExpr(x, frame);
  switch (e.kind) {
    case "Num":
      return e.value;
    case "Paren":
      return recur(e.inner);
    case "Name":
    case "Member": {
      const column = columnOf(frame, e);
      if (column.kind !== "numeric") fail("Semantic error", e.span, `Column '${e.kind === "Name" ? e.name : e.member}' is not numeric, so it cannot be used in arithmetic.`);
      return column.values;
    }
    case "Unary":
      if (e.op === "-") return map1(recur(e.operand), (x) => -x);
      if (e.op === "+") return recur(e.operand);
      break;
    case "Binary": {
      const op = R_ARITHMETIC[e.op];
      if (op) return map2(recur(e.left), recur(e.right), op);
      break;
    }
    case "Call": {
      const name = e.fn.kind === "Name" ? e.fn.name : "";
      const args = e.args.filter((a) => a.name === undefined);
      if (args.length !== 1 || e.args.length !== 1) break;
      // An unknown function is reported as such, before its argument is read.
      if (!UNARY_FUNCTIONS[name] && !["max", "min", "mean", "sd"].includes(name)) break;
      const x = recur(args[0].value);
      if (UNARY_FUNCTIONS[name]) return map1(x, UNARY_FUNCTIONS[name]);
      const values = typeof x === "number" ? Float64Array.of(x) : x;
      // R without na.rm: any NA makes the summary NA.
      switch (name) {
        case "max":
          return values.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.max(m, v)), -Infinity);
        case "min":
          return values.reduce((m, v) => (Number.isNaN(m) || Number.isNaN(v) ? NaN : Math.min(m, v)), Infinity);
        case "mean":
          return values.reduce((s, v) => s + v, 0) / values.length;
        case "sd": {
          const mean = values.reduce((s, v) => s + v, 0) / values.length;
          return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
        }
      }
      break;
    }
  }
  return fail("Semantic error", e.span, `'${deparseR(e)}' is not supported in mutate() or d$x <- ….`, [
    "A new column may use column names (d$x), numbers, + - * / ^, parentheses and max, min, mean, sd, log, exp, sqrt, abs; factor(), ordered(), as.factor() and relevel() make factors.",
  ]);
}

/** f of each value (of the one number). */
export function map1(x: Vec, f: (v: number) => number): Vec {
  return typeof x === "number" ? f(x) : x.map(f);
}

/** f of the values pairwise, a number paired with every value. */
export function map2(a: Vec, b: Vec, f: (x: number, y: number) => number): Vec {
  if (typeof a === "number" && typeof b === "number") return f(a, b);
  if (typeof a === "number") return (b as Float64Array).map((y) => f(a, y));
  if (typeof b === "number") return a.map((x) => f(x, b));
  return a.map((x, i) => f(x, b[i]));
}

export function columnHint(frame: DataFrame): string[] {
  return [`The data have the columns: ${[...frame.columns.keys()].join(", ")}.`];
}
