/**
 * `stan2ts report`: one self-contained HTML page for a finished run. Every plot is rendered to SVG
 * here and inlined, so the page needs no script library, no network and no build step to view.
 */
import { summarizeVariable, type VariableSummary } from "../runtime/diagnostics/index";
import { bracketName, displayOrder, formatEss, formatRhat, formatSummaryValue } from "../runtime/io/index";
import { parseGroupLevelName, type GroupLevelName } from "./brmsNames";
import { SAMPLER_COLUMNS, type FitDraws } from "./fitDir";
import { forestSpec, parameterPanelSpec, rankedEstimatesSpec, type IntervalRow } from "./posteriorPlots";
import { renderVegaLiteSvg } from "./renderVegaLite";

export interface ReportOptions {
  /** Parameters that get trace/rank/density panels (default 30). */
  readonly maxPlottedParameters?: number;
  /** Rows of the summary table (default 500). */
  readonly maxTableRows?: number;
}

/** One variable as the report shows it: display name and the CSV column holding its draws. */
interface ReportVariable {
  readonly label: string;
  readonly column: string;
}

export async function buildPosteriorReport(fit: FitDraws, options: ReportOptions = {}): Promise<string> {
  const maxPlotted = options.maxPlottedParameters ?? 30;
  const maxRows = options.maxTableRows ?? 500;
  const variables = reportVariables(fit);
  const groupLevel = variables.filter((v) => isGroupLevel(fit, v));
  const population = variables.filter((v) => !isGroupLevel(fit, v));
  const summaries = new Map<string, VariableSummary>();
  const summary = (v: ReportVariable): VariableSummary => {
    let s = summaries.get(v.column);
    if (!s) {
      s = summarizeVariable(v.label, fit.draws.get(v.column)!);
      summaries.set(v.column, s);
    }
    return s;
  };

  const divergent = fit.draws.get("divergent__");
  const treedepth = fit.draws.get("treedepth__");
  const divergentCount = countWhere(divergent, (x) => x === 1);
  const treedepthHits = countWhere(treedepth, (x) => x >= fit.maxTreedepth);

  const parts: string[] = [];
  const title = fit.brms?.formula ? `Posterior report: ${fit.brms.formula}` : `Posterior report: ${fit.modelName}`;
  parts.push(`<h1>${escapeHtml(title)}</h1>`);
  parts.push(
    `<p class="meta">${escapeHtml(
      `${fit.chainCount} chains × ${fit.drawsPerChain} draws` +
        (Number.isFinite(fit.warmupDraws) ? ` after ${fit.warmupDraws} warmup` : "") +
        ` · from ${fit.dir} (${fit.files.join(", ")})`,
    )}</p>`,
  );
  parts.push(
    `<p class="${divergentCount > 0 ? "warning" : "ok"}" id="sampler-checks">${escapeHtml(
      `${divergentCount} divergent transition${divergentCount === 1 ? "" : "s"}; ` +
        `${treedepthHits} transition${treedepthHits === 1 ? "" : "s"} hit the maximum tree depth (${fit.maxTreedepth}).`,
    )}</p>`,
  );

  // Summary table
  const tableVariables = population.slice(0, maxRows);
  parts.push(`<section id="summary"><h2>Summary</h2>`);
  parts.push(summaryTable(tableVariables.map(summary)));
  const notes: string[] = [];
  if (population.length > maxRows) notes.push(`The table shows the first ${maxRows} of ${population.length} variables.`);
  if (groupLevel.length > 0) notes.push(`${groupLevel.length} group-level variables (r_…) are summarised under “Per-group estimates”.`);
  for (const note of notes) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
  parts.push(`</section>`);

  // Per-parameter panels
  const plotted = population.filter((v) => v.column !== "lp__" && v.label !== "lprior").slice(0, maxPlotted);
  parts.push(`<section id="parameters"><h2>Trace, rank and density plots</h2>`);
  const plottable = population.filter((v) => v.column !== "lp__" && v.label !== "lprior").length;
  if (plottable > plotted.length) {
    parts.push(`<p class="note">${escapeHtml(`Showing the first ${plotted.length} of ${plottable} parameters (group-level r_ terms are plotted below).`)}</p>`);
  }
  parts.push(`<p class="note">Trace: one colour per chain; red ticks under the axis mark divergent transitions. Rank plot: how each chain's draws spread over the pooled ranks (flat, overlapping lines mean the chains agree). Density: the posterior with its 90% interval shaded and the mean dashed.</p>`);
  for (const v of plotted) {
    const s = summary(v);
    const svg = await renderVegaLiteSvg(
      parameterPanelSpec({ name: v.label, chains: fit.draws.get(v.column)!, divergent, q5: s.q5, q95: s.q95, mean: s.mean }),
    );
    parts.push(`<div class="parameter" id="${escapeHtml(anchor("param", v.label))}"><h3>${escapeHtml(v.label)}</h3>${figure(svg)}</div>`);
  }
  parts.push(`</section>`);

  // brms: correlations and per-group estimates
  if (fit.brms) {
    const correlations = population.filter((v) => v.label.startsWith("cor_") || v.label.startsWith("rescor__"));
    if (correlations.length > 0) {
      const rows = correlations.map((v) => intervalRow(v.label, summary(v)));
      parts.push(`<section id="correlations"><h2>Correlations</h2>`);
      parts.push(summaryTable(correlations.map(summary)));
      parts.push(figure(await renderVegaLiteSvg(forestSpec(rows, "Correlations: posterior mean and 90% interval"))));
      parts.push(`</section>`);
    }
    const terms = groupLevelTerms(fit, groupLevel);
    if (terms.length > 0) {
      parts.push(`<section id="group-level"><h2>Per-group estimates</h2>`);
      parts.push(
        `<p class="note">Each level's coefficient (fixed effect + its r_ deviation; distributional parameters such as sigma on their natural scale, exp of the log-scale sum), ranked by posterior mean, with 90% intervals.</p>`,
      );
      for (const term of terms) {
        const svg = await renderVegaLiteSvg(rankedEstimatesSpec(term.rows, term.yTitle, term.group));
        parts.push(`<div class="group-term" id="${escapeHtml(anchor("group", term.title))}"><h3>${escapeHtml(term.title)}</h3>${figure(svg)}</div>`);
      }
      parts.push(`</section>`);
    }
  }
  return page(title, parts.join("\n"));
}

