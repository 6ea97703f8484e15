/**
 * Matrix factorisations expanded into scalar loops, like `cholesky_decompose` in ./containers.ts:
 * Householder QR (`qr_thin_Q`, `qr_thin_R`, `qr_Q`, `qr_R`) and `inverse` (Gauss–Jordan with partial
 * pivoting). Data-only calls (the usual transformed-data idiom) just run once at load; a call on
 * parameters is differentiated by reverse mode like any other loop. The arithmetic mirrors the
 * runtime kernels in src/runtime/math/linalg.ts, which the tests use as the reference.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import { type IrVar, type SExpr, bin, num, read } from "../../ir/ir";
import { type ContainerValue, type Value, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";

function matrixArg(args: Value[], fn: string, sp: Span): ContainerValue {
  if (args.length !== 1) fail("Semantic error", sp, `${fn} takes 1 argument, found ${args.length}.`);
  const a = args[0];
  if (a.kind !== "c" || a.base !== "matrix" || a.arrayDims !== 0) {
    return fail("Semantic error", sp, `${fn} needs a matrix argument.`);
  }
  return a;
}

const ONE = num(1, true);

/** Column-major flat index of (i, j) in a matrix with `rows` rows. */
function at(i: SExpr, j: SExpr, rows: SExpr): SExpr {
  return bin("+", i, bin("*", j, rows));
}

/** for (i = lo; i < hi; i++) body(i) */
function loopRange(l: LoweringContext, lo: SExpr, hi: SExpr, body: (i: SExpr) => void): void {
  l.loop(bin("-", hi, lo), (r) => body(bin("+", lo, r)));
}

/**
 * min(a, b) of two integer sizes, printed as one call (`Math.min(a, b)`): it can appear among an
 * allocation's dimensions, which the code generator joins with `*` unparenthesised.
 */
function minOf(l: LoweringContext, a: SExpr, b: SExpr, sp: Span): SExpr {
  if (a.k === "num" && b.k === "num") return Number(a.text) <= Number(b.text) ? a : b;
  return { k: "call", fn: "fmin", args: [a, b], isInt: true, site: l.nextSite(), propto: false, span: sp };
}

function assign(l: LoweringContext, v: IrVar, idx: SExpr | undefined, op: "=" | "+=" | "-=" | "*=", rhs: SExpr): void {
  l.emit({ k: "assign", lhs: idx === undefined ? { v } : { v, at: idx }, op, rhs });
}

/**
 * Householder QR of A (m×n) with Stan's sign convention (R's leading min(m, n) diagonal entries
 * nonnegative; the matching columns of Q flipped with them). `full` gives Q m×m and R m×n, otherwise
 * the thin factors Q m×k and R k×n with k = min(m, n).
 */
function householderQr(l: LoweringContext, A: ContainerValue, full: boolean, sp: Span): { Q: IrVar; R: IrVar } {
  const m = A.dims[0];
  const n = A.dims[1];
  const k = minOf(l, m, n, sp);
  const qCols = full ? m : k;
  const rRows = full ? m : k;
  // W: A overwritten by R on and above the diagonal and by the reflectors' tails below it.
  const W = l.temp("real", "matrix", 0, [m, n], "qrw");
  const tau = l.temp("real", "vector", 0, [k], "qrtau");
  const acc = l.scalarTemp("real", "acc");
  const alpha = l.scalarTemp("real", "alpha");
  const beta = l.scalarTemp("real", "beta");
  l.loop(bin("*", m, n), (i) => assign(l, W, i, "=", A.at(i)));
  l.loop(k, (j) => {
    // reflector H = I − τ u uᵀ, u = (1, W[j+1…m−1, j]), mapping column j to (β, 0, …, 0)
    const below = bin("+", j, ONE);
    assign(l, acc, undefined, "=", num(0, false));
    loopRange(l, below, m, (i) => assign(l, acc, undefined, "+=", bin("*", read(W, at(i, j, m)), read(W, at(i, j, m)))));
    assign(l, alpha, undefined, "=", read(W, at(j, j, m)));
    const reflect = l.collect(() => {
      const norm = l.scalarCall("sqrt", [bin("+", bin("*", read(alpha), read(alpha)), read(acc))], sp);
      const sign: SExpr = { k: "cond", c: bin(">=", read(alpha), num(0, false)), t: num(-1, false), f: num(1, false), isInt: false };
      assign(l, beta, undefined, "=", bin("*", sign, norm));
      assign(l, tau, j, "=", bin("/", bin("-", read(beta), read(alpha)), read(beta)));
      assign(l, acc, undefined, "=", bin("/", num(1, false), bin("-", read(alpha), read(beta))));
      loopRange(l, below, m, (i) => assign(l, W, at(i, j, m), "*=", read(acc)));
      assign(l, W, at(j, j, m), "=", read(beta));
      // apply H to the remaining columns
      loopRange(l, below, n, (c) => {
        assign(l, acc, undefined, "=", read(W, at(j, c, m)));
        loopRange(l, below, m, (i) => assign(l, acc, undefined, "+=", bin("*", read(W, at(i, j, m)), read(W, at(i, c, m)))));
        assign(l, acc, undefined, "*=", read(tau, j));
        assign(l, W, at(j, c, m), "-=", read(acc));
        loopRange(l, below, m, (i) => assign(l, W, at(i, c, m), "-=", bin("*", read(acc), read(W, at(i, j, m)))));
      });
    });
    // nothing below the diagonal: H = I
    const identity = l.collect(() => assign(l, tau, j, "=", num(0, false)));
    l.emit({ k: "if", cond: bin(">", read(acc), num(0, false)), then: reflect, otherwise: identity });
  });
  const R = l.temp("real", "matrix", 0, [rRows, n], "qrR");
  l.loop(n, (c) =>
    l.loop(rRows, (r) => {
      const value: SExpr = { k: "cond", c: bin("<=", r, c), t: read(W, at(r, c, m)), f: num(0, false), isInt: false };
      assign(l, R, at(r, c, rRows), "=", value);
    }),
  );
  // Q: the reflectors applied, last first, to the first qCols columns of the identity
  const Q = l.temp("real", "matrix", 0, [m, qCols], "qrQ");
  l.loop(bin("*", m, qCols), (i) => assign(l, Q, i, "=", num(0, false)));
  l.loop(qCols, (c) => assign(l, Q, at(c, c, m), "=", num(1, false)));
  l.loop(k, (jr) => {
    const j = bin("-", bin("-", k, ONE), jr);
    const below = bin("+", j, ONE);
    l.loop(qCols, (c) => {
      assign(l, acc, undefined, "=", read(Q, at(j, c, m)));
      loopRange(l, below, m, (i) => assign(l, acc, undefined, "+=", bin("*", read(W, at(i, j, m)), read(Q, at(i, c, m)))));
      assign(l, acc, undefined, "*=", read(tau, j));
      assign(l, Q, at(j, c, m), "-=", read(acc));
      loopRange(l, below, m, (i) => assign(l, Q, at(i, c, m), "-=", bin("*", read(acc), read(W, at(i, j, m)))));
    });
  });
  // sign convention: R_rr ≥ 0 for r < min(m, n)
  l.loop(k, (r) => {
    assign(l, acc, undefined, "=", { k: "cond", c: bin("<", read(R, at(r, r, rRows)), num(0, false)), t: num(-1, false), f: num(1, false), isInt: false });
    loopRange(l, r, n, (c) => assign(l, R, at(r, c, rRows), "*=", read(acc)));
    l.loop(m, (i) => assign(l, Q, at(i, r, m), "*=", read(acc)));
  });
  return { Q, R };
}

