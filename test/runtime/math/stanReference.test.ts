/**
 * Agreement with Stan 2.21 itself: `stan-reference/kernels.stan` evaluated by rstan 2.21.7
 * (`stan-reference/kernels.R` wrote `kernels.json`: log_prob, grad_log_prob and generated-quantity
 * kernel values). The model's target is a sum of the lecture models' kernels with every argument a
 * parameter, so its gradient checks each kernel's partials against Stan's autodiff.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as k from "../../../src/runtime/math/index";

interface Reference {
  lp: number;
  grad: number[];
  v: (number | string)[];
}
const ref = JSON.parse(
  readFileSync(fileURLToPath(new URL("./stan-reference/kernels.json", import.meta.url)), "utf8"),
) as Reference;

const f64 = (...x: number[]): Float64Array => Float64Array.from(x);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

// Data and the parameter point of kernels.R (R arrays are column-major; my[n] is row n of a 3×2 array).
const ny = f64(0.5, 1.2, 2.5, 0.1);
const gX = f64(1, 2, 3, 4, 0.5, -0.5, 1.5, -1);
const gy = f64(0.1, 0.9, 1.2, -0.3);
const my = f64(0.5, 0.3, -1, 0.1, 2, 0.7);
const L3 = f64(1, 0.3, -0.2, 0, Math.sqrt(1 - 0.09), 0.5, 0, 0, Math.sqrt(1 - 0.04 - 0.25));
const L2 = f64(1, 0.4, 0, Math.sqrt(1 - 0.16));

/** The model block's target and its gradient in Stan's parameter order, from our kernels. */
function targetAndGradient(): { lp: number; grad: number[] } {
  const b = (n: number): Float64Array => new Float64Array(n);
  const grad: number[] = [];
  let lp = 0;
  const dnmu = b(4);
  const dns = b(1);
  lp += k.normal_lpdf_vp(ny, f64(0.1, 0.2, -0.3, 0.4), 1.3, false, null, dnmu, dns);
  grad.push(...dnmu, ...dns);
  const [dga, dgb, dgs] = [b(1), b(2), b(1)];
  lp += k.normal_id_glm_lpdf_vp(
    gy,
    gX,
    4,
    2,
    0.3,
    f64(0.2, -0.4),
    0.7,
    false,
    null,
    null,
    dga,
    dgb,
    dgs,
  );
  grad.push(...dga, ...dgb, ...dgs);
  const t = [b(1), b(1), b(1), b(1)];
  lp += k.student_t_lpdf_vp(0.4, 3.5, 0.1, 2.5, false, t[0], t[1], t[2], t[3]);
  for (const x of t) grad.push(x[0]);
  const c = [b(1), b(1), b(1), b(1)];
  lp += k.student_t_lccdf_vp(1.5, 3.2, 0.1, 2.5, c[0], c[1], c[2], c[3]);
  for (const x of c) grad.push(x[0]);
  const [dL, de] = [b(9), b(1)];
  lp += k.lkj_corr_cholesky_lpdf_vp(L3, 3, 2.3, false, dL, de);
  grad.push(...dL, ...de);
  const [dmm, dmL] = [b(2), b(4)];
  lp += k.multi_normal_cholesky_lpdf_vp(
    my,
    f64(0.1, 0.2),
    f64(1.2, 0.3, 0, 0.8),
    2,
    false,
    null,
    dmm,
    dmL,
  );
  grad.push(...dmm, ...dmL);
  const dl = b(1);
  lp += k.exponential_lpdf_vp(ny, 0.9, false, null, dl);
  grad.push(...dl);
  const dsn = b(1);
  lp += k.std_normal_lpdf_vp(0.35, false, dsn);
  grad.push(...dsn);
  return { lp, grad };
}

/** Index of m_L[1,2] (the upper-triangle entry) in Stan's parameter order. */
const UPPER_L_INDEX = 31;

