/**
 * Vega-Lite specs of brms's post-fit plots, laid out as brms draws them with bayesplot:
 * `plot(fit)` (mcmc_combo: per parameter a density and a trace, N parameters a page),
 * `pp_check(fit)` (ppc_dens_overlay, ppc_hist, ppc_stat) and `conditional_effects(fit)`
 * (effect line with its 95% band, or points with intervals for a factor).
 */
import type { TopLevelSpec } from "../../views/renderVegaLite";
import { kernelDensity } from "./kernelDensity";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
/** bayesplot's default "blue" scheme: light for replications, dark for the data. */
const LIGHT_BLUE = "#b3cde0";
const MID_BLUE = "#6497b1";
const DARK_BLUE = "#011f4b";
/** Chain colours from the blue scheme's mid to dark shades (the lightest vanish on white). */
const CHAIN_COLOURS = ["#6497b1", "#005b96", "#03396c", "#011f4b"];
/** Room for the y axis' labels and title, the same in every row so the panels line up. */
const AXIS_EXTENT = 45;
const MAX_TRACE_POINTS = 1000;

export interface ParameterDraws {
  /** brms's name (`b_Intercept`, `sd_record_id__day01`). */
  readonly name: string;
  /** Post-warmup draws per chain. */
  readonly chains: readonly Float64Array[];
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo < hi ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** One page of `plot(fit)`: a row per parameter, its density (chains pooled) left, its trace (coloured by chain) right. */
export function mcmcComboSpec(parameters: readonly ParameterDraws[]): TopLevelSpec {
  const chainLabels = parameters[0].chains.map((_, c) => String(c + 1));
  const colours = chainLabels.map((_, c) => CHAIN_COLOURS[Math.round((c * (CHAIN_COLOURS.length - 1)) / Math.max(1, chainLabels.length - 1))]);
  const rows = parameters.map((p) => {
    const pooled: { value: number }[] = [];
    const trace: { Chain: string; iteration: number; value: number }[] = [];
    p.chains.forEach((draws, c) => {
      const stride = Math.max(1, Math.ceil(draws.length / MAX_TRACE_POINTS));
      draws.forEach((value, i) => {
        pooled.push({ value });
        if (i % stride === 0) trace.push({ Chain: chainLabels[c], iteration: i + 1, value });
      });
    });
    return {
      hconcat: [
        {
          width: 260,
          height: 110,
          data: { values: kernelDensity(pooled.map((d) => d.value)) },
          mark: { type: "area", color: LIGHT_BLUE, stroke: MID_BLUE, strokeWidth: 1 },
          encoding: {
            x: { field: "value", type: "quantitative", title: p.name, scale: { zero: false } },
            y: { field: "density", type: "quantitative", title: null, axis: null },
          },
        },
        {
          width: 320,
          height: 110,
          data: { values: trace },
          mark: { type: "line", strokeWidth: 0.5 },
          encoding: {
            x: { field: "iteration", type: "quantitative", title: null },
            y: { field: "value", type: "quantitative", title: p.name, scale: { zero: false }, axis: { minExtent: AXIS_EXTENT, maxExtent: AXIS_EXTENT } },
            color: { field: "Chain", type: "nominal", scale: { domain: chainLabels, range: colours } },
          },
        },
      ],
    };
  });
  return { $schema: SCHEMA, vconcat: rows, resolve: { scale: { color: "shared" } } } as TopLevelSpec;
}

/** brms's default variables of `plot(fit)`: population effects, group sds and correlations, the family's parameters. */
export function defaultPlotVariables(variables: readonly string[], dpars: readonly string[]): string[] {
  const patterns = [/^b_/, /^bs_/, /^sd_/, /^cor_/, /^sigma_/, /^rescor_/, ...dpars.map((d) => new RegExp(`^${d}$`)), /^delta$/, /^theta/];
  const out: string[] = [];
  for (const pattern of patterns) for (const v of variables) if (pattern.test(v) && !out.includes(v)) out.push(v);
  return out;
}

/** ppc_dens_overlay: the data's kernel density (dark) over each replication's (light). */
export function ppcDensOverlaySpec(y: Float64Array, yrep: readonly Float64Array[]): TopLevelSpec {
  // each series' own density over its own range, as bayesplot's stat_density(trim = FALSE) draws it
  const values: { series: string; kind: string; value: number; density: number }[] = [];
  yrep.forEach((draw, k) => kernelDensity(draw).forEach((p) => values.push({ series: `yrep${k + 1}`, kind: "y_rep", ...p })));
  kernelDensity(y).forEach((p) => values.push({ series: "y", kind: "y", ...p }));
  const colour = { field: "kind", type: "nominal", title: null, scale: { domain: ["y", "y_rep"], range: [DARK_BLUE, LIGHT_BLUE] } };
  return {
    $schema: SCHEMA,
    width: 420,
    height: 280,
    data: { values },
    layer: [
      {
        transform: [{ filter: "datum.kind === 'y_rep'" }],
        mark: { type: "line", strokeWidth: 0.7, opacity: 0.9 },
        encoding: {
          x: { field: "value", type: "quantitative", title: null },
          y: { field: "density", type: "quantitative", title: null, axis: null },
          detail: { field: "series" },
          color: colour,
        },
      },
      {
        transform: [{ filter: "datum.kind === 'y'" }],
        mark: { type: "line", strokeWidth: 2 },
        encoding: { x: { field: "value", type: "quantitative" }, y: { field: "density", type: "quantitative" }, color: colour },
      },
    ],
  } as TopLevelSpec;
}

/** ppc_hist: a histogram of the data and of each replication, one panel each (data first, dark). */
export function ppcHistSpec(y: Float64Array, yrep: readonly Float64Array[]): TopLevelSpec {
  const values: { panel: string; kind: string; value: number }[] = [];
  y.forEach((value) => values.push({ panel: "y", kind: "y", value }));
  yrep.forEach((draw, k) => draw.forEach((value) => values.push({ panel: `yrep ${k + 1}`, kind: "y_rep", value })));
  const [lo, hi] = extent(values.map((v) => v.value));
  return {
    $schema: SCHEMA,
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, sort: ["y", ...yrep.map((_, k) => `yrep ${k + 1}`)] },
    columns: 4,
    spec: {
      width: 150,
      height: 100,
      mark: { type: "bar", stroke: MID_BLUE, strokeWidth: 0.5 },
      encoding: {
        x: { field: "value", type: "quantitative", bin: { maxbins: 30, extent: [lo, hi] }, title: null },
        y: { aggregate: "count", type: "quantitative", title: null, axis: null },
        color: { field: "kind", type: "nominal", title: null, scale: { domain: ["y", "y_rep"], range: [DARK_BLUE, LIGHT_BLUE] } },
      },
    },
  } as TopLevelSpec;
}

