/**
 * Stan's integer semantics and print formatting (issue #15, item 3): integer division and modulus
 * by zero throw Stan's messages (at load in transformed data, rejecting the draw in the model),
 * they truncate toward zero as C++ does, and print() shows ints exactly and reals as a C++ stream.
 */
import { describe, expect, it, vi } from "vitest";
import { StanDomainError } from "../../src/runtime/model";
import { formatNumber__ } from "../../src/codegen/support/modelSupport";
import { loadCompiled } from "../models/gradientCheck";

describe("integer division and modulus by zero", () => {
  it("in transformed data: an error at load naming Stan's message and line", async () => {
    const source = "data { int z; }\ntransformed data {\n  int q = 7 %/% z;\n}\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\n";
    const model = await loadCompiled(source, "td.stan");
    expect(() => model.create({ z: 0 })).toThrow(new StanDomainError("divide: denominator is 0 (in 'td.stan', line 3, column 2)"));
    expect(() => model.create({ z: 2 })).not.toThrow();
  });

  it("in the model: the evaluation throws a domain error (the sampler rejects the draw), for %, %/% and int /", async () => {
    const source = "data { int z; }\nparameters { real mu; }\nmodel {\n  mu ~ normal(0, 1);\n  target += 5 % z;\n  target += 5 %/% z;\n  target += 5 / z;\n}\n";
    const model = await loadCompiled(source, "md.stan");
    const zero = model.create({ z: 0 });
    const theta = new Float64Array([0.5]);
    expect(() => zero.logDensity(theta)).toThrow(new StanDomainError("modulus: divisor is 0 (in 'md.stan', line 5, column 2)"));
    expect(() => zero.logDensityGradient(theta, new Float64Array(1))).toThrow("modulus: divisor is 0 (in 'md.stan', line 5, column 2)");
    // 5 % -3 = 2, 5 %/% -3 = -1, 5 / -3 = -1 (truncation, as C++)
    const negative = model.create({ z: -3 });
    expect(negative.logDensity(theta)).toBeCloseTo(-0.125 + 2 - 1 - 1, 14);
  });

  it("the quotient's divisor is checked wherever it stands (a loop bound, an index)", async () => {
    const source = "data { int z; }\nparameters { real mu; }\nmodel {\n  array[3] real a = {1.0, 2.0, 3.0};\n  mu ~ normal(a[6 %/% z], 1);\n}\n";
    const model = await loadCompiled(source, "ix.stan");
    expect(() => model.create({ z: 0 }).logDensity(new Float64Array([0]))).toThrow("divide: denominator is 0 (in 'ix.stan', line 5, column 2)");
    expect(model.create({ z: 3 }).logDensity(new Float64Array([2]))).toBeCloseTo(0, 14);
  });

  it("negative operands truncate toward zero", async () => {
    const source = "parameters { real mu; }\nmodel { mu ~ normal(0, 1); }\ngenerated quantities {\n  int a = -7 %/% 2;\n  int b = -7 % 2;\n  int c = 7 % -2;\n  int d = -7 / 2;\n}\n";
    const model = await loadCompiled(source, "neg.stan");
    const instance = model.create({});
    const out = new Float64Array(instance.outputLength);
    const rng = { uniform: () => 0.5, normal: () => 0 } as unknown as Parameters<typeof instance.writeConstrained>[1];
    instance.writeConstrained(new Float64Array([0]), rng, out);
    expect(Array.from(out.slice(1))).toEqual([-3, -1, 1, -3]);
  });

  it("a compound dividend is divided as a whole: (a + b) / 2 is 4 for 3 and 5, not trunc(3 + 5 / 2)", async () => {
    const source = "data { int a; int b; }\nparameters { real mu; }\nmodel { mu ~ normal(0, 1); }\ngenerated quantities {\n  int q = (a + b) / 2;\n  int r = (a - b) %/% 2;\n  int s = (a + b) % 3;\n}\n";
    const model = await loadCompiled(source, "compound.stan");
    const instance = model.create({ a: 3, b: 5 });
    const out = new Float64Array(instance.outputLength);
    const rng = { uniform: () => 0.5, normal: () => 0 } as unknown as Parameters<typeof instance.writeConstrained>[1];
    instance.writeConstrained(new Float64Array([0]), rng, out);
    expect(Array.from(out.slice(1))).toEqual([4, -1, 2]);
  });
});

