# Dev-only (never CI): fit the lecture's m1-m3 with rstan on the lecture data, writing one
# CmdStan-format CSV per chain (rstan's sample_file) so that stan2ts reads both sides' draws
# with the same reader and computes both sides' MCSEs with the same estimators.
#
# Usage (repository root):
#   Rscript validation/agreement/fitLectureStan.R <csv> <outdir> <model> <chains> <warmup> <samples> [seed]
# Writes <outdir>/<model>-stan-<chain>.csv and <outdir>/<model>-stan.json (settings + timing).
suppressMessages({
  library(brms)
  library(rstan)
})
args <- commandArgs(TRUE)
csv <- args[1]; out <- args[2]; m <- args[3]
chains <- as.integer(args[4]); warmup <- as.integer(args[5]); samples <- as.integer(args[6])
seed <- if (length(args) >= 7) as.integer(args[7]) else 14L
dir.create(out, showWarnings = FALSE, recursive = TRUE)
defs <- Sys.getenv("BRMS_DEFS", "/work/shared/docs/brms-fixtures/defs.R")
suppressMessages(source(defs))
d <- read.csv(csv, check.names = FALSE)
code <- make_stancode(forms[[m]], data = d, prior = priors[[m]])
sdata <- make_standata(forms[[m]], data = d, prior = priors[[m]])
sm <- stan_model(model_code = code, model_name = m)
t0 <- proc.time()[["elapsed"]]
fit <- sampling(sm, data = unclass(sdata), chains = chains, cores = min(chains, 2L),
                iter = warmup + samples, warmup = warmup, seed = seed, refresh = 0,
                sample_file = file.path(out, paste0(m, "-stan.csv")))
elapsed <- proc.time()[["elapsed"]] - t0
sp <- get_sampler_params(fit, inc_warmup = FALSE)
div <- sum(vapply(sp, function(x) sum(x[, "divergent__"]), 0))
writeLines(jsonlite::toJSON(list(model = m, chains = chains, warmup = warmup, samples = samples,
  seed = seed, seconds = elapsed, divergences = div, rstan = as.character(packageVersion("rstan")),
  brms = as.character(packageVersion("brms"))), auto_unbox = TRUE, pretty = TRUE),
  file.path(out, paste0(m, "-stan.json")))
cat(m, "done in", elapsed, "s\n")
