import { describe, expect, it } from "vitest";
import * as LA from "../../../src/runtime/math/linalg";
import { StanDomainError } from "../../../src/runtime/model";

import { randomVector, type KernelCase, checkAdjoint } from "./adjointHarness";

// ─────────────────────────────────────────── test matrices ───────────────────────────────────────────

const mat = (r: number, c: number) => randomVector(r * c);
function spd(n: number): Float64Array {
  const M = mat(n, n);
  const A = new Float64Array(n * n);
  LA.tcrossprod(A, M, n, n);
  for (let i = 0; i < n; i++) A[i + i * n] += n;
  return A;
}
function lowerTri(n: number): Float64Array {
  const L = mat(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) L[i + j * n] = 0;
    L[j + j * n] = 1 + Math.abs(L[j + j * n]);
  }
  return L;
}
function wellConditioned(n: number): Float64Array {
  const A = mat(n, n);
  for (let i = 0; i < n; i++) A[i + i * n] += 3 * (i % 2 === 0 ? 1 : -1);
  return A;
}

const cases: KernelCase[] = [];
const R = 3;
const C = 4;
const K = 2;

cases.push(
  {
    kernel: "multiply_matrix_vector",
    label: "matrix × vector",
    args: [mat(R, C), randomVector(C)],
    forward: ([A, x]) => {
      const o = new Float64Array(R);
      LA.multiply_matrix_vector(o, A, x, R, C);
      return o;
    },
    adjoint: (g, o, [A, x], [Aa, xa]) => LA.multiply_matrix_vector_adj(g, A, x, R, C, Aa, xa),
  },
  {
    kernel: "multiply_matrix_matrix",
    label: "matrix × matrix",
    args: [mat(R, C), mat(C, K)],
    forward: ([A, B]) => {
      const o = new Float64Array(R * K);
      LA.multiply_matrix_matrix(o, A, B, R, C, K);
      return o;
    },
    adjoint: (g, o, [A, B], [Aa, Ba]) => LA.multiply_matrix_matrix_adj(g, A, B, R, C, K, Aa, Ba),
  },
  {
    kernel: "multiply_row_vector_matrix",
    label: "row_vector × matrix",
    args: [randomVector(C), mat(C, K)],
    forward: ([r, B]) => {
      const o = new Float64Array(K);
      LA.multiply_row_vector_matrix(o, r, B, C, K);
      return o;
    },
    adjoint: (g, o, [r, B], [ra, Ba]) => LA.multiply_row_vector_matrix_adj(g, r, B, C, K, ra, Ba),
  },
  {
    kernel: "multiply_row_vector_vector",
    label: "row_vector × vector",
    args: [randomVector(C), randomVector(C)],
    forward: ([r, v]) => Float64Array.of(LA.multiply_row_vector_vector(r, v, C)),
    adjoint: (g, o, [r, v], [ra, va]) => LA.multiply_row_vector_vector_adj(g[0], r, v, C, ra, va),
  },
  {
    kernel: "multiply_vector_row_vector",
    label: "vector × row_vector",
    args: [randomVector(R), randomVector(C)],
    forward: ([v, r]) => {
      const o = new Float64Array(R * C);
      LA.multiply_vector_row_vector(o, v, r, R, C);
      return o;
    },
    adjoint: (g, o, [v, r], [va, ra]) => LA.multiply_vector_row_vector_adj(g, v, r, R, C, va, ra),
  },
  {
    kernel: "multiply_scalar",
    label: "scalar × matrix",
    args: [Float64Array.of(1.7), mat(R, C)],
    forward: ([s, X]) => {
      const o = new Float64Array(R * C);
      LA.multiply_scalar(o, s[0], X, R * C);
      return o;
    },
    adjoint: (g, o, [s, X], [sa, Xa]) => LA.multiply_scalar_adj(g, s[0], X, R * C, sa, Xa),
  },
  {
    kernel: "diag_pre_multiply",
    label: "diag_pre_multiply",
    args: [randomVector(R), mat(R, C)],
    forward: ([v, M]) => {
      const o = new Float64Array(R * C);
      LA.diag_pre_multiply(o, v, M, R, C);
      return o;
    },
    adjoint: (g, o, [v, M], [va, Ma]) => LA.diag_pre_multiply_adj(g, v, M, R, C, va, Ma),
  },
  {
    kernel: "diag_post_multiply",
    label: "diag_post_multiply",
    args: [mat(R, C), randomVector(C)],
    forward: ([M, v]) => {
      const o = new Float64Array(R * C);
      LA.diag_post_multiply(o, M, v, R, C);
      return o;
    },
    adjoint: (g, o, [M, v], [Ma, va]) => LA.diag_post_multiply_adj(g, M, v, R, C, Ma, va),
  },
  {
    kernel: "transpose",
    label: "transpose",
    args: [mat(R, C)],
    forward: ([M]) => {
      const o = new Float64Array(R * C);
      LA.transpose(o, M, R, C);
      return o;
    },
    adjoint: (g, o, [M], [Ma]) => LA.transpose_adj(g, M, R, C, Ma),
  },
  ...[
    [3, 3],
    [4, 2],
    [2, 3],
  ].map(([r, c]): KernelCase => ({
    kernel: "multiply_lower_tri_self_transpose",
    label: `multiply_lower_tri_self_transpose ${r}×${c}`,
    // Entries above the diagonal are not read: their adjoint must be zero, as FD confirms.
    args: [mat(r, c)],
    forward: ([L]) => {
      const o = new Float64Array(r * r);
      LA.multiply_lower_tri_self_transpose(o, L, r, c);
      return o;
    },
    adjoint: (g, o, [L], [La]) => LA.multiply_lower_tri_self_transpose_adj(g, L, r, c, La),
  })),
  {
    kernel: "tcrossprod",
    label: "tcrossprod",
    args: [mat(R, C)],
    forward: ([A]) => {
      const o = new Float64Array(R * R);
      LA.tcrossprod(o, A, R, C);
      return o;
    },
    adjoint: (g, o, [A], [Aa]) => LA.tcrossprod_adj(g, A, R, C, Aa),
  },
  {
    kernel: "crossprod",
    label: "crossprod",
    args: [mat(R, C)],
    forward: ([A]) => {
      const o = new Float64Array(C * C);
      LA.crossprod(o, A, R, C);
      return o;
    },
    adjoint: (g, o, [A], [Aa]) => LA.crossprod_adj(g, A, R, C, Aa),
  },
  {
    kernel: "quad_form",
    label: "quad_form(matrix, matrix)",
    args: [mat(R, R), mat(R, K)],
    forward: ([A, B]) => {
      const o = new Float64Array(K * K);
      LA.quad_form(o, A, B, R, K);
      return o;
    },
    adjoint: (g, o, [A, B], [Aa, Ba]) => LA.quad_form_adj(g, A, B, R, K, Aa, Ba),
  },
  {
    kernel: "quad_form_vector",
    label: "quad_form(matrix, vector)",
    args: [mat(R, R), randomVector(R)],
    forward: ([A, v]) => Float64Array.of(LA.quad_form_vector(A, v, R)),
    adjoint: (g, o, [A, v], [Aa, va]) => LA.quad_form_vector_adj(g[0], A, v, R, Aa, va),
  },
  {
    kernel: "columns_dot_product",
    label: "columns_dot_product",
    args: [mat(R, C), mat(R, C)],
    forward: ([A, B]) => {
      const o = new Float64Array(C);
      LA.columns_dot_product(o, A, B, R, C);
      return o;
    },
    adjoint: (g, o, [A, B], [Aa, Ba]) => LA.columns_dot_product_adj(g, A, B, R, C, Aa, Ba),
  },
  {
    kernel: "rows_dot_product",
    label: "rows_dot_product",
    args: [mat(R, C), mat(R, C)],
    forward: ([A, B]) => {
      const o = new Float64Array(R);
      LA.rows_dot_product(o, A, B, R, C);
      return o;
    },
    adjoint: (g, o, [A, B], [Aa, Ba]) => LA.rows_dot_product_adj(g, A, B, R, C, Aa, Ba),
  },
  {
    kernel: "mdivide_left_tri_low",
    label: "mdivide_left_tri_low (matrix right-hand side)",
    args: [lowerTri(R), mat(R, K)],
    forward: ([L, B]) => {
      const o = new Float64Array(R * K);
      LA.mdivide_left_tri_low(o, L, B, R, K);
      return o;
    },
    adjoint: (g, o, [L, B], [La, Ba]) => LA.mdivide_left_tri_low_adj(g, o, L, B, R, K, La, Ba),
  },
  {
    kernel: "mdivide_left_tri_low",
    label: "mdivide_left_tri_low (vector right-hand side)",
    args: [lowerTri(C), randomVector(C)],
    forward: ([L, b]) => {
      const o = new Float64Array(C);
      LA.mdivide_left_tri_low(o, L, b, C, 1);
      return o;
    },
    adjoint: (g, o, [L, b], [La, ba]) => LA.mdivide_left_tri_low_adj(g, o, L, b, C, 1, La, ba),
  },
  {
    kernel: "mdivide_right_tri_low",
    label: "mdivide_right_tri_low",
    args: [mat(K, R), lowerTri(R)],
    forward: ([B, L]) => {
      const o = new Float64Array(K * R);
      LA.mdivide_right_tri_low(o, B, L, K, R);
      return o;
    },
    adjoint: (g, o, [B, L], [Ba, La]) => LA.mdivide_right_tri_low_adj(g, o, B, L, K, R, Ba, La),
  },
  ...[1, 2, 4].map((n): KernelCase => ({
    kernel: "cholesky_decompose",
    label: `cholesky_decompose ${n}×${n}`,
    args: [spd(n)],
    symmetric: [{ index: 0, n }],
    forward: ([A]) => {
      const o = new Float64Array(n * n);
      LA.cholesky_decompose(o, A, n);
      return o;
    },
    adjoint: (g, o, [A], [Aa]) => LA.cholesky_decompose_adj(g, o, A, n, Aa),
  })),
  {
    kernel: "inverse",
    label: "inverse",
    args: [wellConditioned(R)],
    forward: ([A]) => {
      const o = new Float64Array(R * R);
      LA.inverse(o, A, R);
      return o;
    },
    adjoint: (g, o, [A], [Aa]) => LA.inverse_adj(g, o, A, R, Aa),
  },
  {
    kernel: "log_determinant",
    label: "log_determinant",
    args: [wellConditioned(C)],
    forward: ([A]) => Float64Array.of(LA.log_determinant(A, C)),
    adjoint: (g, o, [A], [Aa]) => LA.log_determinant_adj(g[0], A, C, Aa),
  },
  {
    kernel: "determinant",
    label: "determinant",
    args: [wellConditioned(R)],
    forward: ([A]) => Float64Array.of(LA.determinant(A, R)),
    adjoint: (g, o, [A], [Aa]) => LA.determinant_adj(g[0], A, R, Aa),
  },
);

