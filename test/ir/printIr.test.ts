/** The IR dump `compile --dump-after` prints (src/ir/printIr.ts); plain arithmetic, so density rules may change freely. */
import { describe, expect, it } from "vitest";
import { lowerStan } from "../../src/driver/compile";
import { printIr } from "../../src/ir/printIr";

const PROGRAM = `data {
  int<lower=0> N;
  vector[N] y;
}
parameters {
  real mu;
  real<lower=0> sigma;
}
model {
  int n = 0;
  while (n < N) {
    n += 1;
    if (y[n] > 100) {
      print("large: ", y[n]);
    } else {
      target += -(y[n] - mu) * (y[n] - mu) / sigma;
    }
  }
  target += -sigma;
}
`;

describe("printIr", () => {
  const text = printIr(lowerStan(PROGRAM, "p.stan"));
  const lines = text.split("\n");

  it("declares data and parameters with type, storage, role, bounds and unconstrained slice", () => {
    expect(lines).toContain("  int N: scalar, data <lower=0>;  // 2: int<lower=0> N;");
    expect(lines).toContain("  vector[N] y: Float64Array(N), data;  // 3: vector[N] y;");
    expect(lines).toContain("  real sigma: scalar, parameters, unconstrained at sigma_offset__, size 1;  // 7: real<lower=0> sigma;");
    expect(lines).toContain("    sigma = exp(theta__[sigma_offset__]);  // 7");
    expect(lines).toContain("    jacobian += theta__[sigma_offset__];  // 7");
  });

  it("prints one statement per line, nested by indentation, with its Stan line", () => {
    const model = text.slice(text.indexOf("\nmodel {\n") + 1, text.indexOf("\ngenerated quantities {"));
    expect(model.split("\n")).toEqual([
      "model {",
      "  // 10: int n = 0;",
      "  n = 0;  // 10",
      "  // 11: while (n < N) {",
      "  while (n < N) {  // 11",
      "    // 12: n += 1;",
      "    n += 1;  // 12",
      "    // 13: if (y[n] > 100) {",
      '    check fatal (n >= 1 && n <= N) else ("y: vector[uni] indexing: accessing element out of range. index ", n, " out of range; expecting index to be between 1 and ", N);  // 13',
      "    if (y[n - 1] > 100) {  // 13",
      '      check fatal (n >= 1 && n <= N) else ("y: vector[uni] indexing: accessing element out of range. index ", n, " out of range; expecting index to be between 1 and ", N);  // 14: print("large: ", y[n]);',
      '      print("large: ", y[n - 1]);  // 14',
      "    } else {",
      "      // 16: target += -(y[n] - mu) * (y[n] - mu) / sigma;",
      '      check fatal (n >= 1 && n <= N) else ("y: vector[uni] indexing: accessing element out of range. index ", n, " out of range; expecting index to be between 1 and ", N);  // 16',
      "      target += -(y[n - 1] - mu) * (y[n - 1] - mu) / sigma;  // 16",
      "    }",
      "  }",
      "  // 19: target += -sigma;",
      "  target += -sigma;  // 19",
      "}",
    ]);
  });

  it("lists the other variables and the outputs", () => {
    expect(text).toContain("variables {\n  int mu_offset__: scalar, transformed data;\n  int sigma_offset__: scalar, transformed data;\n  int n: scalar, model;\n}\n");
    expect(text.trimEnd().endsWith("outputs: mu, sigma")).toBe(true);
  });
});
