/**
 * brms non-linear formulas beyond univariate families (ordinal, categorical, multivariate) and mo()
 * where it was refused (inside nlpar formulas, with the categorical family), against brms 2.18's own
 * output. Each folder of test/fixtures/brms-nlmore holds a model.R (a brm() call on the simulated
 * data.csv written by `Rscript gen-data.R`) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), both written by `Rscript ../brms-families/gen.R <folder>` run in
 * that folder. logprob.json, variables.txt, prior_summary.txt and print.txt come from
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>` there (rstan's log_prob at
 * theta[i] = 0.1 sin(i), and a mock brms fit); for the mo() fixtures logprob-constrained.json from
 * `R_LIBS=<BH copy> Rscript ../brms-mo/logprob-constrained.R <folder>` (rstan's simplex transform is
 * not stan2ts's, so their unconstrained logprob.json is not kept).
 */
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsFixtures } from "./helpers";

const ROOT = new URL("../fixtures/brms-nlmore/", import.meta.url).pathname;

describeFamilyFixtures("brms non-linear formulas in ordinal, categorical and multivariate models; mo() in nlpars and categorical models", ROOT, {
  rstanRecorded: 1,
});

describe("brms nlmore fixtures", () => {
  it("has a fixture for each new combination", () => {
    expect(brmsFixtures(ROOT).names).toEqual(["mo-categorical", "mo-categorical-group", "nl-acat", "nl-categorical", "nl-categorical-main", "nl-cumulative", "nl-cumulative-thres-gr", "nl-mo", "nl-mo-group", "nl-multivariate", "nl-multivariate-mo", "nl-multivariate-nlf-sigma", "nl-nlf-disc"]);
  });
});
