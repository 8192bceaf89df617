# A response file as R writes it by default: write.csv() prints a missing value as NA (and NaN
# as NA too), quotes strings and the header. The tests read it with every command that takes a
# data file and compare with the same data written with empty cells.
# -> data/multilevel_r_na.csv: the first 300 rows of multilevel.csv with an id column.
source(file.path(local({
  args <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", args[grep("^--file=", args)])
  if (length(f) == 1) normalizePath(dirname(f)) else normalizePath(".")
}), "common.R"))

x <- read_data("multilevel")[1:300, ]
x <- data.frame(id = sprintf("r%03d", seq_len(nrow(x))), x, stringsAsFactors = FALSE)
write.csv(x, file.path(DATA_DIR, "multilevel_r_na.csv"), row.names = FALSE)
cat("rcsv.R: ", nrow(x), " rows, ", sum(is.na(x)), " NA cells\n", sep = "")
