/**
 * Containers whose size is known only at run time: a slice `x[a:b]` whose bounds change from row
 * to row passed to a function (and to a kernel that reads its length), a function local
 * `vector[n] v` with `n` an argument, a loop-body local sized by the loop variable. Their buffers
 * are allocated once, as long as a bound computed at data load; values and gradients must be
 * Stan's, and so must the errors (a size mismatch in an assignment, a negative size).
 *
 * The error messages are rstan 2.21's (Stan 2.21): `Rscript test/fixtures/runtime-sizes/messages.R`
 * compiles programs assigning x[1:n] to y[1:b] (vector, row_vector, real[]), and x to a
 * vector[n], row_vector[n], real[n] local, samples each with algorithm = "Fixed_param" and prints
 * tryCatch(log_prob(fit, c(0.1, 0.2, 0.3, 0.4)), error = conditionMessage) at b = 2, n = 3; its
 * header records what it printed.
 */
import { describe, expect, it } from "vitest";
import { compileStan } from "../../src/driver/compile";
import { coordinateCheck, loadCompiled } from "../models/gradientCheck";
import { BOX_BYTES, SLACK, bytesPerCall } from "../runtime/math/allocationProbe";

const logSumExp = (xs: readonly number[]) => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};

/** Rows with their own slices of theta (two of length 3, one of 1, one of 2; one empty). */
const slices = `functions {
  real slice_score(vector v) {
    int m = num_elements(v);
    return log_sum_exp(v) - m;
  }
  real head_of(vector v, int y) {
    return categorical_logit_lpmf(y | v);
  }
}
data {
  int N;
  int K;
  array[N, 2] int<lower=1> J;
}
parameters {
  vector[K] theta;
}
model {
  for (n in 1:N) {
    if (J[n, 2] >= J[n, 1]) {
      target += slice_score(theta[J[n, 1]:J[n, 2]]);
      target += head_of(theta[J[n, 1]:J[n, 2]], 1);
    }
  }
  theta ~ normal(0, 1);
}
`;
const sliceData = { N: 5, K: 5, J: [[1, 3], [3, 5], [2, 2], [4, 5], [3, 2]] };

function slicesExpected(theta: readonly number[]): number {
  let lp = 0;
  for (const [a, b] of sliceData.J) {
    if (b < a) continue;
    const v = theta.slice(a - 1, b);
    lp += logSumExp(v) - v.length;
    lp += v[0] - logSumExp(v);
  }
  return lp + theta.reduce((s, x) => s - 0.5 * x * x, 0);
}

/** A function local sized by an argument; a loop-body local sized by the loop variable, in a nest. */
const locals = `functions {
  real head_sum(vector x, int n) {
    vector[n] v;
    for (i in 1:n) v[i] = exp(x[i]);
    return sum(v);
  }
}
data {
  int K;
}
parameters {
  vector[K] theta;
}
model {
  for (n in 1:K) target += -0.1 * head_sum(theta, n);
  for (k in 1:K) {
    vector[k] w = theta[1:k];
    target += -0.5 * dot_self(w) / k;
    for (j in 1:k) {
      row_vector[j] u = w[1:j]';
      target += 0.01 * sum(u) * j;
    }
  }
}
`;

function localsExpected(theta: readonly number[]): number {
  const K = theta.length;
  let lp = 0;
  for (let n = 1; n <= K; n++) lp += -0.1 * theta.slice(0, n).reduce((s, x) => s + Math.exp(x), 0);
  for (let k = 1; k <= K; k++) {
    lp += (-0.5 * theta.slice(0, k).reduce((s, x) => s + x * x, 0)) / k;
    for (let j = 1; j <= k; j++) lp += 0.01 * theta.slice(0, j).reduce((s, x) => s + x, 0) * j;
  }
  return lp;
}

