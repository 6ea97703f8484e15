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

const fixtures = describeFamilyFixtures("brms multivariate models", ROOT, { rstanRecorded: 33 });

/** The CSV with one column's cells replaced (`row` counts data rows from 0). */
function withColumn(csv: string, column: string, replace: (cell: string, row: number) => string): string {
  const [header, ...lines] = csv.trim().split("\n");
  const k = header.split(",").indexOf(column);
  return [header, ...lines.map((line, row) => line.split(",").map((cell, j) => (j === k ? replace(cell, row) : cell)).join(","))].join("\n") + "\n";
}

describe("brms multivariate models: families, rescor, subset() and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;

  it("has a fixture for each kind of multivariate model", () => {
    expect(fixtures.names).toEqual(
      expect.arrayContaining(["poisson-bernoulli", "mvbind-poisson", "gamma-shape-gaussian", "shared-group", "additions", "subset", "subset-poisson", "gaussian-rescor", "student-zero_inflated_poisson", "cens-trunc", "three-families"]),
    );
    // student with rescor; ordinal and categorical responses among others
    expect(fixtures.names).toEqual(
      expect.arrayContaining(["student-rescor", "student-rescor-x", "cumulative-gaussian", "sratio-disc-poisson", "cratio-acat", "categorical-poisson", "mvbind-cumulative", "thres-categorical", "acat-cs-gaussian"]),
    );
    // rescor with weights(), se() and a sigma formula; group-level cs(), thres(gr = ), multinomial and dirichlet among other responses
    expect(fixtures.names).toEqual(
      expect.arrayContaining(["rescor-weights", "rescor-se", "student-rescor-se", "student-rescor-weights-se", "rescor-sigma", "student-rescor-sigma", "acat-cs-group-gaussian", "cumulative-thres-gr-gaussian", "multinomial-gaussian", "dirichlet-gaussian"]),
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

  it("warns about resp-less b and Intercept priors with brms 2.18's text, once per class", () => {
    // Rscript -e 'library(brms); set.seed(1); d <- data.frame(y1 = rnorm(20), y2 = rnorm(20), x = rnorm(20));
    //   withCallingHandlers(make_stancode(bf(y1 ~ x) + bf(y2 ~ x) + set_rescor(FALSE), data = d, prior = <p>),
    //   warning = function(w) print(conditionMessage(w)))'
    // prints the message below once for prior(normal(0, 2), class = b), once for class = Intercept and
    // twice for c(prior(normal(0, 2), class = b), prior(normal(0, 3), class = Intercept)).
    const message = "Specifying global priors for regression coefficients in multivariate models is deprecated. Please specify priors separately for each response variable.";
    const warningsOf = (prior: string) =>
      buildFrom(script(`bf(yr ~ x) + bf(yr2 ~ x) + set_rescor(FALSE), prior = ${prior}`), csv).model.warnings.warnings.filter((w) => w.message.startsWith("Specifying global")).map((w) => w.message);
    expect(warningsOf("prior(normal(0, 2), class = b)")).toEqual([message]);
    expect(warningsOf("prior(normal(0, 2), class = Intercept)")).toEqual([message]);
    expect(warningsOf("c(prior(normal(0, 2), class = b), prior(normal(0, 3), class = Intercept))")).toEqual([message, message]);
    expect(warningsOf("c(prior(normal(0, 2), class = b), prior(normal(0, 4), class = b, coef = x, resp = yr))")).toEqual([message]);
    expect(warningsOf("prior(normal(0, 2), class = b, resp = yr)")).toEqual([]);
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
    const student = buildFrom(script("bf(yr ~ x) + bf(yr2 ~ x), family = student()"), csv);
    expect(student.model.rescor).toBe(true);
    expect(student.stanCode).toContain("target += multi_student_t_lpdf(Y | nu, Mu, Sigma);");
    // Rscript -e 'make_stancode(bf(yr ~ x, family = student()) + bf(yr2 ~ x) + set_rescor(TRUE), data = d)': gaussian and student do not mix.
    expect(errorOf(script("bf(yr ~ x, family = student()) + bf(yr2 ~ x) + set_rescor(TRUE)"), csv)).toMatch(/only possible in multivariate gaussian or student models[\s\S]*student, gaussian/);
    expect(errorOf(script("bf(yo ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(TRUE)"), csv)).toMatch(/only possible in multivariate gaussian or student models/);
  });

  it("gives student responses with rescor one shared nu, as brms does: its prior, and brms's refusals of a response's own nu", () => {
    const lprior = (call: string) =>
      buildFrom(script(call), csv)
        .stanCode.split("\n")
        .filter((l) => l.includes("nu"))
        .map((l) => l.trim());
    // Rscript -e 'make_stancode(bf(mvbind(yr, yr2) ~ x) + set_rescor(TRUE), data = d, family = student(), prior = prior(gamma(3, 0.2), class = nu))'
    expect(lprior("bf(mvbind(yr, yr2) ~ x) + set_rescor(TRUE), family = student(), prior = prior(gamma(3, 0.2), class = nu)")).toEqual([
      "real<lower=1> nu;",
      "real nu_yr = 1;",
      "real nu_yr2 = 1;",
      "lprior += gamma_lpdf(nu | 3, 0.2) - 1 * gamma_lccdf(1 | 3, 0.2);",
      "target += multi_student_t_lpdf(Y | nu, Mu, Sigma);",
    ]);
    // ... prior = prior(constant(4), class = nu): nu moves to the transformed parameters.
    expect(lprior("bf(mvbind(yr, yr2) ~ x) + set_rescor(TRUE), family = student(), prior = prior(constant(4), class = nu)")).toEqual([
      "real nu_yr = 1;",
      "real nu_yr2 = 1;",
      "real<lower=1> nu;",
      "nu = 4;",
      "target += multi_student_t_lpdf(Y | nu, Mu, Sigma);",
    ]);
    // make_stancode(bf(yr ~ x, nu ~ z) + bf(yr2 ~ x) + set_rescor(TRUE), data = d, family = student()): "Cannot predict or fix 'nu' in this model."
    expect(errorOf(script("bf(yr ~ x, nu ~ z) + bf(yr2 ~ x) + set_rescor(TRUE), family = student()"), csv)).toMatch(/line 3, column 23 to column 29:[\s\S]*Cannot predict or fix 'nu' in this model\./);
    // ... prior = prior(gamma(2, 0.2), class = nu, resp = yr): "The following priors do not correspond to any model parameter: nu_yr ~ gamma(2, 0.2)"
    expect(errorOf(script("bf(mvbind(yr, yr2) ~ x) + set_rescor(TRUE), family = student(), prior = prior(gamma(2, 0.2), class = nu, resp = yr)"), csv)).toMatch(
      /The following priors do not correspond to any model parameter:\n  nu_yr ~ gamma\(2, 0.2\)/,
    );
    // Without rescor each response keeps its own nu.
    expect(lprior("bf(mvbind(yr, yr2) ~ x) + set_rescor(FALSE), family = student()").filter((l) => l.startsWith("real"))).toEqual(["real<lower=1> nu_yr;", "real<lower=1> nu_yr2;"]);
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
    const words = withColumn(csv, "s1", (s1) => (s1 === "1" ? "TRUE" : "FALSE"));
    expect(buildFrom(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), words).standata.get("N_yr")).toEqual(
      buildFrom(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), csv).standata.get("N_yr"),
    );
    const maybe = withColumn(csv, "s1", (s1, row) => (row === 0 ? "maybe" : s1));
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), maybe)).toMatch(/subset\(\) needs TRUE\/FALSE \(or 1\/0\) values, but row 1 of 's1' holds 'maybe'/);
    const none = withColumn(csv, "s1", () => "0");
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(FALSE)"), none)).toMatch(/All rows of the data were removed via subset\(s1\)/);
    expect(errorOf(script("yr | subset(s1) ~ x"), csv)).toMatch(/subset\(\) selects the rows of one response in a multivariate model/);
    // Rscript -e 'make_stancode(bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE), data = d)': brms's message
    expect(errorOf(script("bf(yr | subset(s1) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE)"), csv)).toMatch(/Only 'se', 'weights', 'mi' are supported addition arguments when 'rescor' is estimated\./);
    expect(errorOf(script("bf(yr | trunc(lb = -10) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE)"), csv)).toMatch(/Only 'se', 'weights', 'mi' are supported addition arguments when 'rescor' is estimated\./);
  });

  it("takes matrix responses, group-level cs() and grouped thresholds among several responses, as brms 2.18 builds them", () => {
    // the fixtures acat-cs-group-gaussian, cumulative-thres-gr-gaussian, multinomial-gaussian and dirichlet-gaussian hold brms's programs
    expect(errorOf(script("bf(yo ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toBe("no error");
    expect(errorOf(script("bf(yo ~ cs(x), family = acat()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toBe("no error");
    expect(errorOf(script("bf(yo ~ x + (cs(1) | g), family = acat()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toBe("no error");
    expect(errorOf(script("bf(yo | thres(gr = g) ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toBe("no error");
    // cs() with grouped thresholds: brms 2.18 stops too, here with an R error of its internals
    // (Rscript -e 'make_stancode(bf(yo | thres(gr = g) ~ x + (cs(1) | g), family = acat()) + bf(yr ~ x) + set_rescor(FALSE), data = d)':
    // "argument must be coercible to non-negative integer"); stan2ts gives brms's message of the one-response model
    expect(errorOf(script("bf(yo | thres(gr = g) ~ x + (cs(1) | g), family = acat()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toMatch(/Cannot use category specific effects in models with multiple thresholds/);
    // a matrix family needs cbind(): mvbind() makes one response per variable (brms 2.18 stops with
    // "At least 2 response categories are required.")
    expect(errorOf(script("bf(mvbind(yp, yk) | trials(t) ~ x, family = multinomial()) + bf(yr ~ x) + set_rescor(FALSE)"), csv)).toMatch(/Addition terms with mvbind\(\) are not supported; write one bf\(\) per response/);
  });

  it("takes weights() and se() with residual correlations as brms 2.18 does, and names why the first response must carry the weights", () => {
    // the fixtures rescor-weights, rescor-se, student-rescor-se and student-rescor-weights-se hold brms's programs
    expect(errorOf(script("bf(yr | weights(w) ~ x) + bf(yr2 ~ x) + set_rescor(TRUE)"), csv)).toBe("no error");
    // Rscript -e 'cat(make_stancode(bf(yr ~ x) + bf(yr2 | weights(w) ~ x) + set_rescor(TRUE), data = d))' writes
    // `vector<lower=0>[N] weights = weights_yr;` and declares only weights_yr2: Stan rejects brms's program
    expect(errorOf(script("bf(yr ~ x) + bf(yr2 | weights(w) ~ x) + set_rescor(TRUE)"), csv)).toMatch(
      /With residual correlations \(rescor\) brms 2\.18 weights each row by the first response's weights, and yr has none[\s\S]*weights_yr, which it never declares/,
    );
  });

  it("reads priors of an ordinal or categorical response by resp (and coef, dpar), as brms does", () => {
    const lprior = (call: string) =>
      buildFrom(script(call), csv)
        .stanCode.split("\n")
        .filter((l) => l.includes("lprior +="))
        .map((l) => l.trim());
    // Rscript -e 'make_stancode(bf(yo ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE), data = d,
    //   prior = c(prior(normal(0, 3), class = Intercept, coef = 1, resp = yo), prior(normal(0, 5), class = Intercept, resp = yr)))'
    expect(lprior("bf(yo ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE), prior = c(prior(normal(0, 3), class = Intercept, coef = 1, resp = yo), prior(normal(0, 5), class = Intercept, resp = yr))")).toEqual([
      "lprior += normal_lpdf(Intercept_yo[1] | 0, 3);",
      "lprior += student_t_lpdf(Intercept_yo[2] | 3, 0, 2.5);",
      "lprior += student_t_lpdf(Intercept_yo[3] | 3, 0, 2.5);",
      "lprior += normal_lpdf(Intercept_yr | 0, 5);",
      "lprior += student_t_lpdf(sigma_yr | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
    ]);
    // ... prior = prior(normal(0, 3), class = Intercept, coef = 4, resp = yo): yo has 3 thresholds.
    expect(errorOf(script("bf(yo ~ x, family = cumulative()) + bf(yr ~ x) + set_rescor(FALSE), prior = prior(normal(0, 3), class = Intercept, coef = 4, resp = yo)"), csv)).toMatch(
      /The following priors do not correspond to any model parameter:\n  Intercept_yo_4 ~ normal\(0, 3\)/,
    );
    // make_stancode(bf(yo ~ x, family = cumulative()) + bf(yc ~ x, family = categorical()) + set_rescor(FALSE), data = d,
    //   prior = prior(normal(0, 3), class = Intercept, dpar = mub, resp = yc))
    expect(lprior("bf(yo ~ x, family = cumulative()) + bf(yc ~ x, family = categorical()) + set_rescor(FALSE), prior = prior(normal(0, 3), class = Intercept, dpar = mub, resp = yc)")).toEqual([
      "lprior += student_t_lpdf(Intercept_yo | 3, 0, 2.5);",
      "lprior += normal_lpdf(Intercept_mub_yc | 0, 3);",
      "lprior += student_t_lpdf(Intercept_muc_yc | 3, 0, 2.5);",
    ]);
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
