# Aggregation / within-unit agreement (multilevel package).
# Writes fixtures/multilevel_multilevel.json. multilevel_block() is reused by responses.R.
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(multilevel))

SCRIPT <- "multilevel.R"

summ <- function(v) list(mean = mean(v, na.rm = TRUE), median = median(v, na.rm = TRUE),
                         n_units = length(v), n_na = sum(is.na(v)))

icc_block <- function(y, grp) {
  a <- aov(y ~ as.factor(grp))
  s <- summary(a)[[1]]
  dfb <- s[1, 1]; dfw <- s[2, 1]
  list(
    call = "multilevel::ICC1(aov(y ~ as.factor(unit))); multilevel::ICC2(same)",
    ICC1 = ICC1(a), ICC2 = ICC2(a),
    MSB = s[1, 3], MSW = s[2, 3], df_between = dfb, df_within = dfw,
    n_used = dfb + dfw + 1, n_groups = dfb + 1,
    gsize_used = (dfw + dfb + 1) / (dfb + 1),
    F = s[1, 4], p = s[1, 5],
    note = "ICC1 = (MSB-MSW)/(MSB+(k-1)MSW) with k = N/J (plain mean group size of rows used by aov, NA rows dropped); ICC2 = (MSB-MSW)/MSB"
  )
}

# x: data.frame with the item columns; grp: unit vector. Score = row mean of available items.
multilevel_block <- function(x, grp, A = 5, lo = 1, hi = 5) {
  items <- colnames(x)
  score <- rowMeans(x, na.rm = TRUE)
  score[is.nan(score)] <- NA
  ranvar <- (A^2 - 1) / 12
  first <- items[1]

  r1 <- rwg(x[[first]], grp, ranvar = ranvar)
  rj <- rwg.j(x, grp, ranvar = ranvar)
  aw <- awg(score, grp, range = c(lo, hi))
  awi <- awg(x, grp, range = c(lo, hi))
  adm <- ad.m(score, grp, type = "mean")
  admd <- ad.m(score, grp, type = "median")
  admi <- ad.m(x, grp, type = "mean")
  admdi <- ad.m(x, grp, type = "median")
  rownames(r1) <- rownames(rj) <- rownames(aw) <- rownames(awi) <- NULL
  rownames(adm) <- rownames(admd) <- rownames(admi) <- rownames(admdi) <- NULL
  list(
    items = I(items),
    n_rows = nrow(x),
    n_units = length(unique(grp)),
    score_rule = "score = rowMeans(items, na.rm = TRUE); NA if no item answered",
    score_n = sum(!is.na(score)),
    icc_score = icc_block(score, grp),
    icc_items = lapply(setNames(items, items), function(it) icc_block(x[[it]], grp)),
    rwg = list(call = sprintf("multilevel::rwg(x$%s, unit, ranvar = %s)", first, format(ranvar, digits = 17)),
               item = first, ranvar = ranvar, table = tab(r1), summary = summ(r1$rwg)),
    rwg.j = list(call = sprintf("multilevel::rwg.j(x[, items], unit, ranvar = %s)", format(ranvar, digits = 17)),
                 ranvar = ranvar, table = tab(rj), summary = summ(rj$rwg.j)),
    awg_score = list(call = sprintf("multilevel::awg(score, unit, range = c(%d, %d))", lo, hi),
                     table = tab(aw), summary = summ(aw$a.wg)),
    awg_items = list(call = sprintf("multilevel::awg(x[, items], unit, range = c(%d, %d))", lo, hi),
                     table = tab(awi), summary = summ(awi$a.wg)),
    ad_mean_score = list(call = "multilevel::ad.m(score, unit, type = 'mean')",
                         table = tab(adm), summary = summ(adm$AD.M)),
    ad_median_score = list(call = "multilevel::ad.m(score, unit, type = 'median')",
                           table = tab(admd), summary = summ(admd$AD.M)),
    ad_mean_items = list(call = "multilevel::ad.m(x[, items], unit, type = 'mean')",
                         table = tab(admi), summary = summ(admi$AD.M)),
    ad_median_items = list(call = "multilevel::ad.m(x[, items], unit, type = 'median')",
                           table = tab(admdi), summary = summ(admdi$AD.M)),
    unit_means = tab(data.frame(grpid = sort(unique(grp)),
                                n = as.vector(table(grp)[sort(unique(grp))]),
                                score_mean = as.vector(tapply(score, grp, mean, na.rm = TRUE)[sort(unique(grp))]),
                                score_n = as.vector(tapply(!is.na(score), grp, sum)[sort(unique(grp))]),
                                stringsAsFactors = FALSE))
  )
}

if (sys.nframe() == 0) {
  ml <- read_data("multilevel")
  res <- multilevel_block(ml[, c("m1", "m2", "m3", "m4")], ml$unit)
  write_fixture("multilevel", "multilevel", res, SCRIPT)
}
