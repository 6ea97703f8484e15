/**
 * brms formula terms against brms 2.18's own output. Each folder of test/fixtures/brms-terms holds
 * a model.R (a brm() call on the shared simulated data.csv, made by `Rscript gen-data.R`) and what
 * brms made of it: stancode.stan = make_stancode(...), standata.json = make_standata(...), both
 * written by `Rscript gen.R` in that folder (R 4.x, brms 2.18, locale en_US.UTF-8 / C.UTF-8).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printProgram } from "../../src/ast/printer";
import { stanDataToJson, type BrmsBuild } from "../../src/brms/index";
import { compareText } from "../../src/brms/terms/levels";
import { parseStan } from "../../src/parse/parseStan";
import { coordinateCheck, loadCompiled } from "../models/gradientCheck";
import { brm, brmsFixtures, buildFrom, errorOf, jsonNumbers } from "./helpers";

const ROOT = new URL("../fixtures/brms-terms/", import.meta.url).pathname;
const fixtures = brmsFixtures(ROOT);
const FIXTURES = fixtures.names;

const build = (fixture: string): Promise<BrmsBuild> => fixtures.build(fixture);

const numbers = jsonNumbers;

/** Data columns brms copies from the data are exact; computed ones (scale, poly) agree to ~1e-12. */
function expectNumbersClose(ours: number[], theirs: number[], name: string): void {
  expect(ours.length, name).toBe(theirs.length);
  ours.forEach((x, i) => {
    if (Math.abs(x - theirs[i]) > 1e-12 * Math.max(1, Math.abs(theirs[i]))) expect(x, `${name}[${i}]`).toBe(theirs[i]);
  });
}

describe("brms terms: Stan program and data equal brms 2.18's", () => {
  it("has the fixtures", () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(20);
  });

  describe.each(FIXTURES)("%s", (fixture) => {
    it("emits brms's Stan program (same tree)", async () => {
      const b = await build(fixture);
      const reference = parseStan(readFileSync(`${ROOT}${fixture}/stancode.stan`, "utf8"), `${fixture}.stan`).program;
      expect(printProgram(b.program)).toBe(printProgram(reference));
    });

    it("builds brms's Stan data", async () => {
      const b = await build(fixture);
      const ours = JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>;
      const theirs = JSON.parse(readFileSync(`${ROOT}${fixture}/standata.json`, "utf8")) as Record<string, unknown>;
      for (const [name, value] of Object.entries(ours)) {
        expect(theirs, `make_standata has ${name}`).toHaveProperty(name);
        expectNumbersClose(numbers(value), numbers(theirs[name]), name);
      }
      const reference = parseStan(readFileSync(`${ROOT}${fixture}/stancode.stan`, "utf8"), `${fixture}.stan`).program;
      for (const stmt of reference.data?.stmts ?? []) {
        if (stmt.kind === "VarDecl") expect(ours, `data ${stmt.name}`).toHaveProperty(stmt.name);
      }
    });
  });
});

