/**
 * Gradient-check table for the scalar functions in `SCALAR_RULES`: evaluation points (random and
 * edge) and, for functions built from elementary operations, an independent dual-number version.
 */
import { D, Dual, TestRandom } from "./gradientCheck";

export interface ScalarEntry {
  readonly name: string;
  readonly points: (rng: TestRandom) => number[][];
  /** Finite-difference step per argument (default 1e-3·|x|, or 1e-4 at 0). */
  readonly step?: readonly number[];
  /** The function on dual numbers, seeded in argument j. */
  readonly dual?: (point: number[], j: number) => Dual;
}

const seed = (point: number[], j: number): Dual[] =>
  point.map((v, i) => new Dual(v, i === j ? 1 : 0));

function unaryDual(f: (x: Dual) => Dual): (point: number[], j: number) => Dual {
  return (point, j) => f(seed(point, j)[0]);
}
function binaryDual(f: (a: Dual, b: Dual) => Dual): (point: number[], j: number) => Dual {
  return (point, j) => {
    const [a, b] = seed(point, j);
    return f(a, b);
  };
}

const pts = (rng: TestRandom, lo: number, hi: number, extra: number[] = []): number[][] => [
  ...Array.from({ length: 4 }, () => [rng.range(lo, hi)]),
  ...extra.map((x) => [x]),
];
const pts2 = (
  rng: TestRandom,
  lo1: number,
  hi1: number,
  lo2: number,
  hi2: number,
  extra: number[][] = [],
): number[][] => [
  ...Array.from({ length: 4 }, () => [rng.range(lo1, hi1), rng.range(lo2, hi2)]),
  ...extra,
];

const invLogitDual = (x: Dual): Dual => new Dual(1).div(D.exp(x.neg()).add(1));
const sinhDual = (x: Dual): Dual => D.exp(x).sub(D.exp(x.neg())).mul(0.5);
const coshDual = (x: Dual): Dual => D.exp(x).add(D.exp(x.neg())).mul(0.5);
const asinDual = (x: Dual): Dual => D.atan(x.div(D.sqrt(new Dual(1).sub(x.mul(x)))));

