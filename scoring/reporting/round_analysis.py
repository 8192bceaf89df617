"""A round's reliability and agreement: every scale of several instruments in one run.

What a national survey's coordinators and researchers read first after a round closes, per
scale: alpha with its percentile bootstrap interval, standardized alpha, G6, omega hierarchical
and total, ICC(1), ICC(2), the median rwg(j) over the units shown and how many units the unit
table shows after primary and complementary suppression (``samklima analyse``). Every figure is
that of the functions it comes from, unchanged:

* :func:`scoring.stats.reliability.alpha.alpha_scales` over the scales of all the instruments
  at once, so the respondents are resampled once for every scale (Cronbach 1951; McDonald 1999;
  the bootstrap as psych's ``alpha(n.iter = )``);
* :func:`scoring.reporting.aggregation.aggregate_instrument` per instrument (Bliese 2000; James,
  Demaree & Wolf 1984), whose unit tables pass :func:`scoring.privacy.suppress`.

The reliability comes first; its bootstrap keeps both cores busy on its own. Then the scales
are aggregated and their unit tables decided in two processes, half the scales each: that work
is mostly Python, so a second thread would only wait for the GIL, while a process forked from
this one (Linux) has the answers without copying them and runs on the core that is idle once the
reliability is done. Both processes use one BLAS thread (a second OpenBLAS thread spins on the
core the other process needs). Running the reliability beside the aggregation instead, in a
second thread or a forked process, was measured and dropped: the two cores were already full
(docs/psychometrics.md "Issue 15, 7 December (afternoon)").
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from scoring.instrument.model import Instrument
from scoring.privacy import DEFAULT_MIN_N, check_min_n
from scoring.reporting.aggregation import ScaleAggregation, aggregate_instrument
from scoring.responses.reading import CodedResponses
from scoring.responses.scores import keyed_items
from scoring.result import Result
from scoring.stats.reliability.alpha import ReliabilityResult, alpha_scales

COLUMNS = ["instrument", "scale", "items", "n", "alpha", "std_alpha", "g6", "ci_low", "ci_high", "ci_method",
           "omega_h", "omega_total", "icc1", "icc2", "rwg_j_median", "units_shown", "units"]


@dataclass(frozen=True, repr=False)
class ScaleAnalysis(Result):
    """One scale: its reliability and its aggregation to units (each the full result)."""

    instrument: str
    reliability: ReliabilityResult
    aggregation: ScaleAggregation

    def row(self) -> dict:
        rel, agg = self.reliability, self.aggregation
        low, high = rel.alpha_ci
        return {"instrument": self.instrument, "scale": rel.scale, "items": len(rel.item_names), "n": rel.n,
                "alpha": rel.alpha, "std_alpha": rel.std_alpha, "g6": rel.g6, "ci_low": low, "ci_high": high,
                "ci_method": rel.alpha_ci_method, "omega_h": rel.omega_h, "omega_total": rel.omega_total,
                "icc1": agg.icc.icc1, "icc2": agg.icc.icc2, "rwg_j_median": agg.rwg_j_median,
                "units_shown": agg.n_shown, "units": agg.n_units}

    def to_dict(self) -> dict:
        return {"instrument": self.instrument, "reliability": self.reliability.to_dict(), "aggregation": self.aggregation.to_dict()}

    def summary(self) -> str:
        return self.reliability.summary() + "\n\n" + self.aggregation.summary()


@dataclass(frozen=True, repr=False)
class RoundAnalysis(Result):
    """Every scale of the instruments analysed, in the instruments' order."""

    scales: list[ScaleAnalysis]
    n: int  # respondents (rows) analysed
    n_boot: int
    seed: int | None
    min_n: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([s.row() for s in self.scales], columns=COLUMNS)

    def to_dict(self) -> dict:
        return {"n": self.n, "n_boot": self.n_boot, "seed": self.seed, "min_n": self.min_n,
                "table": [{k: _plain(v) for k, v in s.row().items()} for s in self.scales],
                "scales": [s.to_dict() for s in self.scales]}

    def summary(self) -> str:
        frame = self.to_frame()
        interval = "bootstrap" if self.n_boot > 0 else "Feldt"
        head = (f"Reliability and agreement of {len(frame)} scale(s), {self.n:,} respondents "
                f"(alpha's 95% CI: {interval}{f', {self.n_boot:,} resamples' if self.n_boot > 0 else ''}; "
                f"units below {self.min_n} answers hidden)")
        shown = pd.DataFrame({
            "scale": frame["scale"], "k": frame["items"], "n": frame["n"], "alpha": frame["alpha"].map(_f3),
            "95% CI": [f"{_f3(lo)}-{_f3(hi)}" for lo, hi in zip(frame["ci_low"], frame["ci_high"])],
            "std": frame["std_alpha"].map(_f3), "G6": frame["g6"].map(_f3), "omega_h": frame["omega_h"].map(_f3),
            "omega_t": frame["omega_total"].map(_f3), "ICC1": frame["icc1"].map(_f3), "ICC2": frame["icc2"].map(_f3),
            "rwg(j) md": frame["rwg_j_median"].map(_f3),
            "units shown": [f"{a}/{b}" for a, b in zip(frame["units_shown"], frame["units"])],
        })
        return head + "\n" + shown.to_string(index=False)


