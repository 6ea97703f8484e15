/**
 * R's printing of a numeric vector (`formatReal` in R's format.c, digits = 7, scipen = 0): one
 * common width, number of decimals and fixed-or-scientific choice for the whole vector, so a
 * column prints the way `print(data.frame)` shows it.
 */

/** A cell as R holds it: a number, `NaN`, or `null` for `NA`. */
export type RNumber = number | null;

export interface RNumberFormat {
  /** Common field width. */
  readonly width: number;
  /** Digits after the decimal point (fixed) or in the mantissa (scientific). */
  readonly decimals: number;
  /** 0 for fixed notation; otherwise the minimum number of exponent digits (1 or 2 in R's terms). */
  readonly exponentDigits: number;
}

const R_PRINT_DIGITS = 7;

interface Scientific {
  readonly negative: boolean;
  /** Decimal exponent of the value rounded to `digits` significant digits. */
  readonly kpower: number;
  /** Significant digits needed (trailing zeros dropped), at most `digits`. */
  readonly nsig: number;
  /** True when rounding to `digits` made the value gain a digit left of the point (9999.99996 → 1e4). */
  readonly roundingWidens: boolean;
}

/** R's `scientific()`: exponent and significant digits of `x` rounded to `digits` digits. */
function scientific(x: number, digits: number): Scientific {
  if (x === 0) return { negative: false, kpower: 0, nsig: 1, roundingWidens: false };
  const negative = x < 0;
  const r = Math.abs(x);
  // toExponential rounds the exact binary value correctly, like R's long-double path in practice.
  const [mantissa, exponent] = r.toExponential(digits - 1).split("e");
  const kpower = Number(exponent);
  const mantissaDigits = mantissa.replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(1, mantissaDigits.length);
  const rgt = Math.min(Math.max(digits - kpower, 0), 22);
  const roundingWidens = kpower > 0 && kpower <= 22 && r < 10 ** kpower - 0.5 / 10 ** rgt;
  return { negative, kpower, nsig, roundingWidens };
}

/** The common format R chooses for printing `values` (R's `formatReal`). */
export function chooseRNumberFormat(values: readonly RNumber[], digits = R_PRINT_DIGITS): RNumberFormat {
  let anyNegative = 0;
  let rgt = Number.MIN_SAFE_INTEGER;
  let mxl = Number.MIN_SAFE_INTEGER;
  let mxsl = Number.MIN_SAFE_INTEGER;
  let mxe = Number.MIN_SAFE_INTEGER;
  let mxns = Number.MIN_SAFE_INTEGER;
  let mne = Number.MAX_SAFE_INTEGER;
  let specialWidth = 0;
  let anyFinite = false;
  for (const x of values) {
    if (x === null || !Number.isFinite(x)) {
      specialWidth = Math.max(specialWidth, specialText(x).length);
      continue;
    }
    anyFinite = true;
    const s = scientific(x, digits);
    const neg = s.negative ? 1 : 0;
    let left = s.kpower + 1;
    if (s.roundingWidens) left--;
    const sleft = neg + (left <= 0 ? 1 : left);
    const right = s.nsig - left;
    if (s.negative) anyNegative = 1;
    rgt = Math.max(rgt, right);
    mxl = Math.max(mxl, left);
    mxsl = Math.max(mxsl, sleft);
    mxns = Math.max(mxns, s.nsig);
    mxe = Math.max(mxe, s.kpower);
    mne = Math.min(mne, s.kpower);
  }
  let width = 0;
  let decimals = 0;
  let exponentDigits = 0;
  if (anyFinite) {
    if (mxl < 0) mxsl = 1 + anyNegative;
    if (rgt < 0) rgt = 0;
    const fixedWidth = mxsl + rgt + (rgt !== 0 ? 1 : 0);
    exponentDigits = mxe >= 100 || mne <= -100 ? 2 : 1;
    decimals = mxns - 1;
    width = anyNegative + (decimals > 0 ? 1 : 0) + decimals + 4 + exponentDigits;
    // R prefers fixed notation unless it is wider than scientific (scipen = 0).
    if (fixedWidth <= width) {
      exponentDigits = 0;
      decimals = rgt;
      width = fixedWidth;
    }
  }
  return { width: Math.max(width, specialWidth), decimals, exponentDigits };
}

function specialText(x: RNumber): string {
  if (x === null) return "NA";
  if (Number.isNaN(x)) return "NaN";
  return x > 0 ? "Inf" : "-Inf";
}

/** One value in a chosen format, right-justified to the common width (R's `encodeReal`). */
export function formatRNumber(x: RNumber, format: RNumberFormat): string {
  let text: string;
  if (x === null || !Number.isFinite(x)) text = specialText(x);
  else if (format.exponentDigits > 0) {
    const [mantissa, exponent] = x.toExponential(format.decimals).split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    // C's %e writes at least two exponent digits; R's wider exponent field only widens the column.
    text = `${mantissa}e${sign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
  } else text = x.toFixed(format.decimals);
  return text.padStart(format.width);
}

/** Formats a whole vector as R prints it: common format, each cell right-justified. */
export function formatRNumbers(values: readonly RNumber[], digits = R_PRINT_DIGITS): string[] {
  const format = chooseRNumberFormat(values, digits);
  return values.map((x) => formatRNumber(x, format));
}

/**
 * A table as R's `print.data.frame` lays it out: row names left-justified, every column
 * right-justified to the wider of its header and cells, one space between columns. With a line
 * width (R's `options(width)`), columns go in blocks as R's printMatrix packs them: a block takes
 * the next column while the line stays narrower than the width, each block with its row names.
 */
export function layoutRTable(rowNames: readonly string[], headers: readonly string[], columns: readonly (readonly string[])[], lineWidth = Infinity): string {
  const nameWidth = Math.max(0, ...rowNames.map(displayWidth));
  const widths = headers.map((h, j) => Math.max(displayWidth(h), ...columns[j].map(displayWidth)));
  const pad = (text: string, width: number) => " ".repeat(Math.max(0, width - displayWidth(text))) + text;
  const lines: string[] = [];
  let first = 0;
  while (first < headers.length) {
    let last = first + 1;
    let used = nameWidth + 1 + widths[first];
    while (last < headers.length && used + 1 + widths[last] < lineWidth) used += 1 + widths[last++];
    const block = headers.slice(first, last).map((_, k) => first + k);
    lines.push(" ".repeat(nameWidth) + block.map((j) => " " + pad(headers[j], widths[j])).join(""));
    rowNames.forEach((name, i) => {
      lines.push(name + " ".repeat(nameWidth - displayWidth(name)) + block.map((j) => " " + pad(columns[j][i], widths[j])).join(""));
    });
    first = last;
  }
  if (headers.length === 0) lines.push(" ".repeat(nameWidth));
  return lines.join("\n") + "\n";
}

/** Terminal columns of a string; every character used here (ASCII, block elements) is one column. */
function displayWidth(text: string): number {
  return [...text].length;
}
