"""Comparing units honestly: means with their uncertainty, benchmarks, change across rounds.

Everything is rendered from the publication (:mod:`scoring.privacy.publication`), whose cells are
decided for the whole organisation at once and cut to the viewer's scope there; this module only
adds intervals and differences computed from published n, mean and sd.

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

from scoring.frame_memo import memo
from scoring.privacy.publication import ORGANISATION, PARTNER_TYPE, TYPE_PREFIX, Publication
from scoring.result import Result

HIGHER, LOWER, UNCLEAR = "higher", "lower", "unclear"

UNIT_COLUMNS = ["unit", "name", "unit_type", "parent", "depth", "n", "mean", "sd", "ci_low", "ci_high", "suppressed", "why",
                "type_mean", "type_n", "diff_organisation", "diff_low", "diff_high", "vs_organisation"]


def mean_ci(mean, sd, n, level: float = 0.95):
    """t-based confidence interval of a mean; NaN where n < 2."""
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = stats.t.ppf(0.5 + level / 2, n - 1) * np.asarray(sd, dtype=float) / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return np.asarray(mean, dtype=float) - half, np.asarray(mean, dtype=float) + half


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


@dataclass(frozen=True, repr=False)
class UnitComparison(Result):
    """One scale in one round: each unit of the viewer's scope against the organisation and its
    unit type. ``units`` has :data:`UNIT_COLUMNS` (n, mean, sd and intervals missing where
    ``suppressed``; ``why`` says why); ``organisation`` the organisation's figures."""

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
        head = "hidden" if org["suppressed"] else f"{org['mean']:.2f} (n = {org['n']})"
        lines = [f"{self.scale}, round {self.round}: organisation mean {head}"]
        for r in self.units.itertuples():
            if r.suppressed:
                lines.append(f"  {r.unit:<24} not shown ({r.why})")
            else:
                lines.append(f"  {r.unit:<24} {r.mean:5.2f} [{r.ci_low:.2f}, {r.ci_high:.2f}] n = {r.n}  vs org: {r.vs_organisation}")
        return "\n".join(lines)


def depths(tree: pd.DataFrame) -> pd.Series:
    """Depth of every unit in the tree (roots 0), once per tree frame (:mod:`scoring.frame_memo`)."""
    return memo(tree, "depths", lambda: _depths(tree))


def _depths(tree: pd.DataFrame) -> pd.Series:
    parent = dict(zip(tree["unit"], tree["parent"]))
    depth = {}
    for unit in tree["unit"]:
        d, p = 0, parent.get(unit)
        while isinstance(p, str) and p and d < 50:
            d, p = d + 1, parent.get(p)
        depth[unit] = d
    return pd.Series(depth, dtype=int)


def _organisation(cell: pd.Series | None) -> dict:
    if cell is None or cell["hidden"]:
        return {"n": None, "mean": None, "sd": None, "ci_low": None, "ci_high": None, "suppressed": True,
                "why": None if cell is None else cell["why"]}
    low, high = mean_ci(cell["mean"], cell["sd"], cell["n"])
    return {"n": int(cell["n"]), "mean": float(cell["mean"]), "sd": float(cell["sd"]) if pd.notna(cell["sd"]) else None,
            "ci_low": float(low), "ci_high": float(high), "suppressed": False, "why": None}


def comparison(publication: Publication, tree: pd.DataFrame, scale: str, round_name: str) -> UnitComparison:
    """The units of the viewer's scope on one scale and round (the Compare page).

    Rows: every surveyed unit of the viewer's scope, in tree order; ``type_mean``/``type_n``:
    the published cell of the unit's type; ``diff_*``/``vs_organisation``: the Welch
    difference from the organisation's mean, where both are shown.
    """
    cells = publication.select("compare", round_name, scale=scale)
    by_unit = cells.set_index("unit")
    org = _organisation(by_unit.loc[ORGANISATION] if ORGANISATION in by_unit.index else None)
    surveyed = tree[(tree["unit_type"] != PARTNER_TYPE) & tree["unit"].isin(by_unit.index)]
    table = surveyed[["unit", "name", "unit_type", "parent"]].reset_index(drop=True)
    table["depth"] = depths(tree).reindex(table["unit"]).to_numpy()
    rows = by_unit.reindex(table["unit"])
    table["n"] = rows["n"].to_numpy()
    table["mean"] = rows["mean"].astype(float).to_numpy()
    table["sd"] = rows["sd"].astype(float).to_numpy()
    table["ci_low"], table["ci_high"] = mean_ci(table["mean"], table["sd"], table["n"].astype(float))
    table["suppressed"] = rows["hidden"].to_numpy(dtype=bool)
    table["why"] = rows["why"].to_numpy()
    types = by_unit.reindex([TYPE_PREFIX + str(k) for k in table["unit_type"]])
    table["type_mean"] = types["mean"].astype(float).to_numpy()
    table["type_n"] = types["n"].to_numpy()
    d, lo, hi, reading = welch_difference(table["mean"], table["sd"], table["n"].astype(float),
                                          org["mean"] if org["mean"] is not None else np.nan,
                                          org["sd"] if org["sd"] is not None else np.nan,
                                          org["n"] if org["n"] is not None else np.nan)
    table["diff_organisation"], table["diff_low"], table["diff_high"] = d, lo, hi
    table["vs_organisation"] = np.where(table["suppressed"] | org["suppressed"], None, reading)
    table["n"] = table["n"].astype("Int64")
    table["type_n"] = table["type_n"].astype("Int64")
    return UnitComparison(scale, round_name, publication.rounds.get(round_name, 0), org, table[UNIT_COLUMNS])


