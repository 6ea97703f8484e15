/**
 * brms's categorical family and its matrix-response relatives multinomial and dirichlet against brms 2.18's own output. Each folder of
 * test/fixtures/brms-categorical holds a model.R (a brm() call on the shared simulated data.csv,
 * written by `Rscript gen-data.R`) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), both written by `Rscript ../brms-families/gen.R` run in that
 * folder. Where recorded, logprob.json, variables.txt, prior_summary.txt and print.txt come from
 * `Rscript ../brms-families/logprob.R <folder>` (rstan's log_prob at theta[i] = 0.1 sin(i), and a
 * mock brms fit).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-categorical/", import.meta.url).pathname;

const fixtures = describeFamilyFixtures("brms categorical, multinomial and dirichlet families", ROOT, { rstanRecorded: 9 });

describe("brms categorical family: categories, formulas and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("has text and numeric responses, per-category formulas and group terms", () => {
    expect(fixtures.names).toEqual(
      expect.arrayContaining(["categorical", "categorical-dpar", "categorical-integer", "categorical-intercept", "categorical-fixed", "multinomial", "multinomial-group", "dirichlet", "dirichlet-phi"]),
    );
  });

  it("takes the first category as the reference and names one linear predictor per other category", async () => {
    const text = (await fixtures.build("categorical")).model.responses[0];
    expect(text.categories?.levels).toEqual(["bus", "car", "train"]);
    expect(text.dpars.map((p) => p.dpar)).toEqual(["mucar", "mutrain"]);
    const numeric = (await fixtures.build("categorical-integer")).model.responses[0];
    expect(numeric.dpars.map((p) => [p.dpar, p.coefs.join(",")])).toEqual([["mu2", "x,z"], ["mu3", ""]]);
  });

  it("prints every category's link and formula", () => {
    const b = buildFrom(script("bf(yc ~ x, mutrain ~ z), family = categorical()"), csv);
    expect(b.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 })).toContain(
      " Family: categorical \n  Links: mucar = logit; mutrain = logit \nFormula: yc ~ x \n         mutrain ~ z\n",
    );
  });

  it("names a category formula that the data lack, and categories it cannot name", () => {
    expect(errorOf(script("bf(yc ~ x, mubus ~ z), family = categorical"), csv)).toMatch(/'mubus' is not a distributional parameter of the categorical family[\s\S]*'mucar', 'mutrain'/);
    // brms's make_stan_names: `high speed` → muhighspeed (the fixture categorical-labels has brms's program for such labels)
    expect(buildFrom(script("yc ~ x, family = categorical"), csv.replace(/,train,/g, ",high speed,")).model.responses[0].dpars.map((p) => p.dpar)).toEqual(["mucar", "muhighspeed"]);
    expect(errorOf(script("yc ~ x, family = categorical"), csv.replace(/,train,/g, ",c-ar,"))).toMatch(/category 'car' of 'yc' is not supported: it and 'c-ar' both become the name 'mucar'/);
    expect(errorOf(script("yc ~ x, family = categorical"), csv.replace(/,train,/g, ",très bien,"))).toMatch(/category 'très bien' of 'yc' is not supported: stan2ts needs category labels in ASCII/);
    expect(errorOf(script("yc ~ x, family = categorical"), csv.replace(/,train,/g, ",--,"))).toMatch(/category '--' of 'yc' is not supported: it holds no letter or digit/);
    expect(errorOf(script("yc ~ x, family = categorical"), csv.replace(/,(train|car),/g, ",bus,"))).toMatch(/categorical family needs at least 2 categories, but 'yc' has only 1/);
    expect(errorOf(script('yc ~ x, family = categorical(link = "probit")'), csv)).toMatch(/link 'probit' is not available for the categorical family's mu/);
  });

  it("reads cbind() as one matrix response for multinomial and dirichlet, as mvbind() otherwise", async () => {
    const multinomial = (await fixtures.build("multinomial-group")).model.responses[0];
    expect(multinomial.responseColumns).toEqual(["n1", "n2", "n3"]);
    expect(multinomial.dpars.map((p) => [p.dpar, p.coefs.join(",")])).toEqual([["mun2", "x"], ["mun3", "z"]]);
    const b = buildFrom(script("cbind(p1, p2, p3) ~ x, family = dirichlet()"), csv);
    expect(b.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 })).toContain(" Family: dirichlet \n  Links: mup2 = logit; mup3 = logit; phi = identity \nFormula: cbind(p1, p2, p3) ~ x \n");
    expect(buildFrom(script("cbind(p1, p2) ~ x"), csv).model.responses.map((r) => r.variable)).toEqual(["p1", "p2"]);
  });

  it("spreads global b and Intercept priors over the category predictors, with brms's deprecation warning per class", async () => {
    // The programs are the fixtures categorical-global-priors, multinomial-global-priors and dirichlet-phi-global-priors.
    // Rscript -e 'library(brms); d <- read.csv("data.csv"); withCallingHandlers(make_stancode(yc ~ x + z, family = categorical(), data = d,
    //   prior = c(prior(normal(0, 2), class = b), prior(normal(0, 5), class = Intercept))), warning = function(w) print(conditionMessage(w)))'
    // prints the warning twice (once per class), once with only the b prior; with prior(normal(0, 2), class = b, coef = x) it stops with
    // "The following priors do not correspond to any model parameter: b_x ~ normal(0, 2)".
    const message = "Specifying global priors for regression coefficients in categorical models is deprecated. Please specify priors separately for each response category.";
    const warningsOf = (call: string) => buildFrom(script(call), csv).model.warnings.warnings.filter((w) => w.message.startsWith("Specifying global priors")).map((w) => w.message);
    expect(warningsOf("yc ~ x + z, family = categorical(), prior = c(prior(normal(0, 2), class = b), prior(normal(0, 5), class = Intercept))")).toEqual([message, message]);
    expect(warningsOf("yc ~ x + z, family = categorical(), prior = prior(normal(0, 2), class = b)")).toEqual([message]);
    expect(warningsOf("yc ~ x + z, family = categorical(), prior = prior(normal(0, 1), class = b, dpar = mucar)")).toEqual([]);
    expect(errorOf(script("yc ~ x + z, family = categorical(), prior = prior(normal(0, 2), class = b, coef = x)"), csv)).toMatch(/do not correspond to any model parameter:\n.*b_x ~ normal\(0, 2\)/);
    // a dpar's own prior wins whichever comes first; the copies stay brms's "default" rows
    const rows = (await fixtures.build("categorical-global-priors")).model.priors.filter((r) => r.class === "b" && r.coef === "");
    expect(rows.map((r) => [r.dpar, r.prior, r.source])).toEqual([
      ["mucar", "normal(0, 1)", "user"],
      ["mutrain", "normal(0, 2)", "default"],
    ]);
    // multivariate: brms's multivariate warning for the resp-less prior, then the categorical one
    const mv = buildFrom(script("bf(yc ~ x, family = categorical()) + bf(z ~ x) + set_rescor(FALSE), prior = prior(normal(0, 2), class = b)"), csv).model.warnings.warnings.map((w) => w.message);
    expect(mv.filter((m) => m.startsWith("Specifying global priors"))).toEqual([expect.stringContaining("in multivariate models is deprecated"), message]);
  });

  it("checks matrix responses row by row and names what is missing", () => {
    expect(errorOf(script("cbind(n1, n2, n3) ~ x, family = multinomial"), csv)).toMatch(/multinomial family needs the number of trials/);
    expect(errorOf(script("cbind(n1, n2, n3) | trials(n1) ~ x, family = multinomial"), csv)).toMatch(/row 1 \(6, 6, 2\) is a total of 14, not its 6 trials/);
    expect(errorOf(script("n1 ~ x, family = multinomial"), csv)).toMatch(/multinomial family needs one matrix response: write cbind\(y1, y2, \.\.\.\) ~/);
    expect(errorOf(script("cbind(p1, p2) ~ x, family = dirichlet"), csv)).toMatch(/dirichlet family needs proportions in \(0, 1\) summing to 1 as the response, but row 1/);
    expect(errorOf(script("cbind(n1, n2) | trials(nt) ~ x"), csv)).toMatch(/Addition terms with mvbind\(\) or cbind\(\) are not supported/);
  });
});
