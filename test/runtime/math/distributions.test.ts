/**
 * Distribution values against reference values (scipy / mpmath), Stan's constants, the terms
 * `propto` drops, vectorisation, argument errors with Stan's wording, and rng moments.
 */
import { describe, expect, it } from "vitest";
import * as k from "../../../src/runtime/math/index";
import { StanDomainError } from "../../../src/runtime/model";
import { TestRandom } from "./gradientCheck";

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const f64 = (...x: number[]): Float64Array => Float64Array.from(x);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const one = (): Float64Array => new Float64Array(1);

describe("normal family", () => {
  it("matches reference values, including far tails of the cdfs", () => {
    expect(rel(k.normal_lpdf(0.7, 0.2, 1.5, false), -1.3799591968683926)).toBeLessThan(1e-15);
    expect(rel(k.normal_lcdf(-30, 0, 1), -454.32124395634327)).toBeLessThan(1e-14);
    expect(rel(k.normal_lcdf(-5, 0, 1), -15.064998393988727)).toBeLessThan(1e-14);
    expect(rel(k.normal_lccdf(10, 0, 1), -53.23128515051248)).toBeLessThan(1e-14);
    expect(rel(k.normal_lcdf(3, 0, 1), -0.0013508099647481938)).toBeLessThan(1e-14);
    expect(rel(k.std_normal_lcdf(-30), -454.32124395634327)).toBeLessThan(1e-14);
    expect(rel(k.std_normal_lpdf(0, false), -LOG_SQRT_2PI)).toBeLessThan(1e-15);
  });
  it("vectorises: a vector call equals the sum of scalar calls, scalars broadcast", () => {
    const y = f64(0.1, -1.2, 2.5);
    const mu = f64(0.3, 0.1, -0.4);
    let sum = 0;
    for (let i = 0; i < 3; i++) sum += k.normal_lpdf(y[i], mu[i], 2, false);
    expect(rel(k.normal_lpdf(y, mu, 2, false), sum)).toBeLessThan(1e-15);
    const dSigma = one();
    k.normal_lpdf_vp(y, mu, 2, false, null, null, dSigma);
    let expected = 0;
    for (let i = 0; i < 3; i++) expected += ((y[i] - mu[i]) ** 2 / 4 - 1) / 2;
    expect(rel(dSigma[0], expected)).toBeLessThan(1e-14);
    expect(k.normal_lpdf(new Float64Array(0), 0, 1, false)).toBe(0);
  });
  it("propto drops −½log 2π always and log σ only for constant sigma", () => {
    const y = f64(0.5, 1.5);
    const z2 = (0.5 - 0.2) ** 2 / 4 + (1.5 - 0.2) ** 2 / 4;
    // sigma constant (d_sigma null): only the quadratic term remains
    expect(rel(k.normal_lpdf_vp(y, 0.2, 2, true, null, one(), null), -0.5 * z2)).toBeLessThan(
      1e-15,
    );
    // sigma a parameter: log σ kept
    expect(
      rel(k.normal_lpdf_vp(y, 0.2, 2, true, null, one(), one()), -0.5 * z2 - 2 * Math.log(2)),
    ).toBeLessThan(1e-15);
    // the plain value function treats every argument as a parameter
    expect(rel(k.normal_lpdf(y, 0.2, 2, true), -0.5 * z2 - 2 * Math.log(2))).toBeLessThan(1e-15);
    // everything constant: nothing left
    expect(k.normal_lpdf_vp(y, 0.2, 2, true, null, null, null)).toBe(0);
    expect(k.std_normal_lpdf_vp(1, true, one())).toBe(-0.5);
  });
  it("throws Stan's messages", () => {
    expect(() => k.normal_lpdf(1, 0, 0, false)).toThrow(
      new StanDomainError("normal_lpdf: Scale parameter is 0, but must be positive!"),
    );
    expect(() => k.normal_lpdf(NaN, 0, 1, false)).toThrow(
      "normal_lpdf: Random variable is nan, but must be not nan!",
    );
    expect(() => k.normal_lpdf(1, Infinity, 1, false)).toThrow(
      "normal_lpdf: Location parameter is inf, but must be finite!",
    );
    expect(() => k.normal_lpdf(1, 0, f64(1, -0.5), false)).toThrow(
      "normal_lpdf: Scale parameter[2] is -0.5, but must be positive!",
    );
    expect(() => k.normal_lpdf(f64(1, 2), f64(1, 2, 3), 1, false)).toThrow(StanDomainError);
  });
});

