import { describe, expect, it } from "vitest";
import { findInitialStepSize } from "../../../src/runtime/adaptation/initialStepSize";
import { logSumExp, NutsSampler } from "../../../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { sampleInProcess } from "../../../src/runtime/sampler/sampleInProcess";
import { moments } from "../models/mcse";
import { correlatedGaussian, iidNormal, rejectingNormal } from "../models/targets";

describe("NUTS transition", () => {
  it.each(["throw", "nan", "-inf"] as const)(
    "reports a first-leapfrog divergence (%s) as treedepth 0, n_leapfrog 1, and keeps the point",
    (how) => {
      const sampler = new NutsSampler(rejectingNormal(1e-12, how), "diag", new Xoshiro128(1));
      sampler.setPosition([0]);
      sampler.stepSize = 0.5;
      sampler.transition();
      expect(sampler.divergent).toBe(true);
      expect(sampler.treeDepth).toBe(0);
      expect(sampler.nLeapfrog).toBe(1);
      expect(sampler.acceptStat).toBe(0);
      expect(sampler.current.q[0]).toBe(0);
      expect(sampler.logDensity).toBe(-0);
    },
  );

  it("rethrows errors that are not domain errors", () => {
    const model = iidNormal(1);
    const broken = { ...model, logDensityGradient: () => { throw new TypeError("bug in model code"); } };
    const sampler = new NutsSampler(broken, "diag", new Xoshiro128(1));
    expect(() => sampler.setPosition([0])).toThrow(TypeError);
  });

  it("keeps n_leapfrog between 2^depth − 1 and 2^(depth+1) − 1 and stops at max depth", () => {
    const sampler = new NutsSampler(iidNormal(5), "diag", new Xoshiro128(3));
    sampler.setPosition([0.1, -0.3, 1, 0.5, -1]);
    sampler.stepSize = 0.4;
    for (let i = 0; i < 300; i++) {
      sampler.transition();
      const depth = sampler.treeDepth;
      expect(sampler.nLeapfrog).toBeGreaterThanOrEqual(2 ** depth - 1);
      expect(sampler.nLeapfrog).toBeLessThanOrEqual(2 ** (depth + 1) - 1);
      expect(sampler.acceptStat).toBeGreaterThanOrEqual(0);
      expect(sampler.acceptStat).toBeLessThanOrEqual(1);
      expect(sampler.divergent).toBe(false);
      // energy__ is H at the selected state: at least its potential energy.
      expect(sampler.energy).toBeGreaterThanOrEqual(-sampler.logDensity);
    }
    sampler.maxDepth = 3;
    sampler.stepSize = 1e-3;
    sampler.transition();
    expect(sampler.treeDepth).toBe(3);
    expect(sampler.nLeapfrog).toBe(7);
    sampler.maxDepth = 0; // ignored, as in Stan
    expect(sampler.maxDepth).toBe(3);
  });

  it("is deterministic for a given RNG stream", () => {
    const run = () => {
      const sampler = new NutsSampler(correlatedGaussian([1, 2], 0.5), "dense", new Xoshiro128(11));
      sampler.setPosition([0.5, 0.5]);
      sampler.stepSize = 0.3;
      const out: number[] = [];
      for (let i = 0; i < 50; i++) {
        sampler.transition();
        out.push(sampler.current.q[0], sampler.current.q[1], sampler.nLeapfrog);
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it("log-sum-exp is exact with −∞ and stable for large gaps", () => {
    expect(logSumExp(-Infinity, -3)).toBe(-3);
    expect(logSumExp(-3, -Infinity)).toBe(-3);
    expect(logSumExp(-Infinity, -Infinity)).toBe(-Infinity);
    expect(logSumExp(800, 800)).toBeCloseTo(800 + Math.log(2), 12);
    expect(logSumExp(-1000, 0)).toBe(0);
  });
});

describe("initial step-size heuristic", () => {
  it("doubles from a too-small ε and halves from a too-large one, landing where acceptance crosses 0.8", () => {
    const sampler = new NutsSampler(iidNormal(10), "unit", new Xoshiro128(5));
    sampler.setPosition(new Float64Array(10).fill(0.3));
    const rng = new Xoshiro128(6);
    const fromSmall = findInitialStepSize(sampler.hamiltonian, sampler.current, 1e-4, rng);
    const fromLarge = findInitialStepSize(sampler.hamiltonian, sampler.current, 1e3, rng);
    // Each is a power-of-two multiple of its start.
    expect(Math.log2(fromSmall / 1e-4) % 1).toBeCloseTo(0, 9);
    expect(Math.log2(1e3 / fromLarge) % 1).toBeCloseTo(0, 9);
    for (const eps of [fromSmall, fromLarge]) {
      expect(eps).toBeGreaterThan(0.1);
      expect(eps).toBeLessThan(4);
    }
    expect(Array.from(sampler.current.q)).toEqual(new Array(10).fill(0.3));
  });

  it("returns NaN for a zero-dimensional model", () => {
    const sampler = new NutsSampler(iidNormal(0), "diag", new Xoshiro128(5));
    expect(findInitialStepSize(sampler.hamiltonian, sampler.current, 1, new Xoshiro128(1))).toBeNaN();
  });
});

describe("divergences in a sampling run", () => {
  // Standard normal truncated to [−a, a]: variance 1 − 2aφ(a)/(2Φ(a) − 1).
  const a = 1.5;
  const phi = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
  const bigPhi = 0.9331927987311419; // Φ(1.5)
  const truncatedVariance = 1 - (2 * a * phi) / (2 * bigPhi - 1);

  it.each(["throw", "nan", "-inf"] as const)(
    "a density that rejects (%s) outside the support gives divergent__ = 1 rows, not a crash, and stays exact",
    (how) => {
      const fit = sampleInProcess(rejectingNormal(a, how), {
        chains: 2,
        warmup: 300,
        samples: 1500,
        seed: 42,
        init: 0.5,
      });
      const divergent = fit.draws("divergent__");
      expect(divergent.reduce((s, d) => s + d, 0)).toBeGreaterThan(0);
      const x = fit.drawsByChain("x");
      for (const chain of x) for (const v of chain) expect(Math.abs(v)).toBeLessThanOrEqual(a);
      const m = moments(x);
      expect(Math.abs(m.mean)).toBeLessThan(4 * m.meanMcse);
      expect(Math.abs(m.variance - truncatedVariance)).toBeLessThan(4 * m.varianceMcse);
    },
  );
});
