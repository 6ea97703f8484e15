/**
 * brms's Gaussian-process terms gp() against brms 2.18's own output.
 * Each folder of test/fixtures/brms-gp holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript ../brms-families/gen.R` in that folder (R 4.2, brms 2.18);
 * logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> R_MAKEVARS_USER=/work/main/.Makevars-fit Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the default priors, names and refusals.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsFixtures, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-gp/", import.meta.url).pathname;

describeFamilyFixtures("brms gp()", ROOT, {
  minFixtures: 13,
  rstanRecorded: 1,
  // make_standata keeps 15 significant digits of the scaled covariates and basis functions.
  dataTolerance: 1e-14,
  priorSummaryWrapped: true,
  // At the test point (lscale ≈ 1.1 on covariates scaled into [0, 1.2]) an exact GP's covariance has
  // condition number ~3e13 (gp-main: R's kappa(K + 1e-12 I, exact = TRUE)); its Cholesky factor
  // carries that rounding, in rstan as here. The approximate GPs and gp(x, scale = FALSE) are held to the default tolerances.
  illConditioned: Object.fromEntries(
    ["gp-main", "gp-poisson", "gp-priors", "gp-sigma", "gp-slope", "gp-two", "gp-2d", "gp-2d-aniso", "gp-by"].map((f) => [f, { logDensity: 1e-8, gradient: 1e-5, finiteDifference: 1e-4 }]),
  ),
});
