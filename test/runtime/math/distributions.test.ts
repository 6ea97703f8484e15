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