describe("exponential", () => {
  it("values and propto", () => {
    expect(
      rel(k.exponential_lpdf(f64(0.5, 2), 1.5, false), 2 * Math.log(1.5) - 1.5 * 2.5),
    ).toBeLessThan(1e-15);
    expect(k.exponential_lpdf_vp(f64(0.5, 2), 1.5, true, one(), null)).toBe(-1.5 * 2.5);
    expect(rel(k.exponential_lcdf(1e-6, 2), -13.122364377404162)).toBeLessThan(1e-12);
    expect(k.exponential_lccdf(3, 0.5)).toBe(-1.5);
    expect(() => k.exponential_lpdf(-1, 1, false)).toThrow(
      "exponential_lpdf: Random variable is -1, but must be nonnegative!",
    );
    expect(() => k.exponential_lpdf(1, 0, false)).toThrow(
      "exponential_lpdf: Inverse scale parameter is 0, but must be positive finite!",
    );
  });
});

describe("student_t", () => {
  it("matches reference values", () => {
    expect(rel(k.student_t_lpdf(0.4, 3, 0.1, 2.5, false), -1.9267566149612592)).toBeLessThan(1e-14);
    expect(rel(k.student_t_lccdf(1.5, 3, 0.1, 2.5), -1.1799729486902988)).toBeLessThan(1e-13);
    expect(rel(k.student_t_lcdf(-30, 3, 0, 1), -10.10986243376751)).toBeLessThan(1e-13);
    expect(rel(k.student_t_lccdf(30, 3, 0, 1), -10.10986243376751)).toBeLessThan(1e-13);
    expect(rel(k.student_t_lccdf(1.5, 200, 0.2, 0.7), -3.4301968502713884)).toBeLessThan(1e-12);
    expect(rel(k.student_t_lcdf(12, 0.8, 0, 1), -0.04343489742174718)).toBeLessThan(1e-12);
  });
  it("student_t_lccdf(0 | 3, 0, 2.5) = log ½ (brms's half-t prior normalisation)", () => {
    expect(k.student_t_lccdf(0, 3, 0, 2.5)).toBe(Math.log(0.5));
    expect(k.student_t_lcdf(0, 3, 0, 2.5)).toBe(Math.log(0.5));
  });
  it("propto drops −½ log π always, ν terms for constant nu, log σ for constant sigma", () => {
    const y = 0.4;
    const kernel = -2 * Math.log1p(((0.4 - 0.1) / 2.5) ** 2 / 3);
    expect(
      rel(k.student_t_lpdf_vp(y, 3, 0.1, 2.5, true, null, null, one(), null), kernel),
    ).toBeLessThan(1e-15);
    const withNu = kernel + k.lgamma(2) - k.lgamma(1.5) - 0.5 * Math.log(3);
    expect(
      rel(k.student_t_lpdf_vp(y, 3, 0.1, 2.5, true, null, one(), one(), null), withNu),
    ).toBeLessThan(1e-15);
    expect(rel(k.student_t_lpdf(y, 3, 0.1, 2.5, true), withNu - Math.log(2.5))).toBeLessThan(1e-15);
  });
  it("throws Stan's messages", () => {
    expect(() => k.student_t_lpdf(1, 0, 0, 1, false)).toThrow(
      "student_t_lpdf: Degrees of freedom parameter is 0, but must be positive finite!",
    );
    expect(() => k.student_t_lccdf(1, 3, 0, -1)).toThrow(
      "student_t_lccdf: Scale parameter is -1, but must be positive finite!",
    );
  });
});

describe("lkj_corr_cholesky", () => {
  it("K = 2, η = 1 gives −log 2 (uniform correlation on (−1, 1))", () => {
    const L = f64(1, 0.3, 0, Math.sqrt(1 - 0.09));
    expect(rel(k.lkj_corr_cholesky_lpdf(L, 2, 1, false), -Math.log(2))).toBeLessThan(1e-15);
    expect(rel(k.lkj_log_constant(1, 2), -Math.log(2))).toBeLessThan(1e-15);
  });
  it.each([
    [2, 2, -0.287682072451780927],
    [3, 1, -1.596312591138855039],
    [3, 2, -0.615483338127128802],
    [4, 0.7, -3.223032716297568816],
    [5, 30, 11.40530041606388567],
    [6, 1, -3.437653945532749429],
  ])("Stan's constant for K = %d, η = %d equals the LKJ paper's normaliser", (K, eta, ref) => {
    expect(rel(k.lkj_log_constant(eta, K), ref)).toBeLessThan(1e-14);
  });
  it("the η = 1 branch and the general formula agree at η = 1 (continuity of the value)", () => {
    for (const K of [2, 3, 4, 5, 8]) {
      expect(Math.abs(k.lkj_log_constant(1, K) - k.lkj_log_constant(1 + 1e-12, K))).toBeLessThan(
        1e-10,
      );
    }
  });
  it("value is c + Σ (K − i + 2η − 2) log L_ii; propto with constant eta drops c", () => {
    const rng = new TestRandom(7);
    const K = 4;
    const L = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      const row = Array.from({ length: i + 1 }, () => rng.normal());
      const n = Math.hypot(...row);
      row.forEach((v, j) => (L[i + j * K] = Math.abs(v) / n));
    }
    let expected = 0;
    for (let i = 2; i <= K; i++) expected += (K - i + 2 * 2 - 2) * Math.log(L[i - 1 + (i - 1) * K]);
    expect(
      rel(k.lkj_corr_cholesky_lpdf_vp(L, K, 2, true, new Float64Array(K * K), null), expected),
    ).toBeLessThan(1e-14);
    expect(
      rel(k.lkj_corr_cholesky_lpdf(L, K, 2, false), expected + k.lkj_log_constant(2, K)),
    ).toBeLessThan(1e-14);
    expect(() => k.lkj_corr_cholesky_lpdf(f64(1, 0, 0.5, 1), 2, 2, false)).toThrow(
      /not lower triangular/,
    );
    expect(() => k.lkj_corr_cholesky_lpdf(L, K, 0, false)).toThrow(
      "lkj_corr_cholesky_lpdf: Shape parameter is 0, but must be positive!",
    );
  });
});

