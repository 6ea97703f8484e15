/**
 * Reader for CmdStan sampler CSV files (ours or CmdStan's): configuration comments, column names,
 * draws, the adaptation block and the timing footer. Used to re-summarise a finished run and to
 * round-trip the writer.
 */

export interface CmdStanCsv {
  /**
   * Configuration values by argument name, with " (Default)" removed (`num_samples` → "1000").
   * Names that occur under several categories are also stored qualified by their category
   * (`data.file`, `output.file`); the bare name keeps the first occurrence.
   */
  config: Record<string, string>;
  columnNames: string[];
  /** Every draw row in file order (warmup rows first when saved). */
  rows: Float64Array[];
  /** Number of leading rows written before the adaptation block (saved warmup draws). */
  warmupRowCount: number;
  stepSize?: number;
  metricKind?: "unit" | "diag" | "dense";
  /** Inverse metric: the diagonal, or the dense matrix row by row. */
  metric?: number[];
  timing?: { warmupSeconds: number; samplingSeconds: number; totalSeconds: number };
  /** Comment lines (without "# ") that were not recognised as configuration or footer. */
  otherComments: string[];
}

export class CmdStanCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CmdStanCsvError";
  }
}

/** Parses one CSV number as C++ streams write it, including `inf`, `-inf`, `nan`. */
export function parseCsvNumber(text: string): number {
  const value = Number(text);
  if (value === value && text.length > 0) return value;
  switch (text.trim().toLowerCase()) {
    case "inf":
    case "+inf":
    case "infinity":
      return Infinity;
    case "-inf":
    case "-infinity":
      return -Infinity;
    case "nan":
    case "-nan":
    case "+nan":
      return NaN;
  }
  throw new CmdStanCsvError(`not a number: "${text}"`);
}

export function readCmdStanCsv(text: string, fileName = "<csv>"): CmdStanCsv {
  const result: CmdStanCsv = {
    config: {},
    columnNames: [],
    rows: [],
    warmupRowCount: 0,
    otherComments: [],
  };
  const lines = text.split(/\r?\n/);
  // Category stack for qualified names: entries [indent, name].
  const categories: { indent: number; name: string }[] = [];
  let inHeader = true;
  let pendingMetric: "diag" | "dense" | undefined;
  let sawAdaptation = false;

  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo];
    if (line.length === 0) continue;
    if (line.startsWith("#")) {
      const body = line.startsWith("# ") ? line.slice(2) : line.slice(1);
      if (inHeader) {
        readConfigLine(body, categories, result.config, result.otherComments);
        continue;
      }
      const trimmed = body.trim();
      if (pendingMetric !== undefined) {
        if (/^[-+0-9.einfa, ]+$/i.test(trimmed) && trimmed.length > 0 && /[0-9n]/i.test(trimmed)) {
          const values = trimmed.split(",").map((v) => parseCsvNumber(v.trim()));
          result.metric = (result.metric ?? []).concat(values);
          if (pendingMetric === "diag") pendingMetric = undefined;
          continue;
        }
        pendingMetric = undefined;
      }
      if (trimmed === "Adaptation terminated") {
        sawAdaptation = true;
        result.warmupRowCount = result.rows.length;
      } else if (trimmed.startsWith("Step size = ")) {
        result.stepSize = parseCsvNumber(trimmed.slice("Step size = ".length));
      } else if (trimmed === "Diagonal elements of inverse mass matrix:") {
        result.metricKind = "diag";
        pendingMetric = "diag";
      } else if (trimmed === "Elements of inverse mass matrix:") {
        result.metricKind = "dense";
        pendingMetric = "dense";
      } else if (trimmed === "No free parameters for unit metric") {
        result.metricKind = "unit";
      } else if (trimmed.startsWith("Elapsed Time:")) {
        const warmup = parseCsvNumber(
          trimmed.slice("Elapsed Time:".length).replace("seconds (Warm-up)", "").trim(),
        );
        result.timing = { warmupSeconds: warmup, samplingSeconds: NaN, totalSeconds: NaN };
      } else if (trimmed.endsWith("seconds (Sampling)") && result.timing) {
        result.timing.samplingSeconds = parseCsvNumber(
          trimmed.replace("seconds (Sampling)", "").trim(),
        );
      } else if (trimmed.endsWith("seconds (Total)") && result.timing) {
        result.timing.totalSeconds = parseCsvNumber(trimmed.replace("seconds (Total)", "").trim());
      } else if (trimmed.length > 0) {
        result.otherComments.push(trimmed);
      }
      continue;
    }
    if (inHeader) {
      result.columnNames = line.split(",").map((name) => name.trim());
      inHeader = false;
      continue;
    }
    pendingMetric = undefined;
    const fields = line.split(",");
    if (fields.length !== result.columnNames.length) {
      throw new CmdStanCsvError(
        `${fileName}:${lineNo + 1}: row has ${fields.length} values but the header has ${result.columnNames.length} columns`,
      );
    }
    const row = new Float64Array(fields.length);
    for (let i = 0; i < fields.length; i++) {
      try {
        row[i] = parseCsvNumber(fields[i]);
      } catch (error) {
        throw new CmdStanCsvError(
          `${fileName}:${lineNo + 1}: column ${result.columnNames[i]}: ${(error as Error).message}`,
        );
      }
    }
    result.rows.push(row);
  }
  if (inHeader) throw new CmdStanCsvError(`${fileName}: no column header line found`);
  if (!sawAdaptation) result.warmupRowCount = 0;
  return result;
}

function readConfigLine(
  body: string,
  categories: { indent: number; name: string }[],
  config: Record<string, string>,
  otherComments: string[],
): void {
  const indent = body.length - body.trimStart().length;
  const content = body.trim();
  if (content.length === 0) return;
  while (categories.length > 0 && categories[categories.length - 1].indent >= indent)
    categories.pop();
  const match = /^(\S+) =(?: (.*))?$/.exec(content);
  if (match === null) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(content)) categories.push({ indent, name: content });
    else otherComments.push(content);
    return;
  }
  const name = match[1];
  let value = match[2] ?? "";
  if (value.endsWith("(Default)")) value = value.slice(0, -"(Default)".length);
  value = value.trim();
  if (!(name in config)) config[name] = value;
  const parent = categories[categories.length - 1];
  if (parent !== undefined) config[`${parent.name}.${name}`] = value;
  // A valued argument can also head a subtree (`method = sample`, `algorithm = hmc`).
  categories.push({ indent, name });
}
