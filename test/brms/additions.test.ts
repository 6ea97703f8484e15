/**
 * brms addition terms (weights, cens, trunc, se, rate) and prior options (lb/ub, constant(),
 * sample_prior = "yes") against brms 2.18's own output. Each folder of test/fixtures/brms-additions
 * holds a model.R (a brm() call on the shared simulated data.csv, made by `Rscript gen-data.R`) and
 * what brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...), both
 * written by `Rscript ../brms-families/gen.R` there; logprob.json (rstan's log_prob at theta[i] = 0.1 sin(i)),
 * variables.txt, prior_summary.txt and print.txt (brms's mock fit) by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>...` there. familyFixtureSuite.ts
 * holds the checks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-additions/", import.meta.url).pathname;

/**
 * Fixtures where rstan's gradient itself is approximate: Stan 2.21 differentiates the gamma CDF in
 * its shape by a series (grad_reg_inc_gamma) good to about 1e-6, and neg_binomial_2's CDF in phi
 * likewise. There the gradient is held to that tolerance against rstan, and to 1e-9 against a
 * Richardson-extrapolated central difference of stan2ts's own log density.
 */
const APPROXIMATE_RSTAN_GRADIENT: Readonly<Record<string, number>> = { "cens-gamma": 1e-6 };

describeFamilyFixtures("brms addition terms and prior options", ROOT, {
  minFixtures: 48,
  // rstan compiles slowly (about a minute each), so not every folder has logprob.R's outputs.
  rstanRecorded: 40,
  mockRecorded: 40,
  // make_standata's JSON keeps 15 significant digits: computed values (scaled weights) agree to that.
  dataTolerance: 1e-14,
  // rate-identity's identity link needs mu > 0.
  shiftOutOfSupport: true,
  approximateRstanGradient: APPROXIMATE_RSTAN_GRADIENT,
});

describe("brms prior options: located refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;
  const error = (call: string) => errorOf(script(call), csv);

  it("takes lb/ub for a whole class, as brms does", () => {
    expect(error("yr ~ x + z, prior = prior(normal(0, 1), class = b, coef = x, lb = 0)")).toMatch(/line 3[\s\S]*Argument 'coef' may not be specified when using boundaries/);
    expect(error("yr ~ x + (1 + x | g), prior = prior(lkj(2), class = cor, lb = 0)")).toMatch(/Bounds \(lb\/ub\) on class cor priors are not supported/);
    expect(error("yr ~ x + (1 | g), prior = prior(normal(0, 1), class = sd, group = g, ub = 3)")).toMatch(/lb\/ub on sd priors only for the whole class/);
    expect(error("yr ~ x, prior = prior(normal(0, 1), class = b, lb = zero)")).toMatch(/Prior bounds must be numbers, not 'zero'/);
  });

  it("reads sample_prior as brms does", () => {
    expect(error('yr ~ x, sample_prior = "maybe"')).toMatch(/sample_prior takes "no", "yes" or "only"/);
    expect(error("yr ~ x, sample_prior = TRUE")).toBe("no error");
  });
});

