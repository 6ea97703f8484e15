/**
 * The gradient-check table: every `_vp` kernel exported from `src/runtime/math/index.ts`, with
 * argument generators covering random points and edge points (small and large scales, values near
 * bounds, integer data for lpmfs). `gradients.test.ts` checks each entry against finite differences
 * and fails if an exported kernel has no entry here.
 */
import { type Arg, TestRandom, data, fixed, free, positive, unit } from "./gradientCheck";

export interface VpEntry {
  /** Exported name of the `_vp` kernel. */
  readonly kernel: string;
  /** Whether the kernel takes a `propto` flag after its value arguments. */
  readonly propto: boolean;
  /** Argument lists to check. Non-fixed arguments get a d_ buffer, in order, after `propto`. */
  readonly points: (rng: TestRandom) => Arg[][];
}

const vec = (rng: TestRandom, n: number, lo: number, hi: number): Float64Array =>
  rng.vector(n, lo, hi);
const f64 = (...x: number[]): Float64Array => Float64Array.from(x);

/** Lower-triangular Cholesky factor of a random correlation matrix (rows of unit length), column-major. */
export function randomCorrCholesky(rng: TestRandom, K: number): Float64Array {
  const L = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    let norm = 0;
    const row = new Float64Array(i + 1);
    for (let j = 0; j <= i; j++) {
      row[j] = j === i ? 1 + Math.abs(rng.normal()) : 0.5 * rng.normal();
      norm += row[j] * row[j];
    }
    for (let j = 0; j <= i; j++) L[i + j * K] = row[j] / Math.sqrt(norm);
  }
  return L;
}

/** Random lower-triangular factor with positive diagonal scaled by `scale`. */
export function randomCholesky(rng: TestRandom, K: number, scale: number): Float64Array {
  const L = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    for (let i = j; i < K; i++)
      L[i + j * K] = scale * (i === j ? 0.5 + rng.uniform() : 0.5 * rng.normal());
  }
  return L;
}

/** Coordinate directions restricted to the lower triangle of a K×K column-major matrix. */
export function lowerTriangleDirections(K: number): Float64Array[] {
  const dirs: Float64Array[] = [];
  for (let j = 0; j < K; j++) {
    for (let i = j; i < K; i++) {
      const d = new Float64Array(K * K);
      d[i + j * K] = 1;
      dirs.push(d);
    }
  }
  return dirs;
}

/** Symmetric directions E_ij + E_ji (i ≥ j) for a K×K symmetric matrix argument. */
export function symmetricDirections(K: number): Float64Array[] {
  const dirs: Float64Array[] = [];
  for (let j = 0; j < K; j++) {
    for (let i = j; i < K; i++) {
      const d = new Float64Array(K * K);
      d[i + j * K] = 1;
      d[j + i * K] = 1;
      dirs.push(d);
    }
  }
  return dirs;
}

/** Directions e_i − e_{i+1}, which keep a simplex summing to one. */
export function simplexDirections(n: number): Float64Array[] {
  const dirs: Float64Array[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const d = new Float64Array(n);
    d[i] = 1;
    d[i + 1] = -1;
    dirs.push(d);
  }
  return dirs;
}

export function randomSimplex(rng: TestRandom, n: number): Float64Array {
  const x = rng.vector(n, 0.2, 1);
  let s = 0;
  for (const v of x) s += v;
  return x.map((v) => v / s);
}

/** Location–scale families: scalar/vector combinations, tiny and huge scales, far tails. */
function locationScale(rng: TestRandom, yPositive = false): Arg[][] {
  const y = (v: number | Float64Array): Arg => (yPositive ? positive(v) : free(v));
  const ys = (n: number): Float64Array => (yPositive ? vec(rng, n, 0.1, 4) : vec(rng, n, -3, 3));
  return [
    [y(yPositive ? 1.3 : 0.7), free(0.2), positive(1.5)],
    [y(ys(4)), free(vec(rng, 4, -1, 1)), positive(vec(rng, 4, 0.5, 2))],
    [y(ys(5)), free(0.3), positive(2.1)],
    [y(ys(6)), free(vec(rng, 6, -1, 1)), positive(1.7)],
    [y(yPositive ? 2.5 : 0.4), free(vec(rng, 3, -1, 1)), positive(0.8)],
    [y(yPositive ? 0.01 : 1e-3), free(-2e-3), positive(1e-3)],
    [y(yPositive ? 3e4 : 2e4), free(1e4), positive(5e3)],
  ];
}

