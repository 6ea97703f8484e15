/**
 * brms 2.18's mixture() families against brms's own output: each folder of test/fixtures/brms-mixture
 * holds a model.R (a brm() call on that folder's data.csv, from `Rscript gen-data.R`) and
 * stancode.stan / standata.json from make_stancode / make_standata (`Rscript ../brms-families/gen.R`
 * in that folder); where recorded, logprob.json and the mock outputs come from
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <fixture>` there. familyFixtureSuite.ts holds the checks.
 */
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf } from "./helpers";
import { readFileSync } from "node:fs";

const ROOT = new URL("../fixtures/brms-mixture/", import.meta.url).pathname;

// A mixture with the simplex theta keeps no logprob.json: rstan 2.21 maps simplexes by stick-breaking, stan2ts (as
// Stan >= 2.37) by the inverse isometric log ratio, so rstan's unconstrained point is another theta (monotonic.test.ts
// compares mo() simplexes at rstan's constrained point instead). mixture-gaussian keeps brms's mock outputs;
// mixture-student-theta (theta formula, no simplex) has rstan's log_prob too (Rscript ../brms-families/logprob.R).
// make_standata keeps 15 significant digits of a computed response (mixture-lognormal-gamma: exp(y / 3)).
describeFamilyFixtures("brms mixture families", ROOT, { minFixtures: 7, rstanRecorded: 1, mockRecorded: 2, shiftOutOfSupport: true, priorSummaryWrapped: true, dataTolerance: 1e-14 });

describe("brms mixture families: the call as brms reads it, and located refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("orders the intercepts for components of one family and not for different families, unless order says otherwise", () => {
    const mixture = (family: string) => {
      const found = buildFrom(script(`y ~ x, family = ${family}`), csv).model.responses[0].family.spec.mixture;
      return found && { size: found.size, ordered: found.ordered };
    };
    expect(mixture("mixture(gaussian, gaussian)")).toEqual({ size: 2, ordered: true });
    expect(mixture("mixture(gaussian, student)")).toEqual({ size: 2, ordered: false });
    expect(mixture('mixture(gaussian, gaussian, order = "none")')).toEqual({ size: 2, ordered: false });
    expect(mixture('mixture(gaussian, student, order = "mu")')).toEqual({ size: 2, ordered: true });
    expect(mixture("mixture(gaussian, student, nmix = c(2, 1))")).toEqual({ size: 3, ordered: false });
  });

  it("names the component dpars with their numbers", () => {
    const family = buildFrom(script("y ~ x, family = mixture(gaussian, student)"), csv).model.responses[0].family.spec;
    expect(family.dpars.map((d) => d.name)).toEqual(["mu1", "sigma1", "mu2", "sigma2", "nu2", "theta1", "theta2"]);
  });

  it("refuses what stan2ts does not build, with located messages", () => {
    expect(errorOf(script("y ~ x, family = mixture(gaussian)"), csv)).toMatch(/Expecting at least 2 mixture components/);
    expect(errorOf(script("yp ~ x, family = mixture(poisson, gaussian)"), csv)).toMatch(/Cannot mix families with real and integer support/);
    expect(errorOf(script("y ~ x, family = mixture(gaussian, cumulative)"), csv)).toMatch(/mixture component 'cumulative' is not supported/);
    expect(errorOf(script("bf(y ~ x, sigma ~ z), family = mixture(gaussian, gaussian)"), csv)).toMatch(/'sigma' is not a distributional parameter of the mixture family/);
    expect(errorOf(script("y ~ x, family = mixture(gaussian, gaussian, flist = NULL)"), csv)).toMatch(/mixture\(\) argument 'flist' is not supported/);
    expect(errorOf(script("y ~ x, family = mixture(gaussian, gaussian), prior = prior(dirichlet(1, 2, 3), class = theta)"), csv)).toMatch(/Invalid Dirichlet prior. Expected input of length 2/);
    expect(errorOf(script("y ~ x, family = mixture(gaussian, gaussian), prior = prior(normal(0, 1), class = theta)"), csv)).toMatch(/only valid prior for simplex parameters/);
  });
});
