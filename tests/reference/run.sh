#!/usr/bin/env bash
# Regenerate the R reference data and fixtures. Exits non-zero on the first failure.
# Needs: r-base r-cran-psych r-cran-lavaan r-cran-semtools r-cran-multilevel
#        r-cran-gparotation r-cran-jsonlite r-cran-polycor   (Debian packages)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

command -v Rscript >/dev/null || { echo "run.sh: Rscript not found" >&2; exit 1; }
Rscript -e 'for (p in c("psych","lavaan","semTools","multilevel","GPArotation","jsonlite","polycor")) if (!requireNamespace(p, quietly = TRUE)) stop("R package missing: ", p)'

export OMP_NUM_THREADS=1
for s in gen_data.R rcsv.R alpha.R omega.R efa.R cfa.R cfa_more.R cfa_mlr_fiml.R ordinal_strict.R multilevel.R agreement_null.R ordinal.R poly_efa.R constant.R responses.R item_quality.R; do
  echo "== Rscript $s" >&2
  Rscript --vanilla "$s"
done
echo "run.sh: fixtures in $HERE/fixtures" >&2
ls "$HERE/fixtures"/*.json | wc -l >&2