describe("containers sized at run time", () => {
  it("a function takes each row's slice (a kernel reads its length): value and gradient", async () => {
    const model = await loadCompiled(slices, "slices.stan");
    const instance = model.create(sliceData);
    const theta = [0.3, -1.2, 0.8, 2.1, -0.4];
    expect(instance.logDensity(Float64Array.from(theta))).toBeCloseTo(slicesExpected(theta), 12);
    expect(coordinateCheck(instance, Float64Array.from(theta)).worst).toBeLessThan(1e-7);
  });

  it("a function local sized by an argument and loop locals sized by loop variables: value and gradient", async () => {
    const model = await loadCompiled(locals, "locals.stan");
    const instance = model.create({ K: 4 });
    const theta = [0.5, -0.7, 1.1, 0.2];
    expect(instance.logDensity(Float64Array.from(theta))).toBeCloseTo(localsExpected(theta), 12);
    expect(coordinateCheck(instance, Float64Array.from(theta)).worst).toBeLessThan(1e-7);
  });

  it("a loop local sized by a loop variable whose range is a run-time slice's size: value and gradient", async () => {
    const program = `functions {
  real prefix_sums(vector v) {
    real s = 0;
    for (i in 1:num_elements(v)) {
      vector[i] w = v[1:i];
      s += sum(w);
    }
    return s;
  }
}
data { int N; int K; array[N, 2] int J; }
parameters { vector[K] theta; }
model {
  for (n in 1:N) target += prefix_sums(theta[J[n, 1]:J[n, 2]]);
  theta ~ normal(0, 1);
}
`;
    const model = await loadCompiled(program, "prefixes.stan");
    const instance = model.create({ N: 2, K: 4, J: [[1, 3], [2, 4]] });
    const theta = [0.3, -0.6, 1.2, 0.4];
    // rows 1:3 and 2:4: Σ_i Σ_{k ≤ i} v_k = 3 v_1 + 2 v_2 + v_3 each
    const expected = 3 * theta[0] + 2 * theta[1] + theta[2] + 3 * theta[1] + 2 * theta[2] + theta[3] - 0.5 * theta.reduce((s, x) => s + x * x, 0);
    expect(instance.logDensity(Float64Array.from(theta))).toBeCloseTo(expected, 12);
    expect(coordinateCheck(instance, Float64Array.from(theta)).worst).toBeLessThan(1e-7);
  });

  it("a loop local sized by an int formed from data at the loop's row: value and gradient", async () => {
    const program = `data { int N; int K; array[N, 2] int<lower=1> J; }
parameters { vector[K] theta; }
model {
  for (n in 1:N) {
    int len = J[n, 2] - J[n, 1] + 1;
    vector[len] v = theta[J[n, 1]:J[n, 2]];
    target += log_sum_exp(v) / len;
  }
}
`;
    const model = await loadCompiled(program, "row_length.stan");
    // the first four rows of sliceData (lengths 3, 3, 1, 2)
    const rows = sliceData.J.slice(0, 4);
    const instance = model.create({ N: rows.length, K: 5, J: rows });
    const theta = [0.3, -1.2, 0.8, 2.1, -0.4];
    const expected = rows.reduce((lp, [a, b]) => lp + logSumExp(theta.slice(a - 1, b)) / (b - a + 1), 0);
    expect(instance.logDensity(Float64Array.from(theta))).toBeCloseTo(expected, 12);
    expect(coordinateCheck(instance, Float64Array.from(theta)).worst).toBeLessThan(1e-7);
  });

  it("a slice whose bound the model computes is bounded by its parent's size: value and gradient", async () => {
    const program = `data { int K; }
parameters { vector[K] x; }
model {
  int m = 0;
  while (m < K - 1) m += 1;
  target += log_sum_exp(x[2:m]) + categorical_logit_lpmf(1 | x[1:m]);
  x ~ normal(0, 1);
}
`;
    const model = await loadCompiled(program, "computed_bound.stan");
    const module = (await compileStan(program, "computed_bound.stan", {})).code;
    // no scan: the buffers are as long as x
    expect(module).not.toMatch(/capacity\d+__/);
    const instance = model.create({ K: 4 });
    const x = [0.4, -0.3, 1.1, 0.7];
    const expected = logSumExp(x.slice(1, 3)) + x[0] - logSumExp(x.slice(0, 3)) - 0.5 * x.reduce((s, v) => s + v * v, 0);
    expect(instance.logDensity(Float64Array.from(x))).toBeCloseTo(expected, 12);
    expect(coordinateCheck(instance, Float64Array.from(x)).worst).toBeLessThan(1e-7);
  });

  it("allocates each buffer once, as long as the largest size the data give", async () => {
    const model = await loadCompiled(slices, "slices.stan");
    const module = (await compileStan(slices, "slices.stan", {})).code;
    // one bound per run-time size, found by a scan over the loop's range at data load
    expect(module).toMatch(/capacity\d+__ = 0;/);
    expect(module).toMatch(/new Float64Array\(capacity\d+__\)/);
    // the kernel sees a view as long as the row's slice
    expect(module).toMatch(/categorical_logit_lpmf\(1, lengthView__\(/);
    const instance = model.create({ ...sliceData, J: [[1, 5], [2, 3]], N: 2 });
    const theta = [0.1, 0.2, 0.3, 0.4, 0.5];
    const expected = (() => {
      let lp = 0;
      for (const [a, b] of [[1, 5], [2, 3]]) {
        const v = theta.slice(a - 1, b);
        lp += logSumExp(v) - v.length + v[0] - logSumExp(v);
      }
      return lp + theta.reduce((s, x) => s - 0.5 * x * x, 0);
    })();
    expect(instance.logDensity(Float64Array.from(theta))).toBeCloseTo(expected, 12);
  });

  it("evaluations allocate no views once every length was met (only the kernels' boxed results)", async () => {
    const program = `data { int N; int K; array[N, 2] int<lower=1> J; }
parameters { vector[K] theta; }
model {
  for (n in 1:N) target += categorical_logit_lpmf(1 | theta[J[n, 1]:J[n, 2]]) + log_sum_exp(theta[J[n, 1]:J[n, 2]]);
  theta ~ normal(0, 1);
}
`;
    const model = await loadCompiled(program, "views.stan");
    const rows = [[1, 3], [2, 5], [4, 4], [1, 5]];
    const instance = model.create({ N: rows.length, K: 5, J: rows });
    const theta = Float64Array.of(0.1, 0.2, -0.3, 0.4, 0.5);
    const gradient = new Float64Array(5);
    const lp = new Float64Array(1);
    expect(instance.logDensityGradientInto).toBeDefined();
    // A call V8 does not inline returns a boxed double (16 bytes, allocationProbe.ts): the kernel's
    // result and, depending on V8's inlining, a few elementary calls' — 3 to 6 boxes measured over
    // the 4 rows. Allowing 4 per row still fails a subarray made per call (1200 bytes measured).
    const budget = 4 * BOX_BYTES * rows.length;
    const gradientInto = instance.logDensityGradientInto!.bind(instance);
    const perGradient = bytesPerCall((calls) => {
      for (let k = 0; k < calls; k++) gradientInto(theta, gradient, lp);
    }, budget, 500);
    const perLogDensity = bytesPerCall((calls) => {
      for (let k = 0; k < calls; k++) instance.logDensity(theta);
    }, budget, 500);
    expect(perGradient).toBeLessThanOrEqual(budget + SLACK);
    expect(perLogDensity).toBeLessThanOrEqual(budget + SLACK);
  });

  it("a size mismatch in an assignment is Stan's error, naming the line", async () => {
    // (b and n reach the sizes through loop variables, so the sizes are known only at run time)
    const program = `data { int a; int b; int n; }
parameters { vector[4] x; }
model {
  vector[4] y = x;
  for (bb in b:b) for (nn in n:n) if (a == 1) y[1:bb] = x[1:nn];
  for (nn in n:n) if (a == 2) {
    vector[nn] w;
    w = x;
    target += sum(w);
  }
  for (nn in n:n) {
    if (a == 3) { row_vector[4] r = x'; r[1:2] = x[1:nn]'; }
    if (a == 4) { array[4] real z = to_array_1d(x); z[1:2] = to_array_1d(x[1:nn]); }
    if (a == 5) { array[nn] real z; z = to_array_1d(x); }
    if (a == 6) { row_vector[nn] r; r = x'; }
  }
  x ~ normal(0, 1);
}
`;
    const model = await loadCompiled(program, "mismatch.stan");
    const theta = Float64Array.of(0.1, 0.2, 0.3, 0.4);
    expect(() => model.create({ a: 1, b: 2, n: 3 }).logDensity(theta)).toThrow(
      "vector[multi] assign sizes: lhs (2) and assigning variable y (3) must match in size (in 'mismatch.stan', line 5",
    );
    expect(() => model.create({ a: 2, b: 2, n: 3 }).logDensity(theta)).toThrow(
      "assign: Rows of left-hand-side (3) and rows of right-hand-side (4) must match in size (in 'mismatch.stan', line 8",
    );
    expect(() => model.create({ a: 3, b: 2, n: 3 }).logDensity(theta)).toThrow("row_vector[multi] assign sizes: lhs (2) and assigning variable r (3) must match in size");
    expect(() => model.create({ a: 4, b: 2, n: 3 }).logDensity(theta)).toThrow("vector[multi,...] assign sizes: lhs (2) and assigning variable z (3) must match in size");
    expect(() => model.create({ a: 5, b: 2, n: 3 }).logDensity(theta)).toThrow("assign: size of left-hand side (3) and size of right-hand side (4) must match in size");
    expect(() => model.create({ a: 6, b: 2, n: 3 }).logDensity(theta)).toThrow("assign: Columns of left-hand-side (3) and columns of right-hand-side (4) must match in size");
    // matching sizes run
    expect(Number.isFinite(model.create({ a: 1, b: 3, n: 3 }).logDensity(theta))).toBe(true);
    expect(Number.isFinite(model.create({ a: 2, b: 2, n: 4 }).logDensity(theta))).toBe(true);
  });

  it("a negative size is Stan's declaration error", async () => {
    const program = `data { int K; }
parameters { real x; }
model {
  for (k in 1:K) {
    vector[k - 2] v = rep_vector(x, k - 2);
    target += sum(v);
  }
  x ~ normal(0, 1);
}
`;
    const model = await loadCompiled(program, "negative.stan");
    expect(() => model.create({ K: 3 }).logDensity(Float64Array.of(0.5))).toThrow(
      "Found negative dimension size in variable declaration; variable=v; dimension size expression=k - 2; expression value=-1",
    );
  });

  it("a size read from a value computed in the model is refused, naming it", async () => {
    const program = `data { int K; }
parameters { vector[K] x; }
model {
  int m = 1;
  for (k in 1:K) {
    m = m + 1;
    vector[m] v = rep_vector(1, m);
    target += sum(v) * x[k];
  }
}
`;
    await expect(loadCompiled(program, "computed.stan")).rejects.toThrow(/container sizes known at data load; this size depends on 'm'/);
  });
});
