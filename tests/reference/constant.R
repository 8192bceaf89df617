# Degenerate data: what psych does with a constant item (c2) and a duplicated item (c4 == c1).
# Writes fixtures/alpha_constant.json
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
source(file.path(REF_DIR, "alpha.R"))   # alpha_block()
suppressPackageStartupMessages(library(psych))

SCRIPT <- "constant.R"

x <- read_data("constant")

# Each call: value (serialised if it succeeded), error text, warning texts, printed output.
attempt <- function(expr_text, f) {
  out <- NULL
  printed <- capture.output(cap <- capture(f()))
  res <- list(call = expr_text, error = cap$error, warnings = I(cap$warnings),
              stdout = I(printed))
  if (!is.null(cap$value)) res$result <- alpha_block(cap$value, expr_text)
  res
}

res <- list(
  data = tab(x),
  cov = tab(cov(x)),
  cor = local({ cc <- capture(cor(x)); list(value = tab(cc$value), warnings = I(cc$warnings)) }),
  alpha_default = attempt("psych::alpha(x)", function() alpha(x)),
  alpha_check_keys = attempt("psych::alpha(x, check.keys = TRUE)", function() alpha(x, check.keys = TRUE)),
  alpha_no_delete = attempt("psych::alpha(x, delete = FALSE)", function() alpha(x, delete = FALSE)),
  alpha_without_c2 = attempt("psych::alpha(x[, c('c1','c3','c4')])", function() alpha(x[, c("c1", "c3", "c4")])),
  alpha_c1_c3 = attempt("psych::alpha(x[, c('c1','c3')])", function() alpha(x[, c("c1", "c3")]))
)
write_fixture("alpha", "constant", res, SCRIPT)
