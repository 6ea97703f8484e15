/**
 * SBC output: rank histograms as SVG (one panel per ranked quantity, with the band a uniform
 * histogram's bin counts fall in 99% of the time) and a Markdown table of chi-square results.
 */
import { renderVegaLiteSvg, type TopLevelSpec } from "../../src/views/renderVegaLite";
import type { SbcResult } from "./sbc";

/** Smallest k with P(Binomial(n, p) <= k) >= q. */
function binomialQuantile(n: number, p: number, q: number): number {
  let prob = (1 - p) ** n;
  let cdf = prob;
  let k = 0;
  while (cdf < q && k < n) {
    prob *= ((n - k) / (k + 1)) * (p / (1 - p));
    k++;
    cdf += prob;
  }
  return k;
}

export function rankHistogramSpec(result: SbcResult, threshold: number): TopLevelSpec {
  const { bins, rankDraws } = result.options;
  const width = (rankDraws + 1) / bins;
  const rows: { parameter: string; binStart: number; binEnd: number; count: number }[] = [];
  const bands: { parameter: string; lo: number; hi: number }[] = [];
  for (const p of result.parameters) {
    const label = `${p.name} (p = ${p.pValue.toPrecision(2)}${p.pValue < threshold ? ", FLAGGED" : ""})`;
    p.binCounts.forEach((count, b) => rows.push({ parameter: label, binStart: b * width, binEnd: (b + 1) * width, count }));
    const n = p.ranks.length;
    bands.push({ parameter: label, lo: binomialQuantile(n, 1 / bins, 0.005), hi: binomialQuantile(n, 1 / bins, 0.995) });
  }
  const data = rows.map((r) => ({ ...r, ...bands.find((b) => b.parameter === r.parameter)! }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `SBC rank histograms: ${result.model} (${result.parameters[0]?.ranks.length ?? 0} replications, L = ${rankDraws})`,
    data: { values: data },
    facet: { field: "parameter", type: "nominal", title: null, sort: result.parameters.map((p) => p.name) },
    columns: 4,
    spec: {
      width: 170,
      height: 110,
      layer: [
        {
          mark: { type: "rect", color: "#cccccc", opacity: 0.5 },
          encoding: {
            x: { aggregate: "min", field: "binStart", type: "quantitative" },
            x2: { aggregate: "max", field: "binEnd" },
            y: { aggregate: "min", field: "lo", type: "quantitative" },
            y2: { aggregate: "max", field: "hi" },
          },
        },
        {
          mark: { type: "rect", color: "#1c5253", stroke: "white", strokeWidth: 0.5 },
          encoding: {
            x: { field: "binStart", type: "quantitative", title: "rank", scale: { domain: [0, rankDraws + 1] } },
            x2: { field: "binEnd" },
            y: { field: "count", type: "quantitative", title: "count" },
          },
        },
      ],
    },
    resolve: { scale: { y: "independent" } },
  } as unknown as TopLevelSpec;
}

export function rankHistogramSvg(result: SbcResult, threshold: number): Promise<string> {
  return renderVegaLiteSvg(rankHistogramSpec(result, threshold));
}

export function sbcTable(results: readonly SbcResult[], threshold: number): string {
  const lines = [
    "| model | quantity | replications | chi-square (df) | p-value | mean ESS/L | verdict |",
    "|---|---|---:|---:|---:|---:|---|",
  ];
  for (const r of results) {
    for (const p of r.parameters) {
      const verdict = p.pValue < threshold ? "**miscalibrated**" : "ok";
      lines.push(`| ${r.model} | ${p.name} | ${p.ranks.length} | ${p.chiSquare.toFixed(1)} (${p.degreesOfFreedom}) | ${p.pValue.toFixed(3)} | ${p.meanEssRatio.toFixed(2)} | ${verdict} |`);
    }
  }
  return lines.join("\n");
}