/** brms models: the mapped names in brms order; plain Stan: lp__ then every model column. One vocabulary with the CLI table and `stan2ts summary`. */
function reportVariables(fit: FitDraws): ReportVariable[] {
  if (fit.brms) return fit.brms.names.filter((n) => fit.draws.has(n.stan)).map((n) => ({ label: n.brms, column: n.stan }));
  // Stan's names (`theta[1]`) in stansummary's order: containers row-major.
  const { model } = displayOrder(fit.columnNames);
  const columns = model.map((i) => fit.columnNames[i]).filter((c) => !SAMPLER_COLUMNS.includes(c));
  return [{ label: "lp__", column: "lp__" }, ...columns.map((c) => ({ label: bracketName(c), column: c }))];
}

function isGroupLevel(fit: FitDraws, v: ReportVariable): boolean {
  return fit.brms ? parseGroupLevelName(v.label) !== undefined : /^r_/.test(v.label);
}

export interface GroupTerm {
  readonly title: string;
  readonly yTitle: string;
  readonly group: string;
  readonly rows: IntervalRow[];
}

/** Per-level estimates of every brms group-level term of the run (empty without a brms name map). */
export function groupLevelEstimates(fit: FitDraws): GroupTerm[] {
  return fit.brms ? groupLevelTerms(fit, reportVariables(fit).filter((v) => isGroupLevel(fit, v))) : [];
}

/** Groups r_ variables by (group, prefix, coefficient) and adds the matching fixed effect to each level. */
function groupLevelTerms(fit: FitDraws, groupLevel: readonly ReportVariable[]): GroupTerm[] {
  const byLabel = new Map(fit.brms!.names.map((n) => [n.brms, n.stan]));
  const terms = new Map<string, { key: GroupLevelName; levels: { level: string; column: string }[] }>();
  for (const v of groupLevel) {
    const parsed = parseGroupLevelName(v.label)!;
    const key = `${parsed.group}\u0000${parsed.prefix}\u0000${parsed.coef}`;
    const term = terms.get(key) ?? { key: parsed, levels: [] };
    term.levels.push({ level: parsed.level, column: v.column });
    terms.set(key, term);
  }
  const out: GroupTerm[] = [];
  for (const { key, levels } of terms.values()) {
    const fixedName = key.prefix === "" ? `b_${key.coef}` : `b_${key.prefix}_${key.coef}`;
    const fixedColumn = byLabel.get(fixedName);
    const fixed = fixedColumn === undefined ? undefined : fit.draws.get(fixedColumn);
    // sigma (and sigma_<resp>) is modelled on the log scale: report the person-level sigma itself.
    const logScale = key.prefix === "sigma" || key.prefix.startsWith("sigma_");
    const parameter = key.prefix === "" ? key.coef : `${key.prefix} ${key.coef}`;
    const inner = fixed ? `${fixedName} + r` : "r";
    const yTitle = logScale ? (key.coef === "Intercept" ? key.prefix : `exp(${inner})`) : fixed ? parameter : `r (${parameter})`;
    const title = `${logScale && key.coef === "Intercept" ? key.prefix : parameter} per ${key.group}${fixed ? "" : " (deviation r only)"}`;
    const rows = levels.map(({ level, column }) => {
      const chains = fit.draws.get(column)!;
      const combined = chains.map((draws, c) =>
        draws.map((r, i) => {
          const value = fixed ? r + fixed[c][i] : r;
          return logScale && fixed ? Math.exp(value) : value;
        }),
      );
      const s = summarizeVariable(level, combined);
      return intervalRow(level, s);
    });
    out.push({ title, yTitle, group: key.group, rows });
  }
  return out;
}

