/**
 * Vega-Lite specs for the posterior report: per parameter a trace plot (one colour per chain,
 * divergent transitions marked under the axis), a rank plot (per-chain counts of pooled ranks:
 * flat lines when chains mix) and the posterior density with its 90% interval shaded; a forest
 * plot for correlations; and ranked per-group estimates with intervals.
 */
import type { TopLevelSpec } from "./renderVegaLite";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
export const CHAIN_COLOURS = ["#1c5253", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#6d597a", "#b56576", "#355070"];
const DIVERGENT_COLOUR = "#d1001f";
const INTERVAL_COLOUR = "#1c5253";
/** Trace plots keep at most this many points per chain (evenly thinned) to keep the page light. */
const MAX_TRACE_POINTS = 1000;
const RANK_BINS = 20;

export interface ParameterPanelInput {
  readonly name: string;
  /** Post-warmup draws, one array per chain. */
  readonly chains: readonly Float64Array[];
  /** divergent__ per chain (1 = divergent), same shape as `chains`. */
  readonly divergent?: readonly Float64Array[];
  /** 5% and 95% quantiles of the pooled draws (the 90% interval) and the mean. */
  readonly q5: number;
  readonly q95: number;
  readonly mean: number;
}

export function parameterPanelSpec(input: ParameterPanelInput): TopLevelSpec {
  const chainLabels = input.chains.map((_, c) => String(c + 1));
  const colour = { field: "chain", type: "nominal", title: "chain", scale: { domain: chainLabels, range: chainLabels.map((_, c) => CHAIN_COLOURS[c % CHAIN_COLOURS.length]) } };
  const trace: { chain: string; iteration: number; value: number }[] = [];
  const divergences: { iteration: number }[] = [];
  const pooled: { value: number }[] = [];
  input.chains.forEach((draws, c) => {
    const stride = Math.max(1, Math.ceil(draws.length / MAX_TRACE_POINTS));
    for (let i = 0; i < draws.length; i++) {
      if (!Number.isFinite(draws[i])) continue;
      pooled.push({ value: draws[i] });
      if (i % stride === 0) trace.push({ chain: chainLabels[c], iteration: i + 1, value: draws[i] });
      if (input.divergent?.[c][i] === 1) divergences.push({ iteration: i + 1 });
    }
  });
  const height = 130;
  const traceLayers: unknown[] = [
    {
      data: { values: trace },
      mark: { type: "line", strokeWidth: 0.6, opacity: 0.8 },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration" },
        // the panel's heading names the parameter; a long name as a rotated axis title would stretch the row
        y: { field: "value", type: "quantitative", title: "value", scale: { zero: false } },
        color: colour,
      },
    },
  ];
  if (divergences.length > 0) {
    traceLayers.push({
      data: { values: divergences },
      mark: { type: "rule", color: DIVERGENT_COLOUR, strokeWidth: 1 },
      encoding: { x: { field: "iteration", type: "quantitative" }, y: { value: height - 8 }, y2: { value: height } },
    });
  }
  const lo = Math.min(...pooled.map((p) => p.value));
  const hi = Math.max(...pooled.map((p) => p.value));
  const densityTransform = { density: "value", extent: lo < hi ? [lo, hi] : [lo - 0.5, hi + 0.5], steps: 160 };
  return {
    $schema: SCHEMA,
    hconcat: [
      {
        title: { text: divergences.length > 0 ? `trace (${divergences.length} divergent, red)` : "trace", fontSize: 11 },
        width: 300,
        height,
        layer: traceLayers,
      },
      {
        title: { text: "rank plot", fontSize: 11 },
        width: 190,
        height,
        data: { values: rankCounts(input.chains, RANK_BINS, chainLabels) },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 1.2 },
        encoding: {
          x: { field: "bin", type: "quantitative", title: "rank (binned)", scale: { domain: [0, RANK_BINS] } },
          y: { field: "count", type: "quantitative", title: "draws", scale: { zero: true } },
          color: { ...colour, legend: null },
        },
      },
      {
        title: { text: `density, 90% interval [${shortNumber(input.q5)}, ${shortNumber(input.q95)}]`, fontSize: 11 },
        width: 220,
        height,
        data: { values: pooled },
        layer: [
          {
            transform: [densityTransform],
            mark: { type: "area", color: INTERVAL_COLOUR, opacity: 0.2 },
            encoding: { x: { field: "value", type: "quantitative", title: "value" }, y: { field: "density", type: "quantitative", title: "density" } },
          },
          {
            transform: [densityTransform, { filter: { field: "value", range: [input.q5, input.q95] } }],
            mark: { type: "area", color: INTERVAL_COLOUR, opacity: 0.55 },
            encoding: { x: { field: "value", type: "quantitative" }, y: { field: "density", type: "quantitative" } },
          },
          {
            data: { values: [{ mean: input.mean }] },
            mark: { type: "rule", color: "#000", strokeDash: [3, 2] },
            encoding: { x: { field: "mean", type: "quantitative" } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/**
 * Per chain, how many of its draws fall in each of `bins` equal slices of the pooled ranks
 * (average ranks for ties). A final point repeats the last count so the step line spans the axis.
 */
export function rankCounts(chains: readonly Float64Array[], bins: number, labels: readonly string[]): { chain: string; bin: number; count: number }[] {
  const all: { value: number; chain: number }[] = [];
  chains.forEach((draws, c) => draws.forEach((value) => all.push({ value, chain: c })));
  all.sort((a, b) => a.value - b.value);
  const counts = chains.map(() => new Array<number>(bins).fill(0));
  const total = all.length;
  for (let start = 0; start < total; ) {
    let end = start;
    while (end + 1 < total && all[end + 1].value === all[start].value) end++;
    const averageRank = (start + end) / 2; // 0-based
    const bin = Math.min(bins - 1, Math.floor((averageRank / total) * bins));
    for (let k = start; k <= end; k++) counts[all[k].chain][bin]++;
    start = end + 1;
  }
  return counts.flatMap((perBin, c) => [
    ...perBin.map((count, bin) => ({ chain: labels[c], bin, count })),
    { chain: labels[c], bin: bins, count: perBin[bins - 1] },
  ]);
}

export interface IntervalRow {
  readonly name: string;
  readonly mean: number;
  readonly lower: number;
  readonly upper: number;
}

/** Point (mean) and 90% interval per row, rows top to bottom in the given order, with a line at zero. */
export function forestSpec(rows: readonly IntervalRow[], title: string): TopLevelSpec {
  const y = { field: "name", type: "nominal", sort: rows.map((r) => r.name), title: null, axis: { labelLimit: 420 } };
  return {
    $schema: SCHEMA,
    title,
    width: 360,
    height: { step: 18 },
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#999", strokeDash: [3, 2] }, encoding: { x: { field: "zero", type: "quantitative" } } },
      { mark: { type: "rule", color: INTERVAL_COLOUR, strokeWidth: 2 }, encoding: { y, x: { field: "lower", type: "quantitative", title: "estimate (mean, 90% interval)" }, x2: { field: "upper" } } },
      { mark: { type: "point", filled: true, color: "#e07a5f", size: 40 }, encoding: { y, x: { field: "mean", type: "quantitative" } } },
    ],
  } as TopLevelSpec;
}

/**
 * Per-level estimates ranked by their mean: x = rank, a vertical 90% interval and a point per
 * level. The page's heading names the term, so the plot carries no title of its own.
 */
export function rankedEstimatesSpec(rows: readonly IntervalRow[], yTitle: string, levelTitle: string): TopLevelSpec {
  const ranked = [...rows].sort((a, b) => a.mean - b.mean).map((r, i) => ({ ...r, rank: i + 1 }));
  return {
    $schema: SCHEMA,
    width: Math.min(900, Math.max(300, ranked.length * 4)),
    height: 220,
    data: { values: ranked },
    layer: [
      {
        mark: { type: "rule", color: INTERVAL_COLOUR, opacity: 0.6 },
        encoding: { x: { field: "rank", type: "quantitative", title: `${levelTitle} (ranked by posterior mean)`, scale: { domain: [0, ranked.length + 1], nice: false } }, y: { field: "lower", type: "quantitative", title: yTitle, scale: { zero: false } }, y2: { field: "upper" } },
      },
      { mark: { type: "point", filled: true, color: "#e07a5f", size: 12, opacity: 1 }, encoding: { x: { field: "rank", type: "quantitative" }, y: { field: "mean", type: "quantitative" } } },
    ],
  } as TopLevelSpec;
}

function shortNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}
