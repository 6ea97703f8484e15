/** Reads a CSV file into the brms data-frame shape (readr's typing rules) with a clear message on failure. */
import { readFileSync } from "node:fs";
import { parseCsv, UserError, type DataFrame } from "../brms/dataFrame";

export function loadDataFrame(path: string): DataFrame {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `No such data file: '${path}'.` : `Could not read '${path}': ${(err as Error).message}`);
  }
  return parseCsv(text, path);
}

/** The named column as numbers, or a message naming the column and the columns that exist. */
export function numericColumn(frame: DataFrame, name: string): Float64Array {
  const column = frame.columns.get(name);
  if (!column) throw new UserError(`The data in '${frame.source}' have no column '${name}'. Columns: ${[...frame.columns.keys()].join(", ")}.`);
  if (column.kind !== "numeric") throw new UserError(`Column '${name}' in '${frame.source}' is not numeric.`);
  return column.values;
}
