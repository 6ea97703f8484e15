/**
 * brms's smooth terms s() against brms 2.18 + mgcv 1.8-41. Each folder of test/fixtures/brms-smooth
 * holds a model.R (a brm() call on the simulated data.csv, made by `Rscript gen-data.R` there) and
 * what brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...),
 * written by `Rscript ../brms-families/gen.R` in that folder; logprob.json, variables.txt,
 * prior_summary.txt and print.txt by `R_MAKEVARS_USER=/work/main/.Makevars-fit Rscript
 * ../brms-families/logprob.R <fixture>` there (rstan 2.21; mock fit). mgcv-basis.json holds mgcv's
 * basis at each stage (`Rscript basis.R`).
 *
 * Eigenvectors have arbitrary signs (LAPACK's choice in R), so the smooths' columns (Xs, Zs_i_1)
 * are compared up to one sign per column; the log density is then equal at the point whose
 * coefficients of flipped columns are negated. mgcv finds the kernel's eigenvectors by Lanczos
 * iteration to a relative tolerance of ε^0.7 (about 1e-11 on the eigenvalues), stan2ts by a full
 * decomposition, so the columns agree to that accuracy, not to the last bit.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson } from "../../src/brms/index";
import { lapackDiagonalOrder, smoothToRandom, thinPlateBasis, thinPlatePredict } from "../../src/brms/terms/mgcvBasis";
import { smoothColumnsAt, smoothOutputNames } from "../../src/brms/terms/smooth";
import { ObservationModel } from "../../src/brms/postFit/observationModel";
import { looPointwise, type LooPointwise } from "../../src/brms/postFit/loo";
import { quantile7 } from "../../src/brms/postFit/summaries";
import { printSkeleton } from "./familyFixtureSuite";
import type { FitDraws } from "../../src/brms/postFit/runPostFit";
import { summarizeVariable } from "../../src/runtime/diagnostics/convergence";
import type { VariableSummary } from "../../src/brms/printFit";
import { expectEffectRowsLikeBrms, type EffectRow } from "./conditionalEffectsRows";
import { symmetricEigen } from "../../src/brms/terms/symmetricEigen";
import { parseStan } from "../../src/parse/parseStan";
import { loadCompiled } from "../models/gradientCheck";
import { coordinateCheck } from "../models/gradientCheck";
import { brmsDrawsCsv, brmsFixtures, errorOf, fixtureInstance, postFitOnDraws } from "./helpers";

const ROOT = new URL("../fixtures/brms-smooth/", import.meta.url).pathname;
const read = (fixture: string, file: string) => readFileSync(`${ROOT}${fixture}/${file}`, "utf8");
const RUN = { chains: 2, iter: 200, warmup: 100, thin: 1 };

/** The data's smooth columns: Xs and Zs matrices (rows of arrays in Stan JSON). */
const isSmoothMatrix = (name: string) => /^(Xs|Zs)(_|$)/.test(name);

/**
 * The sign (±1) that maps each column of ours onto brms's (taken at the row where brms's value is
 * largest), and the largest difference after that mapping, relative to the column's largest value.
 */
function columnSigns(ours: readonly (readonly number[])[], theirs: readonly (readonly number[])[]): { signs: number[]; worst: number } {
  const cols = theirs[0]?.length ?? 0;
  const signs: number[] = [];
  let worst = 0;
  for (let j = 0; j < cols; j++) {
    let at = 0;
    for (let i = 0; i < theirs.length; i++) if (Math.abs(theirs[i][j]) > Math.abs(theirs[at][j])) at = i;
    const sign = Math.sign(theirs[at][j]) === Math.sign(ours[at][j]) ? 1 : -1;
    const scale = Math.abs(theirs[at][j]);
    for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(sign * ours[i][j] - theirs[i][j]) / scale);
    signs.push(sign);
  }
  return { signs, worst };
}

const COLUMN_TOLERANCE = 1e-8;

/** The fixture folders (postfit/ holds a real fit's outputs instead, checked below). */
function smoothFixtures(): ReturnType<typeof brmsFixtures> {
  const all = brmsFixtures(ROOT);
  return { names: all.names.filter((f) => f !== "postfit"), build: all.build };
}

