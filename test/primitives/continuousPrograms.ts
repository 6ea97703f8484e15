/**
 * Stan programs that use every continuous density and CDF of issue #17 with parameters in every
 * argument position, scalar and vectorised (and an int promoted to real), for the gradient checks
 * of continuous.test.ts. Parameters are bounded to where each function is smooth and defined.
 */
export interface GradientProgram {
  readonly name: string;
  readonly stan: string;
  readonly data: Record<string, unknown>;
}

const N = 4;

export const CONTINUOUS_PROGRAMS: readonly GradientProgram[] = [
  {
    name: "positive-support families",
    stan: `
data { int N; vector<lower=0>[N] yp; array[N] int<lower=1> k; }
parameters {
  real<lower=0.5, upper=3> alpha; real<lower=0.5, upper=2> sigma; vector<lower=0.2, upper=3>[N] x;
  real<lower=1.2, upper=3> xs; vector<lower=0.5, upper=2>[N] sv; real<lower=0.5, upper=1> ymin;
  real<lower=-1, upper=0> mu; real<lower=0.5, upper=5> nu;
}
model {
  target += weibull_lpdf(x | alpha, sigma) + weibull_lpdf(yp | alpha, sv) + weibull_lupdf(xs | 2, sigma);
  target += weibull_cdf(x | alpha, sigma) + weibull_lcdf(yp | alpha, sv) + weibull_lccdf(xs | alpha, sigma);
  target += frechet_lpdf(x | alpha, sigma) + frechet_lpdf(k | alpha, sv);
  target += frechet_cdf(xs | alpha, sv) + frechet_lcdf(x | alpha, sigma) + frechet_lccdf(yp | alpha, sigma);
  target += chi_square_lpdf(x | nu) + chi_square_lpdf(yp | sv);
  target += inv_chi_square_lpdf(x | nu) + inv_chi_square_lpdf(xs | sv);
  target += scaled_inv_chi_square_lpdf(x | nu, sigma) + scaled_inv_chi_square_lpdf(yp | sv, alpha);
  target += rayleigh_lpdf(x | sigma) + rayleigh_lpdf(yp | sv);
  target += rayleigh_cdf(x | sigma) + rayleigh_lcdf(yp | sv) + rayleigh_lccdf(xs | sigma);
  target += pareto_lpdf(xs | ymin, alpha) + pareto_lpdf(x + 1 | ymin, sv);
  target += pareto_cdf(xs | ymin, alpha) + pareto_lcdf(x + 1 | ymin, sv) + pareto_lccdf(x + 1 | ymin, alpha);
  target += pareto_type_2_lpdf(x | mu, sigma, alpha) + pareto_type_2_lpdf(yp | mu, sv, nu);
  target += pareto_type_2_cdf(x | mu, sigma, alpha) + pareto_type_2_lcdf(yp | mu, sv, nu) + pareto_type_2_lccdf(xs | mu, sigma, alpha);
  target += exponential_cdf(x | sigma);
  yp ~ weibull(alpha, sigma);
  x ~ frechet(alpha, sv);
  yp ~ scaled_inv_chi_square(nu, sigma);
  yp ~ pareto_type_2(mu, sigma, alpha);
}`,
    data: { N, yp: [0.5, 1.5, 2.2, 0.8], k: [1, 3, 2, 4] },
  },
  {
    name: "real-line and bounded families",
    stan: `
data { int N; vector[N] y; vector<lower=0, upper=1>[N] u; }
parameters {
  real<lower=-0.5, upper=0.5> mu; real<lower=0.3, upper=2> sigma; vector<lower=-1, upper=1>[N] x;
  vector<lower=0.3, upper=2>[N] sv; real<lower=0.1, upper=0.9> p; real<lower=1, upper=10> kappa;
  vector<lower=0.1, upper=0.9>[N] pv; real<lower=0.1, upper=5> kv; real<lower=-2, upper=-1> lo; real<lower=1, upper=2> hi;
}
model {
  target += logistic_lpdf(x | mu, sigma) + logistic_lpdf(y | x, sv);
  target += logistic_cdf(x | mu, sigma) + logistic_lcdf(y | mu, sv) + logistic_lccdf(x | mu, sigma);
  target += double_exponential_lpdf(y | mu, sigma) + double_exponential_lpdf(y | mu, sv);
  target += double_exponential_cdf(y | mu, sigma) + double_exponential_lcdf(y | mu, sv) + double_exponential_lccdf(y | mu, sigma);
  target += gumbel_lpdf(x | mu, sigma) + gumbel_lpdf(y | x, sv);
  target += gumbel_cdf(x | mu, sigma) + gumbel_lcdf(y | mu, sv) + gumbel_lccdf(x | mu, sigma);
  target += beta_proportion_lpdf(pv | p, kappa) + beta_proportion_lpdf(u | pv, kappa) + beta_proportion_lpdf(p | 0.4, kappa);
  target += von_mises_lpdf(x | mu, kv) + von_mises_lpdf(y | x, sv) + von_mises_lpdf(mu | 1, 0.5);
  target += von_mises_cdf(x | mu, kv) + von_mises_lcdf(y | mu, kv) + von_mises_lccdf(y | x, sv);
  target += von_mises_cdf(x | mu, 49 + 0.1 * kv) + von_mises_lcdf(x | mu, 60 * kv);
  target += uniform_cdf(x | lo, hi) + uniform_lcdf(x | lo, hi) + uniform_lccdf(mu | lo, hi) + uniform_lccdf(x | -2, hi);
  y ~ logistic(mu, sigma);
  y ~ double_exponential(mu, sv);
  x ~ gumbel(mu, sigma);
  u ~ beta_proportion(p, kappa);
  y ~ von_mises(mu, kv);
}`,
    data: { N, y: [1.5, -1.7, 2.2, -0.9], u: [0.2, 0.5, 0.9, 0.35] },
  },
  {
    name: "normal-family and Cauchy extensions",
    stan: `
data { int N; vector[N] y; vector<lower=0>[N] yp; }
parameters {
  real<lower=-1, upper=1> mu; real<lower=0.3, upper=2> sigma; vector<lower=-2, upper=2>[N] x;
  vector<lower=0.3, upper=2>[N] sv; real<lower=-3, upper=3> alpha; real<lower=0.3, upper=3> lambda;
  real<lower=0.2, upper=4> xp;
}
model {
  target += skew_normal_lpdf(x | mu, sigma, alpha) + skew_normal_lpdf(y | x, sv, alpha) + skew_normal_lpdf(y | mu, sigma, 2);
  target += skew_normal_cdf(x | mu, sigma, alpha) + skew_normal_lcdf(y | x, sv, alpha) + skew_normal_lccdf(y | mu, sigma, alpha);
  // the far tails, computed by quadrature (z < −2.5 with a right skew, and its mirror image)
  target += 0.01 * (skew_normal_lcdf(x - 8 | mu, sigma, 1 + lambda) + skew_normal_lccdf(x + 8 | mu, sigma, -1 - lambda));
  target += std_normal_log_qf(-sv) + std_normal_log_qf(-20 * sigma) + std_normal_log_qf(-1e-3 * lambda);
  target += exp_mod_normal_lpdf(x | mu, sigma, lambda) + exp_mod_normal_lpdf(y | x, sv, lambda);
  target += exp_mod_normal_cdf(x | mu, sigma, lambda) + exp_mod_normal_lcdf(y | mu, sv, lambda) + exp_mod_normal_lccdf(x | mu, sigma, lambda);
  target += lognormal_cdf(yp | mu, sigma) + lognormal_lcdf(xp | mu, sv) + lognormal_lccdf(yp | mu, sigma);
  target += cauchy_cdf(x | mu, sigma) + cauchy_lcdf(y | mu, sv) + cauchy_lccdf(x | mu, sigma);
  target += normal_cdf(x | mu, sigma) + std_normal_cdf(mu) + normal_cdf(y | mu, sv);
  y ~ skew_normal(mu, sigma, alpha);
  y ~ exp_mod_normal(mu, sv, lambda);
}`,
    data: { N, y: [0.3, -1.2, 2.1, 0.7], yp: [0.5, 1.5, 2.2, 0.1] },
  },
];