describe("agreement with Stan 2.21 (rstan 2.21.7)", () => {
  it("log_prob of the lecture kernels with every constant kept", () => {
    expect(rel(targetAndGradient().lp, ref.lp)).toBeLessThan(1e-13);
  });

  it("grad_log_prob: every partial matches Stan's autodiff", () => {
    const { grad } = targetAndGradient();
    expect(grad.length).toBe(ref.grad.length);
    for (let i = 0; i < grad.length; i++) {
      if (i === UPPER_L_INDEX) continue;
      const err = Math.abs(grad[i] - ref.grad[i]) / Math.max(Math.abs(ref.grad[i]), 1e-8);
      expect(err, `partial ${i}: ours ${grad[i]}, Stan ${ref.grad[i]}`).toBeLessThan(1e-9);
    }
    // Stan 2.21 differentiates the upper triangle of L as if the density used the dense matrix; the
    // value reads only the lower triangle, so its true partial there is 0, which is what we return.
    expect(grad[UPPER_L_INDEX]).toBe(0);
    expect(ref.grad[UPPER_L_INDEX]).not.toBe(0);
  });

  it("kernel values in generated quantities", () => {
    const S = f64(2, 0.3, -0.4, 0.3, 1, 0.2, -0.4, 0.2, 1.5);
    const Omega3 = new Float64Array(9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let q = 0; q < 3; q++) s += L3[i + q * 3] * L3[j + q * 3];
        Omega3[i + j * 3] = s;
      }
    }
    const ours = [
      k.normal_lcdf(-30, 0, 1),
      k.student_t_lccdf(0, 3, 0, 2.5),
      k.student_t_lcdf(-30, 3, 0, 1),
      k.lkj_corr_cholesky_lpdf(L2, 2, 1, false),
      k.lkj_corr_cholesky_lpdf(L3, 3, 1, false),
      k.lkj_corr_cholesky_lpdf(L3, 3, 2, false),
      k.lkj_corr_cholesky_lpdf(L3, 3, 0.7, false),
      k.lkj_corr_lpdf(Omega3, 3, 2, false),
      k.neg_binomial_2_lpmf(5, 4, 1e7, false),
      k.neg_binomial_2_lpmf(3, 2.5, 1.5, false),
      k.neg_binomial_2_log_lpmf(3, 0.7, 1.5, false),
      k.binomial_logit_lpmf(3, 10, 0.3, false),
      k.ordered_logistic_lpmf(2, 0.3, f64(-1, 0.5, 2), 3, false),
      k.categorical_logit_lpmf(2, f64(0.1, -0.5, 1.2), false),
      k.dirichlet_lpdf(f64(0.2, 0.3, 0.5), f64(1.5, 2, 0.7), false),
      k.poisson_log_lpmf(3, 0.9, false),
      k.gamma_lpdf(1.3, 2.5, 0.7, false),
      k.inv_gamma_lpdf(1.3, 2.5, 0.7, false),
      k.beta_lpdf(0.3, 2.5, 0.7, false),
      k.weibull_lpdf(1.3, 2.5, 0.7, false),
      k.chi_square_lpdf(1.3, 2.5, false),
      k.logistic_lpdf(0.7, 0.2, 1.5, false),
      k.double_exponential_lpdf(0.7, 0.2, 1.5, false),
      k.cauchy_lpdf(0.7, 0.2, 1.5, false),
      k.lognormal_lpdf(1.3, 0.2, 0.8, false),
      k.multi_normal_lpdf(f64(0.5, -1, 2), f64(0.1, 0.2, -0.3), S, 3, false),
      k.student_t_lccdf(1.5, 3, 0.1, 2.5),
      k.normal_lccdf(10, 0, 1),
      k.cauchy_lcdf(-3, 0, 1),
      k.exponential_lcdf(1e-6, 2),
      k.bernoulli_logit_glm_lpmf(
        Int32Array.of(1, 0, 1),
        f64(1, 2, 3, 0.5, -0.5, 1.5),
        3,
        2,
        0.3,
        f64(0.2, -0.4),
        false,
      ),
      k.log_mix(0.3, -1.2, 0.4),
      k.lkj_corr_cholesky_lpdf(L2, 2, 3.5, false),
    ];
    expect(ours.length).toBe(ref.v.length);
    // Known, deliberate differences (0-based), each checked below instead:
    const NB_LARGE_PHI = 8; // Stan 2.21 substitutes poisson_lpmf for φ > 1e5
    const NORMAL_LCCDF_TAIL = 27; // Stan 2.21 underflows to −∞ past z ≈ 8.3
    const EXP_LCDF_SMALL = 29; // Stan 2.21 forms log(1 − e^{−βy}) directly (loses ~3 digits)
    for (let i = 0; i < ours.length; i++) {
      if (i === NB_LARGE_PHI || i === NORMAL_LCCDF_TAIL || i === EXP_LCDF_SMALL) continue;
      expect(rel(ours[i], ref.v[i] as number), `value ${i + 1}`).toBeLessThan(5e-14);
    }
    expect(rel(ref.v[NB_LARGE_PHI] as number, k.poisson_lpmf(5, 4, false))).toBeLessThan(1e-14);
    expect(rel(ours[NB_LARGE_PHI], -1.856020137182556)).toBeLessThan(1e-14); // exact (mpmath)
    expect(ref.v[NORMAL_LCCDF_TAIL]).toBe("-Inf");
    expect(rel(ours[NORMAL_LCCDF_TAIL], -53.23128515051248)).toBeLessThan(1e-14); // scipy logsf
    expect(rel(ours[EXP_LCDF_SMALL], ref.v[EXP_LCDF_SMALL] as number)).toBeLessThan(1e-12);
    expect(rel(ours[EXP_LCDF_SMALL], -13.122364377404162)).toBeLessThan(1e-15); // mpmath
  });
});
