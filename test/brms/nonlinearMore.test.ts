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
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeConstrainedLogProb } from "./constrainedLogProb";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsFixtures, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-nlmore/", import.meta.url).pathname;

describeFamilyFixtures(
  "brms non-linear formulas in ordinal, categorical and multivariate models; mo() in nlpars and categorical models",
  ROOT,
  {
    rstanRecorded: 8,
    // the mo() fixtures' mock fits too (their rstan log_prob is not comparable: rstan 2.21's simplex transform is not stan2ts's)
    mockRecorded: 13,
  },
);

/**
 * The mo() fixtures at rstan's constrained point (logprob-constrained.json, `R_LIBS=<BH copy> Rscript
 * ../brms-mo/logprob-constrained.R nl-mo mo-categorical nl-mo-group mo-categorical-group nl-multivariate-mo`): stan2ts's log density there, less its own
 * transforms' log Jacobian (these programs hold unbounded, lower-bounded and simplex parameters), equals
 * rstan's log_prob without the Jacobian, as monotonic.test.ts checks brms-mo's fixtures.
 */
describeConstrainedLogProb("brms nlmore mo() fixtures: log density at rstan's constrained point", ROOT, 5);

describe("brms nlmore fixtures", () => {
  it("has a fixture for each new combination", () => {
    expect(brmsFixtures(ROOT).names).toEqual([
      "mo-categorical",
      "mo-categorical-group",
      "nl-acat",
      "nl-categorical",
      "nl-categorical-main",
      "nl-cumulative",
      "nl-cumulative-thres-gr",
      "nl-mo",
      "nl-mo-group",
      "nl-multivariate",
      "nl-multivariate-mo",
      "nl-multivariate-nlf-sigma",
      "nl-nlf-disc",
    ]);
  });
});

describe("brms nlmore: what stan2ts reads and refuses", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) =>
    `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;
  const priors = 'prior = c(prior(normal(0, 1), nlpar = "a"), prior(normal(0, 1), nlpar = "b"))';

  it("reads nlf() inside bf() as bf(...) + nlf(...)", () => {
    const inside = buildFrom(
      script(
        `bf(cat ~ 1, nlf(muB ~ a * x - b), a ~ 1, b ~ 1, muC ~ x), family = categorical(), ${priors}`,
      ),
      csv,
    );
    const added = buildFrom(
      script(
        `bf(cat ~ 1, muC ~ x) + nlf(muB ~ a * x - b) + lf(a ~ 1) + lf(b ~ 1), family = categorical(), ${priors}`,
      ),
      csv,
    );
    expect(inside.stanCode).toBe(added.stanCode);
    expect(inside.stanCode).toContain("muB[n] = nlp_a[n] * C_muB_1[n] - nlp_b[n];");
  });

  it("refuses what brms 2.18 refuses, with brms's cause", () => {
    // R: make_stancode(bf(ord ~ a * exp(-b * x), a ~ 1 + cs(m), b ~ 1, nl = TRUE), data = d, family = sratio(), prior = ...)
    //    → "Category specific effects are only supported for the main parameter 'mu'."
    expect(
      errorOf(
        script(
          `bf(ord ~ a * exp(-b * x), a ~ 1 + cs(m), b ~ 1, nl = TRUE), family = sratio(), ${priors}`,
        ),
        csv,
      ),
    ).toMatch(/Category specific effects are only supported for the main parameter 'mu'\./);
    // R: make_stancode(bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE) + bf(w ~ x), data = d, prior = <nlpar priors without resp>)
    //    → "The following priors do not correspond to any model parameter: b_a ~ normal(0, 1) b_b ~ normal(0, 1)"
    expect(
      errorOf(
        script(
          `bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE) + bf(w ~ x) + set_rescor(TRUE), ${priors}`,
        ),
        csv,
      ),
    ).toMatch(
      /The following priors do not correspond to any model parameter:\s+b_a ~ normal\(0, 1\)\s+b_b ~ normal\(0, 1\)/,
    );
    // brms requires a proper prior on every nlpar in each model type
    expect(
      errorOf(
        script("bf(cat ~ 1, nlf(muB ~ a * x - b), a ~ 1, b ~ 1), family = categorical()"),
        csv,
      ),
    ).toMatch(/none were found for parameter 'a'/);
    expect(
      errorOf(
        script(
          'bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE) + bf(w ~ x), prior = prior(normal(0, 1), nlpar = "a", resp = "y")',
        ),
        csv,
      ),
    ).toMatch(/none were found for parameter 'b'/);
    // a mo() simplex of an nlpar in a multivariate model takes its prior by nlpar and resp, checked against its steps
    expect(
      errorOf(
        script(
          'bf(y ~ a * exp(-b * x), a ~ 1 + mo(m), b ~ 1, nl = TRUE) + bf(w ~ x), prior = c(prior(normal(0, 1), nlpar = "a", resp = "y"), prior(normal(0, 1), nlpar = "b", resp = "y"), prior(dirichlet(c(1, 2)), class = simo, coef = mom1, nlpar = "a", resp = "y"))',
        ),
        csv,
      ),
    ).toMatch(/Invalid Dirichlet prior\. Expected input of length 3\./);
  });
});
