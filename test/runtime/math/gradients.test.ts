/**
 * Table-driven gradient checks: every `_vp` kernel's partials against Richardson-extrapolated
 * central differences (relative error < 1e-6) at random and edge points, its value against the
 * plain value function, and propto partials against the full ones; every scalar function's
 * derivative helpers against finite differences and, where the function is built from elementary
 * operations, against dual numbers. A final test fails if an export lacks a table entry.
 */
import { describe, expect, it } from "vitest";
import * as kernels from "../../../src/runtime/math/index";
import * as containers from "../../../src/runtime/math/containers";
import * as linalg from "../../../src/runtime/math/linalg";
import * as transforms from "../../../src/runtime/math/transforms";
import { SCALAR_RULES as COMPILER_SCALAR_RULES } from "../../../src/primitives/registry";
import {
  type Arg,
  type ArgValue,
  Dual,
  TestRandom,
  argLength,
  baseStep,
  directionsOf,
  relativeError,
  richardson,
  shifted,
} from "./gradientCheck";
import { VP_TABLE, type VpEntry } from "./kernelTable";
import { DUAL_DENSITIES, type DualArg } from "./dualDensities";
import { SPECIAL_RUNTIME_FUNCTIONS } from "../../primitives/specialPrograms";

type AnyFn = (...args: unknown[]) => number;
const exported = kernels as unknown as Record<string, unknown>;

function callVp(
  entry: VpEntry,
  values: ArgValue[],
  args: Arg[],
  propto: boolean,
  buffers: (Float64Array | null)[],
): number {
  const fn = exported[entry.kernel] as AnyFn;
  const tail: unknown[] = entry.propto ? [propto] : [];
  let b = 0;
  for (const a of args) {
    if (a.kind === "data") tail.push(null);
    else if (a.kind !== "fixed") tail.push(buffers[b++]);
  }
  return fn(...values, ...tail);
}

const TOLERANCE = 1e-6;

/** An argument as a dual number (or array of them), seeded along `dir` when given. */
function seed(value: ArgValue, isFixed: boolean, dir: Float64Array | null): DualArg {
  if (isFixed) return value;
  if (typeof value === "number") return new Dual(value, dir === null ? 0 : dir[0]);
  return Array.from(value, (v, k) => new Dual(v, dir === null ? 0 : dir[k]));
}

