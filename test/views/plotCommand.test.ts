import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCsv } from "../../src/brms/dataFrame";
import { chooseGroups, histogramStep, spaghettiSpec } from "../../src/views/dataPlots";
import { loadDataFrame } from "../../src/views/loadDataFrame";
import { groupSizes } from "../../src/views/precis";
import { renderVegaLiteSvg } from "../../src/views/renderVegaLite";
import { haveSeedData, SEED_CSV } from "./lectureData";
import { runCli } from "./runCli";
import { assertWellFormedSvg, countGroups, pathsInGroups } from "./svgChecks";

/** Texts of Vega title marks (facet headers and the facet field's title), in document order. */
function titleTexts(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-title-text"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

const out = mkdtempSync(join(tmpdir(), "stan2ts-plot-"));

/** A small frame: 5 people with 3, 4, 5, 6 and 7 days; person 3 misses one y2 value. */
function smallFrame() {
  const lines = ["id,day,y1,y2"];
  for (let person = 1; person <= 5; person++) {
    for (let day = 1; day <= person + 2; day++) lines.push(`${person * 10},${day},${(person + day) / 10},${person === 3 && day === 2 ? "NA" : -day / 10}`);
  }
  return parseCsv(lines.join("\n") + "\n", "small.csv");
}

describe("spaghetti plot", () => {
  it("draws one facet per chosen group with a line and points per series, in the lecture's colours", async () => {
    const plot = spaghettiSpec(smallFrame(), { x: "day", ys: ["y1", "y2"], group: "id", sample: 3, seed: 14 });
    expect(plot.groups).toEqual(chooseGroups(smallFrame(), "id", 3, 14));
    expect(plot.groups.length).toBe(3);
    const svg = await renderVegaLiteSvg(plot.spec);
    assertWellFormedSvg(svg);
    expect(countGroups(svg, "role-mark", "mark-symbol")).toBe(3);
    expect(countGroups(svg, "role-mark", "mark-line")).toBe(6);
    const days = plot.groups.map((g) => Number(g) / 10 + 2);
    const missing = plot.groups.includes("30") ? 1 : 0;
    expect(pathsInGroups(svg, "role-mark", "mark-symbol").reduce((a, b) => a + b, 0)).toBe(2 * days.reduce((a, b) => a + b, 0) - missing);
    expect(plot.pointCount).toBe(2 * days.reduce((a, b) => a + b, 0) - missing);
    expect(svg).toContain('fill="#1c5253"');
    expect(svg).toContain('fill="#e07a5f"');
    // facet headers name the groups in ascending order
    expect(titleTexts(svg).filter((t) => t !== "id")).toEqual(plot.groups);
  });

  it("uses every group when --sample is absent, sorted as facet_wrap sorts numbers", () => {
    expect(chooseGroups(smallFrame(), "id", undefined, 1)).toEqual(["10", "20", "30", "40", "50"]);
  });

  it("names a missing column", () => {
    expect(() => spaghettiSpec(smallFrame(), { x: "time", ys: ["y1"], group: "id", seed: 1 })).toThrow("have no column 'time'");
  });
});

describe.skipIf(!haveSeedData)("stan2ts plot on the lecture data", () => {
  it("--spaghetti draws the 16 people set.seed(14) picks, two series each", async () => {
    const file = join(out, "spaghetti.svg");
    const r = await runCli("plot", SEED_CSV, "--spaghetti", "x=day", "y=N_A.lag,P_A.lag", "--group", "record_id", "--sample", "16", "--seed", "14", "-o", file);
    expect(r.status).toBe(0);
    const svg = readFileSync(file, "utf8");
    assertWellFormedSvg(svg);
    expect(countGroups(svg, "role-mark", "mark-symbol")).toBe(16);
    expect(countGroups(svg, "role-mark", "mark-line")).toBe(32);
    expect(countGroups(svg, "role-legend")).toBe(1);
    for (const label of ["N_A.lag", "P_A.lag", "record_id"]) expect(svg).toContain(`>${label}</text>`);
    expect(titleTexts(svg).filter((t) => t !== "record_id").length).toBe(16);
  });

  it("--hist-per-group draws bars of rows per person from 0 to the maximum", async () => {
    const file = join(out, "hist.svg");
    const r = await runCli("plot", SEED_CSV, "--hist-per-group", "record_id", "--xlab", "number of days", "-o", file);
    expect(r.status).toBe(0);
    const svg = readFileSync(file, "utf8");
    assertWellFormedSvg(svg);
    // one bar per non-empty bin of width 5 (pretty's step for ~30 bins over 0..99)
    expect(histogramStep(99, 30)).toBe(5);
    const sizes = groupSizes(loadDataFrame(SEED_CSV), "record_id");
    const nonEmptyBins = new Set([...sizes.sizes.values()].map((n) => Math.floor(n / 5))).size;
    const [bars] = pathsInGroups(svg, "role-mark", "mark-rect");
    expect(bars).toBe(nonEmptyBins);
    expect(svg).toContain("193 groups, median 74 (min 8, max 99)");
    expect(svg).toContain(">number of days</text>");
    expect(svg).toContain('fill="#1c5253"');
  });

  it("explains usage mistakes", async () => {
    const r = await runCli("plot", SEED_CSV, "--spaghetti", "x=day", "--group", "record_id");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--spaghetti needs x=<column> and y=<columns>");
    const png = await runCli("plot", SEED_CSV, "--hist-per-group", "record_id", "-o", "days.png");
    expect(png.status).toBe(2);
    expect(png.stderr).toContain("plot writes SVG; give -o a file name ending in .svg (got 'days.png')");
  });
});
