# Dev-only (never CI): fit a Stan program with rstan 2.21 on Stan JSON data, writing one
# CmdStan-format CSV per chain (rstan's sample_file) for validation/agreement/agreeWithStan.ts.
# Modern array declarations (`array[N] T x;`) are rewritten to Stan 2.21 syntax (`T x[N];`).
#
# Usage (repository root):
#   Rscript validation/agreement/fitFixtureStan.R <program.stan> <data.json> <outdir> <name> <chains> <warmup> <samples> [seed]
# Writes <outdir>/<name>-stan_<chain>.csv and <outdir>/<name>-stan.json (settings, timing, divergences).
suppressMessages(library(rstan))
args <- commandArgs(TRUE)
program <- args[1]; datafile <- args[2]; out <- args[3]; name <- args[4]
chains <- as.integer(args[5]); warmup <- as.integer(args[6]); samples <- as.integer(args[7])
seed <- if (length(args) >= 8) as.integer(args[8]) else 14L
dir.create(out, showWarnings = FALSE, recursive = TRUE)
code <- readLines(program)
# Greedy type: `array[N] int<lower=0, upper=1> y;` has a space inside the type.
legacy <- gsub("^(\\s*)array\\[([^]]+)\\]\\s+(.+)\\s+([A-Za-z_][A-Za-z0-9_]*)(\\s*(=[^;]*)?;.*)$", "\\1\\3 \\4[\\2]\\5", code, perl = TRUE)
data <- jsonlite::fromJSON(datafile)
sm <- stan_model(model_code = paste(legacy, collapse = "\n"), model_name = name)
t0 <- proc.time()[["elapsed"]]
fit <- sampling(sm, data = data, chains = chains, cores = min(chains, 2L), iter = warmup + samples,
                warmup = warmup, seed = seed, refresh = 0, save_warmup = FALSE,
                sample_file = file.path(out, paste0(name, "-stan.csv")))
elapsed <- proc.time()[["elapsed"]] - t0
sp <- get_sampler_params(fit, inc_warmup = FALSE)
div <- sum(vapply(sp, function(x) sum(x[, "divergent__"]), 0))
writeLines(jsonlite::toJSON(list(name = name, program = program, data = datafile, chains = chains,
  warmup = warmup, samples = samples, seed = seed, seconds = elapsed, divergences = div,
  rstan = as.character(packageVersion("rstan"))), auto_unbox = TRUE, pretty = TRUE),
  file.path(out, paste0(name, "-stan.json")))
cat(name, "done in", elapsed, "s\n")
