# Cronbach's alpha, Guttman lambdas and split-half reliability (psych).
# Writes fixtures/alpha_<dataset>.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(psych))

SCRIPT <- "alpha.R"

# Serialise a psych::alpha object.
alpha_block <- function(a, call_text) {
  tot <- a$total
  out <- list(
    call = call_text,
    total = as.list(setNames(as.numeric(tot[1, ]), colnames(tot))),
    feldt = list(lower.ci = num(a$feldt$lower.ci), alpha = num(a$feldt$alpha),
                 upper.ci = num(a$feldt$upper.ci), r.bar = num(a$feldt$r.bar)),
    alpha.drop = tab(a$alpha.drop),
    item.stats = tab(a$item.stats),
    response.freq = tab(a$response.freq),
    keys = lapply(a$keys, as.character),
    nvar = a$nvar,
    Unidim = num(a$Unidim),
    var.r = num(a$var.r),
    Fit = num(a$Fit)
  )
  if (!is.null(tot$ase)) {
    out$duhachek <- list(lower = tot$raw_alpha - 1.96 * tot$ase, alpha = tot$raw_alpha,
                         upper = tot$raw_alpha + 1.96 * tot$ase)
  }
  out
}

# Feldt (1987) CI as in psych::alpha.ci, written out: F-distribution with
# df1 = n - 1, df2 = (n - 1)(k - 1); n = number of ROWS given to alpha (nsub), k = items.
feldt_by_hand <- function(alpha, n, k, p = 0.05) {
  df1 <- n - 1; df2 <- (n - 1) * (k - 1)
  list(n = n, k = k, df1 = df1, df2 = df2,
       lower = 1 - (1 - alpha) * qf(1 - p / 2, df1, df2),
       upper = 1 - (1 - alpha) * qf(p / 2, df1, df2),
       formula = "lower = 1 - (1 - alpha) * qf(0.975, n-1, (n-1)(k-1)); upper = 1 - (1 - alpha) * qf(0.025, n-1, (n-1)(k-1)); n = nrow(data) incl. incomplete rows")
}

# Duhachek & Iacobucci (2004) ASE, written out (psych's Q in alpha.1): ase = sqrt(Q / n)
duhachek_by_hand <- function(C, n) {
  k <- ncol(C); j <- matrix(1, k, 1)
  sC <- sum(C); trC <- sum(diag(C)); CC <- C %*% C
  Q <- (2 * k^2 / ((k - 1)^2 * sC^3)) * (sC * (sum(diag(CC)) + trC^2) - 2 * trC * sum(CC))
  list(Q = Q, n = n, ase = sqrt(Q / n),
       formula = "Q = 2k^2/((k-1)^2 (1'C1)^3) * [ (1'C1)(tr(C^2) + tr(C)^2) - 2 tr(C) (1'C^2 1) ]; ase = sqrt(Q/n), n = nrow(data)")
}

lambdas_by_hand <- function(C) {
  k <- ncol(C); Vt <- sum(C)
  off <- C; diag(off) <- 0
  smc_c <- psych::smc(C, covar = TRUE)   # residual-free part of each item's variance
  list(
    lambda1 = 1 - sum(diag(C)) / Vt,
    lambda2 = (sum(off) + sqrt(k / (k - 1) * sum(off^2))) / Vt,
    lambda3_alpha = k / (k - 1) * (1 - sum(diag(C)) / Vt),
    lambda6 = (sum(off) + sum(smc_c)) / Vt,
    formula = paste("C = cov(x, use='pairwise'); lambda1 = 1 - tr(C)/sum(C);",
                    "lambda2 = (sum_offdiag(C) + sqrt(k/(k-1) * sum_offdiag(C^2)))/sum(C);",
                    "lambda6 = (sum_offdiag(C) + sum(smc_j * C_jj)) / sum(C) with psych::smc(C, covar=TRUE)")
  )
}

