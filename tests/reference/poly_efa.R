# EFA and parallel analysis on polychoric correlations (psych), and the polychoric matrix as
# psych::polychoric and lavaan::lavCor print it.
# Writes fixtures/poly_efa_{ordinal,bifactor}.json.
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(psych); library(GPArotation); library(lavaan) })

SCRIPT <- "poly_efa.R"
options(mc.cores = 1)   # fa.parallel's mclapply in-process, so set.seed makes it reproducible

fa_poly_block <- function(f, call_text) {
  L <- unclass(f$loadings)
  list(
    call = call_text,
    factors = I(colnames(L)), loadings = tab(L),
    communality = vec(f$communality), uniquenesses = vec(f$uniquenesses),
    Phi = if (is.null(f$Phi)) NULL else tab(f$Phi),
    values = I(as.numeric(f$values)), e.values = I(as.numeric(f$e.values)),
    objective = num(f$objective), STATISTIC = num(f$STATISTIC), dof = num(f$dof), PVAL = num(f$PVAL),
    TLI = num(f$TLI), RMSEA = vec(f$RMSEA), BIC = num(f$BIC), rms = num(f$rms), crms = num(f$crms),
    n.obs = num(f$n.obs)
  )
}

run <- function(ds, nf) {
  x <- read_data(ds)
  p <- polychoric(x)
  lc <- lavCor(x, ordered = colnames(x))
  f <- fa(x, nfactors = nf, fm = "minres", rotate = "oblimin", cor = "poly")
  set.seed(20261204)
  pa <- fa.parallel(x, fa = "fa", cor = "poly", n.iter = 20, plot = FALSE)
  list(
    items = I(colnames(x)), n_rows = nrow(x), nfactors = nf,
    polychoric = list(call = "psych::polychoric(x)  (correct = 0.5, smooth = TRUE, global = TRUE)",
                      rho = tab(p$rho), tau = tab(p$tau)),
    lavCor = list(call = "lavaan::lavCor(x, ordered = colnames(x))  (two-step, listwise; no missing here)",
                  rho = tab(unclass(lc))),
    fa_poly = fa_poly_block(f, sprintf("psych::fa(x, nfactors = %d, fm = 'minres', rotate = 'oblimin', cor = 'poly')", nf)),
    parallel = list(
      call = "set.seed(20261204); psych::fa.parallel(x, fa = 'fa', cor = 'poly', n.iter = 20, plot = FALSE)",
      nfact = num(pa$nfact), fa.values = I(as.numeric(pa$fa.values)),
      fa.sim = I(as.numeric(pa$fa.sim)), fa.simr = I(as.numeric(pa$fa.simr)),
      observed_definition = "fa(polychoric(x)$rho, nfactors = 1, fm = 'minres', rotate = 'none')$values",
      check_fa_values = I(as.numeric(fa(p$rho, nfactors = 1, fm = "minres", rotate = "none", warnings = FALSE)$values)),
      rng_note = "fa.sim: Pearson eigenvalues of normal data (R's RNG); fa.simr: polychoric of resampled columns (R's RNG); neither is reproducible outside R"
    )
  )
}

write_fixture("poly_efa", "ordinal", run("ordinal", 1), SCRIPT)
write_fixture("poly_efa", "bifactor", run("bifactor", 3), SCRIPT)
