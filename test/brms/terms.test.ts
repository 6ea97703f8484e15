/**
 * brms formula terms against brms 2.18's own output. Each folder of test/fixtures/brms-terms holds
 * a model.R (a brm() call on the shared simulated data.csv, made by `Rscript gen-data.R`) and what
 * brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...), both
 * written by `Rscript ../brms-families/gen.R` in that folder (R 4.x, brms 2.18, locale en_US.UTF-8 / C.UTF-8).
 * familyFixtureSuite.ts holds the checks.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { conditionalEffects } from "../../src/brms/postFit/conditionalEffects";
import { contrastFunction, countLevels } from "../../src/brms/terms/contrasts";
import { compareText } from "../../src/brms/terms/levels";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brm, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-terms/", import.meta.url).pathname;

describeFamilyFixtures("brms terms", ROOT, {
  minFixtures: 20,
  // rstan's log_prob and the mock fit (`Rscript ../brms-families/logprob.R <fixture>` in test/fixtures/brms-terms).
  rstanRecorded: 4,
  // Data columns brms copies from the data are exact; computed ones (scale, poly) agree to ~1e-12.
  dataTolerance: 1e-12,
  priorSummaryWrapped: true,
});

describe("brms terms: names, order and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const coefs = (formula: string) => buildFrom(brm(formula), csv).model.responses[0].mu.coefs;

  it("sorts text as R's sort() does under en_US, not by bytes", () => {
    expect(["c", "B", "a", "Z", "b_2", "D"].sort(compareText)).toEqual(["a", "B", "b_2", "c", "D", "Z"]);
    expect(["s2", "S3", "s1"].sort(compareText)).toEqual(["s1", "s2", "S3"]);
    expect(coefs("y ~ f")).toEqual(["fB", "fb_2", "fc", "fD", "fZ"]);
  });

  it("names interaction columns as model.matrix does and orders terms by degree", () => {
    expect(coefs("y ~ x:w + x")).toEqual(["x", "x:w"]);
    expect(coefs("y ~ h * x")).toEqual(["hlo", "hmid", "x", "hlo:x", "hmid:x"]);
    // h gets contrasts in x:h when x is an earlier term (R's rule), one column per level when not.
    expect(coefs("y ~ x + x:h")).toEqual(["x", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ w + x:h")).toEqual(["w", "x:hhi", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ (x + w + pos)^2")).toEqual(["x", "w", "pos", "x:w", "x:pos", "w:pos"]);
    expect(coefs("y ~ h / x")).toEqual(["hlo", "hmid", "hhi:x", "hlo:x", "hmid:x"]);
  });

  it("reads ^ as formula power and arithmetic inside functions, as R does", () => {
    expect(coefs("y ~ x + w^2")).toEqual(["x", "w"]);
    expect(coefs("y ~ log(w + 1) + I(x * w)")).toEqual(["logwP1", "IxMUw"]);
  });

  it("refuses with located messages", () => {
    expect(errorOf(brm("y ~ poly(f, 2)"), csv)).toMatch(/line 3[\s\S]*Column 'f' holds text/);
    expect(errorOf(brm("y ~ poly(cyl, 3)"), csv)).toMatch(/poly\(\): the degree \(3\) must be less than the number of distinct values \(3\)/);
    expect(errorOf(brm("y ~ x + (1 | g1/g2:h)"), csv)).toMatch(/no error/);
    expect(errorOf(brm("y ~ x + (1 | (g1 + g2))"), csv)).toMatch(/grouping factor '\(g1 \+ g2\)' is not supported/);
    expect(errorOf(brm("y ~ x + offset(f)"), csv)).toMatch(/Column 'f' holds text/);
    expect(errorOf(brm("y ~ x + (1 + x | g1) + offset(w)"), csv)).toMatch(/no error/);
  });
});

describe("brms terms: factors and contrasts set in the script", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  /** A script whose data steps come before brm(y ~ rhs). */
  const script = (steps: string, rhs: string) => `library(brms)\nd <- read_csv("data.csv")\n${steps}\nfit <- brm(y ~ ${rhs}, data = d)\n`;
  const coefs = (steps: string, rhs: string) => buildFrom(script(steps, rhs), csv).model.responses[0].mu.coefs;

  it("computes R's contrast matrices", () => {
    // Rscript -e 'options(digits = 17); print(unname(contr.poly(5)))' (R 4.2.2)
    const poly5 = [
      [-6.3245553203367588e-1, 0.53452248382484879, -3.1622776601683777e-1, 0.11952286093343928],
      [-3.1622776601683777e-1, -0.2672612419124244, 6.3245553203367577e-1, -0.47809144373375756],
      [-3.5108334685767005e-17, -0.53452248382484868, 1.7554167342883514e-16, 0.71713716560063634],
      [3.1622776601683783e-1, -0.2672612419124244, -6.3245553203367599e-1, -0.47809144373375728],
      [6.3245553203367588e-1, 0.53452248382484879, 3.1622776601683783e-1, 0.11952286093343928],
    ];
    const poly = contrastFunction("contr.poly", countLevels(5));
    expect(poly.colnames).toEqual([".L", ".Q", ".C", "^4"]);
    poly.rows.forEach((row, r) => row.forEach((x, c) => expect(Math.abs(x - poly5[r][c]), `[${r},${c}]`).toBeLessThan(1e-15)));
    // Rscript -e 'print(contr.helmert(4))'
    expect(contrastFunction("contr.helmert", countLevels(4)).rows).toEqual([[-1, -1, -1], [1, -1, -1], [0, 2, -1], [0, 0, 3]]);
    expect(contrastFunction("contr.sum", countLevels(3))).toEqual({ rows: [[1, 0], [0, 1], [-1, -1]] });
    expect(contrastFunction("contr.treatment", countLevels(3), 2)).toEqual({ rows: [[1, 0], [0, 0], [0, 1]], colnames: ["1", "3"] });
    expect(contrastFunction("contr.SAS", ["a", "b", "c"]).colnames).toEqual(["a", "b"]);
  });

  it("names the columns as model.matrix does", () => {
    // Rscript -e 'd <- read.csv("data.csv"); d$h <- factor(d$h); contrasts(d$h) <- contr.treatment;
    //   print(colnames(model.matrix(~ h, d))); contrasts(d$h) <- "contr.helmert"; print(colnames(model.matrix(~ h, d)));
    //   print(colnames(model.matrix(~ 0 + h + x, d))); d$o <- ordered(d$cyl); print(colnames(model.matrix(~ o + x:o, d)))'
    expect(coefs("d$h <- factor(d$h)\ncontrasts(d$h) <- contr.treatment", "h")).toEqual(["h2", "h3"]);
    expect(coefs('d$h <- factor(d$h)\ncontrasts(d$h) <- "contr.helmert"', "h")).toEqual(["h1", "h2"]);
    expect(coefs('d$h <- factor(d$h)\ncontrasts(d$h) <- "contr.helmert"', "0 + h + x")).toEqual(["hhi", "hlo", "hmid", "x"]);
    expect(coefs("d$o <- ordered(d$cyl)", "o + x:o")).toEqual(["o.L", "o.Q", "o4:x", "o6:x", "o8:x"]);
    // mutate() makes factors too; factor() levels decide the reference level.
    expect(coefs('d <- mutate(d, h = factor(h, levels = c("mid", "lo", "hi")))', "h")).toEqual(["hlo", "hhi"]);
    expect(coefs("d <- d %>% mutate(h = as.ordered(h))", "h")).toEqual(["h.L", "h.Q"]);
    // factor() of a factor keeps its levels and drops its contrasts, as in R.
    expect(coefs('d$h <- factor(d$h, levels = c("mid", "lo", "hi"))\ncontrasts(d$h) <- contr.sum(3)', "factor(h)")).toEqual(["factorhlo", "factorhhi"]);
    // Factor calls in the formula itself: Rscript -e 'get_prior(y ~ ordered(cyl) + factor(h, levels = c("mid", "lo", "hi"))
    //   + relevel(factor(f), ref = "c") + as.ordered(h), data = d)$coef' (brms 2.18)
    expect(coefs("", 'ordered(cyl) + factor(h, levels = c("mid", "lo", "hi")) + relevel(factor(f), ref = "c") + as.ordered(h)')).toEqual([
      "orderedcyl.L", "orderedcyl.Q", "factorhlevelsEQcmidlohilo", "factorhlevelsEQcmidlohihi",
      "relevelfactorfrefEQca", "relevelfactorfrefEQcB", "relevelfactorfrefEQcb_2", "relevelfactorfrefEQcD", "relevelfactorfrefEQcZ",
      "as.orderedh.L", "as.orderedh.Q",
    ]);
    // A factor response keeps its level order. Rscript -e 'd$h <- factor(d$h, levels = c("mid", "lo", "hi"));
    //   make_standata(h ~ x, data = d, family = categorical())$Y; make_stancode(...)' (brms 2.18): Y 2 … 3 … 1 …, Intercept_mulo then Intercept_muhi
    const categorical = buildFrom(script('d$h <- factor(d$h, levels = c("mid", "lo", "hi"))', "x").replace("fit <- brm(y ~", "fit <- brm(h ~").replace("data = d)", "data = d, family = categorical())"), csv);
    expect(categorical.model.responses[0].categories?.levels).toEqual(["mid", "lo", "hi"]);
    expect(Array.from(categorical.model.responses[0].categories!.codes!).filter((_, i) => i % 12 === 0)).toEqual([2, 3, 1]);
    expect(categorical.model.responses[0].dpars.map((p) => p.dpar)).toEqual(["mulo", "muhi"]);
    expect(errorOf(script("d$y <- factor(d$y)", "x"), csv)).toMatch(/Column 'y' is a factor \(made with factor\(\) or ordered\(\) in the script\), but it must be numeric here/);
    // options(contrasts =) applies to the brm() calls after it.
    expect(coefs('d$h <- factor(d$h)\nfit0 <- brm(y ~ h, data = d)\noptions(contrasts = c("contr.helmert", "contr.poly"))', "h")).toEqual(["h1", "h2"]);
    // A factor's own level order is its grouping order.
    const ids = buildFrom(script('d$g1 <- factor(d$g1, levels = c("S3", "s2", "s1"))', "x + (1 | g1)"), csv).model.ids;
    expect(ids[0].levels).toEqual(["S3", "s2", "s1"]);
  });

  it("conditional_effects() codes its grid by the factor's own levels and contrasts", () => {
    const { model } = buildFrom(script('d$h <- factor(d$h, levels = c("mid", "lo", "hi"))\ncontrasts(d$h) <- contr.sum(3)', "x + h"), csv);
    const values: Record<string, number> = { b_Intercept: 1, b_x: 2, b_h1: 0.5, b_h2: -0.125, sigma: 1 };
    const fit = { variables: Object.keys(values), draws: (name: string) => new Float64Array(2).fill(values[name]) };
    const h = conditionalEffects(model, fit).effects.find((e) => e.variable === "h")!;
    const x = Array.from(model.rows, (r) => (model.frame.columns.get("x")!.values as Float64Array)[r]);
    const atMean = 1 + (2 * x.reduce((a, v) => a + v, 0)) / x.length;
    // contr.sum rows: mid (1, 0), lo (0, 1), hi (-1, -1)
    expect(h.rows.map((row) => row.x)).toEqual(["mid", "lo", "hi"]);
    h.rows.forEach((row, k) => expect(row.estimate).toBeCloseTo(atMean + [0.5, -0.125, -0.375][k], 12));
  });

  it("refuses what R refuses, and what stan2ts cannot compute, with located messages", () => {
    const error = (steps: string, rhs = "h") => errorOf(script(steps, rhs), csv);
    expect(error("contrasts(d$h) <- contr.sum(3)")).toMatch(/line 3[\s\S]*contrasts apply only to factors[\s\S]*d\$h <- factor\(d\$h\)/);
    expect(error("d$h <- factor(d$h)\ncontrasts(d$h) <- contr.sum(4)")).toMatch(/line 4[\s\S]*wrong number of contrast matrix rows: 4 for the 3 levels of 'h'/);
    expect(error("d$h <- factor(d$h)\ncontrasts(d$h) <- cbind(a = c(1, 0, -1))")).toMatch(/has 1 column; stan2ts needs all 2/);
    expect(error('d$h <- factor(d$h)\ncontrasts(d$h) <- "contr.foo"')).toMatch(/'"contr.foo"' is not a contrast stan2ts can compute/);
    expect(error("d$h <- factor(d$h)\ncontrasts(d$h) <- contr.poly(3, scores = c(1, 2, 4))")).toMatch(/contr.poly\(\) argument 'scores' is not supported/);
    expect(error('d$h <- relevel(d$h, ref = "mid")')).toMatch(/'relevel' only for \(unordered\) factors/);
    expect(error('d$h <- relevel(factor(d$h), ref = "top")')).toMatch(/'top' is not one of 'hi', 'lo', 'mid'/);
    expect(error('d$h <- factor(d$h, labels = c("a", "b", "c"))')).toMatch(/factor\(\) argument 'labels' is not supported/);
    expect(error('options(contrasts = c("contr.sum"))')).toMatch(/options\(contrasts = \.\.\.\) takes two contrast functions/);
    expect(error("d$h <- factor(e$h)")).toMatch(/Only columns of 'd' can be used here/);
    expect(error("d$h <- as.character(d$h)")).toMatch(/line 3[\s\S]*'as.character\(d\$h\)' is not supported in mutate\(\) or d\$x <- …/);
    expect(error("d$h <- factor(d$h)\ncontrasts(d$h) <- cbind()")).toMatch(/'cbind\(\)' is not a contrast stan2ts can compute/);
    expect(error("d$h <- factor(d$h)\ncontrasts(d$h) <- matrix(c(), nrow = 3)")).toMatch(/matrix\(\) needs its values/);
    expect(error("", 'factor(h, levels = c("lo", "mid"))')).toMatch(/has no level for row 13/);
    // A factor made before brm() turns such values into missing ones: those rows are dropped with brms's warning.
    const dropped = buildFrom(script('d$h <- factor(d$h, levels = c("lo", "mid"))', "h"), csv).model;
    expect([dropped.rows.length, dropped.warnings.warnings.map((w) => w.message)]).toEqual([24, ["Rows containing NAs were excluded from the model."]]);
    // Levels the kept rows lack drop the contrasts set for them; R warns and falls back, stan2ts asks.
    expect(error('d$h <- factor(d$h, levels = c("lo", "mid", "hi", "top"))\ncontrasts(d$h) <- contr.sum(4)')).toMatch(/set for 4 levels, but the rows of the model have only 3/);
  });
});

