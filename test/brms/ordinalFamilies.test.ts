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

describeFamilyFixtures("brms ordinal families", ROOT, {
  rstanRecorded: 7,
});

it("has a fixture for every family and link", () => {
  for (const family of ["cumulative", "sratio", "cratio", "acat"]) {
    for (const link of ["probit", "probit_approx", "cloglog"]) expect(FIXTURES, `${family}-${link}`).toContain(`${family}-${link}`);
    expect(FIXTURES).toContain(family);
  }
  expect(FIXTURES).toEqual(expect.arrayContaining(["sratio-cauchit", "cratio-cauchit", "cumulative-disc", "cumulative-intercept"]));
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
    // Not implemented yet: grouped or fixed thresholds, category-specific effects.
    expect(errorOf(script("yo | thres(gr = g) ~ x, family = cumulative"), csv)).toMatch(/line 3[\s\S]*addition term thres\(\) is not supported[\s\S]*default thresholds only/);
    expect(errorOf(script("yo ~ cs(z) + x, family = acat"), csv)).toMatch(/formula term 'cs\(z\)' is not supported/);
  });

  it("prints the family, its links and the disc formula", () => {
    const b = buildFrom(script('bf(yo ~ x, disc ~ z), family = cratio("probit")'), csv);
    expect(b.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 })).toContain(" Family: cratio \n  Links: mu = probit; disc = log \nFormula: yo ~ x \n         disc ~ z\n");
  });
});
