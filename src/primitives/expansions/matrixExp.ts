/**
 * matrix_exp by scaling and squaring with the diagonal [9/9] Padé approximant (Higham, "The
 * scaling and squaring method for the matrix exponential revisited", 2005): A is halved s times
 * until its 1-norm is at most 1 (well inside θ₉ ≈ 2.1, where the approximant's backward error is
 * below double rounding), exp(A/2ˢ) ≈ D⁻¹N with N = Σ c_j Xʲ and D = Σ c_j (−X)ʲ, then squared s
 * times. The count s is a comparison of the norm against powers of two (no adjoint), the rest
 * loops of products and one solve that reverse mode differentiates.
 */
import type { Span } from "../../common/span";
import type { IrVar, SExpr } from "../../ir/ir";
import { type ContainerValue, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import { REAL_ONE, REAL_ZERO, arity, assign, at, bin, checkSquare, cond, containerArg, materialized, matrixArg, num, read } from "./util";

const PADE_DEGREE = 9;

/** c_j = (2q − j)! q! / ((2q)! j! (q − j)!) for the [q/q] Padé approximant of exp. */
function padeCoefficients(q: number): number[] {
  const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
  return Array.from({ length: q + 1 }, (_, j) => (factorial(2 * q - j) * factorial(q)) / (factorial(2 * q) * factorial(j) * factorial(q - j)));
}

/** out = X · Y for n × n temporaries. */
function product(l: LoweringContext, out: IrVar, X: IrVar, Y: IrVar, n: SExpr, acc: IrVar): void {
  l.loop(n, (c) =>
    l.loop(n, (r) => {
      assign(l, acc, undefined, "=", REAL_ZERO);
      l.loop(n, (k) => assign(l, acc, undefined, "+=", bin("*", read(X, at(r, k, n)), read(Y, at(k, c, n)))));
      assign(l, out, at(r, c, n), "=", read(acc));
    }),
  );
}

export const matrix_exp: Expansion = (l, a, sp: Span) => {
  arity(a, 1, "matrix_exp", sp);
  const A = materialized(l, matrixArg(a[0], "matrix_exp", sp));
  checkSquare(l, "matrix_exp", "A", A);
  const n = A.dims[0];
  const nn = bin("*", n, n);
  const acc = l.scalarTemp("real", "acc");
  // the 1-norm (largest column sum of |a_ij|)
  const norm = l.scalarTemp("real", "norm");
  assign(l, norm, undefined, "=", REAL_ZERO);
  l.loop(n, (c) => {
    assign(l, acc, undefined, "=", REAL_ZERO);
    l.loop(n, (r) => assign(l, acc, undefined, "+=", l.scalarCall("fabs", [A.at(at(r, c, n))], sp)));
    l.emit({ k: "if", cond: bin(">", read(acc), read(norm)), then: [{ k: "assign", lhs: { v: norm }, op: "=", rhs: read(acc) }], otherwise: [] });
  });
  // s = number of halvings that bring the norm to ≤ 1 (at most 1100: any finite double)
  const halvings = l.scalarTemp("int", "halvings");
  const scale = l.scalarTemp("real", "scale");
  assign(l, halvings, undefined, "=", num(0, true));
  assign(l, scale, undefined, "=", REAL_ONE);
  l.loop(num(1100, true), () => {
    const halve = l.collect(() => {
      assign(l, halvings, undefined, "+=", num(1, true));
      assign(l, scale, undefined, "*=", num(0.5));
    });
    l.emit({ k: "if", cond: bin(">", bin("*", read(norm), read(scale)), REAL_ONE), then: halve, otherwise: [{ k: "break" }] });
  });
  const X = l.temp("real", "matrix", 0, [n, n], "expx");
  l.loop(nn, (i) => assign(l, X, i, "=", bin("*", A.at(i), read(scale))));
  // N and D accumulate c_j Xʲ and c_j (−X)ʲ; P holds Xʲ
  const coefficients = padeCoefficients(PADE_DEGREE);
  const P = l.temp("real", "matrix", 0, [n, n], "expp");
  const next = l.temp("real", "matrix", 0, [n, n], "expnext");
  const N = l.temp("real", "matrix", 0, [n, n], "expn");
  const D = l.temp("real", "matrix", 0, [n, n], "expd");
  const identity = (i: SExpr) => cond(bin("==", bin("%", i, n), bin("%/%", i, n)), REAL_ONE, REAL_ZERO);
  l.loop(nn, (i) => {
    assign(l, P, i, "=", read(X, i));
    assign(l, N, i, "=", bin("+", identity(i), bin("*", num(coefficients[1]), read(X, i))));
    assign(l, D, i, "=", bin("-", identity(i), bin("*", num(coefficients[1]), read(X, i))));
  });
  for (let j = 2; j <= PADE_DEGREE; j++) {
    product(l, next, P, X, n, acc);
    l.loop(nn, (i) => {
      assign(l, P, i, "=", read(next, i));
      assign(l, N, i, "+=", bin("*", num(coefficients[j]), read(P, i)));
      assign(l, D, i, j % 2 === 0 ? "+=" : "-=", bin("*", num(coefficients[j]), read(P, i)));
    });
  }
  const E = containerArg(l.callWithValues("mdivide_left", [wholeValue(D), wholeValue(N)], sp, false), "matrix_exp", sp) as ContainerValue;
  const result = l.temp("real", "matrix", 0, [n, n], "exp");
  l.loop(nn, (i) => assign(l, result, i, "=", E.at(i)));
  // undo the scaling: square s times
  l.loop(read(halvings), () => {
    product(l, next, result, result, n, acc);
    l.loop(nn, (i) => assign(l, result, i, "=", read(next, i)));
  });
  return wholeValue(result);
};
