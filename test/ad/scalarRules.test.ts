/**
 * Every scalar gradient rule: its inlined partials agree with central finite differences of its
 * inlined value at random points of its domain. A rule without an entry in DOMAINS fails the test.
 */
import { describe, expect, it } from "vitest";
import * as math from "../../src/runtime/math/index";
import { SCALAR_RULES, primitive } from "../../src/primitives/registry";
import { jsName } from "../../src/ir/jsIr";
import { jsTreeBuilder, scalarValue } from "../../src/ir/toJsIr";
import { printJsExpr } from "../../src/codegen/printJsIr";
import { seededUniform } from "../models/gradientCheck";

/** Sampling interval per argument (open intervals inside the domain, away from kinks). */
const DOMAINS: Record<string, readonly (readonly [number, number])[] | "integer-valued" | "value-only"> = {
  exp: [[-3, 3]],
  log: [[0.1, 5]],
  sqrt: [[0.1, 5]],
  square: [[-3, 3]],
  inv: [[0.2, 4]],
  inv_sqrt: [[0.2, 4]],
  inv_square: [[0.2, 4]],
  expm1: [[-2, 2]],
  log1p: [[-0.5, 4]],
  log2: [[0.1, 5]],
  log10: [[0.1, 5]],
  exp2: [[-3, 3]],
  cbrt: [[0.2, 5]],
  sin: [[-3, 3]],
  cos: [[-3, 3]],
  tan: [[-1.2, 1.2]],
  asin: [[-0.9, 0.9]],
  acos: [[-0.9, 0.9]],
  atan: [[-3, 3]],
  sinh: [[-2, 2]],
  cosh: [[-2, 2]],
  tanh: [[-2, 2]],
  asinh: [[-2, 2]],
  acosh: [[1.2, 4]],
  atanh: [[-0.9, 0.9]],
  atan2: [
    [0.2, 2],
    [0.2, 2],
  ],
  fabs: [[0.1, 3]],
  abs: [[-3, -0.1]],
  pow: [
    [0.2, 3],
    [-2, 2],
  ],
  fmin: [
    [0, 1],
    [2, 3],
  ],
  fmax: [
    [0, 1],
    [2, 3],
  ],
  fdim: [
    [2, 3],
    [0, 1],
  ],
  hypot: [
    [0.2, 3],
    [0.2, 3],
  ],
  fma: [
    [-2, 2],
    [-2, 2],
    [-2, 2],
  ],
  lgamma: [[0.3, 6]],
  tgamma: [[0.5, 4]],
  digamma: [[0.5, 6]],
  lbeta: [
    [0.3, 4],
    [0.3, 4],
  ],
  lchoose: [
    [5, 9],
    [1, 4],
  ],
  choose: "integer-valued",
  erf: [[-2, 2]],
  erfc: [[-2, 2]],
  Phi: [[-3, 3]],
  Phi_approx: [[-3, 3]],
  inv_Phi: [[0.05, 0.95]],
  log_Phi: [[-3, 3]],
  inv_logit: [[-4, 4]],
  logit: [[0.05, 0.95]],
  log_inv_logit: [[-4, 4]],
  log1m_inv_logit: [[-4, 4]],
  log1m: [[-2, 0.9]],
  log1p_exp: [[-4, 4]],
  log1m_exp: [[-4, -0.1]],
  log_diff_exp: [
    [1, 3],
    [-2, 0.5],
  ],
  log_sum_exp: [
    [-3, 3],
    [-3, 3],
  ],
  log_mix: [
    [0.1, 0.9],
    [-3, 3],
    [-3, 3],
  ],
  binary_log_loss: "integer-valued",
  floor: [[0.1, 0.9]],
  ceil: [[0.1, 0.9]],
  round: [[0.1, 0.4]],
  trunc: [[0.1, 0.9]],
  step: [[0.1, 3]],
  int_step: "integer-valued",
  is_inf: "integer-valued",
  is_nan: "integer-valued",
  // values other rules' partials use, not differentiated themselves
  sign__: "value-only",
  number_is_nan__: "value-only",
};

/**
 * The table's entry, else the entry's own testDomain; internal helpers without partials (derivatives
 * that other rules' partials call) are values only, int-valued rules without partials integer-valued.
 */
function domainOf(name: string): (typeof DOMAINS)[string] | undefined {
  const rule = SCALAR_RULES.get(name);
  const entry = primitive(name);
  if (DOMAINS[name] !== undefined) return DOMAINS[name];
  const own = entry?.testDomain;
  // (only an entry whose every argument has an interval: structures are for the signature tests)
  if (own && own.every((d): d is readonly [number, number] => Array.isArray(d))) return own;
  if (rule?.partials === undefined && entry?.family === "internal") return "value-only";
  if (rule?.partials === undefined && rule?.alwaysInt) return "integer-valued";
  return undefined;
}

const runtime = math as unknown as Record<string, unknown>;

