# Ordinal (WLSMV) strict and partial invariance, issue 16: the steps after "thresholds and
# loadings equal" as semTools::measEq.syntax writes them for ordered items (ID.fac = "std.lv",
# ID.cat = "Wu.Estabrook.2016"). Equal residual variances need parameterization = "theta"
# (measEq.syntax refuses them under "delta"), so every model here is in the theta
# parameterisation: scalar (+ intercepts), strict (+ residuals), and partial versions with
# group.partial = "x3~1" and c("x3~1", "x6~~x6"). Writes fixtures/invariance_ordinal_strict.json.
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(lavaan); library(semTools) })

SCRIPT <- "ordinal_strict.R"
M2 <- "f1 =~ x1 + x2 + x3
f2 =~ x4 + x5 + x6"
tg <- read_data("twogroup")
items <- paste0("x", 1:6)

block <- function(fit, call_text) {
  pe <- as.data.frame(parameterEstimates(fit)); rownames(pe) <- NULL
  fm <- fitMeasures(fit)
  list(call = call_text, converged = lavInspect(fit, "converged"),
       nobs = I(as.numeric(lavInspect(fit, "nobs"))),
       group.label = I(as.character(lavInspect(fit, "group.label"))),
       estimator = lavInspect(fit, "options")$estimator,
       parameterization = lavInspect(fit, "options")$parameterization,
       fitMeasures = as.list(setNames(as.numeric(fm), names(fm))),
       parameterEstimates = tab(pe))
}
me <- function(equal, partial = "") {
  measEq.syntax(configural.model = M2, data = tg, ordered = items, parameterization = "theta",
                ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", group = "group",
                group.equal = equal, group.partial = partial, return.fit = TRUE)
}
LT <- c("thresholds", "loadings")
conf <- me("")
lt <- me(LT)
scal <- me(c(LT, "intercepts"))
stri <- me(c(LT, "intercepts", "residuals"))
pscal <- me(c(LT, "intercepts"), "x3~1")
pstri <- me(c(LT, "intercepts", "residuals"), c("x3~1", "x6~~x6"))
CALL <- "measEq.syntax(M2, twogroup, ordered=x1..x6, parameterization='theta', ID.fac='std.lv', ID.cat='Wu.Estabrook.2016', group='group'"
write_fixture("invariance", "ordinal_strict", list(
  model = M2,
  configural = block(conf, paste0(CALL, ", return.fit=TRUE)")),
  thresholds_loadings = block(lt, paste0(CALL, ", group.equal=c('thresholds','loadings'), return.fit=TRUE)")),
  scalar = block(scal, paste0(CALL, ", group.equal=c('thresholds','loadings','intercepts'), return.fit=TRUE)")),
  strict = block(stri, paste0(CALL, ", group.equal=c('thresholds','loadings','intercepts','residuals'), return.fit=TRUE)")),
  partial_scalar = block(pscal, paste0(CALL, ", group.equal=c('thresholds','loadings','intercepts'), group.partial='x3~1', return.fit=TRUE)")),
  partial_strict = block(pstri, paste0(CALL, ", group.equal=c('thresholds','loadings','intercepts','residuals'), group.partial=c('x3~1','x6~~x6'), return.fit=TRUE)")),
  syntax_strict = as.character(measEq.syntax(configural.model = M2, data = tg, ordered = items, parameterization = "theta",
    ID.fac = "std.lv", ID.cat = "Wu.Estabrook.2016", group = "group", group.equal = c(LT, "intercepts", "residuals"))),
  lavTestLRT = tab(as.data.frame(lavTestLRT(conf, lt, scal, stri))),
  lavTestLRT_partial = tab(as.data.frame(lavTestLRT(conf, lt, pscal, pstri))),
  lavTestLRT_method = "default for WLSMV: satorra.2000 (scaled.shifted = TRUE, A.method = 'delta')"
), SCRIPT)
print(lavTestLRT(conf, lt, scal, stri)); print(lavTestLRT(conf, lt, pscal, pstri))