describe("brms s(): Stan program and data equal brms 2.18's", () => {
  const fixtures = smoothFixtures();

  it("has the fixtures", () => {
    expect(fixtures.names.length).toBeGreaterThanOrEqual(9);
  });

  describe.each(fixtures.names)("%s", (fixture) => {
    it("emits brms's Stan program (same tree)", async () => {
      const b = await fixtures.build(fixture);
      const reference = parseStan(read(fixture, "stancode.stan"), `${fixture}.stan`).program;
      expect(printProgram(b.program)).toBe(printProgram(reference));
    });

    it("builds brms's Stan data (the smooths' columns up to sign)", async () => {
      const b = await fixtures.build(fixture);
      const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>;
      const theirs = JSON.parse(read(fixture, "standata.json")) as Record<string, unknown>;
      const reference = parseStan(read(fixture, "stancode.stan"), `${fixture}.stan`).program;
      for (const stmt of reference.data?.stmts ?? []) if (stmt.kind === "VarDecl") expect(ours, `data ${stmt.name}`).toHaveProperty(stmt.name);
      for (const [name, value] of Object.entries(ours)) {
        expect(theirs, `make_standata has ${name}`).toHaveProperty(name);
        if (isSmoothMatrix(name)) {
          const mine = value as number[][];
          const brms = theirs[name] as number[][];
          expect([mine.length, mine[0]?.length], name).toEqual([brms.length, brms[0]?.length]);
          expect(columnSigns(mine, brms).worst, name).toBeLessThan(COLUMN_TOLERANCE);
        } else {
          expect([value].flat(2), name).toEqual([theirs[name]].flat(2));
        }
      }
    });
  });
});

describe("brms s(): the compiled program", () => {
  const fixtures = smoothFixtures();
  const rstan = fixtures.names.filter((f) => existsSync(`${ROOT}${f}/logprob.json`));

  it.each(fixtures.names)("%s compiles; its gradient matches finite differences", async (fixture) => {
    const instance = await fixtureInstance(await fixtures.build(fixture), fixture);
    const theta = Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1));
    expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
    const check = coordinateCheck(instance, theta);
    expect(check.worst, check.where).toBeLessThan(1e-5);
  });

  it("has rstan oracles", () => {
    expect(rstan.length).toBeGreaterThanOrEqual(4);
  });

  it.each(rstan)("%s: on brms's data, log density and gradient equal rstan's log_prob", async (fixture) => {
    const oracle = JSON.parse(read(fixture, "logprob.json")) as { upars: number[]; log_prob: number; gradient: number[] };
    const b = await fixtures.build(fixture);
    const model = await loadCompiled(b.stanCode, `${fixture.replace(/[^a-z]/g, "_")}.stan`);
    // make_standata's JSON writes scalars as length-1 arrays: unwrap those the program declares scalar
    const data = JSON.parse(read(fixture, "standata.json")) as Record<string, unknown>;
    for (const stmt of b.program.data?.stmts ?? []) {
      if (stmt.kind === "VarDecl" && stmt.declType.typeName !== "matrix" && stmt.declType.typeName !== "vector" && stmt.declType.arrayDims.length === 0) data[stmt.name] = [data[stmt.name]].flat()[0];
    }
    const instance = model.create(data);
    expect(instance.dim).toBe(oracle.upars.length);
    const g = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(Float64Array.from(oracle.upars), g);
    expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-10);
    oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(1e-8));
  });

  it.each(rstan)("%s: on stan2ts's data, the log density equals rstan's at the sign-mapped point", async (fixture) => {
    const oracle = JSON.parse(read(fixture, "logprob.json")) as { upars: number[]; log_prob: number };
    const b = await fixtures.build(fixture);
    const instance = await fixtureInstance(b, fixture);
    const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, number[][]>;
    const theirs = JSON.parse(read(fixture, "standata.json")) as Record<string, number[][]>;
    // a flipped column of Xs negates that element of bs; of Zs_<p>i_1, that element of zs_<p>i_1
    const theta = Float64Array.from(oracle.upars);
    const names = instance.unconstrainedNames;
    for (const name of Object.keys(ours).filter(isSmoothMatrix)) {
      const { signs } = columnSigns(ours[name], theirs[name]);
      const parameter = name.startsWith("Xs") ? name.replace(/^Xs/, "bs") : name.replace(/^Zs/, "zs");
      signs.forEach((sign, j) => {
        const at = names.indexOf(`${parameter}.${j + 1}`);
        expect(at, `${parameter}.${j + 1}`).toBeGreaterThanOrEqual(0);
        theta[at] *= sign;
      });
    }
    const lp = instance.logDensity(theta);
    expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-8);
  });
});

