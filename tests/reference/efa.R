# Exploratory factor analysis (psych::fa), KMO, Bartlett, parallel analysis.
# Writes fixtures/efa_<dataset>.json, kmo_<dataset>.json, parallel_<dataset>.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages({ library(psych); library(GPArotation) })

SCRIPT <- "efa.R"
options(mc.cores = 1)   # psych uses parallel::mclapply; 1 core => lapply in-process => set.seed reproducible

fa_block <- function(f, call_text) {
  L <- unclass(f$loadings)
  list(
    call = call_text,
    factors = I(colnames(L)),
    loadings = tab(L),
    communality = vec(f$communality),      # h2 = diag(L Phi L')  (what print.fa shows as h2)
    communalities = vec(f$communalities),  # from the fitting routine (fa's internal estimate)
    uniquenesses = vec(f$uniquenesses),    # u2 (= 1 - communality for these fits)
    complexity = vec(f$complexity),
    Phi = if (is.null(f$Phi)) NULL else tab(f$Phi),
    rot.mat = if (is.null(f$rot.mat)) NULL else tab(f$rot.mat),
    Vaccounted = if (is.null(f$Vaccounted)) NULL else tab(f$Vaccounted),
    values = I(as.numeric(f$values)),      # eigenvalues of the reduced correlation matrix
    e.values = I(as.numeric(f$e.values)),  # eigenvalues of the correlation matrix
    objective = num(f$objective),
    STATISTIC = num(f$STATISTIC),
    dof = num(f$dof),
    PVAL = num(f$PVAL),
    null.model = num(f$null.model), null.dof = num(f$null.dof), null.chisq = num(f$null.chisq),
    chi = num(f$chi), EPVAL = num(f$EPVAL),
    TLI = num(f$TLI),
    RMSEA = vec(f$RMSEA),                  # RMSEA, lower, upper, confidence
    BIC = num(f$BIC), SABIC = num(f$SABIC), EBIC = num(f$EBIC),
    rms = num(f$rms), crms = num(f$crms),
    fit = num(f$fit), fit.off = num(f$fit.off),
    n.obs = num(f$n.obs), np.obs = if (is.null(f$np.obs)) NULL else tab(f$np.obs),
    R2 = I(as.numeric(f$R2))               # in the order of `factors`
  )
}

for (ds in c("bifactor", "bifactor_missing")) {
  x <- read_data(ds)
  fits <- list()
  for (fm in c("minres", "ml")) for (rot in c("oblimin", "varimax", "promax", "none")) {
    cap <- capture(fa(x, nfactors = 3, fm = fm, rotate = rot))
    key <- paste(fm, rot, sep = "_")
    fits[[key]] <- c(fa_block(cap$value,
                              sprintf("psych::fa(x, nfactors=3, fm='%s', rotate='%s')", fm, rot)),
                     list(warnings = I(cap$warnings)))
  }
  write_fixture("efa", ds, list(items = I(colnames(x)), n_rows = nrow(x), fits = fits), SCRIPT)

  # KMO and Bartlett on the pairwise correlation matrix
  R <- cor(x, use = "pairwise")
  k <- KMO(R)
  b <- cortest.bartlett(R, n = nrow(x))
  write_fixture("kmo", ds, list(
    items = I(colnames(x)), n_rows = nrow(x),
    R = tab(R),
    KMO = list(call = "psych::KMO(cor(x, use='pairwise'))", MSA = num(k$MSA), MSAi = vec(k$MSAi)),
    bartlett = list(call = "psych::cortest.bartlett(cor(x, use='pairwise'), n = nrow(x))",
                    chisq = num(b$chisq), p.value = num(b$p.value), df = num(b$df)),
    KMO_raw = local({ k2 <- KMO(x); list(call = "psych::KMO(x) (raw data; psych uses pairwise cor)",
                                         MSA = num(k2$MSA), MSAi = vec(k2$MSAi)) })
  ), SCRIPT)

  # Parallel analysis
  set.seed(20261123)
  p <- fa.parallel(x, fa = "fa", fm = "minres", n.iter = 20, plot = FALSE)
  write_fixture("parallel", ds, list(
    items = I(colnames(x)), n_rows = nrow(x),
    call = "set.seed(20261123); options(mc.cores=1); psych::fa.parallel(x, fa='fa', fm='minres', n.iter=20, plot=FALSE)",
    nfact = num(p$nfact), ncomp = num(p$ncomp),
    fa.values = I(as.numeric(p$fa.values)),
    pc.values = I(as.numeric(p$pc.values)),
    fa.sim = I(as.numeric(p$fa.sim)),
    fa.simr = if (is.null(p$fa.simr)) NULL else I(as.numeric(p$fa.simr)),
    rng_note = "fa.sim / fa.simr (and thus nfact in borderline cases) depend on R's RNG stream; fa.values and pc.values do not.",
    fa_values_definition = "fa.values = psych::fa(cor(x, use='pairwise'), nfactors=1, rotate='none', fm='minres')$values, i.e. eigenvalues of R with the 1-factor minres communalities on the diagonal (not SMCs, since SMC=FALSE)",
    check_fa_values = I(as.numeric(fa(cor(x, use = "pairwise"), nfactors = 1, rotate = "none", fm = "minres", warnings = FALSE)$values))
  ), SCRIPT)
}
