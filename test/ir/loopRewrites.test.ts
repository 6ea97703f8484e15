/**
 * The per-loop rewrites of the IR: a loop-invariant divisor becomes one reciprocal before the
 * loop, and `log` of a value the iteration just exponentiated reads the exponent. Both keep the
 * gradient exact and Stan's behaviour at the edges (an overflowing exp still fails the checks).
 */
import { describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

const STAN = `data { int N; vector[N] x; vector[N] y; }
parameters { real a; real b; real<lower=0> tau; real c; }
model {
  vector[N] mu = a + x / tau;
  vector[N] s = rep_vector(c, N);
  s += 0.1 * x;
  s = exp(s);
  target += normal_lpdf(y | mu, s);
  target += normal_lpdf(y | b, tau);
  a ~ normal(0, 1);
  tau ~ exponential(1);
}`;
const DATA = { N: 5, x: [0.5, -1, 2, 0.3, 1.1], y: [0.2, 0.1, -0.4, 1.3, 0.8] };

describe("loop rewrites", () => {
  it("divides once per loop by a loop-invariant scale and reuses the exponent for log(exp(·))", async () => {
    const compiled = await compileStan(STAN, "rewrites.stan", {});
    const code = compiled.code.replace(/^const STAN_CODE__ =.*$/m, "");
    expect(code).toMatch(/inv_tau\d+__ = 1\.0 \/ tau;/);
    expect(code).not.toMatch(/\[i\d+__\] \/ tau/);
    expect(code).toMatch(/x\[i\d+__\] \* inv_tau\d+__/);
    expect(code).toMatch(/log_s\d+__ = s_e__;/);
    expect(code).toMatch(/s_e__ < INF__ \? log_s\d+__ : log\(s_e__\)/);
  });

  it("keeps the gradient exact (finite differences at random points)", async () => {
    const inst = (await loadCompiled(STAN, "rewrites.stan")).create(DATA);
    const u = seededUniform(11);
    for (let k = 0; k < 6; k++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });

  it("an exp that overflows still makes the density -inf, as in Stan (log(inf), not the exponent)", async () => {
    const inst = (await loadCompiled(STAN, "rewrites.stan")).create(DATA);
    const theta = new Float64Array(inst.dim);
    theta[3] = 800; // c: exp(800 + 0.1 x) = inf
    expect(inst.logDensity(theta)).toBe(-Infinity);
    theta[3] = 700; // finite: the exponent stands in for log(exp(·))
    expect(Number.isFinite(inst.logDensity(theta))).toBe(true);
  });
});

describe("data-only calls in the density code", () => {
  const HALF_T = `parameters { real<lower=0> s; }
model { target += student_t_lpdf(s | 3, 0, 2.5) - student_t_lccdf(0 | 3, 0, 2.5); }`;

  it("are computed once at data load, labelled with their Stan line", async () => {
    const compiled = await compileStan(HALF_T, "half_t.stan", {});
    const code = compiled.code.replace(/^const STAN_CODE__ =.*$/m, "");
    const create = code.slice(code.indexOf("function create("), code.indexOf("function logDensity("));
    expect(create).toMatch(/\/\/ half_t\.stan:2 {2}target \+= student_t_lpdf/);
    expect(create).toMatch(/const hoisted\d+__ = student_t_lccdf\(0, 3, 0, 2\.5\);/);
    const density = code.slice(code.indexOf("function logDensity("));
    expect(density).not.toMatch(/student_t_lccdf\(0, 3/); // (comments quote the Stan line)
  });

  it("give the same log density (a half-t(3, 0, 2.5) at s = 1.3 on the unconstrained scale)", async () => {
    const inst = (await loadCompiled(HALF_T, "half_t.stan")).create({});
    const s = 1.3;
    // log of 2 · t3 density at s/2.5 / 2.5, plus the log-Jacobian log(s)
    const t3 = (x: number) => (2 / (Math.PI * Math.sqrt(3))) / Math.pow(1 + (x * x) / 3, 2);
    const expected = Math.log(2 * t3(s / 2.5) / 2.5) + Math.log(s);
    expect(inst.logDensity(new Float64Array([Math.log(s)]))).toBeCloseTo(expected, 12);
  });
});

describe("matrix × vector, column by column", () => {
  const GLM = `data { int N; int K; matrix[N, K] X; vector[N] y; }
parameters { vector[K] b; real a; }
model { target += normal_lpdf(y | a + X * b, 1); }`;
  const direct = (X: number[][], y: number[], b: number[], a: number) =>
    y.reduce((s, yi, n) => {
      const mu = a + b.reduce((t, bk, k) => t + X[n][k] * bk, 0);
      return s - 0.5 * Math.log(2 * Math.PI) - 0.5 * (yi - mu) ** 2;
    }, 0);

  it("gives the log density and gradient with several columns and with none", async () => {
    const model = await loadCompiled(GLM, "glm.stan");
    const X = [[0.5, 1.2, -1], [1.5, -0.3, 0.2], [-2, 0.7, 0.4], [0.1, 0.9, 1.1]];
    const y = [0.3, -1.1, 2.0, 0.4];
    const three = model.create({ N: 4, K: 3, X, y });
    expect(three.logDensity(new Float64Array([0.2, -0.4, 0.7, 0.1]))).toBeCloseTo(direct(X, y, [0.2, -0.4, 0.7], 0.1), 12);
    const u = seededUniform(5);
    for (let k = 0; k < 4; k++) {
      const r = coordinateCheck(three, randomPoint(three.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
    const none = model.create({ N: 4, K: 0, X: X.map(() => []), y });
    expect(none.logDensity(new Float64Array([0.1]))).toBeCloseTo(direct(X.map(() => []), y, [], 0.1), 12);
    const r = coordinateCheck(none, new Float64Array([0.3]));
    expect(r.worst, r.where).toBeLessThan(1e-6);
  });
});
