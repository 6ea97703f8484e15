/**
 * JSON export of a fit: for every output column its draws per chain and its summary. Numbers use
 * JavaScript's shortest round-trip form; NaN and ±Inf, which JSON cannot hold, are written as the
 * strings "NaN", "Inf" and "-Inf" (the convention of Stan's JSON data format).
 */
import { summarizeVariable, type VariableSummary } from "../diagnostics/convergence";
import type { SamplerDiagnostics } from "../diagnostics/samplerDiagnostics";
import { bracketName } from "./formatStanSummary";

export interface FitJsonInput {
  modelName: string;
  /** CmdStan column names (`b.1`), sampler columns included. */
  columnNames: readonly string[];
  /** `perColumn[col][chain]`: the post-warmup draws of one column in one chain. */
  perColumn: readonly (readonly ArrayLike<number>[])[];
  /** The name shown per column (brms's `b_day01`); Stan's `b[1]` when omitted. */
  names?: readonly string[];
  /** One per column; computed with `summarizeVariable` when omitted. */
  summaries?: readonly VariableSummary[];
  /** Run settings to record (seed, warmup, …). */
  config?: Record<string, string | number | boolean>;
  sampler?: SamplerDiagnostics;
}

function jsonNumber(x: number): string {
  if (Number.isFinite(x)) return JSON.stringify(x);
  return x !== x ? '"NaN"' : x > 0 ? '"Inf"' : '"-Inf"';
}

function jsonNumbers(values: ArrayLike<number>): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = jsonNumber(values[i]);
  return "[" + parts.join(",") + "]";
}

function summaryJson(s: VariableSummary): string {
  const fields: [string, number][] = [
    ["mean", s.mean],
    ["median", s.median],
    ["sd", s.sd],
    ["mad", s.mad],
    ["mcse_mean", s.mcseMean],
    ["mcse_sd", s.mcseSd],
    ["q5", s.q5],
    ["q50", s.q50],
    ["q95", s.q95],
    ["ess_bulk", s.essBulk],
    ["ess_tail", s.essTail],
    ["rhat", s.rhat],
  ];
  const quantiles = s.probs
    .map((p, k) => `${JSON.stringify(String(p))}:${jsonNumber(s.quantiles[k])}`)
    .join(",");
  return (
    "{" +
    fields.map(([k, v]) => `${JSON.stringify(k)}:${jsonNumber(v)}`).join(",") +
    (s.probs.length > 0 ? `,"quantiles":{${quantiles}}` : "") +
    "}"
  );
}

/** The fit as one JSON document (see the module comment for the layout). */
export function fitToJson(input: FitJsonInput): string {
  const { columnNames, perColumn } = input;
  if (perColumn.length !== columnNames.length) {
    throw new Error(
      `fitToJson: ${columnNames.length} column names but draws for ${perColumn.length} columns`,
    );
  }
  const chains = perColumn.length > 0 ? perColumn[0].length : 0;
  const drawsPerChain = chains > 0 ? perColumn[0][0].length : 0;
  const parts: string[] = [];
  parts.push(`"model":${JSON.stringify(input.modelName)}`);
  parts.push(`"chains":${chains}`);
  parts.push(`"draws_per_chain":${drawsPerChain}`);
  if (input.config) parts.push(`"config":${JSON.stringify(input.config)}`);
  if (input.sampler) {
    const s = input.sampler;
    parts.push(
      `"sampler_diagnostics":{"divergences":${s.divergences},"treedepth_hits":${s.treedepthHits},` +
        `"transitions":${s.transitions},"ebfmi":${jsonNumbers(s.ebfmi)},"warnings":${JSON.stringify(s.warnings)}}`,
    );
  }
  const variables = columnNames.map((column, col) => {
    const name = input.names?.[col] ?? bracketName(column);
    const summary = input.summaries
      ? input.summaries[col]
      : summarizeVariable(name, perColumn[col]);
    const draws = "[" + perColumn[col].map(jsonNumbers).join(",") + "]";
    return `${JSON.stringify(name)}:{"column":${JSON.stringify(column)},"draws":${draws},"summary":${summaryJson(summary)}}`;
  });
  parts.push(`"variables":{${variables.join(",")}}`);
  return "{" + parts.join(",") + "}\n";
}
