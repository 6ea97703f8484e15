/**
 * Symmetric eigendecomposition and singular values by cyclic Jacobi rotations, a method reverse
 * mode can differentiate through: each rotation angle θ = ½·atan2(2a_pq, a_qq − a_pp) (taken in
 * [−π/4, π/4]) is a smooth function of the current entries, so the loops' derivative is the
 * derivative of the computed factorisation. A rotation is skipped when its off-diagonal entry is
 * exactly zero; a sweep is skipped once the off-diagonal part is negligible (relative 1e-36 in the
 * squared Frobenius norm: the remaining entries change eigenvalues by less than rounding, and
 * their derivatives have converged quadratically with them). JACOBI_SWEEPS bounds the sweeps:
 * cyclic Jacobi converges quadratically, typically in 5–10 sweeps for the small matrices
 * (n ≲ 50) these functions are used on. The derivatives are those of distinct eigenvalues
 * (singular values); for repeated ones the eigenvectors are not differentiable (nor unique).
 */
import type { Span } from "../../common/span";
import type { IrVar, SExpr } from "../../ir/ir";
import { type ContainerValue, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import { sortPermutation } from "./ordering";
import { REAL_ONE, REAL_ZERO, arity, assign, at, bin, checkSquare, checkSymmetric, cond, materialized, matrixArg, num, read } from "./util";

const JACOBI_SWEEPS = 20;

/** θ = ½·atan2(2·offDiagonal, qq − pp) folded into [−π/4, π/4] (same tan 2θ): c = cos θ, s = sin θ. */
function rotation(l: LoweringContext, offDiagonal: SExpr, pp: SExpr, qq: SExpr, theta: IrVar, c: IrVar, s: IrVar, sp: Span): void {
  assign(l, theta, undefined, "=", bin("*", num(0.5), l.scalarCall("atan2", [bin("*", num(2), offDiagonal), bin("-", qq, pp)], sp)));
  const quarter = num(Math.PI / 4);
  const halfPi = num(Math.PI / 2);
  assign(l, theta, undefined, "=", cond(bin(">", read(theta), quarter), bin("-", read(theta), halfPi), cond(bin("<", read(theta), bin("-", REAL_ZERO, quarter)), bin("+", read(theta), halfPi), read(theta))));
  assign(l, c, undefined, "=", l.scalarCall("cos", [read(theta)], sp));
  assign(l, s, undefined, "=", l.scalarCall("sin", [read(theta)], sp));
}

/** Columns p and q of M (rows × ·) replaced by c·M_p − s·M_q and s·M_p + c·M_q (M ← M J). */
function rotateColumns(l: LoweringContext, M: IrVar, rows: SExpr, p: SExpr, q: SExpr, c: IrVar, s: IrVar, x: IrVar, y: IrVar): void {
  l.loop(rows, (k) => {
    assign(l, x, undefined, "=", read(M, at(k, p, rows)));
    assign(l, y, undefined, "=", read(M, at(k, q, rows)));
    assign(l, M, at(k, p, rows), "=", bin("-", bin("*", read(c), read(x)), bin("*", read(s), read(y))));
    assign(l, M, at(k, q, rows), "=", bin("+", bin("*", read(s), read(x)), bin("*", read(c), read(y))));
  });
}

/** Rows p and q of the square M (n × n) replaced likewise (M ← Jᵀ M). */
function rotateRows(l: LoweringContext, M: IrVar, n: SExpr, p: SExpr, q: SExpr, c: IrVar, s: IrVar, x: IrVar, y: IrVar): void {
  l.loop(n, (k) => {
    assign(l, x, undefined, "=", read(M, at(p, k, n)));
    assign(l, y, undefined, "=", read(M, at(q, k, n)));
    assign(l, M, at(p, k, n), "=", bin("-", bin("*", read(c), read(x)), bin("*", read(s), read(y))));
    assign(l, M, at(q, k, n), "=", bin("+", bin("*", read(s), read(x)), bin("*", read(c), read(y))));
  });
}

/** Runs `body` for each sweep while the squared off-diagonal measure `offSquared()` exceeds the tolerance. */
function sweeps(l: LoweringContext, scaleSquared: SExpr, offSquared: () => SExpr, body: () => void): void {
  const off = l.scalarTemp("real", "off");
  l.loop(num(JACOBI_SWEEPS, true), () => {
    assign(l, off, undefined, "=", offSquared());
    l.emit({ k: "if", cond: bin(">", read(off), bin("*", num("1e-36"), scaleSquared)), then: l.collect(body), otherwise: [] });
  });
}

/** Sum of squares of f(i, j) over the strict upper triangle i < j < n (or all pairs of columns). */
function sumOverPairs(l: LoweringContext, n: SExpr, f: (i: SExpr, j: SExpr) => SExpr, hint: string): SExpr {
  const acc = l.scalarTemp("real", hint);
  assign(l, acc, undefined, "=", REAL_ZERO);
  l.loop(n, (j) => l.loop(j, (i) => assign(l, acc, undefined, "+=", f(i, j))));
  return read(acc);
}

/** Eigen-decomposition of the symmetric A: W (diagonal = eigenvalues, unsorted) and V (columns = eigenvectors). */
function jacobiEigen(l: LoweringContext, A: ContainerValue, sp: Span): { W: IrVar; V: IrVar } {
  const n = A.dims[0];
  const W = l.temp("real", "matrix", 0, [n, n], "eigw");
  const V = l.temp("real", "matrix", 0, [n, n], "eigv");
  const [theta, c, s, x, y] = ["theta", "c", "s", "x", "y"].map((h) => l.scalarTemp("real", h));
  const scale = l.scalarTemp("real", "scale");
  l.loop(bin("*", n, n), (i) => {
    assign(l, W, i, "=", A.at(i));
    assign(l, V, i, "=", cond(bin("==", bin("%", i, n), bin("%/%", i, n)), REAL_ONE, REAL_ZERO));
  });
  assign(l, scale, undefined, "=", REAL_ZERO);
  l.loop(bin("*", n, n), (i) => assign(l, scale, undefined, "+=", bin("*", read(W, i), read(W, i))));
  sweeps(
    l,
    read(scale),
    () => sumOverPairs(l, n, (i, j) => bin("*", read(W, at(i, j, n)), read(W, at(i, j, n))), "offsq"),
    () =>
      l.loop(n, (q) =>
        l.loop(q, (p) => {
          const rotate = l.collect(() => {
            rotation(l, read(W, at(p, q, n)), read(W, at(p, p, n)), read(W, at(q, q, n)), theta, c, s, sp);
            rotateColumns(l, W, n, p, q, c, s, x, y);
            rotateRows(l, W, n, p, q, c, s, x, y);
            // the angle makes this entry zero as a function of A: exactly zero, derivative included
            assign(l, W, at(p, q, n), "=", REAL_ZERO);
            assign(l, W, at(q, p, n), "=", REAL_ZERO);
            rotateColumns(l, V, n, p, q, c, s, x, y);
          });
          l.emit({ k: "if", cond: bin("!=", read(W, at(p, q, n)), REAL_ZERO), then: rotate, otherwise: [] });
        }),
      ),
  );
  return { W, V };
}

function symmetricArg(l: LoweringContext, fn: string, a: Parameters<Expansion>[1], sp: Span): ContainerValue {
  arity(a, 1, fn, sp);
  const A = materialized(l, matrixArg(a[0], fn, sp));
  checkSquare(l, fn, "m", A);
  l.emit({ k: "check", cond: bin(">", A.dims[0], num(0, true)), message: [`${fn}: m has size 0, but must have a non-zero size`], data: true, fatal: true, loc: l.currentLoc });
  checkSymmetric(l, fn, "m", A);
  return A;
}

/** The diagonal of W as a vector value. */
function diagonalOf(W: IrVar, n: SExpr): ContainerValue {
  return { kind: "c", elem: "real", base: "vector", arrayDims: 0, dims: [n], at: (i) => read(W, at(i, i, n)), aligned: false };
}

/** Eigenvalues in ascending order (as Stan). */
export const eigenvalues_sym: Expansion = (l, a, sp) => {
  const A = symmetricArg(l, "eigenvalues_sym", a, sp);
  const n = A.dims[0];
  const { W } = jacobiEigen(l, A, sp);
  const perm = sortPermutation(l, "eigenvalues_sym", diagonalOf(W, n), false);
  const out = l.temp("real", "vector", 0, [n], "eigenvalues");
  l.loop(n, (i) => assign(l, out, i, "=", read(W, at(read(perm, i), read(perm, i), n))));
  return wholeValue(out);
};

/**
 * Eigenvectors as columns, in the order of the ascending eigenvalues; each column's sign is
 * chosen so that its largest-magnitude component is positive (an eigenvector's sign is arbitrary;
 * this makes it a definite function of A).
 */
export const eigenvectors_sym: Expansion = (l, a, sp) => {
  const A = symmetricArg(l, "eigenvectors_sym", a, sp);
  const n = A.dims[0];
  const { W, V } = jacobiEigen(l, A, sp);
  const perm = sortPermutation(l, "eigenvectors_sym", diagonalOf(W, n), false);
  const out = l.temp("real", "matrix", 0, [n, n], "eigenvectors");
  const largest = l.scalarTemp("int", "largest");
  const sign = l.scalarTemp("real", "sign");
  l.loop(n, (j) => {
    const source = read(perm, j);
    assign(l, largest, undefined, "=", num(0, true));
    l.loop(n, (i) => {
      const bigger = bin(">", l.scalarCall("fabs", [read(V, at(i, source, n))], sp), l.scalarCall("fabs", [read(V, at(read(largest), source, n))], sp));
      l.emit({ k: "if", cond: bigger, then: [{ k: "assign", lhs: { v: largest }, op: "=", rhs: i }], otherwise: [] });
    });
    assign(l, sign, undefined, "=", cond(bin("<", read(V, at(read(largest), source, n)), REAL_ZERO), num(-1), REAL_ONE));
    l.loop(n, (i) => assign(l, out, at(i, j, n), "=", bin("*", read(sign), read(V, at(i, source, n)))));
  });
  return wholeValue(out);
};

/**
 * Singular values in descending order (as Stan), by one-sided Jacobi: rotations of the columns
 * of A (of Aᵀ when A is wide) until they are orthogonal; the singular values are then the column
 * norms. Working on A itself, not AᵀA, keeps small singular values accurate.
 */
export const singular_values: Expansion = (l, a, sp) => {
  arity(a, 1, "singular_values", sp);
  const A = materialized(l, matrixArg(a[0], "singular_values", sp));
  const m = A.dims[0];
  const n = A.dims[1];
  const wide = bin(">", n, m);
  // B: R × K with R ≥ K (A, or Aᵀ when A is wide); sizes as single calls, as allocations need
  const sizeCall = (fn: "fmax" | "fmin"): SExpr => ({ k: "call", fn, args: [m, n], isInt: true, site: l.nextSite(), propto: false, span: sp });
  const R = sizeCall("fmax");
  const K = sizeCall("fmin");
  const k = K;
  const B = l.temp("real", "matrix", 0, [R, K], "svdb");
  l.loop(R, (i) => l.loop(K, (j) => assign(l, B, at(i, j, R), "=", A.at(cond(wide, at(j, i, m), at(i, j, m), true)))));
  const [theta, c, s, x, y, alpha, beta, gamma, scale] = ["theta", "c", "s", "x", "y", "alpha", "beta", "gamma", "scale"].map((h) => l.scalarTemp("real", h));
  const dotColumns = (target: IrVar, p: SExpr, q: SExpr) => {
    assign(l, target, undefined, "=", REAL_ZERO);
    l.loop(R, (i) => assign(l, target, undefined, "+=", bin("*", read(B, at(i, p, R)), read(B, at(i, q, R)))));
  };
  assign(l, scale, undefined, "=", REAL_ZERO);
  l.loop(bin("*", m, n), (i) => assign(l, scale, undefined, "+=", bin("*", read(B, i), read(B, i))));
  sweeps(
    l,
    bin("*", read(scale), read(scale)),
    () =>
      sumOverPairs(
        l,
        K,
        (p, q) => {
          dotColumns(gamma, p, q);
          return bin("*", read(gamma), read(gamma));
        },
        "offsq",
      ),
    () =>
      l.loop(K, (q) =>
        l.loop(q, (p) => {
          dotColumns(gamma, p, q);
          const rotate = l.collect(() => {
            dotColumns(alpha, p, p);
            dotColumns(beta, q, q);
            rotation(l, read(gamma), read(alpha), read(beta), theta, c, s, sp);
            rotateColumns(l, B, R, p, q, c, s, x, y);
          });
          l.emit({ k: "if", cond: bin("!=", read(gamma), REAL_ZERO), then: rotate, otherwise: [] });
        }),
      ),
  );
  const norms = l.temp("real", "vector", 0, [k], "colnorms");
  l.loop(K, (j) => {
    dotColumns(alpha, j, j);
    assign(l, norms, j, "=", l.scalarCall("sqrt", [read(alpha)], sp));
  });
  const perm = sortPermutation(l, "singular_values", wholeValue(norms), true);
  const out = l.temp("real", "vector", 0, [k], "singular");
  l.loop(K, (i) => assign(l, out, i, "=", read(norms, read(perm, i))));
  return wholeValue(out);
};