describe("multi_normal_cholesky", () => {
  const L = f64(1.2, 0.3, -0.5, 0, 0.8, 0.4, 0, 0, 1.5);
  it("matches scipy's multivariate normal", () => {
    const lp = k.multi_normal_cholesky_lpdf(f64(0.5, -1, 2), f64(0.1, 0.2, -0.3), L, 3, false);
    expect(rel(lp, -6.655907015671065)).toBeLessThan(1e-14);
  });
  it("an array of vectors is the sum over its vectors; a single mu broadcasts", () => {
    const y = f64(0.5, -1, 2, 1, 1, 1);
    const mu = f64(0.1, 0.2, -0.3);
    const a = k.multi_normal_cholesky_lpdf(y.subarray(0, 3), mu, L, 3, false);
    const b = k.multi_normal_cholesky_lpdf(y.subarray(3), mu, L, 3, false);
    expect(rel(k.multi_normal_cholesky_lpdf(y, mu, L, 3, false), a + b)).toBeLessThan(1e-15);
    expect(rel(k.multi_normal_cholesky_lpdf(mu, y, L, 3, false), a + b)).toBeLessThan(1e-15);
  });
  it("propto drops (K/2) log 2π, and Σ log L_ii when L is constant", () => {
    const y = f64(0.5, -1, 2);
    const mu = f64(0.1, 0.2, -0.3);
    const full = k.multi_normal_cholesky_lpdf(y, mu, L, 3, false);
    const logDet = Math.log(1.2) + Math.log(0.8) + Math.log(1.5);
    expect(
      rel(
        k.multi_normal_cholesky_lpdf_vp(
          y,
          mu,
          L,
          3,
          true,
          null,
          new Float64Array(3),
          new Float64Array(9),
        ),
        full + 3 * LOG_SQRT_2PI,
      ),
    ).toBeLessThan(1e-14);
    expect(
      rel(
        k.multi_normal_cholesky_lpdf_vp(y, mu, L, 3, true, null, new Float64Array(3), null),
        full + 3 * LOG_SQRT_2PI + logDet,
      ),
    ).toBeLessThan(1e-14);
  });
});

describe("normal_id_glm", () => {
  it("equals normal_lpdf of the linear predictor, and its propto matches normal's", () => {
    const X = f64(1, 2, 3, 0.5, -0.5, 1.5); // 3×2, column-major
    const beta = f64(0.2, -0.4);
    const y = f64(0.1, 0.9, 1.2);
    const mu = f64(0.3 + 0.2 - 0.2, 0.3 + 0.4 + 0.2, 0.3 + 0.6 - 0.6);
    expect(
      rel(
        k.normal_id_glm_lpdf(y, X, 3, 2, 0.3, beta, 0.7, false),
        k.normal_lpdf(y, mu, 0.7, false),
      ),
    ).toBeLessThan(1e-14);
    const sigma = f64(0.7, 1.1, 0.4);
    expect(
      rel(
        k.normal_id_glm_lpdf(y, X, 3, 2, 0.3, beta, sigma, false),
        k.normal_lpdf(y, mu, sigma, false),
      ),
    ).toBeLessThan(1e-14);
    const glmPropto = k.normal_id_glm_lpdf_vp(
      y,
      X,
      3,
      2,
      0.3,
      beta,
      0.7,
      true,
      null,
      null,
      one(),
      new Float64Array(2),
      null,
    );
    expect(
      rel(glmPropto, k.normal_lpdf_vp(y, mu, 0.7, true, null, new Float64Array(3), null)),
    ).toBeLessThan(1e-14);
    expect(() => k.normal_id_glm_lpdf(y, X, 3, 2, 0.3, beta, 0, false)).toThrow(
      "normal_id_glm_lpdf: Scale vector is 0, but must be positive finite!",
    );
  });
});

