/**
 * brms's monotonic effects mo() and multi-membership grouping mm() against brms 2.18's own output.
 * Each folder of test/fixtures/brms-mo holds a model.R (a brm() call on the simulated data.csv,
 * made by `Rscript gen-data.R` there) and what brms made of it: stancode.stan = make_stancode(...),
 * standata.json = make_standata(...), written by `Rscript ../brms-families/gen.R` in that folder (R 4.2, brms 2.18);
 * logprob.json, variables.txt, prior_summary.txt and print.txt by
 * `R_LIBS=<BH copy> Rscript ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit).
 * familyFixtureSuite.ts holds those checks; the rest of this file the names, codes and refusals.
 */
import { readdirSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { buildFromScriptFile } from "../../src/brms/index";
import { ObservationModel } from "../../src/brms/postFit/observationModel";
import { fixef } from "../../src/brms/postFit/summaries";
import { describeConstrainedLogProb } from "./constrainedLogProb";
import { describeFamilyFixtures } from "./familyFixtureSuite";
import { brmsDrawsCsv, buildFrom, errorOf, postFitOnDraws, recordedLooOutput } from "./helpers";

const ROOT = new URL("../fixtures/brms-mo/", import.meta.url).pathname;

describeFamilyFixtures("brms mo() and mm()", ROOT, {
  minFixtures: 7,
  // rstan's log_prob at logprob.R's unconstrained point: the mm() fixtures only. The mo() fixtures'
  // logprob.json is not kept (rstan's simplex transform is not stan2ts's; see below), only their mock fit.
  rstanRecorded: 4,
  mockRecorded: 14,
  // make_standata keeps 15 significant digits of the scaled mm() weights.
  dataTolerance: 1e-14,
  priorSummaryWrapped: true,
});

/**
 * rstan 2.21 maps simplexes by stick-breaking, stan2ts (as Stan ≥ 2.37) by the inverse isometric log
 * ratio, so logprob.json's unconstrained point is a different simplex for each, and its log density
 * with the Jacobian differs. logprob-constrained.json (`Rscript logprob-constrained.R <fixture>`)
 * holds rstan's constrained point and its log density without the Jacobian: stan2ts's log density
 * at that point, less its own transforms' log Jacobian, must equal it.
 */
describeConstrainedLogProb("brms mo(): log density at rstan's constrained point", ROOT, 10);

describe("brms mo() and mm(): codes, names and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const ordered = 'd$edu <- factor(d$edu, levels = c("none", "school", "college", "degree"), ordered = TRUE)';
  const script = (formula: string, extra = "", steps = ordered) => `library(brms)\nd <- read_csv("data.csv")\n${steps}\nfit <- brm(${formula}, data = d${extra})\n`;
  const build = (formula: string, extra = "", steps = ordered) => buildFrom(script(formula, extra, steps), csv);
  const error = (formula: string, extra = "", steps = ordered) => errorOf(script(formula, extra, steps), csv);

  it("codes mo() variables as brms does: levels − 1 or x − min(x), Jmo the number of steps", () => {
    const data = build("y ~ mo(edu) + mo(stars)").standata;
    // stars takes 1, 2, 3, 5: codes 0..4 with 4 steps (Rscript -e 'make_standata(y ~ mo(stars), data = d)$Jmo' gives 4)
    expect(data.get("Jmo")).toEqual({ kind: "int[]", value: Int32Array.of(3, 4) });
    const stars = csv.split("\n").slice(1, 6).map((line) => Number(line.split(",")[3]));
    expect(Array.from((data.get("Xmo_2") as { value: Int32Array }).value.slice(0, 5))).toEqual(stars.map((x) => x - 1));
  });

  it("refuses what brms refuses, with brms's messages", () => {
    // Rscript -e 'make_standata(y ~ mo(edu), data = read.csv("data.csv"))' (text, not an ordered factor)
    expect(error("y ~ mo(edu)", "", "")).toMatch(/Monotonic predictors must be integers or ordered factors\. Error occurred for variable 'edu'/);
    expect(error("y ~ mo(z)")).toMatch(/Monotonic predictors must be integers or ordered factors\. Error occurred for variable 'z'/);
    // Rscript -e '… prior = prior(normal(0, 1), class = simo, coef = moedu1)' and dirichlet(c(1, 2)): brms 2.18's messages
    expect(error("y ~ mo(edu)", ", prior = prior(normal(0, 1), class = simo, coef = moedu1)")).toMatch(/Currently 'dirichlet' is the only valid prior for simplex parameters/);
    expect(error("y ~ mo(edu)", ", prior = prior(dirichlet(c(1, 2)), class = simo, coef = moedu1)")).toMatch(/line 4[\s\S]*Invalid Dirichlet prior\. Expected input of length 3\./);
    expect(error("y ~ mo(edu)", ", prior = prior(dirichlet(2), class = simo)")).toMatch(/do not correspond to any model parameter:[\s\S]*simo ~ dirichlet\(2\)/);
    expect(error("y ~ mo(edu)", ", prior = prior(normal(0, 1), class = bsp)")).toMatch(/do not correspond to any model parameter:[\s\S]*bsp ~ normal\(0, 1\)/);
  });

  it("mo(x, id = ) with sample_prior and beside a group term places the shared simplex as brms does", () => {
    // Rscript -e 'library(brms); d <- readr::read_csv("data.csv"); d$edu <- factor(d$edu, levels = c("none", "school", "college", "degree"), ordered = TRUE);
    //   cat(make_stancode(y ~ mo(edu, id = "i") * z, data = d, sample_prior = "yes")); cat(make_stancode(y ~ mo(edu, id = "i") * z + (1 | g), data = d))'
    // (brms 2.18): a prior draw only for simo_1; simo_2 = simo_1 is declared before the group-level r_1_1.
    const lines = (code: string) => code.split("\n").filter((l) => /simo|\] r_1_1;/.test(l)).map((l) => l.trim());
    expect(lines(build('y ~ mo(edu, id = "i") * z', ', sample_prior = "yes"').stanCode)).toEqual([
      "vector[Jmo[1]] con_simo_1;",
      "simplex[Jmo[1]] simo_1;",
      "simplex[Jmo[2]] simo_2 = simo_1;",
      "lprior += dirichlet_lpdf(simo_1 | con_simo_1);",
      "mu[n] += (bsp[1]) * mo(simo_1, Xmo_1[n]) + (bsp[2]) * mo(simo_2, Xmo_2[n]) * Csp_1[n];",
      "simplex[Jmo[1]] prior_simo_1 = dirichlet_rng(con_simo_1);",
    ]);
    const grouped = lines(build('y ~ mo(edu, id = "i") * z + (1 | g)').stanCode);
    expect(grouped.indexOf("simplex[Jmo[2]] simo_2 = simo_1;")).toBeLessThan(grouped.indexOf("vector[N_1] r_1_1;"));
    expect(grouped.indexOf("vector[N_1] r_1_1;")).toBeGreaterThan(0);
    // the shared simplex's prior row is named by the id: make_standata(y ~ mo(edu, id = "i") * z, data = d,
    //   prior = prior(dirichlet(c(1, 2, 3)), class = simo, coef = i))$con_simo_1 is 1 2 3, and no con_simo_2 (brms 2.18)
    expect(build('y ~ mo(edu, id = "i") * z', ", prior = prior(dirichlet(c(1, 2, 3)), class = simo, coef = i)").standata.get("con_simo_1")).toEqual({ kind: "vector", value: Float64Array.from([1, 2, 3]) });
  });

  it("refuses what stan2ts does not build, naming the cause", () => {
    // brms 2.18 drops a group-level mo() term without its population term silently
    expect(error("y ~ z + (1 + mo(edu) | g)")).toMatch(/group-level term 'moedu' of 'g' has no population-level counterpart/);
    expect(error('y ~ mo(edu, id = "a") + mo(stars, id = "a")')).toMatch(/mo\(\) terms with id = "a" share one simplex, so their variables need the same number of steps: 'edu' has 3, 'stars' 4/);
    expect(error('y ~ mo(edu, id = 1)')).toMatch(/mo\(x, id = \) takes a string/);
    expect(error('y ~ mo(edu, foo = 1)')).toMatch(/mo\(\) argument 'foo' is not supported/);
    expect(error("y ~ (1 | mm(g1, g2, weights = cbind(w1)))")).toMatch(/2 grouping factors but 1 weight columns/);
    expect(error("y ~ (1 | mm(g1, g2, foo = 1))")).toMatch(/mm\(\) argument 'foo' is not supported/);
    expect(error("y ~ (1 + mmc(w1, w2) | g)")).toMatch(/'mmc\(w1, w2\)' belongs in a group term with mm\(\) grouping/);
    expect(error("y ~ (1 + mmc(w1) | mm(g1, g2))")).toMatch(/mmc\(\) needs one data column per grouping factor of mm\(\) \(2 here\)/);
  });

  it("scale = FALSE keeps mm()'s weights as given", () => {
    const data = build("y ~ (1 | mm(g1, g2, weights = cbind(w1, w2), scale = FALSE))").standata;
    const w1 = csv.split("\n").slice(1, 4).map((line) => Number(line.split(",")[8]));
    expect(Array.from((data.get("W_1_1") as { value: Float64Array }).value.slice(0, 3))).toEqual(w1);
  });
});

