"""The national round: the full psychometric analysis of 150,000 staff answers in 1,500 units.

Builds the sample (``generate_sample(respondents=150000, units=1500, rounds=1, seed=1)``) and,
for every scale of every staff instrument (every bundled instrument whose items are columns of
the staff responses: samhandlingsklima and medbestemmelse, 14 scales), runs what the quality
page shows:

- reliability (:func:`scoring.stats.reliability.alpha.alpha_scales`): raw and standardized alpha, G6
  (lambda-6), lambda-2, split-half, Feldt and Duhachek CIs, item statistics (item-rest r,
  alpha if dropped, frequencies, floor/ceiling), omega total and hierarchical (psych
  ``omega``: 3 group factors from 6 items, else 1) and a 1,000-resample percentile bootstrap CI
  for alpha (one resampling of the respondents for all scales);
- aggregation (:func:`scoring.reporting.aggregation.aggregate_instrument`): ICC(1), ICC(2), rwg(j), awg, AD
  per unit and the unit table with primary and complementary suppression (min_n = 5).

Prints the wall and CPU time of each stage and in all, the peak memory of the process
(``ru_maxrss``) after each stage and the load average (other processes on the machine slow both
sides). The publication (primary and complementary suppression of the unit table,
:func:`scoring.privacy.suppress`, called from inside the aggregation) is timed on its own line
and left out of "aggregation", so that the statistics and the anonymity rules can be read
apart. The floor is one bare NumPy pass over the same keyed answers (per item: count, sum and
sum of squares over everyone and per unit, which is all the data any figure reads); the run
prints ours / floor. The floors run in a forked child, so that their arrays do not count in the
analysis' peak memory. Where
``Rscript`` with psych and multilevel is installed, the same keyed answers go to a CSV and R
runs the same analysis per scale: ``psych::alpha(x, n.iter = 1000)``, ``psych::omega(x,
nfactors)``, ``multilevel::ICC1/ICC2(aov(score ~ unit))``, ``multilevel::rwg.j`` and the unit
means with n < 5 hidden (psych's defaults, so its bootstrap runs on 2 cores as ours does); it
prints R's wall time (reading the CSV not included; progress per scale on stderr), the ratio R /
ours, one run each, and the largest difference between our coefficients and R's. R takes about
an hour; ``--no-r`` skips it. Aims: at least 10x faster than R, under 3 s and 1.5 GB. No
assertions.

Last, the round's whole publication is decided (:func:`scoring.privacy.publication.decide_round`:
every cell of every page, all views and partners at once; docs/privacy.md) in a forked
process, so that its peak memory (``RUSAGE_CHILDREN``) is its own; it is stopped after
``--decide-limit`` seconds (default 1200) and the line says so.

    python bench/bench_national.py [--respondents 150000] [--units 1500] [--n-boot 1000] [--no-r] [--decide-limit 1200]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

R_SCRIPT = textwrap.dedent(
    r"""
    suppressPackageStartupMessages({library(psych); library(multilevel); library(jsonlite)})
    args <- commandArgs(trailingOnly = TRUE)
    d <- read.csv(args[1])
    spec <- fromJSON(args[2])
    n_iter <- as.integer(args[3])
    min_n <- as.integer(args[4])
    set.seed(1)  # psych's bootstrap uses mclapply with its default of 2 cores, as ours uses 2
    out <- list()
    t_all <- proc.time()[["elapsed"]]
    for (s in names(spec)) {
      items <- spec[[s]]$items
      x <- d[, items]
      score <- d[[spec[[s]]$score]]
      t0 <- proc.time()[["elapsed"]]
      a <- suppressWarnings(suppressMessages(alpha(x, n.iter = n_iter)))
      t1 <- proc.time()[["elapsed"]]
      nf <- if (length(items) >= 6) 3 else 1
      o <- suppressWarnings(suppressMessages(omega(x, nfactors = nf, plot = FALSE)))
      t2 <- proc.time()[["elapsed"]]
      fit <- aov(score ~ as.factor(d$unit))
      icc1 <- ICC1(fit); icc2 <- ICC2(fit)
      r <- rwg.j(x, d$unit, ranvar = spec[[s]]$ranvar)
      ok <- !is.na(score)
      n <- tapply(score[ok], d$unit[ok], length)
      m <- tapply(score[ok], d$unit[ok], mean)
      sdv <- tapply(score[ok], d$unit[ok], sd)
      m[n < min_n] <- NA; sdv[n < min_n] <- NA
      t3 <- proc.time()[["elapsed"]]
      message(sprintf("R %-12s alpha %.1f s, omega %.1f s, units %.1f s", s, t1 - t0, t2 - t1, t3 - t2))
      out[[s]] <- list(
        alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha, g6 = a$total[["G6(smc)"]],
        boot_ci = unname(a$boot.ci[c(1, 3)]), omega_h = o$omega_h, omega_total = o$omega.tot,
        icc1 = icc1, icc2 = icc2, rwg_j_median = median(r$rwg.j, na.rm = TRUE),
        t_alpha = t1 - t0, t_omega = t2 - t1, t_units = t3 - t2)
    }
    out[["_total"]] <- proc.time()[["elapsed"]] - t_all
    cat(toJSON(out, auto_unbox = TRUE, digits = NA))
    """
)


def peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux, bytes on macOS
    return rss / 2**20 if sys.platform == "darwin" else rss / 1024


def process_and_children_cpu() -> float:
    """CPU seconds of this process and of the children it has waited for (the analysis forks
    one for half the unit tables)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Clock:
    """Wall and CPU seconds of named stages (CPU: this process and its finished children)."""

    def __init__(self):
        self.stages: dict[str, tuple[float, float]] = {}

    def __call__(self, name: str, fn, *args, **kwargs):
        wall, cpu = time.perf_counter(), process_and_children_cpu()
        value = fn(*args, **kwargs)
        w, c = time.perf_counter() - wall, process_and_children_cpu() - cpu
        old = self.stages.get(name, (0.0, 0.0))
        self.stages[name] = (old[0] + w, old[1] + c)
        return value

    def total(self) -> tuple[float, float]:
        return sum(w for w, _ in self.stages.values()), sum(c for _, c in self.stages.values())


