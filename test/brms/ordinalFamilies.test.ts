/**
 * brms's ordinal families (cumulative, sratio, cratio, acat) against brms 2.18's own output. Each
 * folder of test/fixtures/brms-ordinal holds a model.R (a brm() call on the shared simulated
 * data.csv, written by `Rscript gen-data.R`) and what brms made of it: stancode.stan =
 * make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript ../brms-families/gen.R` run in that folder. Where recorded, logprob.json, variables.txt,
 * prior_summary.txt and print.txt come from `Rscript ../brms-families/logprob.R <folder>` (rstan's
 * log_prob at theta[i] = 0.1 sin(i), and a mock brms fit).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsFixtures, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-ordinal/", import.meta.url).pathname;
const FIXTURES = brmsFixtures(ROOT).names;

/** thres(gr = ) fixtures: brms's _merged densities give each row its slice thres[j[1]:j[2]] (j = Jthres[n]), sized at run time. */
const GROUPED_THRESHOLDS = ["acat-thres-k-gr", "cratio-thres-gr", "cumulative-thres-gr", "cumulative-thres-gr-sample-prior", "sratio-thres-gr-sample-prior"];

describeFamilyFixtures("brms ordinal families", ROOT, {
  rstanRecorded: 20 + GROUPED_THRESHOLDS.length,
});

it("has a fixture for every family and link", () => {
  for (const family of ["cumulative", "sratio", "cratio", "acat"]) {
    for (const link of ["probit", "probit_approx", "cloglog"]) expect(FIXTURES, `${family}-${link}`).toContain(`${family}-${link}`);
    expect(FIXTURES).toContain(family);
  }
  expect(FIXTURES).toEqual(expect.arrayContaining(["sratio-cauchit", "cratio-cauchit", "cumulative-disc", "cumulative-intercept"]));
  // thres(k), thres(gr = ), category-specific effects (population and group-level)
  expect(FIXTURES).toEqual(expect.arrayContaining(["cumulative-thres-k", "cumulative-thres-gr", "cratio-thres-gr", "acat-thres-k-gr", "sratio-cs", "acat-cs", "cumulative-cs", "cratio-cs-group"]));
  // sample_prior = "yes": per-threshold priors, one prior for all thresholds with thres(k), cs() effects
  expect(FIXTURES).toEqual(expect.arrayContaining(["cumulative-sample-prior", "sratio-sample-prior", "cumulative-thres-k-sample-prior", "sratio-cs-sample-prior"]));
  // ... with thres(gr = ): one draw per group's vector or per threshold when a group's priors differ
  expect(FIXTURES).toEqual(expect.arrayContaining(["cumulative-thres-gr-sample-prior", "sratio-thres-gr-sample-prior"]));
});

