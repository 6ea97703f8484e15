/** `prior_summary(fit)` (spec §4.6): the full prior table, sorted and printed like R's data frame. */
import { basePrior, type PriorRow } from "./priors";

const COLUMNS = ["prior", "class", "coef", "group", "resp", "dpar", "nlpar", "lb", "ub", "source"] as const;

/** R's default string order in an English locale: case-insensitive first, lower case before upper on ties. */
function collate(a: string, b: string): number {
  return a.localeCompare(b, "en", { sensitivity: "variant" });
}

export function printPriorSummary(rows: readonly PriorRow[]): string {
  const table = rows.map((row) => {
    let prior = row.prior;
    let source: string = row.source;
    if (prior === "") {
      // A coef or group row without its own prior inherits its class's, flat or not; brms marks it "(vectorized)".
      const base = basePrior(rows, row.class, { group: row.group, resp: row.resp, dpar: row.dpar });
      const inherits = row.coef !== "" || row.group !== "";
      if (base !== "" || inherits) source = "(vectorized)";
      prior = base !== "" ? base : "(flat)";
    }
    let lb = row.lb;
    let ub = row.ub;
    if (lb === "" && ub === "") {
      // Inherit the bounds of the class row the element belongs to.
      const parent = rows.find((r) => r.class === row.class && r.coef === "" && r.group === "" && r.resp === row.resp && r.dpar === row.dpar);
      lb = parent?.lb ?? "";
      ub = parent?.ub ?? "";
    }
    return { ...row, prior, lb, ub, source };
  });
  table.sort(
    (a, b) =>
      collate(a.class, b.class) ||
      collate(a.group, b.group) ||
      collate(a.resp, b.resp) ||
      collate(a.dpar, b.dpar) ||
      collate(a.nlpar, b.nlpar) ||
      collate(a.coef, b.coef),
  );
  const cells = table.map((r) => COLUMNS.map((c) => r[c]));
  const widths = COLUMNS.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const lines: string[] = [];
  let start = 0;
  while (start < COLUMNS.length) {
    let end = start;
    let width = 0;
    // R wraps a data frame print before a line would reach the console width (80).
    while (end < COLUMNS.length && (end === start || width + 1 + widths[end] <= 79)) {
      width += 1 + widths[end];
      end++;
    }
    const cols = [...Array(end - start).keys()].map((k) => start + k);
    lines.push(cols.map((j) => ` ${COLUMNS[j].padStart(widths[j])}`).join(""));
    for (const row of cells) lines.push(cols.map((j) => ` ${row[j].padStart(widths[j])}`).join(""));
    start = end;
  }
  return `${lines.join("\n")}\n`;
}
