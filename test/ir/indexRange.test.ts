/**
 * Index range checks (issue #3): an out-of-range index stops the evaluation with Stan's
 * std::out_of_range wording (variable, 1-based index, valid range, Stan line) instead of reading
 * `undefined` or dropping a write; provably in-range indices get no check; operands that Stan does
 * not evaluate (`?:`, `&&`, `||`) are not checked; loops that only check data indices are
 * searched once after transformed data, with the same outcome as the per-element checks.
 */
import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { coordinateCheck, loadCompiled } from "../models/gradientCheck";
import { main } from "../../src/driver/cli";
import { compileStan } from "../../src/driver/compile";
import { StanDataError, type StanData } from "../../src/runtime/model";

const OUT_OF_RANGE = "accessing element out of range";

/** The error one log density and one gradient evaluation throw (both must throw the same). */
async function evaluationError(stan: string, data: StanData): Promise<Error | undefined> {
  const model = await loadCompiled(stan, "idx.stan");
  const inst = model.create(data);
  const theta = new Float64Array(inst.dim).fill(0.1);
  let valueError: unknown;
  try {
    inst.logDensity(theta);
  } catch (e) {
    valueError = e;
  }
  let gradError: unknown;
  try {
    inst.logDensityGradient(theta, new Float64Array(inst.dim));
  } catch (e) {
    gradError = e;
  }
  expect(String(gradError)).toBe(String(valueError));
  if (valueError === undefined) return undefined;
  expect(valueError).toBeInstanceOf(StanDataError);
  return valueError as Error;
}

async function generatedCode(stan: string): Promise<string> {
  return (await compileStan(stan, "idx.stan", { name: "idx" })).code;
}

// r[J[n]] in a loop that only accumulates: the checks are hoisted (searched once at data load)
const HOISTED = `data {
  int N;
  int G;
  int use;
  array[N] int<lower=1> J;
  vector[N] y;
}
parameters { vector[G] r; real<lower=0> s; }
model {
  if (use) {
    vector[N] mu = rep_vector(0, N);
    for (n in 1:N)
      mu[n] += r[J[n]];
    y ~ normal(mu, s);
  }
  r ~ std_normal();
}`;

// the same read inside a density in the loop body: checked per element
const PER_ELEMENT = `data {
  int N;
  int G;
  array[N] int J;
  vector[N] y;
}
parameters { vector[G] r; real<lower=0> s; }
model {
  for (n in 1:N)
    target += normal_lpdf(y[n] | r[J[n]], s);
  r ~ std_normal();
}`;

