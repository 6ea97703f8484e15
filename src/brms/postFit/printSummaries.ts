/**
 * The summaries of summaries.ts printed as R prints the objects brms returns: a numeric matrix
 * (each column formatted on its own to 7 significant digits), a 3-d array slice by slice
 * (`, , day01`), a named list (`$record_id`), and brms's own print of a hypothesis test.
 */
import { formatRNumbers } from "../../views/formatRNumbers";
import { rAsCharacter, rRound } from "../rArithmetic";

/** R's print width: a matrix wider than this prints in blocks of columns, one under the other. */
const R_PRINT_WIDTH = 80;

/**
 * A numeric matrix as R's `print` lays it out: row names left-justified, columns right-justified
 * one space apart, and columns that would pass 80 characters moved to a further block below.
 */
export function layoutRMatrix(rowNames: readonly string[], headers: readonly string[], columns: readonly (readonly string[])[]): string {
  const labelWidth = Math.max(0, ...rowNames.map((r) => r.length));
  const widths = headers.map((h, j) => 1 + Math.max(h.length, ...columns[j].map((c) => c.length)));
  let out = "";
  let first = 0;
  while (first < headers.length) {
    let last = first;
    let width = labelWidth;
    do {
      width += widths[last];
      last++;
    } while (last < headers.length && width + widths[last] < R_PRINT_WIDTH);
    const picked = headers.slice(first, last).map((_, k) => first + k);
    out += " ".repeat(labelWidth) + picked.map((j) => headers[j].padStart(widths[j])).join("") + "\n";
    rowNames.forEach((name, i) => {
      out += name.padEnd(labelWidth) + picked.map((j) => columns[j][i].padStart(widths[j])).join("") + "\n";
    });
    first = last;
  }
  return out;
}
import { type HypothesisResult, type SummaryArray, type SummaryMatrix, type SummaryRow, type VarCorrGroup } from "./summaries";

function columnsOf(headers: readonly string[], values: readonly SummaryRow[]): string[][] {
  return headers.map((_, j) => formatRNumbers(values.map((row) => row[j])));
}

/** `print(<matrix>)` of a summary matrix. */
export function printSummaryMatrix(m: SummaryMatrix): string {
  return layoutRMatrix(m.rows, m.columns, columnsOf(m.columns, m.values));
}

/** `print(<3-d array>)`: each slice under `, , <name>` and followed by a blank line. */
export function printSummaryArray(a: SummaryArray): string {
  return a.slices.map((slice) => `, , ${slice.name}\n\n${layoutRMatrix(a.rows, a.columns, columnsOf(a.columns, slice.values))}\n`).join("");
}

/** `print(<named list of 3-d arrays>)`, as ranef() and coef() return. */
export function printArrayList(list: ReadonlyMap<string, SummaryArray>): string {
  return [...list].map(([name, array]) => `$${name}\n${printSummaryArray(array)}\n`).join("");
}

/** `print(VarCorr(fit))`: a list of lists (`$record_id$sd`, `$record_id$cor`, …). */
export function printVarCorr(groups: ReadonlyMap<string, VarCorrGroup>): string {
  let out = "";
  for (const [name, g] of groups) {
    out += `$${name}\n$${name}$sd\n${printSummaryMatrix(g.sd)}\n`;
    if (g.cor) out += `$${name}$cor\n${printSummaryArray(g.cor)}\n`;
    if (g.cov) out += `$${name}$cov\n${printSummaryArray(g.cov)}\n`;
    out += "\n";
  }
  return out;
}

/** `round(x, 2)` as brms's print applies it before formatting (R's rounding, exact ties to even). */
const round2 = (x: number): number => rRound(x, 2);

/**
 * `print(hypothesis(fit, "…", alpha))` with brms's print defaults (digits = 2, chars = 20); `groups`:
 * the level of each row under scope = "ranef"/"coef" (brms's Group column).
 */
export function printHypotheses(results: readonly HypothesisResult[], alpha = 0.05, classLabel = "b", groups?: readonly string[]): string {
  const text = (x: number) => (Number.isNaN(x) ? null : x);
  const numeric = (pick: (r: HypothesisResult) => number) => formatRNumbers(results.map((r) => text(round2(pick(r)))));
  const names = results.map((r) => limitChars(r.hypothesis, 20));
  const headers = [...(groups ? ["Group"] : []), "Hypothesis", "Estimate", "Est.Error", "CI.Lower", "CI.Upper", "Evid.Ratio", "Post.Prob", "Star"];
  const columns = [
    ...(groups ? [groups] : []),
    names,
    numeric((r) => r.estimate),
    numeric((r) => r.estError),
    numeric((r) => r.ciLower),
    numeric((r) => r.ciUpper),
    numeric((r) => r.evidRatio),
    numeric((r) => r.postProb),
    results.map((r) => (r.star ? "*" : "")),
  ];
  // the one-sided interval is 1 − 2 alpha, the two-sided 1 − alpha, printed as R prints the percentages
  const oneSided = rAsCharacter((1 - 2 * alpha) * 100);
  const twoSided = rAsCharacter((1 - alpha) * 100);
  return (
    `Hypothesis Tests for class ${classLabel}:\n` +
    // a data frame wider than 80 characters prints in column blocks, as a matrix does
    layoutRMatrix(results.map((_, i) => String(i + 1)), headers, columns) +
    `---\n'CI': ${oneSided}%-CI for one-sided and ${twoSided}%-CI for two-sided hypotheses.\n` +
    `'*': For one-sided hypotheses, the posterior probability exceeds ${twoSided}%;\n` +
    `for two-sided hypotheses, the value tested against lies outside the ${twoSided}%-CI.\n` +
    "Posterior probabilities of point hypotheses assume equal prior probabilities.\n"
  );
}

/** brms's `limit_chars`: long hypotheses keep their first chars − 3 characters, "...", and the last 4. */
function limitChars(x: string, chars: number): string {
  const cut = x.length - 4;
  const suffix = x.slice(cut);
  const head = x.slice(0, cut);
  return (cut <= chars ? head : `${head.slice(0, chars - 3)}...`) + suffix;
}
