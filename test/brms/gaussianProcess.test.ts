/**
 * brms's Gaussian-process terms gp() against brms 2.18's own output.
 * Each folder of test/fixtures/brms-gp holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript ../brms-families/gen.R` in that folder (R 4.2, brms 2.18);
 * logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> R_MAKEVARS_USER=/work/main/.Makevars-fit Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the default priors, names and refusals.
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile } from "../../src/brms/index";
import { ObservationModel } from "../../src/brms/postFit/observationModel";
import { checkPostFitCalls } from "../../src/brms/postFit/runPostFit";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { defaultLengthScalePrior } from "../../src/brms/terms/gaussianProcess";
import { brmsDrawsCsv, brmsFixtures, buildFrom, errorOf, fixtureInstance, postFitOnDraws, recordedLooOutput } from "./helpers";

const ROOT = new URL("../fixtures/brms-gp/", import.meta.url).pathname;

describeFamilyFixtures("brms gp()", ROOT, {
  minFixtures: 15,
  rstanRecorded: 15,
  // make_standata keeps 15 significant digits of the scaled covariates and basis functions.
  dataTolerance: 1e-14,
  priorSummaryWrapped: true,
  // At the test point (lscale ≈ 1.1 on covariates scaled into [0, 1.2]) an exact GP's covariance has
  // condition number ~3e13 (gp-main: R's kappa(K + 1e-12 I, exact = TRUE)); its Cholesky factor
  // carries that rounding, in rstan as here. The approximate GPs and gp(x, scale = FALSE) are held to the default tolerances.
  illConditioned: Object.fromEntries(
    ["gp-main", "gp-agreement", "gp-poisson", "gp-priors", "gp-sigma", "gp-slope", "gp-two", "gp-2d", "gp-2d-aniso", "gp-by", "gp-bynum"].map((f) => [f, { logDensity: 1e-8, gradient: 1e-5, finiteDifference: 1e-4 }]),
  ),
});

describe("brms gp(): default length-scale priors, post-fit values and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const script = (formula: string, extra = "") => `library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d${extra})\n`;
  const error = (formula: string, extra = "") => errorOf(script(formula, extra), csv);

  it("solves brms's inverse-gamma default, and falls back to normal(0, 0.5) where brms's solver fails", () => {
    // Rscript -e 'd <- data.frame(y = rnorm(6), x = rep(c(1, 2), 3), x3 = c(0, 1, 2, 3, 4, 100));
    //   as.data.frame(brms::get_prior(y ~ gp(x) + gp(x3), data = d))[, 1:3]' (brms 2.18): with two distinct
    // values the smallest and largest distance coincide and nleqslv fails (normal(0, 0.5)); for x3 the
    // smallest distance is raised to 1 % of the largest, the same ratio as brms's other defaults.
    expect(defaultLengthScalePrior([0, 1].map((x) => Float64Array.of(x)))).toBe("normal(0, 0.5)");
    expect(defaultLengthScalePrior([0, 1, 2, 3, 4, 100].map((x) => Float64Array.of(x / 100)))).toBe("inv_gamma(1.494197, 0.056607)");
  });

  it("refuses what brms 2.18 refuses, with brms's messages", () => {
    // Rscript -e 'make_stancode(<formula>, data = read.csv("data.csv"))' (brms 2.18) for each
    expect(error('y ~ gp(x, cov = "matern32")')).toMatch(/line 3[\s\S]*'arg' should be “exp_quad”/);
    expect(error("y ~ gp(x, k = 10)")).toMatch(/'c' must be specified for approximate GPs/);
    expect(error("y ~ gp(x, k = 0, c = 1)")).toMatch(/'k' must be positive\./);
    expect(error("y ~ gp(x, x2, k = 5, c = c(1, 2, 3))")).toMatch(/'c' must be of the same length as the number of covariates\./);
    expect(error("y ~ gp(f)")).toMatch(/Predictors of Gaussian processes should be numeric vectors\./);
  });

  it("refuses what stan2ts does not build, naming the cause", () => {
    expect(error("y ~ gp(x, gr = FALSE)")).toMatch(/gp\(gr = FALSE\) is not supported by stan2ts/);
    expect(error("y ~ gp(x, by = f, cmc = FALSE)")).toMatch(/gp\(cmc = FALSE\) is not supported by stan2ts/);
    expect(error("y ~ gp(log(x))")).toMatch(/gp\(\) of 'log\(x\)' is not supported/);
    expect(error("y ~ gp(x, foo = 1)")).toMatch(/gp\(\) argument 'foo' is not a brms 2.18 gp\(\) argument/);
    expect(error("y ~ gp(x)", ', sample_prior = "yes"')).toMatch(/Gaussian process terms \(gp\(\)\) with sample_prior = "yes" are not supported by stan2ts yet/);
    expect(error("bf(mvbind(y, z) ~ gp(x))")).toMatch(/Gaussian process terms \(gp\(\)\) in a multivariate model are not supported/);
  });

  it("names the parameters as brms does with a factor by and several covariates", () => {
    // variables(fit) of gp-by's and gp-2d-aniso's mock fits (variables.txt): sdgp_gpxfa, lscale_gpxx2x2, zgp_gpxfc[9]
    const byNames = buildFrom(script("y ~ gp(x, by = f)"), csv).outputNames.map((n) => n.brms);
    expect(byNames).toEqual(expect.arrayContaining(["sdgp_gpxfa", "lscale_gpxfc", "zgp_gpxfb[1]"]));
  });
});


/**
 * The post-fit GP values (terms/gaussianProcessDraws: each draw's Cholesky factor or basis, computed
 * apart from the compiled program) against the compiled brms program (itself rstan's log_prob, above):
 * at the test point, the log_lik of every observation sums to the program's log density less its
 * priors (lprior), the latent variables' standard normal densities and the log Jacobian of the
 * positive parameters (log of exp: their unconstrained values).
 */
