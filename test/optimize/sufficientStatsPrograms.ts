/**
 * Stan programs with the shapes the sufficient-statistics rewrite handles (brms's gaussian models
 * and variations) and shapes it must leave alone; shared by the rewrite's tests.
 */

/** brms's shape: a local location built from affine updates, a glm likelihood with population effects. */
export const HIERARCHICAL = `data {
  int<lower=1> N; int<lower=1> K; matrix[N, K] X; vector[N] y;
  int<lower=1> G; array[N] int<lower=1> J; vector[N] z;
}
parameters { real alpha; vector[K] beta; real<lower=0> sigma; vector[G] u; vector[G] v; }
model {
  vector[N] mu = rep_vector(0.0, N);
  mu += alpha;
  for (n in 1:N) {
    mu[n] += u[J[n]] * 1 + v[J[n]] * z[n];
  }
  target += normal_id_glm_lpdf(y | X, mu, beta, sigma);
  alpha ~ normal(0, 2);
  beta ~ normal(0, 1);
  sigma ~ exponential(1);
  u ~ normal(0, 1);
  v ~ normal(0, 1);
}`;

/** The same model written with '~', an offset, a subtraction and the location as one expression. */
export const TILDE = `data {
  int<lower=1> N; int<lower=1> K; matrix[N, K] X; vector[N] y; vector[N] off;
  int<lower=1> G; array[N] int<lower=1> J; vector[N] z;
}
parameters { real alpha; vector[K] beta; real<lower=0> sigma; vector[G] u; vector[G] v; }
model {
  vector[N] mu = alpha + X * beta - off;
  for (n in 1:N) mu[n] += -(z[n] * v[J[n]]) + u[J[n]] + 0.5;
  y ~ normal(mu, sigma);
  alpha ~ normal(0, 2);
  beta ~ normal(0, 1);
  sigma ~ exponential(1);
  u ~ normal(0, 1);
  v ~ normal(0, 1);
}`;

/** No groups: a plain regression needs only the K × K cross-products. */
export const REGRESSION = `data { int<lower=0> N; int<lower=1> K; matrix[N, K] X; vector[N] y; }
parameters { real alpha; vector[K] beta; real<lower=0> sigma; }
model {
  target += normal_lpdf(y | alpha + X * beta, sigma);
  sigma ~ exponential(1);
}`;

/** brms's distributional shape (m3): a scale per row built like the location, through exp. */
export const LOCATION_SCALE = `data {
  int<lower=1> N; int<lower=1> K; matrix[N, K] X; vector[N] y;
  int<lower=1> G; array[N] int<lower=1> J; vector[N] z; vector[N] w;
}
parameters { real alpha; vector[K] beta; real alpha_s; vector[G] u; vector[G] v; vector[G] us; }
model {
  vector[N] mu = rep_vector(0.0, N);
  vector[N] sigma = rep_vector(0.0, N);
  mu += alpha + X * beta;
  sigma += alpha_s;
  for (n in 1:N) {
    mu[n] += u[J[n]] * 1 + v[J[n]] * z[n];
  }
  for (n in 1:N) {
    sigma[n] += us[J[n]] * w[n];
  }
  sigma = exp(sigma);
  target += normal_lpdf(y | mu, sigma);
  alpha ~ normal(0, 2);
  beta ~ normal(0, 1);
  alpha_s ~ normal(0, 1);
  u ~ normal(0, 1);
  v ~ normal(0, 1);
  us ~ normal(0, 0.5);
}`;

/** A scale per group on the identity link, with '~'. */
export const IDENTITY_SCALE = `data { int<lower=1> N; vector[N] y; int<lower=1> G; array[N] int<lower=1> J; }
parameters { real alpha; vector[G] u; real<lower=0> tau; vector<lower=0>[G] extra; }
model {
  vector[N] mu = rep_vector(alpha, N);
  vector[N] s = rep_vector(0.1, N);
  for (n in 1:N) mu[n] += u[J[n]];
  s += tau;
  for (n in 1:N) s[n] += extra[J[n]];
  y ~ normal(mu, s);
  tau ~ exponential(1);
  extra ~ exponential(1);
}`;

