# Extra golden values for src/runtime/diagnostics (edge cases beyond ../../../../shared fixtures).
# Usage: Rscript gen_extra.R [outdir]   (posterior 1.4.0 was used; writes extra_case_*.csv,
# extra_expected.csv and qbeta.csv). Same measures and column order as gen_diag.R.
suppressMessages(library(posterior))
out <- if (length(commandArgs(TRUE))) commandArgs(TRUE)[1] else "."
set.seed(11)
ar1 <- function(n, m, phi) { x <- matrix(0, n, m); for (j in 1:m) { e <- rnorm(n); x[1, j] <- e[1]
  for (i in 2:n) x[i, j] <- phi * x[i - 1, j] + e[i] }; x }
with_inf <- matrix(rnorm(400), 100, 4); with_inf[5, 2] <- Inf
with_nan <- matrix(rnorm(400), 100, 4); with_nan[7, 3] <- NaN
cases <- list(
  f = ar1(800, 4, 0.99),                               # long autocorrelation: many Geyer lags
  g = with_inf,                                        # +Inf: rank-based measures stay finite
  h = with_nan,                                        # NaN: everything NA
  i = matrix(rep(c(1, 2), each = 50), 100, 4),         # constant split chains
  j = ar1(51, 1, 0.3),                                 # one chain, odd length
  k = matrix(rpois(1200, 3), 300, 4),                  # discrete, heavy ties
  l = matrix(rnorm(6), 2, 3))                          # too short for ESS
f <- function(x) c(rhat = rhat(x), ess_bulk = ess_bulk(x), ess_tail = ess_tail(x),
  ess_mean = ess_mean(x), ess_sd = ess_sd(x), ess_q05 = unname(ess_quantile(x, 0.05)),
  ess_q95 = unname(ess_quantile(x, 0.95)), rhat_basic = rhat_basic(x), ess_basic = ess_basic(x),
  mcse_mean = mcse_mean(x), mcse_sd = mcse_sd(x), mcse_median = mcse_median(x),
  mcse_q05 = unname(mcse_quantile(x, 0.05)), mcse_q95 = unname(mcse_quantile(x, 0.95)),
  mean = mean(x), median = median(x), sd = sd(x), mad = mad(x),
  q05 = unname(quantile2(x, 0.05)), q95 = unname(quantile2(x, 0.95)))
res <- t(sapply(names(cases), function(k) {
  write.csv(cases[[k]], file.path(out, paste0("extra_case_", k, ".csv")), row.names = FALSE)
  suppressWarnings(f(cases[[k]])) }))
write.csv(data.frame(case = rownames(res), res, check.names = FALSE), file.path(out, "extra_expected.csv"),
  row.names = FALSE)
grid <- expand.grid(p = c(0.1586553, 0.8413447, 0.025, 0.5, 1e-10, 0.999),
  a = c(1.5, 3, 10.2, 101.3, 250.7, 2000.4, 7, 0.5), b = c(1.2, 50.6, 4750.3, 8, 0.7))
grid$q <- qbeta(grid$p, grid$a, grid$b)
write.csv(grid, file.path(out, "qbeta.csv"), row.names = FALSE)
cat("posterior", as.character(packageVersion("posterior")), "\n")
