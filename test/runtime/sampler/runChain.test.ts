import { describe, expect, it } from "vitest";
import { readCmdStanCsv } from "../../../src/runtime/io/readCmdStanCsv";
import { StanDomainError } from "../../../src/runtime/model";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { initialize, InitializationError } from "../../../src/runtime/sampler/initialize";
import { sampleInProcess } from "../../../src/runtime/sampler/sampleInProcess";
import { resolveOptions } from "../../../src/runtime/sampler/sampleOptions";
import { nestColumnMajor } from "../../../src/runtime/sampler/stanDataShape";
import { eightSchoolsNonCentred, gammaPositive, iidNormal } from "../models/targets";
import { param, testModel } from "../models/testModel";

describe("chain loop", () => {
  it("thins each phase from its first iteration and saves warmup rows on request", () => {
    const fit = sampleInProcess(iidNormal(2), { chains: 1, warmup: 20, samples: 25, thin: 3, saveWarmup: true, seed: 1 });
    expect(fit.chains[0].warmupRows.length).toBe(7); // iterations 0, 3, …, 18
    expect(fit.chains[0].rows.length).toBe(9); // iterations 0, 3, …, 24
  });

  it("streams a CmdStan CSV per chain: warmup rows, adaptation block, sampling rows, timing", () => {
    const texts = new Map<number, string>();
    let closed = 0;
    const fit = sampleInProcess(iidNormal(2), {
      chains: 2,
      warmup: 30,
      samples: 20,
      thin: 2,
      saveWarmup: true,
      seed: 8,
      metric: "dense",
      csv: {
        open: (chain) => ({
          write: (text) => texts.set(chain, (texts.get(chain) ?? "") + text),
          close: () => closed++,
        }),
      },
    });
    expect(closed).toBe(2);
    const csv = readCmdStanCsv(texts.get(2)!);
    expect(csv.columnNames).toEqual(fit.columnNames);
    expect(csv.warmupRowCount).toBe(15);
    expect(csv.rows.length).toBe(25);
    expect(csv.config.thin).toBe("2");
    expect(csv.config.metric).toBe("dense_e");
    expect(csv.metricKind).toBe("dense");
    expect(csv.stepSize).toBeCloseTo(fit.chains[1].stepSize, 5);
    expect(csv.metric!.length).toBe(4);
    expect(csv.rows[15][7]).toBeCloseTo(fit.chains[1].rows[0][7], 5);
    expect(csv.timing).toBeDefined();
  });

  it("without adaptation keeps the user step size and the identity metric", () => {
    const fit = sampleInProcess(iidNormal(3), { chains: 1, warmup: 50, samples: 20, seed: 2, adaptEngaged: false, stepSize: 0.7 });
    expect(new Set(fit.draws("stepsize__"))).toEqual(new Set([0.7]));
    expect(Array.from(fit.chains[0].inverseMetric)).toEqual([1, 1, 1]);
  });

  it("short warmup: one 15/75/10 window by default, none in Stan compatibility mode", () => {
    const model = gammaPositive(3, 2);
    const intended = sampleInProcess(model, { chains: 1, warmup: 100, samples: 10, seed: 3 });
    const stan = sampleInProcess(model, { chains: 1, warmup: 100, samples: 10, seed: 3, adaptCompat: "stan" });
    expect(intended.chains[0].inverseMetric[0]).not.toBe(1);
    expect(stan.chains[0].inverseMetric[0]).toBe(1);
    expect(intended.chains[0].messages.join("\n")).toMatch(/15%\/75%\/10%/);
    const tiny = sampleInProcess(model, { chains: 1, warmup: 10, samples: 10, seed: 3 });
    expect(tiny.chains[0].inverseMetric[0]).toBe(1);
    expect(tiny.chains[0].stepSize).not.toBe(1);
    expect(tiny.chains[0].messages).toContain("No variance estimation is performed for num_warmup < 20");
  });

  it("term_buffer = 0: Stan's final step size of exactly 1 in stan mode, the heuristic's step size otherwise", () => {
    const model = iidNormal(50);
    const options = { chains: 1, warmup: 200, samples: 5, seed: 6, termBuffer: 0 };
    const stan = sampleInProcess(model, { ...options, adaptCompat: "stan" });
    const intended = sampleInProcess(model, options);
    expect(stan.chains[0].stepSize).toBe(1);
    expect(intended.chains[0].stepSize).not.toBe(1);
    expect(intended.chains[0].stepSize).toBeGreaterThan(0.05);
  });

  it("runs a zero-dimensional model as NUTS does in Stan 2.36 (trivial transitions, generated quantities drawn)", () => {
    const model = testModel({
      name: "gq_only",
      dim: 0,
      variables: [{ name: "y", block: "generated quantities", dims: [], isInteger: false }],
      logDensityGradient: () => 0,
      writeConstrained: (_theta, rng, out) => {
        out[0] = rng.normal();
      },
    });
    const fit = sampleInProcess(model, { chains: 1, warmup: 10, samples: 50, seed: 4 });
    expect(new Set(fit.draws("treedepth__"))).toEqual(new Set([1]));
    expect(new Set(fit.draws("n_leapfrog__"))).toEqual(new Set([1]));
    expect(new Set(fit.draws("divergent__"))).toEqual(new Set([0]));
    expect(new Set(fit.draws("y")).size).toBe(50);
  });

  it("looks draws up by column or by whole variable", () => {
    const fit = sampleInProcess(iidNormal(3), { chains: 2, warmup: 30, samples: 10, seed: 5 });
    const all = fit.draws("x");
    expect(all.length).toBe(60);
    expect(all[4]).toBe(fit.draws("x.2")[1]);
    expect(fit.drawsByChain("x.3").map((c) => c.length)).toEqual([10, 10]);
    expect(() => fit.draws("nope")).toThrow(/No column or variable named 'nope'/);
  });
});

