/**
 * Stan programs that use the special functions of issue #17 and the CDFs built on them, for
 * gradient checks: test/primitives/special.test.ts checks each program's gradient against finite
 * differences, and test/ad/primitiveRules.test.ts counts them towards its coverage of densities,
 * kernels and expansions.
 */
export interface Program {
  readonly name: string;
  readonly stan: string;
  readonly data: Record<string, unknown>;
}

export const SPECIAL_PROGRAMS: readonly Program[] = [
  {
    name: "elementary special functions",
    stan: `
data { int N; array[N] int k; }
parameters { real<lower=0.5, upper=3> a; real<lower=0.5, upper=3> b; real x; vector<lower=1, upper=2>[N] v; array[N] real<lower=1, upper=2> w; }
model {
  target += trigamma(a) + sum(trigamma(v)) + sum(trigamma(w));
  target += inv_cloglog(x) + sum(inv_cloglog(v));
  target += fmod(4.1 + 0.1 * x, 1.5 + 0.1 * b) + sum(fmod(v, 2.5));
  target += binomial_coefficient_log(a + 5, b) + sum(binomial_coefficient_log(v + 3, 1.5)) + sum(binomial_coefficient_log(w, 0.5));
  target += log_inv_logit_diff(x + 2, x - 1) + sum(log_inv_logit_diff(v, a - 3));
  target += lmultiply(a, b) + sum(multiply_log(v, a)) + sum(lmultiply(w, w));
  target += falling_factorial(a + 3, 2) + sum(falling_factorial(w, k)) + sum(falling_factorial(v, 1));
  target += rising_factorial(a, 3) + sum(rising_factorial(w, k)) + sum(rising_factorial(v, 2));
  target += log_falling_factorial(a + 4, b) + sum(log_rising_factorial(v, a)) + sum(log_falling_factorial(w, w));
  target += lmgamma(3, a + 1) + sum(lmgamma(2, v)) + sum(lmgamma(k, w));
  target += round(-2.5) * x + to_int(-2.7) * b;
  target += std_normal_lpdf(x);
}`,
    data: { N: 3, k: [0, 2, 3] },
  },
  {
    name: "incomplete gamma and beta",
    stan: `
data { int N; vector<lower=0, upper=1>[N] u; }
parameters { real<lower=0.5, upper=5> a; real<lower=0.5, upper=5> b; real<lower=0.05, upper=0.95> p; vector<lower=0.2, upper=6>[N] t; }
model {
  target += gamma_p(a, b) + gamma_q(a, b) + sum(gamma_p(t, a)) + sum(gamma_q(a, t)) + sum(gamma_p(t, t));
  target += log(gamma_p(a, 8 * b)) + log(gamma_q(b, 0.1 * a));
  target += inc_beta(a, b, p) + inc_beta(a, 2, 0.3) + inc_beta(1.5, b, p);
  for (n in 1:N) target += inc_beta(t[n], a, u[n]);
}`,
    data: { N: 3, u: [0.2, 0.55, 0.9] },
  },
  {
    name: "Bessel functions and Owen's T",
    stan: `
data { int N; array[N] int v; }
parameters { real<lower=0.3, upper=8> z; real h; real<lower=-2, upper=2> s; array[N] real<lower=0.5, upper=4> y; vector<lower=0.5, upper=4>[N] yv; real<lower=0, upper=3> nu; }
model {
  target += bessel_first_kind(1, z) + sum(bessel_first_kind(v, y)) + sum(bessel_first_kind(2, y)) + sum(bessel_first_kind(3, yv));
  target += bessel_second_kind(0, z) + sum(bessel_second_kind(v, y));
  target += modified_bessel_first_kind(2, z) * 0.01 + sum(modified_bessel_first_kind(v, y)) + modified_bessel_first_kind(1, s);
  target += modified_bessel_second_kind(1, z) + sum(modified_bessel_second_kind(v, y));
  target += log_modified_bessel_first_kind(nu, z) + sum(log_modified_bessel_first_kind(yv, z)) + sum(log_modified_bessel_first_kind(nu, y)) + sum(log_modified_bessel_first_kind(yv, yv));
  target += owens_t(h, s) + sum(owens_t(yv, s)) + owens_t(1.5, s) + std_normal_lpdf(yv);
  target += std_normal_lpdf(h);
}`,
    data: { N: 3, v: [0, 1, 3] },
  },
  {
    name: "CDFs over the incomplete gamma and beta functions",
    stan: `
data { int N; array[N] int k; array[N] int T; vector<lower=0, upper=1>[N] u; }
parameters { real<lower=0.5, upper=4> a; real<lower=0.5, upper=4> b; real<lower=0.05, upper=0.95> p; vector<lower=0.2, upper=3>[N] y; real<lower=0.1, upper=0.9> q; }
model {
  target += gamma_lcdf(y | a, b) + gamma_lccdf(y | a, b) + gamma_cdf(y | a, b);
  target += inv_gamma_lcdf(y | a, b) + inv_gamma_lccdf(y | a, b) + inv_gamma_cdf(a | 2, b);
  target += chi_square_lcdf(y | a) + chi_square_lccdf(y | a) + chi_square_cdf(b | a);
  target += inv_chi_square_lcdf(y | a) + inv_chi_square_lccdf(y | a) + inv_chi_square_cdf(b | a);
  target += scaled_inv_chi_square_lcdf(y | a, b) + scaled_inv_chi_square_lccdf(y | a, b) + scaled_inv_chi_square_cdf(y | a, 1.5);
  target += beta_lcdf(q | a, b) + beta_lccdf(q | a, b) + beta_cdf(u | a, b) + beta_lcdf(u | a, b);
  target += poisson_lcdf(k | a) + poisson_lccdf(k | y) + poisson_cdf(k | b);
  target += binomial_lcdf(k | T, p) + binomial_lccdf(k | T, p) + binomial_cdf(k | T, q);
  target += neg_binomial_2_lcdf(k | a, b) + neg_binomial_2_lccdf(k | y, b) + neg_binomial_2_cdf(k | a, 2.5);
  target += neg_binomial_lcdf(k | a, b) + neg_binomial_lccdf(k | y, b) + neg_binomial_cdf(k | a, 0.8);
  target += student_t_cdf(q | a, 0.1, b);
  target += beta_binomial_lcdf(k | T, a, b) + beta_binomial_lccdf(k | T, y, b) + beta_binomial_cdf(k | 6, a, 1.5);
}`,
    data: { N: 3, k: [0, 2, 4], T: [3, 5, 6], u: [0.2, 0.5, 0.85] },
  },
];

