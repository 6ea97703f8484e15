import { describe, expect, it } from "vitest";
import { buildBrmsModel, loadScriptData, readBrmsScript } from "../../src/brms/index";
import { defaultStudentT, mad, median, round1 } from "../../src/brms/priors";
import { brm, buildFrom, errorOf } from "./helpers";

const DATA = new URL("../../../shared/data/williams-seed.csv", import.meta.url).pathname;

function lpriorLines(stanCode: string): string[] {
  return stanCode.split("\n").filter((l) => l.includes("lprior +=")).map((l) => l.trim());
}

const m3Shape = (priors: string) =>
  brm("bf(y ~ 1 + x + (1 + x |i| record_id), sigma ~ 1 + (1 |i| record_id))", priors === "" ? "" : `, prior = c(${priors})`);

describe("default prior arithmetic", () => {
  it("round1 follows R's round(x, 1)", () => {
    expect([0.15, 0.25, 0.45, 2.45, 2.55, -0.35, 0.687, -0.3506, 1.04].map(round1)).toEqual([0.1, 0.2, 0.4, 2.5, 2.5, -0.3, 0.7, -0.4, 1]);
  });

  it("median and mad as R computes them", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 12);
    expect(Number.isNaN(median([1, NaN]))).toBe(true);
  });

  it("builds student_t(3, L, S) with the 2.5 floor and NaN fallbacks", () => {
    expect(defaultStudentT([10, 12, 14, 30, 40], true)).toBe("student_t(3, 14, 5.9)");
    expect(defaultStudentT([-0.04, 0.01, 0.02], true)).toBe("student_t(3, 0, 2.5)");
    expect(defaultStudentT([1, NaN], false)).toBe("student_t(3, 0, 2.5)");
  });
});

describe("default priors on the lecture data", () => {
  it("m1 without priors gets brms's defaults (student_t(3, -0.4, 2.5) for N_A.std)", async () => {
    const script = readBrmsScript(
      "d <- read_csv('unused.csv')\nfit <- brm(N_A.std ~ 1 + day01 + (1 + day01 | record_id), data = d, family = gaussian)\n",
      "m1-default.R",
    );
    const build = buildBrmsModel(script, await loadScriptData(script, { dataPath: DATA, scriptDir: "." }));
    expect(lpriorLines(build.stanCode)).toEqual([
      "lprior += student_t_lpdf(Intercept | 3, -0.4, 2.5);",
      "lprior += student_t_lpdf(sigma | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
      "lprior += student_t_lpdf(sd_1 | 3, 0, 2.5) - 2 * student_t_lccdf(0 | 3, 0, 2.5);",
      "lprior += lkj_corr_cholesky_lpdf(L_1 | 1);",
    ]);
  });

  it("a log-linked sigma intercept on a response with negatives defaults to student_t(3, 0, 2.5)", async () => {
    const script = readBrmsScript(
      "d <- read_csv('unused.csv')\nfit <- brm(bf(P_A.std ~ 1, sigma ~ 1), data = d)\n",
      "sigma-default.R",
    );
    const build = buildBrmsModel(script, await loadScriptData(script, { dataPath: DATA, scriptDir: "." }));
    expect(lpriorLines(build.stanCode)).toEqual([
      "lprior += student_t_lpdf(Intercept | 3, 0, 2.5);",
      "lprior += student_t_lpdf(Intercept_sigma | 3, 0, 2.5);",
    ]);
  });
});

