/**
 * `as_draws_df(fit)` written as CSV: one column per variable in `variables(fit)` order (lprior
 * and lp__ included), then `.chain`, `.iteration`, `.draw`, one row per post-warmup draw.
 */
import { rAsCharacter } from "../rArithmetic";

export interface DrawsByChain {
  readonly variables: readonly string[];
  drawsByChain(name: string): readonly Float64Array[];
}

/**
 * `write.csv()` quotes the header and writes numbers as R's `as.character` (15 significant
 * digits); readr's `write_csv()` leaves names unquoted and writes the shortest exact form.
 */
export function formatDrawsCsv(fit: DrawsByChain, writer: "write.csv" | "write_csv" = "write.csv"): string {
  const quote = writer === "write.csv" ? (s: string) => `"${s.replace(/"/g, '""')}"` : (s: string) => s;
  const number = writer === "write.csv" ? rNumber : (x: number) => (Number.isNaN(x) ? "NA" : Number.isFinite(x) ? String(x) : x > 0 ? "Inf" : "-Inf");
  const columns = fit.variables.map((v) => fit.drawsByChain(v));
  const lines = [[...fit.variables, ".chain", ".iteration", ".draw"].map(quote).join(",")];
  const chains = columns.length > 0 ? columns[0].length : 0;
  let draw = 0;
  for (let chain = 0; chain < chains; chain++) {
    const n = columns[0][chain].length;
    for (let i = 0; i < n; i++) {
      draw++;
      const cells = columns.map((c) => number(c[chain][i]));
      cells.push(String(chain + 1), String(i + 1), String(draw));
      lines.push(cells.join(","));
    }
  }
  return lines.join("\n") + "\n";
}

/** C's `%.15g` without trailing zeros, as R's write.csv writes a double. */
function rNumber(x: number): string {
  if (Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const exponent = Number(x.toExponential(14).split("e")[1]);
  if (exponent < -4 || exponent >= 15) {
    const [mantissa, e] = x.toExponential(14).split("e");
    const digits = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
    return `${digits}e${e[0] === "-" ? "-" : "+"}${e.replace(/^[-+]/, "").padStart(2, "0")}`;
  }
  return rAsCharacter(x);
}
