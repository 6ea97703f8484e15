import { describe, expect, it } from "vitest";
import * as CT from "../../../src/runtime/math/containers";
import { StanDomainError } from "../../../src/runtime/model";

import { rng, randomVector, type KernelCase, checkAdjoint } from "./adjointHarness";

// ─────────────────────────────────────────── the cases ───────────────────────────────────────────

const N = 5;
const R = 3;
const C = 4;
const positive = (n: number) => randomVector(n).map((v) => 0.5 + Math.abs(v));
/** Distinct values, so the sort permutation is locally constant. */
const distinct = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => ((i * 3) % n) + 0.2 * rng());

type Binary = (out: Float64Array, a: Float64Array, b: Float64Array, n: number) => void;
type BinaryAdj = (
  g: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  aa: Float64Array | null,
  ba: Float64Array | null,
) => void;
function binary(kernel: string, f: Binary, adj: BinaryAdj, b = randomVector(N)): KernelCase {
  return {
    kernel,
    label: kernel,
    args: [randomVector(N), b],
    forward: ([a, bb]) => {
      const o = new Float64Array(N);
      f(o, a, bb, N);
      return o;
    },
    adjoint: (g, o, [a, bb], [aa, ba]) => adj(g, a, bb, N, aa, ba),
  };
}
type WithScalar = (out: Float64Array, a: Float64Array, s: number, n: number) => void;
type WithScalarAdj = (
  g: Float64Array,
  a: Float64Array,
  s: number,
  n: number,
  aa: Float64Array | null,
  sa: Float64Array | null,
) => void;
function containerScalar(kernel: string, f: WithScalar, adj: WithScalarAdj, s = 1.3): KernelCase {
  return {
    kernel,
    label: kernel,
    args: [randomVector(N), Float64Array.of(s)],
    forward: ([a, sv]) => {
      const o = new Float64Array(N);
      f(o, a, sv[0], N);
      return o;
    },
    adjoint: (g, o, [a, sv], [aa, sa]) => adj(g, a, sv[0], N, aa, sa),
  };
}
type ScalarFirst = (out: Float64Array, s: number, a: Float64Array, n: number) => void;
type ScalarFirstAdj = (
  g: Float64Array,
  s: number,
  a: Float64Array,
  n: number,
  sa: Float64Array | null,
  aa: Float64Array | null,
) => void;
function scalarContainer(
  kernel: string,
  f: ScalarFirst,
  adj: ScalarFirstAdj,
  a = randomVector(N),
): KernelCase {
  return {
    kernel,
    label: kernel,
    args: [Float64Array.of(0.8), a],
    forward: ([sv, aa]) => {
      const o = new Float64Array(N);
      f(o, sv[0], aa, N);
      return o;
    },
    adjoint: (g, o, [sv, aa], [sa, aAdj]) => adj(g, sv[0], aa, N, sa, aAdj),
  };
}
/** One container argument, output of length outLen; `usesOut` adjoints get the forward result. */
function unary(
  kernel: string,
  x: Float64Array,
  outLen: number,
  f: (out: Float64Array, x: Float64Array) => void,
  adj: (g: Float64Array, out: Float64Array, x: Float64Array, xa: Float64Array | null) => void,
  label = kernel,
): KernelCase {
  return {
    kernel,
    label,
    args: [x],
    forward: ([xx]) => {
      const o = new Float64Array(outLen);
      f(o, xx);
      return o;
    },
    adjoint: (g, o, [xx], [xa]) => adj(g, o, xx, xa),
  };
}
function replicate(
  kernel: string,
  outLen: number,
  f: (out: Float64Array, x: number) => void,
  adj: (g: Float64Array, x: number, xa: Float64Array | null) => void,
): KernelCase {
  return {
    kernel,
    label: kernel,
    args: [Float64Array.of(-0.6)],
    forward: ([x]) => {
      const o = new Float64Array(outLen);
      f(o, x[0]);
      return o;
    },
    adjoint: (g, o, [x], [xa]) => adj(g, x[0], xa),
  };
}

