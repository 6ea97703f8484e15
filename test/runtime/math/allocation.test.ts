/**
 * Hot kernels allocate nothing per call. Measured as the growth of V8's young generation over a
 * batch of calls after warm-up (median over batches, so a batch cut by a scavenge does not count).
 * The one allowance is the boxed double a non-inlined JavaScript call returns (a 16-byte HeapNumber,
 * the engine's calling convention, which no kernel can avoid); anything more — a temporary array, a
 * typed-array view, a closure, a second boxed double from a helper call — exceeds it.
 */
import { describe, expect, it } from "vitest";
import { getHeapSpaceStatistics } from "node:v8";
import * as kernels from "../../../src/runtime/math/index";
import {
  cholesky_factor_corr_constrain,
  cholesky_factor_corr_constrain_adj,
} from "../../../src/runtime/math/transforms";
import { type ArgValue, TestRandom, argLength } from "./gradientCheck";
import { VP_TABLE, randomCorrCholesky } from "./kernelTable";

/** The boxed return value of one call (HeapNumber: map word + float64). */
const RETURN_BOX_BYTES = 16;

function youngGenerationUsed(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name === "new_space") used += s.space_used_size;
  return used;
}

/**
 * Young-generation growth per call of `run(calls)` (which makes `calls` kernel calls): the median over
 * batches after warm-up. On a busy machine the optimising compiler may not have finished when the
 * first batches run (unoptimised code boxes every double), so up to `rounds` rounds are measured and
 * the smallest median counts: the question is whether the kernel's steady state allocates.
 */
function bytesPerCall(run: (calls: number) => void, budget: number, calls = 1000, rounds = 12): number {
  let best = Infinity;
  for (let r = 0; r < rounds && !(best <= budget); r++) {
    run(10 * calls); // warm up: optimise the kernel and its call site
    // reading the heap statistics allocates their result objects: measure that and take it off
    const probe = youngGenerationUsed();
    const overhead = youngGenerationUsed() - probe;
    const perCall: number[] = [];
    for (let b = 0; b < 9; b++) {
      const before = youngGenerationUsed();
      run(calls);
      perCall.push((youngGenerationUsed() - before - overhead) / calls);
    }
    perCall.sort((x, y) => x - y);
    best = Math.min(best, perCall[4]);
  }
  return best;
}

type AnyKernel = (...args: unknown[]) => number;
const exported = kernels as unknown as Record<string, AnyKernel>;
const sink = new Float64Array(1);

/** Calls fn with the arguments in `a` without a spread (a spread call allocates its arguments). */
function callFixed(fn: AnyKernel, a: unknown[]): number {
  switch (a.length) {
    case 2:
      return fn(a[0], a[1]);
    case 3:
      return fn(a[0], a[1], a[2]);
    case 4:
      return fn(a[0], a[1], a[2], a[3]);
    case 5:
      return fn(a[0], a[1], a[2], a[3], a[4]);
    case 6:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    case 8:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    case 9:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
    case 10:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
    case 11:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
    case 12:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
    case 13:
      return fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
    default:
      throw new Error(`callFixed: ${a.length} arguments`);
  }
}

function repeat(fn: AnyKernel, args: unknown[]): (calls: number) => void {
  return (calls) => {
    for (let i = 0; i < calls; i++) sink[0] += callFixed(fn, args);
  };
}

/** Measurement residue per call (the loop's own bookkeeping), far below any real allocation. */
const SLACK = 1;

