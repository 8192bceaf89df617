"""Response rates per unit of a round, from the publication's response counts.

A unit's ``responses`` is its published response-count cell (the respondents of the unit and
every unit below it); ``invited`` is the headcount of the round's units below it (staff numbers
are public, not survey answers).

Formula: response rate = responses / invited, shown only where the count is shown and every
round unit below has a headcount (a partial denominator would overstate the rate).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.frame_memo import memo
from scoring.privacy.publication import ORGANISATION, Publication
from scoring.reporting.comparison import surveyed_units
from scoring.result import Result

COLUMNS = ["unit", "name", "unit_type", "parent", "depth", "responses", "invited", "response_rate", "suppressed", "why"]


@dataclass(frozen=True, repr=False)
class ResponseRates(Result):
    """Responses, headcount and response rate per unit of one round, for the viewer's scope.

    ``units``: :data:`COLUMNS` (responses NA and rate NaN where ``suppressed``; invited NA
    without a full headcount). ``organisation``: the same figures for the whole organisation.
    """

    round: str
    min_n: int
    organisation: dict
    units: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        return self.units.copy()

    def to_dict(self) -> dict:
        rows = self.units.astype(object).where(self.units.notna(), None).to_dict(orient="records")
        return {"round": self.round, "min_n": self.min_n, "organisation": self.organisation, "units": rows}


def invited_per_unit(status: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    """Headcount pooled up the tree: unit, invited, complete (every round unit below counted).

    Each round unit's headcount counts for it, every unit above it and the organisation; the
    tree is climbed one level at a time for all round units at once (at most 50 levels, a guard
    against a cycle)."""
    parent = pd.Series(tree["parent"].to_numpy(dtype=object), index=tree["unit"].to_numpy(dtype=object))
    parent = parent[~parent.index.duplicated(keep="last")]
    invited = pd.to_numeric(status["invited"], errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(invited).astype(np.int64)
    counted = np.where(np.isnan(invited), 0, invited).astype(np.int64)
    node = status["unit"].to_numpy(dtype=object)
    units, heads, gaps = [np.full(len(node), ORGANISATION, dtype=object)], [counted], [missing]
    for _ in range(50):
        alive = np.array([isinstance(n, str) and n != "" for n in node], dtype=bool)
        if not alive.any():
            break
        units.append(node[alive])
        heads.append(counted[alive])
        gaps.append(missing[alive])
        node, counted, missing = parent.reindex(node[alive]).to_numpy(dtype=object), counted[alive], missing[alive]
    frame = pd.DataFrame({"unit": np.concatenate(units), "invited": np.concatenate(heads), "missing": np.concatenate(gaps)})
    frame = frame.groupby("unit", as_index=False).sum()
    frame["complete"] = frame["missing"] == 0
    return frame[["unit", "invited", "complete"]]


def _pooled(status: pd.DataFrame, tree: pd.DataFrame) -> pd.DataFrame:
    """:func:`invited_per_unit` by unit, once per status and tree frame (a report batch asks
    for every scope with the same two)."""
    tree_ref, pooled = memo(status, "invited_per_unit", lambda: (weakref.ref(tree), invited_per_unit(status, tree).set_index("unit")))
    return pooled if tree_ref() is tree else invited_per_unit(status, tree).set_index("unit")


def response_rates(publication: Publication, tree: pd.DataFrame, round_name: str, status: pd.DataFrame) -> ResponseRates:
    """The round's response counts (Overview) with rates from the headcount in ``status``
    (one row per round unit: ``unit``, ``invited``, as from :func:`scoring.store.rounds.round_status`).

    Examples
    --------
    >>> from scoring.privacy.publication import Publication, Viewer
    >>> tree = pd.DataFrame({"unit": ["org", "a", "b"], "name": ["Org", "A", "B"],
    ...                      "parent": [None, "org", "org"], "unit_type": ["k", "t", "t"]})
    >>> cells = pd.DataFrame({"page": "overview", "round": "r", "unit": ["*", "org", "a", "b"],
    ...     "n": pd.array([20, 20, None, None], dtype="Int64"), "hidden": [False, False, True, True],
    ...     "why": [None, None, "below_min_n", "protects_other"]})
    >>> status = pd.DataFrame({"unit": ["a", "b"], "invited": [4, 30]})
    >>> r = response_rates(Publication(Viewer(), {"r": 5}, cells), tree, "r", status)
    >>> r.units["unit"].tolist(), r.units["responses"].tolist(), r.units["invited"].tolist()
    (['org', 'a', 'b'], [20, <NA>, <NA>], [34, 4, 30])
    >>> r.units["suppressed"].tolist()
    [False, True, True]
    """
    cells = publication.arrays("overview", round_name)
    pooled = _pooled(status, tree)
    surveyed = surveyed_units(tree)
    # Units with a count cell and a headcount, in tree order (surveyed units only).
    place, head = surveyed["index"].get_indexer(cells["unit"]), pooled.index.get_indexer(cells["unit"])
    rows = np.flatnonzero((place >= 0) & (head >= 0))
    rows = rows[np.argsort(place[rows], kind="stable")]
    place, head = place[rows], head[rows]
    responses = pd.array(cells["n"][rows], dtype="Int64")  # counts stay whole, NA when hidden
    complete = pooled["complete"].to_numpy(dtype=bool)
    invited = pd.array(np.where(complete[head], pooled["invited"].to_numpy()[head], pd.NA), dtype="Int64")
    suppressed = cells["hidden"][rows]
    counted, heads = responses.to_numpy(dtype=float, na_value=np.nan), invited.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = counted / np.where(heads > 0, heads, np.nan)
    table = pd.DataFrame({"unit": surveyed["index"].to_numpy()[place], "name": surveyed["name"][place],
                          "unit_type": surveyed["unit_type"][place], "parent": surveyed["parent"][place],
                          "depth": surveyed["depth"][place], "responses": responses, "invited": invited,
                          "response_rate": np.where(suppressed, np.nan, rate), "suppressed": suppressed,
                          "why": cells["why"][rows]})
    org = np.flatnonzero(cells["unit"] == ORGANISATION)
    at = pooled.index.get_indexer([ORGANISATION])[0]
    org_invited = int(pooled["invited"].iloc[at]) if at >= 0 and bool(complete[at]) else None
    shown = len(org) > 0 and not cells["hidden"][org[0]]
    org_responses = int(cells["n"][org[0]]) if shown else None
    organisation = {
        "responses": org_responses, "invited": org_invited,
        "response_rate": org_responses / org_invited if shown and org_invited else None,
        "suppressed": not shown, "why": None if len(org) == 0 or shown else cells["why"][org[0]],
    }
    return ResponseRates(round_name, publication.rounds.get(round_name, 0), organisation, table[COLUMNS])
