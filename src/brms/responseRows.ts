/**
 * The rows each response of a multivariate model is observed on. Without subset() that is every
 * kept row; `y | subset(s) ~ …` keeps the rows where s is TRUE (brms's subset_data: `as.logical`,
 * so a number counts as TRUE unless it is 0). Everything of that response — its N, Y, design
 * matrices, group indices, addition data and data-based default priors — then reads those rows,
 * while grouping levels stay those of all kept rows (brms's tidy_ranef reads the whole data).
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

/** The rows of one response: the kept rows, narrowed by its subset() term if it has one. */
export function responseRows(additions: AdditionTerms, frame: DataFrame, keptRows: Int32Array): ResponseRows {
  const subset = additions.subset;
  if (!subset) return { rows: keptRows };
  const column = frame.columns.get(subset.name);
  if (!column) throw new Error(`internal: the subset() column ${subset.name} was not checked`);
  const positions: number[] = [];
  keptRows.forEach((row, position) => {
    const raw = column.values[row];
    const value = column.kind === "numeric" ? (raw as number) !== 0 : LOGICAL_WORDS.get(String(raw).trim());
    if (value === undefined) {
      fail("Data error", subset.span, `subset() needs TRUE/FALSE (or 1/0) values, but row ${row + 1} of '${subset.name}' holds '${raw}'.`, [
        `(data row ${row + 1} is line ${row + 2} of ${frame.source})`,
      ]);
    }
    if (value) positions.push(position);
  });
  if (positions.length === 0) {
    fail("Data error", subset.termSpan, `All rows of the data were removed via subset(${subset.name}).`, [
      "Each subset variable must be TRUE for at least one observation (rows with a missing value in any used variable are dropped first).",
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
