data {
  vector[4] ny;
  int gN;
  matrix[gN, 2] gX;
  vector[gN] gy;
  vector[2] my[3];
}
parameters {
  vector[4] n_mu; real n_sigma;
  real g_alpha; vector[2] g_beta; real g_sigma;
  real t_y; real t_nu; real t_mu; real t_sigma;
  real c_y; real c_nu; real c_mu; real c_sigma;
  matrix[3, 3] lk_L; real lk_eta;
  vector[2] m_mu; matrix[2, 2] m_L;
  real e_lambda;
  real sn_y;
}
model {
  target += normal_lpdf(ny | n_mu, n_sigma);
  target += normal_id_glm_lpdf(gy | gX, g_alpha, g_beta, g_sigma);
  target += student_t_lpdf(t_y | t_nu, t_mu, t_sigma);
  target += student_t_lccdf(c_y | c_nu, c_mu, c_sigma);
  target += lkj_corr_cholesky_lpdf(lk_L | lk_eta);
  target += multi_normal_cholesky_lpdf(my | m_mu, m_L);
  target += exponential_lpdf(ny | e_lambda);
  target += std_normal_lpdf(sn_y);
}
generated quantities {
  real v[33];
  {
    matrix[3,3] L3 = [[1, 0, 0], [0.3, sqrt(1 - 0.09), 0], [-0.2, 0.5, sqrt(1 - 0.04 - 0.25)]];
    matrix[2,2] L2 = [[1, 0], [0.4, sqrt(1 - 0.16)]];
    matrix[3,3] S = [[2, 0.3, -0.4], [0.3, 1, 0.2], [-0.4, 0.2, 1.5]];
    v[1] = normal_lcdf(-30 | 0, 1);
    v[2] = student_t_lccdf(0 | 3, 0, 2.5);
    v[3] = student_t_lcdf(-30 | 3, 0, 1);
    v[4] = lkj_corr_cholesky_lpdf(L2 | 1);
    v[5] = lkj_corr_cholesky_lpdf(L3 | 1);
    v[6] = lkj_corr_cholesky_lpdf(L3 | 2);
    v[7] = lkj_corr_cholesky_lpdf(L3 | 0.7);
    v[8] = lkj_corr_lpdf(multiply_lower_tri_self_transpose(L3) | 2);
    v[9] = neg_binomial_2_lpmf(5 | 4, 1e7);
    v[10] = neg_binomial_2_lpmf(3 | 2.5, 1.5);
    v[11] = neg_binomial_2_log_lpmf(3 | 0.7, 1.5);
    v[12] = binomial_logit_lpmf(3 | 10, 0.3);
    v[13] = ordered_logistic_lpmf(2 | 0.3, [-1, 0.5, 2]');
    v[14] = categorical_logit_lpmf(2 | [0.1, -0.5, 1.2]');
    v[15] = dirichlet_lpdf([0.2, 0.3, 0.5]' | [1.5, 2, 0.7]');
    v[16] = poisson_log_lpmf(3 | 0.9);
    v[17] = gamma_lpdf(1.3 | 2.5, 0.7);
    v[18] = inv_gamma_lpdf(1.3 | 2.5, 0.7);
    v[19] = beta_lpdf(0.3 | 2.5, 0.7);
    v[20] = weibull_lpdf(1.3 | 2.5, 0.7);
    v[21] = chi_square_lpdf(1.3 | 2.5);
    v[22] = logistic_lpdf(0.7 | 0.2, 1.5);
    v[23] = double_exponential_lpdf(0.7 | 0.2, 1.5);
    v[24] = cauchy_lpdf(0.7 | 0.2, 1.5);
    v[25] = lognormal_lpdf(1.3 | 0.2, 0.8);
    v[26] = multi_normal_lpdf([0.5, -1, 2]' | [0.1, 0.2, -0.3]', S);
    v[27] = student_t_lccdf(1.5 | 3, 0.1, 2.5);
    v[28] = normal_lccdf(10 | 0, 1);
    v[29] = cauchy_lcdf(-3 | 0, 1);
    v[30] = exponential_lcdf(1e-6 | 2);
    v[31] = bernoulli_logit_glm_lpmf({1, 0, 1} | [[1, 0.5], [2, -0.5], [3, 1.5]], 0.3, [0.2, -0.4]');
    v[32] = log_mix(0.3, -1.2, 0.4);
    v[33] = lkj_corr_cholesky_lpdf(L2 | 3.5);
  }
}