describe("rngs", () => {
  const rng = new TestRandom(99);
  const mean = (f: () => number, n = 20000): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += f();
    return s / n;
  };
  it("draws have the right means (5 standard errors)", () => {
    expect(Math.abs(mean(() => k.normal_rng(rng, 1.5, 2)) - 1.5)).toBeLessThan(
      (5 * 2) / Math.sqrt(20000),
    );
    expect(Math.abs(mean(() => k.exponential_rng(rng, 2)) - 0.5)).toBeLessThan(
      (5 * 0.5) / Math.sqrt(20000),
    );
    // t with ν = 5: variance 5/3
    expect(Math.abs(mean(() => k.student_t_rng(rng, 5, 0.3, 1)) - 0.3)).toBeLessThan(
      (5 * Math.sqrt(5 / 3)) / Math.sqrt(20000),
    );
  });
  it("lkj_corr_cholesky_rng gives unit-norm rows and E[ρ] = 0 with Var ρ = 1/(2η + K − 1)", () => {
    const K = 3;
    const eta = 2;
    const L = new Float64Array(K * K);
    let s = 0;
    let s2 = 0;
    const n = 20000;
    for (let d = 0; d < n; d++) {
      k.lkj_corr_cholesky_rng(rng, L, K, eta);
      for (let i = 0; i < K; i++) {
        let norm = 0;
        for (let j = 0; j < K; j++) norm += L[i + j * K] ** 2;
        expect(Math.abs(norm - 1)).toBeLessThan(1e-12);
      }
      const rho = L[2] * L[1] + L[5] * L[4]; // (L Lᵀ)[2,1] with row 2 = (L[2], L[5], L[8])
      s += rho;
      s2 += rho * rho;
    }
    const varRho = 1 / (2 * eta + K - 1);
    expect(Math.abs(s / n)).toBeLessThan(5 * Math.sqrt(varRho / n));
    expect(Math.abs(s2 / n - varRho)).toBeLessThan(0.01);
  });
  it("multi_normal_cholesky_rng has mean mu", () => {
    const L = f64(1, 0.5, 0, 1);
    const out = new Float64Array(2);
    let s0 = 0;
    let s1 = 0;
    for (let i = 0; i < 20000; i++) {
      k.multi_normal_cholesky_rng(rng, out, f64(1, -1), L, 2);
      s0 += out[0];
      s1 += out[1];
    }
    expect(Math.abs(s0 / 20000 - 1)).toBeLessThan(5 / Math.sqrt(20000));
    expect(Math.abs(s1 / 20000 + 1)).toBeLessThan((5 * Math.sqrt(1.25)) / Math.sqrt(20000));
  });
});

