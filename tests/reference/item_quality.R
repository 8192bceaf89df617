# Item-level quality (psych): item-rest r (r.drop), alpha if dropped, one-factor loadings,
# and the answer shares, on simulated answers with a "don't know" code (9) and blanks (NA).
# Writes data/item_quality.csv and fixtures/item_quality_sim.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(psych))

SCRIPT <- "item_quality.R"
set.seed(20261204)
n <- 400
# q1-q4 good items, q5 weak (loading .15), q6 near the ceiling (shifted up), all 1..5.
lam <- c(0.75, 0.70, 0.65, 0.60, 0.15, 0.55)
shift <- c(0, 0.2, -0.2, 0, 0, 2.2)
f <- rnorm(n)
ystar <- outer(f, lam) + sapply(lam, function(l) rnorm(n, sd = sqrt(1 - l^2)))
ystar <- sweep(ystar, 2, shift, "+")
x <- apply(ystar, 2, function(y) as.integer(cut(y, c(-Inf, -1.4, -0.5, 0.4, 1.2, Inf))))
colnames(x) <- paste0("q", 1:6)
# "don't know" = 9: 3% of q1-q4 and q6, 25% of q5; blank: 4% of every item, 15% of q4.
dk <- matrix(runif(n * 6) < rep(c(.03, .03, .03, .03, .25, .03), each = n), n)
blank <- matrix(runif(n * 6) < rep(c(.04, .04, .04, .15, .04, .04), each = n), n)
x[dk] <- 9L
x[blank & !dk] <- NA
write.csv(as.data.frame(x), file.path(DATA_DIR, "item_quality.csv"), row.names = FALSE, na = "")

valid <- x
valid[valid == 9] <- NA
a <- psych::alpha(as.data.frame(valid), check.keys = FALSE, warnings = FALSE)
fa1 <- psych::fa(as.data.frame(valid), nfactors = 1)   # minres, pairwise (defaults)
shares <- t(sapply(colnames(x), function(j) {
  v <- valid[, j]; v <- v[!is.na(v)]
  c(sapply(1:5, function(k) mean(v == k)),
    dont_know = mean(x[, j] %in% 9), missing = mean(is.na(x[, j])),
    floor = mean(v == 1), ceiling = mean(v == 5))
}))
colnames(shares)[1:5] <- as.character(1:5)

write_fixture("item_quality", "sim", list(
  calls = c("psych::alpha(valid, check.keys = FALSE)", "psych::fa(valid, nfactors = 1)", "9 -> NA in valid"),
  raw_alpha = num(a$total$raw_alpha),
  r.drop = vec(setNames(a$item.stats$r.drop, rownames(a$item.stats))),
  alpha.drop = vec(setNames(a$alpha.drop$raw_alpha, rownames(a$alpha.drop))),
  loadings = vec(setNames(as.numeric(fa1$loadings[, 1]), rownames(fa1$loadings))),
  shares = tab(shares)
), SCRIPT)