describe("brms s(): output names, prior_summary and print(fit) from brms's mock fit", () => {
  const fixtures = smoothFixtures();
  const mocked = fixtures.names.filter((f) => existsSync(`${ROOT}${f}/variables.txt`));

  it("has mock oracles", () => {
    expect(mocked.length).toBeGreaterThanOrEqual(4);
  });

  it.each(mocked)("%s: variables(fit), prior_summary(fit) and print(fit)'s sections and rows", async (fixture) => {
    const b = await fixtures.build(fixture);
    expect(b.outputNames.map((n) => n.brms)).toEqual(read(fixture, "variables.txt").replace(/\n$/, "").split("\n"));
    expect(b.priorSummary()).toBe(read(fixture, "prior_summary.txt"));
    expect(printSkeleton(b.printFit(new Map(), RUN))).toEqual(printSkeleton(read(fixture, "print.txt")));
  });
});

describe("mgcv's tp basis, stage by stage (mgcv-basis.json)", () => {
  const ref = JSON.parse(readFileSync(`${ROOT}mgcv-basis.json`, "utf8")) as Record<string, number[][]> & { x: number[]; grid: number[] };

  it("smooth.construct(s(x, k = 5)): model matrix and penalty up to column signs", () => {
    const basis = thinPlateBasis(ref.x, 5);
    const { signs, worst } = columnSigns(Array.from(basis.X, (r) => Array.from(r)), ref.construct_X);
    expect(worst).toBeLessThan(1e-12);
    basis.S.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(signs[i] * signs[j] * v - ref.construct_S[i][j])).toBeLessThan(1e-12 * (1 + Math.abs(ref.construct_S[i][j])))));
  });

  it("Predict.matrix at new values reproduces the basis (up to the same signs)", () => {
    const basis = thinPlateBasis(ref.x, 5);
    expect(columnSigns(Array.from(thinPlatePredict(basis, ref.grid), (r) => Array.from(r)), ref.predict_raw).worst).toBeLessThan(1e-10);
    // and at the data it gives the model matrix itself
    const atData = thinPlatePredict(basis, ref.x);
    atData.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - basis.X[i][j])).toBeLessThan(1e-10)));
  });

  it("smoothCon(absorb.cons = TRUE, diagonal.penalty = TRUE): the natural parametrisation's columns", () => {
    const [columns] = smoothToRandom(thinPlateBasis(ref.x, 10));
    // smooth2random's eigen() of the identity penalty put the penalised columns in LAPACK's order
    // (1, 8, 7, …, 2 of 8: R's eigen(diag(c(rep(1, 8), 0)))); smoothCon's X has them in order
    const order = lapackDiagonalOrder([...Array(8).fill(1), 0]);
    expect(order).toEqual([0, 7, 6, 5, 4, 3, 2, 1, 8]);
    const split = columns.Zs.map((row, i) => [...row, ...columns.Xf[i]]);
    const natural = split.map((row) => row.map((_, j) => row[order.indexOf(j)]));
    expect(columnSigns(natural, ref.smoothcon_X).worst).toBeLessThan(COLUMN_TOLERANCE);
  });

  it("brms's s2rPred at a grid of new values (conditional_effects' columns)", async () => {
    const b = await brmsFixtures(ROOT).build("s-main");
    const term = b.model.predictors[0].smooths![0];
    const at = smoothColumnsAt(term, ref.grid);
    const rows = (cols: Float64Array[]) => ref.grid.map((_, i) => cols.map((c) => c[i]));
    expect(columnSigns(rows(at.random), ref.predict_Zs).worst).toBeLessThan(COLUMN_TOLERANCE);
    expect(columnSigns(rows(at.fixed), ref.predict_Xf).worst).toBeLessThan(COLUMN_TOLERANCE);
  });
});