describe("the other families match reference values (scipy)", () => {
  it.each([
    ["cauchy_lpdf", () => k.cauchy_lpdf(0.7, 0.2, 1.5, false), -1.6555555096153909],
    ["cauchy_lcdf far tail", () => k.cauchy_lcdf(-1e6, 0, 1), -14.960240443814008],
    ["cauchy_lccdf", () => k.cauchy_lccdf(2, 0.5, 1.2), -1.5381563369234095],
    ["lognormal_lpdf", () => k.lognormal_lpdf(1.3, 0.2, 0.8, false), -0.9611977631412127],
    ["gamma_lpdf", () => k.gamma_lpdf(1.3, 2.5, 0.7, false), -1.6928238336185135],
    ["inv_gamma_lpdf", () => k.inv_gamma_lpdf(1.3, 2.5, 0.7, false), -2.6331066944175077],
    ["beta_lpdf", () => k.beta_lpdf(0.3, 2.5, 0.7, false), -1.3591020131569618],
    [
      "beta_lpdf near 0 with a large shape",
      () => k.beta_lpdf(1e-6, 0.5, 1e4, false),
      10.930549017045234,
    ],
    [
      "double_exponential_lpdf",
      () => k.double_exponential_lpdf(0.7, 0.2, 1.5, false),
      -1.431945622001443,
    ],
    ["logistic_lpdf", () => k.logistic_lpdf(0.7, 0.2, 1.5, false), -1.8194095908203145],
    ["logistic_lpdf far tail", () => k.logistic_lpdf(-800, 0, 1, false), -800],
    ["weibull_lpdf", () => k.weibull_lpdf(1.3, 2.5, 0.7, false), -2.4986424223493184],
    ["chi_square_lpdf", () => k.chi_square_lpdf(1.3, 2.5, false), -1.3525710731612457],
    ["binomial_lpmf", () => k.binomial_lpmf(3, 10, 0.3, false), -1.321151277766889],
    [
      "binomial_logit_lpmf",
      () => k.binomial_logit_lpmf(3, 10, Math.log(0.3 / 0.7), false),
      -1.321151277766889,
    ],
    ["poisson_lpmf", () => k.poisson_lpmf(3, 2.5, false), -1.5428872736055896],
    ["poisson_lpmf large", () => k.poisson_lpmf(100000, 99000, false), -11.708987449062988],
    ["poisson_log_lpmf", () => k.poisson_log_lpmf(3, Math.log(2.5), false), -1.5428872736055896],
    ["neg_binomial_2_lpmf", () => k.neg_binomial_2_lpmf(3, 2.5, 1.5, false), -2.0984954280051635],
    // mpmath at 40 digits (scipy loses ~1e-9 here forming 1 − p)
    [
      "neg_binomial_2_lpmf, large phi",
      () => k.neg_binomial_2_lpmf(5, 4, 1e7, false),
      -1.856020137182556,
    ],
    [
      "neg_binomial_2_log_lpmf",
      () => k.neg_binomial_2_log_lpmf(3, Math.log(2.5), 1.5, false),
      -2.0984954280051635,
    ],
    [
      "dirichlet_lpdf",
      () => k.dirichlet_lpdf(f64(0.2, 0.3, 0.5), f64(1.5, 2, 0.7), false),
      0.10772302168916625,
    ],
    [
      "multi_normal_lpdf",
      () =>
        k.multi_normal_lpdf(
          f64(0.5, -1, 2),
          f64(0.1, 0.2, -0.3),
          f64(2, 0.3, -0.4, 0.3, 1, 0.2, -0.4, 0.2, 1.5),
          3,
          false,
        ),
      -6.849201130447193,
    ],
    [
      "ordered_logistic_lpmf middle",
      () => k.ordered_logistic_lpmf(2, 0.3, f64(-1, 0.5, 2), 3, false),
      -1.0916297821400383,
    ],
    [
      "ordered_logistic_lpmf first",
      () => k.ordered_logistic_lpmf(1, 0.3, f64(-1, 0.5, 2), 3, false),
      -1.5410084538329922,
    ],
    [
      "ordered_logistic_lpmf last",
      () => k.ordered_logistic_lpmf(4, 0.3, f64(-1, 0.5, 2), 3, false),
      -1.867786029386266,
    ],
  ] as const)("%s", (_name, f, ref) => {
    expect(rel(f(), ref)).toBeLessThan(1e-12);
  });

  it("closed forms: uniform, bernoulli, categorical, lkj_corr", () => {
    // −2 log 3 with log 3 correctly rounded (1.0986122886681098; V8's Math.log(3) is one ulp below)
    expect(k.uniform_lpdf(f64(0.5, 1.5), -1, 2, false)).toBe(-2 * 1.0986122886681098);
    expect(k.uniform_lpdf(2.5, -1, 2, false)).toBe(-Infinity);
    expect(
      rel(k.bernoulli_lpmf(Int32Array.of(1, 0, 1), 0.3, false), 2 * Math.log(0.3) + Math.log(0.7)),
    ).toBeLessThan(1e-15);
    expect(
      rel(
        k.bernoulli_logit_lpmf(Int32Array.of(1, 0), 0.4, false),
        k.log_inv_logit(0.4) + k.log_inv_logit(-0.4),
      ),
    ).toBeLessThan(1e-15);
    expect(
      rel(
        k.categorical_lpmf(Int32Array.of(1, 3, 3), f64(0.2, 0.3, 0.5), false),
        Math.log(0.2) + 2 * Math.log(0.5),
      ),
    ).toBeLessThan(1e-15);
    const beta = f64(0.1, -0.5, 1.2);
    const lse = k.log_sum_exp(beta);
    expect(rel(k.categorical_logit_lpmf(2, beta, false), -0.5 - lse)).toBeLessThan(1e-15);
    // lkj_corr: c + (η − 1) log det Ω; K = 2: det = 1 − ρ²
    expect(
      rel(
        k.lkj_corr_lpdf(f64(1, 0.4, 0.4, 1), 2, 3, false),
        k.lkj_log_constant(3, 2) + 2 * Math.log(1 - 0.16),
      ),
    ).toBeLessThan(1e-14);
    expect(rel(k.lkj_corr_lpdf(f64(1, 0.4, 0.4, 1), 2, 1, false), -Math.log(2))).toBeLessThan(
      1e-15,
    );
  });

  it("bernoulli_logit_glm equals bernoulli_logit of the linear predictor", () => {
    const X = f64(1, 2, 3, 0.5, -0.5, 1.5);
    const beta = f64(0.2, -0.4);
    const eta = f64(0.3 + 0.2 - 0.2, 0.3 + 0.4 + 0.2, 0.3 + 0.6 - 0.6);
    const y = Int32Array.of(1, 0, 1);
    expect(
      rel(
        k.bernoulli_logit_glm_lpmf(y, X, 3, 2, 0.3, beta, false),
        k.bernoulli_logit_lpmf(y, eta, false),
      ),
    ).toBeLessThan(1e-14);
  });
});

