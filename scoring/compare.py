"""Comparing units honestly: means with their uncertainty, benchmarks, change across rounds.

Everything a manager sees of a unit goes through :func:`scoring.privacy.suppress` on the whole
organisation's tree first and is cut to the manager's scope afterwards, so the same cells are
hidden for everyone and no combination of pages can subtract a hidden unit out.

Formulas
--------
- Unit mean with a t-based 95% CI: mean +- t(.975, n-1) * sd / sqrt(n).
- Difference of a unit from a benchmark (Welch): d = m_u - m_b, se = sqrt(s_u²/n_u + s_b²/n_b),
  CI d +- t(.975, df) se with Welch-Satterthwaite df. The benchmark includes the unit itself
  (organisation mean), which makes the test conservative; it is described as such.
- Change between two rounds of one unit: the same Welch interval on the two rounds' means
  (different respondents each round; anonymous answers cannot be paired).
A difference is "clear" only when its 95% CI excludes 0; otherwise the page says the units
cannot be told apart with this many answers (no league table).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from scoring.access import Principal
from scoring.privacy import DEFAULT_MIN_N, check_min_n, suppress

HIGHER, LOWER, UNCLEAR = "higher", "lower", "unclear"
PARTNER_TYPE = "partner"  # rated by others, never surveyed: no row of its own


def mean_ci(mean, sd, n, level: float = 0.95):
    """t-based confidence interval of a mean; NaN where n < 2."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(sd, dtype=float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return np.asarray(mean) - half, np.asarray(mean) + half


def welch_difference(m1, s1, n1, m2, s2, n2, level: float = 0.95):
    """Difference m1 - m2 with a Welch 95% CI; returns (d, low, high, reading)."""
    m1, s1, n1, m2, s2, n2 = (np.asarray(x, dtype=float) for x in (m1, s1, n1, m2, s2, n2))
    with np.errstate(invalid="ignore", divide="ignore"):
        v1, v2 = s1**2 / n1, s2**2 / n2
        se = np.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
        half = stats.t.ppf(0.5 + level / 2, df) * se
    d = m1 - m2
    low, high = d - half, d + half
    reading = np.where(low > 0, HIGHER, np.where(high < 0, LOWER, UNCLEAR))
    reading = np.where(np.isnan(half), UNCLEAR, reading)
    return d, low, high, reading


def _moments(frame: pd.DataFrame, score: str, by: list[str]) -> pd.DataFrame:
    """n, sum, mean, sd per group (sd with n - 1), respondents with a score only."""
    valid = frame[frame[score].notna()]
    grouped = valid.groupby(by, observed=True, sort=False)[score]
    out = grouped.agg(n="count", sum="sum", mean="mean", sd="std").reset_index()
    return out


@dataclass
class UnitComparison:
    """One scale in one round: each visible unit against the organisation and its unit type."""

    scale: str
    round: str
    min_n: int
    organisation: dict
    units: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.units.copy()

    def to_dict(self) -> dict:
        rows = self.units.astype(object).where(self.units.notna(), None).to_dict(orient="records")
        return {"scale": self.scale, "round": self.round, "min_n": self.min_n, "organisation": self.organisation, "units": rows}

    def summary(self) -> str:
        org = self.organisation
        lines = [f"{self.scale}, round {self.round}: organisation mean {org['mean']:.2f} (n = {org['n']})"]
        for r in self.units.itertuples():
            if r.suppressed:
                lines.append(f"  {r.unit:<24} too few answers")
            else:
                lines.append(f"  {r.unit:<24} {r.mean:5.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}] n = {r.n}  vs org: {r.vs_organisation}")
        return "\n".join(lines)


