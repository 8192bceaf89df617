# rwg and rwg(j) with a null variance given directly, for non-uniform nulls and for a scale that
# is not 1..A, and Lindell's r*wg(j) (multilevel 2.7). Writes fixtures/agreement_null_multilevel.json.
#   uniform:      ranvar = (A^2 - 1)/12 = 2 for A = 5 (multilevel's default)
#   slight skew:  p = (.05, .15, .20, .35, .25) over 1..5 (LeBreton & Senter 2008, Table 2);
#                 ranvar = sum(p (k - mu)^2) = 1.34 (mu = 3.6), the table's value
#   doubled:      the items on 2, 4, .., 10 (step 2): uniform ranvar = 4 (A^2 - 1)/12 = 8
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(multilevel))

SCRIPT <- "agreement_null.R"
ml <- read_data("multilevel")
x <- ml[, c("m1", "m2", "m3", "m4")]
grp <- ml$unit

null_var <- function(p, values) { mu <- sum(p * values); sum(p * (values - mu)^2) }
skew_p <- c(.05, .15, .20, .35, .25)
skew <- null_var(skew_p, 1:5)
doubled <- null_var(rep(.2, 5), seq(2, 10, by = 2))

block <- function(f, ..., column) {
  out <- f(...)
  rownames(out) <- NULL
  list(table = tab(out), summary = list(mean = mean(out[[column]], na.rm = TRUE),
                                        median = median(out[[column]], na.rm = TRUE)))
}

res <- list(
  items = I(colnames(x)), n_rows = nrow(x),
  null_variances = list(uniform = 2, skew = skew, skew_p = skew_p, doubled = doubled,
                        formula = "sum(p * (k - sum(p * k))^2) over the response options k"),
  rwg_m1_skew = c(list(call = "multilevel::rwg(x$m1, unit, ranvar = skew)"),
                  block(rwg, x$m1, grp, ranvar = skew, column = "rwg")),
  rwg_j_skew = c(list(call = "multilevel::rwg.j(x, unit, ranvar = skew)"),
                 block(rwg.j, x, grp, ranvar = skew, column = "rwg.j")),
  rwg_j_doubled = c(list(call = "multilevel::rwg.j(2 * x, unit, ranvar = 8)"),
                    block(rwg.j, 2 * x, grp, ranvar = doubled, column = "rwg.j")),
  lindell_uniform = c(list(call = "multilevel::rwg.j.lindell(x, unit, ranvar = 2)"),
                      block(rwg.j.lindell, x, grp, ranvar = 2, column = "rwg.lindell")),
  lindell_skew = c(list(call = "multilevel::rwg.j.lindell(x, unit, ranvar = skew)"),
                   block(rwg.j.lindell, x, grp, ranvar = skew, column = "rwg.lindell"))
)
# rwg.j.lindell(one column, ...) fails in multilevel 2.7 ("argument is of length zero": the
# one-column data frame is split into vectors); for one item r*wg is 1 - S^2/ranvar, untruncated.
write_fixture("agreement_null", "multilevel", res, SCRIPT)