describe("propto drops exactly Stan's constant terms", () => {
  it("gamma: lgamma(α) with alpha, α log β with alpha or beta, (α − 1) log y with y or alpha, β y with y or beta", () => {
    const [y, a, b] = [1.3, 2.5, 0.7];
    // only beta varies: α log β − β y
    expect(
      rel(k.gamma_lpdf_vp(y, a, b, true, null, null, one()), a * Math.log(b) - b * y),
    ).toBeLessThan(1e-15);
    // only y varies: (α − 1) log y − β y
    expect(
      rel(k.gamma_lpdf_vp(y, a, b, true, one(), null, null), (a - 1) * Math.log(y) - b * y),
    ).toBeLessThan(1e-15);
    // only alpha varies: everything but β y
    expect(
      rel(
        k.gamma_lpdf_vp(y, a, b, true, null, one(), null),
        a * Math.log(b) - k.lgamma(a) + (a - 1) * Math.log(y),
      ),
    ).toBeLessThan(1e-15);
  });
  it("beta: lgamma(a + b) − lgamma(a) when only a varies", () => {
    const [y, a, b] = [0.3, 2.5, 0.7];
    const expected = k.lgamma(a + b) - k.lgamma(a) + (a - 1) * Math.log(y);
    expect(rel(k.beta_lpdf_vp(y, a, b, true, null, one(), null), expected)).toBeLessThan(1e-15);
  });
  it("poisson and binomial drop their count-only terms; neg_binomial_2 keeps lchoose only with phi", () => {
    expect(rel(k.poisson_lpmf_vp(3, 2.5, true, one()), 3 * Math.log(2.5) - 2.5)).toBeLessThan(
      1e-15,
    );
    expect(rel(k.poisson_lpmf(3, 2.5, true), 3 * Math.log(2.5) - 2.5)).toBeLessThan(1e-15);
    expect(
      rel(k.binomial_lpmf_vp(3, 10, 0.3, true, one()), 3 * Math.log(0.3) + 7 * Math.log(0.7)),
    ).toBeLessThan(1e-15);
    const [n, mu, phi] = [3, 2.5, 1.5];
    const tail = -phi * Math.log1p(mu / phi) - n * Math.log(mu + phi);
    expect(
      rel(k.neg_binomial_2_lpmf_vp(n, mu, phi, true, one(), null), n * Math.log(mu) + tail),
    ).toBeLessThan(1e-14);
    expect(
      rel(
        k.neg_binomial_2_lpmf_vp(n, mu, phi, true, null, one()),
        k.lchoose(n + phi - 1, n) + tail,
      ),
    ).toBeLessThan(1e-14);
  });
  it("lkj_corr, dirichlet and multi_normal drop their normalisers with constant shape arguments", () => {
    const Omega = f64(1, 0.4, 0.4, 1);
    expect(
      rel(k.lkj_corr_lpdf_vp(Omega, 2, 3, true, new Float64Array(4), null), 2 * Math.log(0.84)),
    ).toBeLessThan(1e-14);
    const theta = f64(0.2, 0.3, 0.5);
    const alpha = f64(1.5, 2, 0.7);
    const kernel = 0.5 * Math.log(0.2) + Math.log(0.3) - 0.3 * Math.log(0.5);
    expect(
      rel(k.dirichlet_lpdf_vp(theta, alpha, true, new Float64Array(3), null), kernel),
    ).toBeLessThan(1e-14);
    const S = f64(2, 0.3, 0.3, 1);
    const full = k.multi_normal_lpdf(f64(1, 2), f64(0, 0), S, 2, false);
    const logDet = Math.log(2 - 0.09);
    expect(
      rel(
        k.multi_normal_lpdf_vp(f64(1, 2), f64(0, 0), S, 2, true, null, new Float64Array(2), null),
        full + 2 * LOG_SQRT_2PI + 0.5 * logDet,
      ),
    ).toBeLessThan(1e-14);
  });
});

