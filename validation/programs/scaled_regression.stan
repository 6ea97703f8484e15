// Badly scaled regression: predictor values near 4000, so the slope's posterior sd is ~1e-4 of
// the intercept's and the two are correlated near -0.99. sigma is known and the priors flat, so
// the posterior is exactly normal with mean = least squares and covariance sigma^2 (X'X)^-1.
data {
  int<lower=1> N;
  vector[N] x;
  vector[N] y;
  real<lower=0> sigma;
}
parameters {
  real alpha;
  real beta;
}
model {
  y ~ normal(alpha + beta * x, sigma);
}
