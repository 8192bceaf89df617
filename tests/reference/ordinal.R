# Polychoric correlations, ordinal alpha and ordinal omega (psych).
# Writes fixtures/ordinal_ordinal.json and fixtures/ordinal_bifactor.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
source(file.path(REF_DIR, "alpha.R"))   # alpha_block()
source(file.path(REF_DIR, "omega.R"))   # omega_block()
suppressPackageStartupMessages({ library(psych); library(GPArotation); library(polycor) })

SCRIPT <- "ordinal.R"

run_ordinal <- function(x, omega_nf) {
  n <- nrow(x)
  p <- polychoric(x)
  rho <- p$rho
  hc <- polycor::hetcor(as.data.frame(lapply(x, ordered)), ML = FALSE, std.err = FALSE)

  a_noobs <- alpha(rho)
  a_obs <- alpha(rho, n.obs = n)
  om <- capture(omega(rho, nfactors = omega_nf, n.obs = n, fm = "minres", rotate = "oblimin", plot = FALSE))
  list(
    items = I(colnames(x)), n_rows = n,
    polychoric = list(
      call = "psych::polychoric(x)  (defaults: correct = 0.5, smooth = TRUE, global = TRUE)",
      rho = tab(rho), tau = tab(p$tau), n.obs = num(p$n.obs)
    ),
    polycor_hetcor = list(
      call = "polycor::hetcor(as.data.frame(lapply(x, ordered)), ML = FALSE)  (two-step polychoric estimates, no continuity correction; for comparison)",
      correlations = tab(hc$correlations)
    ),
    ordinal_alpha = alpha_block(a_noobs, "psych::alpha(polychoric(x)$rho)"),
    ordinal_alpha_nobs = alpha_block(a_obs, "psych::alpha(polychoric(x)$rho, n.obs = nrow(x))"),
    ordinal_omega = c(omega_block(om$value, sprintf(
      "psych::omega(polychoric(x)$rho, nfactors = %d, n.obs = nrow(x), fm = 'minres', rotate = 'oblimin', plot = FALSE)", omega_nf)),
      list(warnings = I(om$warnings)))
  )
}

write_fixture("ordinal", "ordinal", run_ordinal(read_data("ordinal"), 1), SCRIPT)
write_fixture("ordinal", "bifactor", run_ordinal(read_data("bifactor"), 3), SCRIPT)