describe("argument errors", () => {
  it.each([
    [
      () => k.cauchy_lpdf(1, 0, -1, false),
      "cauchy_lpdf: Scale parameter is -1, but must be positive finite!",
    ],
    [
      () => k.gamma_lpdf(1, 0, 1, false),
      "gamma_lpdf: Shape parameter is 0, but must be positive finite!",
    ],
    [
      () => k.beta_lpdf(1.5, 1, 1, false),
      "beta_lpdf: Random variable is 1.5, but must be in the interval [0, 1]",
    ],
    [
      () => k.poisson_lpmf(-1, 1, false),
      "poisson_lpmf: Random variable is -1, but must be nonnegative!",
    ],
    [
      () => k.binomial_lpmf(3, 2, 0.5, false),
      "binomial_lpmf: Successes variable is 3, but must be in the interval [0, 2]",
    ],
    [
      () => k.neg_binomial_2_lpmf(1, 1, 0, false),
      "neg_binomial_2_lpmf: Precision parameter is 0, but must be positive finite!",
    ],
    [
      () => k.categorical_lpmf(4, f64(0.2, 0.8), false),
      "categorical_lpmf: Number of categories is 4, but must be in the interval [1, 2]",
    ],
    [() => k.categorical_lpmf(1, f64(0.2, 0.7), false), /is not a valid simplex/],
    [
      () => k.ordered_logistic_lpmf(1, 0, f64(1, 0), 2, false),
      /Cut-points is not a valid ordered vector/,
    ],
    [
      () => k.multi_normal_lpdf(f64(0, 0), f64(0, 0), f64(1, 2, 0, 1), 2, false),
      /Covariance matrix is not symmetric/,
    ],
    [
      () => k.multi_normal_lpdf(f64(0, 0), f64(0, 0), f64(1, 2, 2, 1), 2, false),
      /not positive definite/,
    ],
    [() => k.lkj_corr_lpdf(f64(2, 0, 0, 1), 2, 1, false), /not a valid correlation matrix/],
    [
      () => k.uniform_lpdf(0, 1, 0, false),
      "uniform_lpdf: Upper bound parameter is 0, but must be greater than 1!",
    ],
  ] as const)("%#", (f, message) => {
    expect(f).toThrow(StanDomainError);
    expect(f).toThrow(message);
  });
});

describe("rng moments", () => {
  const rng = new TestRandom(2024);
  const n = 20000;
  const moments = (draw: () => number): [number, number] => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      s += x;
      s2 += x * x;
    }
    const m = s / n;
    return [m, s2 / n - m * m];
  };
  it.each([
    ["cauchy median", () => (k.cauchy_rng(rng, 1, 2) < 1 ? 1 : 0), 0.5, 0.25],
    [
      "lognormal",
      () => k.lognormal_rng(rng, 0.1, 0.5),
      Math.exp(0.1 + 0.125),
      (Math.exp(0.25) - 1) * Math.exp(0.2 + 0.25),
    ],
    ["gamma", () => k.gamma_rng(rng, 2.5, 0.7), 2.5 / 0.7, 2.5 / 0.49],
    ["gamma small shape", () => k.gamma_rng(rng, 0.3, 2), 0.15, 0.075],
    ["inv_gamma", () => k.inv_gamma_rng(rng, 4.5, 2), 2 / 3.5, 4 / (3.5 * 3.5 * 2.5)],
    ["beta", () => k.beta_rng(rng, 2, 3), 0.4, 6 / (25 * 6)],
    ["uniform", () => k.uniform_rng(rng, -1, 2), 0.5, 9 / 12],
    ["double_exponential", () => k.double_exponential_rng(rng, 1, 2), 1, 8],
    ["logistic", () => k.logistic_rng(rng, 1, 2), 1, (4 * Math.PI * Math.PI) / 3],
    [
      "weibull",
      () => k.weibull_rng(rng, 2, 1.5),
      1.5 * Math.exp(k.lgamma(1.5)),
      2.25 * (1 - Math.exp(2 * k.lgamma(1.5))),
    ],
    ["chi_square", () => k.chi_square_rng(rng, 3), 3, 6],
    ["bernoulli", () => k.bernoulli_rng(rng, 0.3), 0.3, 0.21],
    [
      "bernoulli_logit",
      () => k.bernoulli_logit_rng(rng, 0.4),
      k.inv_logit(0.4),
      k.inv_logit(0.4) * (1 - k.inv_logit(0.4)),
    ],
    ["binomial small n", () => k.binomial_rng(rng, 10, 0.3), 3, 2.1],
    ["binomial large n", () => k.binomial_rng(rng, 1000, 0.3), 300, 210],
    ["poisson small", () => k.poisson_rng(rng, 3.5), 3.5, 3.5],
    ["poisson large", () => k.poisson_rng(rng, 250), 250, 250],
    ["poisson_log", () => k.poisson_log_rng(rng, Math.log(40)), 40, 40],
    ["neg_binomial_2", () => k.neg_binomial_2_rng(rng, 4, 2), 4, 4 + 16 / 2],
    ["neg_binomial_2_log", () => k.neg_binomial_2_log_rng(rng, Math.log(4), 2), 4, 12],
    [
      "categorical",
      () => k.categorical_rng(rng, f64(0.2, 0.3, 0.5)),
      2.3,
      0.2 + 0.3 * 4 + 0.5 * 9 - 2.3 * 2.3,
    ],
    [
      "categorical_logit",
      () => k.categorical_logit_rng(rng, f64(0, 0, Math.log(2))),
      2.25,
      (1 + 4 + 18) / 4 - 2.25 * 2.25,
    ],
    ["ordered_logistic", () => k.ordered_logistic_rng(rng, 0, f64(0)), 1.5, 0.25],
  ] as const)("%s", (_name, draw, mean, variance) => {
    const [m, v] = moments(draw);
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
    expect(Math.abs(v - variance) / variance).toBeLessThan(0.1);
  });
  it("dirichlet_rng, multi_normal_rng and lkj_corr_rng produce valid draws with the right means", () => {
    const out = new Float64Array(3);
    let s0 = 0;
    for (let i = 0; i < n; i++) {
      k.dirichlet_rng(rng, out, f64(1, 2, 3));
      expect(Math.abs(out[0] + out[1] + out[2] - 1)).toBeLessThan(1e-12);
      s0 += out[0];
    }
    expect(Math.abs(s0 / n - 1 / 6)).toBeLessThan(5 * Math.sqrt(((1 / 6) * (5 / 6)) / 7 / n));
    const y = new Float64Array(2);
    let m1 = 0;
    for (let i = 0; i < n; i++) {
      k.multi_normal_rng(rng, y, f64(1, -2), f64(2, 0.5, 0.5, 1), 2);
      m1 += y[1];
    }
    expect(Math.abs(m1 / n + 2)).toBeLessThan(5 * Math.sqrt(1 / n));
    const Omega = new Float64Array(9);
    k.lkj_corr_rng(rng, Omega, 3, 2);
    for (let i = 0; i < 3; i++) expect(Omega[i + i * 3]).toBe(1);
    expect(Omega[1]).toBeCloseTo(Omega[3], 15);
  });
});

