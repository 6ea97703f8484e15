import { describe, expect, it } from "vitest";
import { defineModel } from "../../../src/runtime/api";
import { createInstance, StanDataError, StanDomainError, type VariableInfo } from "../../../src/runtime/model";
import { Xoshiro128 } from "../../../src/runtime/rng/xoshiro128";
import { initialize } from "../../../src/runtime/sampler/initialize";
import { sampleInProcess } from "../../../src/runtime/sampler/sampleInProcess";
import { compiled, param, testModel } from "../models/testModel";

const generated = (name: string): VariableInfo => ({ name, block: "generated quantities", dims: [], isInteger: false });

describe("user errors from the runtime", () => {
  it("a rejection in generated quantities keeps the draw and the parameters, NaN for the quantities, and is reported", async () => {
    const model = defineModel(
      compiled("gq_reject", () =>
        testModel({
          name: "gq_reject",
          dim: 1,
          variables: [param("x"), generated("y")],
          logDensityGradient(theta, grad) {
            grad[0] = -theta[0];
            return -0.5 * theta[0] ** 2;
          },
          writeConstrained(theta, _rng, out) {
            out[0] = theta[0];
            if (theta[0] > 0) throw new StanDomainError("y is undefined for positive x");
            out[1] = 2 * theta[0];
          },
        }),
      ),
    );
    const fit = await model.sample({}, { parallelism: "in-process", chains: 2, warmup: 50, samples: 200, seed: 4 });
    const x = fit.draws("x");
    const y = fit.draws("y");
    expect(x.every(Number.isFinite)).toBe(true);
    const positive = x.filter((v) => v > 0).length;
    expect(positive).toBeGreaterThan(0);
    x.forEach((v, i) => (v > 0 ? expect(y[i]).toBeNaN() : expect(y[i]).toBe(2 * v)));
    const warning = fit.diagnostics().warnings.find((w) => w.includes("rejected"));
    expect(warning).toBeDefined();
    expect(warning).toContain(`${positive} draws`);
    expect(warning).toContain('"y is undefined for positive x"');
  });

  it("an initialisation failure says how many attempts failed and why, with Stan's text", () => {
    const model = testModel({
      name: "nan_data",
      dim: 1,
      variables: [param("mu")],
      logDensityGradient: () => {
        throw new StanDomainError("normal_lpdf: Random variable is nan, but must not be nan!");
      },
    });
    let error: Error | undefined;
    try {
      initialize(model, 2, new Xoshiro128(1), []);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("InitializationError");
    expect(error?.message).toMatch(/^Initialization failed: all 100 attempts were rejected \(error evaluating the log probability\)\./);
    expect(error?.message).toContain("Error evaluating the log probability at the initial value: normal_lpdf: Random variable is nan");
    expect(error?.message).toMatch(/Initialization between \(-2, 2\) failed after 100 attempts\./);
    expect(() => initialize(model, { mu: 1 }, new Xoshiro128(1), [])).toThrow(/^Initialization failed: the initial values given were rejected/);
  });

  it("mixed reasons are counted per kind", () => {
    let call = 0;
    const model = testModel({
      name: "mixed",
      dim: 1,
      variables: [param("mu")],
      logDensityGradient: () => {
        call++;
        if (call % 2 === 0) throw new StanDomainError("bad scale");
        return -Infinity;
      },
    });
    expect(() => initialize(model, 2, new Xoshiro128(1), [])).toThrow(/\(50: log probability evaluates to log\(0\); 50: error evaluating the log probability\)/);
  });

  it("an improper posterior is a SamplingError (a user error), not a crash", () => {
    const flat = testModel({ name: "flat", dim: 1, variables: [param("mu")], logDensityGradient: (_theta, grad) => ((grad[0] = 0), 0) });
    let error: Error | undefined;
    try {
      sampleInProcess(flat, { chains: 1, warmup: 10, samples: 10, seed: 1 });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("SamplingError");
    expect(error?.message).toBe("Posterior is improper. Please check your model.");
  });

  it("a negative declared size is a data error, other failures pass through", () => {
    const negative = compiled("negative", () => ({ ...testModel({ name: "n", dim: 0, variables: [], logDensityGradient: () => 0 }), extra: new Float64Array(-3) }));
    expect(() => createInstance(negative, {})).toThrow(StanDataError);
    expect(() => createInstance(negative, {})).toThrow(/negative \(-3\)/);
    const broken = compiled("broken", () => {
      throw new TypeError("x is not a function");
    });
    expect(() => createInstance(broken, {})).toThrow(TypeError);
  });
});
