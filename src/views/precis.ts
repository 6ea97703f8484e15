/**
 * `rethinking::precis(d)` for a data frame: per column the mean, sd, 5.5% and 94.5% quantiles
 * (R's type 7) and a histospark, printed as R prints that data frame; plus the group counts the
 * lecture reports (`count(record_id)` → median/min/max rows per group).
 */
import type { Column, DataFrame } from "../brms/dataFrame";
import { UserError } from "../brms/dataFrame";
import { quantile7Sorted } from "../runtime/diagnostics/index";
import { histospark } from "./histospark";
import { formatRNumbers, layoutRTable, type RNumber } from "./formatRNumbers";
import { rAsCharacter } from "../brms/rArithmetic";

/** precis's default interval mass for data frames. */
export const PRECIS_PROB = 0.89;

export interface PrecisRow {
  readonly name: string;
  /** `NaN` for a column with no numbers (R: mean of nothing). */
  readonly mean: number;
  /** `null` (NA) with fewer than two numbers. */
  readonly sd: RNumber;
  readonly lower: RNumber;
  readonly upper: RNumber;
  readonly histogram: string;
}

export interface PrecisTable {
  /** Quantile levels with R's arithmetic: (1 - prob) / 2 and 1 - that. */
  readonly probs: readonly [number, number];
  readonly rows: readonly PrecisRow[];
}

export function precis(frame: DataFrame, prob = PRECIS_PROB): PrecisTable {
  const plo = (1 - prob) / 2;
  const phi = 1 - plo;
  const rows: PrecisRow[] = [];
  for (const [name, column] of frame.columns) {
    // precis turns text columns into all-NA numbers, so they get NaN/NA and a blank histogram.
    const values = column.kind === "numeric" ? withoutMissing(column.values) : new Float64Array(0);
    rows.push(summarizeColumn(name, values, plo, phi));
  }
  return { probs: [plo, phi], rows };
}

/** Drops missing cells (NaN) like `na.rm = TRUE`. */
function withoutMissing(values: Float64Array): Float64Array {
  return values.filter((v) => !Number.isNaN(v));
}

function summarizeColumn(name: string, values: Float64Array, plo: number, phi: number): PrecisRow {
  const n = values.length;
  const mean = rMean(values);
  const sd = n < 2 ? null : Math.sqrt(sumSquaredDeviations(values, mean) / (n - 1));
  const sorted = Float64Array.from(values).sort();
  const lower = n === 0 ? null : quantile7Sorted(sorted, n, plo);
  const upper = n === 0 ? null : quantile7Sorted(sorted, n, phi);
  return { name, mean, sd, lower, upper, histogram: histospark(values) };
}

/** R's mean: the sum divided by n, then corrected by the mean residual (R does this in long double). */
function rMean(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  const first = sum / n;
  if (!Number.isFinite(first)) return first;
  let residual = 0;
  for (const v of values) residual += v - first;
  return first + residual / n;
}

function sumSquaredDeviations(values: Float64Array, mean: number): number {
  let total = 0;
  for (const v of values) total += (v - mean) * (v - mean);
  return total;
}

/** The table exactly as the lecture's `rethinking::precis(d)` prints it. */
export function formatPrecis(table: PrecisTable): string {
  const { rows, probs } = table;
  const headers = ["mean", "sd", `${rAsCharacter(probs[0] * 100)}%`, `${rAsCharacter(probs[1] * 100)}%`, "histogram"];
  const columns = [
    formatRNumbers(rows.map((r) => r.mean)),
    formatRNumbers(rows.map((r) => r.sd)),
    formatRNumbers(rows.map((r) => r.lower)),
    formatRNumbers(rows.map((r) => r.upper)),
    rows.map((r) => r.histogram),
  ];
  return layoutRTable(
    rows.map((r) => r.name),
    headers,
    columns,
  );
}

export interface GroupSizes {
  readonly column: string;
  readonly groups: number;
  /** Rows per group, in order of first appearance. */
  readonly sizes: ReadonlyMap<string, number>;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Distinct groups of `column` and how many rows each has (missing cells form no group). */
export function groupSizes(frame: DataFrame, column: string): GroupSizes {
  const values = frame.columns.get(column);
  if (!values) {
    throw new UserError(`The data in '${frame.source}' have no column '${column}'. Columns: ${[...frame.columns.keys()].join(", ")}.`);
  }
  const sizes = new Map<string, number>();
  for (const key of groupKeys(values)) if (key !== null) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  if (sizes.size === 0) throw new UserError(`Column '${column}' in '${frame.source}' has no values to group by.`);
  const counts = [...sizes.values()].sort((a, b) => a - b);
  const mid = counts.length >> 1;
  const median = counts.length % 2 === 1 ? counts[mid] : (counts[mid - 1] + counts[mid]) / 2;
  return { column, groups: sizes.size, sizes, median, min: counts[0], max: counts[counts.length - 1] };
}

/** Each row's group label as text (numbers as R prints them), `null` when missing. */
export function groupKeys(column: Column): (string | null)[] {
  if (column.kind === "character") return [...column.values];
  return Array.from(column.values, (v) => (Number.isNaN(v) ? null : rAsCharacter(v)));
}

export function formatGroupSizes(sizes: GroupSizes): string {
  return [
    `${sizes.column}: ${sizes.groups} groups`,
    `rows per group: median ${rAsCharacter(sizes.median)}, min ${sizes.min}, max ${sizes.max}`,
  ].join("\n") + "\n";
}