describe("multi_normal_cholesky's unrolled K = 2 path", () => {
  it("agrees with multi_normal (general Cholesky path) in value and propto", () => {
    const L = f64(1.3, -0.4, 0, 0.8);
    const Sigma = f64(1.69, -0.52, -0.52, 0.16 + 0.64);
    const y = f64(0.5, -1, 2, 0.3, -0.7, 0.1);
    const mu = f64(0.1, 0.2);
    expect(
      rel(
        k.multi_normal_cholesky_lpdf(y, mu, L, 2, false),
        k.multi_normal_lpdf(y, mu, Sigma, 2, false),
      ),
    ).toBeLessThan(1e-14);
    const full = k.multi_normal_cholesky_lpdf(y, mu, L, 2, false);
    const logDet = Math.log(1.3) + Math.log(0.8);
    expect(
      rel(
        k.multi_normal_cholesky_lpdf_vp(y, mu, L, 2, true, null, new Float64Array(2), null),
        full + 3 * 2 * LOG_SQRT_2PI + 3 * logDet,
      ),
    ).toBeLessThan(1e-14);
  });
});

describe("normal_id_glm's one-column fast path (m1's shape)", () => {
  it("equals normal_lpdf of the linear predictor, with and without propto", () => {
    const X = f64(0.1, 0.4, -0.3, 0.9);
    const y = f64(1, -0.5, 0.2, 0.8);
    const alpha = f64(0.3, -0.1, 0.2, 0);
    const mu = alpha.map((a, i) => a + X[i] * 0.7);
    expect(
      rel(
        k.normal_id_glm_lpdf(y, X, 4, 1, alpha, f64(0.7), 1.4, false),
        k.normal_lpdf(y, mu, 1.4, false),
      ),
    ).toBeLessThan(1e-14);
    const glm = k.normal_id_glm_lpdf_vp(
      y,
      X,
      4,
      1,
      alpha,
      f64(0.7),
      1.4,
      true,
      null,
      null,
      new Float64Array(4),
      new Float64Array(1),
      null,
    );
    expect(
      rel(glm, k.normal_lpdf_vp(y, mu, 1.4, true, null, new Float64Array(4), null)),
    ).toBeLessThan(1e-14);
    expect(() =>
      k.normal_id_glm_lpdf(f64(NaN, 0, 0, 0), X, 4, 1, alpha, f64(0.7), 1.4, false),
    ).toThrow("normal_id_glm_lpdf: Vector of dependent variables must be finite!");
  });
});
