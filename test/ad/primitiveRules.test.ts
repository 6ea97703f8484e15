/**
 * Every density, kernel and container primitive codegen knows is exercised by at least one small
 * Stan program below, whose whole gradient is checked against finite differences. A primitive
 * that no program uses fails the coverage test, so a new rule cannot land without a check.
 */
import { describe, expect, it } from "vitest";
import { DENSITY_RULES, EXPANSIONS, KERNEL_RULES } from "../../src/primitives/registry";
import { coordinateCheck, loadCompiled, randomPoint, seededUniform } from "../models/gradientCheck";
import { SPECIAL_PROGRAMS } from "../primitives/specialPrograms";
import { CONTINUOUS_PROGRAMS } from "../primitives/continuousPrograms";

interface Case {
  readonly name: string;
  readonly stan: string;
  readonly data: Record<string, unknown>;
}

const N = 5;
const CASES: Case[] = [
  {
    name: "continuous densities",
    stan: `
data { int N; vector[N] y; vector<lower=0>[N] yp; vector<lower=0, upper=1>[N] u; }
parameters { real mu; real<lower=0> sigma; real<lower=0> nu; real<lower=0> a; real<lower=0> b; vector[N] m; }
model {
  target += normal_lpdf(y | m, sigma);
  target += std_normal_lpdf(m);
  target += cauchy_lpdf(y | mu, sigma);
  target += student_t_lpdf(y | nu, m, sigma);
  target += lognormal_lpdf(yp | mu, sigma);
  target += exponential_lpdf(yp | a);
  target += gamma_lpdf(yp | a, b);
  target += inv_gamma_lpdf(yp | a, b);
  target += beta_lpdf(u | a, b);
  target += uniform_lpdf(u | -a, b + 1);
  y ~ normal(mu, sigma);
  yp ~ gamma(a, b);
  target += normal_lcdf(mu | 0, sigma) + normal_lccdf(mu | 0, sigma) + std_normal_lcdf(mu) + std_normal_lccdf(mu);
  target += exponential_lcdf(a | b) + exponential_lccdf(a | b);
  target += student_t_lcdf(mu | nu, 0, sigma) + student_t_lccdf(mu | nu, 0, sigma);
}`,
    data: { N, y: [0.3, -1.2, 2.1, 0.7, -0.4], yp: [0.5, 1.5, 2.2, 0.1, 3.0], u: [0.2, 0.5, 0.9, 0.35, 0.6] },
  },
  {
    name: "discrete densities",
    stan: `
data { int N; array[N] int<lower=0, upper=1> z; array[N] int<lower=0> k; array[N] int<lower=1> T; }
parameters { real<lower=0, upper=1> p; real alpha; real<lower=0> lam; real<lower=0> phi; vector[N] eta; }
model {
  target += bernoulli_lpmf(z | p) + bernoulli_logit_lpmf(z | eta);
  target += binomial_lpmf(k | T, p) + binomial_logit_lpmf(k | T, eta);
  target += poisson_lpmf(k | lam) + poisson_log_lpmf(k | eta);
  target += neg_binomial_2_lpmf(k | lam, phi) + neg_binomial_2_log_lpmf(k | eta, phi);
  z ~ bernoulli_logit(alpha);
  k ~ poisson(lam);
  eta ~ std_normal();
}`,
    data: { N, z: [0, 1, 1, 0, 1], k: [0, 3, 1, 5, 2], T: [2, 4, 3, 6, 2] },
  },
  {
    name: "structured kernels",
    stan: `
data { int K; int N; array[N] vector[K] Y; array[N] int<lower=1, upper=K> c; matrix[N, 2] X; vector[N] y; }
parameters {
  cholesky_factor_corr[K] L; vector<lower=0>[K] s; vector[K] mu; simplex[K] theta; ordered[K - 1] cut;
  real eta; real<lower=0> sigma; vector[2] beta; real alpha; corr_matrix[K] Om; cov_matrix[K] S;
}
model {
  target += lkj_corr_cholesky_lpdf(L | 2.5);
  target += multi_normal_cholesky_lpdf(Y | mu, diag_pre_multiply(s, L));
  target += dirichlet_lpdf(theta | rep_vector(2, K));
  target += categorical_lpmf(c | theta);
  target += categorical_logit_lpmf(c | mu);
  for (n in 1:N) target += ordered_logistic_lpmf(c[n] | eta, cut);
  target += normal_id_glm_lpdf(y | X, alpha, beta, sigma);
  target += lkj_corr_lpdf(Om | 3);
  target += multi_normal_lpdf(Y | mu, S);
  target += std_normal_lpdf(to_vector(S)) + std_normal_lpdf(s) + std_normal_lpdf(cut) + std_normal_lpdf(beta);
}`,
    data: {
      K: 3,
      N,
      Y: [
        [0.1, -0.3, 0.5],
        [1.1, 0.2, -0.7],
        [-0.4, 0.9, 0.3],
        [0.6, -1.0, 0.8],
        [0.0, 0.4, -0.2],
      ],
      c: [1, 3, 2, 2, 3],
      X: [
        [0.5, 1.0],
        [-0.3, 0.2],
        [1.2, -0.8],
        [0.1, 0.4],
        [-1.0, 0.9],
      ],
      y: [0.4, -0.6, 1.3, 0.2, -0.9],
    },
  },
  {
    name: "container functions",
    stan: `
data { int K; vector[K] v; }
parameters { vector[K] x; matrix[K, K] M; cov_matrix[K] S; row_vector[K] r; }
model {
  vector[K] t1 = rep_vector(1.5, K) .* x;
  row_vector[K] t2 = rep_row_vector(0.5, K) + r;
  matrix[K, K] t3 = rep_matrix(x, K) + rep_matrix(r, K) + rep_matrix(0.1, K, K);
  array[K] real t4 = rep_array(x[1], K);
  target += sum(to_vector(M)) * 0.1 + sum(to_row_vector(M)) * 0.1 + sum(to_array_1d(t4));
  target += sum(transpose(M) * x);
  target += sum(diag_pre_multiply(x, M)) + sum(diag_post_multiply(M, x)) + sum(diag_matrix(x));
  target += sum(quad_form_diag(S, exp(x)));
  target += sum(multiply_lower_tri_self_transpose(M)) + sum(tcrossprod(M)) + sum(crossprod(M));
  target += sum(multiply(M, x)) + sum(add(x, v)) + sum(subtract(x, v)) + sum(elt_multiply(x, x)) + sum(elt_divide(x, exp(x)));
  target += dot_product(x, v) + dot_self(x) + sum(columns_dot_self(M)) + squared_distance(x, v);
  target += mean(x) + variance(x) + sd(x) + prod(exp(x * 0.1)) + max(x) + min(x) + log_sum_exp(x);
  target += sum(softmax(x) .* v) + sum(log_softmax(x) .* v);
  target += sum(cholesky_decompose(S));
  target += sum(append_row(x, v)) + sum(head(x, 2)) + sum(tail(x, 2)) + sum(segment(x, 1, 2));
  target += sum(col(M, 1)) + sum(row(M, 2)) + sum(diagonal(M)) + sum(cumulative_sum(x));
  target += rows(M) + cols(M) + num_elements(M) + size(x);
  target += -0.5 * dot_self(to_vector(M)) - 0.5 * dot_self(x) - 0.5 * dot_self(r) + sum(t1) + sum(t2) + sum(t3);
  target += std_normal_lpdf(to_vector(S));
}`,
    data: { K: 3, v: [0.3, -0.5, 1.1] },
  },
  {
    name: "QR factors and inverse",
    stan: `
data { int m; int n; }
parameters { matrix[m, n] B; }
model {
  target += sum(qr_thin_Q(B)) + sum(qr_thin_R(B)) + sum(qr_Q(B)) + sum(qr_R(B));
  target += sum(inverse(B' * B));
  target += std_normal_lpdf(to_vector(B));
}`,
    data: { m: 4, n: 3 },
  },
  {
    // test/primitives/containers.test.ts checks these functions' values
    name: "container builders, reshapes and orderings",
    stan: `
data { int K; vector[K] v; array[K] int k; }
parameters { vector[K] x; matrix[K, K] M; array[K] real a; real lo; }
model {
  target += sum(to_matrix(a, 1, K)) + sum(to_matrix(a, K, 1, 0)) + sum(to_matrix(M, K, K) .* M) + sum(to_array_1d(to_array_2d(M))) + sum(block(M, 1, 2, 2, 2));
  target += sum(sub_col(M, 1, 2, K)) + sum(sub_row(M, 2, 1, K)) + sum(append_col(M, x)) + sum(append_array(a, a));
  target += sum(exp(linspaced_vector(K, lo, lo + 1))) + sum(linspaced_row_vector(K, 0, 1) .* x') + sum(linspaced_array(K, 0, 1)) + sum(linspaced_int_array(K, 1, 9));
  target += sum(one_hot_vector(K, 2) .* x) + sum(one_hot_row_vector(K, 1)) + sum(one_hot_array(K, 3)) + sum(one_hot_int_array(K, 2));
  target += sum(zeros_vector(K)) + sum(zeros_row_vector(K)) + sum(zeros_array(K)) + sum(zeros_int_array(K));
  target += sum(ones_vector(K) .* x) + sum(ones_row_vector(K)) + sum(ones_array(K)) + sum(ones_int_array(K));
  target += sum(uniform_simplex(K) .* x) + sum(identity_matrix(K) .* M) + sum(dims(M));
  target += sum(columns_dot_product(M, exp(M))) + sum(rows_dot_product(M, M)) + sum(rows_dot_self(M)) + norm1(x) + norm2(x);
  target += dot_product(sort_asc(x), v) + dot_product(sort_desc(x), v) + sum(sort_indices_asc(x)) + sum(sort_indices_desc(a)) + rank(a, 1) + rank(k, 2);
  target += dot_product(reverse(x), v) + sum(exp(mdivide_left(M + diag_matrix(rep_vector(K, K)), x)));
  target += -0.5 * dot_self(to_vector(M)) - 0.5 * dot_self(x) - 0.5 * dot_self(to_vector(a)) - 0.5 * square(lo);
}`,
    data: { K: 3, v: [0.3, -0.5, 1.1], k: [2, 1, 3] },
  },
  {
    name: "solves, determinants and GP kernels",
    stan: `
data { int K; vector[K] v; array[K] real y; }
parameters { matrix[K, K] M; cholesky_factor_cov[K] L; vector[K] x; real<lower=0.5, upper=2> rho; }
model {
  matrix[K, K] S = multiply_lower_tri_self_transpose(L);
  target += quad_form(M, x) + sum(quad_form_sym(S, M)) * 0.1 + trace_quad_form(S, M) * 0.1 + sum(add_diag(M, x)) + trace(M) + sum(symmetrize_from_lower_tri(M));
  target += sum(mdivide_left_tri_low(L, x)) + sum(mdivide_right_tri_low(x', L)) + sum(mdivide_left_spd(S, x)) + sum(mdivide_right_spd(x', S));
  target += sum(inverse_spd(S) .* M) + sum(chol2inv(L) .* M) + determinant(M) + log_determinant(M) + log_determinant_spd(S) + sum(matrix_power(M, 2));
  target += sum(cov_exp_quad(y, rho, rho)) + sum(gp_exp_quad_cov(y, rho, rho)) + sum(gp_matern32_cov(y, rho, rho));
  target += sum(gp_matern52_cov(y, rho, rho)) + sum(gp_exponential_cov(y, rho, rho));
  target += sum(eigenvalues_sym(S)) * 0.1 + sum(eigenvectors_sym(S) .* M) + sum(singular_values(M)) + sum(matrix_exp(M * 0.5));
  target += -0.5 * dot_self(to_vector(M)) - 0.5 * dot_self(x) + std_normal_lpdf(to_vector(L));
}`,
    data: { K: 3, v: [0.3, -0.5, 1.1], y: [0.1, 0.7, -0.4] },
  },
  {
    // issue #17 (more cases, and values, in test/primitives/discreteMultivariate.test.ts)
    name: "discrete and multivariate densities of issue 17",
    stan: `
data { array[3] int n; array[3] int T; array[3] int<lower=0, upper=1> z; array[3] int<lower=1, upper=4> y; array[2] vector[3] Y; }
parameters {
  real<lower=0> a; real<lower=0> b; real<lower=0, upper=1> p; real eta; ordered[3] c; simplex[3] theta; vector[3] g;
  cov_matrix[3] S; cholesky_factor_cov[3] L; real<lower=2> nu; vector[3] m; vector<lower=0>[3] s;
}
model {
  target += beta_binomial_lpmf(n | T, a, b) + neg_binomial_lpmf(n | a, b);
  target += bernoulli_cdf(z | p) + bernoulli_lcdf(z | p) + bernoulli_lccdf(0 | p);
  target += ordered_probit_lpmf(y | eta, c) + multinomial_lpmf(n | theta) + multinomial_logit_lpmf(n | g);
  target += multi_normal_prec_lpdf(Y | m, S) + multi_student_t_lpdf(Y | nu, m, S) + multi_student_t_cholesky_lpdf(Y | nu, m, L);
  target += wishart_lpdf(S | nu, L * L') + inv_wishart_lpdf(S | nu, L * L') + wishart_cholesky_lpdf(L | nu, cholesky_decompose(S));
  target += lkj_cov_lpdf(S | m, s, a);
}`,
    data: { n: [0, 2, 3], T: [3, 2, 6], z: [0, 1, 0], y: [1, 3, 4], Y: [[0.5, -1, 2], [1.5, 0.2, -0.7]] },
  },
  {
    // the Wiener first-passage density (more values, against rstan, in test/runtime/math/wiener.test.ts)
    name: "wiener first-passage density",
    stan: `
data { int N; array[N] real rt; }
parameters { real<lower=0.5, upper=3> alpha; real<lower=0.05, upper=0.3> tau; real<lower=0.2, upper=0.8> beta; real delta; }
model {
  target += wiener_lpdf(rt | alpha, tau, beta, delta) + wiener_lpdf(rt[1] | alpha, tau, 1 - beta, -delta);
  rt ~ wiener(alpha, tau, beta, delta);
  target += std_normal_lpdf(delta);
}`,
    data: { N: 4, rt: [0.45, 0.62, 1.3, 2.4] },
  },
];

