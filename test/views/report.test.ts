import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFitDir } from "../../src/views/fitDir";
import { buildPosteriorReport, groupLevelEstimates } from "../../src/views/posteriorReport";
import { parseBrmsNamesJson, parseGroupLevelName } from "../../src/views/brmsNames";
import { runCli } from "./runCli";
import { assertWellFormedSvg, countGroups } from "./svgChecks";
import { B_DAY01_MEAN, B_SIGMA_INTERCEPT_MEAN, CHAINS, DIVERGENT, DRAWS, LEVELS, levelLogSigmaMean, writeSyntheticFit } from "./syntheticFit";

const root = mkdtempSync(join(tmpdir(), "stan2ts-report-"));
const brmsDir = join(root, "brms-fit");
const stanDir = join(root, "stan-fit");

/** The inline SVG of every <figure class="plot">. */
function figures(html: string): string[] {
  return [...html.matchAll(/<figure class="plot">([\s\S]*?)<\/figure>/g)].map((m) => m[1]);
}

/** Summary-table cells of one variable: [name, Mean, MCSE, StdDev, MAD, 5%, 50%, 95%, ESS_bulk, ESS_tail, R_hat]. */
function tableRow(html: string, name: string): string[] | undefined {
  const escaped = name.replace(/[[\]().*+?^$|\\]/g, "\\$&");
  const m = new RegExp(`<tr[^>]*><td>${escaped}</td>(.*?)</tr>`).exec(html);
  return m ? [name, ...[...m[1].matchAll(/<td>([^<]*)<\/td>/g)].map((c) => c[1])] : undefined;
}

describe("stan2ts report on a brms-like run", () => {
  let html = "";
  beforeAll(async () => {
    writeSyntheticFit(brmsDir, { brms: true });
    const out = join(root, "brms.html");
    const r = await runCli("report", brmsDir, "-o", out);
    expect(r.stderr).toBe(`Wrote ${out}\n`);
    expect(r.status).toBe(0);
    html = readFileSync(out, "utf8");
  });

  it("reads every chain's post-warmup draws", () => {
    const fit = readFitDir(brmsDir);
    expect([fit.chainCount, fit.drawsPerChain, fit.warmupDraws, fit.modelName]).toEqual([CHAINS, DRAWS, 100, "m3"]);
    expect(fit.files).toEqual(["output_1.csv", "output_2.csv", "output_3.csv", "output_4.csv"]);
  });

  it("has the sections, a self-contained page and one non-empty SVG per plot", () => {
    for (const id of ["summary", "parameters", "correlations", "group-level", "sampler-checks"]) expect(html).toContain(`id="${id}"`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/);
    const svgs = figures(html);
    // 6 parameter panels (b_day01, 2 sd, b_Intercept, b_sigma_Intercept, cor), the correlation forest, 2 group terms
    expect(svgs.length).toBe(9);
    for (const svg of svgs) {
      assertWellFormedSvg(svg);
      expect(svg.length).toBeGreaterThan(2000);
    }
  });

  it("summarises with brms names, leaves internal columns out and estimates the known means", () => {
    expect(html).not.toContain("z_1.1");
    expect(html).not.toContain("<td>b.1</td>");
    const row = tableRow(html, "b_day01")!;
    expect(row).toBeDefined();
    expect(Math.abs(Number(row[1]) - B_DAY01_MEAN)).toBeLessThan(0.03); // sd 0.1, 1000 draws
    expect(Number(row[10])).toBeLessThan(1.02);
    expect(html).toMatch(/<th>variable<\/th><th>Mean<\/th><th>MCSE<\/th><th>StdDev<\/th><th>MAD<\/th><th>5%<\/th><th>50%<\/th><th>95%<\/th><th>ESS_bulk<\/th><th>ESS_tail<\/th><th>R_hat<\/th>/);
    expect(tableRow(html, "r_record_id[1,Intercept]")).toBeUndefined(); // r_ terms go to their own section
    expect(html).toContain(`${2 * LEVELS} group-level variables`);
  });

  it("reports the divergent transitions and marks them on the traces", () => {
    expect(html).toContain(`${DIVERGENT.length} divergent transitions;`);
    const panel = figures(html)[0];
    expect(panel).toContain(`trace (${DIVERGENT.length} divergent, red)`);
    // one red rule per divergent draw in the trace plot
    expect((panel.match(/stroke="#d1001f"/g) ?? []).length).toBe(DIVERGENT.length);
    // every chain has a trace line and a rank line
    expect(countGroups(panel, "mark-line", "role-mark")).toBe(2 * CHAINS);
  });

  it("ranks per-person sigma as exp(b_sigma_Intercept + r) with intervals", () => {
    const terms = groupLevelEstimates(readFitDir(brmsDir));
    expect(terms.map((t) => t.title)).toEqual(["Intercept per record_id", "sigma per record_id"]);
    const sigma = terms[1];
    const byMean = [...sigma.rows].sort((a, b) => a.mean - b.mean).map((r) => r.name);
    expect(byMean).toEqual(Array.from({ length: LEVELS }, (_, k) => String(k + 1)));
    for (const row of sigma.rows) {
      const expected = Math.exp(B_SIGMA_INTERCEPT_MEAN + levelLogSigmaMean(Number(row.name)));
      expect(Math.abs(row.mean / expected - 1)).toBeLessThan(0.02);
      expect(row.lower).toBeLessThan(row.mean);
      expect(row.upper).toBeGreaterThan(row.mean);
    }
    expect(html).toContain("<h3>sigma per record_id</h3>");
  });
});

