# A by-hand R computation of the likelihood-ratio DIF statistic on the graded model
# (scoring/stats/irt/dif.py), since mirt is not packaged for Debian.
# Run from anywhere:  Rscript --vanilla tests/reference/irt/dif_lr.R   (base R + jsonlite)
# Writes data/dif_sim.csv and fixtures/r_dif_lr.json.
#
# Model: Samejima's graded model in mirt's slope-intercept form, P(X >= k) = plogis(a theta + d_k),
# two groups; the reference group's theta ~ N(0, 1), the focal group's N(mu, sigma^2) free.
# Marginal likelihood on mirt's fixed quadrature: 61 equally spaced nodes on [-6, 6], weights the
# normal density renormalised on the grid (scoring/stats/irt/quadrature.py). Each model is
# maximised with optim(BFGS) from several starts; the best is kept.
#   m0:  every item equal in both groups
#   m3:  item i3's slope and intercepts free in the focal group  (G2 of i3 = 2 (l_m3 - l_m0))
#   m13: items i1 and i3 free                                   (G2 of i1 given i3 free = 2 (l_m13 - l_m3))
suppressPackageStartupMessages(library(jsonlite))

here <- local({
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 1) normalizePath(dirname(f)) else normalizePath(".")
})

set.seed(16016)
J <- 5; n <- c(400, 400)
a <- c(1.6, 1.3, 1.8, 1.1, 1.4)
d <- rbind(c(2.2, 0.4, -1.6), c(1.8, 0.0, -1.9), c(2.5, 0.6, -1.2), c(1.5, -0.2, -2.0), c(2.0, 0.2, -1.4))
group <- rep(c("ref", "foc"), n)
theta <- c(rnorm(n[1]), rnorm(n[2], 0.4, 1.1))
x <- sapply(1:J, function(j) {
  dj <- matrix(d[j, ], length(theta), 3, byrow = TRUE)
  dj[group == "foc", ] <- dj[group == "foc", ] + if (j == 3) -0.9 else 0   # uniform DIF in i3
  p <- plogis(a[j] * theta + dj)
  rowSums(runif(length(theta)) < p)        # categories 0..3
})
colnames(x) <- paste0("i", 1:J)
x[sample(length(x), 60)] <- NA
out <- data.frame(group = group, x)
write.csv(out, file.path(here, "data", "dif_sim.csv"), row.names = FALSE, na = "")

nodes <- seq(-6, 6, length.out = 61)
wts <- function(mu, s) { w <- dnorm(nodes, mu, s); w / sum(w) }
X <- x; g <- group == "foc"

# parameters: per item block (a, d1, log(d1 - d2), log(d2 - d3)); then mu, log sigma
item_pars <- function(p) list(a = p[1], d = cumsum(c(p[2], -exp(p[3:4]))))
loglik <- function(par, free) {
  nb <- J + length(free)
  blocks <- lapply(1:nb, function(b) item_pars(par[(4 * b - 3):(4 * b)]))
  mu <- par[4 * nb + 1]; s <- exp(par[4 * nb + 2])
  total <- 0
  for (gg in c(FALSE, TRUE)) {
    rows <- which(g == gg)
    logL <- matrix(0, length(rows), length(nodes))
    for (j in 1:J) {
      b <- if (gg && j %in% free) J + match(j, free) else j
      it <- blocks[[b]]
      pstar <- cbind(1, sapply(it$d, function(dk) plogis(it$a * nodes + dk)), 0)
      pk <- pstar[, 1:4] - pstar[, 2:5]                      # nodes x categories
      xj <- X[rows, j]; ok <- !is.na(xj)
      logL[ok, ] <- logL[ok, ] + t(log(pk[, xj[ok] + 1]))
    }
    w <- if (gg) wts(mu, s) else wts(0, 1)
    m <- apply(logL, 1, max)
    total <- total + sum(m + log(exp(logL - m) %*% w))
  }
  total
}
fit <- function(free) {
  start_item <- c(1.2, 1.5, log(1.8), log(1.8))
  nb <- J + length(free)
  best <- NULL
  for (s in 1:3) {
    p0 <- c(rep(start_item, nb) + rnorm(4 * nb, 0, 0.1 * (s - 1)), 0, 0)
    o <- optim(p0, function(p) -loglik(p, free), method = "BFGS",
               control = list(maxit = 5000, reltol = 1e-14))
    if (is.null(best) || o$value < best$value) best <- o
  }
  best
}
m0 <- fit(integer(0)); m3 <- fit(3L); m13 <- fit(c(1L, 3L))
res <- list(
  script = "dif_lr.R", versions = list(R = paste(R.version$major, R.version$minor, sep = ".")),
  data = "data/dif_sim.csv", quadrature = "61 equally spaced nodes on [-6, 6], N(mu, sigma) density renormalised",
  loglik = list(m0 = -m0$value, m3 = -m3$value, m13 = -m13$value),
  G2 = list(i3_vs_all_equal = 2 * (m0$value - m3$value), i1_given_i3_free = 2 * (m3$value - m13$value)),
  df = list(i3 = 4, i1 = 4),
  focal_mean_m0 = m0$par[4 * J + 1], focal_sd_m0 = exp(m0$par[4 * J + 2]),
  convergence = list(m0 = m0$convergence, m3 = m3$convergence, m13 = m13$convergence)
)
write_json(res, file.path(here, "fixtures", "r_dif_lr.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
message("wrote fixtures/r_dif_lr.json")