@contextlib.contextmanager
def timed_as(clock: Clock, module, name: str, stage: str, before=None):
    """Every call of ``module.name`` inside the block timed as ``stage`` of ``clock``, with
    ``before()``, if given, called first (outside the time)."""
    original = getattr(module, name)

    def timed(*args, **kwargs):
        if before is not None:
            before()
        return clock(stage, original, *args, **kwargs)

    setattr(module, name, timed)
    try:
        yield
    finally:
        setattr(module, name, original)


def stage_lines(clock: Clock, parts: Clock, memory: dict) -> list[str]:
    """The stages' wall and CPU seconds, with the analysis' parts under it: the reliability, then
    the unit tables (aggregation and publication; half the scales in a forked process), and of
    those, this process's half (the aggregation without the publication inside it)."""
    w_pub, c_pub = parts.stages.pop("publication", (0.0, 0.0))
    w_agg, c_agg = parts.stages.pop("aggregation", (0.0, 0.0))
    wall, cpu = clock.total()
    lines = [f"  {name:<14}{w:7.2f} {c:7.2f}   peak memory so far {memory.get(name, peak_mb()):.0f} MB"
             for name, (w, c) in clock.stages.items()]
    lines += [f"    {name:<12}{w:7.2f} {c:7.2f}" for name, (w, c) in parts.stages.items()]
    lines += [f"      {'aggregation':<10}{w_agg - w_pub:7.2f} {c_agg - c_pub:7.2f}   this process's half of the scales",
              f"      {'publication':<10}{w_pub:7.2f} {c_pub:7.2f}   this process's half of the unit tables"]
    lines.append(f"  {'total':<14}{wall:7.2f} {cpu:7.2f}   peak memory of the process {peak_mb():.0f} MB (aims: < 3 s, < 1536 MB)")
    return lines


def numpy_floor(keyed, units) -> float:
    """Seconds of one bare NumPy pass over the keyed answers: per item the count, sum and sum of
    squares over everyone and per unit (``np.bincount`` on the unit codes). Nothing any analysis
    can do reads less of the data."""
    import numpy as np

    start = time.perf_counter()
    x = keyed.to_numpy(dtype=float)
    codes = units.cat.codes.to_numpy()
    answered = ~np.isnan(x)
    x0 = np.where(answered, x, 0.0)
    n_units = len(units.cat.categories)
    for j in range(x.shape[1]):  # over the 52 items, not respondents
        np.bincount(codes, weights=answered[:, j], minlength=n_units)
        np.bincount(codes, weights=x0[:, j], minlength=n_units)
        np.bincount(codes, weights=x0[:, j] * x0[:, j], minlength=n_units)
    answered.sum(axis=0), x0.sum(axis=0), (x0 * x0).sum(axis=0)
    return time.perf_counter() - start