def _f3(value) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.3f}"


def _plain(value):
    """JSON-ready: NaN as None, NumPy numbers as Python numbers."""
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def analyse_round(
    coded: Sequence[tuple[Instrument, CodedResponses]],
    units,
    *,
    n_boot: int = 1000,
    seed: int | None = None,
    min_n: int = DEFAULT_MIN_N,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
) -> RoundAnalysis:
    """Reliability (with a bootstrap CI when ``n_boot`` > 0) and aggregation of every scale.

    ``coded``: (instrument, its coded answers from :func:`scoring.responses.reading.code_responses`)
    for each instrument, all on the same respondents in the same row order; ``units``: each
    respondent's unit (as :func:`aggregate_instrument` takes it). ``progress(name)``, if given,
    is called as each scale's reliability and aggregation and the bootstrap are done. Scale ids
    must be unique across the instruments. ``workers``: processes aggregating the scales (None:
    2 on a machine with two or more cores, where a process can be forked, i.e. Linux; else 1).
    """
    min_n = check_min_n(min_n)
    if not coded:
        raise ValueError("no instrument to analyse")
    rows = {len(c.items) for _, c in coded}
    if len(rows) != 1 or len(units) != rows.pop():
        raise ValueError("the instruments' answers and the units must have the same rows")
    scales, limits, owner = {}, {}, {}
    for inst, _ in coded:
        for scale in inst.scales:
            if scale.id in scales:
                raise ValueError(f"scale id '{scale.id}' is in two instruments; analyse them separately")
            scales[scale.id] = list(scale.items)
            owner[scale.id] = inst.id
            rs = inst.response_scale_of(scale.items[0])
            if rs.has_limits:
                limits[scale.id] = (rs.min, rs.max)
    keyed = pd.concat([keyed_items(c.items, inst) for inst, c in coded], axis=1)
    results = alpha_scales(keyed, scales, limits=limits, n_boot=n_boot, seed=seed, omega=True, progress=progress)
    del keyed  # the aggregation keys its own copy of each instrument's answers
    aggregated = _aggregated(coded, units, min_n, progress, workers)
    return RoundAnalysis([ScaleAnalysis(owner[r.scale], r, aggregated[r.scale]) for r in results], len(units), n_boot, seed, min_n)


# What a forked worker aggregates, set just before the fork: a forked process starts with its
# parent's memory, so the answers reach it without being pickled (62 MB on a national round).
_FORKED: dict[int, tuple] = {}


def _aggregate_part(coded, units, min_n: int, part: list[tuple[int, str]], progress=None) -> dict[str, ScaleAggregation]:
    """The scales ``part`` ((instrument position, scale id), ...) aggregated to units."""
    out = {}
    for position, (inst, answers) in enumerate(coded):  # over instruments (two or three)
        wanted = [scale_id for at, scale_id in part if at == position]
        if wanted:
            step = None if progress is None else (lambda s: progress(f"{s} (units)"))
            out.update((r.scale, r) for r in aggregate_instrument(answers.items, units, inst, min_n=min_n, scales=wanted, progress=step).scales)
    return out


def _forked_part(key: int) -> dict[str, ScaleAggregation]:
    """In the forked worker: its share of the scales (:data:`_FORKED`), on one BLAS thread."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _aggregate_part(*_FORKED[key])


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _aggregated(coded, units, min_n: int, progress, workers: int | None) -> dict[str, ScaleAggregation]:
    """Every scale aggregated to units, half of them in a forked process when ``workers`` >= 2.

    The aggregation and the unit tables' suppression are mostly Python, so a second thread
    would wait for the GIL; a forked process runs its half on the other core, which is idle
    once the reliability is done. Which process aggregates a scale changes nothing in it (the
    privacy engine's kept row spaces are a cache of exact answers)."""
    jobs = [(position, scale.id) for position, (inst, _) in enumerate(coded) for scale in inst.scales]
    workers = (2 if (os.cpu_count() or 1) >= 2 else 1) if workers is None else workers
    if workers < 2 or len(jobs) < 2 or not _can_fork():
        return _aggregate_part(coded, units, min_n, jobs, progress)
    mine, theirs = jobs[0::2], jobs[1::2]  # alternate: the long total scale and its subscales spread
    key = id(theirs)
    _FORKED[key] = (coded, units, min_n, theirs)
    # One BLAS thread in each process: the aggregation's matrix products are small, and a second
    # OpenBLAS thread per process spins on the core the other process needs (measured: every
    # scale twice as slow with both processes on two BLAS threads).
    try:
        with threadpool_limits(limits=1, user_api="blas"), \
                ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            forked = pool.submit(_forked_part, key)
            out = _aggregate_part(coded, units, min_n, mine, progress)
            for scale_id, result in forked.result().items():
                out[scale_id] = result
                if progress is not None:
                    progress(f"{scale_id} (units)")
    finally:
        _FORKED.pop(key, None)
    return out
