/**
 * brms multivariate models beyond the gaussian one against brms 2.18's own output: a family per
 * response (`bf(y1 ~ x, family = poisson()) + bf(y2 ~ x, family = bernoulli())`, or brm()'s family
 * for every `mvbind()` response), distributional formulas and addition terms per response, priors
 * with `resp =`, group terms shared across responses (`(1 | p | g)`), `subset()`, and residual
 * correlations. Each folder of test/fixtures/brms-mv holds a model.R (a brm() call on the
 * simulated data.csv written by `Rscript gen-data.R`) and what brms made of it: stancode.stan =
 * make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript ../brms-families/gen.R` run in that folder. logprob.json, variables.txt,
 * prior_summary.txt and print.txt come from
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>` there (rstan's log_prob at
 * theta[i] = 0.1 sin(i), and a mock brms fit).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readBrmsScript } from "../../src/brms/index";
import { residualNamesOf, runPostFit, type FitDraws } from "../../src/brms/postFit/runPostFit";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { buildFrom, errorOf, brmsDrawsCsv } from "./helpers";

const ROOT = new URL("../fixtures/brms-mv/", import.meta.url).pathname;

const fixtures = describeFamilyFixtures("brms multivariate models", ROOT, { rstanRecorded: 11 });

describe("brms multivariate models: families, rescor, subset() and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("has a fixture for each kind of multivariate model", () => {
    expect(fixtures.names).toEqual(
      expect.arrayContaining(["poisson-bernoulli", "mvbind-poisson", "gamma-shape-gaussian", "shared-group", "additions", "subset", "subset-poisson", "gaussian-rescor", "student-zero_inflated_poisson", "cens-trunc", "three-families"]),
    );
  });

  it("takes a response's family from its bf(), else from brm()", async () => {
    const model = (await fixtures.build("subset-poisson")).model;
    expect(model.responses.map((r) => [r.resp, r.family.spec.name])).toEqual([
      ["yp", "poisson"],
      ["ypos", "lognormal"],
    ]);
    // A univariate bf() with its own family, too.
    const univariate = buildFrom(script("bf(yp ~ x, family = poisson())"), csv);
    expect(univariate.model.responses[0].family.spec.name).toBe("poisson");
    expect(univariate.stanCode).toContain("poisson_log_glm_lpmf(Y | Xc, Intercept, b)");
  });

  it("reads mvbf(bf(...), bf(...), rescor = ) as bf(...) + bf(...) + set_rescor()", async () => {
    const sum = await fixtures.build("poisson-bernoulli");
    const mvbf = buildFrom(script("mvbf(bf(yp ~ x, family = poisson()), bf(yb ~ x + (1 | g), family = bernoulli()), rescor = FALSE)"), csv);
    expect(mvbf.stanCode).toBe(sum.stanCode);
    expect(mvbf.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 })).toContain("Formula: yp ~ x \n         yb ~ x + (1 | g) \n");
    expect(errorOf(script("mvbf(bf(yp ~ x))"), csv)).toMatch(/Multivariate models require at least two responses/);
    expect(errorOf(script("mvbf(bf(yr ~ x), bf(yr2 ~ x), rescor = 1)"), csv)).toMatch(/mvbf\(..., rescor = \) takes TRUE or FALSE/);
  });

  it("sets rescor as brms does: TRUE by default only when every response is gaussian (or every one student)", () => {
    const gaussian = buildFrom(script("bf(yr ~ x) + bf(yr2 ~ x)"), csv);
    expect(gaussian.model.rescor).toBe(true);
    expect(gaussian.model.warnings.warnings.map((w) => w.message)).toContain("Setting 'rescor' to TRUE by default for this model");
    const mixed = buildFrom(script("bf(yp ~ x, family = poisson()) + bf(yr ~ x)"), csv);
    expect(mixed.model.rescor).toBe(false);
    expect(mixed.model.warnings.warnings.map((w) => [w.kind, w.message])).toContainEqual(["Info", "Setting 'rescor' to FALSE by default for this model"]);
    expect(buildFrom(script("mvbind(yp, yk) ~ x, family = poisson()"), csv).model.rescor).toBe(false);
    expect(errorOf(script("bf(yp ~ x, family = poisson()) + bf(yr ~ x) + set_rescor(TRUE)"), csv)).toMatch(
      /Currently, estimating 'rescor' is only possible in multivariate gaussian or student models[\s\S]*poisson, gaussian; use set_rescor\(FALSE\)/,
    );
    expect(errorOf(script("bf(mvbind(yp, yk) ~ x) + set_rescor(TRUE), family = poisson()"), csv)).toMatch(/only possible in multivariate gaussian or student models/);
    expect(errorOf(script("bf(yr ~ x) + bf(yr2 ~ x) + set_rescor(TRUE), family = student()"), csv)).toMatch(/Residual correlations of multivariate student models are not supported yet/);
  });

  it("reads each response's rows from subset(): N, Y, design, group indices and default priors", async () => {
    const b = await fixtures.build("subset");
    const [yr, yr2] = b.model.responses;
    const s1 = csv.trim().split("\n").slice(1).filter((line) => line.split(",")[10] === "1").length;
    expect(yr.observations.rows.length).toBe(s1);
    expect(b.standata.get("N")).toEqual({ kind: "int", value: 40 });
    expect(b.standata.get("N_yr")).toEqual({ kind: "int", value: s1 });
    expect(yr2.observations.rows.length).toBeLessThan(40);
    // Levels stay those of every row, as brms's tidy_ranef reads the whole data.
    expect(b.model.ids[0].levels).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("checks subset() values and where subset() may appear", () => {
    expect(errorOf(script("bf(yr | subset(z) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), csv)).toBe("no error");
    const words = csv.replace(/^(.*),(\d),(\d),(\d+)$/gm, (_all, head: string, s1: string, s2: string, yk: string) => `${head},${s1 === "1" ? "TRUE" : "FALSE"},${s2},${yk}`);
    expect(buildFrom(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), words).standata.get("N_yr")).toEqual(
      buildFrom(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), csv).standata.get("N_yr"),
    );
    const maybe = csv.replace(/^(.*),(\d),(\d),(\d+)$/m, (_all, head: string, _s1: string, s2: string, yk: string) => `${head},maybe,${s2},${yk}`);
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), maybe)).toMatch(/subset\(\) needs TRUE\/FALSE \(or 1\/0\) values, but row 1 of 's1' holds 'maybe'/);
    const none = csv.replace(/^(.*),(\d),(\d),(\d+)$/gm, (_all, head: string, _s1: string, s2: string, yk: string) => `${head},0,${s2},${yk}`);
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), none)).toMatch(/All rows of the data were removed via subset\(s1\)/);
    expect(errorOf(script("yr | subset(s1) ~ x"), csv)).toMatch(/subset\(\) selects the rows of one response in a multivariate model/);
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE)"), csv)).toMatch(/Addition terms other than trials\(\) are not supported together with residual correlations/);
  });

  it("refuses the families it cannot combine yet, with their names", () => {
    expect(errorOf(script('bf(yp ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE)'), csv)).toMatch(/The cumulative family is not supported in multivariate models yet/);
    expect(errorOf(script("bf(yp ~ x, family = categorical()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toMatch(/The categorical family is not supported in multivariate models yet/);
  });

  it("reads a response-specific b prior as brms does: for mu only; a global one for every dpar of every response", () => {
    const lprior = (call: string) =>
      buildFrom(script(call), csv)
        .stanCode.split("\n")
        .filter((l) => l.includes("lprior +="))
        .map((l) => l.trim());
    // make_stancode(bf(yr ~ x, sigma ~ z), data = d, prior = prior(normal(0, 2), class = b)) gives no b_sigma prior.
    expect(lprior("bf(yr ~ x, sigma ~ z), prior = prior(normal(0, 2), class = b)")).not.toContain("lprior += normal_lpdf(b_sigma | 0, 2);");
    // make_stancode(bf(yr ~ x, sigma ~ z) + bf(yr2 ~ x) + set_rescor(FALSE), data = d,
    //   prior = c(prior(normal(0, 2), class = Intercept), prior(normal(0,3), class = b, resp = yr2))):
    expect(lprior("bf(yr ~ x, sigma ~ z) + bf(yr2 ~ x) + set_rescor(FALSE), prior = c(prior(normal(0, 2), class = Intercept), prior(normal(0,3), class = b, resp = yr2))")).toEqual([
      "lprior += normal_lpdf(Intercept_yr | 0, 2);",
      "lprior += normal_lpdf(Intercept_sigma_yr | 0, 2);",
      "lprior += normal_lpdf(b_yr2 | 0, 3);",
      "lprior += normal_lpdf(Intercept_yr2 | 0, 2);",
      "lprior += student_t_lpdf(sigma_yr2 | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
    ]);
    // make_stancode(bf(yr ~ x, sigma ~ z) + bf(yr2 ~ x) + set_rescor(FALSE), data = d, prior = prior(normal(0, 2), class = b)):
    expect(lprior("bf(yr ~ x, sigma ~ z) + bf(yr2 ~ x) + set_rescor(FALSE), prior = prior(normal(0, 2), class = b)")).toContain("lprior += normal_lpdf(b_sigma_yr | 0, 2);");
  });
});

describe("brms multivariate models: VarCorr(fit) on brms's draws", () => {
  const folder = `${ROOT}gaussian-rescor/`;

  /** brms's draws from write.csv(as_draws_df(fit)) in varcorr.R: variables, then .chain/.iteration/.draw. */
  function brmsDraws(): FitDraws {
    return brmsDrawsCsv(readFileSync(`${folder}as_draws_df.csv`, "utf8"));
  }

  it("VarCorr(fit) of a gaussian multivariate model prints each group's sd and $residual__ with $sd, $cor and $cov, as brms does", async () => {
    const b = await fixtures.build("gaussian-rescor");
    const parsed = readBrmsScript(`${readFileSync(`${folder}model.R`, "utf8")}VarCorr(fit)\n`, "model.R");
    const residualNames = residualNamesOf(b.model);
    expect([...residualNames]).toEqual([
      ["sigma_yr", "yr"],
      ["sigma_yr2", "yr2"],
    ]);
    const printed = runPostFit(parsed.postFit, {
      draws: brmsDraws(),
      printFit: () => "",
      priorSummary: () => "",
      residualNames,
      writeFile: () => undefined,
      model: b.model,
      seed: 1,
      writePlot: () => undefined,
    });
    expect(printed).toBe(readFileSync(`${folder}VarCorr.txt`, "utf8"));
  });

  it("lists no residual__ when a response predicts sigma, and only the responses with a sigma otherwise (brms's VarCorr.brmsfit)", async () => {
    expect([...residualNamesOf((await fixtures.build("three-families")).model)]).toEqual([]);
    expect([...residualNamesOf((await fixtures.build("gamma-shape-gaussian")).model)]).toEqual([["sigma_yr", "yr"]]);
  });
});