def gemm_floor(rows: int, columns: int, n_boot: int) -> float:
    """Seconds of the bare float32 matrix product an exact bootstrap of every pairwise covariance
    cannot avoid: (n_boot x rows) resampling counts times (rows x columns) cross-products, in
    the same chunks of 250 resamples as :mod:`scoring.stats.bootstrap`."""
    import numpy as np

    rng = np.random.default_rng(0)
    design = rng.integers(0, 5, size=(rows, columns)).astype(np.float32)
    counts = np.asfortranarray(rng.integers(0, 3, size=(min(250, n_boot), rows)).astype(np.float32))
    start = time.perf_counter()
    for _ in range(-(-n_boot // len(counts))):
        counts @ design
    return time.perf_counter() - start


def _run_into(fn, out) -> None:
    out.put(fn())


def in_child(fn):
    """``fn()`` computed in a forked process (its memory is not this process' peak)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_run_into, args=(fn, out))
    child.start()
    value = out.get()
    child.join()
    return value


def resident_mb() -> float:
    """This process's resident memory now (Linux /proc/self/statm; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_children_gb() -> float:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / 2**30 if sys.platform == "darwin" else rss / 2**20


def _decide_child(sample, instruments, min_n: int, out) -> None:
    from scoring.privacy.answers import round_answers
    from scoring.privacy.publication import decide_round

    table = sample.responses.reset_index(drop=True)
    answers = round_answers(table, instruments, str(table["round"].iloc[0]), min_n)
    wall, cpu = time.perf_counter(), time.process_time()
    cells = decide_round(sample.units, answers).cells
    out.put((time.perf_counter() - wall, time.process_time() - cpu, int((~cells["hidden"]).sum()), len(cells)))


def decide_national(sample, instruments, min_n: int, limit: float):
    """Decide the round's publication for the whole organisation (:func:`decide_round`: every
    cell of every page) in a forked process, so that its peak memory is its own; stopped after
    ``limit`` seconds. (wall s, CPU s, shown, cells) or None if it did not finish."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_decide_child, args=(sample, instruments, min_n, out))
    child.start()
    try:
        return out.get(timeout=limit)
    except Exception:  # queue.Empty: not finished in time
        return None
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def decided_line(decided, limit: float, floor: float) -> str:
    if decided is None:
        return f"publication (national round decided): not finished in {limit:.0f} s (peak memory {peak_children_gb():.1f} GB when stopped)"
    seconds, cpu, shown, cells = decided
    return (f"publication (national round decided): {seconds:.1f} s ({cpu:.1f} s CPU), {peak_children_gb():.2f} GB; "
            f"{shown:,} of {cells:,} cells shown; ratio decided / floor {seconds / floor:.0f}x")


def blas_line() -> str:
    """Which BLAS and kernels this process runs (threadpoolctl), and the OPENBLAS_* variables set:
    a machine that pins OpenBLAS to older kernels (OPENBLAS_CORETYPE) multiplies at half speed."""
    from threadpoolctl import threadpool_info

    pinned = {k: v for k, v in os.environ.items() if k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    libs = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture', '')} kernels, {i.get('num_threads')} threads"
            for i in threadpool_info() if i.get("user_api") == "blas"]
    return f"BLAS: {'; '.join(libs) or 'none found'}; " + (", ".join(f"{k}={v}" for k, v in pinned.items()) or "OPENBLAS_CORETYPE not set")


def staff_instruments(columns) -> list:
    from scoring.instrument.catalog import bundled_all

    present = set(columns)
    return [inst for inst in bundled_all() if inst.item_ids and set(inst.item_ids) <= present]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=150_000)
    parser.add_argument("--units", type=int, default=1_500)
    parser.add_argument("--n-boot", type=int, default=1_000)
    parser.add_argument("--min-n", type=int, default=5)
    parser.add_argument("--no-r", action="store_true", help="skip the R comparison")
    parser.add_argument("--decide-limit", type=float, default=1200.0,
                        help="seconds allowed for deciding the round's publication (0: skip)")
    args = parser.parse_args()

    import numpy as np
    import pandas as pd

    import scoring.reporting.aggregation as aggregation_module
    import scoring.reporting.round_analysis as round_analysis
    from scoring.reporting.round_analysis import analyse_round
    from scoring.responses.reading import code_responses
    from scoring.responses.scores import keyed_items, score_scales
    from scoring.samples.generator import generate_sample
    from scoring.stats.multilevel import rwg_j

    start = time.perf_counter()
    sample = generate_sample(respondents=args.respondents, units=args.units, rounds=1, seed=1)
    responses = sample.responses
    instruments = staff_instruments(responses.columns)
    print(f"sample: {len(responses):,} respondents in {responses['unit'].nunique():,} units, generated in "
          f"{time.perf_counter() - start:.1f} s; instruments: {', '.join(i.id for i in instruments)}")
    print(f"load average before: {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")
    print(blas_line())

    clock = Clock()
    memory: dict[str, float] = {}
    units = clock("code", lambda: responses["unit"].astype("category"))
    coded_all, keyed_all, scales, limits, spec = [], [], {}, {}, {}
    for inst in instruments:
        coded = clock("code", code_responses, responses[["response", "unit", *inst.item_ids]], inst)
        coded_all.append(coded)
        keyed_all.append(keyed_items(coded.items, inst))  # for the floors and R, not timed (the analysis keys its own)
        for s in inst.scales:
            rs = inst.response_scale_of(s.items[0])
            scales[s.id] = list(s.items)
            if rs.has_limits:
                limits[s.id] = (rs.min, rs.max)
            spec[s.id] = {"items": list(s.items), "score": f"score_{s.id}", "ranvar": (len(rs.valid_codes) ** 2 - 1) / 12}
    keyed = pd.concat(keyed_all, axis=1)
    memory["code"] = peak_mb()
    # What `samklima analyse` runs (scoring.reporting.round_analysis): the reliability of every
    # scale (one bootstrap for all), then the aggregation with each unit table's publication.
    parts = Clock()
    at_fork: list[float] = []  # this process's resident memory when the unit tables' worker is forked
    with timed_as(parts, round_analysis, "alpha_scales", "reliability"), \
            timed_as(parts, round_analysis, "_aggregated", "unit tables", before=lambda: at_fork.append(resident_mb())), \
            timed_as(parts, round_analysis, "aggregate_instrument", "aggregation"), \
            timed_as(parts, aggregation_module, "suppress", "publication"):
        result = clock("analysis", analyse_round, list(zip(instruments, coded_all)), units, n_boot=args.n_boot, seed=1,
                       min_n=args.min_n)
    reliability = [scale.reliability for scale in result.scales]
    aggregation = [scale.aggregation for scale in result.scales]
    memory["analysis"] = peak_mb()
    worker_mb = peak_children_gb() * 1024 - at_fork[0]  # its resident peak less the pages it shares with this process
    wall, cpu = clock.total()
    pairs = {(a, b) for cols in scales.values() for a in cols for b in cols if a <= b}
    # The floors run in a forked child so that their own arrays (the product's 380 MB design)
    # do not count in the analysis' peak memory printed below.
    floor, gemm = in_child(lambda: (min(numpy_floor(keyed, units) for _ in range(3)),
                                    gemm_floor(len(keyed), keyed.shape[1] + len(pairs), args.n_boot)))
    scores_all = [score_scales(coded.items, inst) for inst, coded in zip(instruments, coded_all)]

    print(f"\n{'scale':<13}{'k':>3}{'n':>8}{'alpha':>8}{'std':>7}{'G6':>7}{'boot 95% CI':>17}{'omega_h':>9}{'omega_t':>9}"
          f"{'ICC1':>7}{'ICC2':>7}{'rwg_j md':>9}{'shown':>11}")
    for rel, agg in zip(reliability, aggregation):
        lo, hi = rel.alpha_ci
        print(f"{rel.scale:<13}{len(rel.item_names):>3}{rel.n:>8}{rel.alpha:>8.4f}{rel.std_alpha:>7.3f}{rel.g6:>7.3f}"
              f"{lo:>9.4f}-{hi:.4f}{rel.omega_h:>9.3f}{rel.omega_total:>9.3f}{agg.icc.icc1:>7.3f}{agg.icc.icc2:>7.3f}"
              f"{agg.rwg_j_median:>9.3f}{agg.n_shown:>6}/{agg.n_units}")
    print("\nours, by stage (wall / CPU seconds; the analysis is `samklima analyse`, its parts under it):")
    print("\n".join(stage_lines(clock, parts, memory)))
    print(f"  the forked worker for half the unit tables: about {max(worker_mb, 0):.0f} MB of its own "
          f"(its resident peak less this process's {at_fork[0]:.0f} MB at the fork, shared until written)")
    print(f"floor: one bare NumPy pass over the {keyed.shape[0]:,} x {keyed.shape[1]} keyed answers (best of 3) {floor:.3f} s; "
          f"ratio ours / floor {wall / floor:.0f}x")
    reliability_wall = parts.stages["reliability"][0]
    print(f"bootstrap floor: the bare float32 product ({args.n_boot:,} x {len(keyed):,}) @ ({len(keyed):,} x {keyed.shape[1] + len(pairs)}) "
          f"{gemm:.2f} s; ratio reliability / (pass + product) {reliability_wall / (floor + gemm):.1f}x")
    if args.decide_limit > 0:
        print(decided_line(decide_national(sample, instruments, args.min_n, args.decide_limit), args.decide_limit, floor))
    print(f"load average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")

    rscript = shutil.which("Rscript")
    if args.no_r or rscript is None:
        print("\nR: skipped" + ("" if args.no_r else " (Rscript not found)"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        frame = pd.concat([responses[["unit"]].reset_index(drop=True), keyed.reset_index(drop=True)]
                          + [s.reset_index(drop=True).add_prefix("score_") for s in scores_all], axis=1)
        csv = Path(tmp) / "national.csv"
        frame.to_csv(csv, index=False, na_rep="NA")
        script = Path(tmp) / "national.R"
        script.write_text(R_SCRIPT, encoding="utf-8")
        spec_json = Path(tmp) / "spec.json"
        spec_json.write_text(json.dumps(spec), encoding="utf-8")
        print(f"\nR: psych alpha(n.iter = {args.n_boot}) + omega, multilevel ICC1/ICC2/rwg.j and unit means per scale (one run) ...", flush=True)
        started = time.perf_counter()
        proc = subprocess.run([rscript, "--vanilla", str(script), str(csv), str(spec_json), str(args.n_boot), str(args.min_n)],
                              stdout=subprocess.PIPE, text=True)  # R's progress lines go to our stderr
        r_process = time.perf_counter() - started
    if proc.returncode != 0:
        print(f"R failed ({proc.returncode}); its messages are above")
        return
    r = json.loads(proc.stdout)
    r_total = r.pop("_total")
    print(f"{'scale':<13}{'R alpha s':>10}{'omega s':>9}{'units s':>9}   |ours - R|: alpha, std, G6, omega_h, omega_t, ICC1, ICC2, rwg_j md; boot CI (R)")
    worst = {}
    for rel, agg in zip(reliability, aggregation):
        ref = r[rel.scale]
        diffs = {
            "alpha": rel.alpha - ref["alpha"], "std_alpha": rel.std_alpha - ref["std_alpha"], "g6": rel.g6 - ref["g6"],
            "omega_h": (rel.omega_h - ref["omega_h"]) if np.isfinite(rel.omega_h) else 0.0,
            "omega_total": rel.omega_total - ref["omega_total"],
            "icc1": agg.icc.icc1 - ref["icc1"], "icc2": agg.icc.icc2 - ref["icc2"],
            # R's median is over every unit; the unit table's over the units it shows
            "rwg_j_median": float(np.nanmedian(rwg_j(keyed[spec[rel.scale]["items"]], units, spec[rel.scale]["ranvar"])["rwg_j"])) - ref["rwg_j_median"],
        }
        for key, value in diffs.items():
            worst[key] = max(worst.get(key, 0.0), abs(value))
        print(f"{rel.scale:<13}{ref['t_alpha']:>10.1f}{ref['t_omega']:>9.2f}{ref['t_units']:>9.2f}   "
              + " ".join(f"{abs(v):.0e}" for v in diffs.values()) + f"; {ref['boot_ci'][0]:.4f}-{ref['boot_ci'][1]:.4f}")
    print(f"R total {r_total:.1f} s (process {r_process:.1f} s incl. start-up and reading the CSV)")
    print("largest |ours - R|: " + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    print(f"ratio R / ours (analysis, one run each): {r_total / wall:.1f}x")


if __name__ == "__main__":
    main()
