/**
 * conditional_effects() of real non-gaussian brms 2.18 fits, fed brms's own draws: a poisson model
 * with an interaction x * z and an offset (effects x, z and x:z at z's mean ± sd), and a cumulative
 * model with categorical = TRUE (each category's probability). Recorded by `Rscript ce-fits.R` in
 * test/fixtures/brms-postfit/ce-fits (one rstan compile per case).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { expectEffectRowsLikeBrms, type EffectRow } from "./conditionalEffectsRows";
import { buildFromScriptFile } from "../../src/brms/index";
import { brmsDrawsCsv, postFitOnDraws } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit/ce-fits");

const cases = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.startsWith("ce_")).map((f) => [d.name, f.slice(3, -4)] as const));

describe("conditional_effects(fit) of non-gaussian fits equals brms 2.18's on brms's draws (ce-fits/ce-fits.R)", () => {
  it("has the recorded effects", () => {
    expect(cases.length).toBe(5);
  });

  it.each(cases)("%s, effect %s: grid, groups, median and 2.5%–97.5% quantiles", async (name, effect) => {
    const folder = join(root, name);
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { plots } = postFitOnDraws(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")), 1);
    const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: EffectRow[] } }).data.values;
    const expected = parse(readFileSync(join(folder, `ce_${effect}.csv`), "utf8"), { columns: true, trim: true }) as Record<string, string>[];
    expectEffectRowsLikeBrms(rows, expected);
  });
});