function symmetricMatrix(n: number): Float64Array {
  const A = mat(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) A[i + j * n] = A[j + i * n];
  return A;
}

cases.push(
  {
    kernel: "quad_form_diag",
    label: "quad_form_diag",
    args: [mat(R, R), randomVector(R)],
    forward: ([M, v]) => {
      const o = new Float64Array(R * R);
      LA.quad_form_diag(o, M, v, R);
      return o;
    },
    adjoint: (g, o, [M, v], [Ma, va]) => LA.quad_form_diag_adj(g, M, v, R, Ma, va),
  },
  {
    kernel: "quad_form_sym",
    label: "quad_form_sym",
    args: [symmetricMatrix(C), mat(C, K)],
    symmetric: [{ index: 0, n: C }],
    forward: ([A, B]) => {
      const o = new Float64Array(K * K);
      LA.quad_form_sym(o, A, B, C, K);
      return o;
    },
    adjoint: (g, o, [A, B], [Aa, Ba]) => LA.quad_form_sym_adj(g, A, B, C, K, Aa, Ba),
  },
  {
    kernel: "trace",
    label: "trace",
    args: [mat(R, R)],
    forward: ([M]) => Float64Array.of(LA.trace(M, R)),
    adjoint: (g, o, [M], [Ma]) => LA.trace_adj(g[0], M, R, Ma),
  },
  {
    kernel: "diagonal",
    label: "diagonal (non-square)",
    args: [mat(C, R)],
    forward: ([M]) => {
      const o = new Float64Array(R);
      LA.diagonal(o, M, C, R);
      return o;
    },
    adjoint: (g, o, [M], [Ma]) => LA.diagonal_adj(g, M, C, R, Ma),
  },
  {
    kernel: "add_diag",
    label: "add_diag (vector)",
    args: [mat(R, R), randomVector(R)],
    forward: ([M, d]) => {
      const o = new Float64Array(R * R);
      LA.add_diag(o, M, d, R);
      return o;
    },
    adjoint: (g, o, [M, d], [Ma, da]) => LA.add_diag_adj(g, M, d, R, Ma, da),
  },
  {
    kernel: "add_diag_scalar",
    label: "add_diag (scalar)",
    args: [mat(R, R), Float64Array.of(0.7)],
    forward: ([M, s]) => {
      const o = new Float64Array(R * R);
      LA.add_diag_scalar(o, M, s[0], R);
      return o;
    },
    adjoint: (g, o, [M, s], [Ma, sa]) => LA.add_diag_scalar_adj(g, M, s[0], R, Ma, sa),
  },
  ...[
    [5, 3],
    [3, 3],
    [2, 4],
  ].flatMap(([m, n]): KernelCase[] => {
    const k = Math.min(m, n);
    return [
      {
        kernel: "qr_thin_Q",
        label: `qr_thin_Q ${m}×${n}`,
        args: [mat(m, n)],
        forward: ([A]) => {
          const o = new Float64Array(m * k);
          LA.qr_thin_Q(o, A, m, n);
          return o;
        },
        adjoint: (g, o, [A], [Aa]) => LA.qr_thin_Q_adj(g, o, A, m, n, Aa),
      },
      {
        kernel: "qr_thin_R",
        label: `qr_thin_R ${m}×${n}`,
        args: [mat(m, n)],
        forward: ([A]) => {
          const o = new Float64Array(k * n);
          LA.qr_thin_R(o, A, m, n);
          return o;
        },
        adjoint: (g, o, [A], [Aa]) => LA.qr_thin_R_adj(g, o, A, m, n, Aa),
      },
    ];
  }),
);

