/**
 * Quadratic forms, traces, triangular and SPD solves, inverses from a Cholesky factor,
 * determinants (LU with partial pivoting) and matrix powers, as loops of scalar statements that
 * reverse mode differentiates. Pivot choices are comparisons, so the derivative is the one of the
 * elimination actually performed (exact away from ties).
 */
import type { Span } from "../../common/span";
import type { IrVar, SExpr } from "../../ir/ir";
import { type ContainerValue, type Value, scalar, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import {
  ONE,
  REAL_ONE,
  REAL_ZERO,
  arity,
  assign,
  at,
  bin,
  checkSize,
  checkSizeMatch,
  checkSquare,
  checkSymmetric,
  cond,
  containerArg,
  loopRange,
  materialized,
  matrixArg,
  num,
  read,
  scalarArg,
} from "./util";

function transposeOf(l: LoweringContext, v: ContainerValue, sp: Span): ContainerValue {
  return containerArg(l.callWithValues("transpose", [v], sp, false), "transpose", sp);
}

/** Right-hand side columns: a vector is one column. */
function columnsOf(b: ContainerValue): SExpr {
  return b.base === "vector" ? ONE : b.dims[1];
}

/** quad_form(A, B) = Bᵀ A B; quad_form(A, v) = vᵀ A v. `symmetric`: quad_form_sym (A checked, result symmetrised). */
function quadForm(fn: string, symmetric: boolean): Expansion {
  return (l, a, sp) => {
    arity(a, 2, fn, sp);
    const A = materialized(l, matrixArg(a[0], fn, sp));
    const B = materialized(l, containerArg(a[1], fn, sp));
    checkSquare(l, fn, "A", A);
    checkSizeMatch(l, fn, "Columns of A", A.dims[1], "Rows of B", B.dims[0]);
    if (symmetric) checkSymmetric(l, fn, "A", A);
    const AB = materialized(l, containerArg(l.multiply(A, B, sp), fn, sp));
    if (B.base === "vector") return scalar(l.dot(B, AB));
    const M = materialized(l, containerArg(l.multiply(transposeOf(l, B, sp), AB, sp), fn, sp));
    if (!symmetric) return M;
    const K = M.dims[0];
    // (M + Mᵀ)/2: exactly symmetric whatever the rounding
    return { kind: "c", elem: "real", base: "matrix", arrayDims: 0, dims: M.dims, at: (i) => bin("*", num(0.5), bin("+", M.at(i), M.at(at(bin("%/%", i, K), bin("%", i, K), K)))), aligned: false };
  };
}
export const quad_form = quadForm("quad_form", false);
export const quad_form_sym = quadForm("quad_form_sym", true);

/** trace(Bᵀ A B) = Σ B ∘ (A B). */
export const trace_quad_form: Expansion = (l, a, sp) => {
  arity(a, 2, "trace_quad_form", sp);
  const A = materialized(l, matrixArg(a[0], "trace_quad_form", sp));
  const B = materialized(l, containerArg(a[1], "trace_quad_form", sp));
  checkSquare(l, "trace_quad_form", "A", A);
  checkSizeMatch(l, "trace_quad_form", "Columns of A", A.dims[1], "Rows of B", B.dims[0]);
  const AB = materialized(l, containerArg(l.multiply(A, B, sp), "trace_quad_form", sp));
  return scalar(l.dot(B, AB));
};

export const add_diag: Expansion = (l, a, sp) => {
  arity(a, 2, "add_diag", sp);
  const m = matrixArg(a[0], "add_diag", sp);
  const R = m.dims[0];
  const C = m.dims[1];
  const out = l.temp("real", "matrix", 0, [R, C], "diag");
  const length = cond(bin("<", R, C), R, C, true);
  const d = a[1];
  if (d.kind === "c") checkSizeMatch(l, "add_diag", "number of elements of to_add", d.dims[0], "diagonal", length);
  l.loop(bin("*", R, C), (i) => assign(l, out, i, "=", m.at(i)));
  l.loop(length, (k) => assign(l, out, at(k, k, R), "+=", d.kind === "s" ? d.e : d.at(k)));
  return wholeValue(out);
};

export const trace: Expansion = (l, a, sp) => {
  arity(a, 1, "trace", sp);
  const m = matrixArg(a[0], "trace", sp);
  const R = m.dims[0];
  const acc = l.scalarTemp("real", "trace");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(cond(bin("<", R, m.dims[1]), R, m.dims[1], true), (k) => assign(l, acc, undefined, "+=", m.at(at(k, k, R))));
  return scalar(read(acc));
};

export const symmetrize_from_lower_tri: Expansion = (l, a, sp) => {
  arity(a, 1, "symmetrize_from_lower_tri", sp);
  const m = matrixArg(a[0], "symmetrize_from_lower_tri", sp);
  checkSquare(l, "symmetrize_from_lower_tri", "m", m);
  const K = m.dims[0];
  // element (r, c) reads (max, min): the lower triangle
  return {
    kind: "c",
    elem: "real",
    base: "matrix",
    arrayDims: 0,
    dims: m.dims,
    at: (i) => {
      const r = bin("%", i, K);
      const c = bin("%/%", i, K);
      return m.at(cond(bin(">=", r, c), i, at(c, r, K), true));
    },
    aligned: false,
  };
}

/**
 * Solves T X = B for X (n × cols) by substitution, T triangular given by `t(i, j)`: lower
 * (forward, rows top to bottom) or upper (backward).
 */
function substitute(l: LoweringContext, n: SExpr, cols: SExpr, t: (i: SExpr, j: SExpr) => SExpr, b: (i: SExpr, c: SExpr) => SExpr, lower: boolean): IrVar {
  const X = l.temp("real", "matrix", 0, [n, cols], "sol");
  const acc = l.scalarTemp("real", "acc");
  l.loop(cols, (c) =>
    l.loop(n, (step) => {
      const i = lower ? step : bin("-", bin("-", n, ONE), step);
      assign(l, acc, undefined, "=", b(i, c));
      if (lower) l.loop(i, (k) => assign(l, acc, undefined, "-=", bin("*", t(i, k), read(X, at(k, c, n)))));
      else loopRange(l, bin("+", i, ONE), n, (k) => assign(l, acc, undefined, "-=", bin("*", t(i, k), read(X, at(k, c, n)))));
      assign(l, X, at(i, c, n), "=", bin("/", read(acc), t(i, i)));
    }),
  );
  return X;
}

/** X (n × cols, a temporary matrix) as the result kind the call returns. */
function shaped(X: IrVar, base: "vector" | "row_vector" | "matrix"): ContainerValue {
  const w = wholeValue(X);
  return base === "matrix" ? w : { ...w, base, dims: [X.dims[0]], view: undefined, whole: undefined, aligned: false };
}

/** The lower-triangular Cholesky factor of a symmetric positive-definite A (a domain error otherwise). */
export function choleskyFactor(l: LoweringContext, A: ContainerValue, failure: string, sp: Span): IrVar {
  const K = A.dims[0];
  const L = l.temp("real", "matrix", 0, [K, K], "chol");
  const acc = l.scalarTemp("real", "acc");
  l.loop(K, (j) => {
    assign(l, acc, undefined, "=", A.at(at(j, j, K)));
    l.loop(j, (k) => assign(l, acc, undefined, "-=", bin("*", read(L, at(j, k, K)), read(L, at(j, k, K)))));
    l.emit({ k: "check", cond: bin(">", read(acc), REAL_ZERO), message: [failure], data: false, loc: l.currentLoc });
    assign(l, L, at(j, j, K), "=", l.scalarCall("sqrt", [read(acc)], sp));
    loopRange(l, bin("+", j, ONE), K, (i) => {
      assign(l, acc, undefined, "=", A.at(at(i, j, K)));
      l.loop(j, (k) => assign(l, acc, undefined, "-=", bin("*", read(L, at(i, k, K)), read(L, at(j, k, K)))));
      assign(l, L, at(i, j, K), "=", bin("/", read(acc), read(L, at(j, j, K))));
    });
    l.loop(j, (r) => assign(l, L, at(r, j, K), "=", REAL_ZERO));
  });
  return L;
}

/** The operands of a left division `fn(A, b)` = A⁻¹ b, checked: A square, b's rows A's columns. */
function leftDivision(l: LoweringContext, a: readonly Value[], fn: string, sp: Span): { A: ContainerValue; B: ContainerValue; n: SExpr } {
  arity(a, 2, fn, sp);
  const A = materialized(l, matrixArg(a[0], fn, sp));
  const B = materialized(l, containerArg(a[1], fn, sp));
  checkSquare(l, fn, "A", A);
  const n = A.dims[0];
  checkSizeMatch(l, fn, "Columns of A", A.dims[1], "Rows of b", B.dims[0]);
  return { A, B, n };
}

/** The operands of a right division `fn(b, A)` = b A⁻¹, checked: A square, b's columns A's rows; `bRows` 1 for a row vector. */
function rightDivision(l: LoweringContext, a: readonly Value[], fn: string, sp: Span): { A: ContainerValue; B: ContainerValue; n: SExpr; bRows: SExpr } {
  arity(a, 2, fn, sp);
  const B = materialized(l, containerArg(a[0], fn, sp));
  const A = materialized(l, matrixArg(a[1], fn, sp));
  checkSquare(l, fn, "A", A);
  const n = A.dims[0];
  const bRows = B.base === "row_vector" ? ONE : B.dims[0];
  checkSizeMatch(l, fn, "Columns of b", B.base === "row_vector" ? B.dims[0] : B.dims[1], "Rows of A", n);
  return { A, B, n, bRows };
}

export const mdivide_left_tri_low: Expansion = (l, a, sp) => {
  const { A: L, B, n } = leftDivision(l, a, "mdivide_left_tri_low", sp);
  const X = substitute(l, n, columnsOf(B), (i, j) => L.at(at(i, j, n)), (i, c) => B.at(at(i, c, n)), true);
  return shaped(X, B.base === "vector" ? "vector" : "matrix");
};

/** B L⁻¹ with L lower triangular: Lᵀ Xᵀ = Bᵀ, an upper-triangular solve. */
export const mdivide_right_tri_low: Expansion = (l, a, sp) => {
  const { A: L, B, n, bRows } = rightDivision(l, a, "mdivide_right_tri_low", sp);
  // Bᵀ element (i, c) is B element (c, i)
  const Xt = substitute(l, n, bRows, (i, j) => L.at(at(j, i, n)), (i, c) => B.at(at(c, i, bRows)), false);
  return B.base === "row_vector" ? shaped(Xt, "row_vector") : transposeOf(l, wholeValue(Xt), sp);
};

/** A⁻¹ B for symmetric positive-definite A: A = L Lᵀ, then two triangular solves. */
function spdSolve(l: LoweringContext, fn: string, A: ContainerValue, n: SExpr, cols: SExpr, b: (i: SExpr, c: SExpr) => SExpr, sp: Span): IrVar {
  checkSymmetric(l, fn, "A", A);
  const L = choleskyFactor(l, A, `${fn}: Matrix A is not positive definite`, sp);
  const Y = substitute(l, n, cols, (i, j) => read(L, at(i, j, n)), b, true);
  return substitute(l, n, cols, (i, j) => read(L, at(j, i, n)), (i, c) => read(Y, at(i, c, n)), false);
}

export const mdivide_left_spd: Expansion = (l, a, sp) => {
  const { A, B, n } = leftDivision(l, a, "mdivide_left_spd", sp);
  const X = spdSolve(l, "mdivide_left_spd", A, n, columnsOf(B), (i, c) => B.at(at(i, c, n)), sp);
  return shaped(X, B.base === "vector" ? "vector" : "matrix");
};

/** B A⁻¹ = (A⁻¹ Bᵀ)ᵀ for symmetric A. */
export const mdivide_right_spd: Expansion = (l, a, sp) => {
  const { A, B, n, bRows } = rightDivision(l, a, "mdivide_right_spd", sp);
  const Xt = spdSolve(l, "mdivide_right_spd", A, n, bRows, (i, c) => B.at(at(c, i, bRows)), sp);
  return B.base === "row_vector" ? shaped(Xt, "row_vector") : transposeOf(l, wholeValue(Xt), sp);
};

/** (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹ from a lower-triangular L: L⁻¹ by forward substitution on the identity. */
function inverseFromCholesky(l: LoweringContext, L: (i: SExpr, j: SExpr) => SExpr, n: SExpr): ContainerValue {
  const Linv = substitute(l, n, n, L, (i, c) => cond(bin("==", i, c), REAL_ONE, REAL_ZERO), true);
  const out = l.temp("real", "matrix", 0, [n, n], "inv");
  const acc = l.scalarTemp("real", "acc");
  // out[i, j] = Σ_{k ≥ max(i, j)} Linv[k, i] Linv[k, j] (Linv is lower triangular); filled symmetrically
  l.loop(n, (j) =>
    loopRange(l, j, n, (i) => {
      assign(l, acc, undefined, "=", REAL_ZERO);
      loopRange(l, i, n, (k) => assign(l, acc, undefined, "+=", bin("*", read(Linv, at(k, i, n)), read(Linv, at(k, j, n)))));
      assign(l, out, at(i, j, n), "=", read(acc));
      assign(l, out, at(j, i, n), "=", read(acc));
    }),
  );
  return wholeValue(out);
}

export const inverse_spd: Expansion = (l, a, sp) => {
  arity(a, 1, "inverse_spd", sp);
  const A = materialized(l, matrixArg(a[0], "inverse_spd", sp));
  checkSquare(l, "inverse_spd", "m", A);
  checkSymmetric(l, "inverse_spd", "m", A);
  const n = A.dims[0];
  const L = choleskyFactor(l, A, "inverse_spd: Matrix m is not positive definite", sp);
  return inverseFromCholesky(l, (i, j) => read(L, at(i, j, n)), n);
};

export const chol2inv: Expansion = (l, a, sp) => {
  arity(a, 1, "chol2inv", sp);
  const L = materialized(l, matrixArg(a[0], "chol2inv", sp));
  checkSquare(l, "chol2inv", "L", L);
  const n = L.dims[0];
  return inverseFromCholesky(l, (i, j) => L.at(at(i, j, n)), n);
};

/**
 * LU factorisation with partial pivoting of a square A, in place in a temporary: returns it (U on
 * and above the diagonal) and the sign of the row permutation.
 */
function luFactor(l: LoweringContext, A: ContainerValue, sp: Span): { U: IrVar; sign: IrVar } {
  const n = A.dims[0];
  const U = l.temp("real", "matrix", 0, [n, n], "lu");
  const sign = l.scalarTemp("real", "sign");
  const pivot = l.scalarTemp("int", "piv");
  const best = l.scalarTemp("real", "best");
  const tmp = l.scalarTemp("real", "swap");
  const factor = l.scalarTemp("real", "f");
  l.loop(bin("*", n, n), (i) => assign(l, U, i, "=", A.at(i)));
  assign(l, sign, undefined, "=", REAL_ONE);
  l.loop(n, (j) => {
    // pivot: the largest |U[i, j]| for i ≥ j
    assign(l, pivot, undefined, "=", j);
    assign(l, best, undefined, "=", l.scalarCall("fabs", [read(U, at(j, j, n))], sp));
    loopRange(l, bin("+", j, ONE), n, (i) => {
      const size = l.scalarCall("fabs", [read(U, at(i, j, n))], sp);
      l.emit({ k: "if", cond: bin(">", size, read(best)), then: l.collect(() => { assign(l, pivot, undefined, "=", i); assign(l, best, undefined, "=", size); }), otherwise: [] });
    });
    const p = read(pivot);
    const swap = l.collect(() => {
      l.loop(n, (c) => {
        assign(l, tmp, undefined, "=", read(U, at(j, c, n)));
        assign(l, U, at(j, c, n), "=", read(U, at(p, c, n)));
        assign(l, U, at(p, c, n), "=", read(tmp));
      });
      assign(l, sign, undefined, "=", bin("-", REAL_ZERO, read(sign)));
    });
    l.emit({ k: "if", cond: bin("!=", p, j), then: swap, otherwise: [] });
    // eliminate below the pivot (a zero pivot leaves a singular U: determinant 0)
    const eliminate = l.collect(() =>
      loopRange(l, bin("+", j, ONE), n, (i) => {
        assign(l, factor, undefined, "=", bin("/", read(U, at(i, j, n)), read(U, at(j, j, n))));
        loopRange(l, j, n, (c) => assign(l, U, at(i, c, n), "-=", bin("*", read(factor), read(U, at(j, c, n)))));
      }),
    );
    l.emit({ k: "if", cond: bin("!=", read(U, at(j, j, n)), REAL_ZERO), then: eliminate, otherwise: [] });
  });
  return { U, sign };
}

export const determinant: Expansion = (l, a, sp) => {
  arity(a, 1, "determinant", sp);
  const A = materialized(l, matrixArg(a[0], "determinant", sp));
  checkSquare(l, "determinant", "m", A);
  const n = A.dims[0];
  const { U, sign } = luFactor(l, A, sp);
  const det = l.scalarTemp("real", "det");
  assign(l, det, undefined, "=", read(sign));
  l.loop(n, (k) => assign(l, det, undefined, "*=", read(U, at(k, k, n))));
  return scalar(read(det));
};

/** log |det A| = Σ log |U_kk|. */
export const log_determinant: Expansion = (l, a, sp) => {
  arity(a, 1, "log_determinant", sp);
  const A = materialized(l, matrixArg(a[0], "log_determinant", sp));
  checkSquare(l, "log_determinant", "m", A);
  const n = A.dims[0];
  const { U } = luFactor(l, A, sp);
  const acc = l.scalarTemp("real", "logdet");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(n, (k) => assign(l, acc, undefined, "+=", l.scalarCall("log", [l.scalarCall("fabs", [read(U, at(k, k, n))], sp)], sp)));
  return scalar(read(acc));
};

/** log det A = 2 Σ log L_kk for A = L Lᵀ. */
export const log_determinant_spd: Expansion = (l, a, sp) => {
  arity(a, 1, "log_determinant_spd", sp);
  const A = materialized(l, matrixArg(a[0], "log_determinant_spd", sp));
  checkSquare(l, "log_determinant_spd", "m", A);
  checkSymmetric(l, "log_determinant_spd", "m", A);
  const n = A.dims[0];
  const L = choleskyFactor(l, A, "log_determinant_spd: Matrix m is not positive definite", sp);
  const acc = l.scalarTemp("real", "logdet");
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(n, (k) => assign(l, acc, undefined, "+=", l.scalarCall("log", [read(L, at(k, k, n))], sp)));
  return scalar(bin("*", num(2), read(acc)));
};

/** A^p by p − 1 products (p = 0: the identity). */
export const matrix_power: Expansion = (l, a, sp) => {
  arity(a, 2, "matrix_power", sp);
  const A = materialized(l, matrixArg(a[0], "matrix_power", sp));
  const p = scalarArg(a[1], "matrix_power", sp);
  checkSquare(l, "matrix_power", "M", A);
  checkSize(l, "matrix_power", "n", p, "nonnegative");
  const n = A.dims[0];
  const P = l.temp("real", "matrix", 0, [n, n], "pow");
  const next = l.temp("real", "matrix", 0, [n, n], "powNext");
  const acc = l.scalarTemp("real", "acc");
  l.loop(bin("*", n, n), (i) => assign(l, P, i, "=", cond(bin("==", bin("%", i, n), bin("%/%", i, n)), REAL_ONE, REAL_ZERO)));
  l.loop(p, () => {
    l.loop(n, (c) =>
      l.loop(n, (r) => {
        assign(l, acc, undefined, "=", REAL_ZERO);
        l.loop(n, (k) => assign(l, acc, undefined, "+=", bin("*", read(P, at(r, k, n)), A.at(at(k, c, n)))));
        assign(l, next, at(r, c, n), "=", read(acc));
      }),
    );
    l.loop(bin("*", n, n), (i) => assign(l, P, i, "=", read(next, i)));
  });
  return wholeValue(P);
};

/**
 * A⁻¹ B for a general square A (`A \ B`): Gaussian elimination with partial pivoting applied to
 * A and B together, then back substitution.
 */
export const mdivide_left: Expansion = (l, a, sp) => {
  arity(a, 2, "mdivide_left", sp);
  const A = materialized(l, matrixArg(a[0], "mdivide_left", sp));
  const B = materialized(l, containerArg(a[1], "mdivide_left", sp));
  checkSquare(l, "mdivide_left", "A", A);
  const n = A.dims[0];
  checkSizeMatch(l, "mdivide_left", "Columns of A", A.dims[1], "Rows of b", B.dims[0]);
  const cols = columnsOf(B);
  const U = l.temp("real", "matrix", 0, [n, n], "lu");
  const Y = l.temp("real", "matrix", 0, [n, cols], "rhs");
  const pivot = l.scalarTemp("int", "piv");
  const best = l.scalarTemp("real", "best");
  const tmp = l.scalarTemp("real", "swap");
  const factor = l.scalarTemp("real", "f");
  l.loop(bin("*", n, n), (i) => assign(l, U, i, "=", A.at(i)));
  l.loop(bin("*", n, cols), (i) => assign(l, Y, i, "=", B.at(i)));
  l.loop(n, (j) => {
    assign(l, pivot, undefined, "=", j);
    assign(l, best, undefined, "=", l.scalarCall("fabs", [read(U, at(j, j, n))], sp));
    loopRange(l, bin("+", j, ONE), n, (i) => {
      const size = l.scalarCall("fabs", [read(U, at(i, j, n))], sp);
      l.emit({ k: "if", cond: bin(">", size, read(best)), then: l.collect(() => { assign(l, pivot, undefined, "=", i); assign(l, best, undefined, "=", size); }), otherwise: [] });
    });
    const p = read(pivot);
    const swap = l.collect(() => {
      for (const [M, width] of [[U, n], [Y, cols]] as const) {
        l.loop(width, (c) => {
          assign(l, tmp, undefined, "=", read(M, at(j, c, n)));
          assign(l, M, at(j, c, n), "=", read(M, at(p, c, n)));
          assign(l, M, at(p, c, n), "=", read(tmp));
        });
      }
    });
    l.emit({ k: "if", cond: bin("!=", p, j), then: swap, otherwise: [] });
    loopRange(l, bin("+", j, ONE), n, (i) => {
      assign(l, factor, undefined, "=", bin("/", read(U, at(i, j, n)), read(U, at(j, j, n))));
      loopRange(l, j, n, (c) => assign(l, U, at(i, c, n), "-=", bin("*", read(factor), read(U, at(j, c, n)))));
      l.loop(cols, (c) => assign(l, Y, at(i, c, n), "-=", bin("*", read(factor), read(Y, at(j, c, n)))));
    });
  });
  const X = substitute(l, n, cols, (i, j) => read(U, at(i, j, n)), (i, c) => read(Y, at(i, c, n)), false);
  return shaped(X, B.base === "vector" ? "vector" : "matrix");
};
