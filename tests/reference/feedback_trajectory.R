# Expected-trajectory model for client feedback on sample_data/feedback.csv (lme4::lmer).
# Data preparation, written independently of scoring/feedback/expected.py:
#   outcome total = sum of the four fu_ items (one decimal, rounded); a client = (unit, client);
#   only clients with at least 3 outcome totals; intake = the total at the client's first
#   contact; xbar = mean intake of those clients; rows = the later contacts with
#   y = total, xc = intake - xbar, logt = log(contact).
# Model: y ~ xc * logt + (logt | client), REML, bobyqa with tight tolerances (the default
# nloptwrap optimiser stops about 4e-6 from this optimum on these data).
# Writes fixtures/feedback_trajectory_feedback.json. Exits 0 without writing if the CSV is absent.
source(file.path(local({
  a <- commandArgs(FALSE); f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f) == 1) dirname(f) else "."
}), "common.R"))
suppressPackageStartupMessages(library(lme4))

SCRIPT <- "feedback_trajectory.R"
path <- Sys.getenv("SAMKLIMA_FEEDBACK_CSV", file.path(REF_DIR, "..", "..", "sample_data", "feedback.csv"))
if (!file.exists(path)) {
  message(SCRIPT, ": ", path, " not found; no fixture written")
  quit(status = 0)
}
raw <- read.csv(path, na.strings = c("", "NA"), stringsAsFactors = FALSE)
raw$total <- round(raw$fu_velvaere + raw$fu_relasjoner + raw$fu_hverdag + raw$fu_samlet, 1)
raw <- raw[!is.na(raw$total), ]
raw$key <- paste(raw$unit, raw$client, sep = "/")
raw <- raw[order(raw$key, raw$contact), ]
n_scores <- table(raw$key)
used <- raw[raw$key %in% names(n_scores)[n_scores >= 3], ]
first <- used[!duplicated(used$key), c("key", "contact", "total")]
names(first) <- c("key", "intake_contact", "intake")
xbar <- mean(first$intake)
d <- merge(used, first, by = "key")
d <- d[d$contact > d$intake_contact, ]
d$y <- d$total
d$xc <- d$intake - xbar
d$logt <- log(d$contact)

ctrl <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e6))
m <- lmer(y ~ xc * logt + (logt | key), data = d, REML = TRUE, control = ctrl)
G <- as.matrix(VarCorr(m)$key)
attributes(G) <- list(dim = dim(G))

write_fixture("feedback_trajectory", "feedback", list(
  call = "lmer(y ~ xc * logt + (logt | key), REML = TRUE, bobyqa rhoend = 1e-12)",
  lme4 = as.character(packageVersion("lme4")),
  clients = length(unique(used$key)),
  contacts = nrow(used),
  rows = nrow(d),
  intake_mean = xbar,
  fixef = vec(fixef(m)),
  cov_re = G,
  residual_var = sigma(m)^2,
  reml_loglik = as.numeric(logLik(m))
), SCRIPT)
