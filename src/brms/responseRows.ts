/**
 * The rows each response of a multivariate model is observed on. Without subset() that is every
 * kept row; `y | subset(s) ~ …` keeps the rows where s is TRUE (brms's subset_data: `as.logical`,
 * so a number counts as TRUE unless it is 0). Everything of that response — its N, Y, design
 * matrices, group indices, addition data and data-based default priors — then reads those rows,
 * while grouping levels stay those of all kept rows (brms's tidy_ranef reads the whole data).
 * A missing value drops a row only where a response that reads the variable is observed there
 * (make_standata keeps a row whose only NA is in a response that row is no subset of).
 */
import { fail } from "../common/diagnostics";
import type { AdditionTerms } from "./additions";
import type { DataFrame } from "./dataFrame";

export interface ResponseRows {
  /** Data-frame row indices of the response's observations, in data order. */
  readonly rows: Int32Array;
  /** Each observation's position among the model's kept rows; undefined when they are all of them. */
  readonly positions?: Int32Array;
}

/** R's as.logical() of a text cell. */
const LOGICAL_WORDS: ReadonlyMap<string, boolean> = new Map([
  ["TRUE", true],
  ["true", true],
  ["True", true],
  ["T", true],
  ["FALSE", false],
  ["false", false],
  ["False", false],
  ["F", false],
]);

/**
 * subset()'s indicator for every row of the data frame (1 where the row belongs to the response);
 * brms's subset_data reads it with as.logical() and refuses missing values.
 */
export function subsetMask(subset: NonNullable<AdditionTerms["subset"]>, frame: DataFrame): Uint8Array {
  const column = frame.columns.get(subset.name);
  if (!column) throw new Error(`internal: the subset() column ${subset.name} was not checked`);
  const mask = new Uint8Array(frame.nrow);
  for (let row = 0; row < frame.nrow; row++) {
    const raw = column.values[row];
    const missing = column.kind === "numeric" ? Number.isNaN(raw as number) : raw === null;
    if (missing) {
      fail("Data error", subset.span, `Subset variables may not contain NAs, but row ${row + 1} of '${subset.name}' is missing.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
      ]);
    }
    const value = column.kind === "numeric" ? (raw as number) !== 0 : LOGICAL_WORDS.get(String(raw).trim());
    if (value === undefined) {
      fail("Data error", subset.span, `subset() needs TRUE/FALSE (or 1/0) values, but row ${row + 1} of '${subset.name}' holds '${raw}'.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
      ]);
    }
    mask[row] = value ? 1 : 0;
  }
  return mask;
}

/** The rows of one response: the kept rows, narrowed by its subset() term if it has one. */
export function responseRows(additions: AdditionTerms, frame: DataFrame, keptRows: Int32Array): ResponseRows {
  const subset = additions.subset;
  if (!subset) return { rows: keptRows };
  const mask = subsetMask(subset, frame);
  const positions: number[] = [];
  keptRows.forEach((row, position) => {
    if (mask[row] === 1) positions.push(position);
  });
  if (positions.length === 0) {
    fail("Data error", subset.termSpan, `All rows of the data were removed via subset(${subset.name}).`, [
      "Each subset variable must be TRUE for at least one observation (rows with a missing value in a variable a response uses are dropped first).",
    ]);
  }
  const kept = Int32Array.from(positions);
  return { rows: Int32Array.from(kept, (p) => keptRows[p]), positions: kept };
}

/** Picks a response's observations out of values given per kept row. */
export function atResponseRows<T extends Float64Array | Int32Array>(values: T, rows: ResponseRows): T {
  if (!rows.positions) return values;
  const out = new (values.constructor as { new (n: number): T })(rows.positions.length);
  rows.positions.forEach((p, i) => (out[i] = values[p]));
  return out;
}
