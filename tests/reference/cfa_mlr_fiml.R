# Robust (MLR) fit indices with missing data (FIML), issue 16: lavaan computes cfi.robust,
# tli.robust and rmsea.robust under missing = "ml" from the FIML-corrected statistics of
# Zhang & Savalei (2023) (lavaan:::lav_fit_fiml_corrected, version "V3" for a scaled test),
# whose baseline is the independence model fitted with the same estimator and missing-data
# handling (lavaan:::lav_object_independence). Writes fixtures/cfa_mlr_fiml.json with the
# fit measures, the intermediate statistics and the printed fitMeasures output.
#
# Derived data (the Python tests apply the same transformations):
#   twogroup_na: twogroup with x1 -> 6 - x1 and, by 1-based row number r, x2 missing where
#              r %% 7 == 0, x5 where r %% 11 == 3, x1 where r %% 13 == 5 (as cfa_more.R).
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(lavaan))

SCRIPT <- "cfa_mlr_fiml.R"
M3 <- "g1 =~ i1 + i2 + i3 + i4
g2 =~ i5 + i6 + i7 + i8
g3 =~ i9 + i10 + i11 + i12"
M2 <- "f1 =~ x1 + x2 + x3
f2 =~ x4 + x5 + x6"

bifm <- read_data("bifactor_missing")
tg <- read_data("twogroup")
tg_na <- tg; tg_na$x1 <- 6 - tg_na$x1
r <- seq_len(nrow(tg_na))
tg_na$x2[r %% 7 == 0] <- NA; tg_na$x5[r %% 11 == 3] <- NA; tg_na$x1[r %% 13 == 5] <- NA

NAMES <- c("chisq", "df", "chisq.scaled", "chisq.scaling.factor", "baseline.chisq", "baseline.df",
           "baseline.chisq.scaled", "baseline.chisq.scaling.factor", "cfi.scaled", "tli.scaled",
           "rmsea.scaled", "cfi.robust", "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust",
           "rmsea.ci.upper.robust")

block <- function(fit, call_text) {
  fm <- fitMeasures(fit, NAMES)
  fc <- lavaan:::lav_fit_fiml_corrected(fit, version = "V3")
  base <- lavaan:::lav_object_independence(fit)
  list(call = call_text,
       estimator = lavInspect(fit, "options")$estimator,
       missing = lavInspect(fit, "options")$missing,
       nobs = I(as.numeric(lavInspect(fit, "nobs"))),
       fitMeasures = as.list(setNames(as.numeric(fm), names(fm))),
       fiml_corrected = lapply(fc, as.numeric),
       baseline_model = list(estimator = lavInspect(base, "options")$estimator,
                             missing = lavInspect(base, "options")$missing,
                             chisq = as.numeric(fitMeasures(base, "chisq")),
                             chisq.scaled = as.numeric(fitMeasures(base, "chisq.scaled"))),
       printed = paste(capture.output(print(fm)), collapse = "\n"))
}

out <- list(
  single = block(cfa(M3, data = bifm, estimator = "MLR", missing = "ml"),
                 "cfa(M3, data = bifactor_missing, estimator = 'MLR', missing = 'ml')"),
  mg = block(cfa(M2, data = tg_na, group = "group", estimator = "MLR", missing = "ml"),
             "cfa(M2, data = twogroup_na, group = 'group', estimator = 'MLR', missing = 'ml')"),
  mg_metric = block(cfa(M2, data = tg_na, group = "group", estimator = "MLR", missing = "ml", group.equal = "loadings"),
                    "cfa(M2, data = twogroup_na, group = 'group', estimator = 'MLR', missing = 'ml', group.equal = 'loadings')")
)
write_fixture("cfa", "mlr_fiml", out, SCRIPT)
for (b in names(out)) { cat("==", out[[b]]$call, "\n"); cat(out[[b]]$printed, "\n") }