/*
 * The expected print() texts are Stan's (rstan 2.21.7, 2026-12-06), printed from generated
 * quantities because rstan drops transformed data's output; R command:
 *
 *   library(rstan)
 *   code <- "parameters { real mu; } model { mu ~ normal(0, 1); } generated quantities {
 *     int i1 = 1234567; int i2 = -2147483647;
 *     print(\"ints: \", i1, \" \", i2, \" \", {i1, 7});
 *     print(\"reals: \", 1234567.0, \" \", 0.1, \" \", 1e-5, \" \", 123456.0, \" \", 1e21, \" \", 2.5e-5, \" \",
 *           3.14159265, \" \", 1.0/3, \" \", 0.0001, \" \", 999999.5, \" \", 100000.0, \" \", -1.5e-7, \" \", [1234567.0, 0.5]);
 *     print(\"more: \", -0.0, \" \", 999999.4, \" \", 0.000123456789, \" \", 0.0000999999, \" \", 1e-300, \" \",
 *           -123.456789, \" \", not_a_number(), \" \", negative_infinity()); }"
 *   sampling(stan_model(model_code = code), iter = 1, chains = 1, algorithm = "Fixed_param")
 *
 * which printed
 *   ints: 1234567 -2147483647 [1234567,7]
 *   reals: 1.23457e+06 0.1 1e-05 123456 1e+21 2.5e-05 3.14159 0.333333 0.0001 1e+06 100000 -1.5e-07 [1.23457e+06,0.5]
 *   more: -0 999999 0.000123457 9.99999e-05 1e-300 -123.457 nan -inf
 */
describe("print formatting", () => {
  it("ints print exactly, reals with six significant digits as Stan does", async () => {
    const source = `transformed data {
  int i1 = 1234567;
  int i2 = -2147483647;
  print("ints: ", i1, " ", i2, " ", {i1, 7});
  print("reals: ", 1234567.0, " ", 0.1, " ", 1e-5, " ", 123456.0, " ", 1e21, " ", 2.5e-5, " ", 3.14159265, " ", 1.0/3, " ", 0.0001, " ", 999999.5, " ", 100000.0, " ", -1.5e-7, " ", [1234567.0, 0.5]);
}
parameters { real mu; }
model { mu ~ normal(0, 1); }
`;
    const model = await loadCompiled(source, "print.stan");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      model.create({});
      expect(log.mock.calls.map((c) => c[0])).toEqual([
        "ints: 1234567 -2147483647 [1234567,7]",
        "reals: 1.23457e+06 0.1 1e-05 123456 1e+21 2.5e-05 3.14159 0.333333 0.0001 1e+06 100000 -1.5e-07 [1.23457e+06,0.5]",
      ]);
    } finally {
      log.mockRestore();
    }
  });

  it("formatNumber__ follows %g: the rounded exponent picks the notation (Stan's \"more:\" line)", () => {
    expect(formatNumber__(-0)).toBe("-0");
    expect(formatNumber__(0)).toBe("0");
    expect(formatNumber__(999999.4)).toBe("999999");
    expect(formatNumber__(0.000123456789)).toBe("0.000123457");
    expect(formatNumber__(0.0000999999)).toBe("9.99999e-05");
    expect(formatNumber__(1e-300)).toBe("1e-300");
    expect(formatNumber__(-123.456789)).toBe("-123.457");
    expect(formatNumber__(NaN)).toBe("nan");
    expect([-0, 999999.4, 0.000123456789, 0.0000999999, 1e-300, -123.456789, NaN, -Infinity].map(formatNumber__).join(" ")).toBe(
      "-0 999999 0.000123457 9.99999e-05 1e-300 -123.457 nan -inf",
    );
    expect(formatNumber__(-Infinity)).toBe("-inf");
  });
});
