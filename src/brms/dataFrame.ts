/**
 * Data frames for brms models: CSV text → typed columns (readr's rules: a column is numeric when
 * every non-missing cell parses as a number; `""` and `NA` are missing), and the script's
 * `mutate(x = arithmetic)` steps evaluated column-wise.
 */
import { parse } from "csv-parse/sync";
import { fail } from "../common/diagnostics";
import { deparseR, type RExpr } from "./rAst";
import type { Span } from "../common/span";

/** A `mutate(d, column = expr)` of the script, applied to the data frame before the model sees it. */
export interface Mutation {
  readonly column: string;
  readonly expr: RExpr;
  readonly span: Span;
}

export type Column =
  | { readonly kind: "numeric"; readonly values: Float64Array }
  /** Character cells; `null` is missing. */
  | { readonly kind: "character"; readonly values: readonly (string | null)[] };

export interface DataFrame {
  /** Where the data came from, for messages. */
  readonly source: string;
  readonly nrow: number;
  readonly columns: ReadonlyMap<string, Column>;
}

/** A data problem the user must fix; printed as `Error: …` by the CLI. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

const MISSING = new Set(["", "NA"]);

export function parseCsv(text: string, source: string): DataFrame {
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
    }
    columns.set(
      name,
      numeric ? { kind: "numeric", values: numbers } : { kind: "character", values: cells.map((c) => (MISSING.has(c.trim()) ? null : c)) },
    );
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
    const result = evalColumnExpr(m.expr, current);
    const values = typeof result === "number" ? new Float64Array(current.nrow).fill(result) : result;
    const columns = new Map(current.columns);
    columns.set(m.column, { kind: "numeric", values });
    current = { ...current, columns };
  }
  return current;
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
    case "Name": {
      const column = frame.columns.get(e.name);
      if (!column) fail("Semantic error", e.span, `The data have no column '${e.name}'.`, columnHint(frame));
      if (column.kind !== "numeric") fail("Semantic error", e.span, `Column '${e.name}' is not numeric, so it cannot be used in arithmetic.`);
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
  return fail("Semantic error", e.span, `'${deparseR(e)}' is not supported in mutate().`, [
    "mutate() supports column names, numbers, + - * / ^, parentheses and max, min, mean, sd, log, exp, sqrt, abs.",
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
