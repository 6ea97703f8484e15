/**
 * Non-linear brms models (`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE)`) against
 * brms 2.18's own output. Each folder of test/fixtures/brms-nonlinear holds a model.R (a brm()
 * call on the simulated data.csv written by `Rscript gen-data.R`) and what brms made of it:
 * stancode.stan = make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript ../brms-families/gen.R <folder>` run in that folder. logprob.json, variables.txt, prior_summary.txt and
 * print.txt come from `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>` there
 * (rstan's log_prob at theta[i] = 0.1 sin(i), and a mock brms fit).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { readBrmsScript } from "../../src/brms/index";
import { checkPostFitCalls } from "../../src/brms/postFit/runPostFit";
import { brmsFixtures, buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-nonlinear/", import.meta.url).pathname;

describeFamilyFixtures("brms non-linear models", ROOT, {
  rstanRecorded: 15,
});

it("has the fixtures of the non-linear features", () => {
  expect(brmsFixtures(ROOT).names).toEqual(["nl-binomial", "nl-compare", "nl-constant", "nl-count-covariate", "nl-decay", "nl-factor", "nl-functions", "nl-gaussian-log", "nl-integer-covariate", "nl-lf", "nl-linear", "nl-nlf-sigma", "nl-poisson", "nl-poisson-weights", "nl-sample-prior", "nl-sigma", "nl-student", "nl-vectorised", "nl-vectorised-link"]);
});

describe("brms non-linear models: what stan2ts builds", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string, after = "") => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n${after}`;
  const decay = (priors: string, extra = "") => script(`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + z${extra}, nl = TRUE), prior = c(${priors})`);
  const both = 'prior(normal(4, 2), nlpar = "a"), prior(normal(0.5, 0.5), nlpar = "b")';

  it("names nlpar coefficients b_<nlpar>_<coef> and their group-level effects by the nlpar", () => {
    const b = buildFrom(script(`bf(y ~ a * exp(-b * x), a ~ 1 + z, b ~ 1 + (1 + z | g), nl = TRUE), prior = c(${both})`), csv);
    const names = b.outputNames.map((n) => n.brms);
    expect(names.slice(0, 7)).toEqual(["b_a_Intercept", "b_a_z", "b_b_Intercept", "sd_g__b_Intercept", "sd_g__b_z", "cor_g__b_Intercept__b_z", "sigma"]);
    expect(names).toContain("r_g__b[g3,z]");
    expect(b.stanCode).toContain("nlp_b[n] += r_1_b_1[J_1[n]] * Z_1_b_1[n] + r_1_b_2[J_1[n]] * Z_1_b_2[n];");
    expect(b.stanCode).toContain("mu[n] = nlp_a[n] * exp(-nlp_b[n] * C_1[n]);");
  });

  it("puts a prior's coef and bounds on the nlpar's coefficients", () => {
    const b = buildFrom(decay('prior(normal(0.5, 0.5), nlpar = "b"), prior(normal(0, 1), nlpar = "b", coef = "z"), prior(normal(4, 2), nlpar = "a", lb = 0)'), csv);
    expect(b.stanCode).toContain("vector<lower=0>[K_a] b_a;");
    expect(b.stanCode).toContain("lprior += normal_lpdf(b_b[2] | 0, 1);");
    expect(b.stanCode).toContain("lprior += normal_lpdf(b_b[1] | 0.5, 0.5);");
    expect(b.priorSummary()).toMatch(/normal\(0, 1\) +b +z +b +user/);
  });

  it("gives an nlpar's sd and sigma brms's data-based default scale", () => {
    // R: d <- read.csv("data.csv"); d$y <- d$y * 100 + 50
    //    get_prior(bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE), data = d)
    //    → sigma and the sd rows of nlpar b: student_t(3, 0, 75.5)
    const [head, ...rows] = csv.trim().split("\n");
    const y = head.split(",").indexOf("y");
    const scaled = [head, ...rows.map((r) => r.split(",").map((c, k) => (k === y ? String(Number(c) * 100 + 50) : c)).join(","))].join("\n");
    const b = buildFrom(script('bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE), prior = prior(normal(0, 1), nlpar = "a")'), scaled);
    expect(b.priorSummary().split("\n").filter((l) => l.includes("student_t(3, 0, 75.5)"))).toHaveLength(4);
  });

  it("refuses a model whose nlpar has no proper prior, with brms's message", () => {
    expect(errorOf(decay('prior(normal(4, 2), nlpar = "a")'), csv)).toMatch(
      /Priors on population-level coefficients are required in non-linear models, but none were found for parameter 'b'. See help\(set_prior\) for more details./,
    );
    expect(errorOf(script("bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE)"), csv)).toMatch(/none were found for parameter 'a'/);
    // A group term's sd prior is proper, which brms accepts as the nlpar's prior.
    expect(errorOf(script('bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1 + (1 | g), nl = TRUE), prior = prior(normal(4, 2), nlpar = "a")'), csv)).toBe("no error");
  });

  it("names priors that match no parameter as brms does", () => {
    expect(errorOf(decay(`${both}, prior(normal(0, 1), nlpar = "c")`), csv)).toMatch(/do not correspond to any model parameter:[\s\S]*b_c ~ normal\(0, 1\)/);
    expect(errorOf(decay(`${both}, prior(normal(0, 1), class = Intercept, nlpar = "a")`), csv)).toMatch(/Intercept_a ~ normal\(0, 1\)/);
    expect(errorOf(decay(`${both}, prior(normal(0, 1), nlpar = "a", coef = "z", lb = 0)`), csv)).toMatch(/Argument 'coef' may not be specified when using boundaries/);
  });

  it("reads lf() formulas and a + b ~ … as one formula per parameter", () => {
    const viaLf = buildFrom(script(`bf(y ~ a + b * x, nl = TRUE) + lf(a + b ~ 1 + z), prior = c(${both})`), csv);
    const inline = buildFrom(script(`bf(y ~ a + b * x, a ~ 1 + z, b ~ 1 + z, nl = TRUE), prior = c(${both})`), csv);
    expect(viaLf.stanCode).toBe(inline.stanCode);
  });

  it("refuses what it does not build, naming the cause", () => {
    expect(errorOf(script("bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1)"), csv)).toMatch(/'a' is not a distributional parameter of the gaussian family[\s\S]*needs bf\(\.\.\., nl = TRUE\)/);
    expect(errorOf(decay(both, ", c ~ 1"), csv)).toMatch(/The parameter 'c' is not a valid distributional or non-linear parameter/);
    expect(errorOf(script(`bf(y ~ a * exp(-b * x), a ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/can neither be found in 'data' nor in 'data2':[\s\S]*'b'/);
    expect(errorOf(script(`bf(y ~ a * plogis(b * x), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/Stan has no plogis\(\); write inv_logit instead/);
    expect(errorOf(script(`bf(y ~ a %% b, a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/The operator '%%' is not supported in a non-linear formula/);
    expect(errorOf(script(`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE, loop = FALSE), prior = c(${both})`), csv)).toMatch(
      /With bf\(loop = FALSE\), brms writes '-b \* x' over whole vectors, which Stan rejects/,
    );
    expect(errorOf(script(`bf(y ~ a + b * (x > 1), a ~ 1, b ~ 1, nl = TRUE, loop = FALSE), prior = c(${both})`), csv)).toMatch(/brms writes 'x > 1' over whole vectors/);
    expect(errorOf(script(`bf(y ~ a * exp(-b * x) + (1 | g), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/The group term '\(1 \| g\)' cannot be part of the non-linear formula/);
    expect(errorOf(script(`bf(y ~ a + b * (x > 1 & z > 0), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/Stan has no '&': write '&&'/);
    expect(errorOf(script(`bf(y ~ x) + nlf(eta ~ a * x) + lf(a ~ 1), prior = c(${both})`), csv)).toMatch(/'eta' is not a distributional parameter of the gaussian family/);
    expect(errorOf(script(`bf(y ~ x) + nlf(mu ~ a * x) + lf(a ~ 1), prior = c(${both})`), csv)).toMatch(/nlf\(\) in stan2ts defines a distributional parameter/);
    expect(errorOf(script(`bf(y ~ a * exp(-b * g), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv)).toMatch(/The covariate 'g' of the non-linear formula must be numeric/);
  });

  it("declares R integer covariates as brms does: int C_k for whole-number columns read with read.csv or fread", () => {
    // nl-count-covariate (read_csv: doubles, vector C_k) and nl-integer-covariate (read.csv: count and n are
    // integer columns, int C_1[N], int C_3[N]) are brms's own programs; here the column typing rules
    // (utils::type.convert): a decimal point or an exponent makes a column double, as does a value beyond R's
    // integer range; missing cells do not count; mutate() arithmetic with a double gives doubles. Checked with
    // Rscript -e 'for (v in c("3", "-3", "3.0", "3e2", "2147483648")) print(class(type.convert(c(v, "1", NA), as.is = TRUE)))'
    // (integer, integer, numeric, numeric, numeric) and data.table::fread (integer for "-3").
    const csvWith = (column: string) => csv.split("\n").map((line, i) => (line === "" ? line : `${line},${i === 0 ? "w" : column}`)).join("\n");
    const declarations = (reader: string, column: string, mutation = "") => {
      const code = buildFrom(`library(brms)\nd <- ${reader}("data.csv")\n${mutation}fit <- brm(bf(y ~ a * w, a ~ 1, nl = TRUE), data = d, prior = prior(normal(0, 1), nlpar = "a"))\n`, csvWith(column)).stanCode;
      return code.split("\n").find((l) => l.includes(" C_1;"))!.trim();
    };
    expect(declarations("read.csv", "3")).toBe("array[N] int C_1;");
    expect(declarations("fread", "-3")).toBe("array[N] int C_1;");
    expect(declarations("read_csv", "3")).toBe("vector[N] C_1;");
    expect(declarations("read.csv", "3.0")).toBe("vector[N] C_1;");
    expect(declarations("read.csv", "3e2")).toBe("vector[N] C_1;");
    expect(declarations("read.csv", "2147483648")).toBe("vector[N] C_1;");
    expect(declarations("read.csv", "3", "d$w <- d$w * 2\n")).toBe("vector[N] C_1;");
    // A copy of an integer column stays integer (R copies the vector), written as d$v <- d$x, in parentheses
    // or in mutate(): Rscript -e 'd <- read.csv("../fixtures/brms-nonlinear/data.csv"); d$v <- d$count;
    //   d$u <- (d$count); print(c(class(d$v), class(d$u), class(dplyr::mutate(d, v = count)$v)));
    //   cat(brms::make_stancode(bf(y ~ a * v, a ~ 1, nl = TRUE), data = d, prior = prior(normal(0, 1), nlpar = "a")))'
    // prints integer three times, and brms declares int C_1[N].
    expect(declarations("read.csv", "3", "d$w <- d$w\n")).toBe("array[N] int C_1;");
    expect(declarations("read.csv", "3", "d$w <- (d$w)\n")).toBe("array[N] int C_1;");
    expect(declarations("read.csv", "3", "d <- mutate(d, w = w)\n")).toBe("array[N] int C_1;");
    expect(declarations("read_csv", "3", "d$w <- d$w\n")).toBe("vector[N] C_1;");
    const withMissing = csvWith("3").replace(/,3$/m, ",NA");
    expect(buildFrom(`library(brms)\nd <- read.csv("data.csv")\nfit <- brm(bf(y ~ a * w, a ~ 1, nl = TRUE), data = d, prior = prior(normal(0, 1), nlpar = "a"))\n`, withMissing).standata.get("C_1")?.kind).toBe("int[]");
  });

  it("accepts pp_check, loo and conditional_effects of a non-linear fit (its expression is evaluated per draw)", () => {
    for (const call of ["pp_check(fit)", "loo(fit)", "conditional_effects(fit)"]) {
      const source = script(`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`, `${call}\n`);
      const parsed = readBrmsScript(source, "model.R");
      const build = buildFrom(source, csv);
      expect(() => checkPostFitCalls(parsed.postFit, build.model), call).not.toThrow();
    }
    // brms evaluates the formula in R after the fit, where tgamma() does not exist: its predictions stop, and stan2ts says so
    const gamma = script(`bf(y ~ a * tgamma(b + x), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`, "loo(fit)\n");
    expect(() => checkPostFitCalls(readBrmsScript(gamma, "model.R").postFit, buildFrom(gamma, csv).model)).toThrow(
      /loo\(fit\) is not supported by stan2ts for this model: brms 2\.18 evaluates the non-linear formula in R after the fit, where 'tgamma' is not defined, so its predictions stop \(could not find function "tgamma"\)/,
    );
    // fixef, ranef, coef and VarCorr read the draws by name (a_Intercept, r_g__b[…]) and stay available.
    const summaries = readBrmsScript(script(`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`, "fixef(fit)\ncoef(fit)\nVarCorr(fit)\n"), "model.R");
    expect(() => checkPostFitCalls(summaries.postFit, buildFrom(script(`bf(y ~ a * exp(-b * x), a ~ 1, b ~ 1, nl = TRUE), prior = c(${both})`), csv).model)).not.toThrow();
  });
});