def unit_rows(publication: Publication, tree: pd.DataFrame, round_name: str, scales: list[str]) -> pd.DataFrame:
    """:func:`comparison`'s rows for several scales at once: :data:`UNIT_COLUMNS` plus ``scale``
    and the organisation's ``org_mean``, ``org_sd``, ``org_n`` (NaN/NA where its cell is hidden),
    scales in the order given, units in tree order. One selection and one pass of the interval
    and Welch formulas instead of one per scale (a national round has 1,500 units x 14 scales).

    Works on the publication's cached column arrays and codes, not on frames: a report batch
    makes these rows for every scope of a national organisation (a few dozen rows each, where
    each pandas selection, index and reindex cost milliseconds)."""
    return pd.DataFrame(unit_row_columns(publication, tree, round_name, scales))


def unit_row_columns(publication: Publication, tree: pd.DataFrame, round_name: str, scales: list[str]) -> dict:
    """:func:`unit_rows` as a dict of columns (name -> array), for a caller that adds its own
    columns before it makes the frame (:func:`scoring.reporting.landing.scale_table`)."""
    cells, surveyed = publication.arrays("compare", round_name), surveyed_units(tree)
    wanted = pd.Index(list(dict.fromkeys(scales)))
    scale_code = wanted.get_indexer(cells["scale"])
    place = np.where(scale_code >= 0, surveyed["index"].get_indexer(cells["unit"]), -1)
    rows = np.flatnonzero(place >= 0)
    rows = rows[np.lexsort((place[rows], scale_code[rows]))]
    place, codes = place[rows], scale_code[rows]
    # The first cell of each (scale, unit) in publication order, for the organisation and the types.
    unit_code, names = pd.factorize(cells["unit"])
    named, width = pd.Index(names), max(len(names), 1)
    first_key, first_row = np.unique(scale_code * width + unit_code, return_index=True)

    def first(of: np.ndarray) -> np.ndarray:
        """The cell of each row's scale at unit ``of`` (its first in publication order), -1 if none."""
        code = named.get_indexer(of)
        key = codes * width + code
        hit = np.searchsorted(first_key, key).clip(max=len(first_key) - 1)  # no rows where there are no cells
        return np.where((code >= 0) & (first_key[hit] == key), first_row[hit], -1)  # codes >= 0: rows are of wanted scales

    def take(values: np.ndarray, where: np.ndarray) -> np.ndarray:
        return np.where(where >= 0, values[where.clip(0)], np.nan)

    org = first(np.full(len(rows), ORGANISATION, dtype=object))
    org_hidden = (org < 0) | cells["hidden"][org.clip(0)]  # hidden, or no organisation cell
    org_mean, org_sd, org_n = (np.where(org_hidden, np.nan, take(cells[c], org)) for c in ("mean", "sd", "n"))
    unit_type = surveyed["unit_type"][place]
    types = first(np.array([TYPE_PREFIX + str(t) for t in unit_type], dtype=object))
    n, mean, sd, suppressed = cells["n"][rows], cells["mean"][rows], cells["sd"][rows], cells["hidden"][rows]
    low, high = mean_ci(mean, sd, n)
    d, d_low, d_high, reading = welch_difference(mean, sd, n, org_mean, org_sd, org_n)
    return {
        "unit": cells["unit"][rows], "name": surveyed["name"][place], "unit_type": unit_type,
        "parent": surveyed["parent"][place], "depth": surveyed["depth"][place],
        "n": pd.array(n, dtype="Int64"), "mean": mean, "sd": sd, "ci_low": low, "ci_high": high,
        "suppressed": suppressed, "why": pd.Series(cells["why"][rows], dtype=object),
        "type_mean": take(cells["mean"], types), "type_n": pd.array(take(cells["n"], types), dtype="Int64"),
        "diff_organisation": d, "diff_low": d_low, "diff_high": d_high,
        "vs_organisation": pd.Series(np.where(suppressed | org_hidden, None, reading), dtype=object),
        "scale": cells["scale"][rows], "org_mean": org_mean, "org_sd": org_sd, "org_n": pd.array(org_n, dtype="Int64"),
    }


