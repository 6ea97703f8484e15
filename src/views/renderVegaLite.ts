/**
 * Vega-Lite spec → standalone SVG text, headless in Node: vega-lite compiles the spec to Vega,
 * a Vega View with no renderer lays the scene out, and `toSVG()` serialises it. Text widths are
 * estimated (no canvas package), which is enough for axis labels and titles.
 */
import type { TopLevelSpec } from "vega-lite";

export type { TopLevelSpec } from "vega-lite";

/** Fonts every browser has, so the SVG looks the same offline. */
const CONFIG = {
  font: "Helvetica, Arial, sans-serif",
  view: { stroke: "#dddddd" },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: "#eeeeee" },
  header: { labelFontSize: 10 },
};

export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  // Imported on first use: loading vega is most of any CLI command's start-up otherwise (~0.7 s CPU).
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = compile({ config: CONFIG, ...spec } as TopLevelSpec).spec;
  const view = new View(parse(compiled), { renderer: "none", logLevel: 1 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