describe("linear-algebra adjoints agree with finite differences and pass the dot-product test", () => {
  for (const c of cases) it(c.label, () => checkAdjoint(c));

  it("every exported forward kernel has an adjoint and a checked case", () => {
    const names = Object.keys(LA);
    const tested = new Set(cases.map((c) => c.kernel));
    // Full QR: value kernels only (compiled models differentiate src/primitives/expansions/linalg.ts's loops).
    const valueOnly = new Set(["qr_Q", "qr_R"]);
    for (const name of names) {
      if (name.endsWith("_adj") || valueOnly.has(name)) continue;
      expect(names, `${name} has no adjoint`).toContain(`${name}_adj`);
      expect(tested, `${name} has no adjoint test`).toContain(name);
    }
  });
});

describe("linear-algebra forward values", () => {
  it("multiply and transpose by hand", () => {
    // A = [[1, 2], [3, 4], [5, 6]] column-major.
    const A = Float64Array.of(1, 3, 5, 2, 4, 6);
    const y = new Float64Array(3);
    LA.multiply_matrix_vector(y, A, Float64Array.of(1, -1), 3, 2);
    expect(Array.from(y)).toEqual([-1, -1, -1]);
    const At = new Float64Array(6);
    LA.transpose(At, A, 3, 2);
    expect(Array.from(At)).toEqual([1, 2, 3, 4, 5, 6]);
    const D = new Float64Array(6);
    LA.diag_pre_multiply(D, Float64Array.of(2, 0, -1), A, 3, 2);
    expect(Array.from(D)).toEqual([2, 0, -5, 4, 0, -6]);
  });

  it("cholesky_decompose reproduces A and multiply_lower_tri_self_transpose inverts it", () => {
    const A = spd(4);
    const L = new Float64Array(16);
    LA.cholesky_decompose(L, A, 4);
    for (let j = 0; j < 4; j++) for (let i = 0; i < j; i++) expect(L[i + j * 4]).toBe(0);
    const back = new Float64Array(16);
    LA.multiply_lower_tri_self_transpose(back, L, 4, 4);
    back.forEach((v, p) => expect(v).toBeCloseTo(A[p], 12));
  });

  it("inverse, determinant and triangular solves agree with each other", () => {
    const A = wellConditioned(4);
    const Ainv = new Float64Array(16);
    LA.inverse(Ainv, A, 4);
    const I = new Float64Array(16);
    LA.multiply_matrix_matrix(I, A, Ainv, 4, 4, 4);
    I.forEach((v, p) => expect(v).toBeCloseTo(p % 5 === 0 ? 1 : 0, 12));
    expect(Math.log(Math.abs(LA.determinant(A, 4)))).toBeCloseTo(LA.log_determinant(A, 4), 12);
    expect(LA.determinant(Float64Array.of(1, 3, 2, 4), 2)).toBeCloseTo(-2, 14);
    const L = lowerTri(3);
    const B = mat(3, 2);
    const X = new Float64Array(6);
    LA.mdivide_left_tri_low(X, L, B, 3, 2);
    const LX = new Float64Array(6);
    LA.multiply_matrix_matrix(LX, L, X, 3, 3, 2);
    LX.forEach((v, p) => expect(v).toBeCloseTo(B[p], 12));
    const Bt = mat(2, 3);
    const Y = new Float64Array(6);
    LA.mdivide_right_tri_low(Y, Bt, L, 2, 3);
    const YL = new Float64Array(6);
    LA.multiply_matrix_matrix(YL, Y, L, 2, 3, 3);
    YL.forEach((v, p) => expect(v).toBeCloseTo(Bt[p], 12));
  });

  it("thin QR: Q has orthonormal columns, R is upper triangular with a nonnegative diagonal, QR = A", () => {
    for (const [m, n] of [
      [6, 3],
      [3, 3],
      [2, 5],
    ]) {
      const k = Math.min(m, n);
      const A = mat(m, n);
      const Q = new Float64Array(m * k);
      const Rm = new Float64Array(k * n);
      LA.qr_thin_Q(Q, A, m, n);
      LA.qr_thin_R(Rm, A, m, n);
      const QtQ = new Float64Array(k * k);
      LA.crossprod(QtQ, Q, m, k);
      QtQ.forEach((v, p) => expect(v).toBeCloseTo(p % (k + 1) === 0 ? 1 : 0, 12));
      for (let c = 0; c < n; c++) for (let r = c + 1; r < k; r++) expect(Rm[r + c * k]).toBe(0);
      for (let r = 0; r < k; r++) expect(Rm[r + r * k]).toBeGreaterThanOrEqual(0);
      const QR = new Float64Array(m * n);
      LA.multiply_matrix_matrix(QR, Q, Rm, m, k, n);
      QR.forEach((v, p) => expect(v).toBeCloseTo(A[p], 12));
    }
  });

  it("full QR: Q orthogonal (m×m), R (m×n) upper triangular with R_ii ≥ 0, QR = A, extends the thin QR", () => {
    for (const [m, n] of [
      [6, 3],
      [3, 3],
      [2, 5],
    ]) {
      const k = Math.min(m, n);
      const A = mat(m, n);
      const Q = new Float64Array(m * m);
      const Rm = new Float64Array(m * n);
      LA.qr_Q(Q, A, m, n);
      LA.qr_R(Rm, A, m, n);
      const QtQ = new Float64Array(m * m);
      LA.crossprod(QtQ, Q, m, m);
      QtQ.forEach((v, p) => expect(v).toBeCloseTo(p % (m + 1) === 0 ? 1 : 0, 12));
      for (let c = 0; c < n; c++) for (let r = c + 1; r < m; r++) expect(Rm[r + c * m]).toBe(0);
      for (let r = 0; r < k; r++) expect(Rm[r + r * m]).toBeGreaterThanOrEqual(0);
      const QR = new Float64Array(m * n);
      LA.multiply_matrix_matrix(QR, Q, Rm, m, m, n);
      QR.forEach((v, p) => expect(v).toBeCloseTo(A[p], 12));
      const Qthin = new Float64Array(m * k);
      const Rthin = new Float64Array(k * n);
      LA.qr_thin_Q(Qthin, A, m, n);
      LA.qr_thin_R(Rthin, A, m, n);
      Qthin.forEach((v, p) => expect(Q[p]).toBe(v));
      for (let c = 0; c < n; c++) for (let r = 0; r < k; r++) expect(Rm[r + c * m]).toBe(Rthin[r + c * k]);
    }
  });

  it("quad_form_diag, quad_form_sym, trace, diagonal and add_diag by hand", () => {
    const M = Float64Array.of(1, 2, 3, 4);
    const o = new Float64Array(4);
    LA.quad_form_diag(o, M, Float64Array.of(2, 3), 2);
    expect(Array.from(o)).toEqual([4, 12, 18, 36]);
    LA.quad_form_sym(o, Float64Array.of(2, 1, 1, 3), Float64Array.of(1, 0, 1, 1), 2, 2);
    // Bᵀ A B with B = [[1, 1], [0, 1]], A = [[2, 1], [1, 3]] → [[2, 3], [3, 7]].
    expect(Array.from(o)).toEqual([2, 3, 3, 7]);
    expect(() =>
      LA.quad_form_sym(o, Float64Array.of(2, 1, 0, 3), Float64Array.of(1, 0, 1, 1), 2, 2),
    ).toThrow(/quad_form_sym: Matrix A is not symmetric/);
    expect(LA.trace(M, 2)).toBe(5);
    const d = new Float64Array(2);
    LA.diagonal(d, M, 2, 2);
    expect(Array.from(d)).toEqual([1, 4]);
    LA.add_diag(o, M, Float64Array.of(10, 20), 2);
    expect(Array.from(o)).toEqual([11, 2, 3, 24]);
    LA.add_diag_scalar(o, M, 1, 2);
    expect(Array.from(o)).toEqual([2, 2, 3, 5]);
  });

  it("cholesky_decompose and inverse reject bad matrices with Stan's messages", () => {
    const out = new Float64Array(4);
    expect(() => LA.cholesky_decompose(out, Float64Array.of(1, 0.5, 0.2, 1), 2)).toThrow(
      /cholesky_decompose: Matrix m is not symmetric/,
    );
    expect(() => LA.cholesky_decompose(out, Float64Array.of(1, 2, 2, 1), 2)).toThrow(
      StanDomainError,
    );
    expect(() => LA.inverse(out, Float64Array.of(1, 2, 2, 4), 2)).toThrow(/singular/);
    expect(LA.log_determinant(Float64Array.of(1, 2, 2, 4), 2)).toBe(-Infinity);
  });
});
