/**
 * Non-linear brms models (`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE)`) against
 * brms 2.18's own output. Each folder of test/fixtures/brms-nonlinear holds a model.R (a brm()
 * call on the simulated data.csv written by `Rscript gen-data.R`) and what brms made of it:
 * stancode.stan = make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript gen.R <folder>` run in that folder. logprob.json, variables.txt, prior_summary.txt and
 * print.txt come from `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>` there
 * (rstan's log_prob at theta[i] = 0.1 sin(i), and a mock brms fit).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-nonlinear/", import.meta.url).pathname;

describeFamilyFixtures("brms non-linear models", ROOT, {
  rstanRecorded: 1,
});
