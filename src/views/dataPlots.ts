/**
 * The lecture's two exploratory figures as Vega-Lite specs: a histogram of rows per group
 * (`count(record_id) |> ggplot(aes(n)) + geom_histogram()`), and a spaghetti plot of a few
 * randomly chosen groups, one facet per group, grey lines with coloured points per series.
 */
import type { DataFrame } from "../brms/dataFrame";
import { UserError } from "../brms/dataFrame";
import { prettyBreaks } from "./histospark";
import { numericColumn } from "./loadDataFrame";
import { groupKeys, groupSizes } from "./precis";
import { RRandom } from "./rRandom";
import type { TopLevelSpec } from "./renderVegaLite";

/** The lecture's colours: points of the first and second series; further series reuse the palette. */
export const SERIES_POINT_COLOURS = ["#1c5253", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f"];
/** ggplot's "grey" and "darkgrey" for the connecting lines. */
export const SERIES_LINE_COLOURS = ["#bebebe", "#a9a9a9"];

export interface HistPerGroupOptions {
  readonly group: string;
  readonly xTitle?: string;
  /** ggplot's geom_histogram default. */
  readonly bins?: number;
}

export function histPerGroupSpec(frame: DataFrame, options: HistPerGroupOptions): TopLevelSpec {
  const sizes = groupSizes(frame, options.group);
  const values = [...sizes.sizes].map(([group, rows]) => ({ group, rows }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Rows per ${options.group}: ${sizes.groups} groups, median ${sizes.median} (min ${sizes.min}, max ${sizes.max})`,
    width: 420,
    height: 260,
    data: { values },
    mark: { type: "bar", fill: "#1c5253", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: {
        field: "rows",
        type: "quantitative",
        // lecture: scale_x_continuous(limits = c(0, NA))
        bin: { step: histogramStep(sizes.max, options.bins ?? 30), extent: [0, sizes.max] },
        title: options.xTitle ?? `number of rows per ${options.group}`,
      },
      y: { aggregate: "count", type: "quantitative", title: "count" },
    },
  };
}

/** Bin width for about `bins` bins over [0, max]: a 1-2-5 step as R's pretty() chooses it. */
export function histogramStep(max: number, bins: number): number {
  const breaks = prettyBreaks(0, Math.max(max, 1), bins, 1);
  return breaks[1] - breaks[0];
}

export interface SpaghettiOptions {
  readonly x: string;
  readonly ys: readonly string[];
  readonly group: string;
  /** How many groups to draw (all when undefined). */
  readonly sample?: number;
  /** R's set.seed value for choosing the groups. */
  readonly seed: number;
  readonly yTitle?: string;
  readonly columns?: number;
}

export interface SpaghettiPlot {
  readonly spec: TopLevelSpec;
  /** The groups drawn, in facet order. */
  readonly groups: readonly string[];
  /** Points per series drawn (rows with a missing value are left out). */
  readonly pointCount: number;
}

/**
 * Groups are numbered in order of first appearance, as `nest(data = -group)` leaves them, and
 * chosen with R's `sample.int(nGroups, n)` after `set.seed(seed)`, so the lecture's
 * `set.seed(14); … slice_sample(n = 16)` picks the same people.
 */
export function chooseGroups(frame: DataFrame, group: string, sample: number | undefined, seed: number): string[] {
  const order = [...groupSizes(frame, group).sizes.keys()];
  if (sample === undefined || sample >= order.length) return sortGroupLabels(order);
  if (!Number.isInteger(sample) || sample < 1) throw new UserError(`--sample must be a positive whole number, got ${sample}.`);
  const picked = new RRandom(seed).sampleInt(order.length, sample).map((i) => order[i - 1]);
  return sortGroupLabels(picked);
}

/** facet_wrap orders numeric labels by value, text labels alphabetically. */
function sortGroupLabels(labels: string[]): string[] {
  const numeric = labels.every((l) => l.trim() !== "" && Number.isFinite(Number(l)));
  return [...labels].sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function spaghettiSpec(frame: DataFrame, options: SpaghettiOptions): SpaghettiPlot {
  if (options.ys.length === 0) throw new UserError("--spaghetti needs at least one y column: y=col1,col2.");
  const x = numericColumn(frame, options.x);
  const ys = options.ys.map((name) => numericColumn(frame, name));
  const groupColumn = frame.columns.get(options.group);
  if (!groupColumn) throw new UserError(`The data in '${frame.source}' have no column '${options.group}'. Columns: ${[...frame.columns.keys()].join(", ")}.`);
  const groups = chooseGroups(frame, options.group, options.sample, options.seed);
  const chosen = new Set(groups);
  const keys = groupKeys(groupColumn);
  const values: { group: string; x: number; series: string; y: number }[] = [];
  for (let i = 0; i < frame.nrow; i++) {
    const key = keys[i];
    if (key === null || !chosen.has(key) || !Number.isFinite(x[i])) continue;
    ys.forEach((column, s) => {
      if (Number.isFinite(column[i])) values.push({ group: key, x: x[i], series: options.ys[s], y: column[i] });
    });
  }
  const pointColours = options.ys.map((_, s) => SERIES_POINT_COLOURS[s % SERIES_POINT_COLOURS.length]);
  const lineColours = options.ys.map((_, s) => SERIES_LINE_COLOURS[Math.min(s, SERIES_LINE_COLOURS.length - 1)]);
  const xEncoding = { field: "x", type: "quantitative", title: options.x } as const;
  const yEncoding = { field: "y", type: "quantitative", title: options.yTitle ?? options.ys.join(", ") } as const;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values },
    facet: { field: "group", type: "ordinal", sort: groups, title: options.group },
    columns: options.columns ?? Math.ceil(Math.sqrt(groups.length)),
    spec: {
      width: 150,
      height: 100,
      layer: [
        // one line layer per series with a fixed grey, so the only colour scale is the points' (one legend)
        ...options.ys.map((name, s) => ({
          transform: [{ filter: { field: "series", equal: name } }],
          mark: { type: "line", strokeWidth: 0.8, color: lineColours[s] },
          encoding: { x: xEncoding, y: yEncoding },
        })),
        {
          mark: { type: "point", filled: true, size: 6, opacity: 1 },
          encoding: {
            x: xEncoding,
            y: yEncoding,
            color: { field: "series", type: "nominal", scale: { domain: [...options.ys], range: pointColours }, title: null },
          },
        },
      ],
    },
  } as TopLevelSpec;
  return { spec, groups, pointCount: values.length };
}
