"""Response rates per unit of a round, from the publication's response counts.

A unit's ``responses`` is its published response-count cell (the respondents of the unit and
every unit below it); ``invited`` is the headcount of the round's units below it (staff numbers
are public, not survey answers).

Formula: response rate = responses / invited, shown only where the count is shown and every
round unit below has a headcount (a partial denominator would overstate the rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.privacy.publication import ORGANISATION, PARTNER_TYPE, Publication
from scoring.reporting.comparison import depths
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
    """Headcount pooled up the tree: unit, invited, complete (every round unit below counted)."""
    parent = dict(zip(tree["unit"], tree["parent"]))
    rows = []
    for unit, invited in status[["unit", "invited"]].itertuples(index=False):
        node, hops = unit, 0
        while isinstance(node, str) and node and hops < 50:  # walks the tree, not respondents
            rows.append((node, 0 if pd.isna(invited) else int(invited), int(pd.isna(invited))))
            node, hops = parent.get(node), hops + 1
        rows.append((ORGANISATION, 0 if pd.isna(invited) else int(invited), int(pd.isna(invited))))
    frame = pd.DataFrame(rows, columns=["unit", "invited", "missing"]).groupby("unit", as_index=False).sum()
    frame["complete"] = frame["missing"] == 0
    return frame[["unit", "invited", "complete"]]


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
    cells = publication.select("overview", round_name).set_index("unit")
    pooled = invited_per_unit(status, tree).set_index("unit")
    surveyed = tree[(tree["unit_type"] != PARTNER_TYPE) & tree["unit"].isin(cells.index) & tree["unit"].isin(pooled.index)]
    table = surveyed[["unit", "name", "unit_type", "parent"]].reset_index(drop=True)
    table["depth"] = depths(tree).reindex(table["unit"]).to_numpy()
    rows = cells.reindex(table["unit"])
    table["responses"] = pd.array(rows["n"].astype("Int64").to_numpy(), dtype="Int64")  # counts stay whole, NA when hidden
    heads = pooled.reindex(table["unit"])
    table["invited"] = pd.array(np.where(heads["complete"], heads["invited"], pd.NA), dtype="Int64")
    table["suppressed"] = rows["hidden"].to_numpy(dtype=bool)
    table["why"] = rows["why"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = table["responses"].astype(float) / table["invited"].astype(float).where(table["invited"].astype(float) > 0)
    table["response_rate"] = rate.where(~table["suppressed"]).astype(float)
    org_cell = cells.loc[ORGANISATION] if ORGANISATION in cells.index else None
    head = pooled.loc[ORGANISATION] if ORGANISATION in pooled.index else None
    invited = int(head["invited"]) if head is not None and bool(head["complete"]) else None
    shown = org_cell is not None and not org_cell["hidden"]
    responses = int(org_cell["n"]) if shown else None
    organisation = {
        "responses": responses, "invited": invited,
        "response_rate": responses / invited if shown and invited else None,
        "suppressed": not shown, "why": None if org_cell is None or shown else org_cell["why"],
    }
    return ResponseRates(round_name, publication.rounds.get(round_name, 0), organisation, table[COLUMNS])