function intervalRow(name: string, s: VariableSummary): IntervalRow {
  return { name, mean: s.mean, lower: s.q5, upper: s.q95 };
}

function countWhere(chains: readonly Float64Array[] | undefined, test: (x: number) => boolean): number {
  let n = 0;
  for (const draws of chains ?? []) for (const x of draws) if (test(x)) n++;
  return n;
}

/** The columns of `stan2ts summary` and the CLI table, with their names and number formats. */
const TABLE_COLUMNS: { header: string; value: (s: VariableSummary) => string }[] = [
  { header: "Mean", value: (s) => formatSummaryValue(s.mean) },
  { header: "MCSE", value: (s) => formatSummaryValue(s.mcseMean) },
  { header: "StdDev", value: (s) => formatSummaryValue(s.sd) },
  { header: "MAD", value: (s) => formatSummaryValue(s.mad) },
  { header: "5%", value: (s) => formatSummaryValue(s.q5) },
  { header: "50%", value: (s) => formatSummaryValue(s.q50) },
  { header: "95%", value: (s) => formatSummaryValue(s.q95) },
  { header: "ESS_bulk", value: (s) => formatEss(s.essBulk) },
  { header: "ESS_tail", value: (s) => formatEss(s.essTail) },
  { header: "R_hat", value: (s) => formatRhat(s.rhat) },
];

function summaryTable(rows: readonly VariableSummary[]): string {
  const head = `<tr><th>variable</th>${TABLE_COLUMNS.map((c) => `<th>${escapeHtml(c.header)}</th>`).join("")}</tr>`;
  const body = rows
    .map((s) => {
      const flag = s.rhat > 1.01 || s.essBulk < 400 ? ' class="flag"' : "";
      return `<tr${flag}><td>${escapeHtml(s.name)}</td>${TABLE_COLUMNS.map((c) => `<td>${escapeHtml(c.value(s))}</td>`).join("")}</tr>`;
    })
    .join("\n");
  return `<table class="summary">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figure(svg: string): string {
  return `<figure class="plot">${svg}</figure>`;
}

function anchor(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_.-]+/g, "-")}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 32px; }
h3 { font-size: 14px; margin: 16px 0 4px; font-family: Menlo, Consolas, monospace; }
.meta, .note { color: #555; font-size: 13px; }
.warning { color: #a00; font-weight: bold; } .ok { color: #1c5253; }
table.summary { border-collapse: collapse; font-size: 12px; font-family: Menlo, Consolas, monospace; }
table.summary th, table.summary td { padding: 2px 8px; text-align: right; border-bottom: 1px solid #eee; }
table.summary th:first-child, table.summary td:first-child { text-align: left; }
table.summary tr.flag td { background: #fff3e0; }
figure.plot { margin: 0; overflow-x: auto; }
`;

/** Marks the page once every inline plot has a non-empty box (read by the headless-browser test). */
const RENDER_CHECK = `
window.addEventListener("load", function () {
  var plots = document.querySelectorAll("figure.plot svg");
  var drawn = 0;
  plots.forEach(function (svg) { var box = svg.getBoundingClientRect(); if (box.width > 0 && box.height > 0 && svg.querySelector("path, line, text")) drawn++; });
  document.body.setAttribute("data-plots", String(plots.length));
  document.body.setAttribute("data-plots-rendered", String(drawn));
});
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
<script>${RENDER_CHECK}</script>
</head>
<body>
${body}
</body>
</html>
`;
}
