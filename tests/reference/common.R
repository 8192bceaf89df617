# Shared helpers for the reference fixture scripts.
# Source with: source(file.path(ref_dir(), "common.R"))

suppressPackageStartupMessages({
  library(jsonlite)
})

# Directory of this file (scripts are run as `Rscript tests/reference/X.R` from anywhere).
REF_DIR <- local({
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 1) normalizePath(dirname(f)) else normalizePath(".")
})
DATA_DIR <- file.path(REF_DIR, "data")
FIX_DIR <- file.path(REF_DIR, "fixtures")
dir.create(FIX_DIR, showWarnings = FALSE, recursive = TRUE)

pkg_versions <- function() {
  pk <- c("psych", "lavaan", "semTools", "multilevel", "GPArotation", "jsonlite", "polycor")
  v <- list(R = paste(R.version$major, R.version$minor, sep = "."))
  for (p in pk) {
    v[[p]] <- if (requireNamespace(p, quietly = TRUE)) as.character(packageVersion(p)) else NA
  }
  v
}

read_data <- function(name) {
  read.csv(file.path(DATA_DIR, paste0(name, ".csv")), na.strings = c("", "NA"))
}

# Convert a matrix / data.frame to the column-wise table layout:
# list(row = rownames, <col1> = c(...), ...). Factors become character.
tab <- function(x, rownames = NULL) {
  if (is.null(x)) return(NULL)
  if (inherits(x, "loadings")) x <- unclass(x)
  if (is.vector(x) && !is.list(x)) x <- as.matrix(x)
  if (is.null(colnames(x)) || any(colnames(x) == "")) colnames(x) <- paste0("V", seq_len(ncol(x)))
  x <- as.data.frame(x, stringsAsFactors = FALSE, check.names = FALSE, optional = TRUE)
  rn <- if (!is.null(rownames)) rownames else rownames(x)
  if (is.null(rn)) rn <- as.character(seq_len(nrow(x)))
  out <- list(row = as.character(rn))
  for (j in seq_along(x)) {
    col <- x[[j]]
    if (is.factor(col)) col <- as.character(col)
    attributes(col) <- NULL
    out[[names(x)[j]]] <- I(col)   # I(): keep length-1 columns as arrays
  }
  out$row <- I(out$row)
  out
}

# Named vector -> named list (JSON object); unnamed vector stays an array.
vec <- function(x) {
  if (is.null(x)) return(NULL)
  if (is.null(names(x))) return(I(as.vector(unclass(x))))
  as.list(setNames(as.vector(unclass(x)), names(x)))
}

num <- function(x) {
  # scalar numeric without attributes/names
  x <- unname(unlist(x))
  if (length(x) == 0) return(NULL)
  as.numeric(x)
}

write_fixture <- function(analysis, dataset, content, script) {
  stem <- paste(analysis, dataset, sep = "_")
  obj <- c(list(fixture = stem, dataset = dataset, script = script,
                versions = pkg_versions()),
           content)
  path <- file.path(FIX_DIR, paste0(stem, ".json"))
  jsonlite::write_json(obj, path, digits = NA, auto_unbox = TRUE, pretty = TRUE,
                       na = "null", null = "null")
  message("wrote ", path)
  invisible(path)
}

# Run an expression, capturing warnings and error text instead of failing.
capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(list(msg = conditionMessage(e)), class = "captured_error")),
    warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") }
  )
  if (inherits(val, "captured_error")) {
    list(value = NULL, error = val$msg, warnings = warns)
  } else {
    list(value = val, error = NULL, warnings = warns)
  }
}
