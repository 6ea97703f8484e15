/**
 * plot(), pp_check(), conditional_effects() and loo() after brm(). The oracle fit is the brms 2.18
 * fit of test/fixtures/brms-postfit (gen.R: N_A.std ~ 1 + day01 + (1 + day01 | record_id) on the
 * first 20 persons of williams-seed.csv); loo's numbers were recorded from its draws by
 * `cd test/fixtures/brms-postfit && Rscript loo.R` (loo 2.5.1: log_lik by dnorm as brms computes it,
 * r_eff = relative_eff(exp(ll), chain_id), loo()), giving loo.txt and loo_pointwise.csv.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { applyMutations, parseCsv } from "../../src/brms/dataFrame";
import { buildBrmsModel, buildFromScriptFile, readBrmsScript, type BrmsBuild } from "../../src/brms/index";
import { bandwidthNrd0, kernelDensity } from "../../src/brms/postFit/kernelDensity";
import { gpdFit, looPointwise, printLoo } from "../../src/brms/postFit/loo";
import { ObservationModel } from "../../src/brms/postFit/observationModel";
import { erfc } from "../../src/runtime/math/special";
import type { FitDraws } from "../../src/brms/postFit/runPostFit";
import { renderVegaLiteSvg } from "../../src/views/renderVegaLite";
import { buildFrom, errorOf, brmsDrawsCsv, postFitOnDraws } from "./helpers";
import type { VariableSummary } from "../../src/brms/printFit";
import { brmsIntervalProbs, brmsSummaryRow } from "../../src/runtime/api";
import { summarizeVariable } from "../../src/runtime/diagnostics/convergence";

const dir = join(__dirname, "../fixtures/brms-postfit");
const fixture = (name: string) => readFileSync(join(dir, name), "utf8");
/** The steering repo's shared/ folder (beside the repository), or STAN2TS_SHARED_DIR from a worktree. */
const SHARED = process.env.STAN2TS_SHARED_DIR ?? fileURLToPath(new URL("../../../shared", import.meta.url));
const DATA = join(SHARED, "data/williams-seed.csv");

const ORACLE_SCRIPT = (calls: string) => `
d <- read_csv("williams-seed.csv")
m <- brm(N_A.std ~ 1 + day01 + (1 + day01 | record_id), data = d, seed = 14)
${calls}
`;

/** The oracle's model: gen.R's first 20 persons of williams-seed.csv. */
function oracleBuild(calls: string): BrmsBuild {
  const lines = readFileSync(DATA, "utf8").trimEnd().split("\n");
  const ids = [...new Set(lines.slice(1).map((l) => Number(l.split(",")[0])))].sort((a, b) => a - b).slice(0, 20);
  const kept = [lines[0], ...lines.slice(1).filter((l) => ids.includes(Number(l.split(",")[0])))];
  const parsed = readBrmsScript(ORACLE_SCRIPT(calls), "model.R");
  return buildBrmsModel(parsed, applyMutations(parseCsv(kept.join("\n") + "\n", "williams-seed.csv"), parsed.data.mutations));
}

const run = postFitOnDraws;

/** Occurrences of `pattern` in the SVG text. */
const count = (svg: string, pattern: RegExp) => (svg.match(new RegExp(pattern.source, "g")) ?? []).length;
/** Text of every axis title, in document order. */
const axisTitles = (svg: string) => [...svg.matchAll(/<g class="mark-text role-axis-title"[^>]*>(.*?)<\/g>/g)].map((m) => [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]).join(""));
/** The number of paths inside line marks (one per drawn line). */
const linePaths = (svg: string) => [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].reduce((n, m) => n + count(m[1], /<path/), 0);

const haveOracleData = existsSync(DATA);