describe("primitive gradient rules", () => {
  it("every density, kernel and container primitive is exercised by a checked program", () => {
    // (an unnormalised `_lupdf` lowers exactly as its `_lpdf`)
    const names = [...DENSITY_RULES.keys(), ...KERNEL_RULES.keys(), ...EXPANSIONS.keys()].filter((n) => !/_lup[dm]f$/.test(n));
    const used = (n: string) => {
      const short = n.replace(/_lp[dm]f$/, "");
      // (the special-function and continuous-family programs are checked in test/primitives/)
      return [...CASES, ...SPECIAL_PROGRAMS, ...CONTINUOUS_PROGRAMS].some((c) => c.stan.includes(`${n}(`) || (n !== short && new RegExp(`~\\s*${short}\\(`).test(c.stan)));
    };
    expect(names.filter((n) => !used(n))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.name}: gradient vs finite differences at 5 random points`, async () => {
      const model = await loadCompiled(c.stan, `${c.name.replace(/\s+/g, "_")}.stan`);
      const inst = model.create(c.data);
      const rnd = seededUniform(c.name.length * 31);
      let checked = 0;
      for (let attempt = 0; attempt < 50 && checked < 5; attempt++) {
        const theta = randomPoint(inst.dim, rnd, 0.8);
        const g = new Float64Array(inst.dim);
        const lp = inst.logDensityGradient(theta, g);
        if (!Number.isFinite(lp)) continue;
        expect(inst.logDensity(theta)).toBe(lp);
        const r = coordinateCheck(inst, theta);
        expect(r.worst, `${c.name}: ${r.where}`).toBeLessThan(1e-6);
        checked++;
      }
      expect(checked).toBe(5);
    });
  }
});
