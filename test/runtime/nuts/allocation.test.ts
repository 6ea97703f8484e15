/**
 * The NUTS hot loop allocates nothing once optimised: young-generation bytes between two forced
 * GCs (bench/runtime/allocation.ts), least of several windows so a function still waiting for
 * TurboFan cannot fail the test. A regression — a double returned across a call V8 does not
 * inline, the global `Infinity` in a conditional — costs 16 bytes per occurrence, so the bound of
 * 1 byte per leapfrog separates "nothing" (measured 0.0) from any per-leapfrog allocation.
 * Timings are not tested here (bench/runtimeOverhead.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { steadyStateAllocation } from "../../../bench/runtime/allocation";
import type { ModelInstance } from "../../../src/runtime/model";
import type { MetricKind } from "../../../src/runtime/nuts/metric";
import { NutsSampler } from "../../../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { loadCompiled } from "../../models/gradientCheck";
import { iidNormal } from "../models/targets";

/** Bytes per leapfrog: "nothing" measures 0.0; one boxed double per leapfrog is 16. */
const BOUND = 1;
/**
 * Windows of 1000 transitions to wait for TurboFan: on a loaded 2-core machine its background
 * compiles can lag the warm-up (seen once with 5 windows); a real regression fails every window.
 */
const WINDOWS = 40;

const FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));

async function eightSchools(): Promise<ModelInstance> {
  const name = "eight_schools_noncentered";
  const model = await loadCompiled(readFileSync(`${FIXTURES}stan/good/${name}.stan`, "utf8"), `${name}.stan`);
  return model.create(JSON.parse(readFileSync(`${FIXTURES}data/${name}.data.json`, "utf8")) as Record<string, unknown>);
}

/** −½·θᵀθ with the sampler's allocation-free method, as generated modules have it. */
function standardNormal(dim: number): ModelInstance {
  const base = iidNormal(dim);
  return {
    ...base,
    logDensityGradientInto(theta, grad, lp) {
      let sum = 0;
      for (let i = 0; i < dim; i++) {
        sum -= 0.5 * theta[i] * theta[i];
        grad[i] = -theta[i];
      }
      lp[0] = sum;
    },
  };
}

function warmSampler(model: ModelInstance, metric: MetricKind, jitter: number): NutsSampler {
  const sampler = new NutsSampler(model, metric, new Xoshiro128(7));
  sampler.setPosition(new Float64Array(model.dim).fill(0.1));
  sampler.stepSize = 0.5;
  sampler.stepSizeJitter = jitter;
  for (let i = 0; i < 15_000; i++) sampler.transition();
  return sampler;
}

describe("NUTS hot loop allocation", () => {
  it.each([
    ["diag", 0],
    ["dense", 0],
    ["diag", 0.5],
  ] as Array<[MetricKind, number]>)("a hand-written model, %s metric, jitter %s: no bytes per leapfrog", (metric, jitter) => {
    const m = steadyStateAllocation(warmSampler(standardNormal(5), metric, jitter), 1000, WINDOWS, BOUND);
    expect(m.leapfrogs).toBeGreaterThan(1000);
    expect(m.bytesPerLeapfrog).toBeLessThan(BOUND);
  });

  it("a generated model (eight schools): no bytes per leapfrog", async () => {
    const sampler = warmSampler(await eightSchools(), "diag", 0);
    const m = steadyStateAllocation(sampler, 1000, WINDOWS, BOUND);
    expect(m.leapfrogs).toBeGreaterThan(1000);
    expect(m.bytesPerLeapfrog).toBeLessThan(BOUND);
  });
});

describe("logDensityGradientInto contract", () => {
  it("generated modules write the same log density and gradient as logDensityGradient returns", async () => {
    const model = await eightSchools();
    expect(typeof model.logDensityGradientInto).toBe("function");
    const theta = Float64Array.from({ length: model.dim }, (_, i) => 0.3 * Math.sin(i + 1));
    const grad = new Float64Array(model.dim);
    const gradInto = new Float64Array(model.dim);
    const lp = new Float64Array([NaN]);
    const returned = model.logDensityGradient(theta, grad);
    model.logDensityGradientInto!(theta, gradInto, lp);
    expect(Number.isFinite(returned)).toBe(true);
    expect(lp[0]).toBe(returned);
    expect(lp[0]).toBe(model.logDensity(theta));
    expect(gradInto).toEqual(grad);
  });

  it("a model without it is sampled through logDensityGradient, draw for draw the same", () => {
    const withInto = new NutsSampler(standardNormal(3), "diag", new Xoshiro128(11));
    const fallback = new NutsSampler(iidNormal(3), "diag", new Xoshiro128(11));
    expect(iidNormal(3).logDensityGradientInto).toBeUndefined();
    for (const s of [withInto, fallback]) {
      s.setPosition([0.2, -0.4, 1]);
      s.stepSize = 0.7;
      s.stepSizeJitter = 0.3;
    }
    for (let i = 0; i < 200; i++) {
      withInto.transition();
      fallback.transition();
      expect(fallback.current.q).toEqual(withInto.current.q);
      expect(fallback.logDensity).toBe(withInto.logDensity);
      expect(fallback.nLeapfrog).toBe(withInto.nLeapfrog);
    }
  });
});
