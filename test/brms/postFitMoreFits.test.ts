/**
 * loo(), pp_check() and conditional_effects() of real brms 2.18 fits of multivariate models
 * (gaussian and student with residual correlations, also with weights(), se() and a sigma formula; poisson +
 * bernoulli; subset() responses with resp =; thres(gr = ), group-level cs() and a multinomial
 * response beside a gaussian one),
 * non-linear models (gaussian decay, an nlf() sigma, poisson with two covariates; mo() in an nlpar, nl in a
 * multivariate, a cumulative and a categorical model) and ordinal
 * models with cs(), (cs(1) | g) and thres(gr = ), fed brms's own draws. Each folder of
 * test/fixtures/brms-postfit/more-fits holds the fit's draws, log_lik(fit) of its first 8 rows,
 * print(loo(fit)), per response the mean of posterior_epred and the mean and variance of
 * posterior_predict per observation, and conditional_effects(fit) per effect, recorded by
 * `R_MAKEVARS_USER=$PWD/../../../../.Makevars-fit nice -n 5 Rscript fits.R` there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { expectEffectRowsLikeBrms, type EffectRow } from "./conditionalEffectsRows";
import { buildFromScriptFile, readBrmsScript, type BrmsBuild } from "../../src/brms/index";
import type { VariableSummary } from "../../src/brms/printFit";
import { summarizeVariable } from "../../src/runtime/diagnostics/convergence";
import { kernelDensity } from "../../src/brms/postFit/kernelDensity";
import { ModelLogLik, ObservationModel, selectedResponses } from "../../src/brms/postFit/observationModel";
import { residualNamesOf, runPostFit, type FitDraws } from "../../src/brms/postFit/runPostFit";
import type { PooledDraws } from "../../src/brms/postFit/summaries";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { brmsDrawsCsv, postFitOnDraws, recordedLooOutput } from "./helpers";

const root = join(__dirname, "../fixtures/brms-postfit/more-fits");
const recorded = readdirSync(root).filter((name) => existsSync(join(root, name, "loo.txt")));

function pooled(draws: FitDraws): PooledDraws {
  return { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
}

async function load(name: string): Promise<{ build: BrmsBuild; draws: FitDraws }> {
  const folder = join(root, name);
  return { build: await buildFromScriptFile(join(folder, "model.R")), draws: brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")) };
}

/** The build with only the script's calls of one function. */
function onlyCalls(build: BrmsBuild, fn: string): BrmsBuild {
  const script = build.model.script;
  return { ...build, model: { ...build.model, script: { ...script, postFit: script.postFit.filter((c) => c.fn === fn) } } };
}

const csvRows = (file: string) => parse(readFileSync(file, "utf8"), { columns: true, trim: true }) as Record<string, string>[];