const K3 = 3;

export const VP_TABLE: readonly VpEntry[] = [
  { kernel: "normal_lpdf_vp", propto: true, points: (r) => locationScale(r) },
  {
    kernel: "normal_lcdf_vp",
    propto: false,
    points: (r) => [
      ...locationScale(r),
      [free(-30), free(0), positive(1)],
      [free(8), free(0), positive(1)],
    ],
  },
  {
    kernel: "normal_lccdf_vp",
    propto: false,
    points: (r) => [
      ...locationScale(r),
      [free(30), free(0), positive(1)],
      [free(-8), free(0), positive(1)],
    ],
  },
  {
    kernel: "std_normal_lpdf_vp",
    propto: true,
    points: (r) => [[free(0.3)], [free(vec(r, 5, -3, 3))], [free(-40)]],
  },
  {
    kernel: "std_normal_lcdf_vp",
    propto: false,
    points: (r) => [[free(0.3)], [free(vec(r, 5, -3, 3))], [free(-20)], [free(9)]],
  },
  {
    kernel: "std_normal_lccdf_vp",
    propto: false,
    points: (r) => [[free(0.3)], [free(vec(r, 5, -3, 3))], [free(20)], [free(-9)]],
  },
  {
    kernel: "exponential_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(1.2), positive(0.7)],
      [positive(vec(r, 4, 0.1, 3)), positive(2)],
      [positive(vec(r, 3, 0.1, 3)), positive(vec(r, 3, 0.2, 5))],
      [positive(1e-4), positive(1e3)],
    ],
  },
  {
    kernel: "exponential_lcdf_vp",
    propto: false,
    points: (r) => [
      [positive(1.2), positive(0.7)],
      [positive(vec(r, 4, 0.1, 3)), positive(vec(r, 4, 0.2, 5))],
      [positive(1e-6), positive(2)],
      [positive(40), positive(1)],
    ],
  },
  {
    kernel: "exponential_lccdf_vp",
    propto: false,
    points: (r) => [
      [positive(1.2), positive(0.7)],
      [positive(vec(r, 4, 0.1, 3)), positive(2)],
    ],
  },
  {
    kernel: "student_t_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(0.4), positive(3), free(0.1), positive(2.5)],
      [
        free(vec(r, 4, -5, 5)),
        positive(vec(r, 4, 1, 30)),
        free(vec(r, 4, -1, 1)),
        positive(vec(r, 4, 0.5, 3)),
      ],
      [free(vec(r, 3, -5, 5)), positive(4), free(0.2), positive(1.1)],
      [free(1e3), positive(0.5), free(0), positive(1e-2)],
      [free(0.3), positive(1e4), free(-0.1), positive(1)],
    ],
  },
  {
    kernel: "student_t_lccdf_vp",
    propto: false,
    points: (r) => [
      [free(0.4), positive(3), free(0.1), positive(2.5)],
      [
        free(vec(r, 3, -4, 4)),
        positive(vec(r, 3, 1, 20)),
        free(vec(r, 3, -1, 1)),
        positive(vec(r, 3, 0.5, 3)),
      ],
      [free(30), positive(3), free(0), positive(1)],
      [free(-30), positive(2.5), free(0), positive(1)],
      [free(1.5), positive(200), free(0.2), positive(0.7)],
    ],
  },
  {
    kernel: "student_t_lcdf_vp",
    propto: false,
    points: (r) => [
      [free(0.4), positive(3), free(0.1), positive(2.5)],
      [
        free(vec(r, 3, -4, 4)),
        positive(vec(r, 3, 1, 20)),
        free(vec(r, 3, -1, 1)),
        positive(vec(r, 3, 0.5, 3)),
      ],
      [free(-30), positive(3), free(0), positive(1)],
      [free(12), positive(0.8), free(0), positive(1)],
    ],
  },
  {
    kernel: "lkj_corr_cholesky_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(randomCorrCholesky(r, 2), lowerTriangleDirections(2)), fixed(2), positive(1)],
      [free(randomCorrCholesky(r, K3), lowerTriangleDirections(K3)), fixed(K3), positive(2)],
      [free(randomCorrCholesky(r, 4), lowerTriangleDirections(4)), fixed(4), positive(0.7)],
      [free(randomCorrCholesky(r, 5), lowerTriangleDirections(5)), fixed(5), positive(30)],
    ],
  },
  {
    kernel: "multi_normal_cholesky_lpdf_vp",
    propto: true,
    points: (r) => [
      [
        free(vec(r, K3, -2, 2)),
        free(vec(r, K3, -1, 1)),
        free(randomCholesky(r, K3, 1), lowerTriangleDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, 4 * K3, -2, 2)),
        free(vec(r, K3, -1, 1)),
        free(randomCholesky(r, K3, 1), lowerTriangleDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, 2 * K3, -2, 2)),
        free(vec(r, 2 * K3, -1, 1)),
        free(randomCholesky(r, K3, 2), lowerTriangleDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, K3, -2, 2)),
        free(vec(r, 3 * K3, -1, 1)),
        free(randomCholesky(r, K3, 0.5), lowerTriangleDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, 2, -1e-2, 1e-2)),
        free(vec(r, 2, -1e-2, 1e-2)),
        free(randomCholesky(r, 2, 1e-2), lowerTriangleDirections(2)),
        fixed(2),
      ],
      [
        free(vec(r, 5 * 2, -2, 2)),
        free(vec(r, 2, -1, 1)),
        free(randomCholesky(r, 2, 1), lowerTriangleDirections(2)),
        fixed(2),
      ],
      [
        free(vec(r, 2, -2, 2)),
        free(vec(r, 3 * 2, -1, 1)),
        free(randomCholesky(r, 2, 3), lowerTriangleDirections(2)),
        fixed(2),
      ],
      [
        free(vec(r, 4 * 2, -2, 2)),
        free(vec(r, 4 * 2, -1, 1)),
        free(randomCholesky(r, 2, 0.7), lowerTriangleDirections(2)),
        fixed(2),
      ],
    ],
  },
  {
    kernel: "normal_id_glm_lpdf_vp",
    propto: true,
    points: (r) => [
      [
        free(vec(r, 5, -2, 2)),
        free(vec(r, 5 * 3, -1, 1)),
        fixed(5),
        fixed(3),
        free(0.3),
        free(vec(r, 3, -1, 1)),
        positive(1.2),
      ],
      [
        free(vec(r, 4, -2, 2)),
        free(vec(r, 4 * 2, -1, 1)),
        fixed(4),
        fixed(2),
        free(vec(r, 4, -1, 1)),
        free(vec(r, 2, -1, 1)),
        positive(vec(r, 4, 0.5, 2)),
      ],
      [
        free(0.5),
        free(vec(r, 3 * 2, -1, 1)),
        fixed(3),
        fixed(2),
        free(0.1),
        free(vec(r, 2, -1, 1)),
        positive(0.05),
      ],
      // m1's shape: data y and X, one predictor column, vector intercepts, scalar sigma (fused path)
      [
        data(vec(r, 6, -2, 2)),
        data(vec(r, 6, -1, 1)),
        fixed(6),
        fixed(1),
        free(vec(r, 6, -1, 1)),
        free(vec(r, 1, -1, 1)),
        positive(0.9),
      ],
      [
        data(vec(r, 5, -2, 2)),
        data(vec(r, 5, -1, 1)),
        fixed(5),
        fixed(1),
        free(-0.2),
        free(vec(r, 1, -1, 1)),
        positive(2.2),
      ],
    ],
  },
  {
    kernel: "sum_vp",
    propto: false,
    points: (r) => [[free(vec(r, 5, -3, 3))], [free(new Float64Array([2.5]))]],
  },
  {
    kernel: "mean_vp",
    propto: false,
    points: (r) => [[free(vec(r, 5, -3, 3))], [free(new Float64Array([2.5]))]],
  },
  {
    kernel: "variance_vp",
    propto: false,
    points: (r) => [[free(vec(r, 5, -3, 3))], [free(vec(r, 2, 1e3, 1e3 + 1))]],
  },
  {
    kernel: "sd_vp",
    propto: false,
    points: (r) => [[free(vec(r, 5, -3, 3))], [free(vec(r, 3, 1e-3, 2e-3))]],
  },
  {
    kernel: "dot_product_vp",
    propto: false,
    points: (r) => [[free(vec(r, 4, -3, 3)), free(vec(r, 4, -3, 3))]],
  },
  { kernel: "dot_self_vp", propto: false, points: (r) => [[free(vec(r, 4, -3, 3))]] },
  {
    kernel: "log_sum_exp_vp",
    propto: false,
    points: (r) => [
      [free(vec(r, 4, -3, 3))],
      [free(new Float64Array([700, 699, -1000]))],
      [free(new Float64Array([-800, -801]))],
    ],
  },
  {
    kernel: "log_mix_vp",
    propto: false,
    points: (r) => [
      [unit(0.3), free(-1.2), free(0.4)],
      [unit(r.range(0.05, 0.95)), free(r.range(-5, 5)), free(r.range(-5, 5))],
      [unit(0.999), free(-300), free(-310)],
      [free(randomSimplex(r, 4), simplexDirections(4)), free(vec(r, 4, -3, 3))],
    ],
  },
  { kernel: "cauchy_lpdf_vp", propto: true, points: (r) => locationScale(r) },
  {
    kernel: "cauchy_lcdf_vp",
    propto: false,
    points: (r) => [
      ...locationScale(r),
      [free(-1e6), free(0), positive(1)],
      [free(1e3), free(0), positive(1)],
    ],
  },
  {
    kernel: "cauchy_lccdf_vp",
    propto: false,
    points: (r) => [
      ...locationScale(r),
      [free(1e6), free(0), positive(1)],
      [free(-1e3), free(0), positive(1)],
    ],
  },
  { kernel: "lognormal_lpdf_vp", propto: true, points: (r) => locationScale(r, true) },
  { kernel: "double_exponential_lpdf_vp", propto: true, points: (r) => locationScale(r) },
  {
    kernel: "logistic_lpdf_vp",
    propto: true,
    points: (r) => [...locationScale(r), [free(-800), free(0), positive(1)]],
  },
  {
    kernel: "gamma_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(1.3), positive(2.5), positive(0.7)],
      [positive(vec(r, 4, 0.1, 5)), positive(vec(r, 4, 0.2, 8)), positive(vec(r, 4, 0.2, 3))],
      [positive(vec(r, 3, 0.1, 5)), positive(0.3), positive(2)],
      [positive(1e-3), positive(0.05), positive(1e-2)],
      [positive(5e3), positive(4e3), positive(0.7)],
    ],
  },
  {
    kernel: "inv_gamma_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(1.3), positive(2.5), positive(0.7)],
      [positive(vec(r, 4, 0.1, 5)), positive(vec(r, 4, 0.2, 8)), positive(vec(r, 4, 0.2, 3))],
      [positive(1e-2), positive(0.5), positive(1e-2)],
    ],
  },
  {
    kernel: "beta_lpdf_vp",
    propto: true,
    points: (r) => [
      [unit(0.3), positive(2.5), positive(0.7)],
      [unit(vec(r, 4, 0.05, 0.95)), positive(vec(r, 4, 0.2, 8)), positive(vec(r, 4, 0.2, 3))],
      [unit(vec(r, 3, 0.05, 0.95)), positive(1), positive(3)],
      [unit(1e-6), positive(0.5), positive(1e4)],
      [unit(0.999), positive(300), positive(0.2)],
    ],
  },
  {
    kernel: "uniform_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(0.3), free(-1), free(2)],
      [free(vec(r, 3, 0, 1)), free(vec(r, 3, -2, -0.1)), free(vec(r, 3, 1.1, 2))],
    ],
  },
  {
    kernel: "weibull_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(1.3), positive(2.5), positive(0.7)],
      [positive(vec(r, 4, 0.1, 5)), positive(vec(r, 4, 0.3, 4)), positive(vec(r, 4, 0.5, 3))],
      [positive(1e-3), positive(0.5), positive(2)],
      [positive(40), positive(1.5), positive(20)],
    ],
  },
  {
    kernel: "chi_square_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(1.3), positive(2.5)],
      [positive(vec(r, 4, 0.1, 5)), positive(vec(r, 4, 0.3, 10))],
      [positive(1e-3), positive(0.5)],
      [positive(900), positive(1000)],
    ],
  },
  {
    kernel: "bernoulli_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(1), unit(0.3)],
      [fixed(Int32Array.of(0, 1, 1, 0)), unit(vec(r, 4, 0.05, 0.95))],
      [fixed(Int32Array.of(0, 1, 1)), unit(0.6)],
      [fixed(1), unit(1e-8)],
    ],
  },
  {
    kernel: "bernoulli_logit_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(1), free(0.3)],
      [fixed(Int32Array.of(0, 1, 1, 0)), free(vec(r, 4, -3, 3))],
      [fixed(Int32Array.of(0, 1)), free(-0.4)],
      [fixed(Int32Array.of(0, 1)), free(f64(40, -40))],
    ],
  },
  {
    kernel: "bernoulli_logit_glm_lpmf_vp",
    propto: true,
    points: (r) => [
      [
        fixed(Int32Array.of(0, 1, 1, 0, 1)),
        free(vec(r, 5 * 3, -1, 1)),
        fixed(5),
        fixed(3),
        free(0.3),
        free(vec(r, 3, -1, 1)),
      ],
      [
        fixed(Int32Array.of(1, 0, 1)),
        free(vec(r, 3 * 2, -1, 1)),
        fixed(3),
        fixed(2),
        free(vec(r, 3, -1, 1)),
        free(vec(r, 2, -2, 2)),
      ],
    ],
  },
  {
    kernel: "binomial_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), fixed(10), unit(0.3)],
      [fixed(Int32Array.of(0, 4, 7)), fixed(Int32Array.of(5, 4, 9)), unit(vec(r, 3, 0.05, 0.95))],
      [fixed(Int32Array.of(0, 4, 7)), fixed(10), unit(0.45)],
      [fixed(500), fixed(1000), unit(0.5)],
    ],
  },
  {
    kernel: "binomial_logit_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), fixed(10), free(0.3)],
      [fixed(Int32Array.of(0, 4, 7)), fixed(Int32Array.of(5, 4, 9)), free(vec(r, 3, -3, 3))],
      [fixed(0), fixed(20), free(-30)],
    ],
  },
  {
    kernel: "beta_binomial_lcdf_vp",
    propto: false,
    points: (r) => [
      [fixed(3), fixed(9), positive(2.5), positive(1.7)],
      [fixed(Int32Array.of(0, 4, 8)), fixed(Int32Array.of(5, 9, 9)), positive(vec(r, 3, 0.3, 6)), positive(vec(r, 3, 0.3, 6))],
      [fixed(40), fixed(60), positive(0.5), positive(30)],
    ],
  },
  {
    // (y − tau)/alpha² from 0.009 (small-time series) through 0.4 to 23 (large-time series)
    kernel: "wiener_lpdf_vp",
    propto: true,
    points: (r) => [
      [positive(0.9), positive(1.2), positive(0.3), unit(0.4), free(0.7)],
      [positive(0.32), positive(1.5), positive(0.3), unit(0.6), free(-0.8)],
      [positive(6), positive(0.5), positive(0.2), unit(0.3), free(1.3)],
      [positive(vec(r, 3, 1, 2.5)), positive(vec(r, 3, 0.5, 2)), positive(0.4), unit(vec(r, 3, 0.2, 0.8)), data(0.5)],
      [data(f64(0.7, 1.9)), positive(0.8), data(0.25), unit(0.5), free(f64(-1.5, 2))],
    ],
  },
  {
    kernel: "beta_binomial_lccdf_vp",
    propto: false,
    points: (r) => [
      [fixed(3), fixed(9), positive(2.5), positive(1.7)],
      [fixed(Int32Array.of(0, 4, 8)), fixed(Int32Array.of(5, 9, 9)), positive(vec(r, 3, 0.3, 6)), positive(vec(r, 3, 0.3, 6))],
      [fixed(2), fixed(60), positive(30), positive(0.5)],
    ],
  },
  {
    kernel: "poisson_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), positive(2.5)],
      [fixed(Int32Array.of(0, 4, 17)), positive(vec(r, 3, 0.1, 20))],
      [fixed(Int32Array.of(0, 4, 17)), positive(6)],
      [fixed(0), positive(1e-8)],
      [fixed(100000), positive(99000)],
    ],
  },
  {
    kernel: "poisson_log_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), free(0.5)],
      [fixed(Int32Array.of(0, 4, 17)), free(vec(r, 3, -2, 3))],
      [fixed(0), free(-30)],
    ],
  },
  {
    kernel: "neg_binomial_2_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), positive(2.5), positive(1.5)],
      [fixed(Int32Array.of(0, 4, 17)), positive(vec(r, 3, 0.5, 20)), positive(vec(r, 3, 0.1, 10))],
      [fixed(Int32Array.of(0, 4, 17)), positive(6), positive(0.7)],
      [fixed(5), positive(4), positive(1e7)],
      [fixed(200), positive(150), positive(1e-2)],
    ],
  },
  {
    kernel: "neg_binomial_2_log_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(3), free(0.7), positive(1.5)],
      [fixed(Int32Array.of(0, 4, 17)), free(vec(r, 3, -1, 3)), positive(vec(r, 3, 0.1, 10))],
      [fixed(5), free(1.2), positive(1e7)],
      [fixed(0), free(-20), positive(2)],
    ],
  },
  {
    kernel: "categorical_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(2), free(randomSimplex(r, 3), simplexDirections(3))],
      [fixed(Int32Array.of(1, 3, 3, 4)), free(randomSimplex(r, 4), simplexDirections(4))],
    ],
  },
  {
    kernel: "categorical_logit_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(2), free(vec(r, 3, -2, 2))],
      [fixed(Int32Array.of(1, 3, 3, 4)), free(vec(r, 4, -2, 2))],
      [fixed(1), free(f64(300, -300, 0))],
    ],
  },
  {
    kernel: "ordered_logistic_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(2), free(0.3), free(f64(-1, 0.5, 2)), fixed(3)],
      [fixed(Int32Array.of(1, 2, 3, 4)), free(vec(r, 4, -2, 2)), free(f64(-1.5, 0.2, 1.1)), fixed(3)],
      [fixed(Int32Array.of(1, 4, 2)), free(0.1), free(f64(-0.5, 0.4, 3)), fixed(3)],
      [fixed(2), free(30), free(f64(29.9, 30.2)), fixed(2)],
      [fixed(1), free(-40), free(f64(0, 1)), fixed(2)],
      // one cut-point vector per outcome
      [fixed(Int32Array.of(1, 3, 2)), free(vec(r, 3, -2, 2)), free(f64(-1, 0.5, -0.3, 0.1, 0.2, 2.5)), fixed(2)],
    ],
  },
  {
    kernel: "dirichlet_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(randomSimplex(r, 3), simplexDirections(3)), positive(vec(r, 3, 0.3, 5))],
      [free(randomSimplex(r, 5), simplexDirections(5)), positive(f64(1, 1, 1, 1, 1))],
      [free(randomSimplex(r, 2), simplexDirections(2)), positive(f64(200, 1e-2))],
    ],
  },
  {
    kernel: "multi_normal_lpdf_vp",
    propto: true,
    points: (r) => [
      [
        free(vec(r, K3, -2, 2)),
        free(vec(r, K3, -1, 1)),
        free(randomCovariance(r, K3, 1), symmetricDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, 3 * K3, -2, 2)),
        free(vec(r, K3, -1, 1)),
        free(randomCovariance(r, K3, 2), symmetricDirections(K3)),
        fixed(K3),
      ],
      [
        free(vec(r, 2 * 2, -2, 2)),
        free(vec(r, 2 * 2, -1, 1)),
        free(randomCovariance(r, 2, 1e-2), symmetricDirections(2)),
        fixed(2),
      ],
    ],
  },
  {
    kernel: "lkj_corr_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(randomCorrelation(r, 2), symmetricOffDiagonalDirections(2)), fixed(2), positive(1.5)],
      [free(randomCorrelation(r, K3), symmetricOffDiagonalDirections(K3)), fixed(K3), positive(2)],
      [free(randomCorrelation(r, 4), symmetricOffDiagonalDirections(4)), fixed(4), positive(0.6)],
      [free(randomCorrelation(r, K3), symmetricOffDiagonalDirections(K3)), fixed(K3), positive(1)],
    ],
  },
  // issue #17: discrete CDFs, ordered probit, multinomials, multivariate densities
  ...["bernoulli_cdf_vp", "bernoulli_lcdf_vp", "bernoulli_lccdf_vp"].map(
    (kernel): VpEntry => ({
      kernel,
      propto: false,
      points: (r) => [
        [fixed(0), unit(0.3)],
        [fixed(Int32Array.of(0, 0, 0)), unit(vec(r, 3, 0.1, 0.9))],
        // an outcome ≥ 1 makes the lccdf −∞ (no gradient to check there)
        [fixed(kernel === "bernoulli_lccdf_vp" ? Int32Array.of(0, -1, 0) : Int32Array.of(0, 1, 0)), unit(0.7)],
      ],
    }),
  ),
  {
    kernel: "ordered_probit_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(2), free(0.3), free(f64(-1, 0.5, 2)), fixed(3)],
      [fixed(Int32Array.of(1, 2, 3, 4)), free(vec(r, 4, -2, 2)), free(f64(-1.5, 0.2, 1.1)), fixed(3)],
      [fixed(Int32Array.of(1, 4, 2)), free(0.1), free(f64(-0.5, 0.4, 3)), fixed(3)],
      [fixed(Int32Array.of(1, 3, 2)), free(vec(r, 3, -2, 2)), free(f64(-1, 0.5, -0.3, 0.1, 0.2, 2.5)), fixed(2)],
      [fixed(2), free(9), free(f64(8.5, 10)), fixed(2)],
      [fixed(1), free(-4), free(f64(0, 1)), fixed(2)],
    ],
  },
  {
    kernel: "multinomial_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(Int32Array.of(2, 0, 5)), free(randomSimplex(r, 3), simplexDirections(3))],
      [fixed(Int32Array.of(1, 1, 1, 4)), free(randomSimplex(r, 4), simplexDirections(4))],
    ],
  },
  {
    kernel: "multinomial_logit_lpmf_vp",
    propto: true,
    points: (r) => [
      [fixed(Int32Array.of(2, 0, 5)), free(vec(r, 3, -2, 2))],
      [fixed(Int32Array.of(1, 1, 1, 4)), free(f64(30, -30, 0, 1))],
    ],
  },
  {
    kernel: "multi_normal_prec_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(vec(r, K3, -2, 2)), free(vec(r, K3, -1, 1)), free(randomCovariance(r, K3, 1), symmetricDirections(K3)), fixed(K3)],
      [free(vec(r, 3 * K3, -2, 2)), free(vec(r, K3, -1, 1)), free(randomCovariance(r, K3, 2), symmetricDirections(K3)), fixed(K3)],
      [free(vec(r, 2, -2, 2)), free(vec(r, 2 * 2, -1, 1)), free(randomCovariance(r, 2, 50), symmetricDirections(2)), fixed(2)],
    ],
  },
  {
    kernel: "multi_student_t_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(vec(r, K3, -2, 2)), positive(4.5), free(vec(r, K3, -1, 1)), free(randomCovariance(r, K3, 1), symmetricDirections(K3)), fixed(K3)],
      [free(vec(r, 3 * K3, -2, 2)), positive(0.7), free(vec(r, K3, -1, 1)), free(randomCovariance(r, K3, 2), symmetricDirections(K3)), fixed(K3)],
      [free(vec(r, 2 * 2, -2, 2)), positive(300), free(vec(r, 2, -1, 1)), free(randomCovariance(r, 2, 1e-2), symmetricDirections(2)), fixed(2)],
    ],
  },
  {
    kernel: "multi_student_t_cholesky_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(vec(r, K3, -2, 2)), positive(4.5), free(vec(r, K3, -1, 1)), free(randomCholesky(r, K3, 1), lowerTriangleDirections(K3)), fixed(K3)],
      [free(vec(r, 4 * K3, -2, 2)), positive(1.5), free(vec(r, 4 * K3, -1, 1)), free(randomCholesky(r, K3, 0.5), lowerTriangleDirections(K3)), fixed(K3)],
    ],
  },
  ...["wishart_lpdf_vp", "inv_wishart_lpdf_vp"].map(
    (kernel): VpEntry => ({
      kernel,
      propto: true,
      points: (r) => [
        [free(randomCovariance(r, K3, 1), symmetricDirections(K3)), positive(5.5), free(randomCovariance(r, K3, 2), symmetricDirections(K3)), fixed(K3)],
        [free(randomCovariance(r, 2, 0.1), symmetricDirections(2)), positive(1.3), free(randomCovariance(r, 2, 3), symmetricDirections(2)), fixed(2)],
      ],
    }),
  ),
  {
    kernel: "wishart_cholesky_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(randomCholesky(r, K3, 1), lowerTriangleDirections(K3)), positive(5.5), free(randomCholesky(r, K3, 2), lowerTriangleDirections(K3)), fixed(K3)],
      [free(randomCholesky(r, 2, 0.1), lowerTriangleDirections(2)), positive(1.3), free(randomCholesky(r, 2, 3), lowerTriangleDirections(2)), fixed(2)],
    ],
  },
  {
    kernel: "lkj_cov_lpdf_vp",
    propto: true,
    points: (r) => [
      [free(randomCovariance(r, K3, 1), symmetricDirections(K3)), free(vec(r, K3, -1, 1)), positive(vec(r, K3, 0.5, 2)), positive(2.5), fixed(K3)],
      [free(randomCovariance(r, 2, 3), symmetricDirections(2)), free(0.3), positive(0.8), positive(0.6), fixed(2)],
    ],
  },
];

/** L Lᵀ for a random Cholesky factor. */
export function randomCovariance(rng: TestRandom, K: number, scale: number): Float64Array {
  const L = randomCholesky(rng, K, Math.sqrt(scale));
  return lowerTimesTranspose(L, K);
}

export function randomCorrelation(rng: TestRandom, K: number): Float64Array {
  return lowerTimesTranspose(randomCorrCholesky(rng, K), K);
}

function lowerTimesTranspose(L: Float64Array, K: number): Float64Array {
  const S = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += L[i + k * K] * L[j + k * K];
      S[i + j * K] = s;
    }
  }
  return S;
}

/** Symmetric off-diagonal directions E_ij + E_ji (i > j): they keep a correlation matrix's unit diagonal. */
export function symmetricOffDiagonalDirections(K: number): Float64Array[] {
  return symmetricDirections(K).filter((d) => {
    for (let i = 0; i < K; i++) if (d[i + i * K] !== 0) return false;
    return true;
  });
}
