"""Aggregation speed: ICC, rwg(j) and the suppressed unit table for every scale.

On the synthetic sample (150,000 respondents in 1,500 leaf units by default, one round):
for each scale of samhandlingsklima and medbestemmelse, time separately
- ``icc``: ICC(1)/ICC(2) of the scale score;
- ``rwg_j``: rwg(j) per unit on the keyed items (listwise);
- ``table``: :func:`scoring.reporting.aggregation.aggregate_scale`, the whole reported entry (unit n, mean, sd,
  CI, rwg(j), awg, AD, primary and complementary suppression with its exact audit, ICC,
  summaries, reading).
Prints wall times per scale and in all, and peak memory (tracemalloc, Python allocations) of
the aggregation. If ``Rscript`` with the multilevel package is on the PATH, also times
``ICC1(aov(score ~ unit))`` and ``rwg.j(items, unit)`` on the same data in R and prints the
ratio ours/R. Prints, never asserts.

    python bench/bench_units.py [--respondents 150000] [--units 1500] [--no-r]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

R_SCRIPT = r"""
suppressPackageStartupMessages(library(multilevel))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
items <- strsplit(args[2], ";")[[1]]
out <- list()
for (spec in items) {
  parts <- strsplit(spec, ":")[[1]]
  cols <- strsplit(parts[2], ",")[[1]]
  x <- d[, cols]
  score <- d[[parts[1]]]
  t0 <- proc.time()[["elapsed"]]
  icc1 <- ICC1(aov(score ~ as.factor(d$unit)))
  t1 <- proc.time()[["elapsed"]]
  r <- rwg.j(x, d$unit, ranvar = 2)
  t2 <- proc.time()[["elapsed"]]
  out[[parts[1]]] <- c(icc = t1 - t0, rwg_j = t2 - t1, icc1 = icc1)
}
cat(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE))
"""


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=1_500)
    parser.add_argument("--no-r", action="store_true", help="skip the comparison with R")
    args = parser.parse_args()

    from scoring.instrument.catalog import bundled
    from scoring.reporting.aggregation import aggregate_scale
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import keyed_items, score_scales
    from scoring.samples.generator import generate_sample
    from scoring.stats.multilevel import expected_variance, icc, rwg_j

    sample, seconds = timed(generate_sample, respondents=args.respondents, units=args.units, rounds=1, seed=1)
    data = sample.responses
    print(f"sample: {len(data):,} respondents in {data['unit'].nunique():,} units ({seconds:.1f} s to generate)")
    units = data["unit"].astype("category")

    work = []
    for inst_id in ("samhandlingsklima", "medbestemmelse"):
        inst = bundled(inst_id)
        coded = code_responses(data, inst)
        keyed = keyed_items(coded.items, inst)
        scores = score_scales(coded.items, inst)
        for scale in inst.scales:
            rs = inst.response_scale_of(scale.items[0])
            work.append((scale.id, scores[scale.id].to_numpy(), keyed[scale.items].to_numpy(dtype=float), len(rs.valid_codes)))

    print(f"\n{'scale':<14}{'items':>6}{'icc s':>9}{'rwg_j s':>9}{'table s':>9}{'shown':>8}{'ICC(1)':>8}{'rwg_j md':>10}")
    totals = {"icc": 0.0, "rwg_j": 0.0, "table": 0.0}
    tracemalloc.start()
    for name, score, items, options in work:
        result_icc, t_icc = timed(icc, score, units)
        _, t_rwg = timed(rwg_j, items, units, expected_variance(options))
        agg, t_table = timed(aggregate_scale, score, units, items=items, options=options, scale=name)
        totals["icc"] += t_icc
        totals["rwg_j"] += t_rwg
        totals["table"] += t_table
        print(
            f"{name:<14}{items.shape[1]:>6}{t_icc:>9.3f}{t_rwg:>9.3f}{t_table:>9.3f}"
            f"{agg.n_shown:>5}/{agg.n_units:<5}{result_icc.icc1:>6.3f}{agg.rwg_j_median:>10.3f}"
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count = len(work)
    print(
        f"\nall {count} scales: icc {totals['icc']:.2f} s, rwg_j {totals['rwg_j']:.2f} s, "
        f"table {totals['table']:.2f} s ({totals['table'] / count:.3f} s per scale); "
        f"peak Python memory during aggregation {peak / 2**20:.0f} MiB"
    )

    if args.no_r or not shutil.which("Rscript"):
        print("\nR: skipped" + ("" if args.no_r else " (no Rscript on the PATH)"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        frame = pd.DataFrame({"unit": data["unit"].to_numpy()})
        specs = []
        for name, score, items, _ in work:
            frame[name] = score
            cols = [f"{name}__{i}" for i in range(items.shape[1])]
            for i, col in enumerate(cols):
                frame[col] = items[:, i]
            specs.append(f"{name}:{','.join(cols)}")
        csv = Path(tmp) / "data.csv"
        frame.to_csv(csv, index=False, na_rep="NA")
        script = Path(tmp) / "bench.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        proc = subprocess.run(["Rscript", str(script), str(csv), ";".join(specs)], capture_output=True, text=True)
        if proc.returncode != 0:
            print("\nR: failed\n" + proc.stderr[-2000:])
            return
        r = json.loads(proc.stdout)
    r_icc = sum(v["icc"] for v in r.values())
    r_rwg = sum(v["rwg_j"] for v in r.values())
    agree = max(abs(r[name]["icc1"] - icc(score, units).icc1) for name, score, _, _ in work)
    print(
        f"\nR multilevel on the same data: ICC1 {r_icc:.2f} s, rwg.j {r_rwg:.2f} s"
        f"\nratio ours/R: icc {totals['icc'] / r_icc:.3f}, rwg_j {totals['rwg_j'] / r_rwg:.3f}"
        f"\nlargest |ICC(1) ours - R| over the scales: {agree:.1e}"
    )


if __name__ == "__main__":
    main()