/** brms's multivariate shape with residual correlation (m2): two locations assembled row by row. */
export const BIVARIATE = `data {
  int<lower=1> N; int<lower=1> K; matrix[N, K] X; array[N] vector[2] Y;
  int<lower=1> G; array[N] int<lower=1> J; array[N] int<lower=1> J2; vector[N] z;
}
parameters {
  real a1; real a2; vector[K] b1; vector[G] u1; vector[G] u2; vector[G] v2;
  vector<lower=0>[2] sigma; cholesky_factor_corr[2] Lrescor;
}
model {
  vector[N] mu1 = rep_vector(0.0, N);
  vector[N] mu2 = rep_vector(0.0, N);
  array[N] vector[2] Mu;
  matrix[2, 2] LSigma = diag_pre_multiply(sigma, Lrescor);
  mu1 += a1 + X * b1;
  mu2 += a2;
  for (n in 1:N) mu1[n] += u1[J[n]] * z[n];
  for (n in 1:N) mu2[n] += u2[J2[n]] + v2[J2[n]] * z[n];
  for (n in 1:N) Mu[n] = transpose([mu1[n], mu2[n]]);
  target += multi_normal_cholesky_lpdf(Y | Mu, LSigma);
  a1 ~ normal(0, 2); a2 ~ normal(0, 2); b1 ~ normal(0, 1);
  u1 ~ normal(0, 1); u2 ~ normal(0, 1); v2 ~ normal(0, 1);
  sigma ~ exponential(1);
  Lrescor ~ lkj_corr_cholesky(2);
}`;

/**
 * Parameter parts of the location that are expressions: a conditional, a product of parameters,
 * a subtracted design block, and the loop index as a coefficient.
 */
export const EXPRESSIONS = `data {
  int<lower=1> N; int<lower=1> K; matrix[N, K] X; vector[N] y;
  int<lower=1> G; array[N] int<lower=1> J; vector[N] z;
}
parameters { real alpha; real gamma; vector[K] beta; real<lower=0> sigma; vector[G] u; }
model {
  vector[N] mu = rep_vector(0.0, N);
  mu += alpha > 0 ? alpha : 2 * gamma;
  mu += alpha * gamma - X * beta;
  for (n in 1:N) mu[n] += z[n] * u[J[n]] * 2 + n * gamma * 1e-3;
  target += normal_lpdf(y | mu, sigma);
  alpha ~ normal(0, 2);
  gamma ~ normal(0, 1);
  beta ~ normal(0, 1);
  sigma ~ exponential(1);
  u ~ normal(0, 1);
}`;

/** Normal likelihoods the rewrite must leave alone. */
export const OTHER_SHAPES = [
  // a scale per row
  `data { int N; vector[N] y; vector[N] x; } parameters { real a; vector<lower=0>[N] s; }
   model { y ~ normal(a + x, s); }`,
  // not affine in the parameters
  `data { int N; vector[N] y; int G; array[N] int J; } parameters { vector[G] u; real<lower=0> s; }
   model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += exp(u[J[n]]); y ~ normal(mu, s); }`,
  // two different groupings
  `data { int N; vector[N] y; int G; array[N] int J; array[N] int H; } parameters { vector[G] u; vector[G] w; real<lower=0> s; }
   model { vector[N] mu = rep_vector(0, N); for (n in 1:N) mu[n] += u[J[n]] + w[H[n]]; y ~ normal(mu, s); }`,
  // the location is read again after the likelihood
  `data { int N; vector[N] y; } parameters { real a; real<lower=0> s; }
   model { vector[N] mu = rep_vector(a, N); y ~ normal(mu, s); target += sum(mu); }`,
  // a parameter as the response
  `data { int N; } parameters { vector[N] y; real a; } model { y ~ normal(a, 1); }`,
  // '~' with data alone: a constant Stan drops
  `data { int N; vector[N] y; vector[N] x; } parameters { real a; }
   model { vector[N] mu = x; y ~ normal(mu, 2); a ~ normal(0, 1); }`,
];

/** A scale that may be negative: the statistics must reject it with the density's message. */
export const SIGNED_SCALE = `data { int N; vector[N] y; } parameters { real a; real s; } model { y ~ normal(a, s); }`;
