# Dev-only oracle (never a CI dependency): Stan's log_prob and gradient for the classic programs
# in fixtures/stan/good on their fixtures/data/<name>.data.json, at one fixed unconstrained point.
#
# Usage (from the repository root):
#   Rscript scripts/oracle/fixtureLogprob.R <outfile.json> [name ...]
# Without names: every fixture except m1-m3 (see logprob.R) and those needing Stan > 2.21.
#
# rstan 2.21 only reads the pre-2.33 array syntax, so each program is first rewritten
# (`array[N] real y;` -> `real y[N];`) — declarations only; nothing else changes.
# Point: n = number of unconstrained parameters, i = 0..n-1, theta[i] = 0.1 * sin(i + 1).
# log_prob is rstan's log_prob(fit, upars, adjust_transform = TRUE, gradient = TRUE): the
# target with the Jacobian, constants dropped in `~` statements (propto), kept in `target +=`.
suppressMessages(library(rstan))
args <- commandArgs(TRUE)
outfile <- if (length(args) >= 1) args[1] else "docs/oracles/fixtures-logprob.json"
needs_newer_stan <- c("profile_blocks", "sum_to_zero", "vector_bounds", "m1", "m2", "m3")
names <- if (length(args) >= 2) args[-1] else {
  all <- sub("\\.stan$", "", list.files("fixtures/stan/good", "\\.stan$"))
  setdiff(all, needs_newer_stan)
}

to_stan221 <- function(code) {
  lines <- strsplit(code, "\n", fixed = TRUE)[[1]]
  pat <- "^(\\s*)array\\[([^]]+)\\]\\s+(.+)\\s+(\\w+)(\\s*(=[^;]*)?;.*)$"
  hit <- grepl(pat, lines, perl = TRUE)
  lines[hit] <- sub(pat, "\\1\\3 \\4[\\2]\\5", lines[hit], perl = TRUE)
  paste(lines, collapse = "\n")
}

num17 <- function(x) if (is.na(x)) "null" else if (is.infinite(x)) (if (x > 0) "1e999" else "-1e999") else sprintf("%.17g", x)
vec_json <- function(x) paste0("[", paste(vapply(as.numeric(x), num17, ""), collapse = ", "), "]")

entries <- character(0)
for (nm in names) {
  t0 <- Sys.time()
  code <- to_stan221(paste(readLines(file.path("fixtures/stan/good", paste0(nm, ".stan"))), collapse = "\n"))
  data <- jsonlite::fromJSON(file.path("fixtures/data", paste0(nm, ".data.json")), simplifyVector = TRUE)
  sm <- stan_model(model_code = code, model_name = nm)
  fit <- sampling(sm, data = data, chains = 0)
  n <- get_num_upars(fit)
  u <- 0.1 * sin(seq_len(n))
  lp <- log_prob(fit, u, adjust_transform = TRUE, gradient = TRUE)
  lp_nojac <- log_prob(fit, u, adjust_transform = FALSE, gradient = FALSE)
  entries <- c(entries, paste0(
    "  ", jsonlite::toJSON(nm, auto_unbox = TRUE), ": {\n",
    "    \"num_upars\": ", n, ",\n",
    "    \"upars\": ", vec_json(u), ",\n",
    "    \"log_prob\": ", num17(as.numeric(lp)), ",\n",
    "    \"log_prob_no_jacobian\": ", num17(as.numeric(lp_nojac)), ",\n",
    "    \"gradient\": ", vec_json(attr(lp, "gradient")), "\n  }"))
  cat(nm, "n =", n, "lp =", num17(as.numeric(lp)), "in", format(difftime(Sys.time(), t0, units = "secs")), "\n")
  # Rewrite after each model so a long run leaves usable partial output.
  writeLines(c("{", paste(entries, collapse = ",\n"), "}"), outfile)
}
