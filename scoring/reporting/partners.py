"""Who rates whom: collaboration-climate scores by rating unit and named partner service.

A samhandlingsklima answer may name the partner service it is about (the field ``sk_partner``:
a unit id, e.g. the DPS ``d1``, the GPs ``fastleger1`` or a home-care zone ``k1.ho.hj1``). The
*who-rates-whom matrix* has the rating units as rows, the rated partners as columns, and in each
cell the mean scale score of the rating unit's respondents who named that partner, with n. Where
two services rate each other, :meth:`PartnerMatrix.reciprocal` puts the two directions side by
side (SIB 3211-3221: "A about B" against "B about A").

The cells are the publication's partner cells (:mod:`scoring.privacy.publication`), decided with
every other figure of the round, per round (rounds are never pooled). Rows by unit type are the
publication's type cells. Formulas: cell mean = Σ score / n over the respondents with a score on
the scale who named the partner; sd with divisor n - 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.privacy.publication import ORGANISATION, PARTNER_TYPE, TYPE_PREFIX, Publication
from scoring.reporting.comparison import depths
from scoring.result import Result

PARTNER_FIELD = "sk_partner"
CELL_COLUMNS = ["rater", "rater_name", "rater_type", "depth", "rated", "rated_name", "round", "n", "mean", "sd", "suppressed", "why"]


@dataclass(frozen=True, repr=False)
class PartnerMatrix(Result):
    """Who rates whom for one scale and round: one row per (rater, rated partner).

    ``rater`` is a unit id or :data:`ORGANISATION`; ``raters`` lists the rater units in tree
    order (the viewer's scope), ``rated`` the partner columns; ``ancestors`` maps a rated unit to
    the units above it (a unit is not paired with its own ancestors).
    """

    scale: str
    round: str
    min_n: int
    raters: list[str]
    rated: list[str]
    names: dict[str, str]
    cells: pd.DataFrame = field(repr=False)
    types: pd.DataFrame = field(repr=False)
    ancestors: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def matrix(self, value: str = "mean") -> pd.DataFrame:
        """Raters x rated partners of ``value`` (``mean`` or ``n``); NaN where suppressed."""
        wide = self.cells.pivot(index="rater", columns="rated", values=value)
        return wide.reindex(index=[r for r in self.raters if r in wide.index], columns=self.rated)

    def by_unit_type(self) -> pd.DataFrame:
        """Rows per unit type (the publication's type cells): rater_type, rated, n, mean, suppressed."""
        return self.types.copy()

    def reciprocal(self) -> pd.DataFrame:
        """Pairs of services that rate each other, the two directions side by side.

        A pair (a, b) is two rating units that are also rated partners, neither above the other,
        both in the viewer's scope; listed when at least one direction is shown.
        """
        raters = set(self.raters)
        services = [u for u in self.rated if u in raters]
        order = {u: i for i, u in enumerate(services)}
        columns = ["a", "b"] + [f"{d}_{c}" for d in ("a_rates_b", "b_rates_a") for c in ("n", "mean", "suppressed", "why")]
        # Both directions joined at once (a pair loop with a lookup each took seconds for a
        # national organisation's 250 services): a before b in the services' order, as listed.
        rater, rated = self.cells["rater"].map(order), self.cells["rated"].map(order)
        inside = rater.notna() & rated.notna()
        figures = self.cells.loc[inside, ["n", "mean", "suppressed", "why"]].assign(i=rater[inside].astype(int), j=rated[inside].astype(int))
        forth = figures[figures["i"] < figures["j"]].rename(columns={c: f"a_rates_b_{c}" for c in ("n", "mean", "suppressed", "why")})
        back = figures[figures["i"] > figures["j"]].rename(columns={"i": "j", "j": "i", **{c: f"b_rates_a_{c}" for c in ("n", "mean", "suppressed", "why")}})
        pairs = forth.merge(back, on=["i", "j"]).sort_values(["i", "j"], kind="stable")
        pairs["a"] = [services[i] for i in pairs["i"]]
        pairs["b"] = [services[j] for j in pairs["j"]]
        apart = [not (a in self._lineage(b) or b in self._lineage(a)) for a, b in zip(pairs["a"], pairs["b"])]  # over pairs shown
        pairs = pairs[np.asarray(apart, dtype=bool) & ~(pairs["a_rates_b_suppressed"].astype(bool) & pairs["b_rates_a_suppressed"].astype(bool))]
        out = pairs[columns].reset_index(drop=True)
        for direction in ("a_rates_b", "b_rates_a"):
            out[f"{direction}_suppressed"] = out[f"{direction}_suppressed"].astype(bool)
        return out

    def _lineage(self, unit: str) -> set[str]:
        return self.ancestors.get(unit, set()) | {unit}

    def to_frame(self) -> pd.DataFrame:
        return self.cells.copy()

    def to_dict(self) -> dict:
        rows = self.cells.astype(object).where(self.cells.notna(), None).to_dict(orient="records")
        return {"scale": self.scale, "round": self.round, "min_n": self.min_n, "raters": self.raters, "rated": self.rated, "cells": rows}

    def summary(self) -> str:
        lines = [f"Who rates whom on {self.scale}, round {self.round} (min_n = {self.min_n})"]
        for r in self.cells.itertuples():
            figure = "not shown" if r.suppressed else f"{r.mean:.2f} (n = {r.n})"
            lines.append(f"  {str(r.rater):<20} about {r.rated:<14} {figure}")
        return "\n".join(lines)


def partner_matrix(publication: Publication, tree: pd.DataFrame, scale: str, round_name: str) -> PartnerMatrix:
    """The who-rates-whom matrix of ``scale`` in one round, for the viewer's scope."""
    cells = publication.select("partners", round_name, scale=scale)
    names = dict(zip(tree["unit"], tree["name"]))
    unit_types = dict(zip(tree["unit"], tree["unit_type"]))
    position = {u: i for i, u in enumerate(tree["unit"])}
    rated = sorted(set(cells["partner"].dropna().tolist()), key=lambda u: (u not in position, position.get(u, 0), u))
    rating = set(cells["unit"].tolist())  # once: built inside the loop below it made a national round's page quadratic
    surveyed = [u for u in tree.loc[tree["unit_type"] != PARTNER_TYPE, "unit"].tolist() if u in rating]
    raters = ([ORGANISATION] if ORGANISATION in rating else []) + surveyed
    rows = cells[cells["unit"].isin(raters)]
    depth = depths(tree)
    # Names, types and depths looked up once per distinct unit, not once per cell (a national
    # organisation's matrix is half a million cells of 2,000 raters and 250 partners).
    rater_code, rater_units = pd.factorize(rows["unit"].to_numpy(dtype=object))
    rated_code, rated_units = pd.factorize(rows["partner"].to_numpy(dtype=object))

    def per_cell(values: list, codes: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=object)[codes] if len(codes) else np.empty(0, dtype=object)

    table = pd.DataFrame({
        "rater": rows["unit"].to_numpy(),
        "rater_name": per_cell([names.get(u, np.nan) for u in rater_units], rater_code),
        "rater_type": per_cell([unit_types.get(u, np.nan) for u in rater_units], rater_code),
        "depth": np.asarray([-1 if u == ORGANISATION else int(depth.get(u, 0)) for u in rater_units], dtype=np.int64)[rater_code],
        "rated": rows["partner"].to_numpy(),
        "rated_name": per_cell([names.get(u, u) for u in rated_units], rated_code),
        "round": round_name,
        "n": rows["n"].to_numpy(),
        "mean": rows["mean"].astype(float).to_numpy(),
        "sd": rows["sd"].astype(float).to_numpy(),
        "suppressed": rows["hidden"].to_numpy(dtype=bool),
        "why": rows["why"].to_numpy(),
    })
    types = cells[cells["unit"].str.startswith(TYPE_PREFIX)]
    by_type = pd.DataFrame({
        "rater_type": types["unit"].str[len(TYPE_PREFIX):].to_numpy(), "rated": types["partner"].to_numpy(),
        "n": types["n"].to_numpy(), "mean": types["mean"].astype(float).to_numpy(),
        "suppressed": types["hidden"].to_numpy(dtype=bool),
    })
    parent = dict(zip(tree["unit"], tree["parent"]))
    ancestors = {}
    for unit in rated:
        up, seen = parent.get(unit), set()
        while isinstance(up, str) and up and len(seen) < 50:
            seen.add(up)
            up = parent.get(up)
        ancestors[unit] = seen
    table["n"] = table["n"].astype("Int64")
    return PartnerMatrix(scale, round_name, publication.rounds.get(round_name, 0), raters, rated, names,
                         table[CELL_COLUMNS].reset_index(drop=True), by_type.reset_index(drop=True), ancestors)


def has_ratings(publication: Publication) -> bool:
    return bool(np.any(publication.cells["page"] == "partners"))
