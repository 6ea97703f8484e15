/**
 * Gaussian-process covariance functions as loops over pairs of points: the squared distance
 * (scaled per dimension when the length scales are an array, Stan's ARD form), then the kernel of
 * it. With one set of points the matrix is filled symmetrically and its diagonal is σ² exactly
 * (no distance, so no derivative of √0); the distance's square root is taken only when positive.
 */
import { fail } from "../../common/diagnostics";
import type { Span } from "../../common/span";
import type { SExpr } from "../../ir/ir";
import { type ContainerValue, wholeValue } from "../../ir/values";
import type { LoweringContext } from "../primitive";
import type { Expansion } from "../primitive";
import { ONE, REAL_ZERO, arity, assign, at, bin, checkSizeMatch, containerArg, loopRange, materialized, num, read, scalarArg } from "./util";

type Kernel = "exp_quad" | "matern32" | "matern52" | "exponential";

/** Points: an array of reals (1-D) or of vectors; `coord(n, k)` reads coordinate k of point n. */
interface Points {
  readonly count: SExpr;
  readonly dim: SExpr;
  readonly coord: (n: SExpr, k: SExpr) => SExpr;
}

function pointsArg(l: LoweringContext, v: ContainerValue, fn: string, sp: Span): Points {
  const x = materialized(l, v);
  if (x.arrayDims !== 1) return fail("Semantic error", sp, `${fn} needs an array of reals or of vectors.`);
  if (x.base === "real" || x.base === "int") return { count: x.dims[0], dim: ONE, coord: (n) => x.at(n) };
  const K = x.dims[1];
  return { count: x.dims[0], dim: K, coord: (n, k) => x.at(bin("+", bin("*", n, K), k)) };
}

function checkPositiveFinite(l: LoweringContext, fn: string, name: string, x: SExpr): void {
  const ok = bin("&&", bin(">", x, REAL_ZERO), bin("<", x, num("Infinity")));
  l.emit({ k: "check", cond: ok, message: [`${fn}: ${name} is `, x, ", but must be positive finite!"], data: false, loc: l.currentLoc });
}

function gpCovariance(fn: string, kernel: Kernel): Expansion {
  return (l, a, sp) => {
    arity(a, [3, 4], fn, sp);
    const twoSets = a.length === 4;
    const x1 = pointsArg(l, containerArg(a[0], fn, sp), fn, sp);
    const x2 = twoSets ? pointsArg(l, containerArg(a[1], fn, sp), fn, sp) : x1;
    const sigma = scalarArg(a[twoSets ? 2 : 1], fn, sp);
    const scaleArg = a[twoSets ? 3 : 2];
    checkPositiveFinite(l, fn, "magnitude", sigma);
    // one length scale, or one per dimension (ARD)
    let lengthScale: (k: SExpr) => SExpr;
    if (scaleArg.kind === "s") {
      checkPositiveFinite(l, fn, "length scale", scaleArg.e);
      lengthScale = () => scaleArg.e;
    } else {
      const ls = materialized(l, scaleArg);
      checkSizeMatch(l, fn, "size of length scale", ls.dims[0], "dimension of x", x1.dim);
      l.loop(ls.dims[0], (k) => checkPositiveFinite(l, fn, "length scale", ls.at(k)));
      lengthScale = (k) => ls.at(k);
    }
    if (twoSets) checkSizeMatch(l, fn, "dimension of x1", x1.dim, "dimension of x2", x2.dim);
    const variance = l.scalarTemp("real", "sigmaSq");
    assign(l, variance, undefined, "=", bin("*", sigma, sigma));
    const rows = x1.count;
    const out = l.temp("real", "matrix", 0, [rows, x2.count], "cov");
    const sq = l.scalarTemp("real", "sqdist");
    const dist = l.scalarTemp("real", "dist");
    const entry = (i: SExpr, j: SExpr): SExpr => {
      // squared distance in length-scale units
      assign(l, sq, undefined, "=", REAL_ZERO);
      l.loop(x1.dim, (k) => {
        const diff = bin("/", bin("-", x1.coord(i, k), x2.coord(j, k)), lengthScale(k));
        assign(l, sq, undefined, "+=", bin("*", diff, diff));
      });
      if (kernel === "exp_quad") return bin("*", read(variance), l.scalarCall("exp", [bin("*", num(-0.5), read(sq))], sp));
      l.emit({ k: "if", cond: bin(">", read(sq), REAL_ZERO), then: l.collect(() => assign(l, dist, undefined, "=", l.scalarCall("sqrt", [read(sq)], sp))), otherwise: l.collect(() => assign(l, dist, undefined, "=", REAL_ZERO)) });
      const d = read(dist);
      if (kernel === "exponential") return bin("*", read(variance), l.scalarCall("exp", [bin("-", REAL_ZERO, d)], sp));
      const root = num(kernel === "matern32" ? Math.sqrt(3) : Math.sqrt(5));
      const rd = bin("*", root, d);
      // matern32: σ²(1 + √3 d) e^(−√3 d); matern52: σ²(1 + √5 d + 5d²/3) e^(−√5 d)
      const poly = kernel === "matern32" ? bin("+", num(1), rd) : bin("+", bin("+", num(1), rd), bin("*", num(5 / 3), read(sq)));
      return bin("*", bin("*", read(variance), poly), l.scalarCall("exp", [bin("-", REAL_ZERO, rd)], sp));
    };
    if (twoSets) {
      l.loop(x2.count, (j) => l.loop(rows, (i) => assign(l, out, at(i, j, rows), "=", entry(i, j))));
    } else {
      l.loop(rows, (j) => {
        assign(l, out, at(j, j, rows), "=", read(variance));
        loopRange(l, bin("+", j, ONE), rows, (i) => {
          assign(l, out, at(i, j, rows), "=", entry(i, j));
          assign(l, out, at(j, i, rows), "=", read(out, at(i, j, rows)));
        });
      });
    }
    return wholeValue(out);
  };
}

export const cov_exp_quad = gpCovariance("cov_exp_quad", "exp_quad");
export const gp_exp_quad_cov = gpCovariance("gp_exp_quad_cov", "exp_quad");
export const gp_matern32_cov = gpCovariance("gp_matern32_cov", "matern32");
export const gp_matern52_cov = gpCovariance("gp_matern52_cov", "matern52");
export const gp_exponential_cov = gpCovariance("gp_exponential_cov", "exponential");
