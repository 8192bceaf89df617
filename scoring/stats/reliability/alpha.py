"""Reliability of a scale: Cronbach's alpha and its relatives, with CIs and item statistics.

Everything here agrees with R's psych (``alpha``, ``splitHalf``, ``alpha.ci``, ``smc``) on the
same data; see ``tests/stats/test_reliability.py`` for the fixtures and tolerances. Input is a table
of item answers (rows = respondents, columns = items, NaN = missing) that the caller has
already reverse-keyed.

Notation: k items, C their covariance matrix, R = cov2cor(C), 1'C1 the sum of all elements.

- raw alpha (Cronbach 1951, Guttman's lambda-3) = k/(k-1) * (1 - tr(C) / 1'C1)
- standardized alpha = the same on R = k/(k-1) * (1 - k / 1'R1)
- G6 (Guttman's lambda-6, psych ``G6(smc)``) = 1 - sum(1 - smc_j) / 1'R1, with
  smc_j = 1 - 1/(R^+)_jj the squared multiple correlation of item j with the others
  (R^+ the Moore-Penrose inverse; values clipped to [0, 1] as psych does)
- lambda-2 (Guttman 1945) = (1'C1 - tr(C) + sqrt(k/(k-1) * sum_{j!=l} C_jl^2)) / 1'C1
- average r = mean of the off-diagonal r_jl; S/N = k r / (1 - r); median r
- item-rest r (psych ``r.drop``) = (1'C_j - C_jj) / sqrt(C_jj * 1'C_(-j)1)
- split-half: lambda-4 max (best split) and beta (worst split) of 4 * R_AB / 1'R1 over splits
  of the items into halves A, B (psych ``splitHalf``)

Missing data: ``missing="pairwise"`` (psych's default) uses pairwise-complete covariances, as
``cov(x, use = "pairwise")``; ``missing="listwise"`` (SPSS, PSPP) keeps only complete rows.

Deliberate differences from psych, all stated in the result's ``warnings`` or here:

- rows without any answer to the scale's items are left out, so n (and the Feldt and
  Duhachek intervals, which depend on n) counts respondents who answered at least one item;
  psych counts every row given to it;
- the Duhachek interval uses the normal quantile (1.959964 for 95%), psych prints +-1.96;
- with two items, alpha-if-dropped is NaN (one item has no alpha); psych reports other ratios;
- the warning about items that "probably should be reverse-keyed" names the items with a
  negative item-rest correlation (psych looks at the signs of first-component loadings);
- split-half with an odd number of items evaluates every split; psych evaluates only the first
  half of them in lexicographic order. Items are not re-keyed (psych's splitHalf flips items
  with negative loadings by default); the caller keys the items.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from scoring.errors import Coded, check_choice, library_reason
from scoring.result import Result
from scoring.stats.bootstrap import bootstrap_covariances
from scoring.stats.pairwise import ROW_BLOCK, PairwiseMoments, covariances_from_sums

MISSING_RULES = ("pairwise", "listwise")
CI_METHODS = ("feldt", "duhachek", "bootstrap")
FLOOR_CEILING_LIMIT = 0.15  # share of answers at an end above which an item is flagged
MAX_FREQUENCY_CODES = 11  # response frequencies only for items with at most this many codes
MAX_ENUMERATED_SPLITS = 200_000  # more splits than this: a random sample of split-halves
SAMPLED_SPLITS = 10_000  # as psych's n.sample


# --------------------------------------------------------------------------- building blocks


def pairwise_covariance(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise-complete covariance matrix and the number of rows per pair.

    C_jl = sum_i (x_ij - m_j|l)(x_il - m_l|j) / (n_jl - 1) over the n_jl rows answering both
    items, m_j|l the mean of item j on those rows: R's ``cov(x, use = "pairwise")``. NaN when
    n_jl < 2.
    """
    x = np.asarray(x, dtype=float)
    answered = ~np.isnan(x)
    centre = np.nanmean(x, axis=0) if answered.any() else np.zeros(x.shape[1])
    centre = np.where(np.isnan(centre), 0.0, centre)
    x0 = np.where(answered, x - centre, 0.0)
    m = answered.astype(float)
    n_pair = m.T @ m
    sx = x0.T @ m  # [j, l]: sum of x_j over the rows where l (and j) is answered
    return covariances_from_sums(n_pair, sx, x0.T @ x0), n_pair.astype(int)


