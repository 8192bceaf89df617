"""Reliability speed: alpha, std alpha, G6, item statistics and a 1000-resample bootstrap per scale.

On the 150,000-respondent sample (``generate_sample(respondents=150000, units=1500, rounds=1,
seed=1)``), for every scale of samhandlingsklima and medbestemmelse: ``scoring.stats.reliability.alpha.alpha``
with ``n_boot=1000`` (which also gives lambda-2, split-half, Feldt and Duhachek CIs and the
item table). Prints the time per scale, the total wall time and the peak memory of the process
(``resource.getrusage``). If ``Rscript`` with psych is available, the same keyed data go to a
temporary CSV and ``psych::alpha(x, n.iter = 1000)`` runs per scale; the ratio R / ours is
printed. No assertions.

    python bench/bench_reliability.py [--respondents 150000] [--units 1500] [--n-boot 1000] [--no-r]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

R_SCRIPT = textwrap.dedent(
    """
    suppressPackageStartupMessages(library(psych))
    args <- commandArgs(trailingOnly = TRUE)
    d <- read.csv(args[1])
    spec <- readLines(args[2])
    n_iter <- as.integer(args[3])
    set.seed(1)
    total <- 0
    for (line in spec) {
      parts <- strsplit(line, " ")[[1]]
      x <- d[, parts[-1], drop = FALSE]
      t <- system.time(a <- suppressWarnings(suppressMessages(alpha(x, n.iter = n_iter))))[["elapsed"]]
      total <- total + t
      cat(sprintf("R %-14s k=%2d alpha=%.4f boot CI %.4f-%.4f %8.2f s\\n", parts[1], length(parts) - 1,
                  a$total$raw_alpha, a$boot.ci[1], a$boot.ci[3], t))
    }
    cat(sprintf("R total %.2f s\\n", total))
    """
)


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=1_500)
    parser.add_argument("--n-boot", type=int, default=1_000)
    parser.add_argument("--no-r", action="store_true", help="skip the R comparison")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd

    from scoring.instrument.catalog import bundled
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import keyed_items
    from scoring.samples.generator import generate_sample
    from scoring.stats.reliability.alpha import alpha, alpha_bootstrap

    t0 = time.perf_counter()
    responses = generate_sample(respondents=args.respondents, units=args.units, rounds=1, seed=1).responses
    print(f"sample: {len(responses)} respondents ({time.perf_counter() - t0:.1f} s to generate); memory before: {peak_mb():.0f} MB")

    keyed_all = []
    spec = []
    ours_total = 0.0
    for instrument_id in ("samhandlingsklima", "medbestemmelse"):
        inst = bundled(instrument_id)
        columns = ["response"] + [c for c in responses.columns if c in set(inst.item_ids)]
        coded = code_responses(responses[columns], inst)
        keyed = keyed_items(coded.items, inst)
        keyed_all.append(keyed)
        for scale in inst.scales:
            rs = inst.response_scale_of(scale.items[0])
            start = time.perf_counter()
            result = alpha(keyed[scale.items], low=rs.min, high=rs.max, n_boot=args.n_boot, seed=1)
            elapsed = time.perf_counter() - start
            ours_total += elapsed
            lo, hi = result.alpha_ci
            print(f"ours {scale.id:<14} k={len(scale.items):2d} n={result.n} alpha={result.alpha:.4f} "
                  f"std={result.std_alpha:.4f} G6={result.g6:.4f} boot CI {lo:.4f}-{hi:.4f} {elapsed:8.2f} s")
            spec.append(" ".join([scale.id, *scale.items]))
    print(f"ours total {ours_total:.2f} s; peak memory {peak_mb():.0f} MB")

    keyed = pd.concat(keyed_all, axis=1)
    eight = [c for c in keyed.columns if c.startswith(("sk_info", "sk_koord"))]
    block = keyed[eight]
    start = time.perf_counter()
    boot = alpha_bootstrap(block, n_boot=1000, seed=1)
    print(f"bootstrap alone, {len(block)} x {len(eight)} (pairwise, {np.isnan(block.to_numpy()).any(axis=1).mean():.0%} rows "
          f"with a missing answer), 1000 resamples: {time.perf_counter() - start:.2f} s")
    complete = block.dropna()
    start = time.perf_counter()
    alpha_bootstrap(complete, n_boot=1000, seed=1)
    print(f"bootstrap alone, {len(complete)} x {len(eight)} complete rows, 1000 resamples: {time.perf_counter() - start:.2f} s")
    del boot

    if args.no_r:
        return
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("Rscript not found: no R comparison")
        return
    with tempfile.TemporaryDirectory() as tmp:
        data_csv = Path(tmp) / "keyed.csv"
        spec_txt = Path(tmp) / "scales.txt"
        script = Path(tmp) / "bench.R"
        keyed.to_csv(data_csv, index=False, na_rep="")
        spec_txt.write_text("\n".join(spec) + "\n", encoding="utf-8")
        script.write_text(R_SCRIPT, encoding="utf-8")
        start = time.perf_counter()
        proc = subprocess.run([rscript, str(script), str(data_csv), str(spec_txt), str(args.n_boot)],
                              capture_output=True, text=True)
        r_wall = time.perf_counter() - start
        if proc.returncode != 0:
            print(f"R failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
            return
        print(proc.stdout, end="")
        r_total = next(float(line.split()[2]) for line in proc.stdout.splitlines() if line.startswith("R total"))
        print(f"R process wall time {r_wall:.1f} s (incl. start-up and reading the CSV)")
        print(f"ratio R / ours (sum of per-scale times): {r_total / ours_total:.1f}")


if __name__ == "__main__":
    main()
