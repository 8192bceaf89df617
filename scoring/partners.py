"""Who rates whom: collaboration-climate scores by rating unit and named partner service.

A samhandlingsklima answer may name the partner service it is about (the field ``sk_partner``:
a unit id, e.g. the DPS ``d1``, the GPs ``fastleger1`` or a home-care zone ``k1.ho.hj1``). The
*who-rates-whom matrix* has the rating units as rows, the rated partners as columns, and in each
cell the mean scale score of the rating unit's respondents who named that partner, with n. Where
two services rate each other (home care about the DPS, the DPS about home care),
:meth:`PartnerMatrix.reciprocal` puts the two directions side by side (SIB 3211-3221: "A about
B" against "B about A").

Anonymity (privacy.md)
----------------------
A cell is a group of respondents like any unit figure, so it is decided by
:func:`scoring.privacy.suppress` on the whole organisation before the principal's scope is
applied. The strata are (round, named partner) pairs, "no partner named" included, and the
views are every set of strata that some page publishes:

* ``<round>`` — the unit's whole round (every respondent, partner or not), which the comparison
  and trend pages publish;
* ``*|<partner>`` — the cell pooled over all rounds (the default), or, with ``by_round=True``,
  ``<round>|<partner>`` — the cell of each round.

Because all views are decided together, "the unit minus the respondents who named a partner"
or "all rounds minus 2025" cannot expose a hidden group. Pooled and per-round cells are never
published side by side: their differences would force so many extra suppressions (on the
sample data the DPS column of the pooled matrix disappears) that neither is worth reading, so
``by_round`` is a deployment's choice, not a reader's. The tree gets one extra root above the
organisation's roots (:data:`ORGANISATION`, "all rating units"), whose round view is the
organisation figure the comparison page shows as its benchmark. Partner services
(``unit_type`` partner) are rated, never surveyed: they are columns, not rows.

Rows by unit type (:meth:`PartnerMatrix.by_unit_type`) pool only the *shown* cells of the units
of a type, so they are sums of published figures and reveal nothing new.

Formulas: cell mean = Σ score / n over the respondents with a score on the scale; sd with
divisor n - 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.access import Principal
from scoring.compare import PARTNER_TYPE
from scoring.privacy import DEFAULT_MIN_N, check_min_n, suppress

ORGANISATION = "*"  # the row of all rating units together
ALL_ROUNDS = "*"  # the round label of cells pooled over every round
NO_PARTNER = ""  # the stratum of respondents who named no partner
PARTNER_FIELD = "sk_partner"

CELL_COLUMNS = ["rater", "rater_name", "rater_type", "depth", "rated", "rated_name", "round", "n", "mean", "sd", "suppressed"]


@dataclass
class PartnerMatrix:
    """Who rates whom for one scale: one row per (rater, rated partner, round or all rounds).

    ``periods`` are the values of ``round`` in ``cells``: ``[ALL_ROUNDS]`` (pooled, the
    default) or the round names (``by_round``).

    ``cells`` has the columns :data:`CELL_COLUMNS`; ``rater`` is a unit id or
    :data:`ORGANISATION`, ``round`` a round name or :data:`ALL_ROUNDS`. A suppressed cell has
    ``suppressed = True`` and no n, mean or sd. ``raters`` lists the rater units in tree order
    (the principal's scope only), ``rated`` the partner columns; ``ancestors`` maps a rated
    unit to the units above it (a unit is not paired with its own ancestors).
    """

    scale: str
    min_n: int
    rounds: list[str]
    periods: list[str]
    raters: list[str]
    rated: list[str]
    names: dict[str, str]
    cells: pd.DataFrame = field(repr=False)
    ancestors: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def select(self, round_name: str | None = None) -> pd.DataFrame:
        """The cells of one period (default: the last of :attr:`periods`), raters in tree order."""
        round_name = self.periods[-1] if round_name is None else round_name
        if round_name not in self.periods:
            raise KeyError(f"no cells for {round_name!r} (periods: {', '.join(self.periods)})")
        out = self.cells[self.cells["round"] == round_name]
        return out.reset_index(drop=True)

    def matrix(self, round_name: str | None = None, value: str = "mean") -> pd.DataFrame:
        """Raters x rated partners of ``value`` (``mean`` or ``n``); NaN where suppressed."""
        cells = self.select(round_name)
        wide = cells.pivot(index="rater", columns="rated", values=value)
        return wide.reindex(index=[r for r in self.raters if r in wide.index], columns=self.rated)

    def by_unit_type(self, round_name: str | None = None) -> pd.DataFrame:
        """Rows per unit type: n and mean pooled over the shown cells of the units of that type.

        Only published cells are pooled, so a row is a sum of figures already shown. Columns
        rater_type, rated, n, mean (NaN and n 0 where no cell of the type is shown).
        """
        cells = self.select(round_name)
        cells = cells[cells["rater"] != ORGANISATION]
        shown = cells[~cells["suppressed"]].assign(sum=lambda f: f["n"].astype(float) * f["mean"])
        pooled = shown.groupby(["rater_type", "rated"], sort=False).agg(n=("n", "sum"), sum=("sum", "sum")).reset_index()
        types = list(dict.fromkeys(cells["rater_type"]))
        grid = pd.MultiIndex.from_product([types, self.rated], names=["rater_type", "rated"]).to_frame(index=False)
        out = grid.merge(pooled, on=["rater_type", "rated"], how="left")
        out["n"] = out["n"].fillna(0).astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mean"] = out["sum"] / out["n"].where(out["n"] > 0)
        return out.drop(columns="sum")

    def reciprocal(self, round_name: str | None = None) -> pd.DataFrame:
        """Pairs of services that rate each other, the two directions side by side.

        A pair (a, b) is two rating units that are also rated partners, neither above the
        other in the tree, both in the principal's scope; it is listed when at least one of
        "a about b" and "b about a" is shown. Columns a, b, a_rates_b_n, a_rates_b_mean,
        a_rates_b_suppressed, b_rates_a_n, b_rates_a_mean, b_rates_a_suppressed.
        """
        cells = self.select(round_name).set_index(["rater", "rated"])
        services = [u for u in self.rated if u in self.raters]
        rows = []
        for i, a in enumerate(services):
            for b in services[i + 1 :]:
                if a in self._lineage(b) or b in self._lineage(a):
                    continue
                ab, ba = cells.loc[(a, b)], cells.loc[(b, a)]
                if ab["suppressed"] and ba["suppressed"]:
                    continue
                rows.append(
                    {
                        "a": a, "b": b,
                        "a_rates_b_n": ab["n"], "a_rates_b_mean": ab["mean"], "a_rates_b_suppressed": bool(ab["suppressed"]),
                        "b_rates_a_n": ba["n"], "b_rates_a_mean": ba["mean"], "b_rates_a_suppressed": bool(ba["suppressed"]),
                    }
                )
        columns = ["a", "b"] + [f"{d}_{c}" for d in ("a_rates_b", "b_rates_a") for c in ("n", "mean", "suppressed")]
        return pd.DataFrame(rows, columns=columns)

    def _lineage(self, unit: str) -> set[str]:
        return self.ancestors.get(unit, set()) | {unit}

    def to_frame(self) -> pd.DataFrame:
        return self.cells.copy()

    def to_dict(self) -> dict:
        rows = self.cells.astype(object).where(self.cells.notna(), None).to_dict(orient="records")
        return {"scale": self.scale, "min_n": self.min_n, "rounds": self.rounds, "periods": self.periods, "raters": self.raters, "rated": self.rated, "cells": rows}

    def summary(self, round_name: str | None = None) -> str:
        round_name = self.periods[-1] if round_name is None else round_name
        label = "all rounds" if round_name == ALL_ROUNDS else f"round {round_name}"
        lines = [f"Who rates whom on {self.scale}, {label} (min_n = {self.min_n})"]
        for r in self.select(round_name).itertuples():
            figure = "too few answers" if r.suppressed else f"{r.mean:.2f} (n = {r.n})"
            lines.append(f"  {str(r.rater):<20} about {r.rated:<14} {figure}")
        return "\n".join(lines)


def _ancestor_table(parent: dict[str, str | None]) -> pd.DataFrame:
    """unit -> every unit it counts towards (itself, its ancestors and the organisation)."""
    rows = []
    for unit in parent:
        node, hops = unit, 0
        while node is not None and hops < 50:  # walks the tree (a few levels), not respondents
            rows.append((unit, node))
            node, hops = parent.get(node), hops + 1
    return pd.DataFrame(rows, columns=["unit", "ancestor"])


def partner_ratings(
    scores: pd.DataFrame,
    tree: pd.DataFrame,
    scale: str,
    *,
    partner: str = PARTNER_FIELD,
    principal: Principal | None = None,
    min_n: int = DEFAULT_MIN_N,
    by_round: bool = False,
) -> PartnerMatrix:
    """The who-rates-whom matrix of ``scale``, pooled over all rounds (or per round).

    Parameters
    ----------
    scores : one row per response with ``unit``, ``round``, the ``partner`` column (unit id of
        the rated service; empty or missing = none named) and the scale score column.
    tree : the unit tree (unit, name, parent, unit_type); partner services have unit_type
        ``partner``.
    scale : the score column.
    principal : rows outside this principal's scope are dropped after suppression (the
        organisation row stays: it is the organisation-wide benchmark).
    min_n : smallest n shown (>= 3).
    by_round : cells per round instead of pooled over all rounds (a deployment setting; see
        the module docstring).

    Every rating unit (inner units pool the leaves below them) and the organisation get a cell
    for every rated partner in every period; see the module docstring for which are hidden.
    """
    min_n = check_min_n(min_n)
    surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
    parent = {u: (p if isinstance(p, str) and p else ORGANISATION) for u, p in zip(surveyed["unit"], surveyed["parent"])}
    parent[ORGANISATION] = None
    names = dict(zip(tree["unit"], tree["name"]))

    valid = scores[scores[scale].notna() & scores["unit"].isin(parent)]
    named = valid[partner].fillna(NO_PARTNER).astype(str).str.strip()
    rated = sorted(set(named) - {NO_PARTNER}, key=lambda u: (u not in set(tree["unit"]), _tree_position(tree, u), u))
    rounds = sorted(valid["round"].dropna().unique()) if len(valid) else sorted(scores["round"].dropna().unique())

    leaf = (
        valid.assign(_partner=named, _y=valid[scale].astype(float), _y2=valid[scale].astype(float) ** 2)
        .groupby(["unit", "round", "_partner"], sort=False)
        .agg(n=("_y", "size"), sum=("_y", "sum"), sumsq=("_y2", "sum"))
        .reset_index()
    )
    counts = leaf.assign(stratum=leaf["round"] + "|" + leaf["_partner"])[["unit", "stratum", "n", "sum"]]
    periods = list(rounds) if by_round else [ALL_ROUNDS]
    views: dict[str, list[str]] = {r: [f"{r}|{p}" for p in [NO_PARTNER, *rated]] for r in rounds}
    if by_round:
        views.update({f"{r}|{p}": [f"{r}|{p}"] for r in rounds for p in rated})
    else:
        views.update({f"{ALL_ROUNDS}|{p}": [f"{r}|{p}" for r in rounds] for p in rated})
    if not rated:
        return PartnerMatrix(scale, min_n, rounds, periods, [], [], names, pd.DataFrame(columns=CELL_COLUMNS))
    decision = suppress(parent, counts, views=views, min_n=min_n)
    shown = decision.cells.set_index(["unit", "view"])["shown"]
    if not _agrees_with_unit_pages(decision, tree, leaf, rounds, min_n):
        shown = shown & shown.index.get_level_values("view").isin(rounds)

    up = _ancestor_table(parent)
    pooled = leaf.merge(up, on="unit").groupby(["ancestor", "round", "_partner"], sort=False)[["n", "sum", "sumsq"]].sum().reset_index()
    moments = pooled[pooled["_partner"] != NO_PARTNER]
    if not by_round:
        moments = moments.groupby(["ancestor", "_partner"], sort=False)[["n", "sum", "sumsq"]].sum().reset_index().assign(round=ALL_ROUNDS)
    moments = moments.rename(columns={"ancestor": "rater", "_partner": "rated"})

    order = [ORGANISATION] + list(surveyed["unit"])
    depth = {u: _depth(parent, u) for u in order}
    grid = pd.MultiIndex.from_product([order, rated, periods], names=["rater", "rated", "round"]).to_frame(index=False)
    cells = grid.merge(moments, on=["rater", "rated", "round"], how="left")
    cells[["n", "sum", "sumsq"]] = cells[["n", "sum", "sumsq"]].fillna(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cells["mean"] = cells["sum"] / cells["n"]
        var = (cells["sumsq"] - cells["n"] * cells["mean"] ** 2) / (cells["n"] - 1)
    cells["sd"] = np.sqrt(var.clip(lower=0)).where(cells["n"] > 1)
    keys = list(zip(cells["rater"], cells["round"] + "|" + cells["rated"]))
    cells["suppressed"] = ~shown.reindex(keys).fillna(False).to_numpy(dtype=bool)
    cells.loc[cells["suppressed"], ["n", "mean", "sd"]] = np.nan
    cells["n"] = cells["n"].astype("Int64")
    types = dict(zip(tree["unit"], tree["unit_type"]))
    cells["rater_name"] = cells["rater"].map(names)
    cells["rater_type"] = cells["rater"].map(types)
    cells["depth"] = cells["rater"].map(depth)
    cells["rated_name"] = cells["rated"].map(lambda u: names.get(u, u))

    raters = order if principal is None else [ORGANISATION, *principal.scope(order[1:])]
    cells = cells[cells["rater"].isin(raters)]
    ancestors = {u: set(up.loc[(up["unit"] == u) & (up["ancestor"] != u), "ancestor"]) for u in rated if u in parent}
    return PartnerMatrix(scale, min_n, rounds, periods, raters, rated, names, cells[CELL_COLUMNS].reset_index(drop=True), ancestors)


def _agrees_with_unit_pages(decision, tree: pd.DataFrame, leaf: pd.DataFrame, rounds: list[str], min_n: int) -> bool:
    """Does every round cell that the unit pages publish stay shown in the joint decision?

    The comparison and trend pages decide each round on its own
    (:func:`scoring.compare.compare_units`). The joint decision here hides cells only to keep
    hidden groups underivable *given what it publishes*; if it had to hide a round cell that
    those pages show anyway, its guarantee would not cover that cell, and every partner cell
    is withheld instead (the unit pages alone are safe). On the sample data this never happens.
    """
    cells = decision.cells
    for r in rounds:
        this = leaf[leaf["round"] == r].groupby("unit", as_index=False)[["n", "sum"]].sum()
        single = suppress(tree[["unit", "parent"]], this, min_n=min_n).shown_units()
        joint = set(cells.loc[(cells["view"] == r) & cells["shown"], "unit"])
        if (single & set(decision.cells["unit"])) - joint:
            return False
        if this["n"].sum() >= min_n and ORGANISATION not in joint:
            return False
    return True


def _depth(parent: dict[str, str | None], unit: str) -> int:
    d, p = 0, parent.get(unit)
    while p is not None and d < 50:
        d, p = d + 1, parent.get(p)
    return d


def _tree_position(tree: pd.DataFrame, unit: str) -> int:
    hits = np.flatnonzero(tree["unit"].to_numpy() == unit)
    return int(hits[0]) if len(hits) else len(tree)
