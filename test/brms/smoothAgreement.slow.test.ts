/**
 * Sampling agreement with brms's own fit of `y ~ s(x)` (test/fixtures/brms-smooth/s-main/fit.json:
 * brms 2.18 through rstan, 4 chains × 1000 post-warmup draws, recorded by
 * `R_MAKEVARS_USER=/work/main/.Makevars-fit nice -n 5 Rscript ../brms-families/fit.R s-main` in
 * brms-smooth; the command is in the file): every variable's posterior mean and sd within 4 Monte
 * Carlo standard errors of brms's (familyAgreement.ts). A smooth's column signs are LAPACK's choice
 * (smooth.test.ts), so a coefficient whose column stan2ts builds with the other sign than
 * make_standata (s-main/standata.json) is compared negated.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stanDataToJson } from "../../src/brms/index";
import { smoothOutputNames } from "../../src/brms/terms/smooth";
import { sampleAgreement } from "./familyAgreement";
import { brmsFixtures } from "./helpers";

const ROOT = new URL("../fixtures/brms-smooth/", import.meta.url).pathname;
const FITTED = brmsFixtures(ROOT).names.filter((f) => existsSync(`${ROOT}${f}/fit.json`));

/** Per brms variable of the smooths' coefficients, −1 where our column is brms's negated. */
async function coefficientSigns(fixture: string): Promise<Map<string, number>> {
  const b = await brmsFixtures(ROOT).build(fixture);
  const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, number[][]>;
  const theirs = JSON.parse(readFileSync(`${ROOT}${fixture}/standata.json`, "utf8")) as Record<string, number[][]>;
  const signOfColumn = (name: string, j: number) => {
    let at = 0;
    theirs[name].forEach((row, i) => (Math.abs(row[j]) > Math.abs(theirs[name][at][j]) ? (at = i) : 0));
    return Math.sign(theirs[name][at][j]) === Math.sign(ours[name][at][j]) ? 1 : -1;
  };
  const signs = new Map<string, number>();
  for (const p of b.model.predictors) {
    if (!p.smooths?.length) continue;
    const names = smoothOutputNames(p.smooths, p.prefix);
    const Xs = p.prefix === "" ? "Xs" : `Xs_${p.prefix}`;
    names.bs.forEach((name, j) => signs.set(name, signOfColumn(Xs, j)));
    names.s.forEach((list, k) => list.forEach((name, j) => signs.set(name, signOfColumn(`${p.prefix === "" ? "Zs" : `Zs_${p.prefix}`}_${k + 1}_1`, j))));
  }
  return signs;
}

describe("brms s(): stan2ts samples what brms's own fit samples", () => {
  it("has brms fits recorded", () => {
    expect(FITTED.length).toBeGreaterThanOrEqual(1);
  });

  it.each(FITTED)("%s: every posterior mean and sd within 4 MCSE of brms's", async (fixture) => {
    const signs = await coefficientSigns(fixture);
    const agreement = await sampleAgreement(ROOT, fixture, undefined, (name) => signs.get(name) ?? 1);
    const { oracle } = agreement;
    expect(oracle.divergent, `divergences of ${oracle.command}`).toBeLessThanOrEqual(40);
    const unconverged = Object.entries(oracle.variables)
      .filter(([, s]) => !(s.rhat < 1.05 && s.ess_bulk >= 400))
      .map(([name, s]) => `${name}: R-hat ${s.rhat}, bulk ESS ${s.ess_bulk}`);
    expect(unconverged, `convergence of ${oracle.command}`).toEqual([]);
    expect(agreement.unmatched).toEqual([]);
    expect(agreement.missing).toEqual([]);
    const disagreements = agreement.variables
      .filter((v) => !(Math.abs(v.zMean) < 4 && Math.abs(v.zSd) < 4))
      .map((v) => `${v.brms}: mean ${v.ours.mean} vs ${v.theirs.mean} (z ${v.zMean.toFixed(2)}), sd ${v.ours.sd} vs ${v.theirs.sd} (z ${v.zSd.toFixed(2)})`);
    expect(disagreements).toEqual([]);
  });
});
