/**
 * brms families against brms 2.18's own output. Each folder of test/fixtures/brms-families holds a
 * model.R (a brm() call on the shared simulated data.csv) and what brms made of it:
 * stancode.stan = make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript gen.R` in that folder (the data by `Rscript gen-data.R`).
 */
import { readFileSync, existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import { parseStan } from "../../src/parse/parseStan";
import { coordinateCheck } from "../models/gradientCheck";
import { brmsFixtures, buildFrom, errorOf, fixtureInstance, fixturePoint, jsonNumbers } from "./helpers";

const ROOT = new URL("../fixtures/brms-families/", import.meta.url).pathname;
const fixtures = brmsFixtures(ROOT);
const FIXTURES = fixtures.names;

/** How many folders have a recorded logprob.json (rstan compiles slowly; see logprob.R). */
const RSTAN_RECORDED = 23;
/** How many folders have the mock outputs of logprob.R. */
const MOCK_RECORDED = 22;

const build = (fixture: string): Promise<BrmsBuild> => fixtures.build(fixture);

const numbers = jsonNumbers;

describe("brms families: Stan program and data equal brms 2.18's", () => {
  it("has the fixtures", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(FIXTURES)("%s", (fixture) => {
    it("emits brms's Stan program (same tree)", async () => {
      const b = await build(fixture);
      const reference = parseStan(readFileSync(`${ROOT}${fixture}/stancode.stan`, "utf8"), `${fixture}.stan`).program;
      expect(printProgram(b.program)).toBe(printProgram(reference));
      expect(printProgram(parseStan(b.stanCode, `${fixture}.stan`).program)).toBe(printProgram(b.program));
    });

    it("builds brms's Stan data", async () => {
      const b = await build(fixture);
      const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>;
      const theirs = JSON.parse(readFileSync(`${ROOT}${fixture}/standata.json`, "utf8")) as Record<string, unknown>;
      for (const [name, value] of Object.entries(ours)) {
        expect(theirs, `make_standata has ${name}`).toHaveProperty(name);
        expect(numbers(value), name).toEqual(numbers(theirs[name]));
      }
      // Everything brms's program reads is there.
      const reference = parseStan(readFileSync(`${ROOT}${fixture}/stancode.stan`, "utf8"), `${fixture}.stan`).program;
      for (const stmt of reference.data?.stmts ?? []) {
        if (stmt.kind === "VarDecl") expect(ours, `data ${stmt.name}`).toHaveProperty(stmt.name);
      }
    });
  });
});

describe("brms families: how a script names them, and located refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (call: string) => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${call}, data = d)\n`;
  const family = (call: string) => buildFrom(script(call), csv).model.responses[0].family;

  it("accepts a family as a name, a call, a string and brmsfamily(), with R's default links", () => {
    for (const form of ["poisson", "poisson()", '"poisson"', 'brmsfamily("poisson")', 'poisson(link = "log")']) {
      const f = family(`yp ~ x, family = ${form}`);
      expect([f.spec.name, f.link], form).toEqual(["poisson", "log"]);
    }
    // stats::Gamma() defaults to the inverse link; the string form takes brms's default, log.
    expect(family("ypos ~ x, family = Gamma").link).toBe("inverse");
    expect(family("ypos ~ x, family = Gamma()").link).toBe("inverse");
    expect(family('ypos ~ x, family = "Gamma"').link).toBe("log");
    expect(family('ypos ~ x, family = brmsfamily("gamma", link_shape = "identity")').dparLinks.get("shape")).toBe("identity");
    expect(family('yr ~ x, family = student(link_sigma = "identity")').dparLinks.get("sigma")).toBe("identity");
  });

  it("prints the family, its links and every formula", () => {
    const b = buildFrom(script('bf(yu ~ x, phi ~ z), family = Beta()'), csv);
    const text = b.printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 });
    expect(text).toContain(" Family: beta \n  Links: mu = logit; phi = log \nFormula: yu ~ x \n         phi ~ z\n");
    const binomial = buildFrom(script("yk | trials(t) ~ x, family = binomial"), csv).printFit(new Map(), { chains: 4, iter: 2000, warmup: 1000, thin: 1 });
    expect(binomial).toContain(" Family: binomial \n  Links: mu = logit \nFormula: yk | trials(t) ~ x \n");
  });

  it("names a parameter the family lacks, with the family's own parameters", () => {
    expect(errorOf(script("bf(yr ~ x, phi ~ z), family = gaussian"), csv)).toMatch(/'phi' is not a distributional parameter of the gaussian family[\s\S]*'sigma'/);
    expect(errorOf(script("bf(yp ~ x, sigma ~ z), family = poisson"), csv)).toMatch(/'sigma' is not a distributional parameter of the poisson family[\s\S]*only 'mu'/);
    expect(errorOf(script('yp ~ x, family = poisson(link_shape = "log")'), csv)).toMatch(/'shape' is not a distributional parameter of the poisson family/);
    expect(errorOf(script('yp ~ x, family = poisson(link = "logit")'), csv)).toMatch(/link 'logit' is not available for the poisson family's mu/);
  });

  it("implements trials() and names the addition terms it does not implement (the others: additions.test.ts)", () => {
    expect(errorOf(script("yk ~ x, family = binomial"), csv)).toMatch(/binomial family needs the number of trials: write yk \| trials\(n\)/);
    expect(errorOf(script("yp | trials(t) ~ x, family = poisson"), csv)).toMatch(/trials\(\) is for binomial-type families, not poisson/);
    expect(errorOf(script("yu | cens(yb) ~ x, family = Beta"), csv)).toMatch(/line 3[\s\S]*cens\(\) needs the beta family's log CDF and CCDF/);
    expect(errorOf(script("yr | dec(yb) ~ x"), csv)).toMatch(/The addition term dec\(\) is not supported[\s\S]*wiener/);
    expect(errorOf(script("yr | foo(z) ~ x"), csv)).toMatch(/'foo\(z\)' is not an addition term/);
  });

  it("checks the response against the family's support, naming the row", () => {
    expect(errorOf(script("yr ~ x, family = poisson"), csv)).toMatch(/poisson family needs non-negative integers as the response, but row 1 of 'yr' holds 1.867: not a non-negative integer/);
    expect(errorOf(script("yp ~ x, family = bernoulli"), csv)).toMatch(/bernoulli family needs 0 or 1 as the response, but row 1 of 'yp' holds 3/);
    expect(errorOf(script("yk | trials(yb) ~ x, family = binomial"), csv)).toMatch(/row 1 of 'yk' holds 2: more than its 1 trials/);
    expect(errorOf(script("yr ~ x, family = Gamma"), csv)).toMatch(/gamma family needs positive numbers as the response, but row 2 of 'yr' holds -0.126/);
    expect(errorOf(script("ypos ~ x, family = Beta"), csv)).toMatch(/beta family needs numbers strictly between 0 and 1/);
    expect(errorOf(script("yr ~ x, family = von_mises()"), csv)).toMatch(/von_mises family needs angles between -pi and pi as the response, but row 36 of 'yr' holds 4.29: outside \[-pi, pi\]/);
    expect(errorOf(script("yzo ~ x, family = zero_inflated_beta()"), csv)).toMatch(/zero_inflated_beta family needs numbers from 0 up to \(not including\) 1 as the response, but row 3 of 'yzo' holds 1/);
    expect(errorOf(script("ypos ~ x, family = zero_one_inflated_beta()"), csv)).toMatch(/zero_one_inflated_beta family needs numbers from 0 to 1 as the response, but row 3 of 'ypos' holds 1.122/);
    expect(errorOf(script("yr ~ x, family = inverse.gaussian()"), csv)).toMatch(/inverse.gaussian family needs positive numbers as the response, but row 2 of 'yr' holds -0.126/);
    expect(errorOf(script("yk | trials(yb) ~ x, family = beta_binomial()"), csv)).toMatch(/row 1 of 'yk' holds 2: more than its 1 trials/);
    expect(errorOf(script("yk | trials(yb) ~ x, family = zero_inflated_binomial()"), csv)).toMatch(/row 1 of 'yk' holds 2: more than its 1 trials/);
    expect(errorOf(script("yk ~ x, family = beta_binomial()"), csv)).toMatch(/beta_binomial family needs the number of trials/);
  });

  it("gives the new families brms's links and parameters", () => {
    expect(family("ypos ~ x, family = inverse.gaussian()").link).toBe("1/mu^2");
    expect(family("ya ~ x, family = von_mises()").link).toBe("tan_half");
    expect(family('ya ~ x, family = von_mises(link = "identity")').link).toBe("identity");
    expect(family("yr ~ x, family = gen_extreme_value()").dparLinks).toEqual(new Map([["sigma", "log"], ["xi", "log1p"]]));
    expect(family("yzo ~ x, family = zero_one_inflated_beta()").spec.dpars.map((d) => d.name)).toEqual(["phi", "zoi", "coi"]);
    expect(errorOf(script("bf(yz ~ x, coi ~ z), family = zero_inflated_beta()"), csv)).toMatch(/'coi' is not a distributional parameter of the zero_inflated_beta family[\s\S]*'phi', 'zi'/);
  });

  it("refuses families it does not implement yet, and multivariate non-gaussian models", () => {
    expect(errorOf(script("yu ~ x, family = asym_laplace()"), csv)).toMatch(/family 'asym_laplace' is not supported yet/);
    expect(errorOf(script("bf(yp ~ x) + bf(yk ~ x), family = poisson"), csv)).toMatch(/Multivariate models are supported for the gaussian family only/);
  });
});

describe("brms families: log density of the compiled program", () => {
  /** rstan's log_prob on brms's program and data (logprob.R), where recorded. */
  const RSTAN = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/logprob.json`));

  it.each(FIXTURES)("%s compiles; its gradient matches finite differences", async (fixture) => {
    const instance = await fixtureInstance(await build(fixture), fixture);
    const theta = fixturePoint(instance);
    expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
    const check = coordinateCheck(instance, theta);
    expect(check.worst, check.where).toBeLessThan(1e-5);
  });

  it("has rstan oracles for several families", () => {
    expect(RSTAN.length).toBeGreaterThanOrEqual(RSTAN_RECORDED);
  });

  it.each(RSTAN)("%s: log density and gradient equal rstan's log_prob", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/logprob.json`, "utf8")) as { upars: number[]; log_prob: number; gradient: number[] };
    const b = await build(fixture);
    const instance = await fixtureInstance(b, fixture);
    expect(instance.dim).toBe(oracle.upars.length);
    const g = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(Float64Array.from(oracle.upars), g);
    expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-10);
    oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(1e-8));
  });
});