describe("loo, pp_check and conditional_effects of multivariate, non-linear and cs()/thres(gr) fits equal brms 2.18's on brms's draws (more-fits/fits.R)", () => {
  it("has the recorded fits", () => {
    expect(recorded).toEqual(expect.arrayContaining(["mv-rescor", "mv-mixed", "mv-subset", "nl-decay", "nl-nlf-sigma", "nl-poisson-xz", "sratio-cs", "cratio-cs-group", "cumulative-thres-gr"]));
    // student rescor, rescor with weights() and se(); thres(gr = ), group-level cs() and a multinomial response among others
    // issue 14: non-linear formulas in multivariate, ordinal and categorical models, mo() in an nlpar
    expect(recorded).toEqual(expect.arrayContaining(["nl-mo", "nl-multivariate", "nl-cumulative", "nl-categorical", "mo-categorical"]));
    expect(recorded).toEqual(expect.arrayContaining(["mv-student-rescor", "mv-rescor-weights-se", "mv-student-rescor-weights-se", "mv-rescor-sigma", "mv-thres-gr", "mv-cs-group", "mv-multinomial"]));
  });

  it.each(recorded)("%s: log_lik(fit) of the first 8 rows, every draw, to 1e-8 (multivariate: summed, or the joint normal with rescor)", async (name) => {
    const { build, draws } = await load(name);
    // the responses loo() reads: resp = when the script gives it (subset() models)
    const resp = build.model.script.postFit.find((c) => c.fn === "loo")?.resp;
    const logLik = new ModelLogLik(build.model, pooled(draws), selectedResponses(build.model, resp).responses);
    const expected = (parse(readFileSync(join(root, name, "log_lik.csv"), "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 8; i++) {
      const ll = logLik.logLik(i);
      expect(ll.length).toBe(expected.length);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
  });

  it.each(recorded)("%s: print(loo(fit)) byte for byte, and brms's warning when some k > 0.7", async (name) => {
    const { build, draws } = await load(name);
    const { text } = postFitOnDraws(onlyCalls(build, "loo"), draws, 1);
    expect(text).toBe(recordedLooOutput(join(root, name, "loo.txt")));
  });

  // loo(fit, resp = r) of a model with residual correlations: brms's log_lik of that response alone
  // (student: its own nu_<resp>, which brms fixes at 1), recorded as log_lik_<r>.csv and loo_<r>.txt
  const respLoos = recorded.flatMap((name) =>
    readdirSync(join(root, name))
      .filter((f) => /^loo_.+\.txt$/.test(f))
      .map((f) => [name, f.slice(4, -4)] as const),
  );

  it("has loo(fit, resp = ) of the student and weights()/se() rescor fits", () => {
    expect(respLoos).toEqual(expect.arrayContaining([["mv-student-rescor", "yr"], ["mv-student-rescor", "yr2"], ["mv-rescor-weights-se", "yr"], ["mv-rescor-weights-se", "yr2"]]));
  });

  it.each(respLoos)("%s: log_lik(fit, resp = \"%s\") to 1e-8 and print(loo(fit, resp = )) byte for byte", async (name, resp) => {
    const { build, draws } = await load(name);
    const logLik = new ModelLogLik(build.model, pooled(draws), selectedResponses(build.model, resp).responses);
    const expected = (parse(readFileSync(join(root, name, `log_lik_${resp}.csv`), "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 8; i++) {
      const ll = logLik.logLik(i);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
    const loo = build.model.script.postFit.find((c) => c.fn === "loo")!;
    const withResp = { ...build, model: { ...build.model, script: { ...build.model.script, postFit: [{ ...loo, resp }] } } };
    const { text } = postFitOnDraws(withResp, draws, 1);
    // fits.R records these without loo()'s warnings; brms's high-k warning (checked on loo.txt above) is left out here
    expect(text.replace(/Warning message:\nFound \d+ observations? with a pareto_k > 0\.7[^\n]*\n$/, "")).toBe(readFileSync(join(root, name, `loo_${resp}.txt`), "utf8"));
  });

  it.each(recorded)("%s: posterior_epred per observation to 1e-8, and posterior_predict's mean and variance within 5 standard errors of brms's", async (name) => {
    const { build, draws } = await load(name);
    const fit = pooled(draws);
    const expected = csvRows(join(root, name, "epred.csv"));
    const rng = new Xoshiro128(11);
    for (const r of build.model.responses) {
      // a matrix response (multinomial, dirichlet): brms has no posterior_predict summary per observation to record
      if (r.responseColumns) continue;
      const observations = new ObservationModel(build.model, fit, r);
      const rows = expected.filter((e) => e.resp === (build.model.multivariate ? r.resp : r.variable));
      expect(rows).toHaveLength(observations.n);
      const all = Array.from({ length: observations.draws }, (_, s) => s);
      const replications = observations.predict(all, rng);
      const S = replications.length;
      rows.forEach((row, i) => {
        // a categorical response's expected value is a probability per category (fits.R sums k·p_k, which stan2ts does
        // not compute): its replications' moments are compared below, its log_lik above
        if (!r.family.spec.categories) {
          const epred = observations.epred(i);
          const meanEpred = epred.reduce((a, v) => a + v, 0) / epred.length;
          expect(Math.abs(meanEpred - Number(row.epred)), `${r.resp} ${i + 1}`).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(Number(row.epred))));
        }
        const values = replications.map((draw) => draw[i]);
        const mean = values.reduce((a, v) => a + v, 0) / S;
        const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (S - 1);
        if (row.predict_q50 !== undefined) {
          // Heavy tails (a student response's own nu_<resp> is fixed at 1 with rescor, and brms draws one
          // response's replications from it): no mean or variance to compare, so brms's quartiles are
          // placed in our replications' distribution instead. Two independent estimates of a p-quantile
          // from S draws each: our empirical CDF at brms's is p within 5 · sqrt(2 p (1 − p) / S).
          for (const [column, p] of [["predict_q25", 0.25], ["predict_q50", 0.5], ["predict_q75", 0.75]] as const) {
            const below = values.filter((v) => v < Number(row[column])).length / S;
            expect(Math.abs(below - p), `${r.resp} ${i + 1} ${column}`).toBeLessThanOrEqual(5 * Math.sqrt((2 * p * (1 - p)) / S));
          }
          return;
        }
        const brmsVariance = Number(row.predict_var);
        // two independent estimates of the same mean (and variance) from S replications each
        expect(Math.abs(mean - Number(row.predict_mean)), `${r.resp} ${i + 1} mean`).toBeLessThanOrEqual(5 * Math.sqrt((2 * brmsVariance) / S) + 1e-12);
        // A sample variance's own variance is (m4 − σ⁴ (S − 3)/(S − 1)) / S: 2σ⁴/(S − 1) for normal draws, far larger
        // for a rare category of an ordinal response (nl-cumulative's row 21: P ≈ 0.005, 4 of brms's 400 replications
        // and none of ours), where m4 ≈ σ² (deviations of about ±1). So the bound takes our replications' m4 and, for an
        // integer response, no less than the larger variance.
        const integerResponse = r.family.spec.response === "int";
        const m4 = Math.max(values.reduce((a, v) => a + (v - mean) ** 4, 0) / S, integerResponse ? Math.max(variance, brmsVariance) : 0);
        const varianceSe = Math.sqrt(Math.max(0, m4 - (variance ** 2 * (S - 3)) / (S - 1)) / S);
        const bound = Math.max(5 * brmsVariance * Math.sqrt(4 / (S - 1)), 5 * Math.SQRT2 * varianceSe);
        expect(Math.abs(variance - brmsVariance), `${r.resp} ${i + 1} variance`).toBeLessThanOrEqual(bound + 1e-12);
      });
    }
  });

  const effects = recorded.flatMap((name) =>
    readdirSync(join(root, name))
      .filter((f) => f.startsWith("ce_"))
      .map((f) => [name, f.slice(3, -4)] as const),
  );

  it.each(effects)("%s, effect %s: conditional_effects' grid, groups, median and 2.5%–97.5% quantiles to 1e-9", async (name, effect) => {
    const { build, draws } = await load(name);
    const { plots } = postFitOnDraws(onlyCalls(build, "conditional_effects"), draws, 1);
    // brms's effect name with ":" and "." as "_" (the fixture's file name); stan2ts's file names keep the dot
    const plotNames = [...plots.keys()].filter((k) => k.replace(/^fit_conditional_effects_/, "").replace(/\.svg$/, "").replace(/[.:]/g, "_") === effect);
    expect(plotNames, [...plots.keys()].join(", ")).toHaveLength(1);
    const rows = (plots.get(plotNames[0]) as { data: { values: EffectRow[] } }).data.values;
    const expected = csvRows(join(root, name, `ce_${effect}.csv`));
    expectEffectRowsLikeBrms(rows, expected);
  });

  it.each(recorded)("%s: pp_check draws the response's replications (a multivariate model's resp =) with brms's message", async (name) => {
    const { build, draws } = await load(name);
    const call = build.model.script.postFit.find((c) => c.fn === "pp_check")!;
    const { text, plots } = postFitOnDraws(onlyCalls(build, "pp_check"), draws, 3);
    expect(text).toBe("Using 10 posterior draws for ppc type 'dens_overlay' by default.\n");
    const file = `fit_pp_check${call.resp ? `_${call.resp}` : ""}.svg`;
    expect([...plots.keys()]).toEqual([file]);
    // the named response's observed density (its own rows) and ten replications'
    const response = build.model.responses.find((r) => r.resp === (call.resp ?? ""))!;
    const values = (plots.get(file) as { data: { values: { series: string; value: number; density: number }[] } }).data.values;
    expect(new Set(values.map((v) => v.series)).size).toBe(11);
    const observed = kernelDensity(new ObservationModel(build.model, pooled(draws), response).y);
    expect(values.filter((v) => v.series === "y").map((v) => [v.value, v.density])).toEqual(observed.map((p) => [p.value, p.density]));
  });
});

/**
 * print(fit) and VarCorr(fit) of the same fits (fits.R writes print.txt, with the warnings print()
 * gave after "# warnings:", and VarCorr.txt, or brms's error after "# error:"): the summaries are
 * computed from brms's draws as brms computes them (posterior's rhat, ess_bulk, ess_tail; type-7
 * quantiles), so the printed text must equal brms's byte for byte.
 */
describe("print(fit) and VarCorr(fit) of fits with se(), weights() and sigma formulas equal brms 2.18's on brms's draws", () => {
  const printed = recorded.filter((name) => existsSync(join(root, name, "print.txt")));

  it("has the recorded fits", () => {
    expect(printed).toEqual(expect.arrayContaining(["se-sigma-formula", "mv-rescor-se-sigma-formula", "mv-rescor-weights-se", "mv-student-rescor-weights-se", "mv-student-rescor-se-sigma-formula"]));
  });

  it.each(printed)("%s: print(fit) byte for byte", async (name) => {
    const { build, draws } = await load(name);
    const summaries = new Map<string, VariableSummary>();
    for (const v of draws.variables) {
      if (/^(r_|lprior$|lp__$)/.test(v)) continue;
      const s = summarizeVariable(v, draws.drawsByChain(v), [0.025, 0.975]);
      summaries.set(v, { estimate: s.mean, estError: s.sd, lower: s.quantiles[0], upper: s.quantiles[1], rhat: s.rhat, essBulk: s.essBulk, essTail: s.essTail });
    }
    const [text, warnings] = readFileSync(join(root, name, "print.txt"), "utf8").split("# warnings:\n");
    const recordedWarnings = warnings === undefined ? [] : warnings.trim().split("\n");
    // the divergences are the sampler's, which as_draws_df leaves out: read from brms's own warning
    const divergences = Number(recordedWarnings.map((w) => /^There were (\d+) divergent/.exec(w)?.[1]).find((n) => n !== undefined) ?? 0);
    const sampling = build.model.script.sampling;
    const run = { chains: sampling.chains ?? 4, iter: sampling.iter ?? 2000, warmup: sampling.warmup ?? (sampling.iter ?? 2000) / 2, thin: sampling.thin ?? 1, divergences };
    expect(build.printFit(summaries, run)).toBe(text + recordedWarnings.map((w) => `Warning message:\n${w}\n`).join(""));
  });

  it.each(printed)("%s: VarCorr(fit) byte for byte, or brms's error", async (name) => {
    const { build, draws } = await load(name);
    const parsed = readBrmsScript(`${readFileSync(join(root, name, "model.R"), "utf8")}VarCorr(fit)\n`, "model.R");
    const varCorr = parsed.postFit.filter((c) => c.fn === "VarCorr");
    const expected = readFileSync(join(root, name, "VarCorr.txt"), "utf8");
    const run = () =>
      runPostFit(varCorr, {
        draws,
        printFit: () => "",
        priorSummary: () => "",
        residualNames: residualNamesOf(build.model),
        writeFile: () => undefined,
        model: build.model,
        seed: 1,
        writePlot: () => undefined,
      });
    if (expected.startsWith("# error:\n")) expect(run).toThrow(expected.slice("# error:\n".length).trim());
    else expect(run()).toBe(expected);
  });
});