/**
 * Runtime functions of issue #17 that are not `_vp` kernels or scalar-table entries: values and
 * derivatives are checked in test/primitives/special.test.ts (and through the programs above).
 */
export const SPECIAL_RUNTIME_FUNCTIONS: readonly string[] = [
  "trigamma",
  "tetragamma",
  "gamma_p",
  "gamma_q",
  "inc_beta",
  "gamma_p_unchecked",
  "gamma_q_unchecked",
  "log_gamma_p",
  "log_gamma_q",
  "log_gamma_p_da",
  "log_gamma_p_dx",
  "log_gamma_q_da",
  "log_gamma_q_dx",
  "log_inc_beta",
  "log_inc_beta_dda",
  "log_inc_beta_ddb",
  "log_inc_beta_ddz",
  "inv_cloglog",
  "log_inv_logit_diff",
  "falling_factorial",
  "rising_factorial",
  "log_falling_factorial",
  "log_rising_factorial",
  "lmgamma",
  "lmgamma_dx",
  "to_int",
  "gamma_p_da",
  "gamma_q_da",
  "gamma_p_dx",
  "gamma_q_dx",
  "inc_beta_dda",
  "inc_beta_ddb",
  "inc_beta_ddz",
  "bessel_first_kind",
  "bessel_first_kind_dx",
  "bessel_second_kind",
  "bessel_second_kind_dx",
  "modified_bessel_first_kind",
  "modified_bessel_first_kind_dz",
  "modified_bessel_second_kind",
  "modified_bessel_second_kind_dz",
  "log_modified_bessel_first_kind",
  "log_modified_bessel_first_kind_dv",
  "log_modified_bessel_first_kind_dz",
  "owens_t",
  "owens_t_dh",
  "owens_t_da",
];
