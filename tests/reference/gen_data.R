# Generate the reference datasets in data/*.csv (seeded; deterministic for a given R version).
# RNG: R >= 3.6 defaults (Mersenne-Twister, Inversion, Rejection sampling).
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

write_data <- function(df, name) {
  path <- file.path(DATA_DIR, paste0(name, ".csv"))
  write.csv(df, path, row.names = FALSE, na = "")
  message("wrote ", path, " (", nrow(df), " rows)")
}

# Discretise a continuous variable into 1..(length(cuts)+1)
cut_items <- function(y, cuts) 1L + findInterval(y, cuts)

## ---------------------------------------------------------------- bifactor
# General factor + 3 group factors (items 1-4, 5-8, 9-12), all factors orthogonal N(0,1).
set.seed(20261123)
n <- 600
lg <- c(.60, .55, .50, .58, .52, .57, .54, .60, .50, .56, .53, .59)   # general loadings
ls <- c(.45, .35, .50, .30, .40, .48, .33, .42, .38, .50, .31, .46)   # group loadings
grp <- rep(1:3, each = 4)
shift <- c(-.3, 0, .3, -.5, .2, 0, -.2, .4, 0, -.1, .5, .1)           # item difficulty shift
cuts5 <- c(-1.6, -0.6, 0.3, 1.2)
G <- rnorm(n)
S <- matrix(rnorm(n * 3), n, 3)
bif <- matrix(NA_integer_, n, 12)
for (j in 1:12) {
  e <- rnorm(n, sd = sqrt(1 - lg[j]^2 - ls[j]^2))
  ystar <- lg[j] * G + ls[j] * S[, grp[j]] + e
  bif[, j] <- cut_items(ystar + shift[j], cuts5)
}
bif <- as.data.frame(bif)
names(bif) <- paste0("i", 1:12)
write_data(bif, "bifactor")

## ---------------------------------------------------------------- bifactor_missing
# Same values, each cell independently set to NA with probability .08 (MCAR).
set.seed(8)
bifm <- bif
mask <- matrix(runif(n * 12) < 0.08, n, 12)
bifm[mask] <- NA
write_data(bifm, "bifactor_missing")

## ---------------------------------------------------------------- multilevel
# 45 units; person trait = unit effect u_j (sd .50) + individual N(0,1); 4 items with loading .7.
set.seed(45)
sizes <- c(2, 2, 3, 3, 4, 4, 2, sample(5:40, 38, replace = TRUE))
units <- sprintf("u%02d", seq_along(sizes))
unit <- rep(units, sizes)
u <- rnorm(length(sizes), sd = 0.50)
names(u) <- units
trait <- u[unit] + rnorm(length(unit))
ml <- data.frame(unit = unit, stringsAsFactors = FALSE)
for (j in 1:4) {
  ystar <- 0.7 * trait + rnorm(length(unit), sd = sqrt(0.51))
  ml[[paste0("m", j)]] <- cut_items(ystar + c(0.2, 0, -0.1, 0.3)[j], c(-1.5, -0.5, 0.5, 1.5))
}
# a few missing values: ~1.5% of item cells, plus one respondent with all items missing
N <- nrow(ml)
miss <- matrix(runif(N * 4) < 0.015, N, 4)
for (j in 1:4) ml[miss[, j], 1 + j] <- NA
big <- which(ml$unit == units[which.max(sizes)])[1]
ml[big, 2:5] <- NA
# in unit u01 (size 2) the second person misses m1 -> only one valid m1 response in that unit
ml[which(ml$unit == "u01")[2], "m1"] <- NA
ml <- ml[sample(N), ]      # rows in random order (units not contiguous)
write_data(ml, "multilevel")

## ---------------------------------------------------------------- twogroup
# Two groups a/b, 400 each; 2 correlated factors (r = .4): f1 -> x1-x3, f2 -> x4-x6.
# Same loadings, same latent distribution; x3's intercept is shifted by +0.5 in group b.
set.seed(2)
lam <- c(.70, .60, .65, .70, .60, .55)
fac <- c(1, 1, 1, 2, 2, 2)
make_group <- function(g, n, x3shift) {
  z1 <- rnorm(n); z2 <- 0.4 * z1 + sqrt(1 - 0.4^2) * rnorm(n)
  F <- cbind(z1, z2)
  out <- data.frame(group = rep(g, n), stringsAsFactors = FALSE)
  for (j in 1:6) {
    ystar <- lam[j] * F[, fac[j]] + rnorm(n, sd = sqrt(1 - lam[j]^2))
    if (j == 3) ystar <- ystar + x3shift
    out[[paste0("x", j)]] <- cut_items(ystar, c(-1.5, -0.5, 0.5, 1.5))
  }
  out
}
tg <- rbind(make_group("a", 400, 0), make_group("b", 400, 0.5))
write_data(tg, "twogroup")

## ---------------------------------------------------------------- ordinal
# One factor, 6 items, 4 categories (1..4), item-specific thresholds.
set.seed(500)
n <- 500
lo <- c(.80, .75, .70, .65, .60, .55)
th <- list(c(-1.0, 0.0, 1.0), c(-1.2, -0.2, 0.9), c(-0.8, 0.3, 1.3),
           c(-1.5, -0.4, 0.6), c(-0.3, 0.6, 1.6), c(-1.8, -0.9, 0.2))
F <- rnorm(n)
ord <- data.frame(matrix(NA_integer_, n, 6))
for (j in 1:6) {
  ystar <- lo[j] * F + rnorm(n, sd = sqrt(1 - lo[j]^2))
  ord[, j] <- cut_items(ystar, th[[j]])
}
names(ord) <- paste0("o", 1:6)
write_data(ord, "ordinal")

## ---------------------------------------------------------------- constant
# Degenerate: 5 rows; c2 constant; c4 identical to c1 (collinear).
cst <- data.frame(c1 = c(1, 2, 3, 4, 5),
                  c2 = c(3, 3, 3, 3, 3),
                  c3 = c(2, 2, 4, 3, 5),
                  c4 = c(1, 2, 3, 4, 5))
write_data(cst, "constant")
