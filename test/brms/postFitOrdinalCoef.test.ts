/**
 * fixef(), coef() and ranef() of real brms 2.18 fits of ordinal models with group-level effects, fed
 * brms's own draws: brms's coef() pairs the thresholds `Intercept[k]` with a group's `Intercept`
 * (cumulative/sratio: threshold minus group effect; cratio/acat: group effect minus threshold) and a
 * cs() slope `x[k]` with a group's `x`; fixef() keeps the cs() coefficients. Recorded by
 * `R_MAKEVARS_USER=$PWD/../../../../.Makevars-fit nice -n 5 Rscript fits.R` in
 * test/fixtures/brms-postfit/ordinal-coef.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile, type BrmsBuild } from "../../src/brms/index";
import { brmsDrawsCsv, postFitOnDraws } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit/ordinal-coef");
const recorded = readdirSync(root).filter((name) => existsSync(join(root, name, "coef.txt")));

/** The build with only the script's calls of one function. */
function onlyCalls(build: BrmsBuild, fn: string): BrmsBuild {
  const script = build.model.script;
  return { ...build, model: { ...build.model, script: { ...script, postFit: script.postFit.filter((c) => c.fn === fn) } } };
}

describe("fixef, coef and ranef of ordinal fits with group-level effects equal brms 2.18's on brms's draws (ordinal-coef/fits.R)", () => {
  it("has the recorded fits (cumulative, cratio with (cs(1) | g), sratio with a cs() slope varying by group)", () => {
    expect(recorded).toEqual(["cratio-cs-group", "cumulative-group", "sratio-cs-slope"]);
  });

  describe.each(recorded)("%s", (name) => {
    it.each(["fixef", "coef", "ranef"])("%s(fit) prints as brms's", async (fn) => {
      const folder = join(root, name);
      const build = await buildFromScriptFile(join(folder, "model.R"));
      const draws = brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8"));
      expect(postFitOnDraws(onlyCalls(build, fn), draws).text).toBe(readFileSync(join(folder, `${fn}.txt`), "utf8"));
    });
  });
});