describe("brms gp(): post-fit log_lik from the GP's draws sums to the compiled program's likelihood", () => {
  const suite = brmsFixtures(ROOT);
  it.each(["gp-main", "gp-2d-aniso", "gp-by", "gp-bynum", "gp-sigma", "gp-poisson", "gp-approx", "gp-approx-2d", "gp-approx-by"])("%s", async (fixture) => {
    const build = await suite.build(fixture);
    const instance = await fixtureInstance(build, fixture);
    const theta = Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1));
    const out = new Float64Array(instance.outputLength);
    instance.writeConstrained(theta, new Xoshiro128(1), out);
    // CmdStan's column names (first index fastest) of the written values
    const columns = instance.variables.flatMap((v) => {
      const names: string[] = [];
      const count = v.dims.reduce((a, d) => a * d, 1);
      for (let k = 0; k < count; k++) {
        let rest = k;
        const index = v.dims.map((d) => {
          const i = rest % d;
          rest = Math.floor(rest / d);
          return i + 1;
        });
        names.push(index.length ? `${v.name}.${index.join(".")}` : v.name);
      }
      return names;
    });
    const value = new Map(columns.map((c, k) => [c, out[k]]));
    const brmsValue = new Map(build.outputNames.map((n) => [n.brms, value.get(n.stan)!]));
    const observations = new ObservationModel(build.model, { variables: [...brmsValue.keys()], draws: (name) => Float64Array.of(brmsValue.get(name)!) });
    let logLik = 0;
    for (let i = 0; i < observations.n; i++) logLik += observations.logLik(i)[0];
    let rest = value.get("lprior")!;
    instance.unconstrainedNames.forEach((name, k) => {
      if (/^zgp_/.test(name)) rest += -0.5 * theta[k] ** 2 - 0.5 * Math.log(2 * Math.PI);
      if (/^(sdgp|lscale)_|^sigma$/.test(name)) rest += theta[k];
    });
    const lp = instance.logDensity(theta);
    expect(Math.abs(logLik + rest - lp) / Math.abs(lp), `${logLik + rest} vs ${lp}`).toBeLessThan(1e-9);
  });
});

describe("brms gp(): conditional_effects", () => {
  it("is refused before sampling, naming the cause", () => {
    const csv = readFileSync(`${ROOT}data.csv`, "utf8");
    const build = buildFrom('library(brms)\nd <- read_csv("data.csv")\nfit <- brm(y ~ gp(x), data = d)\nconditional_effects(fit)\nloo(fit)\n', csv);
    let message = "no error";
    try {
      checkPostFitCalls(build.model.script.postFit, build.model);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/conditional_effects\(fit\) is not supported by stan2ts for this model: stan2ts cannot predict gp\(\) terms at new covariate values yet/);
    // loo() alone is accepted
    expect(() => checkPostFitCalls(build.model.script.postFit.filter((c) => c.fn === "loo"), build.model)).not.toThrow();
  });
});

