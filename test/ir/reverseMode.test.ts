/**
 * Reverse mode on the constructs the lecture models do not exercise: locals overwritten in loops
 * (tape), parameter-dependent branches and while loops, user functions with locals, non-injective
 * scatter updates, slices and multi-indexing, compound assignment, and loop fusion legality.
 */
import { describe, expect, it } from "vitest";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";
import { lowerStan } from "../../src/driver/compile";
import type { LStmt } from "../../src/ir/ir";

const PROGRAMS: Record<string, { stan: string; data: Record<string, unknown> }> = {
  "locals overwritten in a loop": {
    stan: `data { int N; }
parameters { vector[N] x; real<lower=0> s; }
model {
  real acc = 0;
  for (i in 1:N) {
    acc = acc * s + x[i]^2;
  }
  target += -acc;
  x ~ std_normal();
}`,
    data: { N: 4 },
  },
  "parameter-dependent branches": {
    stan: `parameters { real mu; real nu; }
model {
  if (mu > 0) target += -mu^2; else target += -2 * mu^2 + nu;
  target += nu > mu ? -square(nu - mu) : -(nu - mu)^4;
  nu ~ normal(0, 3);
}`,
    data: {},
  },
  "while loop with parameter-dependent body": {
    stan: `parameters { real mu; }
model {
  real s = 0;
  int k = 0;
  while (k < 3) {
    k += 1;
    s += exp(mu * k * 0.1);
  }
  target += -s;
}`,
    data: {},
  },
  "user function with locals": {
    stan: `functions {
  real f(real a, vector b) {
    real t = a * 2;
    vector[rows(b)] c = b * t;
    return t * sum(c) + log_sum_exp(c);
  }
}
data { int K; }
parameters { real a; vector[K] b; }
model {
  target += -0.1 * f(a, b);
  target += -dot_self(b) - a^2;
}`,
    data: { K: 3 },
  },
  "scatter updates through an index array": {
    stan: `data { int N; array[N] int<lower=1, upper=2> J; }
parameters { vector[N] x; }
model {
  vector[2] v = rep_vector(1, 2);
  for (n in 1:N) v[J[n]] = v[J[n]] * x[n] + 1;
  target += -dot_self(v) * 0.1 - dot_self(x);
}`,
    data: { N: 5, J: [1, 2, 1, 1, 2] },
  },
  "slices, multi-indexing and compound assignment": {
    stan: `data { int N; matrix[N, 2] X; vector[N] y; array[3] int idx; }
parameters { vector[2] beta; real<lower=0> sigma; matrix[2, 2] M; }
model {
  vector[3] mu = X[idx] * beta;
  vector[N] m2 = X[, 1] * beta[1] + col(X, 2) * beta[2];
  row_vector[2] r = M[1];
  real q = 2;
  q *= beta[1];
  q /= sigma;
  q += M[2, 1];
  q -= M[1:2, 2][1];
  y[idx] ~ normal(mu, sigma);
  y ~ normal(m2, sigma);
  target += -q^2 - dot_self(r) - dot_self(to_vector(M)) - dot_self(beta);
}`,
    data: {
      N: 4,
      X: [
        [1, 0.5],
        [1, -0.2],
        [1, 1.3],
        [1, 0.1],
      ],
      y: [0.3, -0.1, 1.2, 0.4],
      idx: [4, 1, 3],
    },
  },
  "loops that must not fuse (shifted index)": {
    stan: `data { int N; }
parameters { vector[N] x; }
model {
  vector[N] v;
  vector[N] w;
  for (i in 1:N) v[i] = exp(x[i] * 0.3);
  for (i in 1:(N - 1)) w[i] = v[i + 1] * x[i];
  w[N] = 0;
  target += -dot_self(w) - dot_self(x);
}`,
    data: { N: 4 },
  },
};

describe("reverse mode on harder constructs", () => {
  for (const [name, p] of Object.entries(PROGRAMS)) {
    it(`${name}: gradient vs finite differences at 10 random points`, async () => {
      const model = await loadCompiled(p.stan, `${name.replace(/\W+/g, "_")}.stan`);
      const inst = model.create(p.data);
      const rnd = seededUniform(name.length * 131);
      for (let k = 0; k < 10; k++) {
        const theta = randomPoint(inst.dim, rnd, 1);
        const g = new Float64Array(inst.dim);
        const lp = inst.logDensityGradient(theta, g);
        expect(inst.logDensity(theta)).toBe(lp);
        const r = coordinateCheck(inst, theta);
        expect(r.worst, `${name} point ${k}: ${r.where}`).toBeLessThan(1e-6);
      }
    });
  }

  it("fuses same-length loops and keeps loops with shifted indexes apart", () => {
    const count = (stmts: readonly LStmt[]): number =>
      stmts.reduce((n, s) => n + (s.k === "for" ? 1 : 0) + (s.k === "if" ? count(s.then) + count(s.otherwise) : 0), 0);
    const fused = lowerStan(
      "data { int N; } parameters { vector[N] x; } model { vector[N] m = rep_vector(0, N); m += 1; for (n in 1:N) m[n] += x[n]; target += -dot_self(m); }",
      "f.stan",
    );
    expect(count(fused.model)).toBe(1);
    const apart = lowerStan(PROGRAMS["loops that must not fuse (shifted index)"].stan, "g.stan");
    expect(count(apart.model)).toBeGreaterThan(1);
  });
});