/** ppc_stat: the histogram of T(y_rep) over the draws with T(y) as a line. */
export function ppcStatSpec(statName: string, observed: number, replicated: Float64Array): TopLevelSpec {
  const [lo, hi] = extent([...replicated, observed]);
  const legend = { field: "what", type: "nominal", title: `T = ${statName}`, scale: { domain: ["T(y)", "T(y_rep)"], range: [DARK_BLUE, LIGHT_BLUE] } };
  return {
    $schema: SCHEMA,
    width: 420,
    height: 280,
    layer: [
      {
        data: { values: Array.from(replicated, (value) => ({ value, what: "T(y_rep)" })) },
        mark: { type: "bar", stroke: MID_BLUE, strokeWidth: 0.5 },
        encoding: {
          x: { field: "value", type: "quantitative", bin: { maxbins: 30, extent: [lo, hi] }, title: null },
          y: { aggregate: "count", type: "quantitative", title: null, axis: null },
          color: legend,
        },
      },
      {
        data: { values: [{ value: observed, what: "T(y)" }] },
        mark: { type: "rule", strokeWidth: 2 },
        encoding: { x: { field: "value", type: "quantitative" }, color: legend },
      },
    ],
  } as TopLevelSpec;
}

export interface EffectRow {
  /** The predictor's value (numeric) or level (factor). */
  readonly x: number | string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/** conditional_effects: a numeric effect's line and 95% band, or a factor's points with error bars. */
export function conditionalEffectSpec(effect: string, response: string, rows: readonly EffectRow[], factor: boolean): TopLevelSpec {
  const x = factor
    ? { field: "x", type: "nominal", title: effect, sort: rows.map((r) => r.x) }
    : { field: "x", type: "quantitative", title: effect, scale: { zero: false, nice: false } };
  const y = { field: "estimate", type: "quantitative", title: response, scale: { zero: false } };
  const layers = factor
    ? [
        { mark: { type: "rule", color: "#000000" }, encoding: { x, y: { field: "lower", type: "quantitative", title: response, scale: { zero: false } }, y2: { field: "upper" } } },
        { mark: { type: "point", filled: true, color: "#000000", size: 40 }, encoding: { x, y } },
      ]
    : [
        { mark: { type: "area", color: "#bdbdbd", opacity: 0.6 }, encoding: { x, y: { field: "lower", type: "quantitative", title: response, scale: { zero: false } }, y2: { field: "upper" } } },
        { mark: { type: "line", color: "#0000ff", strokeWidth: 1.5 }, encoding: { x, y } },
      ];
  return { $schema: SCHEMA, width: 420, height: 280, data: { values: rows.map((r) => ({ ...r })) }, layer: layers } as TopLevelSpec;
}
