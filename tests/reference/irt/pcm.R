# eRm reference fixtures for the partial credit model (scoring/stats/irt/pcm.py).
# Run from anywhere:  Rscript --vanilla tests/reference/irt/pcm.R
# Needs the Debian packages r-base r-cran-erm r-cran-jsonlite.
# Writes data/pcm_{sim,unequal}.csv (simulated, fixed seeds) and fixtures/erm_pcm_{science,sim,unequal}.json.

suppressPackageStartupMessages({
  library(eRm)
  library(jsonlite)
})

here <- local({
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 1) normalizePath(dirname(f)) else normalizePath(".")
})
data_dir <- file.path(here, "data")
fix_dir <- file.path(here, "fixtures")
dir.create(fix_dir, showWarnings = FALSE)

versions <- list(R = paste(R.version$major, R.version$minor, sep = "."),
                 eRm = as.character(packageVersion("eRm")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# Simulated PCM data: 600 persons, items with m + 1 categories (codes 0..m), theta ~ N(0, 1),
# thresholds spread around item locations; a share of cells missing (MCAR).
simulate <- function(m, missing, seed) {
  set.seed(seed)
  n <- 600
  loc <- c(-0.8, -0.3, 0, 0.2, 0.5, 0.9)
  theta <- rnorm(n)
  X <- matrix(NA_integer_, n, length(m))
  for (i in seq_along(m)) {
    tau <- loc[i] + seq(-1, 1, length.out = m[i])
    logits <- sapply(0:m[i], function(h) h * theta - if (h == 0) 0 else sum(tau[1:h]))
    p <- exp(logits - apply(logits, 1, max))
    p <- p / rowSums(p)
    X[, i] <- apply(p, 1, function(pr) sample(0:m[i], 1, prob = pr))
  }
  X[matrix(runif(length(X)) < missing, n)] <- NA
  colnames(X) <- paste0("p", seq_along(m))
  X
}

fixture <- function(name, X, call) {
  fit <- PCM(X)
  th <- thresholds(fit)
  pp <- person.parameter(fit)
  theta <- coef(pp)[rownames(X)]
  se <- unlist(unname(pp$se.theta))[rownames(X)]
  raw <- rowSums(X, na.rm = TRUE)
  maxs <- rowSums((!is.na(X)) * matrix(apply(X, 2, max, na.rm = TRUE), nrow(X), ncol(X), byrow = TRUE))
  out <- list(
    fixture = paste0("erm_pcm_", name), dataset = name, script = "pcm.R", versions = versions,
    call = call, items = colnames(X), n = nrow(X),
    loglik = fit$loglik, npar = fit$npar, iter = fit$iter,
    betapar = as.list(fit$betapar), se_beta = as.list(setNames(fit$se.beta, names(fit$betapar))),
    etapar = as.list(fit$etapar), se_eta = as.list(setNames(fit$se.eta, names(fit$etapar))),
    threshpar = as.list(th$threshpar), se_thresh = as.list(th$se.thresh),
    threshtable = lapply(seq_len(nrow(th$threshtable[[1]])), function(i) as.list(th$threshtable[[1]][i, ])),
    persons = list(theta = unname(theta), se = unname(se), extreme = unname(raw == 0 | raw == maxs))
  )
  names(out$threshtable) <- rownames(th$threshtable[[1]])
  write_json(out, file.path(fix_dir, paste0("erm_pcm_", name, ".json")),
             digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

sci <- read.csv(file.path(data_dir, "science.csv"))
X <- as.matrix(sci[rep(seq_len(nrow(sci)), sci$freq), c("Comfort", "Work", "Future", "Benefit")]) - 1L
rownames(X) <- paste0("P", seq_len(nrow(X)))
fixture("science", X, "PCM(X); X = Science (mirt) expanded from data/science.csv, codes 1-4 minus 1")

# With missing answers: six items with four categories each (eRm 1.0-2 groups persons by their
# answered items; with unequal numbers of categories and a missing answer in an item other than
# the last, its log-likelihood is not the conditional likelihood -- see README.md -- so the
# missing-data fixture keeps the categories equal).
X <- simulate(c(3, 3, 3, 3, 3, 3), missing = 0.06, seed = 20261201)
write.csv(X, file.path(data_dir, "pcm_sim.csv"), row.names = FALSE, na = "")
rownames(X) <- paste0("P", seq_len(nrow(X)))
fixture("sim", X, "PCM(X); X = data/pcm_sim.csv (simulate(c(3,3,3,3,3,3), 0.06, 20261201) in pcm.R)")

# Unequal numbers of categories (3, 4, 5, 3, 4, 5), complete data.
X <- simulate(c(2, 3, 4, 2, 3, 4), missing = 0, seed = 20261202)
write.csv(X, file.path(data_dir, "pcm_unequal.csv"), row.names = FALSE, na = "")
rownames(X) <- paste0("P", seq_len(nrow(X)))
fixture("unequal", X, "PCM(X); X = data/pcm_unequal.csv (simulate(c(2,3,4,2,3,4), 0, 20261202) in pcm.R)")
cat("pcm.R: fixtures written to", fix_dir, "\n")
