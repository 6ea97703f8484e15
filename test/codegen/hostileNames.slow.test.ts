/**
 * No Stan name can break the generated module (issue #15, item 1): every JavaScript reserved
 * word, global, name the module declares, and runtime helper it may import, in every position a
 * Stan name can take, compiles to a module that loads and samples. A name Stan itself refuses in
 * a position gets a located user error instead (never an internal error).
 *
 * The names are listed here, independently of src/ir/names.ts, so a name that file forgets fails
 * this test rather than being forgotten twice.
 */
import { describe, expect, it } from "vitest";
import * as runtimeMath from "../../src/runtime/math/index";
import * as runtimeTransforms from "../../src/runtime/math/transforms";
import { CompileError } from "../../src/common/diagnostics";
import { checkStan } from "../../src/driver/compile";
import { sampleInProcess } from "../../src/runtime/sampler/sampleInProcess";
import { loadCompiled } from "../models/gradientCheck";

const JS_RESERVED = [
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
  "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof",
  "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void",
  "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected",
  "public", "await", "async", "arguments", "eval",
];

const JS_GLOBALS = [
  "globalThis", "Infinity", "NaN", "undefined", "isFinite", "isNaN", "parseFloat", "parseInt", "Array",
  "ArrayBuffer", "Boolean", "Date", "Error", "Float64Array", "Function", "Int32Array", "JSON", "Map", "Math",
  "Number", "Object", "Promise", "Proxy", "RangeError", "Reflect", "RegExp", "Set", "String", "Symbol",
  "TypeError", "console", "process", "require", "module", "exports", "window", "self", "setTimeout",
];

/** What the generated module declares (emitModule.ts) and the short names of its arrow functions and catch clauses. */
const MODULE_NAMES = [
  "model", "create", "data", "variables", "outputLength", "unconstrainedNames", "logDensity",
  "logDensityGradient", "logDensityGradientInto", "writeConstrained", "unconstrain", "StanDataError",
  "StanDomainError", "CompiledModel", "ModelInstance", "Rng", "StanData", "VariableInfo", "e", "k", "n", "v", "a", "b",
];

/** Every helper the module may import from the runtime. */
const HELPERS = [...Object.keys(runtimeMath), ...Object.keys(runtimeTransforms)];

const NAMES = [...new Set([...JS_RESERVED, ...JS_GLOBALS, ...MODULE_NAMES, ...HELPERS])].filter((n) => /^[A-Za-z][A-Za-z0-9_]*$/.test(n));

/** Every place a Stan name can stand, as a program using each name given there once. */
interface Position {
  readonly name: string;
  readonly program: (names: readonly string[]) => string;
  readonly data: (names: readonly string[]) => Record<string, number>;
  /** The names are output columns (parameters, generated quantities). */
  readonly outputs?: boolean;
}

const BASE_PARAMETER = "theta_base";
const each = (names: readonly string[], f: (n: string, i: number) => string) => names.map(f).join("\n  ");

const POSITIONS: Position[] = [
  {
    name: "data",
    program: (ns) => `data {\n  ${each(ns, (n) => `real ${n};`)}\n}\nparameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  ${each(ns, (n) => `target += -0.5 * (${BASE_PARAMETER} - ${n}) * (${BASE_PARAMETER} - ${n});`)}\n}`,
    data: (ns) => Object.fromEntries(ns.map((n) => [n, 0.25])),
  },
  {
    name: "transformed data",
    program: (ns) => `transformed data {\n  ${each(ns, (n, i) => `real ${n} = ${i % 7} * 0.1;`)}\n}\nparameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  ${each(ns, (n) => `target += -0.5 * (${BASE_PARAMETER} - ${n}) * (${BASE_PARAMETER} - ${n});`)}\n}`,
    data: () => ({}),
  },
  {
    name: "parameter",
    program: (ns) => `parameters {\n  ${each(ns, (n, i) => (i % 2 === 0 ? `real ${n};` : `real<lower=0> ${n};`))}\n}\nmodel {\n  ${each(ns, (n) => `${n} ~ normal(1, 1);`)}\n}`,
    data: () => ({}),
    outputs: true,
  },
  {
    name: "local and generated quantity",
    program: (ns) => `parameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  {\n  ${each(ns, (n) => `real ${n} = ${BASE_PARAMETER} * 0.5;\n  target += -0.5 * ${n} * ${n};`)}\n  }\n}\ngenerated quantities {\n  ${each(ns, (n) => `real ${n} = ${BASE_PARAMETER};`)}\n}`,
    data: () => ({}),
    outputs: true,
  },
  {
    name: "function",
    program: (ns) => `functions {\n  ${each(ns, (n) => `real ${n}(real x) { return x * 0.5; }`)}\n}\nparameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  ${each(ns, (n) => `target += -0.5 * ${n}(${BASE_PARAMETER}) * ${n}(${BASE_PARAMETER});`)}\n}`,
    data: () => ({}),
  },
  {
    name: "function argument",
    program: (ns) => `functions {\n  ${each(ns, (n, i) => `real half_${i}(real ${n}) { real y = ${n} * 0.5; return y; }`)}\n}\nparameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  ${each(ns, (_, i) => `target += -0.5 * half_${i}(${BASE_PARAMETER}) * half_${i}(${BASE_PARAMETER});`)}\n}`,
    data: () => ({}),
  },
  {
    name: "loop variable",
    program: (ns) => `parameters { real ${BASE_PARAMETER}; }\nmodel {\n  ${BASE_PARAMETER} ~ normal(0, 1);\n  ${each(ns, (n) => `for (${n} in 1:2) target += -0.25 * ${n} * ${BASE_PARAMETER} * ${BASE_PARAMETER};`)}\n}\ngenerated quantities {\n  real total = 0;\n  ${each(ns, (n) => `for (${n} in 1:2) total += ${n};`)}\n}`,
    data: () => ({}),
  },
];

