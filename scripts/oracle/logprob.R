# Dev-only oracle (never a CI dependency): Stan's own log density and gradient for the
# lecture models m1-m3 at fixed unconstrained points, compiled by rstan from the program
# brms 2.18 generates, plus a summary of brms' Stan data.
#
# Usage (from the repository root):
#   Rscript scripts/oracle/logprob.R <lecture.csv> <outdir> [m1 m2 m3]
# Writes <outdir>/<m>-logprob.json and <outdir>/<m>-standata.json for each model.
#
# Points on the unconstrained scale, n = number of unconstrained parameters, i = 0..n-1:
#   point 1: theta[i] = 0.1 * sin(i + 1)
#   point 2: theta[i] = 0.3 * cos(2 * i)
#   point 3: theta[i] = 0
suppressMessages({
  library(brms)
  library(rstan)
})
args <- commandArgs(TRUE)
csv <- if (length(args) >= 1) args[1] else "../shared/data/williams-seed.csv"
out <- if (length(args) >= 2) args[2] else "docs/oracles"
which_models <- if (length(args) >= 3) args[-(1:2)] else c("m1", "m2", "m3")
dir.create(out, showWarnings = FALSE, recursive = TRUE)

# The lecture formulas and priors live beside the brms spec; reuse them verbatim.
defs <- Sys.getenv("BRMS_DEFS", "/work/shared/docs/brms-fixtures/defs.R")
suppressMessages(source(defs))

d <- read.csv(csv, check.names = FALSE)

num17 <- function(x) {
  if (is.na(x)) return("null")
  if (is.infinite(x)) return(if (x > 0) "\"Infinity\"" else "\"-Infinity\"")
  s <- sprintf("%.17g", x)
  s
}
# Minimal JSON writer with full double precision; R arrays become row-major nesting
# (first index outermost), the Stan JSON convention.
to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.list(x)) {
    keys <- names(x)
    if (is.null(keys)) {
      parts <- vapply(x, to_json, "", indent = inner)
      return(paste0("[\n", inner, paste(parts, collapse = paste0(",\n", inner)), "\n", indent, "]"))
    }
    parts <- vapply(seq_along(x), function(k) {
      paste0(jsonlite::toJSON(keys[k], auto_unbox = TRUE), ": ", to_json(x[[k]], inner))
    }, "")
    return(paste0("{\n", inner, paste(parts, collapse = paste0(",\n", inner)), "\n", indent, "}"))
  }
  if (is.character(x)) {
    if (length(x) == 1) return(as.character(jsonlite::toJSON(x, auto_unbox = TRUE)))
    return(as.character(jsonlite::toJSON(x)))
  }
  dims <- dim(x)
  if (is.null(dims) || length(dims) == 1) {
    vals <- vapply(as.numeric(x), num17, "")
    if (is.null(dims) && length(x) == 1 && !isTRUE(attr(x, "as_array"))) return(vals)
    return(paste0("[", paste(vals, collapse = ", "), "]"))
  }
  rows <- lapply(seq_len(dims[1]), function(i) {
    slice <- if (length(dims) == 2) x[i, ] else array(x[i, , , drop = TRUE], dim = dims[-1])
    if (length(dims) == 2) attr(slice, "as_array") <- TRUE
    slice
  })
  paste0("[", paste(vapply(rows, to_json, "", indent = inner), collapse = ", "), "]")
}

points_for <- function(n) {
  i <- seq_len(n) - 1
  list(point1 = 0.1 * sin(i + 1), point2 = 0.3 * cos(2 * i), point3 = rep(0, n))
}

standata_summary <- function(sdata) {
  res <- list()
  for (nm in names(sdata)) {
    v <- sdata[[nm]]
    dims <- if (is.null(dim(v))) (if (length(v) == 1) integer(0) else length(v)) else dim(v)
    res[[nm]] <- list(
      type = if (is.integer(v)) "int" else "real",
      dims = structure(as.numeric(dims), as_array = TRUE),
      sum = sum(as.numeric(v)),
      sum_of_squares = sum(as.numeric(v)^2),
      first = as.numeric(v)[1],
      last = as.numeric(v)[length(v)]
    )
  }
  res
}

for (m in which_models) {
  t0 <- Sys.time()
  code <- make_stancode(forms[[m]], data = d, prior = priors[[m]])
  sdata <- make_standata(forms[[m]], data = d, prior = priors[[m]])
  sdata_list <- unclass(sdata)
  attr(sdata_list, "call") <- NULL
  writeLines(to_json(list(
    model = m,
    source = csv,
    note = "brms 2.18 make_standata: per entry type, dims, sum, sum of squares, first and last element (column-major for matrices)",
    entries = standata_summary(sdata_list)
  )), file.path(out, paste0(m, "-standata.json")))

  sm <- stan_model(model_code = code, model_name = m)
  fit <- sampling(sm, data = sdata_list, chains = 0)
  n <- get_num_upars(fit)
  pts <- points_for(n)
  results <- list()
  for (p in names(pts)) {
    u <- pts[[p]]
    lp <- log_prob(fit, u, adjust_transform = TRUE, gradient = TRUE)
    lp_nojac <- log_prob(fit, u, adjust_transform = FALSE, gradient = FALSE)
    cons <- constrain_pars(fit, u)
    for (k in names(cons)) {
      if (length(cons[[k]]) > 1 || !is.null(dim(cons[[k]]))) attr(cons[[k]], "as_array") <- TRUE
    }
    results[[p]] <- list(
      upars = structure(u, as_array = TRUE),
      log_prob = as.numeric(lp),
      log_prob_no_jacobian = as.numeric(lp_nojac),
      gradient = structure(attr(lp, "gradient"), as_array = TRUE),
      constrained = cons
    )
  }
  writeLines(to_json(list(
    model = m,
    source = csv,
    rstan = as.character(packageVersion("rstan")),
    brms = as.character(packageVersion("brms")),
    stan_version = stan_version(),
    num_upars = n,
    points_definition = "i = 0..n-1: point1 0.1*sin(i+1); point2 0.3*cos(2*i); point3 0",
    log_prob_call = "log_prob(fit, upars, adjust_transform = TRUE, gradient = TRUE); log_prob_no_jacobian uses adjust_transform = FALSE",
    points = results
  )), file.path(out, paste0(m, "-logprob.json")))
  cat(m, "done in", format(difftime(Sys.time(), t0, units = "secs")), "n =", n, "\n")
}
