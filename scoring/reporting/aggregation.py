"""Aggregation to units for reports: the unit table a manager may see, with anonymity applied.

:func:`aggregate_scale` and :func:`aggregate_instrument` give n, mean, sd, t-based 95% CI and
rwg(j) per unit, with the suppression rules of :mod:`scoring.privacy` (primary suppression below
``min_n`` and complementary suppression, so that no hidden unit can be worked out from the total
and the other units), plus ICC(1), ICC(2), summaries of agreement over the units shown and a
reading in nb and en. The statistics themselves are in :mod:`scoring.stats.multilevel` (R's
``multilevel``, Bliese 2000); this module only assembles and protects them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from scoring.errors import Coded, UserError, library_reason
from scoring.privacy import DEFAULT_MIN_N, check_min_n, suppress
from scoring.result import Result

# the per-unit kernels are shared with the statistics module, so the table and the R-checked
# statistics cannot drift apart
from scoring.stats.multilevel import (
    ICC,
    Reading,
    _ad_rows,
    _as_categorical,
    _as_matrix,
    _awg_rows,
    _factorize,
    _group_var,
    _lindell_rows,
    _listwise,
    _nan_to_none,
    _rwg_j_rows,
    expected_variance,
    icc,
    reading,
)

# ----------------------------------------------------------------------------- unit table


UNIT_COLUMNS = ["unit", "n", "mean", "sd", "ci_low", "ci_high", "rwg_j", "rwg_lindell", "awg", "ad", "suppressed"]


@dataclass(frozen=True, repr=False)
class ScaleAggregation(Result):
    """One scale aggregated to units, with the anonymity rules applied.

    ``units`` holds one row per unit (columns :data:`UNIT_COLUMNS`); a suppressed unit has
    ``suppressed = True`` and every other figure missing, its n included. ``n`` and ``mean``
    are over every respondent with a score and a unit (None and NaN, like everything else,
    when they are fewer than ``min_n``). Agreement summaries (``rwg_j_mean``,
    ``rwg_j_median``, ``awg_mean``, ``ad_mean``, ``ad_md_mean``) are over the units shown, so
    that a hidden unit's value cannot be recovered from a summary; ICC(1) and ICC(2) pool every
    respondent (variance components, which isolate no unit). ``items`` is J, the number of items
    behind rwg(j) (1: rwg of the score itself). ``ranvar`` is σ²E, the null variance behind rwg(j)
    and Lindell's r*wg(j) (``rwg_lindell``, with its mean and median over the units shown).
    """

    scale: str
    name: dict[str, str] | None
    items: int
    options: int
    low: float
    high: float
    ranvar: float
    min_n: int
    n: int | None
    mean: float
    icc: ICC
    rwg_j_mean: float
    rwg_j_median: float
    awg_mean: float
    ad_mean: float
    ad_md_mean: float
    rwg_lindell_mean: float
    rwg_lindell_median: float
    units: pd.DataFrame = field(repr=False)
    reading: Reading
    warnings: tuple[str, ...] = ()

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def n_shown(self) -> int:
        return int((~self.units["suppressed"]).sum())

    def to_frame(self) -> pd.DataFrame:
        """The unit table with a leading ``scale`` column."""
        return self.units.assign(scale=self.scale)[["scale", *UNIT_COLUMNS]]

    def to_dict(self) -> dict:
        units = []
        for row in self.units.itertuples(index=False):
            units.append(
                {
                    "unit": _nan_to_none(row.unit),
                    "n": None if row.suppressed else int(row.n),
                    "mean": _nan_to_none(row.mean),
                    "sd": _nan_to_none(row.sd),
                    "ci": None if row.suppressed or np.isnan(row.ci_low) else [float(row.ci_low), float(row.ci_high)],
                    "rwg_j": _nan_to_none(row.rwg_j),
                    "rwg_lindell": _nan_to_none(row.rwg_lindell),
                    "awg": _nan_to_none(row.awg),
                    "ad": _nan_to_none(row.ad),
                    "suppressed": bool(row.suppressed),
                }
            )
        return {
            "scale": self.scale,
            "name": self.name,
            "n": self.n,
            "mean": _nan_to_none(self.mean),
            "items": self.items,
            "options": self.options,
            "ranvar": self.ranvar,
            "min_n": self.min_n,
            "icc1": _nan_to_none(self.icc.icc1),
            "icc2": _nan_to_none(self.icc.icc2),
            "icc": self.icc.to_dict(),
            "rwg_j_mean": _nan_to_none(self.rwg_j_mean),
            "rwg_j_median": _nan_to_none(self.rwg_j_median),
            "awg_mean": _nan_to_none(self.awg_mean),
            "ad_mean": _nan_to_none(self.ad_mean),
            "ad_md_mean": _nan_to_none(self.ad_md_mean),
            "rwg_lindell_mean": _nan_to_none(self.rwg_lindell_mean),
            "rwg_lindell_median": _nan_to_none(self.rwg_lindell_median),
            "n_units": self.n_units,
            "n_shown": self.n_shown,
            "reading": self.reading.to_dict(),
            "warnings": list(self.warnings),
            "units": units,
        }

    def summary(self) -> str:
        index = "rwg(j)" if self.items > 1 else "rwg"
        head = [
            f"Scale {self.scale}: n = {'-' if self.n is None else self.n} in {self.n_units} units ({self.n_shown} shown, min_n = {self.min_n}); "
            f"{index} on {self.items} item(s), A = {self.options} options, null variance {self.ranvar:.4g}",
            f"ICC(1) = {_fmt(self.icc.icc1)}   ICC(2) = {_fmt(self.icc.icc2)}   "
            f"{index} mean = {_fmt(self.rwg_j_mean)}, median = {_fmt(self.rwg_j_median)}   "
            f"awg mean = {_fmt(self.awg_mean)}   AD mean = {_fmt(self.ad_mean)}   "
            f"Lindell r*wg(j) mean = {_fmt(self.rwg_lindell_mean)}",
            f"Reading: {self.reading.en}",
            "",
        ]
        table = self.units.copy()
        table["n"] = [("-" if s else str(int(v))) for v, s in zip(table["n"], table["suppressed"])]
        shown = pd.DataFrame(
            {
                "unit": table["unit"].astype(str),
                "n": table["n"],
                "mean": table["mean"].map(_fmt),
                "sd": table["sd"].map(_fmt),
                "95% CI": [
                    "" if np.isnan(lo) else f"[{lo:.2f}, {hi:.2f}]" for lo, hi in zip(table["ci_low"], table["ci_high"])
                ],
                index: table["rwg_j"].map(_fmt),
                "": np.where(table["suppressed"], "too few answers", ""),
            }
        )
        return "\n".join(head) + shown.to_string(index=False) + "".join(f"\nWarning: {w}" for w in self.warnings)


def _fmt(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{value:.2f}"


@dataclass(frozen=True, repr=False)
class Aggregation(Result):
    """Several scales aggregated to the same units."""

    scales: list[ScaleAggregation]

    def to_dict(self) -> dict:
        return {"scales": [s.to_dict() for s in self.scales]}

    def to_frame(self) -> pd.DataFrame:
        return pd.concat([s.to_frame() for s in self.scales], ignore_index=True) if self.scales else pd.DataFrame(columns=["scale", *UNIT_COLUMNS])

    def summary(self) -> str:
        return "\n\n".join(s.summary() for s in self.scales)


def unit_moments(score, units) -> pd.DataFrame:
    """n, mean, sd and t-based 95% CI of the mean per unit (unsuppressed; every unit in ``units``).

    CI = mean ± t(.975, n - 1) · sd / √n; NaN for n < 2. Units without a score have n = 0.
    """
    codes, labels = _factorize(units)
    y = _as_matrix(score)[:, 0]
    keep = (codes >= 0) & ~np.isnan(y)
    n, mean, var = _group_var(y[keep].reshape(-1, 1), codes[keep], len(labels))
    mean, sd = mean[:, 0], np.sqrt(var[:, 0])
    with np.errstate(invalid="ignore"):
        half = stats.t.ppf(0.975, np.where(n > 1, n - 1, np.nan)) * sd / np.sqrt(n)
    return pd.DataFrame(
        {"n": n.astype(int), "mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half, "sum": np.bincount(codes[keep], weights=y[keep], minlength=len(labels))},
        index=labels,
    )


def aggregate_scale(
    score,
    units,
    *,
    items=None,
    options: int = 5,
    step: float = 1.0,
    low: float = 1.0,
    ranvar: float | None = None,
    min_n: int = DEFAULT_MIN_N,
    scale: str = "score",
    name: dict[str, str] | None = None,
) -> ScaleAggregation:
    """Aggregate one scale score to units, with agreement and the anonymity rules.

    Parameters
    ----------
    score : array-like, one value per respondent (NaN = no score)
    units : array-like of unit labels, same length (missing = respondent left out)
    items : (respondents x J) keyed item answers behind the score, or None to compute rwg, awg
        and AD on the score itself (J = 1)
    options, step, low : the response scale: A options ``low, low + step, ...``; σ²EU =
        step²(A² - 1)/12 and the a_wg range is [low, low + step(A - 1)]
    ranvar : σ²E given directly (as ``multilevel::rwg(ranvar = )``), e.g. from
        :func:`scoring.stats.multilevel.null_variance` for a skewed null; None: the uniform σ²EU
    min_n : smallest number of answers for which a unit is shown (>= 3; default 5)

    A unit's n counts its respondents with a score; mean, sd and CI are of the score; rwg(j),
    awg and AD use ``items`` listwise as multilevel does. Units below ``min_n`` are hidden and
    further units are hidden by :func:`scoring.privacy.suppress` where a hidden unit could be
    worked out from the total n and sum and the units shown.
    """
    check_min_n(min_n)
    units = _as_categorical(units)
    if ranvar is None:
        ranvar = expected_variance(options, step)
    elif not (np.isfinite(ranvar) and ranvar > 0):
        raise UserError.single(f"the null variance must be a positive number (got {ranvar:g})", path="--ranvar")
    high = low + step * (options - 1)
    agreement_data = score if items is None else items
    moments = unit_moments(score, units)
    labels = moments.index
    rows = _listwise(agreement_data, units)  # complete rows, once for every agreement index
    item_moments = _group_var(rows[0], rows[1], len(rows[2]))  # their unit means and variances, once too
    agree = _rwg_j_rows(*rows, ranvar, item_moments)["rwg_j"].reindex(labels)
    lindell = _lindell_rows(*rows, ranvar, item_moments)["rwg_lindell"].reindex(labels)
    a_wg = _awg_rows(*rows, low, high, item_moments)["awg"].reindex(labels)
    ad = _ad_rows(*rows, "mean", item_moments)["ad"].reindex(labels)
    ad_md = _ad_rows(*rows, "median")["ad"].reindex(labels)

    # The units hang under one root, the whole set, whose n and mean are published too.
    root = "\x00all"
    tree = {root: None, **dict.fromkeys(labels.tolist(), root)}
    counts = pd.DataFrame({"unit": labels, "n": moments["n"].to_numpy(), "sum": moments["sum"].to_numpy()})
    shown = suppress(tree, counts, min_n=min_n).shown_units()
    position = labels.get_indexer(pd.Index(list(shown)))  # one hash lookup (isin over arrow strings is 15x slower)
    hidden = np.ones(len(labels), dtype=bool)
    hidden[position[position >= 0]] = False
    total_shown = root in shown

    table = pd.DataFrame(
        {
            "unit": labels,
            "n": moments["n"].to_numpy(),
            "mean": moments["mean"].to_numpy(),
            "sd": moments["sd"].to_numpy(),
            "ci_low": moments["ci_low"].to_numpy(),
            "ci_high": moments["ci_high"].to_numpy(),
            "rwg_j": agree.to_numpy(),
            "rwg_lindell": lindell.to_numpy(),
            "awg": a_wg.to_numpy(),
            "ad": ad.to_numpy(),
            "suppressed": hidden,
        }
    )
    figures = ["mean", "sd", "ci_low", "ci_high", "rwg_j", "rwg_lindell", "awg", "ad"]
    table.loc[hidden, figures] = np.nan
    visible = ~hidden
    summaries = {
        "rwg_j_mean": _nanmean(table.loc[visible, "rwg_j"]),
        "rwg_j_median": _nanmedian(table.loc[visible, "rwg_j"]),
        "awg_mean": _nanmean(table.loc[visible, "awg"]),
        "ad_mean": _nanmean(table.loc[visible, "ad"]),
        "ad_md_mean": _nanmean(ad_md.to_numpy()[visible]),
        "rwg_lindell_mean": _nanmean(table.loc[visible, "rwg_lindell"]),
        "rwg_lindell_median": _nanmedian(table.loc[visible, "rwg_lindell"]),
    }
    if total_shown:
        icc_result = icc(score, units)
        total_n, total_mean = int(moments["n"].sum()), float(moments["sum"].sum() / moments["n"].sum())
    else:  # fewer than min_n answers in all: nothing about them may be shown
        nan = float("nan")
        icc_result = ICC(nan, nan, nan, nan, 0, 0, nan, nan, nan, 0, 0, f"fewer than {min_n} answers in all")
        total_n, total_mean = None, nan
    n_items = _as_matrix(agreement_data).shape[1]
    return ScaleAggregation(
        scale=scale,
        name=name,
        items=n_items,
        options=options,
        low=low,
        high=high,
        ranvar=float(ranvar),
        min_n=min_n,
        n=total_n,
        mean=total_mean,
        icc=icc_result,
        units=table,
        reading=reading(summaries["rwg_j_median"], icc_result.icc1, icc_result.icc2),
        warnings=_warnings(table, icc_result, n_items, min_n),
        **summaries,
    )


def _warnings(table: pd.DataFrame, icc_result: ICC, n_items: int, min_n: int) -> tuple[str, ...]:
    """Why figures are missing: hidden units, undefined ICC, units without rwg(j)."""
    out = []
    hidden = table.loc[table["suppressed"], "unit"].astype(str).tolist()
    if hidden:
        out.append(Coded(f"{len(hidden)} of {len(table)} unit(s) hidden (fewer than {min_n} answers, or a hidden unit could be "
                         f"worked out from them): {_some(hidden)}", "units_hidden", hidden=len(hidden), units=len(table), min_n=min_n,
                         names=_some(hidden)))
    if icc_result.note:
        out.append(Coded(f"ICC(1) and ICC(2) not computed: {icc_result.note}", "icc_not_computed", reason=library_reason(icc_result.note)))
    index = "rwg(j)" if n_items > 1 else "rwg"
    who = f"respondents who answered all {n_items} items (listwise, as multilevel)" if n_items > 1 else "answers"
    no_rwg = table.loc[~table["suppressed"] & table["rwg_j"].isna(), "unit"].astype(str).tolist()
    if no_rwg:
        text = f"{index} not defined for {len(no_rwg)} shown unit(s) with fewer than two {who}: {_some(no_rwg)}"
        if n_items > 1:
            out.append(Coded(text, "rwg_undefined", index=index, units=len(no_rwg), names=_some(no_rwg)))
        else:
            out.append(Coded(text, "rwg_undefined_single", index=index, units=len(no_rwg), names=_some(no_rwg)))
    return tuple(out)


def _some(names: list[str], limit: int = 10) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _nanmean(values) -> float:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(arr.mean()) if len(arr) else float("nan")


def _nanmedian(values) -> float:
    arr = np.asarray(values, dtype=float)
    arr = arr[~np.isnan(arr)]
    return float(np.median(arr)) if len(arr) else float("nan")


def aggregate_instrument(
    items: pd.DataFrame,
    units,
    instrument,
    *,
    min_n: int = DEFAULT_MIN_N,
    options: int | None = None,
    ranvar: float | None = None,
    scales: Sequence[str] | None = None,
    progress=None,
) -> Aggregation:
    """Aggregate every scale of ``instrument`` (or those named in ``scales``) to units;
    ``progress(scale_id)``, if given, is called as each scale is done (a progress bar).

    ``items`` are the coded, *unreversed* answers from :func:`scoring.responses.reading.code_responses`;
    reverse keys come from the instrument (:func:`scoring.responses.scores.keyed_items`) and scores from
    :func:`scoring.responses.scores.score_scales` (the instrument's scoring and minimum-answered rules).
    A, the number of response options, is the count of valid codes of each scale's response
    scale unless ``options`` is given; ``ranvar`` (σ²E) replaces the uniform null variance of every scale.
    """
    from scoring.responses.scores import keyed_items, score_scales

    keyed = keyed_items(items, instrument)
    scores = score_scales(items, instrument)
    units = _as_categorical(units)
    wanted = list(scales) if scales else [s.id for s in instrument.scales]
    known = {s.id: s for s in instrument.scales}
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise UserError.single(f"instrument '{instrument.id}' has no scale " + ", ".join(unknown))
    results = []
    for scale_id in wanted:  # over scales (about a dozen), not units
        scale = known[scale_id]
        rs = instrument.response_scale_of(scale.items[0])
        count = options if options is not None else len(rs.valid_codes)
        low = rs.min if rs.has_limits else min(rs.valid_codes)
        results.append(
            aggregate_scale(
                scores[scale_id].to_numpy(),
                units,
                items=keyed[scale.items].to_numpy(dtype=float),
                options=count,
                step=rs.step if options is None else 1.0,
                low=low,
                ranvar=ranvar,
                min_n=min_n,
                scale=scale_id,
                name=dict(scale.name),
            )
        )
        if progress is not None:
            progress(scale_id)
    return Aggregation(results)

