/**
 * brms's monotonic effects mo() and multi-membership grouping mm() against brms 2.18's own output.
 * Each folder of test/fixtures/brms-mo holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript gen.R` in that folder (R 4.2, brms 2.18);
 * logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the names, codes and refusals.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simplex_constrain } from "../../src/runtime/math/transforms";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsFixtures, buildFrom, errorOf, fixtureInstance } from "./helpers";

const ROOT = new URL("../fixtures/brms-mo/", import.meta.url).pathname;

describeFamilyFixtures("brms mo() and mm()", ROOT, {
  minFixtures: 7,
  // rstan's log_prob at logprob.R's unconstrained point: mm() fixtures only. The mo() fixtures'
  // logprob.json is not kept (rstan's simplex transform is not stan2ts's; see below), only their mock fit.
  rstanRecorded: 1,
  mockRecorded: 4,
  // make_standata keeps 15 significant digits of the scaled mm() weights.
  dataTolerance: 1e-14,
  priorSummaryWrapped: true,
});

/**
 * rstan 2.21 maps simplexes by stick-breaking, stan2ts (as Stan ≥ 2.37) by the inverse isometric log
 * ratio, so logprob.json's unconstrained point is a different simplex for each, and its log density
 * with the Jacobian differs. logprob-constrained.json (`Rscript logprob-constrained.R <fixture>`)
 * holds rstan's constrained point and its log density without the Jacobian: stan2ts's log density
 * at that point, less its own transforms' log Jacobian, must equal it.
 */
describe("brms mo(): log density at rstan's constrained point", () => {
  const recorded = ["mo-main", "mo-interaction", "mo-priors", "mo-poisson"].filter((f) => existsSync(`${ROOT}${f}/logprob-constrained.json`));
  const suite = brmsFixtures(ROOT);

  it("has rstan's constrained oracles", () => {
    expect(recorded.length).toBeGreaterThanOrEqual(1);
  });

  it.each(recorded)("%s: log density without the Jacobian equals rstan's to 1e-10", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/logprob-constrained.json`, "utf8")) as { parameters: Record<string, number[]>; log_prob: string };
    const instance = await fixtureInstance(await suite.build(fixture), fixture);
    // the parameters block's variables in declaration order: unbounded vectors and reals, simplexes simo_k, sigma > 0
    const declared = Object.keys(oracle.parameters).filter((name) => instance.unconstrainedNames.some((u) => u === name || u.startsWith(`${name}.`)));
    const scalar = (name: string) => name === "Intercept" || name === "sigma";
    const values = Object.fromEntries(declared.map((name) => [name, scalar(name) ? oracle.parameters[name][0] : oracle.parameters[name]]));
    const theta = instance.unconstrain(values);
    let logJacobian = 0;
    let offset = 0;
    for (const name of declared) {
      const size = oracle.parameters[name].length;
      if (name.startsWith("simo_")) {
        logJacobian += simplex_constrain(new Float64Array(size), theta, offset, size);
        offset += size - 1;
      } else if (name === "sigma") {
        logJacobian += theta[offset];
        offset += 1;
      } else offset += size;
    }
    expect(offset).toBe(instance.dim);
    const lp = instance.logDensity(theta) - logJacobian;
    const expected = Number(oracle.log_prob);
    expect(Math.abs(lp - expected) / Math.abs(expected), `${lp} vs ${expected}`).toBeLessThan(1e-10);
  });
});