def compare_units(
    scores: pd.DataFrame,
    tree: pd.DataFrame,
    scale: str,
    round_name: str,
    *,
    principal: Principal | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> UnitComparison:
    """Unit means of ``scale`` in one round, suppressed, with benchmarks and their uncertainty.

    ``scores``: one row per response with ``unit``, ``round`` and the scale column (from
    :func:`scoring.scores.score_scales`), the whole organisation's responses. ``tree``: unit,
    name, parent, unit_type. Every unit of the tree is a row (inner units pool the leaves below
    them); rows outside the principal's scope are dropped after suppression.

    Partner services (``unit_type`` partner) are rated, not surveyed, and get no row.

    Columns: unit, name, unit_type, parent, depth, n, mean, sd, ci_low, ci_high, suppressed,
    type_mean, type_n (pooled over the *shown* leaf units of that type, so it reveals nothing a
    hidden unit holds), diff_organisation, diff_low, diff_high, vs_organisation.
    """
    min_n = check_min_n(min_n)
    this = scores[scores["round"] == round_name]
    leaf = _moments(this, scale, ["unit"])
    leaf["sumsq"] = (leaf["sd"].fillna(0) ** 2) * (leaf["n"] - 1) + leaf["n"] * leaf["mean"] ** 2
    pooled = _pool_up(tree, leaf)
    decision = suppress(tree[["unit", "parent"]], leaf[["unit", "n", "sum"]], min_n=min_n)
    shown = decision.shown_units()

    surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
    table = surveyed[["unit", "name", "unit_type", "parent"]].merge(pooled, on="unit", how="left")
    table["n"] = table["n"].fillna(0).astype(int)
    # A round without answers merges to all-missing object columns; sums are numbers.
    table[["sum", "sumsq"]] = table[["sum", "sumsq"]].astype(float)
    table["depth"] = _depths(tree).reindex(table["unit"]).to_numpy()
    table["suppressed"] = ~table["unit"].isin(shown)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["mean"] = table["sum"] / table["n"]
        var = (table["sumsq"] - table["n"] * table["mean"] ** 2) / (table["n"] - 1)
    table["sd"] = np.sqrt(var.clip(lower=0))
    table["ci_low"], table["ci_high"] = mean_ci(table["mean"], table["sd"], table["n"])

    valid = this[this[scale].notna()][scale]
    org = {"n": int(valid.size), "mean": float(valid.mean()) if valid.size else float("nan"),
           "sd": float(valid.std()) if valid.size > 1 else float("nan")}
    org["ci_low"], org["ci_high"] = (float(x) for x in mean_ci(org["mean"], org["sd"], org["n"]))
    if org["n"] < min_n:
        org = {"n": None, "mean": None, "sd": None, "ci_low": None, "ci_high": None, "suppressed": True}
    else:
        org["suppressed"] = False

    d, lo, hi, reading = welch_difference(table["mean"], table["sd"], table["n"], org["mean"] or np.nan,
                                          org["sd"] or np.nan, org["n"] or np.nan)
    table["diff_organisation"], table["diff_low"], table["diff_high"], table["vs_organisation"] = d, lo, hi, reading

    leaves = set(leaf["unit"])
    shown_leaf = table[table["unit"].isin(leaves) & ~table["suppressed"]]
    by_type = shown_leaf.groupby("unit_type").agg(type_n=("n", "sum"), type_sum=("sum", "sum"))
    table = table.merge(by_type, left_on="unit_type", right_index=True, how="left")
    table["type_mean"] = table["type_sum"] / table["type_n"]

    hidden_cols = ["n", "mean", "sd", "ci_low", "ci_high", "diff_organisation", "diff_low", "diff_high"]
    table.loc[table["suppressed"], hidden_cols] = np.nan
    table.loc[table["suppressed"], "vs_organisation"] = None
    table = table.drop(columns=["sum", "sumsq", "type_sum"])
    table["n"] = table["n"].astype("Int64")
    table["type_n"] = table["type_n"].astype("Int64")
    if principal is not None:
        table = table[table["unit"].isin(principal.scope(table["unit"]))]
    return UnitComparison(scale, round_name, min_n, org, table.reset_index(drop=True))


def _depths(tree: pd.DataFrame) -> pd.Series:
    parent = dict(zip(tree["unit"], tree["parent"]))
    depth = {}
    for unit in tree["unit"]:
        d, p = 0, parent.get(unit)
        while isinstance(p, str) and p and d < 50:
            d, p = d + 1, parent.get(p)
        depth[unit] = d
    return pd.Series(depth)


def _pool_up(tree: pd.DataFrame, leaf: pd.DataFrame) -> pd.DataFrame:
    """n, sum and sum of squares of every unit = the sums over the leaves below it."""
    parent = dict(zip(tree["unit"], tree["parent"]))
    rows = []
    for unit, n, s, ss in leaf[["unit", "n", "sum", "sumsq"]].itertuples(index=False):
        node, hops = unit, 0
        while isinstance(node, str) and node and hops < 50:  # walks the tree, not respondents
            rows.append((node, n, s, ss))
            node, hops = parent.get(node), hops + 1
    frame = pd.DataFrame(rows, columns=["unit", "n", "sum", "sumsq"])
    return frame.groupby("unit", as_index=False).sum()


@dataclass
class Trend:
    """A scale across rounds for each visible unit, with change flagged beyond its uncertainty."""

    scale: str
    rounds: list[str]
    units: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.units.copy()


def unit_trends(
    scores: pd.DataFrame,
    tree: pd.DataFrame,
    scale: str,
    *,
    principal: Principal | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> Trend:
    """Each unit's mean per round (suppressed per round as in :func:`compare_units`) and the
    change from the previous round with a Welch 95% CI; ``change`` is ``higher``/``lower``
    only when the CI excludes 0, and is computed only between two shown cells.
    """
    rounds = sorted(scores["round"].dropna().unique())
    frames = []
    for name in rounds:
        comp = compare_units(scores, tree, scale, name, principal=principal, min_n=min_n).units
        frames.append(comp.assign(round=name)[["unit", "name", "round", "n", "mean", "sd", "ci_low", "ci_high", "suppressed"]])
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if table.empty:
        return Trend(scale, rounds, table)
    table = table.sort_values(["unit", "round"]).reset_index(drop=True)
    prev = table.groupby("unit")[["mean", "sd", "n"]].shift(1)
    d, lo, hi, reading = welch_difference(table["mean"], table["sd"], table["n"].astype(float),
                                          prev["mean"], prev["sd"], prev["n"].astype(float))
    table["change"], table["change_low"], table["change_high"] = d, lo, hi
    table["change_reading"] = np.where(np.isnan(d.astype(float)), None, reading)
    return Trend(scale, rounds, table)
