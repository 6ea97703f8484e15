# Writes posterior_summary.csv: posterior::summarise_draws of the four chain files here, every
# number at 17 significant digits. Run in this directory:  Rscript posterior_summary.R
# (R 4, posterior 1.4.0, Debian's r-cran-posterior).
library(posterior)
files <- sprintf("eight_schools_centered_%d.csv", 1:4)
chains <- lapply(files, function(f) as.matrix(read.csv(f, comment.char = "#", check.names = FALSE)))
draws <- array(unlist(chains), dim = c(nrow(chains[[1]]), ncol(chains[[1]]), length(chains)))
draws <- aperm(draws, c(1, 3, 2))
dimnames(draws) <- list(NULL, NULL, colnames(chains[[1]]))
draws <- as_draws_array(draws)
summary <- summarise_draws(draws)
wide <- summarise_draws(draws, mcse_mean, ~quantile2(.x, probs = c(0.025, 0.975)))
summary <- merge(summary, wide, by = "variable", sort = FALSE)
numeric <- vapply(summary, is.numeric, logical(1))
summary[numeric] <- lapply(summary[numeric], function(x) sprintf("%.17g", x))
write.csv(summary, "posterior_summary.csv", row.names = FALSE, quote = FALSE)