describe("brms terms: names, order and refusals", () => {
  const csv = readFileSync(`${ROOT}data.csv`, "utf8");
  const coefs = (formula: string) => buildFrom(brm(formula), csv).model.responses[0].mu.coefs;

  it("sorts text as R's sort() does under en_US, not by bytes", () => {
    expect(["c", "B", "a", "Z", "b_2", "D"].sort(compareText)).toEqual(["a", "B", "b_2", "c", "D", "Z"]);
    expect(["s2", "S3", "s1"].sort(compareText)).toEqual(["s1", "s2", "S3"]);
    expect(coefs("y ~ f")).toEqual(["fB", "fb_2", "fc", "fD", "fZ"]);
  });

  it("names interaction columns as model.matrix does and orders terms by degree", () => {
    expect(coefs("y ~ x:w + x")).toEqual(["x", "x:w"]);
    expect(coefs("y ~ h * x")).toEqual(["hlo", "hmid", "x", "hlo:x", "hmid:x"]);
    // h gets contrasts in x:h when x is an earlier term (R's rule), one column per level when not.
    expect(coefs("y ~ x + x:h")).toEqual(["x", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ w + x:h")).toEqual(["w", "x:hhi", "x:hlo", "x:hmid"]);
    expect(coefs("y ~ (x + w + pos)^2")).toEqual(["x", "w", "pos", "x:w", "x:pos", "w:pos"]);
    expect(coefs("y ~ h / x")).toEqual(["hlo", "hmid", "hhi:x", "hlo:x", "hmid:x"]);
  });

  it("reads ^ as formula power and arithmetic inside functions, as R does", () => {
    expect(coefs("y ~ x + w^2")).toEqual(["x", "w"]);
    expect(coefs("y ~ log(w + 1) + I(x * w)")).toEqual(["logwP1", "IxMUw"]);
  });

  it("refuses with located messages", () => {
    expect(errorOf(brm("y ~ poly(f, 2)"), csv)).toMatch(/line 3[\s\S]*Column 'f' holds text/);
    expect(errorOf(brm("y ~ poly(cyl, 3)"), csv)).toMatch(/poly\(\): the degree \(3\) must be less than the number of distinct values \(3\)/);
    expect(errorOf(brm("y ~ x + (1 | g1/g2:h)"), csv)).toMatch(/no error/);
    expect(errorOf(brm("y ~ x + (1 | (g1 + g2))"), csv)).toMatch(/grouping factor '\(g1 \+ g2\)' is not supported/);
    expect(errorOf(brm("y ~ x + offset(f)"), csv)).toMatch(/Column 'f' holds text/);
    expect(errorOf(brm("y ~ x + (1 + x | g1) + offset(w)"), csv)).toMatch(/no error/);
  });
});

describe("brms terms: the compiled programs", () => {
  it.each(FIXTURES)("%s compiles; its gradient matches finite differences", async (fixture) => {
    const b = await build(fixture);
    const model = await loadCompiled(b.stanCode, `terms_${fixture.replace(/[^a-z0-9]/g, "_")}.stan`);
    const instance = model.create(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>);
    const theta = Float64Array.from({ length: instance.dim }, (_, i) => 0.1 * Math.sin(i + 1));
    expect(Number.isFinite(instance.logDensity(theta))).toBe(true);
    const check = coordinateCheck(instance, theta);
    expect(check.worst, check.where).toBeLessThan(1e-5);
  });

  /** rstan's log_prob of brms's program and data (`Rscript ../brms-families/logprob.R <fixture>` in test/fixtures/brms-terms). */
  const RSTAN = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/logprob.json`));
  it.each(RSTAN)("%s: log density and gradient equal rstan's log_prob", async (fixture) => {
    const oracle = JSON.parse(readFileSync(`${ROOT}${fixture}/logprob.json`, "utf8")) as { upars: number[]; log_prob: number; gradient: number[] };
    const b = await build(fixture);
    const model = await loadCompiled(b.stanCode, `terms_${fixture.replace(/[^a-z0-9]/g, "_")}.stan`);
    const instance = model.create(JSON.parse(stanDataToJson(b.standata)) as Record<string, unknown>);
    expect(instance.dim).toBe(oracle.upars.length);
    const g = new Float64Array(instance.dim);
    const lp = instance.logDensityGradient(Float64Array.from(oracle.upars), g);
    expect(Math.abs(lp - oracle.log_prob) / Math.max(1, Math.abs(oracle.log_prob)), `${lp} vs ${oracle.log_prob}`).toBeLessThan(1e-10);
    oracle.gradient.forEach((expected, i) => expect(Math.abs(g[i] - expected) / Math.max(1, Math.abs(expected)), `gradient ${i}`).toBeLessThan(1e-8));
  });

  /** brms's variables(fit) from a mock fit (same script), where recorded. */
  const NAMED = FIXTURES.filter((f) => existsSync(`${ROOT}${f}/variables.txt`));
  it.each(NAMED)("%s: output names equal brms's variables(fit)", async (fixture) => {
    const b = await build(fixture);
    const theirs = readFileSync(`${ROOT}${fixture}/variables.txt`, "utf8").trim().split("\n");
    expect(b.outputNames.map((n) => n.brms)).toEqual(theirs);
  });

  it.each(NAMED)("%s: prior_summary equals brms's", async (fixture) => {
    const b = await build(fixture);
    // Rscript prints at width 80, so R wraps the last column into a second block of lines (with
    // that block's own padding): compare the cells of each row; lecture.test.ts checks the layout.
    const theirs = readFileSync(`${ROOT}${fixture}/prior_summary.txt`, "utf8").replace(/\n$/, "").split("\n");
    const ours = b.priorSummary().replace(/\n$/, "").split("\n");
    const cells = (line: string) => line.trim().split(/\s+/).join(" ");
    const unwrapped = theirs.length === 2 * ours.length ? ours.map((_, i) => `${theirs[i]} ${theirs[i + ours.length]}`) : theirs;
    expect(ours.map(cells)).toEqual(unwrapped.map(cells));
  });
});
