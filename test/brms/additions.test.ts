/**
 * brms addition terms (weights, cens, trunc, se, rate) and prior options (lb/ub, constant(),
 * sample_prior = "yes") against brms 2.18's own output. Each folder of test/fixtures/brms-additions
 * holds a model.R (a brm() call on the shared simulated data.csv, made by `Rscript gen-data.R`) and
 * what brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...), both
 * written by `Rscript ../brms-families/gen.R` there; logprob.json (rstan's log_prob at theta[i] = 0.1 sin(i)),
 * variables.txt, prior_summary.txt and print.txt (brms's mock fit) by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <folder>...` there.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import { parseStan } from "../../src/parse/parseStan";
import { coordinateCheck } from "../models/gradientCheck";
import { brmsFixtures, errorOf, fixtureInstance, fixturePoint, jsonNumbers } from "./helpers";

const ROOT = new URL("../fixtures/brms-additions/", import.meta.url).pathname;
const fixtures = brmsFixtures(ROOT);
const FIXTURES = fixtures.names;
const build = (fixture: string): Promise<BrmsBuild> => fixtures.build(fixture);
const reference = (fixture: string) => parseStan(readFileSync(`${ROOT}${fixture}/stancode.stan`, "utf8"), `${fixture}.stan`).program;

describe("brms addition terms and prior options: Stan program and data equal brms 2.18's", () => {
  it("has the fixtures", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(44);
  });

  describe.each(FIXTURES)("%s", (fixture) => {
    it("emits brms's Stan program (same tree)", async () => {
      const b = await build(fixture);
      expect(printProgram(b.program)).toBe(printProgram(reference(fixture)));
      expect(printProgram(parseStan(b.stanCode, `${fixture}.stan`).program)).toBe(printProgram(b.program));
    });

    it("builds brms's Stan data", async () => {
      const b = await build(fixture);
      const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>;
      const theirs = JSON.parse(readFileSync(`${ROOT}${fixture}/standata.json`, "utf8")) as Record<string, unknown>;
      for (const [name, value] of Object.entries(ours)) {
        expect(theirs, `make_standata has ${name}`).toHaveProperty(name);
        // make_standata's JSON keeps 15 significant digits: computed values (scaled weights) agree to that.
        const expected = jsonNumbers(theirs[name]);
        const actual = jsonNumbers(value);
        expect(actual.length, name).toBe(expected.length);
        actual.forEach((x, i) => expect(Math.abs(x - expected[i]), `${name}[${i}]: ${x} vs ${expected[i]}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected[i]))));
      }
      for (const stmt of reference(fixture).data?.stmts ?? []) {
        if (stmt.kind === "VarDecl") expect(ours, `data ${stmt.name}`).toHaveProperty(stmt.name);
      }
    });
  });
});

/**
 * Fixtures where rstan's gradient itself is approximate: Stan 2.21 differentiates the gamma CDF in
 * its shape by a series (grad_reg_inc_gamma) good to about 1e-6, and neg_binomial_2's CDF in phi
 * likewise. There the gradient is held to that tolerance against rstan, and to 1e-9 against a
 * Richardson-extrapolated central difference of stan2ts's own log density.
 */
const APPROXIMATE_RSTAN_GRADIENT: Readonly<Record<string, number>> = { "cens-gamma": 1e-6 };