describe.runIf(haveOracleData)("loo(m) equals loo 2.5.1 on brms's draws", () => {
  const build = oracleBuild("loo(m)");
  const draws = brmsDrawsCsv(fixture("as_draws_df.csv"));

  it("prints what print(loo(m)) prints", () => {
    expect(run(build, draws).text).toBe(fixture("loo.txt"));
  });

  it("pointwise elpd_loo, p_loo, Pareto k and n_eff agree with loo's to 1e-8", () => {
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) });
    const recorded = parse(fixture("loo_pointwise.csv"), { columns: true, cast: true }) as Record<string, number>[];
    expect(observations.n).toBe(recorded.length);
    for (const i of [0, 1, 17, 500, 1000, recorded.length - 1]) {
      const ll = observations.logLik(i);
      const p = looPointwise([ll.subarray(0, 500), ll.subarray(500)]);
      const r = recorded[i];
      expect(p.elpdLoo).toBeCloseTo(r.elpd_loo, 8);
      expect(p.pLoo).toBeCloseTo(r.p_loo, 8);
      expect(p.mcseElpdLoo).toBeCloseTo(r.mcse_elpd_loo, 8);
      expect(p.paretoK).toBeCloseTo(r.influence_pareto_k, 7);
      expect(p.nEff / r.n_eff).toBeCloseTo(1, 8);
    }
  });
});

