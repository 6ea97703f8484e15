# Reference values of Stan 2.21's wiener_lpdf and its gradient for test/runtime/math/wiener.test.ts.
# Run from this directory: Rscript wiener.R   (rstan 2.21; writes wiener.json)
suppressMessages(library(rstan))
model <- stan_model("wiener.stan")
fit <- sampling(model, data = list(), chains = 0)
grid <- expand.grid(y = c(0.3005, 0.31, 0.35, 0.6, 1.5, 4, 12), alpha = c(0.5, 1, 2.5), tau = 0.3,
                    beta = c(0.2, 0.5, 0.85), delta = c(-2, 0.3, 3))
rows <- lapply(seq_len(nrow(grid)), function(i) {
  p <- as.list(grid[i, ])
  u <- unconstrain_pars(fit, p)
  list(point = unname(unlist(p)), lp = log_prob(fit, u, adjust_transform = FALSE),
       grad = as.numeric(grad_log_prob(fit, u, adjust_transform = FALSE)))
})
writeLines(jsonlite::toJSON(rows, digits = I(17), auto_unbox = TRUE), "wiener.json")
