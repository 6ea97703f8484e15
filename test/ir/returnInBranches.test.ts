/** A function whose last statement returns from both branches of an if/else (as brms writes its zero-inflated densities). */
import { describe, expect, it } from "vitest";
import { loadCompiled } from "../models/gradientCheck";

const program = (body: string) => `functions {
  real f(real x) {
${body}
  }
}
parameters {
  real y;
}
model {
  target += f(y);
}
`;

describe("return in both branches of a final if/else", () => {
  it("inlines as a conditional: only the chosen branch counts", async () => {
    const model = await loadCompiled(program("    if (x > 0) {\n      return log(x);\n    } else if (x > -1) {\n      return 2 * x;\n    } else {\n      return -x;\n    }"), "branches.stan");
    const instance = model.create({});
    expect(instance.logDensity(Float64Array.of(2))).toBeCloseTo(Math.log(2), 14);
    expect(instance.logDensity(Float64Array.of(-0.5))).toBe(-1);
    expect(instance.logDensity(Float64Array.of(-3))).toBe(3);
    const g = new Float64Array(1);
    instance.logDensityGradient(Float64Array.of(2), g);
    expect(g[0]).toBeCloseTo(0.5, 14);
    instance.logDensityGradient(Float64Array.of(-3), g);
    expect(g[0]).toBe(-1);
  });

  it("branches that declare locals before returning run only when chosen (brms's gen_extreme_value density)", async () => {
    const body = [
      "    real s = 2 * x;",
      "    if (x > 0) {",
      "      real t = log(x);",
      "      return s * t;",
      "    } else if (x > -1) {",
      "      return s;",
      "    } else {",
      "      real u = square(x);",
      "      u = u + 1;",
      "      return u;",
      "    }",
    ].join("\n");
    const model = await loadCompiled(program(body), "locals.stan");
    const instance = model.create({});
    expect(instance.logDensity(Float64Array.of(2))).toBeCloseTo(4 * Math.log(2), 14);
    // log(x) of a negative x would be NaN: the first branch does not run.
    expect(instance.logDensity(Float64Array.of(-0.5))).toBe(-1);
    expect(instance.logDensity(Float64Array.of(-3))).toBe(10);
    const g = new Float64Array(1);
    instance.logDensityGradient(Float64Array.of(2), g);
    expect(g[0]).toBeCloseTo(2 * Math.log(2) + 2, 14);
    instance.logDensityGradient(Float64Array.of(-0.5), g);
    expect(g[0]).toBe(2);
    instance.logDensityGradient(Float64Array.of(-3), g);
    expect(g[0]).toBe(-6);
  });

  it("still refuses a return that is not last", async () => {
    await expect(loadCompiled(program("    if (x > 0) {\n      return log(x);\n    }\n    return -x;"), "early.stan")).rejects.toThrow(/'return' only as the last statement/);
  });
});
