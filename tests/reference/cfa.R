# Confirmatory factor analysis (lavaan), composite reliability (semTools::compRelSEM),
# measurement invariance. Writes fixtures/cfa_<dataset>.json, invariance_twogroup.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(lavaan); library(semTools) })

SCRIPT <- "cfa.R"

MAIN_FM <- c("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
             "rmsea.ci.upper", "rmsea.pvalue", "srmr")
SCALED_FM <- c("chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor",
               "cfi.scaled", "tli.scaled", "rmsea.scaled", "rmsea.ci.lower.scaled",
               "rmsea.ci.upper.scaled", "cfi.robust", "tli.robust", "rmsea.robust",
               "rmsea.ci.lower.robust", "rmsea.ci.upper.robust")

fit_block <- function(fit, call_text, model) {
  fm <- fitMeasures(fit)
  fm_list <- as.list(setNames(as.numeric(fm), names(fm)))
  main <- fm_list[intersect(c(MAIN_FM, SCALED_FM), names(fm_list))]
  ss <- standardizedSolution(fit)
  pe <- parameterEstimates(fit, standardized = FALSE)
  ss <- as.data.frame(ss); pe <- as.data.frame(pe)
  rownames(ss) <- NULL; rownames(pe) <- NULL
  cr <- capture(compRelSEM(fit))
  out <- list(
    call = call_text,
    model = model,
    converged = lavInspect(fit, "converged"),
    nobs = I(as.numeric(lavInspect(fit, "nobs"))),        # per group; after listwise deletion
    norig = I(as.numeric(lavInspect(fit, "norig"))),
    ngroups = lavInspect(fit, "ngroups"),
    group.label = I(as.character(lavInspect(fit, "group.label"))),
    estimator = lavInspect(fit, "options")$estimator,
    test = I(lavInspect(fit, "options")$test),
    missing = lavInspect(fit, "options")$missing,
    fit = main,
    fitMeasures = fm_list,
    standardizedSolution = tab(ss),
    parameterEstimates = tab(pe),
    compRelSEM = if (is.null(cr$value)) NULL else vec(cr$value),
    compRelSEM_warnings = I(cr$warnings),
    compRelSEM_error = cr$error
  )
  out
}

M3 <- "g1 =~ i1 + i2 + i3 + i4
g2 =~ i5 + i6 + i7 + i8
g3 =~ i9 + i10 + i11 + i12"
M1 <- "f =~ i1 + i2 + i3 + i4"
M12 <- "f =~ i1 + i2 + i3 + i4 + i5 + i6 + i7 + i8 + i9 + i10 + i11 + i12"   # misspecified on purpose

## bifactor: ML, complete data
bif <- read_data("bifactor")
write_fixture("cfa", "bifactor", list(
  three_factor = fit_block(cfa(M3, data = bif), "lavaan::cfa(M3, data=x)", M3),
  one_factor = fit_block(cfa(M1, data = bif), "lavaan::cfa(M1, data=x)", M1),
  one_factor_12_ml = fit_block(cfa(M12, data = bif), "lavaan::cfa(M12, data=x)", M12),
  one_factor_12_wlsmv = fit_block(cfa(M12, data = bif, ordered = colnames(bif), estimator = "WLSMV"),
                                  "lavaan::cfa(M12, data=x, ordered=colnames(x), estimator='WLSMV')", M12),
  three_factor_wlsmv = fit_block(cfa(M3, data = bif, ordered = colnames(bif), estimator = "WLSMV"),
                                 "lavaan::cfa(M3, data=x, ordered=colnames(x), estimator='WLSMV')", M3)
), SCRIPT)

## bifactor_missing: listwise (lavaan default) and FIML
bifm <- read_data("bifactor_missing")
write_fixture("cfa", "bifactor_missing", list(
  three_factor_listwise = fit_block(cfa(M3, data = bifm), "lavaan::cfa(M3, data=x)", M3),
  three_factor_fiml = fit_block(cfa(M3, data = bifm, missing = "ml"),
                                "lavaan::cfa(M3, data=x, missing='ml')", M3),
  one_factor_listwise = fit_block(cfa(M1, data = bifm), "lavaan::cfa(M1, data=x)", M1),
  one_factor_fiml = fit_block(cfa(M1, data = bifm, missing = "ml"),
                              "lavaan::cfa(M1, data=x, missing='ml')", M1)
), SCRIPT)

## ordinal: WLSMV on ordered items (and ML on the raw scores for comparison)
ord <- read_data("ordinal")
MO <- "f =~ o1 + o2 + o3 + o4 + o5 + o6"
write_fixture("cfa", "ordinal", list(
  wlsmv = fit_block(cfa(MO, data = ord, ordered = colnames(ord), estimator = "WLSMV"),
                    "lavaan::cfa(MO, data=x, ordered=colnames(x), estimator='WLSMV')", MO),
  ml = fit_block(cfa(MO, data = ord), "lavaan::cfa(MO, data=x)", MO)
), SCRIPT)

## twogroup: measurement invariance
tg <- read_data("twogroup")
M2 <- "f1 =~ x1 + x2 + x3
f2 =~ x4 + x5 + x6"
conf <- cfa(M2, data = tg, group = "group")
metr <- cfa(M2, data = tg, group = "group", group.equal = "loadings")
scal <- cfa(M2, data = tg, group = "group", group.equal = c("loadings", "intercepts"))
lrt <- as.data.frame(lavTestLRT(conf, metr, scal))
fmv <- function(f) as.list(fitMeasures(f, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")))
write_fixture("invariance", "twogroup", list(
  model = M2,
  configural = fit_block(conf, "lavaan::cfa(M2, data=x, group='group')", M2),
  metric = fit_block(metr, "lavaan::cfa(M2, data=x, group='group', group.equal='loadings')", M2),
  scalar = fit_block(scal, "lavaan::cfa(M2, data=x, group='group', group.equal=c('loadings','intercepts'))", M2),
  lavTestLRT = tab(lrt),
  deltas = list(
    metric_vs_configural = list(
      delta_chisq = fitMeasures(metr, "chisq") - fitMeasures(conf, "chisq"),
      delta_df = fitMeasures(metr, "df") - fitMeasures(conf, "df"),
      delta_cfi = fitMeasures(metr, "cfi") - fitMeasures(conf, "cfi"),
      delta_rmsea = fitMeasures(metr, "rmsea") - fitMeasures(conf, "rmsea")),
    scalar_vs_metric = list(
      delta_chisq = fitMeasures(scal, "chisq") - fitMeasures(metr, "chisq"),
      delta_df = fitMeasures(scal, "df") - fitMeasures(metr, "df"),
      delta_cfi = fitMeasures(scal, "cfi") - fitMeasures(metr, "cfi"),
      delta_rmsea = fitMeasures(scal, "rmsea") - fitMeasures(metr, "rmsea"))
  ),
  summary = list(configural = fmv(conf), metric = fmv(metr), scalar = fmv(scal))
), SCRIPT)
