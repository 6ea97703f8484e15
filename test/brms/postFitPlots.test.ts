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
import { familyDraw, familyLogLik, OBSERVATION_FAMILIES, ObservationModel } from "../../src/brms/postFit/observationModel";
import { Xoshiro128 } from "../../src/runtime/rng/xoshiro128";
import { runPostFit, type FitDraws } from "../../src/brms/postFit/runPostFit";
import { renderVegaLiteSvg, type TopLevelSpec } from "../../src/views/renderVegaLite";
import { buildFrom, errorOf } from "./helpers";

const dir = join(__dirname, "../fixtures/brms-postfit");
const fixture = (name: string) => readFileSync(join(dir, name), "utf8");
/** The steering repo's shared/ folder (beside the repository), or STAN2TS_SHARED_DIR from a worktree. */
const SHARED = process.env.STAN2TS_SHARED_DIR ?? fileURLToPath(new URL("../../../shared", import.meta.url));
const DATA = join(SHARED, "data/williams-seed.csv");

/** brms's draws from write.csv(as_draws_df(m)). */
function csvDraws(text: string): FitDraws {
  const rows = parse(text) as string[][];
  const header = rows[0];
  const chainColumn = header.indexOf(".chain");
  const chains = Math.max(...rows.slice(1).map((r) => Number(r[chainColumn])));
  const cache = new Map<string, Float64Array[]>();
  return {
    variables: header.slice(0, chainColumn),
    drawsByChain(name) {
      const j = header.indexOf(name);
      if (!cache.has(name)) cache.set(name, Array.from({ length: chains }, (_, c) => Float64Array.from(rows.slice(1).filter((r) => Number(r[chainColumn]) === c + 1).map((r) => Number(r[j])))));
      return cache.get(name)!;
    },
  };
}

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

function run(build: BrmsBuild, draws: FitDraws, seed = 14): { text: string; plots: Map<string, TopLevelSpec> } {
  const plots = new Map<string, TopLevelSpec>();
  const text = runPostFit(build.model.script.postFit, {
    draws,
    printFit: () => "",
    priorSummary: () => "",
    residualNames: new Map(),
    writeFile: () => undefined,
    model: build.model,
    seed,
    writePlot: (name, spec) => plots.set(name, spec),
  });
  return { text, plots };
}

/** Occurrences of `pattern` in the SVG text. */
const count = (svg: string, pattern: RegExp) => (svg.match(new RegExp(pattern.source, "g")) ?? []).length;
/** Text of every axis title, in document order. */
const axisTitles = (svg: string) => [...svg.matchAll(/<g class="mark-text role-axis-title"[^>]*>(.*?)<\/g>/g)].map((m) => [...m[1].matchAll(/>([^<]*)<\/text>/g)].map((t) => t[1]).join(""));
/** The number of paths inside line marks (one per drawn line). */
const linePaths = (svg: string) => [...svg.matchAll(/<g class="mark-line role-mark[^"]*"[^>]*>(.*?)<\/g>/g)].reduce((n, m) => n + count(m[1], /<path/), 0);

const haveOracleData = existsSync(DATA);

describe.runIf(haveOracleData)("loo(m) equals loo 2.5.1 on brms's draws", () => {
  const build = oracleBuild("loo(m)");
  const draws = csvDraws(fixture("as_draws_df.csv"));

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
    const { text } = run(build, csvDraws(readFileSync(join(folder, "draws.csv"), "utf8")));
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
  const draws = csvDraws(fixture("as_draws_df.csv"));

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
    const { plots } = run(build, csvDraws(readFileSync(join(folder, "draws.csv"), "utf8")));
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

  it("an interaction x * w: x's effect at w's mean; a group-level slope is no effect of its own", () => {
    const build = buildFrom(`d <- read_csv("data.csv")\nm <- brm(y ~ x * w + (1 + z | record_id), data = d)\nconditional_effects(m)\n`);
    const { plots } = run(build, constantDraws({ b_Intercept: 0.5, b_x: 2, b_w: -1, "b_x:w": 0.25, sigma: 1 }));
    expect([...plots.keys()]).toEqual(["m_conditional_effects_x.svg", "m_conditional_effects_w.svg"]);
    const column = (name: string) => build.model.predictors[0].columns.find((c) => c.name === name)!.values;
    const meanW = column("w").reduce((a, v) => a + v, 0) / build.model.rows.length;
    const rows = (plots.get("m_conditional_effects_x.svg") as { data: { values: { x: number; estimate: number; lower: number; upper: number }[] } }).data.values;
    expect(rows[0].x).toBe(Math.min(...column("x")));
    for (const r of [rows[0], rows[63], rows[99]]) {
      expect(r.estimate).toBeCloseTo(0.5 + 2 * r.x - meanW + 0.25 * r.x * meanW, 12);
      expect(r.lower).toBeCloseTo(r.estimate, 12); // constant draws: no spread
    }
  });

  it.each(["pp_check(m)", "loo(m)"])("%s of a family without a posterior_predict here is a located error naming the family", (call) => {
    const build = buildFrom(script(call, "skew_normal"));
    const draws: FitDraws = { variables: ["b_Intercept"], drawsByChain: () => [new Float64Array(4)] };
    expect(() => run(build, draws)).toThrow(/is not supported by stan2ts for this model: the skew_normal family is not supported yet/);
    expect(errorOf(script(call, "skew_normal"))).toBe("no error"); // accepted when the script is read
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

describe("each supported family's log_lik and posterior_predict", () => {
  const cases = JSON.parse(fixture("family-loglik.json")) as { family: string; y: number; trials: number; dpars: Record<string, number[]>; log_lik: number[] }[];

  it("covers every family loo() and pp_check() accept", () => {
    expect(cases.map((c) => c.family).sort()).toEqual([...OBSERVATION_FAMILIES].sort());
  });

  it.each(cases.map((c) => [c.family, c] as const))("%s: log_lik equals brms:::log_lik_<family> (Rscript family-loglik.R)", (family, c) => {
    c.log_lik.forEach((expected, s) => {
      const params = Object.fromEntries(Object.entries(c.dpars).map(([name, values]) => [name, values[s]]));
      expect(familyLogLik(family, c.y, params, c.trials) / expected).toBeCloseTo(1, 12);
    });
  });

  it.each(cases.map((c) => [c.family, c] as const))("%s: replications have the family's mean (20000 draws, within 5 standard errors)", (family, c) => {
    const params = Object.fromEntries(Object.entries(c.dpars).map(([name, values]) => [name, values[0]]));
    const trials = c.trials || 1;
    const expected = family === "lognormal" ? Math.exp(params.mu + params.sigma ** 2 / 2) : family === "binomial" ? trials * params.mu : params.mu;
    const rng = new Xoshiro128(11);
    const draws = Float64Array.from({ length: 20000 }, () => familyDraw(family, rng, params, c.trials));
    const m = draws.reduce((a, v) => a + v, 0) / draws.length;
    const se = Math.sqrt(draws.reduce((a, v) => a + (v - m) ** 2, 0) / (draws.length - 1) / draws.length);
    expect(Math.abs(m - expected)).toBeLessThan(5 * se);
  });
});