describe("every _vp kernel agrees with finite differences", () => {
  for (const entry of VP_TABLE) {
    it(entry.kernel, () => {
      const rng = new TestRandom(0x5eed + entry.kernel.length);
      const points = entry.points(rng);
      expect(points.length).toBeGreaterThan(0);
      for (const args of points) {
        const values = args.map((a) => a.value);
        const buffers = args
          .filter((a) => a.kind !== "fixed" && a.kind !== "data")
          .map((a) => new Float64Array(argLength(a.value)));
        const nulls = buffers.map(() => null);
        const value = callVp(entry, values, args, false, buffers);
        expect(
          Number.isFinite(value),
          `${entry.kernel} value at ${JSON.stringify(values.map(String))}`,
        ).toBe(true);
        // The value does not depend on which partials are requested.
        expect(callVp(entry, values, args, false, nulls)).toBe(value);
        const valueName = entry.kernel.replace(/_vp$/, "");
        const valueFn = exported[valueName] as AnyFn | undefined;
        expect(typeof valueFn, `${valueName} exported`).toBe("function");
        const plain = entry.propto ? valueFn!(...values, false) : valueFn!(...values);
        expect(plain).toBe(value);

        let slot = 0;
        for (let i = 0; i < args.length; i++) {
          const arg = args[i];
          if (arg.kind === "fixed" || arg.kind === "data") continue;
          const d = buffers[slot++];
          for (const dir of directionsOf(arg)) {
            let analytic = 0;
            for (let k = 0; k < dir.length; k++) analytic += d[k] * dir[k];
            const f = (t: number): number => {
              const moved = values.slice();
              moved[i] = shifted(arg.value, dir, t);
              return callVp(entry, moved, args, false, nulls);
            };
            const dual = DUAL_DENSITIES[entry.kernel];
            if (dual !== undefined) {
              const seeded = (args as Arg[]).map((a, j): DualArg =>
                seed(a.value, a.kind === "fixed", j === i ? dir : null),
              );
              const result = dual(seeded);
              const dualErr = relativeError(analytic, result.d, 1e-6);
              if (!(dualErr < 1e-9) || !(relativeError(value, result.v, 1) < 1e-10)) {
                throw new Error(
                  `${entry.kernel}: argument ${i}: analytic ${analytic}, dual ${result.d} (value ${value} vs ${result.v})`,
                );
              }
            }
            const numeric = richardson(f, baseStep(arg, dir));
            const err = relativeError(analytic, numeric);
            if (!(err < TOLERANCE)) {
              throw new Error(
                `${entry.kernel}: argument ${i} direction ${Array.from(dir).join(",")}: analytic ${analytic}, numeric ${numeric}, relative error ${err.toExponential(2)} at ${values.map((v) => (typeof v === "number" ? v : Array.from(v).join(" "))).join(" | ")}`,
              );
            }
          }
        }

        // Partials do not depend on which other partials are requested (every mask of d_ buffers).
        for (let mask = 1; mask < (1 << buffers.length) - 1; mask++) {
          const subset = buffers.map((b, s) =>
            (mask >> s) & 1 ? new Float64Array(b.length) : null,
          );
          expect(callVp(entry, values, args, false, subset)).toBe(value);
          subset.forEach((b, s) => {
            if (b === null) return;
            for (let q = 0; q < b.length; q++) {
              expect(
                relativeError(buffers[s][q], b[q], 1e-12),
                `${entry.kernel} mask ${mask}`,
              ).toBeLessThan(1e-12);
            }
          });
        }

        // propto changes only the value, never a partial (dropped terms are constant).
        if (entry.propto) {
          const proptoBuffers = buffers.map((b) => new Float64Array(b.length));
          callVp(entry, values, args, true, proptoBuffers);
          for (let s = 0; s < buffers.length; s++) {
            for (let k = 0; k < buffers[s].length; k++) {
              expect(relativeError(buffers[s][k], proptoBuffers[s][k], 1e-12)).toBeLessThan(1e-12);
            }
          }
        }
      }
    });
  }
});

describe("propto drops only terms that depend on constant arguments", () => {
  // For every subset of arguments declared constant (d_ buffer null), full − propto must not change
  // when a non-constant argument moves: the dropped part depends on constants alone.
  for (const entry of VP_TABLE.filter((e) => e.propto)) {
    it(entry.kernel, () => {
      const rng = new TestRandom(0x9e37 + entry.kernel.length);
      for (const args of entry.points(rng)) {
        const values = args.map((a) => a.value);
        const slots = args
          .map((a, i) => (a.kind === "fixed" || a.kind === "data" ? -1 : i))
          .filter((i) => i >= 0);
        for (let mask = 0; mask < 1 << slots.length; mask++) {
          const buffers = slots.map((i, b) =>
            (mask >> b) & 1 ? new Float64Array(argLength(args[i].value)) : null,
          );
          const dropped = (vals: ArgValue[]): number =>
            callVp(entry, vals, args, false, buffers) - callVp(entry, vals, args, true, buffers);
          const base = dropped(values);
          slots.forEach((i, b) => {
            if (!((mask >> b) & 1)) return;
            const dir = directionsOf(args[i])[0];
            const moved = values.slice();
            moved[i] = shifted(args[i].value, dir, 10 * baseStep(args[i], dir));
            const after = dropped(moved);
            const scale = Math.max(
              1,
              Math.abs(base),
              Math.abs(callVp(entry, values, args, false, buffers)),
            );
            if (!(Math.abs(after - base) <= 1e-11 * scale)) {
              throw new Error(
                `${entry.kernel}: dropped part moved with argument ${i} (mask ${mask}): ${base} → ${after}`,
              );
            }
          });
        }
      }
    });
  }
});

