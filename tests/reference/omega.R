# McDonald's omega via Schmid-Leiman (psych::omega). Writes fixtures/omega_<dataset>.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(psych); library(GPArotation) })

SCRIPT <- "omega.R"

# Serialise a psych::omega object (also used by ordinal.R).
omega_block <- function(o, call_text) {
  sch <- o$schmid
  sl <- sch$sl
  list(
    call = call_text,
    omega_h = num(o$omega_h),
    omega.lim = num(o$omega.lim),
    omega.tot = num(o$omega.tot),
    alpha = num(o$alpha),
    G6 = num(o$G6),
    ECV = num(o$ECV),
    key = vec(o$key),
    omega.group = tab(o$omega.group),
    schmid = list(
      sl = tab(sl),
      sl_sumsq = vec(colSums(sl[, !(colnames(sl) %in% c("h2", "u2", "p2")), drop = FALSE]^2)),
      oblique = tab(sch$oblique),
      phi = tab(sch$phi),
      gloading = tab(sch$gloading),
      dof = num(sch$dof), objective = num(sch$objective), STATISTIC = num(sch$STATISTIC),
      PVAL = num(sch$PVAL), RMSEA = vec(sch$RMSEA), BIC = num(sch$BIC),
      rms = num(sch$rms), crms = num(sch$crms), n.obs = num(sch$n.obs)
    ),
    gstats = list(
      note = "fit of the general-factor-only model (omega$gstats)",
      dof = num(o$gstats$dof), objective = num(o$gstats$objective),
      STATISTIC = num(o$gstats$STATISTIC), PVAL = num(o$gstats$PVAL),
      RMSEA = vec(o$gstats$RMSEA), BIC = num(o$gstats$BIC),
      rms = num(o$gstats$rms), crms = num(o$gstats$crms)
    ),
    R = tab(o$R)
  )
}

if (sys.nframe() == 0) {
  for (ds in c("bifactor", "bifactor_missing")) {
    x <- read_data(ds)
    o <- omega(x, nfactors = 3, fm = "minres", rotate = "oblimin", plot = FALSE)
    res <- list(items = I(colnames(x)), n_rows = nrow(x),
                omega = omega_block(o, "psych::omega(x, nfactors=3, fm='minres', rotate='oblimin', plot=FALSE)"))
    write_fixture("omega", ds, res, SCRIPT)
  }
}
