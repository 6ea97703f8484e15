/**
 * Arrays whose elements live in per-iteration registers (the linear predictor of a fused
 * likelihood loop): the generated code never stores them, the gradient stays right, and when the
 * density is not finite the argument checks recompute the offending element and name it.
 */
import { describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";

const STAN = `data { int N; int G; array[N] int<lower=1> g; vector[N] x; vector[N] y; }
transformed data { int Gm = G - 1; }
parameters { real a; vector[G] r; real<lower=0> s; }
model {
  vector[N] mu = rep_vector(0.0, N);
  vector[N] sd_n = rep_vector(0.0, N);
  mu += a;
  sd_n += log(s);
  for (n in 1:N) mu[n] += r[g[n]] * x[n];
  sd_n = exp(sd_n);
  target += normal_lpdf(y | mu, sd_n);
  r ~ std_normal();
  a ~ normal(0, Gm + 1);
}`;

const DATA = { N: 6, G: 2, g: [1, 1, 2, 2, 1, 2], x: [0.5, -1, 2, 0.3, 1.1, -0.7], y: [0.2, 0.1, -0.4, 1.3, 0.8, -0.2] };

describe("values promoted to per-iteration scalars", () => {
  it("keeps mu and sd_n in registers, and binds a once-assigned transformed-data int as a const", async () => {
    const { code } = await compileStan(STAN, "promoted.stan", {});
    expect(code).toMatch(/let mu_e__ = NaN;/);
    expect(code).toMatch(/let sd_n_e__ = NaN;/);
    expect(code).not.toMatch(/\bmu\[i\d+__\] [+]?=/);
    expect(code).toMatch(/const Gm = G - 1;/);
  });

  it("gradient agrees with finite differences", async () => {
    const model = await loadCompiled(STAN, "promoted.stan");
    const inst = model.create(DATA);
    const u = seededUniform(7);
    for (let k = 0; k < 5; k++) {
      const r = coordinateCheck(inst, randomPoint(inst.dim, u));
      expect(r.worst, r.where).toBeLessThan(1e-6);
    }
  });

  it("names the element whose recomputed location is not finite", async () => {
    const model = await loadCompiled(STAN, "promoted.stan");
    const inst = model.create({ ...DATA, x: [0.5, -1, 1e308, 0.3, 1.1, -0.7] });
    const theta = new Float64Array(inst.dim).fill(0);
    theta[2] = 5; // r[2] = 5: mu[3] = 5e308 overflows
    expect(() => inst.logDensity(theta)).toThrow(/normal_lpdf: Location parameter\[3\] is inf, but must be finite!/);
    expect(() => inst.logDensityGradient(theta, new Float64Array(inst.dim))).toThrow(/Location parameter\[3\] is inf/);
  });
});

describe("buffer sizes", () => {
  it("a container sized by an expression gets the right length (matrix[N - 1, K] is (N − 1)·K)", async () => {
    const stan = `data { int N; int K; matrix[N, K] x; }
transformed data { matrix[N - 1, K] d; for (i in 1:(N - 1)) for (k in 1:K) d[i, k] = x[i + 1, k] - x[i, k]; }
parameters { real mu; }
model { target += -0.5 * sum(square(to_vector(d) - mu)); }`;
    const model = await loadCompiled(stan, "sizes.stan");
    const inst = model.create({ N: 4, K: 2, x: [[1, 2], [2, 4], [4, 7], [7, 11]] });
    // d = [[1, 2], [2, 3], [3, 4]]: Σ (d − 0)² / 2 = (1 + 4 + 9 + 4 + 9 + 16) / 2 = 21.5
    expect(inst.logDensity(new Float64Array([0]))).toBeCloseTo(-21.5, 12);
  });
});
