# Regenerates the Stan 2.21 reference values used by stanReference.test.ts (rstan 2.21.7):
#   cd test/runtime/math/stan-reference && Rscript kernels.R   (writes kernels.json; ~1 min of compile)
suppressMessages(library(rstan))
rstan_options(auto_write = FALSE)
m <- stan_model("kernels.stan")
gX <- matrix(c(1, 2, 3, 4, 0.5, -0.5, 1.5, -1), 4, 2)
data <- list(ny = c(0.5, 1.2, 2.5, 0.1), gN = 4, gX = gX, gy = c(0.1, 0.9, 1.2, -0.3),
             my = array(c(0.5, -1, 2, 0.3, 0.1, 0.7), dim = c(3, 2)))
L3 <- matrix(c(1, 0.3, -0.2, 0, sqrt(1 - 0.09), 0.5, 0, 0, sqrt(1 - 0.04 - 0.25)), 3, 3)
init <- list(n_mu = c(0.1, 0.2, -0.3, 0.4), n_sigma = 1.3, g_alpha = 0.3, g_beta = c(0.2, -0.4), g_sigma = 0.7,
             t_y = 0.4, t_nu = 3.5, t_mu = 0.1, t_sigma = 2.5, c_y = 1.5, c_nu = 3.2, c_mu = 0.1, c_sigma = 2.5,
             lk_L = L3, lk_eta = 2.3, m_mu = c(0.1, 0.2), m_L = matrix(c(1.2, 0.3, 0, 0.8), 2, 2),
             e_lambda = 0.9, sn_y = 0.35)
fit <- sampling(m, data = data, init = list(init), chains = 1, iter = 1, algorithm = "Fixed_param", refresh = 0)
up <- unconstrain_pars(fit, init)
out <- list(lp = log_prob(fit, up, adjust_transform = FALSE), grad = grad_log_prob(fit, up, adjust_transform = FALSE),
            v = as.numeric(extract(fit, "v")$v), upars = up)
cat(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE), file = "kernels.json")