function compile(text: string, arity: number): (...x: number[]) => number {
  const names = Object.keys(runtime).filter((k) => typeof runtime[k] === "function");
  const params = Array.from({ length: arity }, (_, i) => `a${i}__`);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const f = new Function(...names, ...params, `return ${text};`) as (...x: unknown[]) => number;
  const fns = names.map((n) => runtime[n]);
  return (...x: number[]) => f(...fns, ...x);
}

describe("scalar gradient rules vs finite differences", () => {
  it("every scalar rule has a gradient check", () => {
    const missing = [...SCALAR_RULES.keys()].filter((k) => domainOf(k) === undefined);
    expect(missing).toEqual([]);
  });

  for (const rule of SCALAR_RULES.values()) {
    const entry = primitive(rule.name);
    const domain = domainOf(rule.name);
    // arguments that are ints in every signature: sampled as integers, their (absent) partial not checked
    const intArgs = new Set(
      Array.from({ length: rule.arity }, (_, i) => i).filter((i) => (entry?.signatures.length ?? 0) > 0 && entry!.signatures.every((s) => s.args[i]?.base === "int")),
    );
    if (domain === undefined || domain === "integer-valued" || domain === "value-only") {
      if (domain === "integer-valued") {
        it(`${rule.name}: integer-valued, no partials`, () => {
          expect(rule.partials === undefined || rule.name === "binary_log_loss").toBe(true);
        });
      }
      continue;
    }
    it(`${rule.name}: partials at 10 random points`, () => {
      const args = Array.from({ length: rule.arity }, (_, i) => jsName(`a${i}__`));
      const valueTree = scalarValue(rule, args);
      const value = compile(printJsExpr(valueTree), rule.arity);
      const partials = (rule.partials as NonNullable<typeof rule.partials>)(jsTreeBuilder(), args, valueTree).map((p) => compile(printJsExpr(p), rule.arity));
      const rnd = seededUniform(rule.name.length * 7 + rule.name.charCodeAt(0));
      for (let k = 0; k < 10; k++) {
        const x = domain.map(([lo, hi], i) => (intArgs.has(i) ? lo + Math.floor((hi - lo + 1) * rnd()) : lo + (hi - lo) * rnd()));
        if (rule.name === "lchoose") x[0] = Math.max(x[0], x[1] + 1);
        partials.forEach((d, i) => {
          if (intArgs.has(i)) return;
          const h = 1e-5 * Math.max(1, Math.abs(x[i]));
          const up = x.slice();
          const down = x.slice();
          up[i] += h;
          down[i] -= h;
          const fd = (value(...up) - value(...down)) / (2 * h);
          const got = d(...x);
          expect(Math.abs(got - fd) / Math.max(1, Math.abs(fd)), `${rule.name} ∂/∂arg${i + 1} at ${x.join(", ")}`).toBeLessThan(1e-6);
        });
      }
    });
  }
});

describe("formula rules with a runtime twin", () => {
  // inv_logit, log_inv_logit, log1m_inv_logit, …: the compiler prints the formula (so share-pure-calls
  // sees its exp and log1p), while runtime kernels call the helper of the same name. Both must give the
  // same bits, or a model's value would depend on whether a kernel or generated code computed it.
  const twins = [...SCALAR_RULES.values()].filter((r) => !("js" in r.value) && typeof runtime[r.name] === "function");
  it("there are twins to check", () => {
    expect(twins.map((r) => r.name)).toEqual(expect.arrayContaining(["inv_logit", "log_inv_logit", "log1m_inv_logit"]));
  });
  for (const rule of twins) {
    it(`${rule.name}: formula and runtime helper agree bit for bit`, () => {
      const args = Array.from({ length: rule.arity }, (_, i) => jsName(`a${i}__`));
      const formula = compile(printJsExpr(scalarValue(rule, args)), rule.arity);
      const helper = runtime[rule.name] as (...x: number[]) => number;
      const edges = [0, -0, 1, -1, 1e-300, -1e-300, 36.7, -36.7, 37, -37, 709, -709, 745, -745, 800, -800, Infinity, -Infinity, NaN];
      const rnd = seededUniform(rule.name.length * 13 + 5);
      const points: number[][] = [];
      const domain = domainOf(rule.name);
      if (rule.arity === 1) {
        // the whole line, edges included: wide random magnitudes
        for (let k = 0; k < 20000; k++) points.push([(rnd() - 0.5) * Math.pow(10, 4 * rnd() - 1)]);
        for (const e of edges) points.push([e]);
      } else {
        // several arguments: inside the rule's gradient-check domain, where the helper does not throw
        expect(Array.isArray(domain), `${rule.name} needs a domain in DOMAINS`).toBe(true);
        const intervals = domain as readonly (readonly [number, number])[];
        for (let k = 0; k < 20000; k++) points.push(intervals.map(([lo, hi]) => lo + (hi - lo) * rnd()));
      }
      let differ = 0;
      let first = "";
      for (const x of points) {
        const a = formula(...x);
        const b = helper(...x);
        if (!Object.is(a, b)) {
          differ++;
          if (first === "") first = `${rule.name}(${x.join(", ")}): formula ${a}, helper ${b}`;
        }
      }
      expect(first).toBe("");
      expect(differ).toBe(0);
    });
  }
});
