// A D-dimensional normal with equal correlation rho between every pair and unequal scales:
// a diagonal metric can fix the scales but not the correlation, a dense metric fixes both.
data {
  int<lower=1> D;
  real<lower=-1, upper=1> rho;
  vector<lower=0>[D] scale;
}
transformed data {
  matrix[D, D] L;
  {
    matrix[D, D] Sigma;
    for (i in 1:D) for (j in 1:D) Sigma[i, j] = scale[i] * scale[j] * (i == j ? 1 : rho);
    L = cholesky_decompose(Sigma);
  }
}
parameters {
  vector[D] theta;
}
model {
  theta ~ multi_normal_cholesky(rep_vector(0, D), L);
}