describe("loo(fit) of a negbinomial model with a predicted shape and a group-level intercept", () => {
  it("equals loo 2.5.1 on the same draws, k table and brms's warning included (negbinomial-loo/loo.R)", async () => {
    const folder = join(dir, "negbinomial-loo");
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { text } = run(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")));
    const warning = "Warning message:\nFound 2 observations with a pareto_k > 0.7 in model 'fit'. It is recommended to set 'moment_match = TRUE' in order to perform moment matching for problematic observations. \n";
    expect(text).toBe(readFileSync(join(folder, "loo.txt"), "utf8") + warning);
  });
});

describe("PSIS-LOO building blocks against loo 2.5.1", () => {
  it("the generalised Pareto fit equals loo::gpdfit", () => {
    // R: x <- ((1 - ppoints(100))^-0.5 - 1) / 0.5; loo::gpdfit(x)  →  k 0.50449278450217894, sigma 0.98996363794330222
    const x = Float64Array.from({ length: 100 }, (_, i) => ((1 - (i + 1 - 0.5) / 100) ** -0.5 - 1) / 0.5);
    const fit = gpdFit(x);
    expect(fit.k).toBeCloseTo(0.50449278450217894, 12);
    expect(fit.sigma).toBeCloseTo(0.98996363794330222, 12);
  });

  it("the Pareto k table, its percentages and min n_eff, and the NA Monte Carlo SE print as loo's (Rscript loo-k.R)", () => {
    const rows = (parse(fixture("loo-k-ll.csv"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    const pointwise = rows[0].map((_, i) => {
      const ll = Float64Array.from(rows, (r) => r[i]);
      return looPointwise([ll.subarray(0, 500), ll.subarray(500)]);
    });
    expect(printLoo({ draws: rows.length, pointwise })).toBe(fixture("loo-k.txt"));
  });
});

describe.runIf(haveOracleData)("plot(m), pp_check(m) and conditional_effects(m) draw brms's plots", () => {
  const draws = brmsDrawsCsv(fixture("as_draws_df.csv"));

  it("plot(m): mcmc_combo of brms's default variables, five a page, density and trace per parameter", async () => {
    const { plots, text } = run(oracleBuild("plot(m)"), draws);
    expect(text).toBe("");
    expect([...plots.keys()]).toEqual(["m_plot_1.svg", "m_plot_2.svg"]);
    const first = await renderVegaLiteSvg(plots.get("m_plot_1.svg")!);
    // b_Intercept, b_day01, sd_…Intercept, sd_…day01, cor_…: each names its density's x axis and its trace's y axis
    const names = ["b_Intercept", "b_day01", "sd_record_id__Intercept", "sd_record_id__day01", "cor_record_id__Intercept__day01"];
    expect(axisTitles(first)).toEqual(names.flatMap((n) => [n, n]));
    expect(linePaths(first)).toBe(5 * 2); // one trace per chain and parameter
    expect(count(first, /class="mark-area role-mark/)).toBe(5);
    const second = await renderVegaLiteSvg(plots.get("m_plot_2.svg")!);
    expect(axisTitles(second)).toEqual(["sigma", "sigma"]);
  });

  it("plot(m, N = 3) puts three parameters on a page", () => {
    expect([...run(oracleBuild("plot(m, N = 3)"), draws).plots.keys()]).toEqual(["m_plot_1.svg", "m_plot_2.svg"]);
  });

  it("pp_check(m): y and 10 replications as density lines, the draws picked from the run's seed", async () => {
    const build = oracleBuild("pp_check(m)");
    const { plots, text } = run(build, draws);
    expect(text).toBe("Using 10 posterior draws for ppc type 'dens_overlay' by default.\n");
    const svg = await renderVegaLiteSvg(plots.get("m_pp_check.svg")!);
    expect(linePaths(svg)).toBe(11);
    expect(svg).toContain(">y_rep</text>");
    expect(await renderVegaLiteSvg(run(build, draws).plots.get("m_pp_check.svg")!)).toBe(svg); // same seed, same plot
    expect(await renderVegaLiteSvg(run(build, draws, 15).plots.get("m_pp_check.svg")!)).not.toBe(svg);
  });

  it("pp_check types hist and stat, and ndraws", async () => {
    const { plots, text } = run(oracleBuild('pp_check(m, type = "hist", ndraws = 5)\npp_check(m, type = "stat")'), draws);
    expect(text).toBe("Using all posterior draws for ppc type 'stat' by default.\n");
    const hist = await renderVegaLiteSvg(plots.get("m_pp_check_hist.svg")!);
    for (const panel of ["y", "yrep 1", "yrep 5"]) expect(hist).toContain(`>${panel}</text>`);
    expect(hist).not.toContain(">yrep 6</text>");
    const stat = await renderVegaLiteSvg(plots.get("m_pp_check_stat.svg")!);
    expect(stat).toContain(">T = mean</text>");
    expect(count(stat, /class="mark-rule role-mark/)).toBeGreaterThanOrEqual(1);
  });

  it("posterior predictions are drawn around mu = population + group-level terms of each row", () => {
    const build = oracleBuild("");
    const pooled = { variables: draws.variables, draws: (n: string) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
    const observations = new ObservationModel(build.model, pooled);
    // predict() reads each row's draws once; a zero standard normal makes every gaussian replication exactly mu
    const all = Array.from({ length: 20 }, (_, s) => s);
    const yrep = observations.predict(all, { uniform: Math.random, normal: () => 0, nextU32: () => 0 } as never);
    const mu = observations.observation(3).params.get("mu")!;
    yrep.forEach((draw, s) => expect(draw[3]).toBeCloseTo(mu[s], 12));
    const levelOf3 = build.model.ids[0].levels[build.model.ids[0].levelIndex[3] - 1];
    const day01 = build.model.predictors[0].columns[0].values[3];
    const pick = (n: string) => pooled.draws(n)[7];
    expect(mu[7]).toBeCloseTo(pick("b_Intercept") + pick("b_day01") * day01 + pick(`r_record_id[${levelOf3},Intercept]`) + pick(`r_record_id[${levelOf3},day01]`) * day01, 12);
  });

  it("conditional_effects(m): day01's effect line with its 95% band over 100 points", async () => {
    const { plots } = run(oracleBuild("plot(conditional_effects(m))"), draws);
    const spec = plots.get("m_conditional_effects_day01.svg")! as { data: { values: { x: number; estimate: number; lower: number; upper: number }[] } };
    const rows = spec.data.values;
    expect(rows).toHaveLength(100);
    expect(rows[0].x).toBe(0);
    expect(rows[99].x).toBeCloseTo(1, 12);
    // group effects left out: the median of b_Intercept + b_day01 * x
    const b0 = Float64Array.from(draws.drawsByChain("b_Intercept").flatMap((c) => [...c]));
    const b1 = Float64Array.from(draws.drawsByChain("b_day01").flatMap((c) => [...c]));
    const at = rows[40].x;
    const sorted = Float64Array.from(b0, (v, s) => v + b1[s] * at).sort();
    expect(rows[40].estimate).toBeCloseTo((sorted[499] + sorted[500]) / 2, 12);
    expect(rows[40].lower).toBeLessThan(rows[40].estimate);
    const svg = await renderVegaLiteSvg(plots.get("m_conditional_effects_day01.svg")!);
    expect(axisTitles(svg)).toEqual(["day01", "N_A.std"]);
    expect(linePaths(svg)).toBe(1);
    expect(count(svg, /class="mark-area role-mark/)).toBe(1);
  });
});

describe("conditional_effects(fit) equals brms 2.18's on brms's draws (conditional-effects/ce.R)", () => {
  it.each(["x", "z", "h"])("%s: grid, median and 2.5%–97.5% quantiles", async (effect) => {
    const folder = join(dir, "conditional-effects");
    const build = await buildFromScriptFile(join(folder, "model.R"));
    const { plots } = run(build, brmsDrawsCsv(readFileSync(join(folder, "draws.csv"), "utf8")));
    const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: { x: number | string; estimate: number; lower: number; upper: number }[] } }).data.values;
    const expected = parse(readFileSync(join(folder, `ce_${effect}.csv`), "utf8"), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, k) => {
      const r = expected[k];
      if (typeof row.x === "string") expect(row.x).toBe(r.value);
      else expect(row.x).toBeCloseTo(Number(r.value), 12);
      for (const [got, want] of [[row.estimate, r.estimate], [row.lower, r.lower], [row.upper, r.upper]] as const) expect(got).toBeCloseTo(Number(want), 10);
    });
  });
});

describe("conditional_effects(m) of a factor, and refusals", () => {
  const script = (calls: string, family = "gaussian") => `d <- read_csv("data.csv")\nm <- brm(y ~ x + name, data = d, family = ${family})\n${calls}\n`;

  it("a factor's levels as points with intervals, other variables at their mean / reference level", async () => {
    const build = buildFrom(script("conditional_effects(m)"));
    const S = 40;
    const value = (name: string, s: number) => ({ b_Intercept: 0.5, b_x: 2, "b_namep1": 1, "b_namep2": -1, sigma: 1 })[name as "sigma"]! + 0.01 * Math.sin(s);
    const variables = ["b_Intercept", "b_x", "b_namep1", "b_namep2", "sigma"];
    const draws: FitDraws = { variables, drawsByChain: (name) => [Float64Array.from({ length: S }, (_, s) => value(name, s))] };
    const { plots } = run(build, draws);
    expect([...plots.keys()]).toEqual(["m_conditional_effects_x.svg", "m_conditional_effects_name.svg"]);
    const factor = plots.get("m_conditional_effects_name.svg")! as { data: { values: { x: string; estimate: number }[] } };
    const meanX = build.model.predictors[0].columns[0].values.reduce((a, v) => a + v, 0) / build.model.rows.length;
    expect(factor.data.values.map((r) => r.x)).toEqual(["p 0", "p 1", "p 2"]);
    factor.data.values.forEach((r, k) => expect(r.estimate).toBeCloseTo(0.5 + 2 * meanX + [0, 1, -1][k], 1));
    const svg = await renderVegaLiteSvg(plots.get("m_conditional_effects_name.svg")!);
    expect(count(svg, /<path[^>]*class="[^"]*"/) + count(svg, /role-mark/)).toBeGreaterThan(0);
    expect(count(svg.match(/<g class="mark-symbol role-mark[^>]*>(.*?)<\/g>/)?.[1] ?? "", /<path/)).toBe(3);
  });

  /** Draws that are the same constant in every draw, per variable. */
  const constantDraws = (values: Record<string, number>): FitDraws => ({ variables: Object.keys(values), drawsByChain: (name) => [new Float64Array(10).fill(values[name])] });

  it("an interaction x * w: x's effect at w's mean, and x:w's lines at w's mean ± sd; a group-level slope is no effect of its own", async () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y ~ x * w + (1 + z | record_id), data = d)\nconditional_effects(m)\n`);
    const { plots } = run(build, constantDraws({ b_Intercept: 0.5, b_x: 2, b_w: -1, "b_x:w": 0.25, sigma: 1 }));
    expect([...plots.keys()]).toEqual(["m_conditional_effects_x.svg", "m_conditional_effects_w.svg", "m_conditional_effects_x_w.svg"]);
    const column = (name: string) => build.model.predictors[0].columns.find((c) => c.name === name)!.values;
    const w = [...column("w")];
    const meanW = w.reduce((a, v) => a + v, 0) / w.length;
    const sdW = Math.sqrt(w.reduce((a, v) => a + (v - meanW) ** 2, 0) / (w.length - 1));
    const rows = (plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number; lower: number; upper: number }[] } }).data.values;
    expect(rows[0].x).toBe(Math.min(...column("x")));
    for (const r of [rows[0], rows[63], rows[99]]) {
      expect(r.estimate).toBeCloseTo(0.5 + 2 * r.x - meanW + 0.25 * r.x * meanW, 12);
      expect(r.lower).toBeCloseTo(r.estimate, 12); // constant draws: no spread
    }
    // brms's interaction plot: x on the axis, one line per w in mean + sd, mean, mean − sd (labels round(w, 2))
    const interaction = (plots.get("m_conditional_effects_x_w.svg") as { data: { values: { x: number; estimate: number; group: string }[] } }).data.values;
    expect(interaction).toHaveLength(300);
    const atW = [meanW + sdW, meanW, meanW - sdW];
    expect([...new Set(interaction.map((r) => r.group))]).toEqual(atW.map((v) => String(Math.round(v * 100) / 100)));
    interaction.forEach((r, k) => {
      const wk = atW[Math.floor(k / 100)];
      expect(r.estimate).toBeCloseTo(0.5 + 2 * r.x - wk + 0.25 * r.x * wk, 12);
    });
    // brms's plot: the first variable on the x axis, the second as the colour legend
    const svg = await renderVegaLiteSvg(plots.get("m_conditional_effects_x_w.svg")!);
    expect(axisTitles(svg)).toEqual(["x", "y"]);
    expect(svg).toContain(">w</text>");
    expect(linePaths(svg)).toBe(3);
  });

  it("conditional_effects of scale() and poly() terms use the data's centring on the grid (as brms's standata(fit, newdata))", () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y ~ scale(x) + poly(w, 2), data = d)\nconditional_effects(m)\n`);
    const { plots } = run(build, constantDraws({ b_Intercept: 0.5, b_scalex: 2, b_polyw21: 3, b_polyw22: -1, sigma: 1 }));
    const [scaled, p1, p2] = build.model.predictors[0].columns.map((c) => c.values);
    const values = (name: string) => Array.from(build.model.rows, (r) => (build.model.frame.columns.get(name)!.values as Float64Array)[r]);
    const effect = (name: string) => (plots.get(`m_conditional_effects_${name}.svg`) as { data: { values: { x: number; estimate: number }[] } }).data.values;
    // x's line: slope 2 / sd(x) of the data, and at the data's smallest x the data's own scale(x)
    const x = values("x");
    const xs = effect("x");
    const lowest = x.indexOf(Math.min(...x));
    expect(xs[0].x).toBe(x[lowest]);
    expect(xs[99].estimate - xs[0].estimate).toBeCloseTo(2 * (scaled[x.indexOf(Math.max(...x))] - scaled[lowest]), 12);
    // w's line at the data's smallest w: the data's own orthogonal polynomials there (x at its mean: scale(x) = 0)
    const w = values("w");
    const ws = effect("w");
    const low = w.indexOf(Math.min(...w));
    expect(ws[0].estimate).toBeCloseTo(0.5 + 3 * p1[low] - p2[low], 12);
    const high = w.indexOf(Math.max(...w));
    expect(ws[99].estimate).toBeCloseTo(0.5 + 3 * p1[high] - p2[high], 12);
  });

  it("offset(): the offset's variable is held at its mean on the grid", () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y ~ x + offset(z), data = d)\nconditional_effects(m)\n`);
    const { plots } = run(build, constantDraws({ b_Intercept: 0.5, b_x: 2, sigma: 1 }));
    const z = Array.from(build.model.rows, (r) => (build.model.frame.columns.get("z")!.values as Float64Array)[r]);
    const meanZ = z.reduce((a, v) => a + v, 0) / z.length;
    const rows = (plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number }[] } }).data.values;
    for (const r of [rows[0], rows[50]]) expect(r.estimate).toBeCloseTo(0.5 + 2 * r.x + meanZ, 12);
    expect([...plots.keys()]).toEqual(["m_conditional_effects_x.svg"]);
  });

  it("binomial: the expected count with trials() at 1, and brms's message saying so", () => {
    const csv = "x,k,n\n0.1,1,5\n0.4,2,5\n-0.3,0,4\n0.9,3,6\n";
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(k | trials(n) ~ x, data = d, family = binomial())\nconditional_effects(m)\n`, csv);
    const { plots, text } = run(build, constantDraws({ b_Intercept: 0.2, b_x: 1.5 }));
    expect(text).toBe("Setting all 'trials' variables to 1 by default if not specified otherwise.\n");
    const rows = (plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number }[] } }).data.values;
    for (const r of [rows[0], rows[99]]) expect(r.estimate).toBeCloseTo(1 / (1 + Math.exp(-(0.2 + 1.5 * r.x))), 12);
  });

  it("pp_check of a censored model shows only the uncensored responses, with brms's warning; loo uses the censored log_lik", () => {
    const csv = "x,y,c\n0.1,0.5,0\n0.4,1.2,1\n-0.3,-0.2,0\n0.9,1.9,-1\n-0.5,-0.4,0\n";
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y | cens(c) ~ x, data = d)\npp_check(m, type = "stat", ndraws = 3)\n`, csv);
    const draws = constantDraws({ b_Intercept: 0.2, b_x: 1.1, sigma: 0.7 });
    const { text, plots } = run(build, draws);
    expect(text).toBe("Warning message:\nCensored responses are not shown in 'pp_check'. \n");
    // the statistic of y is the mean of the three uncensored responses
    expect(JSON.stringify(plots.get("m_pp_check_stat.svg"))).toContain(String((0.5 - 0.2 - 0.4) / 3));
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => draws.drawsByChain(n)[0] });
    // right-censored row 2: log P(Y > 1.2) under normal(0.2 + 1.1 · 0.4, 0.7)
    const z = (1.2 - (0.2 + 1.1 * 0.4)) / 0.7;
    expect(observations.logLik(1)[0]).toBeCloseTo(Math.log(0.5 * erfc(z / Math.SQRT2)), 12);
  });

  it("trunc(): the mean of the truncated distribution (brms's posterior_epred_trunc) along the grid", () => {
    const csv = "x,y\n0.1,0.5\n0.4,1.2\n-0.3,0.2\n0.9,1.9\n-0.5,0.4\n";
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y | trunc(lb = 0) ~ x, data = d)\nconditional_effects(m)\n`, csv);
    const { plots } = run(build, constantDraws({ b_Intercept: 0.2, b_x: 1.1, sigma: 0.7 }));
    const rows = (plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number }[] } }).data.values;
    for (const r of [rows[0], rows[99]]) {
      const mu = 0.2 + 1.1 * r.x;
      const z = -mu / 0.7;
      const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      expect(r.estimate).toBeCloseTo(mu + (0.7 * phi) / (0.5 * erfc(z / Math.SQRT2)), 10);
    }
  });

  it("se(): log_lik with sigma = se (se alone) or sqrt(sigma² + se²) (sigma = TRUE), as brms's add_sigma_se", () => {
    const csv = "x,y,s\n0.1,0.5,0.3\n0.4,1.2,0.2\n-0.3,0.2,0.5\n";
    const normal = (y: number, mu: number, sd: number) => -0.5 * ((y - mu) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
    const pooled = (values: Record<string, number>) => ({ variables: Object.keys(values), draws: (n: string) => Float64Array.of(values[n]) });
    const alone = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y | se(s) ~ x, data = d)\nloo(m)\n`, csv);
    expect(new ObservationModel(alone.model, pooled({ b_Intercept: 0.2, b_x: 1.1 })).logLik(0)[0]).toBeCloseTo(normal(0.5, 0.2 + 1.1 * 0.1, 0.3), 12);
    const widened = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y | se(s, sigma = TRUE) ~ x, data = d)\nloo(m)\n`, csv);
    const ll = new ObservationModel(widened.model, pooled({ b_Intercept: 0.2, b_x: 1.1, sigma: 0.4 })).logLik(1)[0];
    expect(ll).toBeCloseTo(normal(1.2, 0.2 + 1.1 * 0.4, Math.sqrt(0.4 ** 2 + 0.2 ** 2)), 12);
  });

  const categoricalCsv = "x,k\n0.1,a\n0.4,b\n-0.3,c\n0.9,a\n-0.5,b\n";
  const categoricalDraws = constantDraws({ b_mub_Intercept: 0.3, b_mub_x: 1.2, b_muc_Intercept: -0.4, b_muc_x: -0.7 });
  const softmax = (eta: number[]) => eta.map((e) => Math.exp(e) / eta.reduce((a, v) => a + Math.exp(v), 0));

  it("categorical = TRUE: one probability line per category (brms's cats__), category by category over the grid", async () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(k ~ x, data = d, family = categorical())\nconditional_effects(m, categorical = TRUE)\n`, categoricalCsv);
    const { plots, text } = run(build, categoricalDraws);
    expect(text).toBe("");
    const rows = (plots.get("m_conditional_effects_x_cats__.svg") as { data: { values: { x: number; estimate: number; group: string }[] } }).data.values;
    expect(rows).toHaveLength(300);
    expect([...new Set(rows.map((r) => r.group))]).toEqual(["a", "b", "c"]);
    for (const k of [0, 57, 99]) {
      const x = rows[k].x;
      const p = softmax([0, 0.3 + 1.2 * x, -0.4 - 0.7 * x]);
      [0, 1, 2].forEach((c) => expect(rows[100 * c + k].estimate).toBeCloseTo(p[c], 12));
    }
    const svg = await renderVegaLiteSvg(plots.get("m_conditional_effects_x_cats__.svg")!);
    expect(linePaths(svg)).toBe(3);
    expect(count(svg, /class="mark-area role-mark/)).toBe(3); // a band per category
    expect(axisTitles(svg)).toEqual(["x", "Probability"]);
    expect(svg).toContain(">cats__</text>");
  });

  it("categorical families without categorical = TRUE, and categorical = TRUE elsewhere, stop with brms's messages", () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(k ~ x, data = d, family = categorical())\nconditional_effects(m)\n`, categoricalCsv);
    expect(() => run(build, categoricalDraws)).toThrow(/Please set 'categorical' to TRUE/);
    const gaussian = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y ~ x, data = d)\nconditional_effects(m, categorical = TRUE)\n`);
    expect(() => run(gaussian, constantDraws({ b_Intercept: 0, b_x: 1, sigma: 1 }))).toThrow(/Argument 'categorical' may only be used for categorical or ordinal models/);
  });

  it("ordinal: the mean category with brms's warning, or with categorical = TRUE each category's probability", () => {
    const csv = "x,yo\n0.1,1\n0.4,2\n-0.3,3\n0.9,2\n-0.5,1\n";
    const draws = constantDraws({ "b_Intercept[1]": -0.5, "b_Intercept[2]": 0.8, b_x: 1.1, disc: 1 });
    const cumulative = (x: number) => {
      const F = [-0.5, 0.8].map((t) => 1 / (1 + Math.exp(-(t - 1.1 * x))));
      return [F[0], F[1] - F[0], 1 - F[1]];
    };
    const mean = run(buildFrom(`d <- read_csv("data.csv")\nm <- brm(yo ~ x, data = d, family = cumulative())\nconditional_effects(m)\n`, csv), draws);
    expect(mean.text).toBe(
      "Warning message:\nPredictions are treated as continuous variables in 'conditional_effects' by default which is likely invalid for ordinal families. Please set 'categorical' to TRUE. \n",
    );
    const rows = (mean.plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number }[] } }).data.values;
    for (const r of [rows[0], rows[99]]) expect(r.estimate).toBeCloseTo(cumulative(r.x).reduce((a, p, k) => a + p * (k + 1), 0), 12);
    const byCategory = run(buildFrom(`d <- read_csv("data.csv")\nm <- brm(yo ~ x, data = d, family = cumulative())\nconditional_effects(m, categorical = TRUE)\n`, csv), draws);
    const cats = (byCategory.plots.get("m_conditional_effects_x_cats__.svg") as { data: { values: { x: number; estimate: number; group: string }[] } }).data.values;
    expect([...new Set(cats.map((r) => r.group))]).toEqual(["1", "2", "3"]);
    [0, 1, 2].forEach((c) => expect(cats[100 * c + 40].estimate).toBeCloseTo(cumulative(cats[40].x)[c], 12));
  });

  it.each(["pp_check(m)", "conditional_effects(m)"])("%s of a multinomial model is a located error with brms's reason", (call) => {
    const csv = "x,a,b,c,n\n0.1,1,2,2,5\n0.4,2,1,2,5\n-0.3,0,3,1,4\n0.9,3,1,2,6\n";
    const script = `d <- read_csv("data.csv")\nm <- brm(cbind(a, b, c) | trials(n) ~ x, data = d, family = multinomial())\n${call}\n`;
    const build = buildFrom(script, csv);
    const draws: FitDraws = { variables: ["b_mub_Intercept"], drawsByChain: () => [new Float64Array(4)] };
    const why = call.startsWith("pp_check") ? /'pp_check' is not implemented for this family/ : /Please set 'categorical' to TRUE/;
    expect(() => run(build, draws)).toThrow(why);
  });
});

describe("densities of plot() and pp_check() as bayesplot's stat_density draws them", () => {
  it("bandwidth nrd0, grid range (cut = 3) and heights equal R's density() (heights to its binning error)", () => {
    // R: x <- ((1:50)^1.3 %% 7) + sqrt(1:50); bw.nrd0(x); d <- density(x, bw = "nrd0", cut = 3, n = 512)
    //    range(d$x); d$y[c(100, 256, 400)]
    const x = Array.from({ length: 50 }, (_, i) => ((i + 1) ** 1.3 % 7) + Math.sqrt(i + 1));
    expect(bandwidthNrd0(x)).toBeCloseTo(1.1527636589076644, 13);
    const d = kernelDensity(x);
    expect(d).toHaveLength(512);
    expect(d[0].value).toBeCloseTo(-1.458290976722993, 12);
    expect(d[511].value).toBeCloseTo(16.910836835383236, 12);
    [[99, 0.019537853586261474], [255, 0.132941379081309402], [399, 0.05601109444131807]].forEach(([k, height]) => expect(Math.abs(d[k].density / height - 1)).toBeLessThan(2e-3));
  });
});

/**
 * summary(m, prob =, robust =) and print(m, …) on brms's draws of the oracle fit, against brms 2.18's
 * print of the same fit: `cd test/fixtures/brms-postfit/summary-args && Rscript gen-args.R`
 * (summary-prob.txt: summary(m, prob = 0.9); summary-robust.txt: summary(m, robust = TRUE)).
 */
describe("summary(m, prob = 0.9) and summary(m, robust = TRUE) print brms 2.18's fit summary", () => {
  it.each([
    ["summary(m, prob = 0.9)", "summary-prob.txt"],
    ["summary(m, robust = TRUE)", "summary-robust.txt"],
    ["summary(m)", "../summary.txt"],
  ])("%s", (call, file) => {
    const build = oracleBuild(call);
    const options = build.model.script.postFit[0].fitSummary;
    if (!options) throw new Error("summary() recorded no options");
    const draws = brmsDrawsCsv(fixture("as_draws_df.csv"));
    const summaries = new Map<string, VariableSummary>();
    for (const v of draws.variables) {
      if (/^(r_|lprior$|lp__$)/.test(v)) continue;
      summaries.set(v, brmsSummaryRow(summarizeVariable(v, draws.drawsByChain(v), brmsIntervalProbs(options.prob)), options.robust));
    }
    const printed = build.printFit(summaries, { chains: 2, iter: 1000, warmup: 500, thin: 1, divergences: 0 }, options.prob);
    expect(printed).toBe(fixture(join("summary-args", file)));
  });

  it("print(m, …) passes prob and robust on as brms's print.brmsfit does; bad values get brms's messages", () => {
    const calls = readBrmsScript(ORACLE_SCRIPT('print(m, prob = 0.9)\nprint(m, rob = "TRUE")\nsummary(m)'), "model.R").postFit;
    expect(calls.map((c) => c.fitSummary)).toEqual([{ prob: 0.9, robust: false }, { prob: 0.95, robust: true }, { prob: 0.95, robust: false }]);
    expect(errorOf(ORACLE_SCRIPT("summary(m, prob = 1.5)"))).toMatch(/line 4, column 19 to column 22:[\s\S]*\n'prob' must be a single numeric value in \[0, 1\]\./);
    expect(errorOf(ORACLE_SCRIPT('summary(m, robust = "yes")'))).toMatch(/\nCannot coerce 'robust' to a single logical value\./);
    expect(errorOf(ORACLE_SCRIPT("print(m, digits = 3)"))).toMatch(/The argument 'digits' of print\(\) is not supported by stan2ts yet/);
  });
});