/**
 * The calls after brm() on a real brms 2.18 fit with mo() terms (test/fixtures/brms-postfit/mo-fit,
 * `R_LIBS=<BH copy> Rscript mo-mm-fits.R mo-fit` in test/fixtures/brms-postfit: y ~ mo(edu) * z + mo(stars) + (1 + mo(edu) | g), 2 chains
 * of 400 iterations), fed brms's own draws: log_lik(fit), print(loo(fit)) and conditional_effects(fit).
 */
describe("brms mo(): post-fit calls on a real brms fit's draws", () => {
  const folder = new URL("../fixtures/brms-postfit/mo-fit/", import.meta.url).pathname;
  const load = async () => {
    const build = await buildFromScriptFile(`${folder}model.R`);
    return { build, draws: brmsDrawsCsv(readFileSync(`${folder}draws.csv`, "utf8")) };
  };

  it("log_lik of the first 12 observations, every draw, equals brms's to 1e-8", async () => {
    const { build, draws } = await load();
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) });
    const expected = (parse(readFileSync(`${folder}log_lik.csv`, "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 12; i++) {
      const ll = observations.logLik(i);
      expect(ll.length).toBe(expected.length);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
  });

  it("pp_check(fit) draws brms's dens_overlay from the mo() model's predictions", async () => {
    const { draws } = await load();
    const script = `${readFileSync(`${folder}model.R`, "utf8")}pp_check(fit)\n`;
    const build = buildFrom(script, readFileSync(`${ROOT}data.csv`, "utf8"));
    const { text, plots } = postFitOnDraws(build, draws, 1);
    expect(text).toContain("Using 10 posterior draws for ppc type 'dens_overlay' by default.");
    const rows = (plots.get("fit_pp_check.svg") as { data: { values: { series: string; kind: string; density: number }[] } }).data.values;
    // 10 replicated series beside the data's, every density finite
    expect(new Set(rows.filter((r) => r.kind === "y_rep").map((r) => r.series)).size).toBe(10);
    expect(rows.every((r) => Number.isFinite(r.density))).toBe(true);
  });

  it("fixef(fit) lists the mo() coefficients as brms's fixef_pars() selects them", async () => {
    const { draws } = await load();
    const pooled = { variables: draws.variables, draws: (n: string) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
    const fixed = fixef(pooled);
    // Rscript -e 'brms:::fixef_pars()' (brms 2.18): "^b(()|(s)|(cs)|(sp)|(mo)|(me)|(mi)|(m))_"
    const brmsRows = draws.variables.filter((v) => /^b(()|(s)|(cs)|(sp)|(mo)|(me)|(mi)|(m))_/.test(v)).map((v) => v.replace(/^b[a-z]*_/, ""));
    expect(fixed.rows).toEqual(brmsRows);
    expect(fixed.rows).toEqual(["Intercept", "z", "moedu", "mostars", "moedu:z"]);
  });

  it("print(loo(fit)) byte for byte, and conditional_effects(fit) equal brms's (effects, grid, quantiles to 1e-9)", async () => {
    const { build, draws } = await load();
    const { text, plots } = postFitOnDraws(build, draws, 1);
    const loo = recordedLooOutput(`${folder}loo.txt`);
    expect(text.slice(-loo.length)).toBe(loo);
    const effects = readdirSync(folder).filter((f) => f.startsWith("ce_")).map((f) => f.slice(3, -4));
    // brms's get_all_effects: z, then the mo() terms' variables and their pairs
    expect(effects.sort()).toEqual(["edu", "stars", "z", "z_edu"]);
    for (const effect of effects) {
      const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: { x: number | string; group?: string; estimate: number; lower: number; upper: number }[] } }).data.values;
      const expected = parse(readFileSync(`${folder}ce_${effect}.csv`, "utf8"), { columns: true, trim: true }) as Record<string, string>[];
      expect(rows, effect).toHaveLength(expected.length);
      for (const r of expected) {
        // an ordered factor's levels are text; numbers match to 1e-9
        const same = (x: number | string) => (typeof x === "string" ? x === r.value : Math.abs(x - Number(r.value)) < 1e-9 * Math.max(1, Math.abs(Number(r.value))));
        const row = rows.find((g) => same(g.x) && (r.group === undefined || Math.abs(Number(g.group) - Number(r.group)) < 1e-6 || g.group === r.group));
        expect(row, `${effect} ${r.value} ${r.group ?? ""}`).toBeDefined();
        for (const [got, want] of [[row!.estimate, r.estimate], [row!.lower, r.lower], [row!.upper, r.upper]] as const) {
          expect(Math.abs(got - Number(want)), `${effect} ${r.value}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(Number(want))));
        }
      }
    }
  });
});

/**
 * The calls after brm() on a real brms 2.18 fit with mm() grouping (test/fixtures/brms-postfit/mm-fit,
 * `R_LIBS=<BH copy> Rscript mo-mm-fits.R mm-fit` in test/fixtures/brms-postfit:
 * y ~ z + (1 + z | mm(g1, g2, weights = cbind(w1, w2))), 2 chains of 400 iterations), fed brms's draws.
 */
describe("brms mm(): post-fit calls on a real brms fit's draws", () => {
  const folder = new URL("../fixtures/brms-postfit/mm-fit/", import.meta.url).pathname;
  const load = async () => ({ build: await buildFromScriptFile(`${folder}model.R`), draws: brmsDrawsCsv(readFileSync(`${folder}draws.csv`, "utf8")) });

  it("log_lik of the first 12 observations (each member's weighted effect), every draw, equals brms's to 1e-8", async () => {
    const { build, draws } = await load();
    const observations = new ObservationModel(build.model, { variables: draws.variables, draws: (n) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) });
    const expected = (parse(readFileSync(`${folder}log_lik.csv`, "utf8"), { from_line: 2 }) as string[][]).map((r) => r.map(Number));
    for (let i = 0; i < 12; i++) {
      const ll = observations.logLik(i);
      expected.forEach((row, s) => expect(Math.abs(ll[s] - row[i])).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(row[i]))));
    }
  });

  it("ranef(fit) and print(loo(fit)) print what brms prints; pp_check draws its plot", async () => {
    const { build, draws } = await load();
    const { text, plots } = postFitOnDraws(build, draws, 1);
    const ranefText = readFileSync(`${folder}ranef.txt`, "utf8");
    expect(text.startsWith(ranefText)).toBe(true);
    const loo = recordedLooOutput(`${folder}loo.txt`);
    expect(text.slice(-loo.length)).toBe(loo);
    expect(plots.has("fit_pp_check.svg")).toBe(true);
  });
});
