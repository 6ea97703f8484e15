/**
 * brms families against brms 2.18's own output. Each folder of test/fixtures/brms-families holds a
 * model.R (a brm() call on the shared simulated data.csv) and what brms made of it:
 * stancode.stan = make_stancode(...), standata.json = make_standata(...), both written by
 * `Rscript gen.R` in that folder (the data by `Rscript gen-data.R`); where recorded, logprob.json,
 * variables.txt, prior_summary.txt and print.txt come from `Rscript logprob.R <folder>` (rstan's
 * log_prob at logprob.R's point, and a mock brms fit). familyFixtureSuite.ts holds the checks.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsDrawsCsv, brmsFixtures, buildFrom, errorOf } from "./helpers";
import { loadCompiled } from "../models/gradientCheck";
import { predictorNames } from "../../src/brms/emitStanProgram";
import { stanDataToJson } from "../../src/brms/index";
import { columnNames } from "../../src/runtime/model";

const ROOT = new URL("../fixtures/brms-families/", import.meta.url).pathname;

// rstan compiles slowly, so not every folder has logprob.R's outputs (see logprob.R).
describeFamilyFixtures("brms families", ROOT, {
  minFixtures: 20,
  rstanRecorded: 25,
  mockRecorded: 24,
  shiftOutOfSupport: true,
});

/**
 * gen_extreme_value with a scalar xi: brms samples tmp_xi and computes xi after sampling (its
 * compute_xi: inv_logit(tmp_xi) * (ub - lb) + lb, the bounds from each draw's mu and sigma and the
 * data). stan2ts's sampled program computes it as a generated quantity; fed each draw of a real brms
 * fit (<fixture>/draws.csv, `R_MAKEVARS_USER=$PWD/../../../.Makevars-fit Rscript xi-draws.R <fixture>`),
 * it gives brms's xi.
 */
describe("brms families: gen_extreme_value's xi as brms computes it after sampling", () => {
  const fixtures = brmsFixtures(ROOT);
  const withDraws = fixtures.names.filter((f) => existsSync(`${ROOT}${f}/draws.csv`));

  it("has brms fits recorded", () => {
    expect(withDraws).toEqual(expect.arrayContaining(["gen_extreme_value", "gen_extreme_value-sigma"]));
  });

  it.each(withDraws)("%s: xi of every brms draw", async (fixture) => {
    const b = await fixtures.build(fixture);
    const data = JSON.parse(stanDataToJson(b.standata)) as Record<string, number[][] | number>;
    const instance = (await loadCompiled(b.samplingCode, `${fixture.replace(/[^a-z]/g, "_")}_xi.stan`)).create(data);
    const draws = brmsDrawsCsv(readFileSync(`${ROOT}${fixture}/draws.csv`, "utf8"));
    const column = (name: string) => draws.drawsByChain(name).flatMap((c) => [...c]);
    const brmsOf = new Map(b.outputNames.map((n) => [n.stan, n.brms]));
    const xiColumn = columnNames(instance.variables).indexOf("xi");
    expect(xiColumn).toBeGreaterThanOrEqual(0);
    const theirXi = column("xi");
    const out = new Float64Array(instance.outputLength);
    const noRng = { uniform: () => NaN, normal: () => NaN, nextU32: () => 0 };
    for (let d = 0; d < theirXi.length; d++) {
      // brms saves b_Intercept, not the centred Intercept the program samples: Intercept = b_Intercept + means_X · b.
      const values: Record<string, number | number[]> = { sigma: column("sigma")[d], tmp_xi: column("tmp_xi")[d] };
      for (const p of b.model.predictors) {
        const n = predictorNames(p);
        const coefs = p.coefs.map((_, i) => column(brmsOf.get(`${n.b}.${i + 1}`)!)[d]);
        const X = data[n.X] as number[][];
        const meansX = coefs.map((_, i) => X.reduce((sum, row) => sum + row[i + 1], 0) / X.length);
        values[n.b] = coefs;
        values[n.Intercept] = column(n.bIntercept)[d] + coefs.reduce((sum, c, i) => sum + c * meansX[i], 0);
        if (p.dpar === "sigma") delete values.sigma;
      }
      instance.writeConstrained(instance.unconstrain(values), noRng, out);
      expect(Math.abs(out[xiColumn] - theirXi[d]), `draw ${d + 1}: ${out[xiColumn]} vs brms's ${theirXi[d]}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(theirXi[d])));
    }
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
    expect(errorOf(script("yr | dec(yb) ~ x"), csv)).toMatch(/Argument 'dec' is not supported for family 'gaussian\(identity\)'[\s\S]*wiener/);
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

  it("refuses families it does not implement yet, and residual correlations of non-gaussian multivariate models", () => {
    expect(errorOf(script("yu ~ x, family = logistic_normal()"), csv)).toMatch(/family 'logistic_normal' is not supported yet/);
    // Multivariate poisson models are fitted without residual correlations (test/brms/multivariate.test.ts), as brms does.
    expect(errorOf(script("bf(yp ~ x) + bf(yk ~ x), family = poisson"), csv)).toBe("no error");
    expect(errorOf(script("bf(yp ~ x) + bf(yk ~ x) + set_rescor(TRUE), family = poisson"), csv)).toMatch(/estimating 'rescor' is only possible in multivariate gaussian or student models/);
  });
});
