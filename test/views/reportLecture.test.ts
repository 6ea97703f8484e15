/** The report against the real output names of the lecture's brms models m2 and m3. */
import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFromScriptFile } from "../../src/brms/index";
import { readFitDir } from "../../src/views/fitDir";
import { buildPosteriorReport, groupLevelEstimates } from "../../src/views/posteriorReport";
import { haveSeedData } from "./lectureData";
import { writeFitForNames } from "./syntheticFit";

const script = (m: string) => fileURLToPath(new URL(`../../fixtures/brms/${m}.R`, import.meta.url));
const root = mkdtempSync(join(tmpdir(), "stan2ts-report-lecture-"));

describe.skipIf(!haveSeedData || !existsSync(script("m3")))("report for the lecture's brms models", () => {
  it("m3: person-level Intercept, day01 and sigma (exp scale) for 193 people, three correlations", async () => {
    const build = await buildFromScriptFile(script("m3"));
    const dir = join(root, "m3");
    writeFitForNames(dir, build.outputNames, "m3");
    const fit = readFitDir(dir);
    const terms = groupLevelEstimates(fit);
    expect(terms.map((t) => [t.title, t.yTitle, t.rows.length])).toEqual([
      ["Intercept per record_id", "Intercept", 193],
      ["day01 per record_id", "day01", 193],
      ["sigma per record_id", "sigma", 193],
    ]);
    // b_sigma_Intercept and r are N(0,1) draws here, so each person's sigma = exp(sum) has mean e ≈ 2.7
    const sigmaMeans = terms[2].rows.map((r) => r.mean);
    expect(Math.min(...sigmaMeans)).toBeGreaterThan(0);
    const average = sigmaMeans.reduce((a, b) => a + b, 0) / sigmaMeans.length;
    expect(average).toBeGreaterThan(1.8);
    expect(average).toBeLessThan(4);
    const html = await buildPosteriorReport(fit, { maxPlottedParameters: 1 });
    // three correlations, in the summary table and again in the correlations section
    expect((html.match(/<tr(?: class="flag")?><td>cor_record_id__/g) ?? []).length).toBe(2 * 3);
    expect(html).toContain("<h3>sigma per record_id</h3>");
    expect(html).toContain(`${3 * 193} group-level variables`);
  }, 60_000);

  it("m2: per-response terms find their b_<resp>_<coef> fixed effects", async () => {
    const build = await buildFromScriptFile(script("m2"));
    const dir = join(root, "m2");
    writeFitForNames(dir, build.outputNames, "m2", 20);
    const terms = groupLevelEstimates(readFitDir(dir));
    expect(terms.length).toBe(8);
    expect(terms.map((t) => t.title)).toContain("NAstd N_A.lag per record_id");
    expect(terms.every((t) => !t.title.includes("deviation r only") && t.rows.length === 193)).toBe(true);
  }, 60_000);
});
