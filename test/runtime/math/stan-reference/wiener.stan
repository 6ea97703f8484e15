// wiener_lpdf with every argument a parameter (unconstrained, so log_prob's gradient is the
// density's partials); evaluated at the grid of wiener.R.
parameters {
  real y;
  real alpha;
  real tau;
  real beta;
  real delta;
}
model {
  target += wiener_lpdf(y | alpha, tau, beta, delta);
}