describe("user prior resolution (spec §4.4)", () => {
  it("class = sd alone: mu sds get it, the sigma sd keeps its default", () => {
    const lines = lpriorLines(buildFrom(m3Shape("prior(exponential(1), class = sd)")).stanCode);
    expect(lines.filter((l) => l.includes("sd_1"))).toEqual([
      "lprior += exponential_lpdf(sd_1[1] | 1);",
      "lprior += exponential_lpdf(sd_1[2] | 1);",
      "lprior += student_t_lpdf(sd_1[3] | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
    ]);
  });

  it("class = sd, dpar = sigma alone targets only the sigma sd", () => {
    const lines = lpriorLines(buildFrom(m3Shape("prior(exponential(1), class = sd, dpar = sigma)")).stanCode);
    expect(lines.filter((l) => l.includes("sd_1"))).toEqual([
      "lprior += student_t_lpdf(sd_1[1] | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
      "lprior += student_t_lpdf(sd_1[2] | 3, 0, 2.5) - 1 * student_t_lccdf(0 | 3, 0, 2.5);",
      "lprior += exponential_lpdf(sd_1[3] | 1);",
    ]);
  });

  it("class = sd, group = record_id covers every sd of that group in one statement", () => {
    const lines = lpriorLines(buildFrom(m3Shape("prior(exponential(1), class = sd, group = record_id)")).stanCode);
    expect(lines.filter((l) => l.includes("sd_1"))).toEqual(["lprior += exponential_lpdf(sd_1 | 1);"]);
  });

  it("mixed resolutions give per-element statements with truncation only where needed", () => {
    const priors = [
      "prior(exponential(1), class = sd, coef = Intercept, group = record_id)",
      "prior(normal(0, 1), class = sd)",
      "prior(exponential(2), class = sd, dpar = sigma)",
    ].join(", ");
    const lines = lpriorLines(buildFrom(m3Shape(priors)).stanCode);
    expect(lines.filter((l) => l.includes("sd_1"))).toEqual([
      "lprior += exponential_lpdf(sd_1[1] | 1);",
      "lprior += normal_lpdf(sd_1[2] | 0, 1) - 1 * normal_lccdf(0 | 0, 1);",
      "lprior += exponential_lpdf(sd_1[3] | 2);",
    ]);
  });

  it("a coef-only b prior leaves the other coefficients flat", () => {
    const lines = lpriorLines(buildFrom(brm("y ~ x + w", ", prior = prior(normal(0, 1), class = b, coef = w)")).stanCode);
    expect(lines[0]).toBe("lprior += normal_lpdf(b[2] | 0, 1);");
    expect(lines.some((l) => l.includes("b |"))).toBe(false);
  });

  it("resp-specific priors in multivariate models", () => {
    const build = buildFrom(brm("bf(y ~ x) + bf(z ~ x) + set_rescor(FALSE)", ", prior = c(prior(normal(0, 1), class = b, resp = y), prior(exponential(1), class = sigma, resp = z))"));
    const lines = lpriorLines(build.stanCode);
    expect(lines).toContain("lprior += normal_lpdf(b_y | 0, 1);");
    expect(lines).toContain("lprior += exponential_lpdf(sigma_z | 1);");
    expect(lines.some((l) => l.includes("b_z |"))).toBe(false);
    // Without group terms the GLM takes the intercept itself, no mu vector (brms 2.18:
    // make_stancode(bf(y ~ x) + bf(z ~ x) + set_rescor(FALSE), data = d) prints exactly this line).
    expect(build.stanCode).toContain("target += normal_id_glm_lpdf(Y_y | Xc_y, Intercept_y, b_y, sigma_y);");
    expect(build.stanCode).not.toContain("vector[N] mu_y");
  });

  it("negative and expression arguments become Stan expressions", () => {
    const lines = lpriorLines(buildFrom(brm("y ~ x", ", prior = prior(normal(-1, 1/2), class = b)")).stanCode);
    expect(lines[0]).toBe("lprior += normal_lpdf(b | -1, 1 / 2);");
  });
});

describe("prior validation (spec §4.5)", () => {
  it("names priors that match no parameter", () => {
    expect(errorOf(m3Shape("prior(normal(0, 1), class = sigma)"))).toMatch(
      /line 3, column \d+[\s\S]*The following priors do not correspond to any model parameter:\n  sigma ~ normal\(0, 1\)/,
    );
    expect(errorOf(brm("y ~ x", ", prior = prior(normal(0, 1), class = Intercept, dpar = sigma)"))).toMatch(/Intercept_sigma ~ normal\(0, 1\)/);
    expect(errorOf(brm("y ~ x", ", prior = prior(normal(0, 1), class = b, coef = q)"))).toMatch(/  b_q ~ normal\(0, 1\)/);
    const mv = "bf(y ~ x + (1 | record_id)) + bf(z ~ x + (1 | record_id)) + set_rescor(TRUE)";
    expect(errorOf(brm(mv, ", prior = prior(exponential(1), class = sd)"))).toMatch(/  sd ~ exponential\(1\)/);
    expect(errorOf(brm(mv, ", prior = prior(exponential(1), class = sd, group = record_id)"))).toMatch(/  sd_record_id ~ exponential\(1\)/);
    expect(errorOf(brm(mv, ", prior = prior(exponential(1), class = sigma)"))).toMatch(/  sigma ~ exponential\(1\)/);
    expect(errorOf(brm(mv, ", prior = prior(lkj(2), class = rescor, resp = y)"))).toMatch(/  rescor_y ~ lkj\(2\)/);
  });

  it("rejects malformed priors with a location", () => {
    expect(errorOf(brm("y ~ x", ", prior = prior(lkj(2), class = b)"))).toMatch(/line 3[\s\S]*lkj priors are for class = cor, rescor or Lme/);
    expect(errorOf(brm("y ~ x + (x | record_id)", ", prior = prior(normal(0, 1), class = cor)"))).toMatch(/Correlation priors must be lkj/);
    expect(errorOf(brm("y ~ x", ", prior = prior(normol(0, 1), class = b)"))).toMatch(/Unknown prior distribution 'normol'/);
    expect(errorOf(brm("y ~ x", ", prior = prior(normal(0), class = b)"))).toMatch(/normal\(\) takes 2 arguments, but 1 were given/);
    expect(errorOf(brm("y ~ x", ", prior = prior(normal(0, s), class = b)"))).toMatch(/Prior arguments must be numbers, not 's'/);
    expect(errorOf(brm("y ~ x", ", prior = c(prior(normal(0, 1), class = b), prior(normal(0, 2), class = b))"))).toMatch(/Duplicated prior/);
  });

  it("accepts set_prior() strings", () => {
    const lines = lpriorLines(buildFrom(brm("y ~ x", ', prior = set_prior("normal(0,1)", class = "b")')).stanCode);
    expect(lines[0]).toBe("lprior += normal_lpdf(b | 0, 1);");
  });
});