describe("brms terms: gr()", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const error = (formula: string) => errorOf(brm(formula), csv);

  it("reads by =, cor = and id =", () => {
    const model = (formula: string) => buildFrom(brm(formula), csv).model;
    expect(model("y ~ x + (1 + x | gr(g1, cor = FALSE))").ids[0].correlated).toBe(false);
    const shared = model("bf(y ~ x + (1 | gr(g1, id = 'a')), sigma ~ (1 | a | g1))").ids;
    expect(shared.map((id) => id.coefs.map((c) => `${c.predictor.dpar}:${c.coef}`))).toEqual([["mu:Intercept", "sigma:Intercept"]]);
    const by = model("y ~ x + (1 | gr(sub, by = h))").ids[0].by!;
    expect([by.levels, Array.from(by.levelOf)]).toEqual([["hi", "lo", "mid"], [1, 1, 1, 2, 2, 2, 3, 3, 3]]);
  });

  it("refuses with located messages", () => {
    expect(error("y ~ x + (1 | gr(g1, by = h))")).toMatch(/line 3[\s\S]*Level 's1' of 'g1' occurs with more than one level of the by variable 'h'/);
    expect(error("y ~ x + (1 | gr(g1, cov = A))")).toMatch(/gr\(\) argument 'cov' is not supported/);
    expect(error("y ~ x + (1 | gr(g1, g2))")).toMatch(/Several grouping variables in gr\(\) are not supported/);
    expect(error('y ~ x + (1 | gr(g1, dist = "student"))')).toMatch(/Only dist = "gaussian"/);
    // mm() is supported (monotonic.test.ts); one grouping factor is not a multi-membership
    expect(error("y ~ x + (1 | mm(g1))")).toMatch(/mm\(\) needs at least two grouping factors/);
    // Rscript -e 'make_stancode(y ~ x + (1 | gr(sub, by = h)), data = d, prior = prior(normal(0, 1), class = sd, group = sub))' (brms 2.18)
    const sdPrior = buildFrom(brm("y ~ x + (1 | gr(sub, by = h))", ", prior = prior(normal(0, 1), class = sd, group = sub)"), csv).stanCode;
    expect(sdPrior).toContain("lprior += normal_lpdf(to_vector(sd_1) | 0, 1) - 1 * normal_lccdf(0 | 0, 1);");
    // Rscript -e 'make_stancode(y ~ x + (1 + x | gr(sub, by = h)), data = d, prior = prior(normal(0, 1), class = sd, coef = x, group = sub))' (brms 2.18)
    const coefPrior = buildFrom(brm("y ~ x + (1 + x | gr(sub, by = h))", ", prior = prior(normal(0, 1), class = sd, coef = x, group = sub)"), csv).stanCode;
    expect(coefPrior).toContain("lprior += student_t_lpdf(sd_1[1] | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);");
    expect(coefPrior).toContain("lprior += normal_lpdf(sd_1[2] | 0, 1) - 1 * normal_lccdf(0 | 0, 1);");
    expect(errorOf(brm("y ~ x + (1 | gr(sub, by = h))", ", prior = prior(constant(1), class = sd, group = sub)"), csv)).toMatch(/constant\(\) sd priors together with gr\(by = \)/);
    expect(errorOf(brm("y ~ x + (1 + x | gr(sub, by = h))", ", sample_prior = 'yes', prior = prior(normal(0, 1), class = sd, coef = x, group = sub)"), csv)).toMatch(
      /sample_prior = "yes" together with gr\(by = \) and sd priors that differ between coefficients/,
    );
  });
});
