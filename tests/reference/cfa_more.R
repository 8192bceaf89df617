# CFA reference cases added for issue 16: reverse-keyed marker indicators (single/multi-group,
# ML/FIML), robust ML (MLR), strict and partial invariance, and multi-group ordered items
# (WLSMV) with ordinal invariance. Writes fixtures/cfa_reversed.json, cfa_mlr.json,
# invariance_strict.json, invariance_ordinal.json.
#
# Derived data (the Python tests apply the same transformations to data/*.csv):
#   reversed:  i1 -> 6 - i1 and i5 -> 6 - i5 in bifactor (markers of g1 and g2 reverse-keyed);
#              i1 -> 6 - i1 in bifactor_missing; x1 -> 6 - x1 in twogroup.
#   twogroup_na: twogroup with x1 reversed and, by 1-based row number r, x2 missing where
#              r %% 7 == 0, x5 where r %% 11 == 3, x1 where r %% 13 == 5.
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(lavaan); library(semTools) })

SCRIPT <- "cfa_more.R"

block <- function(fit, call_text, model) {
  pe <- as.data.frame(parameterEstimates(fit)); rownames(pe) <- NULL
  ss <- as.data.frame(standardizedSolution(fit)); rownames(ss) <- NULL
  fm <- fitMeasures(fit)
  list(call = call_text, model = model,
       converged = lavInspect(fit, "converged"),
       iterations = lavInspect(fit, "iterations"),
       nobs = I(as.numeric(lavInspect(fit, "nobs"))),
       group.label = I(as.character(lavInspect(fit, "group.label"))),
       estimator = lavInspect(fit, "options")$estimator,
       test = I(lavInspect(fit, "options")$test),
       se = lavInspect(fit, "options")$se,
       missing = lavInspect(fit, "options")$missing,
       parameterization = lavInspect(fit, "options")$parameterization,
       fitMeasures = as.list(setNames(as.numeric(fm), names(fm))),
       parameterEstimates = tab(pe),
       standardizedSolution = tab(ss))
}

M3 <- "g1 =~ i1 + i2 + i3 + i4
g2 =~ i5 + i6 + i7 + i8
g3 =~ i9 + i10 + i11 + i12"
M2 <- "f1 =~ x1 + x2 + x3
f2 =~ x4 + x5 + x6"

bif <- read_data("bifactor")
bifm <- read_data("bifactor_missing")
tg <- read_data("twogroup")

## 1. reverse-keyed markers
bif_r <- bif; bif_r$i1 <- 6 - bif_r$i1; bif_r$i5 <- 6 - bif_r$i5
bifm_r <- bifm; bifm_r$i1 <- 6 - bifm_r$i1
tg_r <- tg; tg_r$x1 <- 6 - tg_r$x1
r <- seq_len(nrow(tg_r))
tg_na <- tg_r
tg_na$x2[r %% 7 == 0] <- NA; tg_na$x5[r %% 11 == 3] <- NA; tg_na$x1[r %% 13 == 5] <- NA
write_fixture("cfa", "reversed", list(
  ml = block(cfa(M3, data = bif_r), "cfa(M3, data = bifactor with i1, i5 reversed)", M3),
  ml_std_lv = block(cfa(M3, data = bif_r, std.lv = TRUE), "cfa(M3, data = bifactor reversed, std.lv = TRUE)", M3),
  fiml = block(cfa(M3, data = bifm_r, missing = "ml"), "cfa(M3, data = bifactor_missing with i1 reversed, missing = 'ml')", M3),
  mg_ml = block(cfa(M2, data = tg_r, group = "group"), "cfa(M2, data = twogroup with x1 reversed, group = 'group')", M2),
  mg_ml_scalar = block(cfa(M2, data = tg_r, group = "group", group.equal = c("loadings", "intercepts")),
                       "cfa(M2, twogroup x1 reversed, group = 'group', group.equal = c('loadings','intercepts'))", M2),
  mg_fiml = block(cfa(M2, data = tg_na, group = "group", missing = "ml"),
                  "cfa(M2, data = twogroup_na, group = 'group', missing = 'ml')", M2),
  mg_fiml_metric = block(cfa(M2, data = tg_na, group = "group", missing = "ml", group.equal = "loadings"),
                         "cfa(M2, data = twogroup_na, group = 'group', missing = 'ml', group.equal = 'loadings')", M2)
), SCRIPT)