describe("brms addition terms and prior options: log density of the compiled program", () => {
  const RSTAN = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/logprob.json`));
  /** How many folders have a recorded logprob.json (rstan compiles slowly: about a minute each). */
  const RSTAN_RECORDED = 36;

  it.each(FIXTURES.filter((f) => !RSTAN.includes(f)))("%s compiles; its gradient matches finite differences (no rstan oracle recorded)", async (fixture) => {
    const instance = await fixtureInstance(await build(fixture), fixture);
    const theta = fixturePoint(instance);
    expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
    const check = coordinateCheck(instance, theta);
    expect(check.worst, check.where).toBeLessThan(1e-5);
  });

  it("has rstan oracles for most fixtures", () => {
    expect(RSTAN.length).toBeGreaterThanOrEqual(RSTAN_RECORDED);
  });

  it.each(RSTAN)("%s: log density and gradient equal rstan's log_prob; the gradient matches finite differences", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/logprob.json`, "utf8")) as { upars: number[]; log_prob: number; gradient: number[] };
    const b = await build(fixture);
    const instance = await fixtureInstance(b, fixture);
    expect(instance.dim).toBe(oracle.upars.length);
    const theta = Float64Array.from(oracle.upars);
    const g = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(theta, g);
    expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-10);
    const tolerance = APPROXIMATE_RSTAN_GRADIENT[fixture] ?? 1e-8;
    oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(tolerance));
    const check = coordinateCheck(instance, theta);
    expect(check.worst, check.where).toBeLessThan(1e-5);
    if (APPROXIMATE_RSTAN_GRADIENT[fixture] !== undefined) {
      g.forEach((derived, i) => {
        const at = (h: number) => {
          const t = Float64Array.from(theta);
          t[i] += h;
          return instance.logDensity(t);
        };
        const central = (h: number) => (at(h) - at(-h)) / (2 * h);
        const richardson = (4 * central(1e-4) - central(2e-4)) / 3;
        expect(Math.abs(derived - richardson) / Math.max(1, Math.abs(richardson)), `coordinate ${i}`).toBeLessThan(1e-9);
      });
    }
  });
});

describe("brms addition terms and prior options: output names, prior_summary and print header from brms's mock fit", () => {
  const MOCKED = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/variables.txt`));

  it.each(MOCKED)("%s: variables(fit), prior_summary(fit) and the print header", async (fixture) => {
    const b = await build(fixture);
    const oracle = (name: string) => readFileSync(`${ROOT}${fixture}/${name}`, "utf8");
    expect(b.outputNames.map((n) => n.brms).join("\n") + "\n").toBe(oracle("variables.txt"));
    expect(b.priorSummary()).toBe(oracle("prior_summary.txt"));
    // logprob.R calls brm() through do.call, so brms's Data line shows the deparsed data frame: left out.
    const header = (text: string) => text.split("\n").slice(0, text.split("\n").findIndex((l) => l.startsWith("  Draws:"))).filter((l) => !l.startsWith("   Data: "));
    expect(header(b.printFit(new Map(), { chains: 2, iter: 200, warmup: 100, thin: 1 }))).toEqual(header(oracle("print.txt")));
  });
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
    expect(error("yr | dec(cn) ~ x")).toMatch(/line 3[\s\S]*The addition term dec\(\) is not supported[\s\S]*wiener/);
    expect(error("yr | mi() ~ x")).toMatch(/mi\(\) is not supported[\s\S]*measurement error/);
    expect(error("yr | thres(3) ~ x")).toMatch(/thres\(\) is not supported[\s\S]*ordinal/);
    expect(error("yr | foo(z) ~ x")).toMatch(/'foo\(z\)' is not an addition term/);
    expect(error("yr | weights(w) + weights(w) ~ x")).toMatch(/weights\(\) is given twice/);
    expect(error("yr | weights(w, scale = 1) ~ x")).toMatch(/weights\(..., scale = \) takes TRUE or FALSE/);
  });

  it("checks each term against the family", () => {
    expect(error("yp | se(s) ~ x, family = poisson")).toMatch(/se\(\) is for gaussian and student models, not poisson/);
    expect(error("bf(yr | se(s) ~ x, sigma ~ z)")).toMatch(/se\(\) together with a formula for sigma/);
    expect(error("yr | rate(expo) ~ x")).toMatch(/rate\(\) is for count families with a rate \(poisson, negbinomial\), not gaussian/);
    expect(error("yu | cens(cn) ~ x, family = Beta")).toMatch(/cens\(\) needs the beta family's log CDF and CCDF/);
    expect(error("bf(yr | weights(w) ~ x) + bf(ypos ~ x)")).toMatch(/Addition terms other than trials\(\) are not supported in multivariate models/);
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
