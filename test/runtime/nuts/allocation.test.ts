/**
 * The NUTS hot loop allocates nothing once optimised (allocationProbe.ts measures it in a fresh
 * node process). A regression — a double returned across a call V8 does not inline, the global
 * `Infinity` in a conditional — costs 16 bytes per occurrence, so the bound of 1 byte per leapfrog
 * separates "nothing" (measured 0.0) from any per-leapfrog allocation. Timings are not tested here
 * (bench/runtimeOverhead.ts).
 *
 * The probe runs with `--no-concurrent-recompilation`. With TurboFan compiling in the background,
 * when its code lands relative to the warm-up varies from process to process, and about one process
 * in ten (30 runs of the probe) kept 6–12 bytes per leapfrog in some case, in every window, with
 * the sampler unchanged; compiled on the main thread, 30 of 30 runs measured 0.0 in every case.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { NutsSampler } from "../../../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { iidNormal } from "../models/targets";
import { BOUND, eightSchools, standardNormal } from "./allocationProbe";

const PROBE = fileURLToPath(new URL("./allocationProbe.ts", import.meta.url));
const REPO = fileURLToPath(new URL("../../../", import.meta.url));

describe("NUTS hot loop allocation", () => {
  let measured: Record<string, number> = {};
  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--no-concurrent-recompilation", "--import", "tsx", PROBE],
      { cwd: REPO, encoding: "utf8" },
    );
    measured = JSON.parse(stdout) as Record<string, number>;
  }, 120_000);

  it.each([
    "hand-written, diag metric, jitter 0",
    "hand-written, dense metric, jitter 0",
    "hand-written, diag metric, jitter 0.5",
    "generated (eight schools), diag metric",
  ])("%s: no bytes per leapfrog", (name) => {
    expect(measured[name], `${name}: ${measured[name]} bytes per leapfrog`).toBeLessThan(BOUND);
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