def surveyed_units(tree: pd.DataFrame) -> dict:
    """The tree's surveyed units (not partner services) as arrays, with an index to find them
    and their depths; once per tree frame (:mod:`scoring.frame_memo`)."""

    def make() -> dict:
        surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
        units = surveyed["unit"].to_numpy()
        return {"index": pd.Index(units), "name": surveyed["name"].to_numpy(), "unit_type": surveyed["unit_type"].to_numpy(),
                "parent": surveyed["parent"].to_numpy(), "depth": depths(tree).reindex(units).to_numpy()}

    return memo(tree, "surveyed", make)


MATRIX_COLUMNS = ["unit", "scale", "n", "mean", "ci_low", "ci_high", "suppressed", "why", "diff_organisation",
                  "vs_organisation", "org_mean", "org_n"]


def scale_matrix(publication: Publication, tree: pd.DataFrame, round_name: str, scales: list[str]) -> pd.DataFrame:
    """Units x scales of one round (the heatmap): unit, scale, n, mean, ci_low, ci_high,
    suppressed, why, diff_organisation, vs_organisation, org_mean, org_n (NaN/NA where the
    organisation's cell is hidden): :func:`unit_rows`."""
    return unit_rows(publication, tree, round_name, scales)[MATRIX_COLUMNS]


def trend_rows(publication: Publication, tree: pd.DataFrame, scales: list[str],
               made: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """:func:`trends`' rows for several scales at once (``scale`` added): each unit's cell per
    round where the scale has cells, and the change from that unit's previous row. ``made``:
    :func:`unit_rows` of some rounds already made by the caller (not made again)."""
    made = made or {}
    frames = [(made[name] if name in made else unit_rows(publication, tree, name, scales)).assign(round=name)
              for name in publication.rounds]
    columns = ["scale", "unit", "name", "round", "n", "mean", "sd", "ci_low", "ci_high", "suppressed", "why"]
    table = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    order = {r: i for i, r in enumerate(publication.rounds)}
    table = table.assign(_o=table["round"].map(order)).sort_values(["scale", "unit", "_o"], kind="stable")
    table = table.drop(columns="_o").reset_index(drop=True)
    prev = table.groupby(["scale", "unit"])[["mean", "sd", "n"]].shift(1)
    d, lo, hi, reading = welch_difference(table["mean"], table["sd"], table["n"].astype(float),
                                          prev["mean"], prev["sd"], prev["n"].astype(float))
    table["change"], table["change_low"], table["change_high"] = d, lo, hi
    table["change_reading"] = pd.Series(np.where(np.isnan(d.astype(float)), None, reading), dtype=object)
    return table


@dataclass(frozen=True, repr=False)
class Trend(Result):
    """A scale across rounds for each unit of the viewer's scope, with change flagged beyond
    its uncertainty."""

    scale: str
    rounds: list[str]
    units: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.units.copy()


def trends(publication: Publication, tree: pd.DataFrame, scale: str) -> Trend:
    """Each unit's mean per round (as published for that round) and the change from the
    previous round with a Welch 95% CI; ``change_reading`` is ``higher``/``lower`` only when
    the CI excludes 0, and a change is computed only between two shown cells."""
    rounds = [r for r in publication.rounds if len(publication.select("compare", r, scale=scale))]
    frames = []
    for name in rounds:
        comp = comparison(publication, tree, scale, name).units
        frames.append(comp.assign(round=name)[["unit", "name", "round", "n", "mean", "sd", "ci_low", "ci_high", "suppressed", "why"]])
    if not frames:
        return Trend(scale, rounds, pd.DataFrame())
    order = {r: i for i, r in enumerate(rounds)}
    table = pd.concat(frames, ignore_index=True)
    table = table.assign(_o=table["round"].map(order)).sort_values(["unit", "_o"]).drop(columns="_o").reset_index(drop=True)
    prev = table.groupby("unit")[["mean", "sd", "n"]].shift(1)
    d, lo, hi, reading = welch_difference(table["mean"], table["sd"], table["n"].astype(float),
                                          prev["mean"], prev["sd"], prev["n"].astype(float))
    table["change"], table["change_low"], table["change_high"] = d, lo, hi
    table["change_reading"] = np.where(np.isnan(d.astype(float)), None, reading)
    return Trend(scale, rounds, table)