/** Exports that are not differentiable kernels, each with the reason it needs no gradient check. */
const NOT_DIFFERENTIABLE: Record<string, string> = {
  choose: "integer function",
  inc_beta_lower: "value only",
  inc_beta_upper: "value only",
  log_Phi: "helper of normal_lcdf (checked through it)",
  log_erfc: "helper of the normal cdfs (checked through them)",
  normal_hazard_ratio: "helper of the normal cdfs (checked through them)",
  student_t_upper_tail: "helper of the student_t cdfs (checked through them)",
  log_sum_exp_vector: "vector form of log_sum_exp (checked through log_sum_exp_vp)",
  log_sum_exp2: "two-argument form of log_sum_exp (checked as log_sum_exp)",
  lkj_log_constant: "constant of lkj_corr_cholesky (checked through it)",
  lkj_log_constant_deta: "checked through lkj_corr_cholesky_lpdf_vp",
  binomial_coefficient_log: "alias of lchoose",
  formatStanNumber: "message formatting",
  log1pExp: "log1p(exp(x)) of the elementary functions in one call (its bits: test/runtime/elementary/fusedAndRemembered.test.ts); log1p_exp is the kernel",
};

describe("coverage", () => {
  it("the dual-number table names only kernels in the gradient table", () => {
    const vpNames = new Set(VP_TABLE.map((e) => e.kernel));
    expect(Object.keys(DUAL_DENSITIES).filter((name) => !vpNames.has(name))).toEqual([]);
  });
  it("every exported kernel has a gradient-table entry", () => {
    const vpNames = new Set(VP_TABLE.map((e) => e.kernel));
    // runtime functions a compiler scalar rule calls for its value: test/ad/scalarRules.test.ts
    // checks the rule's partials against finite differences of that value
    const ruleValues = new Set([...COMPILER_SCALAR_RULES.values()].flatMap((r) => ("js" in r.value ? [r.value.js] : [])));
    // a rule printed as a formula whose runtime helper of the same name kernels still call:
    // test/ad/scalarRules.test.ts checks the two give the same bits, and the rule's partials
    for (const r of COMPILER_SCALAR_RULES.values()) if (!("js" in r.value) && typeof exported[r.name] === "function") ruleValues.add(r.name);
    // Container-valued kernels and transforms are checked by their own adjoint tests.
    const elsewhere = new Set([
      ...Object.keys(linalg),
      ...Object.keys(containers),
      ...Object.keys(transforms),
    ]);
    const missing: string[] = [];
    for (const [name, value] of Object.entries(exported)) {
      if (elsewhere.has(name)) continue;
      if (name.endsWith("_vp")) {
        if (!vpNames.has(name)) missing.push(name);
        continue;
      }
      if (ruleValues.has(name)) continue;
      if (name.endsWith("_rng")) continue;
      if (/^[A-Z][A-Z0-9_]*$/.test(name) && typeof value === "number") continue; // constants
      if (typeof exported[`${name}_vp`] === "function") continue; // value function of a checked _vp
      if (name in NOT_DIFFERENTIABLE) continue;
      if (SPECIAL_RUNTIME_FUNCTIONS.includes(name)) continue; // checked in test/primitives/special.test.ts
      if (name === "log_bessel_i0" || name === "bessel_i1_over_i0") continue; // checked in test/primitives/continuous.test.ts
      missing.push(name);
    }
    expect(missing).toEqual([]);
    // and every runtime function a rule names exists
    for (const js of ruleValues) if (!js.includes(".")) expect(typeof exported[js], js).toBe("function");
  });
});