describe("brms multivariate models: missing values with subset()", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("drops a row only where a response reading the missing value is observed, as make_standata does", () => {
    // Rscript -e 'd <- read.csv("data.csv"); i <- which(d$s2 == 0)[1]; d$yr2[i] <- NA; j <- which(d$s1 == 1)[2];
    //   d$yr2[j] <- NA; sd <- make_standata(bf(yr | subset(s1) ~ x) + bf(yr2 | subset(s2) ~ x) + set_rescor(FALSE), data = d);
    //   cat(i, j, sd$N, sd$N_yr, sd$N_yr2)'   prints   5 2 39 26 24
    const lines = csv.trim().split("\n");
    const header = lines[0].split(",");
    const yr2 = header.indexOf("yr2");
    const withNa = lines.map((line, i) => (i === 5 || i === 2 ? line.split(",").map((cell, k) => (k === yr2 ? "NA" : cell)).join(",") : line)).join("\n") + "\n";
    const b = buildFrom(script("bf(yr | subset(s1) ~ x) + bf(yr2 | subset(s2) ~ x) + set_rescor(FALSE)"), withNa);
    expect(["N", "N_yr", "N_yr2"].map((name) => b.standata.get(name))).toEqual([
      { kind: "int", value: 39 },
      { kind: "int", value: 26 },
      { kind: "int", value: 24 },
    ]);
    const s1 = header.indexOf("s1");
    const subsetNa = lines.map((line, i) => (i === 3 ? line.split(",").map((cell, k) => (k === s1 ? "NA" : cell)).join(",") : line)).join("\n") + "\n";
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), subsetNa)).toMatch(/Subset variables may not contain NAs, but row 3 of 's1' is missing/);
  });
});
