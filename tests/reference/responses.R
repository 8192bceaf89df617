# Fixtures for the project's sample data (sample_data/responses.csv, written by another generator).
# Recode 9 ("don't know") -> NA, reverse-key item 4 of every sk_/mb_ subscale (6 - x),
# keep only the latest `round`, then alpha per subscale and ICC1/ICC2 (+ agreement) by `unit`.
# Writes fixtures/alpha_responses.json and fixtures/multilevel_responses.json.
# If the CSV does not exist the script says so and exits 0 (nothing written).
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
source(file.path(REF_DIR, "alpha.R"))        # alpha_block()
source(file.path(REF_DIR, "multilevel.R"))   # multilevel_block(), icc_block()
suppressPackageStartupMessages({ library(psych); library(multilevel) })

SCRIPT <- "responses.R"
path <- Sys.getenv("SAMKLIMA_RESPONSES_CSV",
                   file.path(REF_DIR, "..", "..", "sample_data", "responses.csv"))
if (!file.exists(path)) {
  message("responses.R: ", path, " not found; no responses fixtures written")
  quit(status = 0)
}

raw <- read.csv(path, na.strings = c("", "NA"), stringsAsFactors = FALSE, check.names = FALSE)
item_cols <- grep("^(sk|mb)_[a-z_]+[0-9]+$", names(raw), value = TRUE)
stopifnot(length(item_cols) > 0, "unit" %in% names(raw), "round" %in% names(raw))

# latest round: numeric max if the column is numeric, else the last value in sort order
rounds <- unique(raw$round)
latest <- if (is.numeric(raw$round)) max(rounds, na.rm = TRUE) else sort(rounds)[length(rounds)]
d <- raw[!is.na(raw$round) & raw$round == latest, , drop = FALSE]

n_code9 <- sapply(item_cols, function(c) sum(d[[c]] %in% 9))
n_blank <- sapply(item_cols, function(c) sum(is.na(d[[c]])))
for (c in item_cols) {
  v <- as.numeric(d[[c]])
  v[v %in% 9] <- NA
  if (grepl("4$", c)) v <- 6 - v          # reverse-keyed on 1..5
  d[[c]] <- v
}

prefixes <- unique(sub("[0-9]+$", "", item_cols))
SK <- c("sk_info", "sk_koord", "sk_laer", "sk_mote", "sk_likeverd", "sk_ansvar", "sk_forank", "sk_trygg")
prefixes <- c(intersect(SK, prefixes), sort(setdiff(prefixes, SK)))
scales <- lapply(setNames(prefixes, prefixes), function(p) grep(paste0("^", p, "[0-9]+$"), item_cols, value = TRUE))
scales <- scales[sapply(scales, length) >= 2]

prep <- list(
  source = "sample_data/responses.csv",
  source_md5 = unname(as.character(tools::md5sum(path))),
  source_rows = nrow(raw),
  round = latest, n_rows_all_rounds = nrow(raw), n_rows = nrow(d),
  n_units = length(unique(d$unit)),
  recode = "per item: 9 -> NA (user-missing 'don't know'); blank -> NA; items ending in 4 -> 6 - x",
  n_code9 = vec(n_code9), n_blank_after_round_filter = vec(n_blank),
  scale_items = lapply(scales, I)
)

alpha_res <- lapply(scales, function(items) {
  x <- d[, items, drop = FALSE]
  xl <- na.omit(x)
  list(items = I(items), n_rows = nrow(x), n_complete = nrow(xl),
       pairwise = alpha_block(alpha(x), "psych::alpha(x)"),
       listwise = c(alpha_block(alpha(as.data.frame(xl)), "psych::alpha(na.omit(x))"), list(n = nrow(xl))))
})
write_fixture("alpha", "responses", c(prep, list(alpha = alpha_res)), SCRIPT)

ml_res <- lapply(scales, function(items) {
  x <- d[, items, drop = FALSE]
  b <- multilevel_block(x, d$unit)
  # also the 50 % rule: score only when at least half of the items are answered
  answered <- rowSums(!is.na(x))
  s50 <- rowMeans(x, na.rm = TRUE); s50[answered < ceiling(length(items) / 2)] <- NA; s50[is.nan(s50)] <- NA
  b$icc_score_min50 <- icc_block(s50, d$unit)
  b$icc_score_min50$score_rule <- "score = rowMeans(items, na.rm=TRUE) if >= ceiling(k/2) items answered, else NA"
  b
})
write_fixture("multilevel", "responses", c(prep, list(scales = ml_res)), SCRIPT)
