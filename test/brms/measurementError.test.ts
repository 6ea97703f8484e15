/**
 * brms's missing-value and measurement-error models against brms 2.18's own output: responses with
 * mi() (imputed missing values, or mi(sdy): a response measured with known error), mi(x) predictors
 * (a response with missing values used in another response's formula) and me(x, sdx) noisy predictors.
 * Each folder of test/fixtures/brms-measerr holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript ../brms-families/gen.R <fixture>` in that
 * folder (R 4.2, brms 2.18); logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the rows kept and the refusals.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf } from "./helpers";

const ROOT = new URL("../fixtures/brms-measerr/", import.meta.url).pathname;

describeFamilyFixtures("brms me() and mi()", ROOT, {
  minFixtures: 11,
  rstanRecorded: 11,
  // R wraps prior_summary's source column below the table when the me() rows make it wider than 80
  priorSummaryWrapped: true,
});

describe("brms missing values: rows kept and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (formula: string, extra = "") => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d${extra})\n`;
  const build = (formula: string, extra = "") => buildFrom(script(formula, extra), csv);
  const error = (formula: string, extra = "") => errorOf(script(formula, extra), csv);
  const N = (formula: string) => (build(formula).standata.get("N") as { value: number }).value;

  it("drops rows with a missing value unless only a mi() variable is missing there, as make_standata does", () => {
    // Rscript -e 'd <- read.csv("data.csv"); make_standata(ymis ~ z, data = d)$N' gives 35 with brms's
    // warning "Rows containing NAs were excluded from the model."; with ymis | mi() all 40 rows stay,
    // and make_standata(ymis | mi() ~ u, data = d)$N is 39 (u is missing in row 9).
    expect(N("ymis ~ z")).toBe(35);
    expect(build("ymis ~ z").model.warnings.warnings.map((w) => w.message)).toContain("Rows containing NAs were excluded from the model.");
    expect(N("ymis | mi() ~ z")).toBe(40);
    expect(build("ymis | mi() ~ z").model.warnings.warnings.map((w) => w.message)).not.toContain("Rows containing NAs were excluded from the model.");
    expect(N("ymis | mi() ~ u")).toBe(39);
    expect(build("ymis | mi() ~ u").standata.get("Jmi")).toEqual({ kind: "int[]", value: Int32Array.of(4, 10, 18, 26, 32) });
  });

  it("marks imputed rows as make_standata does: Y is Inf there, Jme lists the observed rows", () => {
    // Rscript -e 's <- make_standata(ymis | mi(sdy) ~ z, data = read.csv("data.csv")); s$Nme; s$noise[4]; s$Y[4]' gives 35, Inf, Inf
    const data = build("ymis | mi(sdy) ~ z").standata;
    expect(data.get("Nme")).toEqual({ kind: "int", value: 35 });
    expect((data.get("noise") as { value: Float64Array }).value[3]).toBe(Infinity);
    expect((data.get("Y") as { value: Float64Array }).value[3]).toBe(Infinity);
    expect(Array.from((data.get("Jme") as { value: Int32Array }).value).includes(4)).toBe(false);
  });

  it("refuses what brms refuses, with brms's messages, and what stan2ts does not build, naming the cause", () => {
    // Rscript -e 'make_stancode(count | mi() ~ z, data = d, family = poisson())': brms 2.18's message
    expect(error("ymis | mi() ~ z", ", family = poisson()")).toMatch(/line 3[\s\S]*Argument 'mi' is not supported for family 'poisson\(log\)'/);
    expect(error("ymis | mi() ~ z", ", family = von_mises()")).toMatch(/mi\(\) with the von_mises family is not supported by stan2ts yet/);
    expect(error("ymis | mi(sdy) + trunc(lb = 0) ~ z")).toMatch(/mi\(\) together with trunc\(\) is not supported by stan2ts yet/);
    expect(error("bf(ymis | mi() ~ z) + bf(y ~ z) + set_rescor(TRUE)")).toMatch(/mi\(\) in a model with residual correlations is not supported by stan2ts yet/);
    expect(error("ymis | mi(sdy = 2 * sdy) ~ z")).toMatch(/mi\(2 \* sdy\) is not supported; give the known measurement sd/);
    expect(error("ymis | mi(foo = sdy) ~ z")).toMatch(/Unknown argument 'foo' of mi\(\)/);
    expect(error("ymis | index(z) ~ z")).toMatch(/The addition term index\(\) is not supported/);
    // brms 2.18's messages: make_stancode(bf(y ~ mi(xmis)) + bf(z ~ 1), …) and bf(y ~ mi(xmis)) + bf(xmis ~ z)
    expect(error("bf(y ~ mi(xmis)) + bf(z ~ 1) + set_rescor(FALSE)")).toMatch(/Variables in 'mi' terms should also be specified as response variables in the model\. See \?mi\. Error occurred for xmis\./);
    expect(error("bf(y ~ mi(xmis)) + bf(xmis ~ z) + set_rescor(FALSE)")).toMatch(/Response models of variables in 'mi' terms require specification of the addition argument 'mi'\. See \?mi\. Error occurred for xmis\./);
    // row n of one response is row n of the other only without subset(); brms needs index() there
    const withSubset = csv.trim().split("\n").map((line, i) => `${line},${i === 0 ? "s" : i % 2}`).join("\n");
    expect(errorOf(script("bf(y | subset(s) ~ mi(xmis)) + bf(xmis | mi() ~ z) + set_rescor(FALSE)", ""), withSubset)).toMatch(/mi\(xmis\) in a model with subset\(\) is not supported by stan2ts yet[\s\S]*index\(\)/);
    expect(error("y ~ me(xn, sdx, gr = g)")).toMatch(/me\(x, sdx, gr = g\) \(latent values shared within groups\) is not supported by stan2ts yet/);
    expect(error("bf(y ~ a * exp(b * z), a ~ me(xn, sdx), b ~ 1, nl = TRUE)")).toMatch(/me\(\) and mi\(\) terms in a non-linear formula are not supported by stan2ts yet/);
    expect(error("y ~ me(xn)")).toMatch(/me\(\) needs the noisy values and their known sd: me\(x, sdx\)/);
  });

  it("takes priors on the me() classes and places me()'s pieces after the group-level ones, as brms does", () => {
    // Rscript -e 'cat(make_stancode(y ~ me(xn, sdx) + me(wn, sdw) + (1 + z | g), data = read.csv("data.csv"),
    //   prior = prior(normal(0, 2), class = meanme) + prior(lkj(2), class = Lme)))' (brms 2.18): these lines, in this order
    const code = build("y ~ me(xn, sdx) + me(wn, sdw) + (1 + z | g)", ", prior = c(prior(normal(0, 2), class = meanme), prior(lkj(2), class = Lme))").stanCode;
    const lines = code.split("\n").map((l) => l.trim()).filter((l) => /^(int<lower=1> (NC_1|Mme_1|NCme_1)|matrix\[M_1, N_1\] z_1|vector\[Mme_1\] meanme_1|vector\[N\] Xme_2|vector\[N_1\] r_1_2|lprior \+= (normal_lpdf\(meanme|lkj)|target \+= (std_normal|normal_lpdf\(Xn))/.test(l));
    expect(lines).toEqual([
      "int<lower=1> NC_1;",
      "int<lower=1> Mme_1;",
      "int<lower=1> NCme_1;",
      "matrix[M_1, N_1] z_1;",
      "vector[Mme_1] meanme_1;",
      "vector[N_1] r_1_2;",
      "vector[N] Xme_2;",
      "lprior += lkj_corr_cholesky_lpdf(L_1 | 1);",
      "lprior += normal_lpdf(meanme_1 | 0, 2);",
      "lprior += lkj_corr_cholesky_lpdf(Lme_1 | 2);",
      "target += std_normal_lpdf(to_vector(z_1));",
      "target += normal_lpdf(Xn_1 | Xme_1, noise_1);",
      "target += normal_lpdf(Xn_2 | Xme_2, noise_2);",
      "target += std_normal_lpdf(to_vector(zme_1));",
    ]);
  });

  it("numbers me() terms as brms does and sets the latent correlations by set_mecor()", () => {
    // Rscript -e 'names(make_standata(y ~ me(xn, sdx) * z + me(wn, sdw), data = read.csv("data.csv")))': Xn_1 is xn, Xn_2 wn, NCme_1 = 1
    const data = build("y ~ me(xn, sdx) * z + me(wn, sdw)").standata;
    const column = (name: string) => csv.trim().split("\n").slice(1).map((line) => Number(line.split(",")[csv.split("\n")[0].split(",").indexOf(name)]));
    expect(Array.from((data.get("Xn_2") as { value: Float64Array }).value)).toEqual(column("wn"));
    expect(data.get("NCme_1")).toEqual({ kind: "int", value: 1 });
    expect(build("bf(y ~ me(xn, sdx) + me(wn, sdw)) + set_mecor(FALSE)").stanCode).not.toMatch(/Lme_1/);
    expect(build("y ~ me(xn, sdx) + me(wn, sdw)").stanCode).toMatch(/cholesky_factor_corr\[Mme_1\] Lme_1;/);
  });
});
