/**
 * Gaussian likelihoods evaluated from per-group sufficient statistics must give the row-by-row
 * density and gradient (to rounding), fall back to the row-by-row code whenever the data do not
 * allow them (so Stan's errors are unchanged), and leave every other shape alone.
 */
import { describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import type { ModelInstance } from "../../src/runtime/model";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";
import { stanDataToJson } from "../../src/brms/index";
import { brm, buildFrom } from "../brms/helpers";
import { BIVARIATE, EXPRESSIONS, HIERARCHICAL, IDENTITY_SCALE, LOCATION_SCALE, OTHER_SHAPES, REGRESSION, SIGNED_SCALE, TILDE } from "./sufficientStatsPrograms";

function bivariateData(seed: number, opts: { N?: number; G?: number } = {}) {
  const base = hierarchicalData(seed, { N: opts.N, G: opts.G });
  const u = seededUniform(seed + 100);
  return { ...base, J2: [...base.J], Y: base.y.map((v, n) => [v * 0.001, 0.5 * base.z[n] + u() - 0.5]) };
}

function hierarchicalData(seed: number, opts: { N?: number; G?: number; scale?: number } = {}) {
  const u = seededUniform(seed);
  const N = opts.N ?? 60;
  const G = opts.G ?? 7;
  const K = 2;
  const scale = opts.scale ?? 1;
  const X: number[][] = [];
  const y: number[] = [];
  const J: number[] = [];
  const z: number[] = [];
  const off: number[] = [];
  const w: number[] = [];
  for (let n = 0; n < N; n++) {
    w.push(1);
    const row = [u() * 2 - 1, scale * (u() * 4 + 3998)];
    X.push(row);
    J.push(1 + (n % G));
    z.push(u());
    off.push(u() - 0.5);
    y.push(scale * (0.3 + row[0] * 0.5 + row[1] * 2) + (u() - 0.5));
  }
  return { N, K, X, y, G, J, z, off, w };
}

/** Counts, in globalThis.ssTaken, the evaluations that take the sufficient-statistics branch. */
const countFastPath = (code: string) => {
  const instrumented = code.replace(/if \(ss\d+_use__ !== 0\) \{/g, (branch) => `${branch}\n(globalThis as { ssTaken?: number }).ssTaken = ((globalThis as { ssTaken?: number }).ssTaken ?? 0) + 1;`);
  expect(instrumented).not.toBe(code);
  return instrumented;
};
const taken = () => (globalThis as { ssTaken?: number }).ssTaken ?? 0;

async function pair(stan: string, data: Record<string, unknown>): Promise<[ModelInstance, ModelInstance]> {
  const fast = (await loadCompiled(stan, "ss.stan", { instrument: countFastPath })).create(data);
  const rows = (await loadCompiled(stan, "ss.stan", { sufficientStatistics: false })).create(data);
  return [fast, rows];
}

function expectSameDensity(fast: ModelInstance, rows: ModelInstance, theta: Float64Array, tol: number): void {
  const g1 = new Float64Array(fast.dim);
  const g2 = new Float64Array(rows.dim);
  const lp1 = fast.logDensityGradient(theta, g1);
  const lp2 = rows.logDensityGradient(theta, g2);
  expect(Math.abs(lp1 - lp2) / Math.max(1, Math.abs(lp2))).toBeLessThan(tol);
  let norm = 1;
  for (const g of g2) norm = Math.max(norm, Math.abs(g));
  for (let i = 0; i < g1.length; i++) expect(Math.abs(g1[i] - g2[i]) / norm, `gradient ${i}`).toBeLessThan(tol);
}

describe("Gaussian likelihoods from sufficient statistics", () => {
  it("rewrites brms's location-building shape, '~' with offsets, and a plain regression", async () => {
    for (const stan of [HIERARCHICAL, TILDE, REGRESSION, LOCATION_SCALE, IDENTITY_SCALE]) {
      const { code } = await compileStan(stan, "ss.stan", {});
      expect(code).toContain("ss1_use__");
      // the row-by-row statements stay, in the branch taken when the data do not allow the statistics
      expect(code).toMatch(/\} else \{/);
    }
    const { code } = await compileStan(HIERARCHICAL, "ss.stan", { sufficientStatistics: false });
    expect(code).not.toContain("ss1_");
  });

  it("leaves other shapes alone", async () => {
    for (const stan of OTHER_SHAPES) {
      const { code } = await compileStan(stan, "other.stan", {});
      expect(code, stan).not.toContain("ss1_");
    }
  });

  it("gives the row-by-row density and gradient at random points", async () => {
    const rnd = seededUniform(5);
    for (const [stan, data] of [
      [HIERARCHICAL, hierarchicalData(1)],
      [TILDE, hierarchicalData(2)],
      [REGRESSION, hierarchicalData(3)],
      [LOCATION_SCALE, hierarchicalData(4)],
      [IDENTITY_SCALE, hierarchicalData(5)],
      [EXPRESSIONS, hierarchicalData(6)],
    ] as const) {
      const [fast, rows] = await pair(stan, data);
      const before = taken();
      for (let k = 0; k < 5; k++) expectSameDensity(fast, rows, randomPoint(fast.dim, rnd, 2), 1e-11);
      expect(taken() - before).toBe(2 * 5); // the forward and the reverse sweep each take the branch
    }
  });

  it("stays accurate on badly scaled data (responses near 8000, a predictor near 4000)", async () => {
    const data = hierarchicalData(4, { N: 200, G: 5, scale: 1 });
    const [fast, rows] = await pair(HIERARCHICAL, data);
    const before = taken();
    const theta = new Float64Array(fast.dim);
    // near the truth, where the residuals are small next to the responses
    theta[0] = 0.3;
    theta[1] = 0.5;
    theta[2] = 2;
    theta[3] = Math.log(0.3);
    expectSameDensity(fast, rows, theta, 1e-9);
    const rnd = seededUniform(9);
    for (let k = 0; k < 3; k++) {
      const t = theta.map((x) => x + 0.01 * (rnd() - 0.5));
      expectSameDensity(fast, rows, t, 1e-9);
    }
    expect(taken() - before).toBe(2 * 4);
  });

  it("keeps the gradient exact (finite differences)", async () => {
    const inst = (await loadCompiled(TILDE, "ss.stan")).create(hierarchicalData(6, { N: 30, G: 3 }));
    const u = seededUniform(13);
    for (let k = 0; k < 4; k++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });

  it("keeps a per-row scale's gradient exact, and falls back when its coefficients vary within a group", async () => {
    const inst = (await loadCompiled(LOCATION_SCALE, "ls.stan")).create(hierarchicalData(6, { N: 30, G: 3 }));
    const u = seededUniform(17);
    for (let k = 0; k < 4; k++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
    // w varies within each person: the scale is no longer one number per group
    const varying = hierarchicalData(7);
    varying.w = varying.w.map((_, n) => 1 + 0.1 * (n % 3));
    const [fast, rows] = await pair(LOCATION_SCALE, varying);
    const rnd = seededUniform(2);
    const before = taken();
    for (let k = 0; k < 3; k++) expectSameDensity(fast, rows, randomPoint(fast.dim, rnd), 1e-14);
    expect(taken()).toBe(before);
  });

  it("computes a multivariate normal with residual correlation from the statistics (m2's shape)", async () => {
    const { code } = await compileStan(BIVARIATE, "mv.stan", {});
    expect(code).toContain("ss1_Omega__");
    const [fast, rows] = await pair(BIVARIATE, bivariateData(21));
    const rnd = seededUniform(4);
    const before = taken();
    for (let k = 0; k < 4; k++) expectSameDensity(fast, rows, randomPoint(fast.dim, rnd), 1e-11);
    expect(taken() - before).toBe(2 * 4);
    const small = (await loadCompiled(BIVARIATE, "mv.stan")).create(bivariateData(22, { N: 40, G: 3 }));
    for (let k = 0; k < 3; k++) {
      const r = coordinateCheck(small, randomPoint(small.dim, rnd));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
    // the two responses' group indices disagree on a row: the rows run, with the same values
    const mismatched = bivariateData(23);
    mismatched.J2[4] = mismatched.J2[4] === 1 ? 2 : 1;
    const [fast2, rows2] = await pair(BIVARIATE, mismatched);
    const before2 = taken();
    expectSameDensity(fast2, rows2, randomPoint(fast2.dim, rnd), 1e-13);
    expect(taken()).toBe(before2);
  });

  it("rewrites each likelihood of a multi-response model without residual correlation (brms's set_rescor(FALSE))", async () => {
    // both responses' locations are built before either likelihood: each rewrite takes its own statements
    const build = buildFrom(brm("bf(y ~ x + (1 | record_id)) + bf(z ~ x) + set_rescor(FALSE)"));
    const { code } = await compileStan(build.stanCode, "mr.stan", {});
    expect(code).toContain("ss2_use__");
    const [fast, rows] = await pair(build.stanCode, JSON.parse(stanDataToJson(build.standata)) as Record<string, unknown>);
    const rnd = seededUniform(8);
    const before = taken();
    for (let k = 0; k < 3; k++) expectSameDensity(fast, rows, randomPoint(fast.dim, rnd), 1e-11);
    expect(taken() - before).toBe(2 * 2 * 3); // two likelihoods, each in both sweeps
  });

  it("NUTS follows the same trajectory with either code: same seed, same draws to rounding", async () => {
    // Chaotic dynamics amplify any difference in the density or gradient: equal draws over a
    // short run (warmup adaptation included) mean the sampler saw the same target throughout.
    const [fast, rows] = await pair(BIVARIATE, bivariateData(24));
    const options = { chains: 1, warmup: 15, samples: 15, seed: 7 };
    const a = sampleInProcess(fast, options);
    const b = sampleInProcess(rows, options);
    const da = a.draws("lp__");
    const db = b.draws("lp__");
    expect(new Set(Array.from(da)).size).toBeGreaterThan(5); // the chain moves
    for (let i = 0; i < da.length; i++) expect(Math.abs(da[i] - db[i]), `draw ${i}`).toBeLessThan(1e-8 * Math.abs(db[i]));
  });

  it("falls back to the row-by-row code when groups are too small to pay, with the same values", async () => {
    // 7 groups × 4 columns ≥ 20 rows: the statistics would cost more than the rows
    const [fast, rows] = await pair(HIERARCHICAL, hierarchicalData(7, { N: 20, G: 7 }));
    const rnd = seededUniform(3);
    const before = taken();
    for (let k = 0; k < 3; k++) expectSameDensity(fast, rows, randomPoint(fast.dim, rnd), 1e-14);
    expect(taken()).toBe(before);
  });

  it("reports bad data exactly as the row-by-row code does (a NaN response, an index out of range)", async () => {
    const nan = hierarchicalData(8);
    nan.y[3] = NaN;
    const outOfRange = hierarchicalData(8);
    outOfRange.J[5] = 99;
    for (const data of [nan, outOfRange]) {
      const [fast, rows] = await pair(HIERARCHICAL, data);
      const theta = randomPoint(fast.dim, seededUniform(1));
      let expected = "";
      try {
        rows.logDensity(theta);
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).not.toBe("");
      expect(() => fast.logDensity(theta)).toThrow(expected);
    }
  });

  it("rejects a non-positive scale with the density's message", async () => {
    const stan = SIGNED_SCALE;
    const data = { N: 3, y: [1, 2, 3] };
    const { code } = await compileStan(stan, "s.stan", {});
    expect(code).toContain("ss1_use__");
    const [fast, rows] = await pair(stan, data);
    const theta = Float64Array.from([0.1, -1]);
    expect(() => rows.logDensity(theta)).toThrow(/Scale parameter is -1/);
    expect(() => fast.logDensity(theta)).toThrow(/normal_lpdf: Scale parameter is -1, but must be positive!/);
  });
});