/** The names Stan accepts in a position; the others must be refused as a user error with a location. */
function acceptedNames(position: Position): string[] {
  const accepted: string[] = [];
  for (const n of NAMES) {
    try {
      checkStan(position.program([n]), "names.stan");
      accepted.push(n);
    } catch (error) {
      if (!(error instanceof CompileError)) throw new Error(`${position.name} '${n}': not a located user error: ${String(error)}`);
    }
  }
  return accepted;
}

describe("hostile names in every position", () => {
  it("the list covers the reserved words, globals, module names and every runtime helper", () => {
    expect(NAMES).toContain("square");
    expect(NAMES).toContain("cholesky_factor_corr_constrain");
    expect(NAMES).toContain("logDensityGradientInto");
    expect(NAMES.length).toBeGreaterThan(400);
  });

  for (const position of POSITIONS) {
    it(`${position.name}: every name compiles, loads and samples`, async () => {
      const names = acceptedNames(position);
      // most names are accepted everywhere; the refused ones are Stan's own keywords and, for functions, its library names
      expect(names.length).toBeGreaterThan(position.name === "function" ? 50 : 300);
      const model = await loadCompiled(position.program(names), "names.stan");
      const instance = model.create(position.data(names));
      const fit = sampleInProcess(instance, { chains: 1, warmup: 5, samples: 5, seed: 11 });
      expect(fit.chains[0].rows.length).toBe(5);
      for (const row of fit.chains[0].rows) for (const x of row) expect(Number.isFinite(x)).toBe(true);
      // output columns keep the Stan names as written (only the code's identifiers are renamed)
      if (position.outputs) for (const n of names) expect(fit.columnNames).toContain(n);
    }, 120_000);
  }
});

describe("overloads", () => {
  it("a user overload of a library name, and user overloads of each other, run the definition the call selects", async () => {
    const source = `functions {
  real normal_lpdf(real x) { return -x * x; }
  real twice(real x) { return 2 * x; }
  real twice(real x, real y) { return 2 * x + y; }
  real twice(vector x) { return 2 * sum(x); }
}
parameters { real mu; }
model {
  mu ~ normal(0, 1);
}
generated quantities {
  real library = normal_lpdf(1 | 0, 1);
  real user = normal_lpdf(3);
  real one = twice(1.5);
  real two = twice(1.5, 10);
  real three = twice([1, 2]');
}
`;
    const model = await loadCompiled(source, "overloads.stan");
    const instance = model.create({});
    const fit = sampleInProcess(instance, { chains: 1, warmup: 5, samples: 2, seed: 2 });
    const row = fit.chains[0].rows[0];
    const value = (name: string) => row[fit.columnNames.indexOf(name)];
    expect(value("library")).toBeCloseTo(-0.5 - 0.5 * Math.log(2 * Math.PI), 12);
    expect([value("user"), value("one"), value("two"), value("three")]).toEqual([-9, 3, 13, 6]);
    // the model's density is the library's normal: lp at mu = 0.5 is −0.125 (constants dropped by ~)
    expect(instance.logDensity(new Float64Array([0.5]))).toBeCloseTo(-0.125, 12);
  });
});