function qrExpansion(fn: string, full: boolean, factor: "Q" | "R"): Expansion {
  return (l, args, sp) => {
    const A = l.materializeValue(matrixArg(args, fn, sp)) as ContainerValue;
    l.emit({ k: "check", cond: bin(">", bin("*", A.dims[0], A.dims[1]), num(0, true)), message: [`${fn}: m has size 0, but must have a non-zero size`], data: true });
    const { Q, R } = householderQr(l, A, full, sp);
    return wholeValue(factor === "Q" ? Q : R);
  };
}

/** inverse(A) by Gauss–Jordan elimination with partial pivoting (rows swapped in place). */
const inverse: Expansion = (l, args, sp) => {
  const A = l.materializeValue(matrixArg(args, "inverse", sp)) as ContainerValue;
  const n = A.dims[0];
  l.emit({ k: "check", cond: bin("==", n, A.dims[1]), message: ["inverse: Expecting a square matrix; rows of m (", n, ") and columns of m (", A.dims[1], ") must match in size"], data: true });
  const W = l.temp("real", "matrix", 0, [n, n], "invw");
  const X = l.temp("real", "matrix", 0, [n, n], "inv");
  const pivot = l.scalarTemp("int", "piv");
  const best = l.scalarTemp("real", "best");
  const tmp = l.scalarTemp("real", "swap");
  const factor = l.scalarTemp("real", "f");
  l.loop(bin("*", n, n), (i) => {
    assign(l, W, i, "=", A.at(i));
    assign(l, X, i, "=", num(0, false));
  });
  l.loop(n, (i) => assign(l, X, at(i, i, n), "=", num(1, false)));
  l.loop(n, (j) => {
    // pivot: the largest |W[i, j]| for i ≥ j
    assign(l, pivot, undefined, "=", j);
    assign(l, best, undefined, "=", l.scalarCall("fabs", [read(W, at(j, j, n))], sp));
    loopRange(l, bin("+", j, ONE), n, (i) => {
      const size = l.scalarCall("fabs", [read(W, at(i, j, n))], sp);
      assign(l, pivot, undefined, "=", { k: "cond", c: bin(">", size, read(best)), t: i, f: read(pivot), isInt: true });
      assign(l, best, undefined, "=", { k: "cond", c: bin(">", size, read(best)), t: size, f: read(best), isInt: false });
    });
    const p = read(pivot);
    for (const M of [W, X]) {
      l.loop(n, (c) => {
        assign(l, tmp, undefined, "=", read(M, at(j, c, n)));
        assign(l, M, at(j, c, n), "=", read(M, at(p, c, n)));
        assign(l, M, at(p, c, n), "=", read(tmp));
      });
    }
    // scale the pivot row, then eliminate column j from every other row
    assign(l, factor, undefined, "=", bin("/", num(1, false), read(W, at(j, j, n))));
    for (const M of [W, X]) l.loop(n, (c) => assign(l, M, at(j, c, n), "*=", read(factor)));
    l.loop(n, (i) => {
      const other = l.collect(() => {
        assign(l, factor, undefined, "=", read(W, at(i, j, n)));
        for (const M of [W, X]) l.loop(n, (c) => assign(l, M, at(i, c, n), "-=", bin("*", read(factor), read(M, at(j, c, n)))));
      });
      l.emit({ k: "if", cond: bin("!=", i, j), then: other, otherwise: [] });
    });
  });
  return wholeValue(X);
};

export const qr_thin_Q = qrExpansion("qr_thin_Q", false, "Q");
export const qr_thin_R = qrExpansion("qr_thin_R", false, "R");
export const qr_Q = qrExpansion("qr_Q", true, "Q");
export const qr_R = qrExpansion("qr_R", true, "R");
export { inverse };