split_block <- function(s) {
  list(maxrb = s$maxrb, minrb = s$minrb, meanr = s$meanr, av.r = s$av.r, med.r = s$med.r,
       alpha = s$alpha, lambda2 = s$lambda2, lambda6 = s$lambda6,
       maxAB = lapply(s$maxAB, I), minAB = lapply(s$minAB, I))
}

run_alpha <- function(x, dataset, extra = list()) {
  items <- colnames(x)
  res <- list(items = I(items), n_rows = nrow(x), n_complete = sum(complete.cases(x)))

  a_pw <- alpha(x)                           # psych defaults: use = "pairwise", check.keys = FALSE
  res$pairwise <- alpha_block(a_pw, "psych::alpha(x)")
  C <- cov(x, use = "pairwise")
  res$pairwise$feldt_by_hand <- feldt_by_hand(a_pw$total$raw_alpha, nrow(x), ncol(x))
  res$pairwise$duhachek_by_hand <- duhachek_by_hand(C, nrow(x))
  res$pairwise$lambdas_cov_by_hand <- lambdas_by_hand(C)

  xl <- na.omit(x)
  a_lw <- alpha(as.data.frame(xl))
  res$listwise <- alpha_block(a_lw, "psych::alpha(na.omit(x))")
  res$listwise$n <- nrow(xl)
  res$listwise$lambdas_cov_by_hand <- lambdas_by_hand(cov(xl))

  # splitHalf: default works on the correlation matrix (covar = FALSE);
  # covar = TRUE gives the raw-covariance versions. All splits enumerated when
  # choose(k, k/2)/2 <= 10000, so results are deterministic.
  res$splitHalf <- split_block(splitHalf(x))
  res$splitHalf_covar <- split_block(splitHalf(x, covar = TRUE))
  res$splitHalf_listwise <- split_block(splitHalf(as.data.frame(xl)))
  c(res, extra)
}

if (sys.nframe() == 0) {
  ## bifactor (+ a variant with i4 reverse-keyed, for check.keys)
  bif <- read_data("bifactor")
  rev <- bif; rev$i4 <- 6 - rev$i4
  cap_nokeys <- capture(alpha(rev, check.keys = FALSE))
  cap_keys <- capture(alpha(rev, check.keys = TRUE))
  extra <- list(reversed_i4 = list(
    note = "x = bifactor with i4 replaced by 6 - i4",
    check_keys_FALSE = c(alpha_block(cap_nokeys$value, "psych::alpha(x, check.keys=FALSE)"),
                         list(warnings = I(cap_nokeys$warnings))),
    check_keys_TRUE = c(alpha_block(cap_keys$value, "psych::alpha(x, check.keys=TRUE)"),
                        list(warnings = I(cap_keys$warnings))),
    keys_i4 = alpha_block(alpha(rev, keys = c("i4")), "psych::alpha(x, keys=c('i4'))")
  ))
  write_fixture("alpha", "bifactor", run_alpha(bif, "bifactor", extra), SCRIPT)

  ## bifactor_missing
  write_fixture("alpha", "bifactor_missing", run_alpha(read_data("bifactor_missing"), "bifactor_missing"), SCRIPT)

  ## multilevel items (small k = 4, some NA)
  ml <- read_data("multilevel")
  write_fixture("alpha", "multilevel", run_alpha(ml[, c("m1", "m2", "m3", "m4")], "multilevel"), SCRIPT)

  ## ordinal raw item scores (Pearson alpha; ordinal alpha is in ordinal_ordinal.json)
  write_fixture("alpha", "ordinal", run_alpha(read_data("ordinal"), "ordinal"), SCRIPT)

  ## twogroup, per group and pooled, items x1..x6
  tg <- read_data("twogroup")
  items6 <- paste0("x", 1:6)
  tgres <- run_alpha(tg[, items6], "twogroup")
  tgres$by_group <- lapply(split(tg[, items6], tg$group), function(d) {
    alpha_block(alpha(d), "psych::alpha(x[group == g, ])")
  })
  write_fixture("alpha", "twogroup", tgres, SCRIPT)
}