const cases: KernelCase[] = [
  binary("add", CT.add, CT.add_adj),
  binary("subtract", CT.subtract, CT.subtract_adj),
  binary("elt_multiply", CT.elt_multiply, CT.elt_multiply_adj),
  binary("elt_divide", CT.elt_divide, CT.elt_divide_adj, positive(N)),
  containerScalar("add_scalar", CT.add_scalar, CT.add_scalar_adj),
  containerScalar("subtract_scalar", CT.subtract_scalar, CT.subtract_scalar_adj),
  containerScalar("divide_scalar", CT.divide_scalar, CT.divide_scalar_adj),
  scalarContainer("scalar_subtract", CT.scalar_subtract, CT.scalar_subtract_adj),
  scalarContainer("scalar_elt_divide", CT.scalar_elt_divide, CT.scalar_elt_divide_adj, positive(N)),
  unary(
    "minus",
    randomVector(N),
    N,
    (o, x) => CT.minus(o, x, N),
    (g, o, x, xa) => CT.minus_adj(g, x, N, xa),
  ),
  replicate(
    "rep_vector",
    N,
    (o, x) => CT.rep_vector(o, x, N),
    (g, x, xa) => CT.rep_vector_adj(g, x, N, xa),
  ),
  replicate(
    "rep_row_vector",
    N,
    (o, x) => CT.rep_row_vector(o, x, N),
    (g, x, xa) => CT.rep_row_vector_adj(g, x, N, xa),
  ),
  replicate(
    "rep_array",
    N,
    (o, x) => CT.rep_array(o, x, N),
    (g, x, xa) => CT.rep_array_adj(g, x, N, xa),
  ),
  replicate(
    "rep_matrix",
    R * C,
    (o, x) => CT.rep_matrix(o, x, R, C),
    (g, x, xa) => CT.rep_matrix_adj(g, x, R, C, xa),
  ),
  unary(
    "rep_array_container",
    randomVector(R),
    R * C,
    (o, v) => CT.rep_array_container(o, v, R, C),
    (g, o, v, va) => CT.rep_array_container_adj(g, v, R, C, va),
  ),
  unary(
    "rep_matrix_vector",
    randomVector(R),
    R * C,
    (o, v) => CT.rep_matrix_vector(o, v, R, C),
    (g, o, v, va) => CT.rep_matrix_vector_adj(g, v, R, C, va),
  ),
  unary(
    "rep_matrix_row_vector",
    randomVector(C),
    R * C,
    (o, v) => CT.rep_matrix_row_vector(o, v, R, C),
    (g, o, v, va) => CT.rep_matrix_row_vector_adj(g, v, R, C, va),
  ),
  unary(
    "to_vector",
    randomVector(R * C),
    R * C,
    (o, x) => CT.to_vector(o, x, R * C),
    (g, o, x, xa) => CT.to_vector_adj(g, x, R * C, xa),
  ),
  unary(
    "to_row_vector",
    randomVector(R * C),
    R * C,
    (o, x) => CT.to_row_vector(o, x, R * C),
    (g, o, x, xa) => CT.to_row_vector_adj(g, x, R * C, xa),
  ),
  unary(
    "to_array_1d",
    randomVector(R * C),
    R * C,
    (o, x) => CT.to_array_1d(o, x, R * C),
    (g, o, x, xa) => CT.to_array_1d_adj(g, x, R * C, xa),
  ),
  unary(
    "to_matrix",
    randomVector(R * C),
    R * C,
    (o, x) => CT.to_matrix(o, x, R, C),
    (g, o, x, xa) => CT.to_matrix_adj(g, x, R, C, xa),
  ),
  unary(
    "to_matrix_row_major",
    randomVector(R * C),
    R * C,
    (o, x) => CT.to_matrix_row_major(o, x, R, C),
    (g, o, x, xa) => CT.to_matrix_row_major_adj(g, x, R, C, xa),
  ),
  {
    kernel: "append_row",
    label: "append_row (matrices)",
    args: [randomVector(2 * C), randomVector(R * C)],
    forward: ([a, b]) => {
      const o = new Float64Array((2 + R) * C);
      CT.append_row(o, a, b, 2, R, C);
      return o;
    },
    adjoint: (g, o, [a, b], [aa, ba]) => CT.append_row_adj(g, a, b, 2, R, C, aa, ba),
  },
  {
    kernel: "append_col",
    label: "append_col (matrices)",
    args: [randomVector(R * 2), randomVector(R * C)],
    forward: ([a, b]) => {
      const o = new Float64Array(R * (2 + C));
      CT.append_col(o, a, b, R, 2, C);
      return o;
    },
    adjoint: (g, o, [a, b], [aa, ba]) => CT.append_col_adj(g, a, b, R, 2, C, aa, ba),
  },
  unary(
    "head",
    randomVector(N),
    3,
    (o, v) => CT.head(o, v, 3),
    (g, o, v, va) => CT.head_adj(g, v, 3, va),
  ),
  unary(
    "tail",
    randomVector(N),
    2,
    (o, v) => CT.tail(o, v, N, 2),
    (g, o, v, va) => CT.tail_adj(g, v, N, 2, va),
  ),
  unary(
    "segment",
    randomVector(N),
    3,
    (o, v) => CT.segment(o, v, 1, 3),
    (g, o, v, va) => CT.segment_adj(g, v, 1, 3, va),
  ),
  unary(
    "block",
    randomVector(R * C),
    2 * 2,
    (o, M) => CT.block(o, M, R, C, 1, 2, 2, 2),
    (g, o, M, Ma) => CT.block_adj(g, M, R, C, 1, 2, 2, 2, Ma),
  ),
  unary(
    "col",
    randomVector(R * C),
    R,
    (o, M) => CT.col(o, M, R, C, 2),
    (g, o, M, Ma) => CT.col_adj(g, M, R, C, 2, Ma),
  ),
  unary(
    "row",
    randomVector(R * C),
    C,
    (o, M) => CT.row(o, M, R, C, 1),
    (g, o, M, Ma) => CT.row_adj(g, M, R, C, 1, Ma),
  ),
  unary(
    "diag_matrix",
    randomVector(R),
    R * R,
    (o, v) => CT.diag_matrix(o, v, R),
    (g, o, v, va) => CT.diag_matrix_adj(g, v, R, va),
  ),
  unary(
    "reverse",
    randomVector(N),
    N,
    (o, v) => CT.reverse(o, v, N),
    (g, o, v, va) => CT.reverse_adj(g, v, N, va),
  ),
  unary(
    "cumulative_sum",
    randomVector(N),
    N,
    (o, v) => CT.cumulative_sum(o, v, N),
    (g, o, v, va) => CT.cumulative_sum_adj(g, v, N, va),
  ),
  unary(
    "sort_asc",
    distinct(7),
    7,
    (o, v) => CT.sort_asc(o, v, 7),
    (g, o, v, va) => CT.sort_asc_adj(g, v, 7, va),
  ),
  unary(
    "sort_desc",
    distinct(7),
    7,
    (o, v) => CT.sort_desc(o, v, 7),
    (g, o, v, va) => CT.sort_desc_adj(g, v, 7, va),
  ),
  unary(
    "softmax",
    randomVector(N),
    N,
    (o, v) => CT.softmax(o, v, N),
    (g, o, v, va) => CT.softmax_adj(g, o, v, N, va),
  ),
  unary(
    "log_softmax",
    randomVector(N),
    N,
    (o, v) => CT.log_softmax(o, v, N),
    (g, o, v, va) => CT.log_softmax_adj(g, o, v, N, va),
  ),
  unary(
    "exp_elementwise",
    randomVector(N),
    N,
    (o, x) => CT.exp_elementwise(o, x, N),
    (g, o, x, xa) => CT.exp_elementwise_adj(g, o, x, N, xa),
  ),
  unary(
    "log_elementwise",
    positive(N),
    N,
    (o, x) => CT.log_elementwise(o, x, N),
    (g, o, x, xa) => CT.log_elementwise_adj(g, o, x, N, xa),
  ),
  unary(
    "square_elementwise",
    randomVector(N),
    N,
    (o, x) => CT.square_elementwise(o, x, N),
    (g, o, x, xa) => CT.square_elementwise_adj(g, o, x, N, xa),
  ),
  unary(
    "sqrt_elementwise",
    positive(N),
    N,
    (o, x) => CT.sqrt_elementwise(o, x, N),
    (g, o, x, xa) => CT.sqrt_elementwise_adj(g, o, x, N, xa),
  ),
  unary(
    "inv_logit_elementwise",
    Float64Array.of(-40, -2, 0, 1.5, 35),
    N,
    (o, x) => CT.inv_logit_elementwise(o, x, N),
    (g, o, x, xa) => CT.inv_logit_elementwise_adj(g, o, x, N, xa),
  ),
  unary(
    "log1p_exp_elementwise",
    Float64Array.of(-40, -2, 0, 1.5, 35),
    N,
    (o, x) => CT.log1p_exp_elementwise(o, x, N),
    (g, o, x, xa) => CT.log1p_exp_elementwise_adj(g, o, x, N, xa),
  ),
];