/**
 * The calls after brm() on real brms 2.18 fits with gp() terms (test/fixtures/brms-postfit/gp-fit: y ~ gp(x);
 * gpa-fit: y ~ z + gp(x, k = 10, c = 5/4); 2 chains of 400 iterations each, recorded by
 * `R_LIBS=<BH copy> R_MAKEVARS_USER=/work/main/.Makevars-fit Rscript gp-fits.R` in test/fixtures/brms-postfit),
 * fed brms's own draws: log_lik(fit) and print(loo(fit)).
 */
describe.each(["gp-fit", "gpa-fit"])("brms gp(): post-fit calls on a real brms fit's draws (%s)", (fit) => {
  const folder = new URL(`../fixtures/brms-postfit/${fit}/`, import.meta.url).pathname;
  const load = async () => ({ build: await buildFromScriptFile(`${folder}model.R`), draws: brmsDrawsCsv(readFileSync(`${folder}draws.csv`, "utf8")) });

  // The exact GP of each draw is the Cholesky factor of an ill-conditioned covariance (condition number
  // ~1e13 at large length scales, see the fixtures above) of draws that draws.csv keeps to 15 significant
  // digits, so R's chol() and stan2ts's agree to that rounding: measured worst relative difference 8.6e-7
  // over the 12 × 400 values, against 5e-6 here. The approximate GP (a basis, no factorisation) is held to 1e-8.
  const tolerance = fit === "gp-fit" ? 5e-6 : 1e-8;
  it(`log_lik of the first 12 observations, every draw, equals brms's to ${tolerance}`, async () => {
    const { build, draws } = await load();
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) });
    const expected = (parse(readFileSync(`${folder}log_lik.csv`, "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    let worst = 0;
    for (let i = 0; i < 12; i++) {
      const ll = observations.logLik(i);
      expect(ll.length).toBe(expected.length);
      expected.forEach((row, s) => (worst = Math.max(worst, Math.abs(ll[s] - row[i]) / Math.max(1, Math.abs(row[i])))));
    }
    expect(worst).toBeLessThan(tolerance);
  });

  it("print(loo(fit)) byte for byte; pp_check draws 10 replicated series", async () => {
    const { build, draws } = await load();
    const { text, plots } = postFitOnDraws(build, draws, 1);
    const loo = recordedLooOutput(`${folder}loo.txt`);
    expect(text.slice(-loo.length)).toBe(loo);
    const rows = (plots.get("fit_pp_check.svg") as { data: { values: { series: string; kind: string; density: number }[] } }).data.values;
    expect(new Set(rows.filter((r) => r.kind === "y_rep").map((r) => r.series)).size).toBe(10);
    expect(rows.every((r) => Number.isFinite(r.density))).toBe(true);
  });
});

describe("brms gp(): print(fit)", () => {
  /** Each summary row of a print(fit) text by its label: the seven numbers R printed. */
  const rowsOf = (text: string) => {
    const rows = new Map<string, number[]>();
    for (const line of text.split("\n")) {
      const m = /^(\S+)\s+((?:-?[\d.]+|NA)(?:\s+(?:-?[\d.]+|NA))*)$/.exec(line);
      if (m) rows.set(m[1], m[2].trim().split(/\s+/).map(Number));
    }
    return rows;
  };

  it.each(["gp-main", "gp-by", "gp-sigma", "gp-2d-aniso"])("%s: the sections from 'Gaussian Process Terms:' on equal brms's print byte for byte", async (fixture) => {
    // print.txt: print(fit) of brms's mock fit (logprob.R); its numbers are read back as the summaries
    const expected = readFileSync(`${ROOT}${fixture}/print.txt`, "utf8");
    const build = await brmsFixtures(ROOT).build(fixture);
    const rows = rowsOf(expected);
    const label = (v: string) => (/^(sdgp|lscale)_/.test(v) ? `${v.replace(/_/, "(")})` : v.startsWith("b_") ? v.slice(2) : v);
    const summaries = new Map(
      build.outputNames.flatMap(({ brms }) => {
        const cells = rows.get(label(brms));
        if (!cells || cells.length !== 7) return [];
        const [estimate, estError, lower, upper, rhat, essBulk, essTail] = cells;
        return [[brms, { estimate, estError, lower, upper, rhat, essBulk, essTail }] as const];
      }),
    );
    const ours = build.printFit(summaries, { chains: 2, iter: 200, warmup: 100, thin: 1 });
    const from = (text: string) => text.slice(text.indexOf("Gaussian Process Terms: "));
    expect(from(expected).length).toBeGreaterThan(200);
    expect(from(ours)).toBe(from(expected));
  });
});
