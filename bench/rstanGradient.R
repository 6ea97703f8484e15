# rstan's cost per gradient for a brms script, to set beside bench/gradient.ts (optional: needs R
# with brms and rstan; never used by the tests):
#
#   Rscript bench/rstanGradient.R fixtures/brms/m3.R ../shared/data/williams-seed.csv
#
# brm() is replaced by a one-iteration fit (to instantiate the model), then rstan::grad_log_prob is
# timed at u_i = 0.1 sin(i), the point bench/gradient.ts uses, over 300 calls (R's call overhead
# included: microseconds against milliseconds here).
args <- commandArgs(trailingOnly = TRUE)
script <- normalizePath(args[1]); data_path <- normalizePath(args[2])
suppressPackageStartupMessages({ library(brms); library(readr); library(dplyr) })
library <- function(...) invisible(NULL)
here <- function(...) NULL
read_csv <- function(path, ...) readr::read_csv(data_path, show_col_types = FALSE)
brm <- function(..., iter, warmup, chains, cores, seed, file) {
  fit <- brms::brm(..., chains = 1, iter = 2, warmup = 1, backend = "rstan", silent = 2, refresh = 0, seed = 1)
  sf <- fit$fit
  n <- rstan::get_num_upars(sf)
  u <- 0.1 * sin(seq_len(n))
  g <- rstan::grad_log_prob(sf, u)
  reps <- 300
  t0 <- proc.time()[["elapsed"]]
  for (i in seq_len(reps)) g <- rstan::grad_log_prob(sf, u)
  t1 <- proc.time()[["elapsed"]]
  cat(sprintf("GRAD_RESULT upars=%d us_per_gradient=%.1f\n", n, 1e6 * (t1 - t0) / reps))
  invisible(fit)
}
setwd(dirname(script))
source(basename(script), echo = FALSE)