describe("out-of-range reads", () => {
  it("names the variable, the 1-based index, the range and the Stan line (hoisted loop)", async () => {
    const err = await evaluationError(HOISTED, { N: 4, G: 3, use: 1, J: [1, 2, 5, 3], y: [0, 1, 2, 3] });
    expect(err?.message).toBe(
      `r: vector[uni] indexing: ${OUT_OF_RANGE}. index 5 out of range; expecting index to be between 1 and 3 (in 'idx.stan', line 13, column 6)`,
    );
  });

  it("checks a loop of data indices once per evaluation, not once per element", async () => {
    const code = await generatedCode(HOISTED);
    // the search after transformed data, then one comparison before the loop
    expect(code).toMatch(/for \(let n_scan__ = 1; n_scan__ <= N; n_scan__\+\+\) \{\s*if \(!\(J\[n_scan__ - 1\] <= G\)\)/);
    expect(code).toMatch(/if \(!\(index_fails\d+__ === 0 \|\| J\[index_fails_at\d+__ - 1\] <= G\)\)/);
    expect(code).not.toMatch(/J\[n - 1\] <= G|J\[i\d+__\] <= G/);
  });

  it("reports the first failing element, as the per-element checks would", async () => {
    const err = await evaluationError(HOISTED, { N: 4, G: 3, use: 1, J: [1, 7, 9, 3], y: [0, 1, 2, 3] });
    expect(err?.message).toContain("index 7 out of range");
  });

  it("does not fail at data load or when the loop does not run", async () => {
    // Stan never evaluates r[J[n]] when `use` is 0: neither does the compiled model
    expect(await evaluationError(HOISTED, { N: 4, G: 3, use: 0, J: [1, 2, 5, 3], y: [0, 1, 2, 3] })).toBeUndefined();
    expect(await evaluationError(HOISTED, { N: 4, G: 3, use: 1, J: [1, 2, 3, 3], y: [0, 1, 2, 3] })).toBeUndefined();
  });

  it("checks per element inside a density, both bounds when the index data has no lower bound", async () => {
    const data = { N: 3, G: 2, y: [0, 1, 2] };
    const low = await evaluationError(PER_ELEMENT, { ...data, J: [1, 0, 2] });
    expect(low?.message).toBe(
      `r: vector[uni] indexing: ${OUT_OF_RANGE}. index 0 out of range; expecting index to be between 1 and 2 (in 'idx.stan', line 10, column 4)`,
    );
    const high = await evaluationError(PER_ELEMENT, { ...data, J: [1, 2, 3] });
    expect(high?.message).toContain("index 3 out of range; expecting index to be between 1 and 2");
    const code = await generatedCode(PER_ELEMENT);
    expect(code).toMatch(/J\[n - 1\] >= 1 && J\[n - 1\] <= G/);
    expect(code).not.toContain("n_scan__");
    expect(await evaluationError(PER_ELEMENT, { ...data, J: [2, 1, 2] })).toBeUndefined();
  });

  it("prints large indices exactly and names the index position of a multi-dimensional container", async () => {
    const stan = `data { int K; int i; int j; }
parameters { real x; }
model {
  matrix[K, K] m = rep_matrix(x, K, K);
  target += -m[i, j]^2;
}`;
    const err = await evaluationError(stan, { K: 2, i: 1, j: 1234567 });
    expect(err?.message).toBe(
      `m: matrix[uni] indexing: ${OUT_OF_RANGE}. index 1234567 out of range; expecting index to be between 1 and 2; index position = 2 (in 'idx.stan', line 5, column 2)`,
    );
  });
});

describe("out-of-range writes", () => {
  it("stops instead of dropping the write (hoisted loop and per-element)", async () => {
    const hoisted = `data { int N; int G; array[N] int<lower=1> J; }
parameters { vector[N] x; }
model {
  vector[G] total = rep_vector(0, G);
  for (n in 1:N)
    total[J[n]] += x[n];
  target += -dot_self(total);
}`;
    const err = await evaluationError(hoisted, { N: 3, G: 2, J: [1, 3, 2] });
    expect(err?.message).toBe(
      `total: vector[uni] indexing: ${OUT_OF_RANGE}. index 3 out of range; expecting index to be between 1 and 2 (in 'idx.stan', line 6, column 4)`,
    );
    const perElement = `data { int N; array[N] int J; }
parameters { vector[N] x; }
transformed parameters {
  vector[N] t = rep_vector(0, N);
  for (n in 1:N) {
    t[J[n]] = exp(x[n]);
  }
}
model { x ~ std_normal(); }`;
    const werr = await evaluationError(perElement, { N: 2, J: [2, -1] });
    expect(werr?.message).toContain("t: vector[uni] indexing: accessing element out of range. index -1 out of range; expecting index to be between 1 and 2");
    expect(werr?.message).toContain("line 6, column 4");
  });

  it("checks index arithmetic against the loop's range", async () => {
    const stan = `data { int N; vector[N] y; }
parameters { real s; }
model {
  vector[N] lag;
  for (n in 1:N)
    lag[n + 1] = y[n] * s;
  target += -s^2;
}`;
    const err = await evaluationError(stan, { N: 3, y: [1, 2, 3] });
    expect(err?.message).toContain("lag: vector[uni] indexing: accessing element out of range. index 4 out of range; expecting index to be between 1 and 3");
  });
});

describe("an index with a call", () => {
  it("is evaluated once (a temporary, taped in loops) and still differentiated", async () => {
    const programs = [
      `data { int N; vector[N] y; } parameters { vector[N] x; }
model { for (n in 1:N) target += -square(x[choose(n, 1)] - y[n]) * x[n]; x ~ normal(0, 3); }`,
      `data { int N; vector[N] y; } parameters { vector[N] x; }
model { vector[N] m; for (n in 1:N) m[choose(N - n + 1, 1)] = x[n] * x[n]; for (n in 1:N) target += -square(m[n] - y[n]) * x[n]; }`,
    ];
    for (const stan of programs) {
      expect(await generatedCode(stan)).toMatch(/idx\d+__ = choose\(/);
      const inst = (await loadCompiled(stan, "idx.stan")).create({ N: 4, y: [1, 2, 5, 3] });
      for (const x of [0.3, -0.7, 1.1]) expect(coordinateCheck(inst, new Float64Array([x, x * 0.5, -x, 0.2])).worst).toBeLessThan(1e-6);
    }
    const err = await evaluationError(`data { int N; } parameters { vector[N] x; } model { target += x[choose(N + 1, 1)]; }`, { N: 2 });
    expect(err?.message).toContain("x: vector[uni] indexing: accessing element out of range. index 3 out of range; expecting index to be between 1 and 2");
  });
});

describe("slices and multi-indexes", () => {
  const stan = `data { int N; int a; int b; int M; array[M] int idx; vector[N] y; }
parameters { real mu; }
model {
  target += -dot_self(y[a:b] - mu);
  target += -dot_self(y[idx] - mu);
}`;
  const ok = { N: 4, a: 2, b: 3, M: 2, idx: [4, 1], y: [1, 2, 3, 4] };

  it("checks the bounds of a:b", async () => {
    expect(await evaluationError(stan, ok)).toBeUndefined();
    const hi = await evaluationError(stan, { ...ok, b: 5 });
    expect(hi?.message).toBe(
      `y: vector[min_max] indexing: ${OUT_OF_RANGE}. index 5 out of range; expecting index to be between 1 and 4 (in 'idx.stan', line 4, column 2)`,
    );
    const lo = await evaluationError(stan, { ...ok, a: 0 });
    expect(lo?.message).toContain("index 0 out of range");
    // an empty slice (b < a) reads nothing, as in Stan
    expect(await evaluationError(stan, { ...ok, a: 3, b: 2 })).toBeUndefined();
  });

  it("checks every element of a multi-index", async () => {
    const err = await evaluationError(stan, { ...ok, idx: [4, 6] });
    expect(err?.message).toBe(
      `y: vector[multi] indexing: ${OUT_OF_RANGE}. index 6 out of range; expecting index to be between 1 and 4 (in 'idx.stan', line 5, column 2)`,
    );
  });
});

describe("operands Stan does not evaluate are not checked", () => {
  it("?:, && and || check only the evaluated operand", async () => {
    const stan = `data { int N; vector[N] y; }
parameters { real s; }
model {
  for (n in 1:N) {
    target += -s^2 * (n > 1 ? y[n - 1] : 0);
    if (n + 1 <= N && y[n + 1] > 0) target += -s^2;
    if (n == N || y[n + 1] > 0) target += -s^2;
  }
}`;
    expect(await evaluationError(stan, { N: 3, y: [1, 2, 3] })).toBeUndefined();
  });

  it("a while condition is checked before every evaluation", async () => {
    const stan = `data { int N; vector[N] y; }
parameters { real s; }
model {
  int k = 1;
  while (y[k] < 100) {
    k += 1;
  }
  target += -s^2 * k;
}`;
    expect(await evaluationError(stan, { N: 3, y: [1, 200, 3] })).toBeUndefined();
    const err = await evaluationError(stan, { N: 3, y: [1, 2, 3] });
    expect(err?.message).toBe(
      `y: vector[uni] indexing: ${OUT_OF_RANGE}. index 4 out of range; expecting index to be between 1 and 3 (in 'idx.stan', line 5, column 2)`,
    );
  });

  it("a while loop with an indexed condition and a parameter-dependent body is still differentiated", async () => {
    const programs = [
      `data { int N; vector[N] y; } parameters { real mu; }
model { int k = 1; real s = 0; while (y[k] < 3) { s += exp(mu * y[k]); k += 1; } target += -s - mu^2; }`,
      // \`if (c) continue;\` is restructured, so the condition's checks at the end of the body run on both paths
      `data { int N; vector[N] y; } parameters { real mu; }
model { int k = 0; real s = 0; while (k < 5 && y[k + 1] < 3) { k += 1; if (k == 1) continue; s += exp(mu * y[k]); } target += -s - mu^2; }`,
    ];
    for (const stan of programs) {
      const inst = (await loadCompiled(stan, "idx.stan")).create({ N: 3, y: [1, 2, 5] });
      for (const x of [0.3, -0.7, 1.1]) expect(coordinateCheck(inst, new Float64Array([x])).worst).toBeLessThan(1e-6);
    }
    // the same loops run past the end when no element stops them
    for (const stan of programs) {
      const err = await evaluationError(stan, { N: 3, y: [1, 2, 2] });
      expect(err?.message).toContain("index 4 out of range; expecting index to be between 1 and 3 (in 'idx.stan', line 2, column");
    }
  });
});

describe("provably in-range indices", () => {
  it("a loop over the container's declared size generates no check", async () => {
    const code = await generatedCode(`data { int N; int K; vector[N] y; matrix[N, K] X; array[N] int<lower=0> c; }
parameters { real mu; vector[K] b; }
model {
  vector[N] eta;
  for (n in 1:N) {
    eta[n] = mu + c[n];
    for (k in 1:K) eta[n] += X[n, k] * b[k];
  }
  for (n in 2:N) target += -square(y[n] - eta[n]);
  for (n in 1:N) target += -square(y[n]);
}`);
    expect(code).not.toContain(OUT_OF_RANGE);
  });

  it("a loop with other bounds is checked", async () => {
    const code = await generatedCode(`data { int N; int M; vector[N] y; }
parameters { real mu; }
model {
  for (n in 1:M) target += -square(y[n] - mu);
}`);
    expect(code).toContain(OUT_OF_RANGE);
  });
});

describe("stan2ts sample", () => {
  it("stops with the message and exit code 1, no stack trace (fatal, not a rejected proposal)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stan2ts-index-"));
    const err: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      writeFileSync(join(dir, "oob.stan"), HOISTED);
      writeFileSync(join(dir, "oob.json"), JSON.stringify({ N: 4, G: 3, use: 1, J: [1, 2, 5, 3], y: [0, 1, 2, 3] }));
      const status = await main(["sample", join(dir, "oob.stan"), "--data", join(dir, "oob.json"), "--chains", "1", "--quiet", "--seed", "1"]);
      expect(status).toBe(1);
      const text = err.join("\n");
      expect(text).toMatch(/^Error: Chain 1: r: vector\[uni\] indexing: accessing element out of range\. index 5 out of range; expecting index to be between 1 and 3 \(in 'oob\.stan', line 13, column 6\)$/);
    } finally {
      error.mockRestore();
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