def cov2cor(c: np.ndarray) -> np.ndarray:
    """R = D^-1/2 C D^-1/2 (NaN where a variance is not positive)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(np.diag(c))
        r = c / np.outer(d, d)
    np.fill_diagonal(r, np.where(np.diag(c) > 0, 1.0, np.nan))
    return r


def pinv(a: np.ndarray) -> np.ndarray:
    """Moore-Penrose inverse with psych's tolerance: singular values <= sqrt(eps) * d_max dropped."""
    u, d, vt = np.linalg.svd(a)
    keep = d > max(math.sqrt(np.finfo(float).eps) * d[0], 0.0)
    return (vt[keep].T / d[keep]) @ u[:, keep].T


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations smc_j = 1 - 1/(R^+)_jj, clipped to [0, 1] (psych ``smc``).

    R^+ is the pseudo-inverse (psych ``Pinv``), so a singular R (collinear items) gives finite
    values. NaN when R has NaN (psych then guesses from partial matrices; we do not).
    """
    if np.isnan(r).any():
        return np.full(r.shape[0], np.nan)
    with np.errstate(divide="ignore"):
        out = 1.0 - 1.0 / np.diag(pinv(r))
    return np.clip(out, 0.0, 1.0)


def alpha_from_covariance(c: np.ndarray) -> dict[str, float]:
    """Coefficients of a covariance (or correlation) matrix, as psych's internal ``alpha.1``.

    Returns ``alpha``, ``std_alpha``, ``g6``, ``average_r``, ``s_n``, ``median_r``, ``var_r``
    (variance of the off-diagonal r) and ``q`` (n * ASE^2, see :func:`alpha_ase`); formulas in
    the module docstring. On a correlation matrix alpha and std_alpha coincide (psych's
    ``alpha(R)``; ordinal alpha is this on the polychoric matrix).
    """
    k = c.shape[0]
    r = cov2cor(c)
    total_c = c.sum()
    total_r = r.sum()
    tr_c = np.trace(c)
    lower = r[np.tril_indices(k, -1)]
    av_r = (total_r - k) / (k * (k - 1))
    cc = c @ c
    with np.errstate(invalid="ignore", divide="ignore"):
        q = (2 * k**2 / ((k - 1) ** 2 * total_c**3)) * (total_c * (np.trace(cc) + tr_c**2) - 2 * tr_c * cc.sum())
        return {
            "alpha": (1 - tr_c / total_c) * k / (k - 1),
            "std_alpha": (1 - k / total_r) * k / (k - 1),
            "g6": 1 - (k - smc(r).sum()) / total_r,
            "average_r": av_r,
            "s_n": k * av_r / (1 - av_r),
            "median_r": float(np.median(lower)) if lower.size else float("nan"),
            "var_r": float(np.var(lower, ddof=1)) if lower.size > 1 else float("nan"),
            "q": q,
        }


def guttman_lambda2(c: np.ndarray) -> float:
    """lambda-2 = (1'C1 - tr(C) + sqrt(k/(k-1) * sum_{j != l} C_jl^2)) / 1'C1 (Guttman 1945).

    On a covariance matrix (comparable with raw alpha, lambda-2 >= alpha) or on a correlation
    matrix (as psych::splitHalf by default).
    """
    k = c.shape[0]
    off = c - np.diag(np.diag(c))
    with np.errstate(invalid="ignore", divide="ignore"):
        return float((off.sum() + math.sqrt(k / (k - 1) * (off**2).sum())) / c.sum())


def alpha_ci_feldt(alpha: float, n: int, k: int, *, level: float = 0.95) -> tuple[float, float]:
    """Feldt (1987) confidence interval for alpha from the F distribution.

    lower = 1 - (1 - alpha) F_{1-a/2}(n-1, (n-1)(k-1)),
    upper = 1 - (1 - alpha) F_{a/2}(n-1, (n-1)(k-1)), a = 1 - level (psych ``alpha.ci``).

    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for coefficient
    alpha. Applied Psychological Measurement, 11, 93-103.
    """
    if not (np.isfinite(alpha) and n >= 2 and k >= 2):
        return (float("nan"), float("nan"))
    a = 1 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - alpha) * stats.f.ppf(1 - a / 2, df1, df2), 1 - (1 - alpha) * stats.f.ppf(a / 2, df1, df2))


def alpha_ase(cov: np.ndarray, n: int) -> float:
    """Asymptotic standard error of alpha (Duhachek & Iacobucci 2004; psych's ``ase``).

    ASE = sqrt(Q / n), Q = 2k^2 / ((k-1)^2 (1'C1)^3) * [1'C1 (tr(C^2) + tr(C)^2) - 2 tr(C) 1'C^2 1].

    Duhachek, A., & Iacobucci, D. (2004). Alpha's standard error (ASE): an accurate and precise
    confidence interval estimate. Journal of Applied Psychology, 89, 792-808.
    """
    cov = np.asarray(cov, dtype=float)
    if cov.shape[0] < 2 or n < 2 or np.isnan(cov).any():
        return float("nan")
    q = alpha_from_covariance(cov)["q"]
    return float(math.sqrt(q / n)) if q >= 0 else float("nan")


def alpha_ci_duhachek(cov: np.ndarray, n: int, *, level: float = 0.95) -> tuple[float, float]:
    """Normal-theory interval alpha +- z_{1-a/2} ASE (Duhachek & Iacobucci 2004).

    The interval is not clipped to [-inf, 1], as in psych.
    """
    cov = np.asarray(cov, dtype=float)
    se = alpha_ase(cov, n)
    if not np.isfinite(se):
        return (float("nan"), float("nan"))
    k = cov.shape[0]
    a = (1 - np.trace(cov) / cov.sum()) * k / (k - 1)
    z = stats.norm.ppf(1 - (1 - level) / 2)
    return (float(a - z * se), float(a + z * se))


# --------------------------------------------------------------------------- result objects


def _clean(value):
    """JSON-ready: NaN/inf -> None, NumPy scalars -> Python, tuples -> lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def _fmt(value: float, digits: int = 2) -> str:
    return "NA" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


@dataclass(frozen=True, repr=False)
class SplitHalfResult(Result):
    """Split-half reliabilities 4 R_AB / 1'R1 over splits of the items into two halves.

    ``best`` is Guttman's lambda-4 (the maximum), ``worst`` Revelle's beta (the minimum),
    ``mean`` the average over the splits evaluated (all of them when ``enumerated``).
    """

    best: float
    worst: float
    mean: float
    best_split: tuple[list[str], list[str]]
    worst_split: tuple[list[str], list[str]]
    n_splits: int
    enumerated: bool
    covariances: bool
    alpha: float
    lambda2: float
    lambda6: float
    average_r: float
    median_r: float

    def summary(self) -> str:
        how = "all" if self.enumerated else "a random sample of"
        on = "covariances" if self.covariances else "correlations"
        return (
            f"Split half reliabilities ({how} {self.n_splits} splits, on {on})\n"
            f"Maximum split half reliability (lambda 4) = {_fmt(self.best)}\n"
            f"Guttman lambda 6                          = {_fmt(self.lambda6)}\n"
            f"Average split half reliability            = {_fmt(self.mean)}\n"
            f"Guttman lambda 3 (alpha)                  = {_fmt(self.alpha)}\n"
            f"Guttman lambda 2                          = {_fmt(self.lambda2)}\n"
            f"Minimum split half reliability  (beta)    = {_fmt(self.worst)}\n"
            f"Average interitem r = {_fmt(self.average_r)} with median = {_fmt(self.median_r)}"
        )

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([
            {"split": "best", "reliability": self.best, "half_a": " ".join(self.best_split[0]), "half_b": " ".join(self.best_split[1])},
            {"split": "worst", "reliability": self.worst, "half_a": " ".join(self.worst_split[0]), "half_b": " ".join(self.worst_split[1])},
        ])

    def to_dict(self) -> dict:
        return _clean({
            "lambda4": self.best, "beta": self.worst, "mean": self.mean,
            "best_split": list(self.best_split), "worst_split": list(self.worst_split),
            "n_splits": self.n_splits, "enumerated": self.enumerated, "covariances": self.covariances,
            "alpha": self.alpha, "lambda2": self.lambda2, "lambda6": self.lambda6,
            "average_r": self.average_r, "median_r": self.median_r,
        })


@dataclass(frozen=True, repr=False)
class BootstrapResult(Result):
    """Percentile bootstrap of alpha: ``n_boot`` resamples of respondents (seeded)."""

    alpha: np.ndarray
    std_alpha: np.ndarray
    level: float
    seed: int | None
    missing: str

    @property
    def n_boot(self) -> int:
        return len(self.alpha)

    @property
    def n_failed(self) -> int:
        """Resamples where alpha could not be computed (e.g. an item without variance)."""
        return int(np.isnan(self.alpha).sum())

    def _ci(self, values: np.ndarray) -> tuple[float, float]:
        ok = values[np.isfinite(values)]
        if ok.size == 0:
            return (float("nan"), float("nan"))
        a = 1 - self.level
        lo, hi = np.quantile(ok, [a / 2, 1 - a / 2])  # R's quantile type 7, as psych's boot.ci
        return (float(lo), float(hi))

    @property
    def ci(self) -> tuple[float, float]:
        return self._ci(self.alpha)

    @property
    def std_ci(self) -> tuple[float, float]:
        return self._ci(self.std_alpha)

    def summary(self) -> str:
        lo, hi = self.ci
        return f"Bootstrap ({self.n_boot} resamples, seed {self.seed}): {self.level:.0%} percentile CI for alpha {_fmt(lo)} - {_fmt(hi)}"

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"alpha": self.alpha, "std_alpha": self.std_alpha})

    def to_dict(self) -> dict:
        return _clean({"n_boot": self.n_boot, "seed": self.seed, "level": self.level, "ci": self.ci,
                       "std_alpha_ci": self.std_ci, "n_failed": self.n_failed})


@dataclass(frozen=True, repr=False)
class ReliabilityResult(Result):
    """Reliability of one scale. Coefficients are attributes; ``items`` is the item table.

    ``n`` respondents (rows with at least one answer; complete rows with listwise deletion),
    ``n_rows`` rows given; ``items_used`` are the items that entered the coefficients (items
    without variance or answers are left out, as psych does, and named in ``warnings``).
    """

    scale: str | None
    item_names: list[str]
    items_used: list[str]
    n: int
    n_rows: int
    missing: str
    alpha: float
    std_alpha: float
    g6: float
    lambda2: float
    average_r: float
    median_r: float
    var_r: float
    s_n: float
    ase: float
    mean: float
    sd: float
    alpha_ci: tuple[float, float]
    alpha_ci_method: str
    level: float
    feldt_ci: tuple[float, float]
    duhachek_ci: tuple[float, float]
    items: pd.DataFrame
    frequencies: pd.DataFrame
    limits: tuple[float, float]
    limits_observed: bool
    split_half: SplitHalfResult | None = None
    bootstrap: BootstrapResult | None = None
    ordinal_alpha: float = float("nan")
    omega_total: float = float("nan")
    omega_h: float = float("nan")
    covariance: pd.DataFrame | None = None
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Readable report in the layout of psych's print.alpha."""
        title = f"Reliability analysis{' of ' + self.scale if self.scale else ''}"
        rule = "pairwise-complete covariances" if self.missing == "pairwise" else "listwise deletion (complete rows)"
        lines = [title, f"{len(self.item_names)} items, n = {self.n} ({rule})", ""]
        head = pd.DataFrame([{
            "raw_alpha": self.alpha, "std.alpha": self.std_alpha, "G6(smc)": self.g6, "lambda2": self.lambda2,
            "average_r": self.average_r, "S/N": self.s_n, "ase": self.ase, "mean": self.mean, "sd": self.sd,
            "median_r": self.median_r,
        }], index=[""])
        lines.append(head.to_string(float_format=lambda v: f"{v:.3g}"))
        lo, hi = self.alpha_ci
        lines.append("")
        lines.append(f"{self.level:.0%} confidence limits for alpha ({self.alpha_ci_method}): {_fmt(lo)} - {_fmt(hi)}")
        lines.append(f"  Feldt {_fmt(self.feldt_ci[0])} - {_fmt(self.feldt_ci[1])}; Duhachek {_fmt(self.duhachek_ci[0])} - {_fmt(self.duhachek_ci[1])}"
                     + (f"; bootstrap {_fmt(self.bootstrap.ci[0])} - {_fmt(self.bootstrap.ci[1])} ({self.bootstrap.n_boot} resamples)" if self.bootstrap else ""))
        extra = []
        if np.isfinite(self.omega_total):
            extra.append(f"omega total {_fmt(self.omega_total)}")
        if np.isfinite(self.omega_h):
            extra.append(f"omega hierarchical {_fmt(self.omega_h)}")
        if np.isfinite(self.ordinal_alpha):
            extra.append(f"ordinal alpha {_fmt(self.ordinal_alpha)}")
        if extra:
            lines.append("  " + "; ".join(extra))
        if self.split_half is not None:
            sh = self.split_half
            lines.append(f"Split half: best (lambda 4) {_fmt(sh.best)}, worst (beta) {_fmt(sh.worst)}, mean {_fmt(sh.mean)} ({sh.n_splits} splits)")
        table = self.items.set_index("item")
        lines += ["", "Reliability if an item is dropped:"]
        lines.append(table[["alpha_if_dropped", "std_alpha_if_dropped", "g6_if_dropped", "average_r_if_dropped"]]
                     .rename(columns=lambda c: c.replace("_if_dropped", "")).to_string(float_format=lambda v: f"{v:.2f}"))
        lines += ["", "Item statistics:"]
        lines.append(table[["n", "raw_r", "std_r", "r_cor", "item_rest_r", "mean", "sd", "floor", "ceiling", "missing_share"]]
                     .rename(columns={"item_rest_r": "r.drop"}).to_string(float_format=lambda v: f"{v:.2f}"))
        if not self.frequencies.empty:
            lines += ["", "Response frequencies (share of answers; miss = share missing):"]
            lines.append(self.frequencies.to_string(float_format=lambda v: f"{v:.2f}"))
        if self.warnings:
            lines += [""] + [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The item table: one row per item (see :func:`item_statistics` for the columns)."""
        return self.items.copy()

    def to_dict(self) -> dict:
        """JSON-ready (NaN -> None): the contract of ``samklima reliability --json``."""
        item_keys = ["item", "n", "mean", "sd", "item_rest_r", "alpha_if_dropped", "std_alpha_if_dropped",
                     "g6_if_dropped", "average_r_if_dropped", "raw_r", "std_r", "r_cor",
                     "floor", "ceiling", "floor_effect", "ceiling_effect", "missing_share"]
        items = []
        for row in self.items.to_dict(orient="records"):
            entry = {key: row[key] for key in item_keys}
            if not self.frequencies.empty and row["item"] in self.frequencies.index:
                entry["frequencies"] = self.frequencies.loc[row["item"]].drop("miss").to_dict()
            items.append(entry)
        return _clean({
            "scale": self.scale,
            "n": self.n,
            "n_rows": self.n_rows,
            "n_items": len(self.item_names),
            "items_used": self.items_used,
            "missing": self.missing,
            "alpha": self.alpha,
            "alpha_ci": self.alpha_ci,
            "alpha_ci_method": self.alpha_ci_method,
            "alpha_ci_level": self.level,
            "feldt_ci": self.feldt_ci,
            "duhachek_ci": self.duhachek_ci,
            "ase": self.ase,
            "bootstrap": self.bootstrap.to_dict() if self.bootstrap else None,
            "std_alpha": self.std_alpha,
            "g6": self.g6,
            "lambda2": self.lambda2,
            "average_r": self.average_r,
            "median_r": self.median_r,
            "s_n": self.s_n,
            "mean": self.mean,
            "sd": self.sd,
            "split_half": self.split_half.to_dict() if self.split_half else None,
            "omega_total": self.omega_total,
            "omega_h": self.omega_h,
            "ordinal_alpha": self.ordinal_alpha,
            "limits": self.limits,
            "items": items,
            "warnings": self.warnings,
        })


# --------------------------------------------------------------------------- preparation


@dataclass
class _Prepared:
    frame: pd.DataFrame  # rows used (after the missing-data rule), all items
    names: list[str]
    used: list[str]  # items with variance
    n_rows: int
    low: float
    high: float
    limits_observed: bool
    warnings: list[str]
    # The kept rows as NumPy arrays, and per item its answers, mean and sd: read once here, not
    # again by each table (a national round's scale is 150,000 rows)
    values: np.ndarray = field(repr=False)
    answered: np.ndarray = field(repr=False)
    count: np.ndarray = field(repr=False)
    mean: np.ndarray = field(repr=False)
    sd: np.ndarray = field(repr=False)
    # The items' pairwise moments read once for several scales (alpha_scales), or None
    moments: PairwiseMoments | None = field(default=None, repr=False)

    @cached_property
    def row_means(self) -> np.ndarray:
        """Each kept row's mean over its answered items (psych's total score)."""
        out = np.empty(len(self.values))
        with np.errstate(invalid="ignore", divide="ignore"):
            for start in range(0, len(out), ROW_BLOCK):  # over blocks of rows: no temporary the size of the answers
                stop = start + ROW_BLOCK
                answered = self.answered[start:stop]
                out[start:stop] = np.where(answered, self.values[start:stop], 0.0).sum(axis=1) / answered.sum(axis=1)
        return out


def _as_frame(items) -> pd.DataFrame:
    if isinstance(items, pd.DataFrame):
        if all(dtype == np.float64 for dtype in items.dtypes):  # already numbers: no conversion
            frame = items.copy(deep=False)
            frame.columns = [str(c) for c in frame.columns]
            return frame
        frame = items.copy()
    else:
        arr = np.asarray(items, dtype=float)
        if arr.ndim != 2:
            raise ValueError("items must be a 2-D table (respondents x items)")
        frame = pd.DataFrame(arr, columns=[f"V{j + 1}" for j in range(arr.shape[1])])
    frame.columns = [str(c) for c in frame.columns]
    try:
        return frame.apply(pd.to_numeric, errors="raise").astype(float)
    except (ValueError, TypeError) as err:
        raise ValueError(f"item answers must be numbers (NaN for missing): {err}") from None


def _check_prepare_options(missing: str, low: float | None, high: float | None) -> None:
    check_choice(missing, MISSING_RULES, "missing", error=ValueError)
    if (low is None) != (high is None):
        raise ValueError("give both low and high (the scale's ends) or neither")
    if low is not None and not low < high:
        raise ValueError(f"low ({low}) must be below high ({high})")


def _rows_kept(answered: np.ndarray, missing: str, warnings: list[str]) -> np.ndarray:
    """The rows the missing-data rule keeps: complete rows (listwise), else rows with any answer."""
    if missing == "listwise":
        keep = answered.all(axis=1)
        if (~keep).any():
            warnings.append(Coded(f"listwise deletion: {int(keep.sum())} of {len(answered)} rows are complete and used", "listwise_deletion",
                                  used=int(keep.sum()), rows=len(answered)))
    else:
        keep = answered.any(axis=1)
        if (~keep).any():
            warnings.append(Coded(f"{int((~keep).sum())} row(s) without any answer to these items were left out", "rows_without_answers",
                                  rows=int((~keep).sum())))
    return keep


def _prepare(items, missing: str, low: float | None, high: float | None, moments: PairwiseMoments | None = None) -> _Prepared:
    """The rows and items a scale's coefficients use (see :class:`_Prepared`); ``moments`` (of
    these items or more, pairwise deletion only) give the items' counts, means, SDs and limits
    instead of reading them again."""
    _check_prepare_options(missing, low, high)
    frame = _as_frame(items)
    names = list(frame.columns)
    n_rows = len(frame)
    warnings: list[str] = []
    answered = ~np.isnan(frame.to_numpy())
    keep = _rows_kept(answered, missing, warnings)
    if not keep.all():
        frame = frame[keep]
        answered = answered[keep]
    values = frame.to_numpy()
    if moments is not None and missing == "pairwise":
        # rows without any answer to these items add nothing to an item's answers
        moments = moments.take(names)
        count, mean, sd, item_low, item_high = moments.count, moments.mean, moments.sd, moments.low, moments.high
    else:
        moments = None
        count = answered.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(answered, values, 0.0).sum(axis=0) / count
            sd = np.sqrt(np.where(answered, (values - mean) ** 2, 0.0).sum(axis=0) / (count - 1))
            sd[count == 0] = np.nan  # not sqrt(0 / -1) = -0.0: no answers, no SD (psych: NA)
            item_low = np.where(answered, values, np.inf).min(axis=0, initial=np.inf)
            item_high = np.where(answered, values, -np.inf).max(axis=0, initial=-np.inf)
    limits_observed = low is None
    if limits_observed:
        low, high = (float(item_low[count > 0].min()), float(item_high[count > 0].max())) if (count > 0).any() else (float("nan"), float("nan"))
    else:
        outside = (count > 0) & ((item_low < low - 1e-9) | (item_high > high + 1e-9))
        if outside.any():
            bad = [names[j] for j in np.flatnonzero(outside)]
            warnings.append(Coded(f"answers outside the scale limits {low:g}-{high:g} in: {', '.join(bad)}", "answers_outside_limits",
                                  low=f"{low:g}", high=f"{high:g}", items=", ".join(bad)))
    used = [name for name, s in zip(names, sd) if s > 0]
    for name, s, n_answers in zip(names, sd, count):
        if n_answers == 0:
            warnings.append(Coded(f"item {name} has no answers and was left out of the coefficients", "item_no_answers", item=name))
        elif not s > 0:
            warnings.append(Coded(f"item {name} has no variance and was left out of the coefficients (psych does the same)", "item_no_variance",
                                  item=name))
    return _Prepared(frame, names, used, n_rows, float(low), float(high), limits_observed, warnings,
                     values=values, answered=answered, count=count, mean=mean, sd=sd, moments=moments)


def _covariance(frame: pd.DataFrame, moments: PairwiseMoments | None = None) -> np.ndarray:
    if moments is not None:  # the pairwise covariances already summed for every scale
        return moments.take(list(frame.columns)).cov
    values = frame.to_numpy()
    if not np.isnan(values).any():
        return np.cov(values, rowvar=False, ddof=1).reshape(values.shape[1], values.shape[1])
    return pairwise_covariance(values)[0]


# --------------------------------------------------------------------------- item statistics


def _frequencies(prep: _Prepared) -> pd.DataFrame:
    """Share of answers per code (of those answering) and the share missing (of all rows)."""
    values, answered = prep.values, prep.answered
    counted = prep.moments is not None and prep.moments.tally is not None
    if counted:  # answers per code already counted for every scale
        if not (prep.count > 0).any():
            return pd.DataFrame()
        codes_all, per_code_all = prep.moments.codes, prep.moments.tally
        present = np.flatnonzero(per_code_all.sum(axis=0))
        low, high = codes_all[present[0]], codes_all[present[-1]]
        whole = True  # the moments count codes only for whole numbers spanning fewer than 11 codes
        tally = per_code_all[:, present[0]:present[-1] + 1]
        observed = codes_all[present]
    else:
        finite = values[answered]
        if finite.size == 0:
            return pd.DataFrame()
        low, high = finite.min(), finite.max()
        whole = high - low < MAX_FREQUENCY_CODES and bool(np.all(finite == np.round(finite)))
        if whole:  # counts per code and item with one bincount
            offset = np.where(answered, values - low, 0).astype(np.int64) + (high - low + 1).astype(np.int64) * np.arange(values.shape[1])
            tally = np.bincount(offset[answered], minlength=int(high - low + 1) * values.shape[1]).reshape(values.shape[1], -1)
            observed = low + np.flatnonzero(tally.sum(axis=0))
        else:
            observed = np.unique(finite)
    codes = observed
    if not prep.limits_observed and float(prep.low).is_integer() and float(prep.high).is_integer() and prep.high - prep.low < MAX_FREQUENCY_CODES:
        codes = np.union1d(observed, np.arange(prep.low, prep.high + 1))
    if codes.size == 0 or codes.size > MAX_FREQUENCY_CODES:
        return pd.DataFrame()
    count = prep.count
    with np.errstate(invalid="ignore", divide="ignore"):
        if whole:
            inside = (codes >= low) & (codes <= high)
            per_code = np.zeros((values.shape[1], codes.size))
            per_code[:, inside] = tally[:, (codes[inside] - low).astype(np.int64)]
            shares = per_code / count[:, None]
        else:
            shares = np.stack([(values == c).sum(axis=0) / count for c in codes], axis=1)
    table = pd.DataFrame(shares, index=prep.names, columns=[f"{c:g}" for c in codes])
    table["miss"] = 1 - count / prep.n_rows if prep.n_rows else np.nan
    return table


def _answers_at(prep: _Prepared, end: float) -> np.ndarray:
    """Answers per item within 1e-8 of ``end`` (a scale limit): from the answers per code when
    the moments counted them (whole numbers: only a whole ``end`` can be met), else from the
    answers themselves (NaN is never within 1e-8)."""
    moments = prep.moments
    if moments is not None and moments.tally is not None:
        at = np.flatnonzero(np.abs(moments.codes - end) <= 1e-8)
        return moments.tally[:, at].sum(axis=1)
    return (np.abs(prep.values - end) <= 1e-8).sum(axis=0)


def _item_table(prep: _Prepared, cov: np.ndarray | None, n: int) -> pd.DataFrame:
    """Item statistics; ``cov`` is the covariance matrix of the used items (or None)."""
    values, count, mean, sd = prep.values, prep.count, prep.mean, prep.sd
    k_all = len(prep.names)
    with np.errstate(invalid="ignore", divide="ignore"):
        at_floor = _answers_at(prep, prep.low) / count
        at_ceiling = _answers_at(prep, prep.high) / count
    columns = {name: np.full(k_all, np.nan) for name in (
        "raw_r", "std_r", "r_cor", "item_rest_r", "alpha_if_dropped", "std_alpha_if_dropped",
        "g6_if_dropped", "average_r_if_dropped", "ase_if_dropped")}
    k = len(prep.used)
    if cov is not None and k >= 2 and not np.isnan(cov).any():
        idx = np.array([prep.names.index(name) for name in prep.used])
        r = cov2cor(cov)
        # Total score = mean of the answered items (all items, as psych's total): raw.r = cor(total, item).
        columns["raw_r"][idx] = _correlation_with(prep.row_means, values[:, idx])
        rc = r.copy()
        np.fill_diagonal(rc, smc(r))
        col_sums, total_c, diag = cov.sum(axis=0), cov.sum(), np.diag(cov)
        with np.errstate(invalid="ignore", divide="ignore"):  # sums can be <= 0 for odd matrices: NaN
            columns["std_r"][idx] = r.sum(axis=0) / np.sqrt(r.sum())
            columns["r_cor"][idx] = rc.sum(axis=0) / np.sqrt(rc.sum())
            rest_var = total_c - 2 * col_sums + diag  # 1'C_(-j)1
            columns["item_rest_r"][idx] = (col_sums - diag) / np.sqrt(diag * rest_var)
        if k > 2:
            for pos, j in enumerate(idx):  # over items: the scale without item j
                rest = [q for q in range(k) if q != pos]
                coef = alpha_from_covariance(cov[np.ix_(rest, rest)])
                columns["alpha_if_dropped"][j] = coef["alpha"]
                columns["std_alpha_if_dropped"][j] = coef["std_alpha"]
                columns["g6_if_dropped"][j] = coef["g6"]
                columns["average_r_if_dropped"][j] = coef["average_r"]
                columns["ase_if_dropped"][j] = math.sqrt(coef["q"] / n) if coef["q"] >= 0 and n > 0 else np.nan
    return pd.DataFrame({
        "item": prep.names, "n": count, "mean": mean, "sd": sd, **columns,
        "floor": at_floor, "ceiling": at_ceiling,
        "floor_effect": at_floor > FLOOR_CEILING_LIMIT, "ceiling_effect": at_ceiling > FLOOR_CEILING_LIMIT,
        "missing_share": 1 - count / prep.n_rows if prep.n_rows else np.full(k_all, np.nan),
    })


def _correlation_with(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Pearson r of y with each column of x over the rows where both are present (NaN if < 2).

    Sums over the rows of each pair as matrix-vector products on data centred by the overall
    means (for precision): n, sum y, sum y^2, sum x, sum x^2, sum xy.
    """
    k = x.shape[1]
    blocks = range(0, len(y), ROW_BLOCK)  # a block of rows at a time: no temporary the size of x
    m, sum_x = np.zeros(k), np.zeros(k)
    for start in blocks:  # over blocks of rows: each item's answers beside y, and their sum
        xb = x[start:start + ROW_BLOCK]
        both = ~np.isnan(xb) & ~np.isnan(y[start:start + ROW_BLOCK])[:, None]
        m += both.sum(axis=0)
        sum_x += np.where(both, xb, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        y0 = np.nan_to_num(y - np.nanmean(y)) if np.isfinite(y).any() else np.zeros_like(y)
        x_mean = np.where(m > 0, sum_x / m, 0.0)
        sy, syy, sx, sxx, sxy = (np.zeros(k) for _ in range(5))
        for start in blocks:  # over blocks of rows: the centred sums
            xb, yb = x[start:start + ROW_BLOCK], y0[start:start + ROW_BLOCK]
            both = (~np.isnan(xb) & ~np.isnan(y[start:start + ROW_BLOCK])[:, None]).astype(float)
            x0 = np.where(both > 0, xb - x_mean, 0.0)
            sy += yb @ both
            syy += (yb * yb) @ both
            sx += x0.sum(axis=0)
            sxx += (x0 * x0).sum(axis=0)
            sxy += yb @ x0
        r = (sxy - sx * sy / m) / np.sqrt((sxx - sx * sx / m) * (syy - sy * sy / m))
    return np.where(m > 1, r, np.nan)


def item_statistics(items, *, missing: str = "pairwise", low: float | None = None, high: float | None = None) -> pd.DataFrame:
    """Item statistics of a scale, one row per item (psych ``alpha``'s item.stats and alpha.drop).

    Columns: ``n`` answers; ``mean``, ``sd``; ``raw_r`` correlation of the item with the total
    (mean of answered items); ``std_r`` = 1'R_j / sqrt(1'R1); ``r_cor`` the same with smc on the
    diagonal; ``item_rest_r`` (psych ``r.drop``) = (1'C_j - C_jj) / sqrt(C_jj 1'C_(-j)1);
    ``alpha_if_dropped``, ``std_alpha_if_dropped``, ``g6_if_dropped``, ``average_r_if_dropped``,
    ``ase_if_dropped`` (psych ``alpha.drop``); ``floor``/``ceiling`` share of answers at the
    scale's min/max (observed limits when not given), ``floor_effect``/``ceiling_effect`` when
    above 15%; ``missing_share`` of the rows given. Items without variance keep n, mean, sd and
    shares and get NaN elsewhere.
    """
    prep = _prepare(items, missing, low, high)
    cov = _covariance(prep.frame[prep.used]) if len(prep.used) >= 2 and len(prep.frame) >= 2 else None
    return _item_table(prep, cov, len(prep.frame))


# --------------------------------------------------------------------------- split half


def _split_indicators(k: int, seed: int | None) -> tuple[np.ndarray, bool]:
    """0/1 matrix (splits x k) of the items in half A; every distinct split when feasible."""
    half = k // 2
    if k % 2 == 0:
        count = math.comb(k - 1, half - 1)  # splits with item 0 in A: each split once
        first = [0]
        rest_k, rest_half = range(1, k), half - 1
    else:
        count = math.comb(k, half)
        first = []
        rest_k, rest_half = range(k), half
    if count <= MAX_ENUMERATED_SPLITS:
        combos = np.fromiter((i for c in combinations(rest_k, rest_half) for i in c), dtype=np.int64, count=count * rest_half)
        members = combos.reshape(count, rest_half)
        if first:
            members = np.hstack([np.zeros((count, 1), dtype=np.int64), members])
        a = np.zeros((count, k))
        np.put_along_axis(a, members, 1.0, axis=1)
        return a, True
    rng = np.random.default_rng(seed)
    perms = rng.permuted(np.tile(np.arange(k), (SAMPLED_SPLITS, 1)), axis=1)[:, :half]
    a = np.zeros((SAMPLED_SPLITS, k))
    np.put_along_axis(a, perms, 1.0, axis=1)
    return a, False


def split_half_from_matrix(m: np.ndarray, names: list[str], *, covariances: bool = False, seed: int | None = 0) -> SplitHalfResult:
    """Split-half reliabilities of a covariance matrix (on its correlations unless ``covariances``).

    For a split into halves A and B (indicator vectors a, b): r_split = 4 a'Mb / 1'M1, the
    Guttman (1945) lambda-4 of that split. psych::splitHalf: the best split is lambda-4, the worst
    is beta (Revelle 1979). All splits are enumerated (vectorised) up to 200 000 of them; beyond
    that 10 000 random splits are drawn with ``seed``.
    """
    m = np.asarray(m, dtype=float)
    if not covariances:
        m = cov2cor(m)
    k = m.shape[0]
    nan = float("nan")
    if k < 2 or np.isnan(m).any():
        return SplitHalfResult(nan, nan, nan, ([], []), ([], []), 0, False, covariances, nan, nan, nan, nan, nan)
    a, enumerated = _split_indicators(k, seed)
    b = 1.0 - a
    total = m.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        rab = 4.0 * np.einsum("sk,kl,sl->s", a, m, b) / total
    best, worst = int(np.argmax(rab)), int(np.argmin(rab))

    def halves(row: int) -> tuple[list[str], list[str]]:
        return ([names[j] for j in range(k) if a[row, j]], [names[j] for j in range(k) if not a[row, j]])

    lower = m[np.tril_indices(k, -1)]  # covariances when covariances=True, as psych's av.r and med.r
    off = m.sum() - np.trace(m)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = off / total * k / (k - 1)
        smc_sum = (smc(cov2cor(m)) * np.diag(m)).sum() if covariances else smc(m).sum()
        lambda6 = (off + smc_sum) / total
    return SplitHalfResult(
        best=float(rab[best]), worst=float(rab[worst]), mean=float(rab.mean()),
        best_split=halves(best), worst_split=halves(worst), n_splits=len(rab), enumerated=enumerated,
        covariances=covariances, alpha=float(alpha), lambda2=guttman_lambda2(m), lambda6=float(lambda6),
        average_r=float(np.mean(lower)), median_r=float(np.median(lower)),
    )


def split_half(items, *, missing: str = "pairwise", covariances: bool = False, seed: int | None = 0) -> SplitHalfResult:
    """Best (lambda-4) and worst (beta) split-half reliability, as psych::splitHalf.

    Parameters
    ----------
    items : respondents x items (NaN = missing), keyed by the caller.
    missing : "pairwise" (psych's default) or "listwise".
    covariances : work on the covariance matrix (psych ``covar = TRUE``) instead of correlations.
    seed : for the random sample of splits when there are too many to enumerate (k > 20).
    """
    prep = _prepare(items, missing, None, None)
    frame = prep.frame[prep.used]
    cov = _covariance(frame) if len(frame) >= 2 and len(prep.used) >= 2 else np.full((len(prep.used),) * 2, np.nan)
    return split_half_from_matrix(cov, prep.used, covariances=covariances, seed=seed)


# --------------------------------------------------------------------------- bootstrap


def alpha_bootstrap(items, *, n_boot: int = 1000, seed: int | None = None, missing: str = "pairwise", level: float = 0.95) -> BootstrapResult:
    """Percentile bootstrap CI for alpha (and standardized alpha), vectorised over resamples.

    Respondents are resampled with replacement ``n_boot`` times; each resample's covariance
    matrix (pairwise-complete or listwise, as ``missing``) comes from weighted cross-products
    (:mod:`scoring.stats.bootstrap`), so there is no loop over resamples. The CI is the
    (a/2, 1 - a/2) quantile of the resampled alphas (type 7), as psych's ``boot.ci`` with
    ``n.iter``. Resamples where alpha is undefined are left out and counted in ``n_failed``.
    Items without variance are left out first.
    """
    prep = _prepare(items, missing, None, None)
    x = prep.frame[prep.used].to_numpy()
    k = x.shape[1]
    if k < 2 or len(x) < 2 or n_boot < 1:
        empty = np.full(max(n_boot, 0), np.nan)
        return BootstrapResult(empty, empty.copy(), level, seed, missing)
    return BootstrapResult(*_alphas(bootstrap_covariances(x, n_boot, seed)), level, seed, missing)


def _alphas(covs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw and standardized alpha of each of a stack of covariance matrices (b, k, k)."""
    k = covs.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        trace = np.trace(covs, axis1=1, axis2=2)
        raw = (1 - trace / covs.sum(axis=(1, 2))) * k / (k - 1)
        d = np.sqrt(np.diagonal(covs, axis1=1, axis2=2))
        r_sum = (covs / (d[:, :, None] * d[:, None, :])).sum(axis=(1, 2))
        std = (1 - k / r_sum) * k / (k - 1)
    return raw, std


def _count_and_spread(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's answers and sum of squares about its mean (> 0: the item varies), read
    ``ROW_BLOCK`` rows at a time: temporaries the size of the whole matrix (62 MB each for a
    national round) are fresh memory, whose first touch costs more than the arithmetic."""
    k = values.shape[1]
    count, total, spread = np.zeros(k, dtype=np.int64), np.zeros(k), np.zeros(k)
    blocks = range(0, len(values), ROW_BLOCK)
    for start in blocks:  # over blocks of rows
        block = values[start:start + ROW_BLOCK]
        answered = ~np.isnan(block)
        count += answered.sum(axis=0)
        total += np.where(answered, block, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / count
    for start in blocks:  # over blocks of rows
        block = values[start:start + ROW_BLOCK]
        spread += np.where(np.isnan(block), 0.0, (block - mean) ** 2).sum(axis=0)
    return count, spread


def alpha_bootstrap_scales(
    items: pd.DataFrame, scales: Mapping[str, Sequence[str]], *, n_boot: int = 1000, seed: int | None = None,
    missing: str = "pairwise", level: float = 0.95,
) -> dict[str, BootstrapResult]:
    """Percentile bootstrap CIs for the alpha of several scales answered by the same respondents.

    With ``missing="pairwise"`` the respondents (rows answering at least one item of any scale)
    are resampled once for all scales: each resample's pairwise covariances are computed for
    the pairs of items that share a scale (:func:`scoring.stats.bootstrap.bootstrap_covariances` with
    ``blocks``), and each scale's alpha comes from its block. A scale nested in another (a
    subscale in a total scale) then costs nothing extra, and the resamples are those of the
    respondents of the survey rather than of each scale's own respondents (who differ only by
    the rows that answered none of a scale's items, which add nothing to its covariances).
    With ``missing="listwise"`` the complete rows differ between scales, so each scale is
    resampled on its own (:func:`alpha_bootstrap` with the same ``seed``).
    """
    check_choice(missing, MISSING_RULES, "missing", error=ValueError)
    if missing == "listwise":
        return {name: alpha_bootstrap(items[list(cols)], n_boot=n_boot, seed=seed, missing=missing, level=level)
                for name, cols in scales.items()}
    columns = list(dict.fromkeys(c for cols in scales.values() for c in cols))
    return _bootstrap_scales(_answers(items, columns), columns, scales, n_boot=n_boot, seed=seed, level=level)


def _answers(items: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One float64 copy of ``columns`` (the national round's 150,000 x 52 answers are 62 MB a
    copy): column by column when they are numbers already."""
    if all(items[c].dtype == np.float64 for c in columns):
        values = np.empty((len(items), len(columns)))
        for j, c in enumerate(columns):  # over items, not respondents
            values[:, j] = items[c].to_numpy()
        return values
    return _as_frame(items[columns]).to_numpy()


def _bootstrap_scales(values: np.ndarray, columns: list[str], scales: Mapping[str, Sequence[str]], *, n_boot: int,
                      seed: int | None, level: float) -> dict[str, BootstrapResult]:
    """:func:`alpha_bootstrap_scales` with pairwise deletion on ``values`` (the answers to
    ``columns``, not changed: :func:`alpha_scales` reads the same array for the moments)."""
    missing = "pairwise"
    answered_any = (~np.isnan(values)).any(axis=1)
    if not answered_any.all():
        values = values[answered_any]
    rows = len(values)
    count, spread = _count_and_spread(values)
    variable = (count >= 2) & (spread > 0)
    used = {name: [c for c in cols if variable[columns.index(c)]] for name, cols in scales.items()}
    position = {c: j for j, c in enumerate(columns)}
    blocks = [[position[c] for c in cols] for cols in used.values() if len(cols) >= 2]
    out = {}
    if blocks and rows >= 2 and n_boot >= 1:
        covs = bootstrap_covariances(values, n_boot, seed, blocks=blocks)
    del values
    for name, cols in used.items():
        if len(cols) < 2 or rows < 2 or n_boot < 1:
            empty = np.full(max(n_boot, 0), np.nan)
            out[name] = BootstrapResult(empty, empty.copy(), level, seed, missing)
            continue
        index = [position[c] for c in cols]
        out[name] = BootstrapResult(*_alphas(covs[:, index][:, :, index]), level, seed, missing)
    return out


# --------------------------------------------------------------------------- alpha


def _singularity_warnings(r: np.ndarray, names: list[str]) -> list[str]:
    out = []
    k = r.shape[0]
    dup = [f"{names[i]} and {names[j]}" for i in range(k) for j in range(i) if abs(r[i, j]) > 1 - 1e-10]
    if dup:
        out.append(Coded("perfectly correlated items (" + "; ".join(dup) + "): the correlation matrix is singular; "
                         "G6 and r.cor use its pseudo-inverse", "items_perfectly_correlated", pairs="; ".join(dup)))
    values = np.linalg.eigvalsh(r)
    if values.min() < -1e-10:  # impossible for any data set: pairs answered by different respondents
        out.append(Coded(f"the correlation matrix is not positive definite (smallest eigenvalue {values.min():.3g}, "
                         "possible only with pairwise deletion); G6 and r.cor use its pseudo-inverse", "correlations_not_pd"))
    elif not dup and values.min() < 1e-10:
        out.append(Coded("the correlation matrix is singular; G6 and r.cor use its pseudo-inverse", "correlations_singular"))
    return out


def _first_arg(err: Exception):
    """An exception's reason: its first argument when that is a (possibly coded) string, else its text."""
    return err.args[0] if err.args and isinstance(err.args[0], str) else str(err)


def _omega(frame: pd.DataFrame, warnings: list[str], moments: PairwiseMoments | None = None) -> tuple[float, float]:
    """omega total and hierarchical from scoring.stats.reliability.omega (3 group factors when k >= 6, else 1)."""
    try:
        from scoring.stats.reliability.omega import omega
    except ImportError:
        warnings.append(Coded("omega is not available (scoring.stats.reliability.omega is missing)", "omega_unavailable"))
        return float("nan"), float("nan")
    k = frame.shape[1]
    n_factors = 3 if k >= 6 else 1
    try:
        # only the two omegas are shown here: the fit's RMSEA interval is left out
        result = omega(frame, n_factors=n_factors, moments=moments, fit_interval=False)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as err:
        warnings.append(Coded(f"omega could not be computed: {err}", "omega_failed", reason=library_reason(_first_arg(err))))
        return float("nan"), float("nan")
    reason = getattr(result, "reason", None)
    notes = list(getattr(result, "warnings", None) or []) + ([reason] if reason else [])
    warnings += [Coded(f"omega: {text}", "omega_reason", reason=library_reason(text)) for text in dict.fromkeys(notes)]
    omega_h = float(result.omega_h) if n_factors > 1 else float("nan")
    if n_factors == 1:
        warnings.append(Coded("omega hierarchical needs group factors; with fewer than 6 items only omega total (1 factor) is given",
                               "omega_h_needs_factors", items=6))
    return float(result.omega_total), omega_h


def _ordinal_alpha(frame: pd.DataFrame, warnings: list[str]) -> float:
    """Standardized alpha on the polychoric correlation matrix (Zumbo, Gadermann & Zeisser 2007)."""
    from scoring.stats.polychoric import polychoric

    try:
        poly = polychoric(frame)
    except ValueError as err:
        warnings.append(Coded(f"ordinal alpha not computed: {err}", "ordinal_alpha_failed", reason=library_reason(_first_arg(err))))
        return float("nan")
    warnings += [Coded(f"polychoric: {w}", "polychoric_note", reason=library_reason(w)) for w in poly.warnings if "no variance" not in w]
    rho = poly.rho.to_numpy()
    if rho.shape[0] < 2 or np.isnan(rho).any():
        return float("nan")
    return float(alpha_from_covariance(rho)["std_alpha"])


def alpha(
    items,
    *,
    missing: str = "pairwise",
    low: float | None = None,
    high: float | None = None,
    ci: str | None = None,
    level: float = 0.95,
    n_boot: int = 0,
    seed: int | None = None,
    ordinal: bool = False,
    omega: bool = False,
    scale: str | None = None,
    moments: PairwiseMoments | None = None,
) -> ReliabilityResult:
    """Cronbach's alpha with standardized alpha, G6, lambda-2, split-half, CIs and item statistics.

    Parameters
    ----------
    items : DataFrame or 2-D array
        Respondents x items, NaN = missing, reverse-keyed items already reversed.
    missing : "pairwise" or "listwise"
        Pairwise-complete covariances (psych's default) or complete rows only (SPSS, PSPP).
    low, high : float, optional
        The response scale's limits, for floor/ceiling shares and response codes; the observed
        limits when not given (said in ``warnings``).
    ci : "feldt", "duhachek" or "bootstrap", optional
        Which interval ``alpha_ci`` holds; default "bootstrap" when ``n_boot`` > 0, else
        "feldt". Feldt and Duhachek are always computed; "bootstrap" needs ``n_boot`` > 0.
    level : float
        Confidence level of every interval.
    n_boot, seed : int
        Percentile bootstrap with ``n_boot`` resamples from ``np.random.default_rng(seed)``.
    ordinal : bool
        Also compute ordinal alpha (alpha on the polychoric correlations).
    omega : bool
        Also compute omega total and hierarchical with :func:`scoring.stats.reliability.omega.omega` (3 group
        factors when there are at least 6 items, else 1 factor and no omega hierarchical).
    scale : str, optional
        A name for the report.
    moments : PairwiseMoments, optional
        The pairwise moments of these item columns (or more), summed once for several scales
        (:func:`alpha_scales`); with pairwise deletion the covariances, item counts, means, SDs,
        code frequencies and omega's correlations come from them (the same sums, possibly in
        another order: equal to the last bits).

    Returns
    -------
    ReliabilityResult

    Notes
    -----
    Formulas in the module docstring; they are those of psych::alpha (Revelle), which this
    function reproduces to 1e-6 or better. Degenerate input gives NaN (never an exception)
    and a reason in ``warnings``: fewer than 2 usable items, fewer than 3 respondents, items
    without answers or variance (left out, as psych does), pairs of items without common
    respondents, singular or non-positive-definite correlation matrices (G6 then uses the
    pseudo-inverse, as psych).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika, 16, 297-334.
    Guttman, L. (1945). A basis for analyzing test-retest reliability. Psychometrika, 10, 255-282.
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1, 2, 2], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 4]], dtype=float)
    >>> round(alpha(x).alpha, 4)  # psych::alpha(x)$total$raw_alpha: 0.9285714286
    0.9286
    """
    ci = _ci_method(ci, n_boot)
    prep = _prepare(items, missing, low, high, moments)
    warnings = prep.warnings
    if prep.limits_observed and np.isfinite(prep.low):
        warnings.append(Coded(f"scale limits not given: floor, ceiling and codes use the observed range {prep.low:g}-{prep.high:g}",
                               "scale_limits_observed", low=f"{prep.low:g}", high=f"{prep.high:g}"))
    used = prep.used
    k = len(used)
    n = len(prep.frame)
    nan = float("nan")
    frame = prep.frame[used]
    coef, lambda2, cov, split = _coefficients(frame, n, seed, warnings, prep.moments)
    table = _item_table(prep, cov if cov is not None and not np.isnan(cov).any() else None, n)
    warnings += _item_table_warnings(table, coef["alpha"])
    totals = prep.row_means if prep.names else np.array([])
    ok_totals = totals[~np.isnan(totals)]
    ase = math.sqrt(coef["q"] / n) if np.isfinite(coef["q"]) and coef["q"] >= 0 else nan
    feldt = alpha_ci_feldt(coef["alpha"], n, k, level=level)
    duhachek = alpha_ci_duhachek(cov, n, level=level) if cov is not None and np.isfinite(coef["alpha"]) else (nan, nan)
    chosen = {"feldt": feldt, "duhachek": duhachek, "bootstrap": (nan, nan)}[ci]
    result = ReliabilityResult(
        scale=scale, item_names=prep.names, items_used=used, n=n, n_rows=prep.n_rows, missing=missing,
        alpha=float(coef["alpha"]), std_alpha=float(coef["std_alpha"]), g6=float(coef["g6"]), lambda2=float(lambda2),
        average_r=float(coef["average_r"]), median_r=float(coef["median_r"]), var_r=float(coef["var_r"]),
        s_n=float(coef["s_n"]), ase=ase,
        mean=float(ok_totals.mean()) if ok_totals.size else nan,
        sd=float(ok_totals.std(ddof=1)) if ok_totals.size > 1 else nan,
        alpha_ci=chosen, alpha_ci_method=ci, level=level, feldt_ci=feldt, duhachek_ci=duhachek,
        items=table, frequencies=_frequencies(prep), limits=(prep.low, prep.high), limits_observed=prep.limits_observed,
        split_half=split,
        covariance=pd.DataFrame(cov, index=used, columns=used) if cov is not None else None,
        warnings=warnings,
    )
    if n_boot > 0 and np.isfinite(result.alpha):
        result = _with_bootstrap(result, alpha_bootstrap(frame, n_boot=n_boot, seed=seed, missing=missing, level=level))
    return _with_optional(result, frame, ordinal=ordinal, omega=omega, moments=prep.moments)


def _ci_method(ci: str | None, n_boot: int) -> str:
    """The interval ``alpha_ci`` holds: as asked, else bootstrap with resamples, else Feldt."""
    if n_boot < 0:
        raise ValueError("n_boot must be 0 or more")
    if ci is None:
        ci = "bootstrap" if n_boot > 0 else "feldt"
    check_choice(ci, CI_METHODS, "ci", error=ValueError)
    if ci == "bootstrap" and n_boot == 0:
        raise ValueError("ci='bootstrap' needs n_boot > 0")
    return ci


def _coefficients(frame: pd.DataFrame, n: int, seed: int | None, warnings: list[str], moments: PairwiseMoments | None = None):
    """(coefficients of :func:`alpha_from_covariance`, lambda-2, covariance, split-half) of the
    usable items ``frame``; NaN coefficients (covariance None or with NaN, no split-half) and a
    reason in ``warnings`` with fewer than 2 items, 3 respondents or a pair without a covariance."""
    used = list(frame.columns)
    k = len(used)
    nan = float("nan")
    coef = dict.fromkeys(["alpha", "std_alpha", "g6", "average_r", "s_n", "median_r", "var_r", "q"], nan)
    if k < 2:
        warnings.append(Coded(f"alpha needs at least 2 items with variance; {k} usable", "alpha_too_few_items", items=k))
        return coef, nan, None, None
    if n < 3:
        warnings.append(Coded(f"alpha needs at least 3 respondents; {n} given", "alpha_too_few_rows", rows=n))
        return coef, nan, None, None
    cov = _covariance(frame, moments)
    if np.isnan(cov).any():
        bad = [f"{used[j]}-{used[i]}" for i, j in zip(*np.nonzero(np.tril(np.isnan(cov))))]
        warnings.append(Coded("no covariance for pair(s) with fewer than 2 common respondents: " + ", ".join(bad) + "; coefficients are NaN",
                               "no_pair_covariance", pairs=", ".join(bad)))
        return coef, nan, cov, None
    coef = alpha_from_covariance(cov)
    lambda2 = guttman_lambda2(cov)
    warnings += _singularity_warnings(cov2cor(cov), used)
    split = split_half_from_matrix(cov, used, seed=0 if seed is None else seed)
    return coef, lambda2, cov, split


def _item_table_warnings(table: pd.DataFrame, alpha_value: float) -> list[str]:
    """Negative item-rest correlations, a negative alpha, floor and ceiling effects."""
    warnings = []
    negative = table.loc[table["item_rest_r"] < 0, "item"].tolist()
    if negative:
        warnings.append(Coded(f"item(s) {', '.join(negative)} correlate negatively with the rest of the scale; "
                              "they probably should be reverse-keyed", "items_negative", items=", ".join(negative)))
    if np.isfinite(alpha_value) and alpha_value < 0:
        warnings.append(Coded("alpha is negative: the items correlate negatively on average", "alpha_negative"))
    # plain lists, not itertuples: a DataFrame's rows as tuples cost ~2 ms a table
    at_ends = [(item, floor, ceiling) for item, floor, ceiling in zip(table["item"].tolist(), table["floor_effect"].tolist(),
                                                                      table["ceiling_effect"].tolist()) if floor or ceiling]
    flagged = [f"{item} ({'floor' if floor else ''}{' and ' if floor and ceiling else ''}{'ceiling' if ceiling else ''})"
               for item, floor, ceiling in at_ends]
    if flagged:
        ends = ", ".join(item for item, _, _ in at_ends)
        warnings.append(Coded(f"more than {FLOOR_CEILING_LIMIT:.0%} of answers at an end of the scale: {', '.join(flagged)}", "floor_ceiling",
                              limit=round(FLOOR_CEILING_LIMIT * 100), items=ends))
    return warnings


def _with_optional(result: ReliabilityResult, frame: pd.DataFrame, *, ordinal: bool, omega: bool,
                   moments: PairwiseMoments | None = None) -> ReliabilityResult:
    """``result`` with ordinal alpha and omega, when asked and the usable items ``frame`` allow
    them (a new result: results are never changed)."""
    k, n = frame.shape[1], len(frame)
    warnings, extra = list(result.warnings), {}
    if ordinal:
        if k >= 2 and n >= 3:
            extra["ordinal_alpha"] = _ordinal_alpha(frame, warnings)
        else:
            warnings.append(Coded("ordinal alpha not computed (too few items or respondents)", "ordinal_alpha_too_few"))
    if omega:
        if k >= 3 and n >= 3:
            extra["omega_total"], extra["omega_h"] = _omega(frame, warnings, moments)
        else:
            warnings.append(Coded("omega needs at least 3 items with variance", "omega_too_few_items"))
    return replace(result, warnings=warnings, **extra) if (extra or warnings != result.warnings) else result


def _with_bootstrap(result: ReliabilityResult, boot: BootstrapResult) -> ReliabilityResult:
    """``result`` with the bootstrap attached (a new result: results are never changed)."""
    warnings = list(result.warnings)
    if boot.n_failed:
        warnings.append(Coded(f"{boot.n_failed} of {boot.n_boot} bootstrap resamples gave no alpha and were left out", "bootstrap_failed",
                               failed=boot.n_failed, total=boot.n_boot))
    ci = boot.ci if result.alpha_ci_method == "bootstrap" else result.alpha_ci
    return replace(result, bootstrap=boot, warnings=warnings, alpha_ci=ci)




def alpha_scales(
    items: pd.DataFrame,
    scales: Mapping[str, Sequence[str]],
    *,
    limits: Mapping[str, tuple[float, float]] | None = None,
    missing: str = "pairwise",
    ci: str | None = None,
    level: float = 0.95,
    n_boot: int = 0,
    seed: int | None = None,
    ordinal: bool | Collection[str] = False,
    omega: bool = False,
    progress=None,
) -> list[ReliabilityResult]:
    """:func:`alpha` for several scales of the same respondents, with one bootstrap for all;
    ``progress(name)``, if given, is called as each scale and then the bootstrap is done.

    ``scales`` maps a scale name to its item columns in ``items`` (keyed already); ``limits``
    maps a scale name to its response scale's (min, max); ``ordinal`` is True (ordinal alpha
    for every scale) or the names of the scales to give it. Every coefficient is that of
    :func:`alpha` on the scale's columns; the bootstrap (``n_boot`` > 0) is
    :func:`alpha_bootstrap_scales`: with pairwise deletion the respondents are resampled once
    for all scales, so a national round's 14 scales cost about as much as its largest one.
    """
    if ci is None:
        ci = "bootstrap" if n_boot > 0 else "feldt"
    if ci == "bootstrap" and n_boot < 1:
        raise ValueError("ci='bootstrap' needs n_boot > 0")
    check_choice(missing, MISSING_RULES, "missing", error=ValueError)
    results = []
    # The bootstrap runs in a second thread while the scales are analysed here: its draws and
    # products release the GIL, and it needs nothing from the analyses (it leaves out the items
    # without variance by the same rule as alpha). Its intervals are kept for the scales whose
    # alpha is defined.
    lists = {name: list(columns) for name, columns in scales.items()}
    union = list(dict.fromkeys(c for columns in lists.values() for c in columns))
    # With pairwise deletion the bootstrap and the moments read one copy of the answers.
    values = _answers(items, union) if missing == "pairwise" else None
    with ThreadPoolExecutor(max_workers=1) as background:
        if n_boot > 0:
            boots = (background.submit(_bootstrap_scales, values, union, lists, n_boot=n_boot, seed=seed, level=level) if values is not None
                     else background.submit(alpha_bootstrap_scales, items, lists, n_boot=n_boot, seed=seed, missing=missing, level=level))
        else:
            boots = None
        # The scales share their respondents (and a total scale its subscales' items): the
        # pairwise sums of all their items are read once (four matrix products) and each scale
        # takes its block, instead of reading its columns three times (covariances, omega's
        # correlations, frequencies).
        moments = PairwiseMoments.of(values, [str(c) for c in union]) if values is not None else None
        del values  # the bootstrap's thread holds it while it needs it
        for name, columns in scales.items():  # over scales (a dozen), not respondents
            low, high = (limits or {}).get(name, (None, None))
            result = alpha(items[list(columns)], low=low, high=high, missing=missing, ci="feldt", level=level,
                           ordinal=ordinal is True or (ordinal is not False and name in ordinal), omega=omega, scale=name,
                           moments=moments)
            if ci != "feldt":
                chosen = result.duhachek_ci if ci == "duhachek" else (float("nan"), float("nan"))
                result = replace(result, alpha_ci_method=ci, alpha_ci=chosen)
            results.append(result)
            if progress is not None:
                progress(name)
    if boots is not None:
        resampled = boots.result()
        results = [_with_bootstrap(r, resampled[r.scale]) if np.isfinite(r.alpha) else r for r in results]
        if progress is not None:
            progress(f"bootstrap ({n_boot})")
    return results