describe("initialisation", () => {
  it("takes user values on the constrained scale, and fills missing parameters at random", () => {
    const model = eightSchoolsNonCentred();
    const tilde = [0.1, -0.2, 0.3, 0, 0.5, 0.6, -0.7, 0.8];
    const full = initialize(model, { mu: 3, tau: 2, theta_tilde: tilde }, new Xoshiro128(1), []);
    expect(full[0]).toBe(3);
    expect(full[1]).toBeCloseTo(Math.log(2), 14);
    expect(Array.from(full.subarray(2))).toEqual(tilde);
    const partial = initialize(model, { mu: -4 }, new Xoshiro128(1), []);
    expect(partial[0]).toBe(-4);
    for (const v of partial.subarray(1)) expect(Math.abs(v)).toBeLessThan(2 + 1e-12);
  });

  it("retries random inits until the density and gradient are finite", () => {
    const model = testModel({
      name: "half",
      dim: 2,
      variables: [param("x", [2])],
      logDensityGradient(theta, grad) {
        if (theta[0] < 0.5) throw new StanDomainError("x[1] below 0.5");
        grad[0] = -theta[0];
        grad[1] = theta[1] > 1 ? NaN : -theta[1];
        return -0.5 * (theta[0] ** 2 + theta[1] ** 2);
      },
    });
    const messages: string[] = [];
    const theta = initialize(model, 2, new Xoshiro128(7), messages);
    expect(theta[0]).toBeGreaterThanOrEqual(0.5);
    expect(theta[1]).toBeLessThanOrEqual(1);
    expect(messages.some((m) => m.startsWith("Rejecting initial value"))).toBe(true);
  });

  it("fails after 100 attempts with Stan's message, and after 1 when every parameter is given", () => {
    let calls = 0;
    const model = testModel({
      name: "impossible",
      dim: 1,
      variables: [param("x")],
      logDensityGradient: () => {
        calls++;
        return -Infinity;
      },
    });
    expect(() => initialize(model, 2, new Xoshiro128(1), [])).toThrow(InitializationError);
    expect(calls).toBe(100);
    const messages: string[] = [];
    expect(() => initialize(model, 2, new Xoshiro128(1), messages)).toThrow(/Initialization failed/);
    expect(messages.at(-1)).toMatch(/Initialization between \(-2, 2\) failed after 100 attempts/);
    calls = 0;
    expect(() => initialize(model, { x: 1 }, new Xoshiro128(1), [])).toThrow(InitializationError);
    expect(calls).toBe(1);
  });

  it("retries a random init whose log density is finite but below -2^53, and keeps the best when none is better", () => {
    // Explodes like an ARMA's error recursion for x[1] > 0: finite, but −1e96.
    const explosive = testModel({
      name: "explosive",
      dim: 2,
      variables: [param("x", [2])],
      logDensityGradient(theta, grad) {
        const scale = theta[0] > 0 ? 1e96 : 1;
        grad[0] = -scale * theta[0];
        grad[1] = -theta[1];
        return -0.5 * (scale * theta[0] ** 2 + theta[1] ** 2) - (theta[0] > 0 ? 1e96 : 0);
      },
    });
    const messages: string[] = [];
    const theta = initialize(explosive, 2, new Xoshiro128(3), messages);
    expect(theta[0]).toBeLessThanOrEqual(0);
    expect(messages.some((m) => m.includes("below -2^53"))).toBe(true);

    // Every attempt out of range: the highest log density found is the start, no failure.
    let best = -Infinity;
    const hopeless = testModel({
      name: "hopeless",
      dim: 1,
      variables: [param("x")],
      logDensityGradient(theta, grad) {
        grad[0] = -2e20 * theta[0];
        const lp = -1e20 * (1 + theta[0] ** 2);
        best = Math.max(best, lp);
        return lp;
      },
    });
    const fallbackMessages: string[] = [];
    const start = initialize(hopeless, 2, new Xoshiro128(3), fallbackMessages);
    expect(-1e20 * (1 + start[0] ** 2)).toBe(best);
    expect(fallbackMessages.at(-1)).toMatch(/starting from the highest one found/);

    // Values the user gives are taken as they are (one attempt, as in Stan).
    expect(Array.from(initialize(explosive, { x: [1, 0] }, new Xoshiro128(3), []))).toEqual([1, 0]);
  });

  it("init radius 0 starts every chain at the origin", () => {
    const theta = initialize(iidNormal(3), 0, new Xoshiro128(1), []);
    expect(Array.from(theta)).toEqual([0, 0, 0]);
  });
});

describe("options", () => {
  it("validate with messages that name the option", () => {
    expect(() => resolveOptions({ chains: 0 })).toThrow(/chains must be a positive integer/);
    expect(() => resolveOptions({ adaptDelta: 1 })).toThrow(/adaptDelta must be strictly between 0 and 1/);
    expect(() => resolveOptions({ metric: "full" as never })).toThrow(/metric must be/);
    expect(() => resolveOptions({ seed: -3 })).toThrow(/seed must be a non-negative integer/);
    expect(() => resolveOptions({ chains: 2, init: [{}] })).toThrow(/init gives 1 sets of values for 2 chains/);
    const { configs } = resolveOptions({ chains: 3, seed: 9 });
    expect(configs.map((c) => [c.chain, c.seed])).toEqual([
      [1, 9],
      [2, 9],
      [3, 9],
    ]);
  });

  it("nests column-major values into Stan JSON arrays", () => {
    // matrix[2,3] with columns (1,2), (3,4), (5,6) in CmdStan order.
    expect(nestColumnMajor([1, 2, 3, 4, 5, 6], 0, [2, 3])).toEqual([
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(nestColumnMajor([7], 0, [])).toBe(7);
  });
});
