/**
 * The NUTS hot loop's allocation, measured in a fresh node process for allocation.test.ts:
 *
 *   node --no-concurrent-recompilation --import tsx test/runtime/nuts/allocationProbe.ts
 *
 * prints `{"<case>": <bytes per leapfrog>, …}` for hand-written models (diag and dense metrics,
 * with and without step-size jitter) and a generated one (eight schools). Young-generation bytes
 * between two forced GCs, least of several windows (bench/runtime/allocation.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { steadyStateAllocation } from "../../../bench/runtime/allocation";
import type { ModelInstance } from "../../../src/runtime/model";
import type { MetricKind } from "../../../src/runtime/nuts/metric";
import { NutsSampler } from "../../../src/runtime/nuts/nutsSampler";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { loadCompiled } from "../../models/gradientCheck";
import { iidNormal } from "../models/targets";

/** Bytes per leapfrog below which a window counts as allocating nothing (a boxed double is 16). */
export const BOUND = 1;
/** Windows of 1000 transitions: a function still waiting for TurboFan cannot fail the check. */
const WINDOWS = 40;

const FIXTURES = fileURLToPath(new URL("../../../fixtures/", import.meta.url));

export async function eightSchools(): Promise<ModelInstance> {
  const name = "eight_schools_noncentered";
  const model = await loadCompiled(readFileSync(`${FIXTURES}stan/good/${name}.stan`, "utf8"), `${name}.stan`);
  return model.create(JSON.parse(readFileSync(`${FIXTURES}data/${name}.data.json`, "utf8")) as Record<string, unknown>);
}

/** −½·θᵀθ with the sampler's allocation-free method, as generated modules have it. */
export function standardNormal(dim: number): ModelInstance {
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

function bytesPerLeapfrog(model: ModelInstance, metric: MetricKind, jitter: number): number {
  const sampler = new NutsSampler(model, metric, new Xoshiro128(7));
  sampler.setPosition(new Float64Array(model.dim).fill(0.1));
  sampler.stepSize = 0.5;
  sampler.stepSizeJitter = jitter;
  for (let i = 0; i < 15_000; i++) sampler.transition();
  const m = steadyStateAllocation(sampler, 1000, WINDOWS, BOUND);
  if (m.leapfrogs <= 1000) throw new Error(`only ${m.leapfrogs} leapfrogs in a window`);
  return m.bytesPerLeapfrog;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result: Record<string, number> = {};
  for (const [metric, jitter] of [["diag", 0], ["dense", 0], ["diag", 0.5]] as [MetricKind, number][]) {
    result[`hand-written, ${metric} metric, jitter ${jitter}`] = bytesPerLeapfrog(standardNormal(5), metric, jitter);
  }
  result["generated (eight schools), diag metric"] = bytesPerLeapfrog(await eightSchools(), "diag", 0);
  process.stdout.write(JSON.stringify(result));
}