describe("brms ordinal families: located refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("refuses cumulative and acat with the cauchit link, whose brms code Stan rejects", () => {
    expect(errorOf(script('yo ~ x, family = cumulative("cauchit")'), csv)).toMatch(/cumulative family with the cauchit link is not supported: brms 2.18's Stan code for it calls inv_cauchit on a real/);
    expect(errorOf(script('yo ~ x, family = acat(link = "cauchit")'), csv)).toMatch(/acat family with the cauchit link is not supported/);
    expect(errorOf(script('yo ~ x, family = sratio("cauchit")'), csv)).toBe("no error");
    expect(errorOf(script('yo ~ x, family = cumulative("log")'), csv)).toMatch(/link 'log' is not available for the cumulative family's mu/);
  });

  it("checks the categories and the thresholds", () => {
    expect(errorOf(script("z ~ x, family = cumulative"), csv)).toMatch(/cumulative family needs positive integers \(categories 1, 2, …\) as the response, but row 1 of 'z' holds 2.03/);
    const binary = csv.replace(/,([34])\n/g, ",2\n");
    expect(errorOf(script("yo ~ x, family = sratio"), binary)).toMatch(/sratio family needs at least 3 response categories, but the highest category of 'yo' is 2/);
    expect(errorOf(script("yo ~ 0 + x, family = cumulative"), csv)).toMatch(/ordinal \(cumulative\) model needs its thresholds/);
    expect(errorOf(script("bf(yo ~ x, sigma ~ z), family = cumulative"), csv)).toMatch(/'sigma' is not a distributional parameter of the cumulative family[\s\S]*'disc'/);
  });

  it("checks thres() as brms does", () => {
    expect(errorOf(script("yo | thres(2) ~ x, family = sratio"), csv)).toMatch(/line 3[\s\S]*Number of thresholds is smaller than required by the response: thres\(\) gives 2, but 'yo' reaches category 4/);
    expect(errorOf(script("yo | thres(1.5) ~ x, family = sratio"), csv)).toMatch(/Number of thresholds must be a positive integer, not 1.5/);
    expect(errorOf(script("yo | thres(1) ~ x, family = sratio"), csv.replace(/,[234]\n/g, ",1\n"))).toMatch(/needs at least 2 thresholds, but thres\(\) gives 1/);
    expect(errorOf(script("yo | thres(gr = x) ~ z, family = sratio"), csv)).toMatch(/Variable 'gr' in 'thres' needs to be factor-like, but 'x' is numeric/);
    expect(errorOf(script("yo | thres(3) ~ x, family = poisson"), csv)).toMatch(/line 3[\s\S]*Argument 'thres' is not supported for family 'poisson\(log\)'/);
    expect(errorOf(script("yo | thres(gr = g, 3) ~ x, family = acat"), csv)).toBe("no error");
    // A column gives the number per row: whole numbers, one value (per group).
    expect(errorOf(script("yo | thres(x) ~ z, family = acat"), csv)).toMatch(/line 3[\s\S]*Number of thresholds must be a positive integer, not -0.93/);
    expect(errorOf(script("yo | thres(yo) ~ z, family = acat"), csv)).toMatch(/Number of thresholds needs to be a single value, but 'yo' holds 2, 1, 4, …/);
    expect(errorOf(script("yo | thres(yo, gr = g) ~ z, family = acat"), csv)).toMatch(/Number of thresholds should be unique for each group, but group 'a' has 2, 1, 4/);
    const groupEOnlyOne = csv.replace(/^(e,.*),[234]$/gm, "$1,1");
    expect(errorOf(script("yo | thres(gr = g) ~ x, family = acat"), groupEOnlyOne)).toMatch(/The threshold group 'e' needs at least 2 response categories, but its highest category of 'yo' is 1/);
    expect(errorOf(script("yo | thres(2, gr = g) ~ x, family = acat"), csv)).toMatch(/Number of thresholds is smaller than required by the response: row 5 of 'yo' holds 4, but its group 'a' has 2 thresholds/);
  });

  it("takes an ordered factor as the response, coded by its used levels; text and unordered factors get brms's refusal", () => {
    const labels = readFileSync(`${ROOT}data-labels.csv`, "utf8");
    const withColumn = (column: string, call: string) => `library(brms)\nd <- read_csv("data.csv")\nd$o <- ${column}\nfit <- brm(${call}, data = d)\n`;
    // Rscript: make_standata(ylab ~ x, data = d, family = cumulative()) and with d$f <- factor(d$ylab): brms's message.
    const refusal = /line 3[\s\S]*Family 'cumulative' requires either positive integers or ordered factors as responses/;
    expect(errorOf(script("ylab ~ x, family = cumulative"), labels)).toMatch(refusal);
    expect(errorOf(withColumn("factor(d$ylab)", "o ~ x, family = cumulative"), labels)).toMatch(/line 4[\s\S]*requires either positive integers or ordered factors[\s\S]*unordered factor/);
    // Rscript: d$o <- factor(d$ylab, levels = c("never", "sometimes", "rarely", "often", "always", "daily"), ordered = TRUE);
    // s <- make_standata(o ~ x, data = d, family = cumulative()): s$nthres = 3 and s$Y = the codes of yo, as brms drops
    // the unused levels "sometimes" and "daily" (model.frame's drop.unused.levels).
    const unused = buildFrom(withColumn('factor(d$ylab, levels = c("never", "sometimes", "rarely", "often", "always", "daily"), ordered = TRUE)', "o ~ x, family = cumulative"), labels);
    const plain = buildFrom(script("yo ~ x, family = cumulative"), labels);
    expect(unused.standata.get("nthres")).toEqual({ kind: "int", value: 3 });
    expect(unused.standata.get("Y")).toEqual(plain.standata.get("Y"));
  });

  it("takes cs() for the ordinal families only, as brms does", () => {
    expect(errorOf(script("yo ~ cs(z), family = poisson"), csv)).toMatch(/line 3[\s\S]*Category specific effects are not supported for this family\.[\s\S]*not poisson/);
    expect(errorOf(script("bf(yo ~ z, disc ~ cs(x)), family = sratio"), csv)).toMatch(/Category specific effects are only supported for the main parameter 'mu'/);
    expect(errorOf(script("yo | thres(gr = g) ~ cs(z), family = sratio"), csv)).toMatch(/Cannot use category specific effects in models with multiple thresholds/);
    expect(errorOf(script("yo ~ x + (cs(1) | g), family = cratio"), csv)).toBe("no error");
    expect(errorOf(script("yo ~ x + (1 + cs(z) | g), family = cratio"), csv)).toMatch(/line 3[\s\S]*'1 \+ cs\(z\)' mixes cs\(\) with other group-level terms/);
    expect(errorOf(script("yo ~ x + (cs(1) | g), family = poisson"), csv)).toMatch(/Category specific effects are not supported for this family/);
    expect(errorOf(script("yo | thres(gr = g) ~ x + (cs(1) | g), family = acat"), csv)).toMatch(/Cannot use category specific effects in models with multiple thresholds/);
    expect(errorOf(script("yo ~ cs(1), family = cratio"), csv)).toMatch(/cs\(1\) \(category-specific intercepts\) is not supported here/);
    expect(errorOf(script("yo ~ z + cs(z), family = acat"), csv)).toBe("no error");
    // sample_prior = "yes" draws the thresholds' priors (the *-sample-prior fixtures), grouped thresholds too.
    expect(errorOf(script('yo ~ cs(z), family = acat, sample_prior = "yes"'), csv)).toBe("no error");
    expect(errorOf(script('yo | thres(gr = g) ~ z, family = cumulative, sample_prior = "yes"'), csv)).toBe("no error");
    expect(errorOf(script('yo ~ z, family = cumulative, sample_prior = "only"'), csv)).toBe("no error");
    // brms 2.18 fits cs() with cumulative, with this warning (it does not refuse it).
    const cumulative = buildFrom(script("yo ~ cs(x), family = cumulative"), csv);
    expect(cumulative.model.warnings.warnings.map((w) => w.message)).toContain("Category specific effects for this family should be considered experimental and may have convergence issues.");
    expect(buildFrom(script("yo ~ cs(x), family = acat"), csv).model.warnings.warnings).toEqual([]);
  });

  it("prints the family, its links and the disc formula", () => {
    const b = buildFrom(script('bf(yo ~ x, disc ~ z), family = cratio("probit")'), csv);
    expect(b.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 })).toContain(" Family: cratio \n  Links: mu = probit; disc = log \nFormula: yo ~ x \n         disc ~ z\n");
  });
});