export const SCALAR_TABLE: readonly ScalarEntry[] = [
  { name: "exp", points: (r) => pts(r, -5, 5, [-700, 300]), dual: unaryDual(D.exp) },
  { name: "exp2", points: (r) => pts(r, -5, 5), dual: unaryDual((x) => D.exp(x.mul(Math.LN2))) },
  { name: "log", points: (r) => pts(r, 0.01, 50, [1e-300, 1e300]), dual: unaryDual(D.log) },
  { name: "log2", points: (r) => pts(r, 0.01, 50), dual: unaryDual((x) => D.log(x).div(Math.LN2)) },
  {
    name: "log10",
    points: (r) => pts(r, 0.01, 50),
    dual: unaryDual((x) => D.log(x).div(Math.LN10)),
  },
  { name: "log1p", points: (r) => pts(r, -0.9, 10, [1e-12]), dual: unaryDual(D.log1p) },
  { name: "expm1", points: (r) => pts(r, -5, 5, [1e-12]), dual: unaryDual(D.expm1) },
  {
    name: "log1m",
    points: (r) => pts(r, -10, 0.9, [1e-12]),
    dual: unaryDual((x) => D.log1p(x.neg())),
  },
  {
    name: "log1m_exp",
    points: (r) => pts(r, -10, -0.1, [-1e-4, -40]),
    dual: unaryDual((x) => D.log1p(D.exp(x).neg())),
  },
  {
    name: "log1p_exp",
    points: (r) => pts(r, -10, 10, [-40, 40]),
    dual: unaryDual((x) => D.log1p(D.exp(x))),
  },
  {
    name: "log_diff_exp",
    points: (r) =>
      pts2(r, 0, 3, -3, -0.1, [
        [5, 4.999],
        [50, 0],
      ]),
    step: [1e-5, 1e-5],
    dual: binaryDual((a, b) => a.add(D.log1p(D.exp(b.sub(a)).neg()))),
  },
  {
    name: "log_sum_exp",
    points: (r) =>
      pts2(r, -5, 5, -5, 5, [
        [700, 699],
        [-30, 10],
      ]),
    dual: binaryDual((a, b) =>
      a.v > b.v ? a.add(D.log1p(D.exp(b.sub(a)))) : b.add(D.log1p(D.exp(a.sub(b)))),
    ),
  },
  {
    name: "lmultiply",
    points: (r) => pts2(r, -3, 3, 0.1, 5),
    dual: binaryDual((a, b) => a.mul(D.log(b))),
  },
  {
    name: "multiply_log",
    points: (r) => pts2(r, -3, 3, 0.1, 5),
    dual: binaryDual((a, b) => a.mul(D.log(b))),
  },
  { name: "sqrt", points: (r) => pts(r, 0.01, 100, [1e-10]), dual: unaryDual(D.sqrt) },
  {
    name: "cbrt",
    points: (r) => pts(r, 0.01, 100, [-8]),
    dual: unaryDual((x) => (x.v < 0 ? D.powc(x.neg(), 1 / 3).neg() : D.powc(x, 1 / 3))),
  },
  { name: "square", points: (r) => pts(r, -10, 10), dual: unaryDual((x) => x.mul(x)) },
  {
    name: "pow",
    points: (r) =>
      pts2(r, 0.1, 4, -3, 3, [
        [2, 10],
        [0.5, 0.5],
      ]),
    dual: binaryDual((a, b) => D.exp(b.mul(D.log(a)))),
  },
  { name: "inv", points: (r) => pts(r, 0.1, 10, [-3]), dual: unaryDual((x) => new Dual(1).div(x)) },
  {
    name: "inv_sqrt",
    points: (r) => pts(r, 0.1, 10),
    dual: unaryDual((x) => new Dual(1).div(D.sqrt(x))),
  },
  {
    name: "inv_square",
    points: (r) => pts(r, 0.1, 10, [-2]),
    dual: unaryDual((x) => new Dual(1).div(x.mul(x))),
  },
  {
    name: "hypot",
    points: (r) => pts2(r, -5, 5, -5, 5),
    dual: binaryDual((a, b) => D.sqrt(a.mul(a).add(b.mul(b)))),
  },
  { name: "lgamma", points: (r) => pts(r, 0.05, 30, [1e-3, 1, 2, 1.4616, 1e4, -2.5]) },
  { name: "digamma", points: (r) => pts(r, 0.05, 30, [1e-2, 1, 1e4, -0.5]) },
  { name: "tgamma", points: (r) => pts(r, 0.1, 8, [-1.5]) },
  {
    name: "lbeta",
    points: (r) =>
      pts2(r, 0.1, 20, 0.1, 20, [
        [1e4, 2.5],
        [50, 70],
        [1e-3, 2],
      ]),
  },
  {
    name: "lchoose",
    points: (r) =>
      pts2(r, 10, 20, 0.5, 9, [
        [100.5, 3.2],
        [5, 0.5],
      ]),
  },
  { name: "inv_logit", points: (r) => pts(r, -8, 8, [-40, 40]), dual: unaryDual(invLogitDual) },
  {
    name: "log_inv_logit",
    points: (r) => pts(r, -8, 8, [-40]),
    dual: unaryDual((x) => D.log(invLogitDual(x))),
  },
  {
    name: "log1m_inv_logit",
    points: (r) => pts(r, -8, 8, [40]),
    dual: unaryDual((x) => D.log(invLogitDual(x.neg()))),
  },
  {
    name: "logit",
    points: (r) => pts(r, 0.01, 0.99, [1e-6]),
    dual: unaryDual((p) => D.log(p.div(new Dual(1).sub(p)))),
  },
  { name: "Phi", points: (r) => pts(r, -5, 5, [-30, 8]) },
  {
    name: "Phi_approx",
    points: (r) => pts(r, -4, 4),
    dual: unaryDual((x) => invLogitDual(x.mul(x).mul(x).mul(0.07056).add(x.mul(1.5976)))),
  },
  { name: "inv_Phi", points: (r) => pts(r, 0.01, 0.99, [1e-10, 0.5]) },
  { name: "erf", points: (r) => pts(r, -3, 3, [0, 5]) },
  { name: "erfc", points: (r) => pts(r, -3, 3, [0, 10]) },
  { name: "sin", points: (r) => pts(r, -6, 6), dual: unaryDual(D.sin) },
  { name: "cos", points: (r) => pts(r, -6, 6), dual: unaryDual(D.cos) },
  { name: "tan", points: (r) => pts(r, -1.4, 1.4), dual: unaryDual((x) => D.sin(x).div(D.cos(x))) },
  { name: "asin", points: (r) => pts(r, -0.95, 0.95), dual: unaryDual(asinDual) },
  {
    name: "acos",
    points: (r) => pts(r, -0.95, 0.95),
    dual: unaryDual((x) =>
      asinDual(x)
        .neg()
        .add(Math.PI / 2),
    ),
  },
  { name: "atan", points: (r) => pts(r, -10, 10), dual: unaryDual(D.atan) },
  {
    name: "atan2",
    points: (r) => pts2(r, -3, 3, 0.1, 3),
    dual: binaryDual((y, x) => D.atan(y.div(x))),
  },
  { name: "sinh", points: (r) => pts(r, -5, 5), dual: unaryDual(sinhDual) },
  { name: "cosh", points: (r) => pts(r, -5, 5), dual: unaryDual(coshDual) },
  {
    name: "tanh",
    points: (r) => pts(r, -5, 5),
    dual: unaryDual((x) => sinhDual(x).div(coshDual(x))),
  },
  {
    name: "asinh",
    points: (r) => pts(r, 0.1, 10),
    dual: unaryDual((x) => D.log(x.add(D.sqrt(x.mul(x).add(1))))),
  },
  {
    name: "acosh",
    points: (r) => pts(r, 1.1, 10),
    dual: unaryDual((x) => D.log(x.add(D.sqrt(x.mul(x).sub(1))))),
  },
  {
    name: "atanh",
    points: (r) => pts(r, -0.9, 0.9),
    dual: unaryDual((x) => D.log(x.add(1).div(new Dual(1).sub(x))).mul(0.5)),
  },
  { name: "fabs", points: (r) => pts(r, -5, 5), dual: unaryDual(D.abs) },
  { name: "abs", points: (r) => pts(r, -5, 5), dual: unaryDual(D.abs) },
  {
    name: "fmin",
    points: (r) => pts2(r, -5, 5, -5, 5),
    dual: binaryDual((a, b) => (a.v < b.v ? a : b)),
  },
  {
    name: "fmax",
    points: (r) => pts2(r, -5, 5, -5, 5),
    dual: binaryDual((a, b) => (a.v > b.v ? a : b)),
  },
  {
    name: "fdim",
    points: (r) => pts2(r, -5, 5, -5, 5),
    dual: binaryDual((a, b) => (a.v > b.v ? a.sub(b) : new Dual(0))),
  },
  {
    name: "fmod",
    points: () => [
      [5.3, 2.1],
      [-7.7, 2.5],
      [1.5, 4],
    ],
    dual: binaryDual((a, b) => a.sub(b.mul(Math.trunc(a.v / b.v)))),
  },
  { name: "step", points: () => [[-1.5], [0.7]] },
  { name: "int_step", points: () => [[-1.5], [0.7]] },
  { name: "floor", points: () => [[-1.5], [0.7]] },
  { name: "ceil", points: () => [[-1.5], [0.7]] },
  { name: "round", points: () => [[-1.3], [0.7]] },
  { name: "trunc", points: () => [[-1.5], [0.7]] },
];