describe("brms addition terms: located refusals that name the cause", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;
  const error = (call: string) => errorOf(script(call), csv);

  it("refuses addition terms stan2ts does not implement, saying why", () => {
    expect(error("yr | dec(cn) ~ x")).toMatch(/line 3[\s\S]*Argument 'dec' is not supported for family 'gaussian\(identity\)'[\s\S]*wiener/);
    expect(error("yr | index(x) ~ x")).toMatch(/index\(\) is not supported[\s\S]*mi\(\) response/);
    expect(error("yr | thres(3) ~ x")).toMatch(/line 3[\s\S]*Argument 'thres' is not supported for family 'gaussian\(identity\)'[\s\S]*ordinal families/);
    expect(error("yr | foo(z) ~ x")).toMatch(/'foo\(z\)' is not an addition term/);
    expect(error("yr | weights(w) + weights(w) ~ x")).toMatch(/weights\(\) is given twice/);
    expect(error("yr | weights(w, scale = 1) ~ x")).toMatch(/weights\(..., scale = \) takes TRUE or FALSE/);
  });

  it("checks each term against the family", () => {
    expect(error("yp | se(s) ~ x, family = poisson")).toMatch(/se\(\) is for gaussian and student models, not poisson/);
    // make_stancode(bf(yr | se(s) ~ x, sigma ~ z), data = d): "Cannot predict or fix 'sigma' in this model."; with
    // se(s, sigma = TRUE) brms takes it (fixtures se-sigma-formula, se-sigma-formula-student)
    expect(error("bf(yr | se(s) ~ x, sigma ~ z)")).toMatch(/line 3[\s\S]*Cannot predict or fix 'sigma' in this model\.[\s\S]*se\(x, sigma = TRUE\)/);
    expect(error("bf(yr | se(s, sigma = TRUE) ~ x, sigma ~ z)")).toBe("no error");
    expect(error("yr | rate(expo) ~ x")).toMatch(/rate\(\) is for count families with a rate \(poisson, negbinomial\), not gaussian/);
    expect(error("yu | cens(cn) ~ x, family = Beta")).toMatch(/cens\(\) needs the beta family's log CDF and CCDF/);
    // weights() and se() are what brms takes with rescor (brms-mv fixtures rescor-weights, rescor-se, …)
    expect(error("bf(yr | weights(w) ~ x) + bf(ypos ~ x)")).toBe("no error");
    // Rscript -e 'd$c <- 0; make_stancode(bf(yr | cens(c) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE), data = d)' (brms-mv data): brms's message
    expect(error("bf(yr | cens(cn) ~ x) + bf(ypos ~ x)")).toMatch(/Only 'se', 'weights', 'mi' are supported addition arguments when 'rescor' is estimated\./);
  });

  it("checks the data of each term, naming the row", () => {
    expect(error("yr | cens(cn) ~ x")).toMatch(/Row 2 is interval censored, so cens\(\) needs the upper ends as its second argument: cens\(cn, y2\)/);
    expect(error("yr | cens(g) ~ x")).toMatch(/cens\(\) codes must be 'left', 'none', 'right' or 'interval' \(or -1, 0, 1, 2\), but row 1 of 'g' holds a/);
    expect(error("yr | cens(cw, yr) ~ x")).toMatch(/need an upper end above the response, but row 2 has yr = 1.472/);
    expect(error("yr | weights(x) ~ x")).toMatch(/weights\(\) needs non-negative values, but row 1 of 'x' holds -0.93/);
    expect(error("yr | trunc(lb = 0) ~ x")).toMatch(/Some responses are outside of the truncation bounds: row 1 holds -0.801/);
    expect(error("yp | trunc(lb = 0.5) ~ x, family = poisson")).toMatch(/Truncation bounds of a count response must be integers/);
    expect(error("yr | weights(g) ~ x")).toMatch(/Column 'g' must be numeric, but row 1 holds 'a'/);
    expect(error("yr | se(s + 1) ~ x")).toMatch(/se\(s \+ 1\) is not supported; give the standard errors as a column/);
  });
});

/**
 * dec() and the wiener family. brms 2.18's messages, from
 *   Rscript -e 'library(brms); d <- data.frame(rt = c(.6, .8, 1.1, .7), decision = c(1, 0, 1, 2), x = 1:4,
 *     ds = c("upper", "lower", "upper", "lower"), dl = c(TRUE, FALSE, TRUE, TRUE));
 *     try(make_stancode(rt ~ x, data = d, family = wiener()));                 # dec is required
 *     str(make_standata(rt | dec(decision) ~ x, data = d, family = wiener())$dec) # 1 0 1 1
 *     str(make_standata(rt | dec(ds) ~ x, data = d, family = wiener())$dec)       # 1 0 1 0
 *     str(make_standata(rt | dec(dl) ~ x, data = d, family = wiener())$dec)'      # 1 0 1 1
 */
describe("dec(): the wiener family's decisions", () => {
  const csv = "rt,decision,x,ds,dl,bad\n0.6,1,1,upper,TRUE,up\n0.8,0,2,lower,FALSE,down\n1.1,1,3,upper,TRUE,up\n0.7,2,4,lower,TRUE,up\n";
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d, family = wiener())\n`;
  const decisions = (column: string) => [...(buildFrom(script(`rt | dec(${column}) ~ x`), csv).standata.get("dec")!.value as Int32Array)];

  it("reads numbers as R's as.logical, words 'lower'/'upper' and TRUE/FALSE as brms does", () => {
    expect(decisions("decision")).toEqual([1, 0, 1, 1]);
    expect(decisions("ds")).toEqual([1, 0, 1, 0]);
    expect(decisions("dl")).toEqual([1, 0, 1, 1]);
  });

  it("refuses a wiener model without dec(), and other words, with brms's messages", () => {
    expect(errorOf(script("rt ~ x"), csv)).toMatch(/line 3[\s\S]*Addition argument 'dec' is required for family 'wiener'/);
    expect(errorOf(script("rt | dec(bad) ~ x"), csv)).toMatch(/Decisions should be 'lower' or 'upper' when supplied as characters or factors[\s\S]*Row 1 of 'bad' holds 'up'/);
    expect(errorOf(script("rt | dec(decision) + cens(decision) ~ x"), csv)).toMatch(/cens\(\) needs the wiener family's log CDF and CCDF/);
    expect(errorOf(script("rt | dec(x + 1) ~ x"), csv)).toMatch(/dec\(x \+ 1\) is not supported; give the decisions/);
  });
});