describe("brms families: output names, prior_summary and print header from brms's mock fit", () => {
  /** Folders where logprob.R also recorded brms's variables(fit), prior_summary(fit) and print(fit). */
  const MOCKED = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/variables.txt`));

  it("has mock oracles", () => {
    expect(MOCKED.length).toBeGreaterThanOrEqual(MOCK_RECORDED);
  });

  /**
   * Variables brms computes in R after sampling, which the Stan output lacks: with a scalar xi,
   * gen_extreme_value samples `tmp_xi` and brms adds `xi` from it, the data and each draw's mu and
   * sigma. stan2ts does not compute it yet, so its names are brms's without it.
   */
  const computedAfterSampling = (fixture: string) =>
    fixture.startsWith("gen_extreme_value") && !fixture.endsWith("-xi") ? ["xi"] : [];

  it.each(MOCKED)("%s: variables(fit), prior_summary(fit) and the print header", async (fixture) => {
    const b = await build(fixture);
    const oracle = (name: string) => readFileSync(`${ROOT}${fixture}/${name}`, "utf8");
    const missing = computedAfterSampling(fixture);
    const theirNames = oracle("variables.txt").split("\n").filter((name) => !missing.includes(name));
    expect(missing.every((name) => oracle("variables.txt").split("\n").includes(name)), "brms has the computed variables").toBe(true);
    expect(b.outputNames.map((n) => n.brms).join("\n") + "\n").toBe(theirNames.join("\n"));
    expect(b.priorSummary()).toBe(oracle("prior_summary.txt"));
    // The header up to the Draws line (numbers in the mock's tables are random). logprob.R calls brm()
    // through do.call, so its Data line shows the deparsed data frame instead of `d`: compared apart.
    const header = (text: string) => text.split("\n").slice(0, text.split("\n").findIndex((l) => l.startsWith("  Draws:")));
    const ours = header(b.printFit(new Map(), { chains: 2, iter: 200, warmup: 100, thin: 1 }));
    const theirs = header(oracle("print.txt"));
    const notData = (lines: string[]) => lines.filter((l) => !l.startsWith("   Data: "));
    expect(notData(ours)).toEqual(notData(theirs));
    expect(ours).toContain("   Data: d (Number of observations: 40) ");
    expect(theirs.find((l) => l.startsWith("   Data: "))).toMatch(/\(Number of observations: 40\) $/);
  });
});