describe("symmetricEigen", () => {
  it("decomposes symmetric matrices: A v = λ v, orthonormal vectors, values decreasing", () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    for (const n of [1, 2, 5, 17, 40]) {
      const a = Array.from({ length: n }, () => new Float64Array(n));
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i][j] = a[j][i] = next();
      const { values, vectors } = symmetricEigen(a);
      for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
      for (let k = 0; k < n; k++) {
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let j = 0; j < n; j++) av += a[i][j] * vectors[j][k];
          expect(Math.abs(av - values[k] * vectors[i][k])).toBeLessThan(1e-12);
        }
        for (let l = 0; l < n; l++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[i][k] * vectors[i][l];
          expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe("brms s(): refusals name their cause", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const error = (formula: string, extra = "") => errorOf(`library(brms)\nd <- read_csv("data.csv")\nfit <- brm(${formula}, data = d${extra})\n`, csv);

  it("refuses what stan2ts does not build, where it is written", () => {
    expect(error("y ~ s(x, z)")).toMatch(/line 3[\s\S]*smooths of several covariates are not supported by stan2ts yet/);
    expect(error("y ~ t2(x, z)")).toMatch(/Tensor product smooths \(t2\(\)\) are not supported by stan2ts yet/);
    expect(error('y ~ s(x, bs = "ps")')).toMatch(/The smooth basis bs = "ps" is not supported by stan2ts yet/);
    expect(error("y ~ s(x, m = 3)")).toMatch(/s\(\) argument 'm' is not supported by stan2ts/);
    expect(error("y ~ (s(x) | f)")).toMatch(/Smooth terms s\(\) belong in the population part of the formula/);
    expect(error("f ~ s(x)", ", family = categorical()")).toMatch(/Smooth terms \(s\(\)\) with the categorical family are not supported by stan2ts yet/);
  });

  it("refuses a basis larger than the data allow, as mgcv does", () => {
    // mgcv: "A term has fewer unique covariate combinations than specified maximum degrees of freedom"
    expect(error("y ~ s(count, k = 12)")).toMatch(/count has \d+ different values, fewer than the basis dimension k = 12/);
    expect(error("y ~ s(q)")).toMatch(/The variable 'q' is not a column of the data/);
  });

  it("refuses more than 2000 unique covariate values, where mgcv would draw knots at random", () => {
    const rows = Array.from({ length: 2001 }, (_, i) => `${(i % 13) / 10},${i / 7}`);
    const big = ["y,x", ...rows].join("\n") + "\n";
    expect(errorOf('library(brms)\nd <- read_csv("data.csv")\nfit <- brm(y ~ s(x), data = d)\n', big)).toMatch(
      /line 3[\s\S]*'x' has 2001 different values; mgcv would use a random subset of 2000 of them as knots/,
    );
  });
});

/**
 * A real brms 2.18 fit of `y ~ s(x) + s(z, by = f, k = 5) + f` (postfit/postfit.R, which records its
 * draws, make_standata, fitted(), conditional_effects(), loo() and print()), its draws fed to
 * stan2ts. Coefficients of columns stan2ts builds with the other sign are negated first.
 */
describe("brms s(): post-fit values of a real brms fit (postfit/postfit.R)", () => {
  const folder = `${ROOT}postfit/`;
  const recorded = existsSync(`${folder}loo.csv`);

  const mappedDraws = async () => {
    const build = await brmsFixtures(ROOT).build("postfit");
    const ours = JSON.parse(stanDataToJson(build.standata)) as Record<string, number[][]>;
    const theirs = JSON.parse(readFileSync(`${folder}standata.json`, "utf8")) as Record<string, number[][]>;
    const signs = new Map<string, number>();
    for (const p of build.model.predictors) {
      if (!p.smooths?.length) continue;
      const names = smoothOutputNames(p.smooths, p.prefix);
      columnSigns(ours.Xs, theirs.Xs).signs.forEach((sign, j) => signs.set(names.bs[j], sign));
      names.s.forEach((list, k) => columnSigns(ours[`Zs_${k + 1}_1`], theirs[`Zs_${k + 1}_1`]).signs.forEach((sign, j) => signs.set(list[j], sign)));
    }
    const brms = brmsDrawsCsv(readFileSync(`${folder}draws.csv`, "utf8"));
    const draws: FitDraws = { variables: brms.variables, drawsByChain: (name) => brms.drawsByChain(name).map((c) => c.map((v) => v * (signs.get(name) ?? 1))) };
    return { build, draws, flipped: [...signs.values()].filter((s) => s < 0).length };
  };

  it.runIf(recorded)("fitted(fit): each row's mean, sd and 2.5%/97.5% quantiles of the expected value", async () => {
    const { build, draws } = await mappedDraws();
    const pooled = { variables: draws.variables, draws: (n: string) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
    const observations = new ObservationModel(build.model, pooled);
    const expected = parse(readFileSync(`${folder}fitted.csv`, "utf8"), { columns: true, trim: true }) as Record<string, string>[];
    expect(expected).toHaveLength(observations.n);
    expected.forEach((row, i) => {
      const values = Float64Array.from(observations.epred(i)).sort();
      const mean = values.reduce((a, v) => a + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
      const close = (got: number, want: string) => expect(Math.abs(got - Number(want)), `row ${i + 1}: ${got} vs ${want}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(Number(want))));
      close(mean, row.Estimate);
      close(sd, row["Est.Error"]);
      close(quantile7(values, 0.025), row["Q2.5"]);
      close(quantile7(values, 0.975), row["Q97.5"]);
    });
  });

  it.runIf(recorded)("conditional_effects(fit): each smooth's effect on brms's grid (x; z by each level of f) and f", async () => {
    const { build, draws } = await mappedDraws();
    const { plots } = postFitOnDraws(build, draws, 1);
    const files = readdirSync(folder).filter((f) => f.startsWith("ce_"));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const effect = file.slice(3, -4);
      const rows = (plots.get(`fit_conditional_effects_${effect}.svg`) as { data: { values: EffectRow[] } } | undefined)?.data.values;
      expect(rows, effect).toBeDefined();
      expectEffectRowsLikeBrms(rows!, parse(readFileSync(`${folder}${file}`, "utf8"), { columns: true, trim: true }) as Record<string, string>[]);
    }
  });

  it.runIf(recorded)("loo(fit): elpd_loo, p_loo and looic with their standard errors", async () => {
    const { build, draws } = await mappedDraws();
    const pooled = { variables: draws.variables, draws: (n: string) => Float64Array.from(draws.drawsByChain(n).flatMap((c) => [...c])) };
    const observations = new ObservationModel(build.model, pooled);
    const chains = draws.drawsByChain(draws.variables[0]).length;
    const pointwise = Array.from({ length: observations.n }, (_, i) => {
      const logLik = observations.logLik(i);
      const per = logLik.length / chains;
      return looPointwise(Array.from({ length: chains }, (_, c) => logLik.subarray(c * per, (c + 1) * per)));
    });
    const total = (f: (p: LooPointwise) => number) => pointwise.reduce((a, p) => a + f(p), 0);
    const se = (f: (p: LooPointwise) => number) => {
      const m = total(f) / pointwise.length;
      return Math.sqrt(pointwise.length * (pointwise.reduce((a, p) => a + (f(p) - m) ** 2, 0) / (pointwise.length - 1)));
    };
    const expected = parse(readFileSync(`${folder}loo.csv`, "utf8"), { columns: true, trim: true }) as Record<string, string>[];
    const row = (name: string) => expected.find((r) => Object.values(r)[0] === name)!;
    const close = (got: number, want: string) => expect(Math.abs(got - Number(want)), `${got} vs ${want}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(Number(want))));
    close(total((p) => p.elpdLoo), row("elpd_loo").Estimate);
    close(se((p) => p.elpdLoo), row("elpd_loo").SE);
    close(total((p) => p.pLoo), row("p_loo").Estimate);
    close(total((p) => p.looic), row("looic").Estimate);
  });

  it.runIf(recorded)("print(fit): the Smooth Terms section laid out byte for byte as brms prints it", async () => {
    const { build, draws } = await mappedDraws();
    const section = (text: string, title: string) => {
      const lines = text.split("\n");
      const start = lines.indexOf(`${title} `);
      return lines.slice(start, lines.indexOf("", start));
    };
    const summaries = new Map<string, VariableSummary>();
    for (const v of draws.variables) {
      if (/^(lprior$|lp__$)/.test(v)) continue;
      const x = summarizeVariable(v, draws.drawsByChain(v), [0.025, 0.975]);
      summaries.set(v, { estimate: x.mean, estError: x.sd, lower: x.quantiles[0], upper: x.quantiles[1], rhat: x.rhat, essBulk: x.essBulk, essTail: x.essTail });
    }
    const ours = build.printFit(summaries, { chains: 2, iter: 1000, warmup: 500, thin: 1 });
    const theirs = readFileSync(`${folder}print.txt`, "utf8");
    expect(section(ours, "Smooth Terms:")).toEqual(section(theirs, "Smooth Terms:"));
    // and the sections after it (the sx_1 rows among the population-level effects)
    for (const title of ["Population-Level Effects:", "Family Specific Parameters:"]) expect(section(ours, title), title).toEqual(section(theirs, title));
  });
});