describe("container adjoints agree with finite differences and pass the dot-product test", () => {
  for (const c of cases) it(c.label, () => checkAdjoint(c));

  it("every exported forward kernel has an adjoint and a checked case", () => {
    const names = Object.keys(CT);
    const tested = new Set(cases.map((c) => c.kernel));
    for (const name of names) {
      if (name.endsWith("_adj")) continue;
      expect(names, `${name} has no adjoint`).toContain(`${name}_adj`);
      expect(tested, `${name} has no adjoint test`).toContain(name);
    }
  });
});

describe("container forward values", () => {
  const run = (f: (o: Float64Array) => void, n: number) => {
    const o = new Float64Array(n);
    f(o);
    return Array.from(o);
  };
  // M = [[1, 2, 3], [4, 5, 6]] column-major.
  const M = Float64Array.of(1, 4, 2, 5, 3, 6);

  it("slices and reshapes follow Stan's column-major conventions", () => {
    expect(run((o) => CT.col(o, M, 2, 3, 1), 2)).toEqual([2, 5]);
    expect(run((o) => CT.row(o, M, 2, 3, 1), 3)).toEqual([4, 5, 6]);
    expect(run((o) => CT.block(o, M, 2, 3, 0, 1, 2, 2), 4)).toEqual([2, 5, 3, 6]);
    expect(run((o) => CT.to_vector(o, M, 6), 6)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(
      run((o) => CT.to_matrix_row_major(o, Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3), 6),
    ).toEqual([1, 4, 2, 5, 3, 6]);
    expect(
      run((o) => CT.append_row(o, Float64Array.of(1, 2), Float64Array.of(3), 2, 1, 1), 3),
    ).toEqual([1, 2, 3]);
    expect(run((o) => CT.append_row(o, M, Float64Array.of(7, 8, 9), 2, 1, 3), 9)).toEqual([
      1, 4, 7, 2, 5, 8, 3, 6, 9,
    ]);
    expect(run((o) => CT.append_col(o, M, Float64Array.of(7, 8), 2, 3, 1), 8)).toEqual([
      1, 4, 2, 5, 3, 6, 7, 8,
    ]);
    expect(run((o) => CT.rep_matrix_vector(o, Float64Array.of(1, 2), 2, 2), 4)).toEqual([
      1, 2, 1, 2,
    ]);
    expect(run((o) => CT.rep_matrix_row_vector(o, Float64Array.of(1, 2), 2, 2), 4)).toEqual([
      1, 1, 2, 2,
    ]);
    expect(run((o) => CT.rep_vector(o, 2.5, 3), 3)).toEqual([2.5, 2.5, 2.5]);
    expect(run((o) => CT.tail(o, Float64Array.of(1, 2, 3, 4), 4, 2), 2)).toEqual([3, 4]);
    expect(run((o) => CT.segment(o, Float64Array.of(1, 2, 3, 4), 1, 2), 2)).toEqual([2, 3]);
    expect(run((o) => CT.cumulative_sum(o, Float64Array.of(1, 2, 3), 3), 3)).toEqual([1, 3, 6]);
    expect(run((o) => CT.diag_matrix(o, Float64Array.of(1, 2), 2), 4)).toEqual([1, 0, 0, 2]);
  });

  it("sorts stably, rejects NaN, and softmax is stable for large inputs", () => {
    const v = Float64Array.of(3, -1, 2, -1, 10, 0);
    expect(run((o) => CT.sort_asc(o, v, 6), 6)).toEqual([-1, -1, 0, 2, 3, 10]);
    expect(run((o) => CT.sort_desc(o, v, 6), 6)).toEqual([10, 3, 2, 0, -1, -1]);
    expect(() => CT.sort_asc(new Float64Array(2), Float64Array.of(1, NaN), 2)).toThrow(
      StanDomainError,
    );
    const s = run((o) => CT.softmax(o, Float64Array.of(1000, 1000), 2), 2);
    expect(s).toEqual([0.5, 0.5]);
    const ls = run((o) => CT.log_softmax(o, Float64Array.of(1000, 1000), 2), 2);
    ls.forEach((x) => expect(x).toBeCloseTo(-Math.LN2, 12));
    const big = run((o) => CT.log1p_exp_elementwise(o, Float64Array.of(800, -800), 2), 2);
    expect(big).toEqual([800, 0]);
  });
});
