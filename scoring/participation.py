"""Response rates per unit of a round, with small counts suppressed like every other figure.

A unit's ``responses`` and ``invited`` (headcount) are the sums over the round's units below it
(the surveyed leaves), so an inner unit such as a tjenesteområde shows its whole subtree.

Formula: response rate = responses / invited, shown only where every round unit below has a
headcount (a partial denominator would overstate the rate).

Privacy (design/privacy.md): in a small unit the number of answers says who may have answered,
and a count can be worked out by subtraction from its parent and siblings. So the counts go
through :func:`scoring.privacy.suppress` on the whole organisation's tree — primary suppression
below ``min_n`` and complementary suppression of siblings — before they are cut to the
principal's scope. A suppressed unit keeps its headcount (staff numbers are not survey answers)
but loses its responses and rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.access import Principal
from scoring.privacy import DEFAULT_MIN_N, check_min_n, suppress

PARTNER_TYPE = "partner"


@dataclass
class ResponseRates:
    """Responses, headcount and response rate per unit of one round, suppressed and scoped.

    ``units``: unit, name, unit_type, parent, depth, responses (Int64, NA when suppressed),
    invited (Int64, NA without headcount), response_rate (float, NaN when suppressed or the
    headcount is incomplete), suppressed. ``organisation``: the same figures for all units.
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


def response_rates(
    status: pd.DataFrame,
    tree: pd.DataFrame,
    round_name: str,
    *,
    principal: Principal | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> ResponseRates:
    """Pool a round's per-unit counts up the unit tree, suppress small counts, then scope.

    Parameters
    ----------
    status : one row per unit in the round with ``unit``, ``responses`` and ``invited``
        (NA where no headcount was given), as from :func:`scoring.store.api.round_status`.
    tree : unit, name, parent, unit_type (the whole organisation).
    principal : rows outside its scope are dropped *after* suppression.
    min_n : smallest count shown (>= 3).

    Examples
    --------
    >>> tree = pd.DataFrame({"unit": ["org", "a", "b", "c"], "name": ["Org", "A", "B", "C"],
    ...                      "parent": [None, "org", "org", "org"], "unit_type": ["k", "t", "t", "t"]})
    >>> status = pd.DataFrame({"unit": ["a", "b", "c"], "responses": [12, 3, 7], "invited": [15, 4, 9]})
    >>> r = response_rates(status, tree, "2025-1")
    >>> r.units[["unit", "responses", "suppressed"]].values.tolist()
    [['org', 22, False], ['a', 12, False], ['b', <NA>, True], ['c', <NA>, True]]

    ``b`` has too few answers; ``c`` is hidden as well, or ``org - a`` would give ``b``.
    """
    min_n = check_min_n(min_n)
    tree = tree.assign(parent=tree["parent"].where(tree["parent"].notna() & (tree["parent"] != ""), None))
    status = status[["unit", "responses", "invited"]]
    parent = dict(zip(tree["unit"], tree["parent"]))

    rows = []
    for unit, responses, invited in status.itertuples(index=False):
        missing = int(pd.isna(invited))
        node, hops = unit, 0
        while isinstance(node, str) and node and hops < 50:  # walks the tree, not respondents
            rows.append((node, int(responses), 0 if missing else int(invited), missing))
            node, hops = parent.get(node), hops + 1
    pooled = pd.DataFrame(rows, columns=["unit", "responses", "invited", "missing"]).groupby("unit", as_index=False).sum()

    decision = suppress(tree[["unit", "parent"]], status.rename(columns={"responses": "n"})[["unit", "n"]], min_n=min_n)
    shown = set(decision.shown_units())

    surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
    table = surveyed[["unit", "name", "unit_type", "parent"]].merge(pooled, on="unit", how="inner")
    table.insert(4, "depth", [_depth(u, parent) for u in table["unit"]])
    table["suppressed"] = ~table["unit"].isin(shown)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = table["responses"] / table["invited"].where(table["invited"] > 0)
    table["response_rate"] = rate.where((table["missing"] == 0) & ~table["suppressed"]).astype(float)
    table["invited"] = table["invited"].astype("Int64").where(table["missing"] == 0, pd.NA)
    table["responses"] = table["responses"].astype("Int64").where(~table["suppressed"], pd.NA)
    table = table[["unit", "name", "unit_type", "parent", "depth", "responses", "invited", "response_rate", "suppressed"]]

    total = int(status["responses"].sum())
    complete = bool(status["invited"].notna().all()) and len(status) > 0
    invited = int(status["invited"].sum()) if complete else None
    organisation = {
        "responses": total if total >= min_n else None,
        "invited": invited,
        "response_rate": total / invited if invited and total >= min_n else None,
        "suppressed": total < min_n,
    }
    if principal is not None:
        table = table[table["unit"].isin(principal.scope(table["unit"]))]
    return ResponseRates(round_name, min_n, organisation, table.reset_index(drop=True))


def _depth(unit: str, parent: dict) -> int:
    depth, node = 0, parent.get(unit)
    while isinstance(node, str) and node and depth < 50:
        depth, node = depth + 1, parent.get(node)
    return depth