describe("kernels called by the lecture models m1–m3 allocate nothing per call", () => {
  const K = 8;
  const L = randomCorrCholesky(new TestRandom(3), K);
  const dL = new Float64Array(K * K);
  const deta = new Float64Array(1);
  const partials = (): Float64Array[] => [1, 2, 3, 4].map(() => new Float64Array(1));
  // [name, kernel, arguments, boxed doubles allowed per call]
  const cases: [string, AnyKernel, unknown[], number][] = [
    ["lkj_corr_cholesky_lpdf_vp (eta = 2, eta data)", exported.lkj_corr_cholesky_lpdf_vp, [L, K, 2, false, dL, null], 1],
    ["lkj_corr_cholesky_lpdf_vp (eta = 1, eta a parameter)", exported.lkj_corr_cholesky_lpdf_vp, [L, K, 1, false, dL, deta], 1],
    ["lkj_corr_cholesky_lpdf", exported.lkj_corr_cholesky_lpdf, [L, K, 2, false], 1],
    ["student_t_lccdf", exported.student_t_lccdf, [0, 3, 0, 2.5], 1],
    // the wrapper and the shared tail routine may each return a boxed result
    ["student_t_lccdf_vp", exported.student_t_lccdf_vp, [0.3, 3, 0, 2.5, ...partials()], 2],
    ["student_t_lcdf_vp", exported.student_t_lcdf_vp, [0.3, 3, 0, 2.5, ...partials()], 2],
    ["multi_normal_cholesky_lpdf_vp (K = 2)", exported.multi_normal_cholesky_lpdf_vp, [new Float64Array([0.1, -0.2, 0.4, 0.3]), new Float64Array([0, 0.1]), new Float64Array([1, 0.5, 0, 0.8]), 2, false, null, new Float64Array(2), new Float64Array(4)], 1],
  ];
  const theta = new Float64Array((K * (K - 1)) / 2).map((_, i) => 0.1 * Math.sin(i + 1));
  const out = new Float64Array(K * K);
  const outAdj = new Float64Array(K * K).fill(0.25);
  const thetaAdj = new Float64Array(theta.length);
  cases.push(["cholesky_factor_corr_constrain", cholesky_factor_corr_constrain as AnyKernel, [out, theta, 0, K], 1]);
  for (const [name, fn, args, boxes] of cases) {
    it(name, () => {
      expect(Number.isFinite(callFixed(fn, args))).toBe(true);
      const budget = boxes * RETURN_BOX_BYTES + SLACK;
      expect(bytesPerCall(repeat(fn, args), budget)).toBeLessThanOrEqual(budget);
    });
  }
  it("cholesky_factor_corr_constrain_adj (returns nothing: no allowance)", () => {
    const run = (calls: number): void => {
      for (let i = 0; i < calls; i++) cholesky_factor_corr_constrain_adj(out, outAdj, theta, 0, K, 1, thetaAdj);
    };
    expect(bytesPerCall(run, SLACK)).toBeLessThanOrEqual(SLACK);
  });
  it("the measurement sees one small array per call", () => {
    const run = (calls: number): void => {
      for (let i = 0; i < calls; i++) sink[0] += new Float64Array(2)[0];
    };
    expect(bytesPerCall(run, 0)).toBeGreaterThan(2 * RETURN_BOX_BYTES + SLACK);
  });
});

/**
 * Kernels whose special-function helpers (lgamma, digamma, lbeta, erfc, log1p_exp, …) are not inlined
 * into them, so each helper call per element returns a boxed double: known debt, bounded here so that
 * it cannot grow unnoticed. Boxes per call at the test point (N ≤ 3 elements).
 */
const HELPER_BOXES: Record<string, number> = {
  normal_lcdf_vp: 7,
  normal_lccdf_vp: 7,
  std_normal_lcdf_vp: 7,
  std_normal_lccdf_vp: 7,
  student_t_lpdf_vp: 8,
  normal_id_glm_lpdf_vp: 7,
  gamma_lpdf_vp: 7,
  inv_gamma_lpdf_vp: 7,
  beta_lpdf_vp: 19,
  chi_square_lpdf_vp: 6,
  binomial_lpmf_vp: 7,
  binomial_logit_lpmf_vp: 7,
  poisson_lpmf_vp: 3,
  poisson_log_lpmf_vp: 3,
  neg_binomial_2_lpmf_vp: 11,
  neg_binomial_2_log_lpmf_vp: 15,
  ordered_logistic_lpmf_vp: 22,
  dirichlet_lpdf_vp: 23,
};

describe("every _vp kernel allocates nothing per call beyond boxed doubles", () => {
  for (const entry of VP_TABLE) {
    const boxes = HELPER_BOXES[entry.kernel] ?? 2;
    it(`${entry.kernel} (≤ ${boxes} boxed doubles)`, () => {
      const rng = new TestRandom(0xa110c + entry.kernel.length);
      const args = entry.points(rng)[0];
      const values: ArgValue[] = args.map((a) => a.value);
      const tail: unknown[] = entry.propto ? [false] : [];
      for (const a of args) {
        if (a.kind === "data") tail.push(null);
        else if (a.kind !== "fixed") tail.push(new Float64Array(argLength(a.value)));
      }
      const all = [...values, ...tail];
      const fn = exported[entry.kernel];
      expect(Number.isFinite(callFixed(fn, all))).toBe(true);
      const budget = boxes * RETURN_BOX_BYTES + SLACK;
      expect(bytesPerCall(repeat(fn, all), budget)).toBeLessThanOrEqual(budget);
    });
  }
});