describe("stan2ts report on a plain Stan run", () => {
  it("uses Stan's names (b[1], not the CSV's b.1), caps the panels and says so", async () => {
    writeSyntheticFit(stanDir, { brms: false });
    const html = await buildPosteriorReport(readFitDir(stanDir), { maxPlottedParameters: 3 });
    expect(figures(html).length).toBe(3);
    expect(html).toContain("Showing the first 3 of");
    expect(tableRow(html, "b[1]")).toBeDefined();
    expect(tableRow(html, "z_1[1,3]")).toBeDefined();
    expect(html).not.toMatch(/<td>(b|z_1)\.1/);
    expect(tableRow(html, "lp__")).toBeDefined();
    expect(html).not.toContain('id="group-level"');
  });
});

describe("report input errors", () => {
  it("names a missing directory, an empty one and a broken brms.json", async () => {
    const missing = await runCli("report", join(root, "nope"), "-o", join(root, "x.html"));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("No such output directory");
    const empty = mkdtempSync(join(root, "empty-"));
    const none = await runCli("report", empty);
    expect(none.stderr).toContain("holds no CmdStan sampler CSV files");
    expect(() => parseBrmsNamesJson('{"format":"other"}', "brms.json")).toThrow('expected "format": "stan2ts-brms-names", got "other"');
    // the draws JSON of a model named "brms" is not a name map: ignored
    expect(parseBrmsNamesJson('{"mu": [1, 2]}', "brms.json")).toBeUndefined();
    const broken = mkdtempSync(join(root, "broken-"));
    writeSyntheticFit(broken, { brms: false });
    writeFileSync(join(broken, "brms.json"), '{"format":"stan2ts-brms-names","version":1,"names":[{"stan":1}]}');
    const r = await runCli("report", broken, "-o", join(root, "y.html"));
    expect(r.stderr).toContain('names[0] must have string fields "stan" and "brms"');
  });

  it("takes brms group-level names apart", () => {
    expect(parseGroupLevelName("r_record_id__sigma[17,Intercept]")).toEqual({ group: "record_id", prefix: "sigma", level: "17", coef: "Intercept" });
    expect(parseGroupLevelName("r_record_id[3,day01]")).toEqual({ group: "record_id", prefix: "", level: "3", coef: "day01" });
    expect(parseGroupLevelName("sd_record_id__Intercept")).toBeUndefined();
  });
});
