# Modification indices (lavaan::modindices) of the samhandlingsklima correlated-factors model,
# complete answers of the sample organisation's round 2026-1 (sk_2026_complete.csv: keyed items,
# "vet ikke" and blanks dropped listwise). Writes modindices.json beside this script.
# Run: Rscript tests/reference/validation/modindices.R
suppressPackageStartupMessages({ library(lavaan); library(jsonlite) })
here <- local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
})
d <- read.csv(file.path(here, "sk_2026_complete.csv"))
scales <- c("info", "koord", "laer", "mote", "likeverd", "ansvar", "forank", "trygg")
model <- paste(sprintf("sk_%s =~ %s", scales, sapply(scales, function(s) paste(sprintf("sk_%s%d", s, 1:4), collapse = " + "))), collapse = "\n")
fit <- cfa(model, data = d)
mi <- modindices(fit, sort. = TRUE)
top <- head(mi[, c("lhs", "op", "rhs", "mi", "epc", "sepc.all")], 40)
print(top, digits = 8)
out <- list(
  script = "modindices.R", n = lavInspect(fit, "nobs"), chisq = unname(fitMeasures(fit, "chisq")),
  rows = nrow(mi), top = top,
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."), lavaan = as.character(packageVersion("lavaan")))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(here, "modindices.json"))