## 2. robust ML (MLR: Yuan-Bentler-Mplus scaled test, Huber-White SEs)
mconf <- cfa(M2, data = tg, group = "group", estimator = "MLR")
mmetr <- cfa(M2, data = tg, group = "group", estimator = "MLR", group.equal = "loadings")
mscal <- cfa(M2, data = tg, group = "group", estimator = "MLR", group.equal = c("loadings", "intercepts"))
write_fixture("cfa", "mlr", list(
  lavTestLRT = tab(as.data.frame(lavTestLRT(mconf, mmetr, mscal))),
  lavTestLRT_method = "default for MLR: satorra.bentler.2001 (scaled difference)",
  mg_scalar = block(mscal, "cfa(M2, data = twogroup, group = 'group', estimator = 'MLR', group.equal = c('loadings','intercepts'))", M2),
  complete = block(cfa(M3, data = bif, estimator = "MLR"), "cfa(M3, data = bifactor, estimator = 'MLR')", M3),
  reversed = block(cfa(M3, data = bif_r, estimator = "MLR"), "cfa(M3, data = bifactor reversed, estimator = 'MLR')", M3),
  fiml = block(cfa(M3, data = bifm, estimator = "MLR", missing = "ml"),
               "cfa(M3, data = bifactor_missing, estimator = 'MLR', missing = 'ml')", M3),
  mg = block(cfa(M2, data = tg, group = "group", estimator = "MLR"),
             "cfa(M2, data = twogroup, group = 'group', estimator = 'MLR')", M2),
  mg_metric = block(cfa(M2, data = tg, group = "group", estimator = "MLR", group.equal = "loadings"),
                    "cfa(M2, data = twogroup, group = 'group', estimator = 'MLR', group.equal = 'loadings')", M2)
), SCRIPT)

## 3. strict and partial invariance (ML)
conf <- cfa(M2, data = tg, group = "group")
metr <- cfa(M2, data = tg, group = "group", group.equal = "loadings")
scal <- cfa(M2, data = tg, group = "group", group.equal = c("loadings", "intercepts"))
stri <- cfa(M2, data = tg, group = "group", group.equal = c("loadings", "intercepts", "residuals"))
pscal <- cfa(M2, data = tg, group = "group", group.equal = c("loadings", "intercepts"), group.partial = "x3~1")
pstri <- cfa(M2, data = tg, group = "group", group.equal = c("loadings", "intercepts", "residuals"),
             group.partial = c("x3~1", "x6~~x6"))
write_fixture("invariance", "strict", list(
  model = M2,
  strict = block(stri, "cfa(M2, twogroup, group='group', group.equal=c('loadings','intercepts','residuals'))", M2),
  partial_scalar = block(pscal, "cfa(M2, twogroup, group='group', group.equal=c('loadings','intercepts'), group.partial='x3~1')", M2),
  partial_strict = block(pstri, "cfa(M2, twogroup, group='group', group.equal=c('loadings','intercepts','residuals'), group.partial=c('x3~1','x6~~x6'))", M2),
  lavTestLRT = tab(as.data.frame(lavTestLRT(conf, metr, scal, stri))),
  lavTestLRT_partial = tab(as.data.frame(lavTestLRT(conf, metr, pscal, pstri)))
), SCRIPT)

## 4. multi-group ordered items (WLSMV, delta parameterisation, lavaan's default)
items <- paste0("x", 1:6)
oconf <- cfa(M2, data = tg, group = "group", ordered = items, estimator = "WLSMV")
olt <- cfa(M2, data = tg, group = "group", ordered = items, estimator = "WLSMV",
           group.equal = c("thresholds", "loadings"))
# the same constraints written by semTools::measEq.syntax (ID.fac = "std.lv", ID.cat = Wu & Estabrook 2016)
me_conf <- measEq.syntax(configural.model = M2, data = tg, ordered = items, parameterization = "delta",
                         ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", group = "group",
                         return.fit = TRUE)
me_lt <- measEq.syntax(configural.model = M2, data = tg, ordered = items, parameterization = "delta",
                       ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", group = "group",
                       group.equal = c("thresholds", "loadings"), return.fit = TRUE)
write_fixture("invariance", "ordinal", list(
  model = M2,
  configural = block(oconf, "cfa(M2, twogroup, group='group', ordered=x1..x6, estimator='WLSMV')", M2),
  lavaan_loadings_thresholds = block(olt, "cfa(M2, twogroup, group='group', ordered=x1..x6, estimator='WLSMV', group.equal=c('thresholds','loadings'))", M2),
  measEq_configural = block(me_conf, "measEq.syntax(M2, twogroup, ordered=x1..x6, parameterization='delta', ID.fac='std.lv', ID.cat='Wu.Estabrook.2016', group='group', return.fit=TRUE)", M2),
  measEq_loadings_thresholds = block(me_lt, "measEq.syntax(..., group.equal=c('thresholds','loadings'), return.fit=TRUE)", M2),
  measEq_syntax_loadings_thresholds = as.character(measEq.syntax(configural.model = M2, data = tg, ordered = items,
    parameterization = "delta", ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", group = "group",
    group.equal = c("thresholds", "loadings"))),
  lavTestLRT = tab(as.data.frame(lavTestLRT(me_conf, me_lt))),
  lavTestLRT_lavaan_group_equal = tab(as.data.frame(lavTestLRT(oconf, olt))),
  lavTestLRT_method = "default for WLSMV: satorra.2000 (scaled.shifted = TRUE, A.method = 'delta')",
  deltas = list(delta_cfi_scaled = fitMeasures(me_lt, "cfi.scaled") - fitMeasures(me_conf, "cfi.scaled"),
                delta_rmsea_scaled = fitMeasures(me_lt, "rmsea.scaled") - fitMeasures(me_conf, "rmsea.scaled"))
), SCRIPT)
