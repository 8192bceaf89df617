"""Client feedback per unit, for managers: cells of the publication, rendered.

Figures per unit (its own clients and those of the units below it), from
:func:`scoring.feedback.clients.client_table`; each is the mean of one value per client over the
clients in its denominator, and every count is a number of clients (people, not contacts):

- ``clients``: clients with at least one contact;
- ``contacts_per_client``: contacts per client;
- ``intake_mean``: mean intake outcome total, over the clients with one;
- ``mean_change``: mean of (last - intake) over the clients with at least two outcome totals
  (``assessed``, the n of this figure);
- ``share_improved`` / ``share_unchanged`` / ``share_deteriorated``: reliable change from intake
  to the last outcome total (Jacobson & Truax), of the assessed clients; ``share_recovered``:
  reliably improved and crossed the recovery point (a subset of the improved);
- ``share_above_cutoff``: last outcome total at or above the cut-off, of the clients with one;
- ``share_low_visit``: a visit total below the visit threshold at any contact, of the clients
  with a visit total;
- ``share_dropout``: no contact for ``dropout_weeks`` weeks before the reference date while the
  outcome had not reached the cut-off, of all clients (with a cut-off).

Anonymity: these are the ``clients`` cells of the publication
(:mod:`scoring.privacy.publication`, docs/privacy.md), decided by the same engine and rule as
every staff figure. :func:`client_answers` writes one row per client with one "scale" per figure
(NaN for the clients outside its denominator); the engine then hides every cell with fewer than
``min_n`` clients and whatever would let a hidden cell, or a group of 1 to ``min_n`` - 1
clients, be worked out — a unit from its parent and siblings, the organisation (``"*"``) or a
unit type, and also "all clients minus the assessed ones" or one figure's denominator minus
another's. A viewer's scope is cut as for staff figures. :class:`UnitFeedback` only renders the
cells; it counts nothing itself.

The block's round is ``"clients:DATE"`` (:func:`clients_round`): every client with a contact up to
the reference date, each once with their course to date (feedback is continuous; there are no
survey rounds).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.feedback.change import DETERIORATED, IMPROVED, RECOVERED, UNCHANGED
from scoring.privacy import DEFAULT_MIN_N, check_min_n
from scoring.privacy.answers import CLIENTS, RoundAnswers, ScaleSpec
from scoring.privacy.publication import (
    BELOW_MIN_N,
    CLIENTS_PAGE,
    ORGANISATION,
    TYPE_PREFIX,
    Publication,
    RoundDecision,
    Viewer,
    cut,
    decide_round,
)
from scoring.result import Result

ROUND_PREFIX = "clients:"
MEANS = (
    "contacts_per_client",
    "intake_mean",
    "mean_change",
    "share_improved",
    "share_unchanged",
    "share_deteriorated",
    "share_recovered",
    "share_above_cutoff",
    "share_low_visit",
    "share_dropout",
)
FIGURES = ("clients", "assessed", *MEANS)
_COUNTS = ("clients", "assessed")


def clients_round(as_of) -> str:
    """The round name of the client-feedback cells at reference date ``as_of``."""
    return ROUND_PREFIX + pd.Timestamp(as_of).date().isoformat()


def _figure_values(clients: pd.DataFrame) -> dict[str, np.ndarray]:
    """figure -> one value per client, NaN where the client is not in the figure's denominator."""
    change = clients["reliable_change"]
    assessed = change.notna().to_numpy()
    above = clients["above_cutoff"]
    with_last = (above.notna() & clients["last"].notna()).to_numpy()
    low = clients["low_visit"] if "low_visit" in clients else pd.Series(np.nan, index=clients.index)
    with_visit = ((clients["visits"] > 0) & low.notna()).to_numpy()
    dropped = clients["dropped_out"]

    def where(mask: np.ndarray, values) -> np.ndarray:
        return np.where(mask, np.asarray(values, dtype=float), np.nan)

    def flag(values: pd.Series) -> np.ndarray:
        return (values == True).to_numpy(dtype=float)  # noqa: E712 - object columns hold True/False/NaN

    return {
        "contacts_per_client": clients["n_contacts"].to_numpy(dtype=float),
        "intake_mean": clients["intake"].to_numpy(dtype=float),
        "mean_change": where(assessed, clients["change"].to_numpy(dtype=float)),
        "share_improved": where(assessed, (change == IMPROVED).to_numpy(dtype=float)),
        "share_unchanged": where(assessed, (change == UNCHANGED).to_numpy(dtype=float)),
        "share_deteriorated": where(assessed, (change == DETERIORATED).to_numpy(dtype=float)),
        "share_recovered": where(assessed, (clients["classification"] == RECOVERED).to_numpy(dtype=float)),
        "share_above_cutoff": where(with_last, flag(above)),
        "share_low_visit": where(with_visit, flag(low)),
        "share_dropout": where(dropped.notna().to_numpy(), flag(dropped)),
    }  # fmt: skip


def client_answers(clients: pd.DataFrame, *, name: str, min_n: int = DEFAULT_MIN_N) -> RoundAnswers:
    """The clients of :func:`scoring.feedback.clients.client_table` as the publication's block
    (module docstring): one row per client, one "scale" per figure of :data:`MEANS`."""
    values = _figure_values(clients)
    n = len(clients)
    scales = tuple(ScaleSpec(f, "feedback", (), {"nb": f, "nn": f, "en": f}, False) for f in values)
    return RoundAnswers(
        name=name,
        min_n=check_min_n(min_n),
        unit=clients["unit"].astype(str).to_numpy(dtype=object),
        partner=np.full(n, "", dtype=object),
        scores=np.column_stack(list(values.values())) if n else np.empty((0, len(values))),
        answers=np.empty((n, 0)),
        scales=scales,
        items=(),
        population=CLIENTS,
    )


def unit_tree(tree: Mapping | pd.DataFrame | None, units: Iterable[str]) -> pd.DataFrame:
    """The unit tree as the publication needs it (unit, name, parent, unit_type); without a
    tree every unit in ``units`` stands alone under the organisation. Units with clients that
    the tree lacks are a user error."""
    units = list(dict.fromkeys(units))
    if tree is None:
        frame = pd.DataFrame({"unit": units, "parent": None})
    elif isinstance(tree, pd.DataFrame):
        frame = tree.copy()
    else:
        frame = pd.DataFrame({"unit": list(tree), "parent": list(tree.values())})
    frame["parent"] = [None if p is None or (isinstance(p, float) and math.isnan(p)) or p == "" else p for p in frame["parent"]]
    missing = sorted(set(units) - set(frame["unit"]))
    if missing:
        raise UserError.single("units with clients that are not in the unit tree: " + ", ".join(missing[:10]), path="units")
    if "unit_type" not in frame:
        frame["unit_type"] = None
    frame["unit_type"] = [t if isinstance(t, str) and t else "unit" for t in frame["unit_type"]]
    if "name" not in frame:
        frame["name"] = frame["unit"]
    return frame[["unit", "name", "parent", "unit_type"]].reset_index(drop=True)


def feedback_decision(
    clients: pd.DataFrame,
    *,
    tree: Mapping | pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
    as_of=None,
) -> RoundDecision:
    """The client-feedback cells decided for the whole organisation (a viewer's part:
    :func:`scoring.privacy.publication.cut`). ``as_of``: the reference date (default the last
    contact date)."""
    min_n = check_min_n(min_n)
    as_of = clients["last_date"].max() if as_of is None else as_of
    answers = client_answers(clients, name=clients_round(as_of), min_n=min_n)
    return decide_round(unit_tree(tree, clients["unit"]), answers)


@dataclass(frozen=True, repr=False)
class UnitFeedback(Result):
    """Unit figures rendered from a publication's ``clients`` cells (:meth:`of`).

    ``figures``: one row per unit, :data:`FIGURES` (missing where hidden), ``suppressed`` (the
    unit's client count is hidden) and ``why`` (``below_min_n`` or ``protects_other``);
    ``publication``: the viewer's publication they are rendered from.
    """

    figures: pd.DataFrame = field(repr=False)
    publication: Publication = field(repr=False)
    min_n: int = DEFAULT_MIN_N

    @classmethod
    def of(cls, publication: Publication, units: Iterable[str] | None = None) -> UnitFeedback:
        """The ``clients`` cells of ``publication`` (only ``units``, if given) as a table."""
        min_n = min(publication.rounds.values()) if publication.rounds else DEFAULT_MIN_N
        return cls(_render(publication, units), publication, min_n)

    def published(self) -> pd.DataFrame:
        """One row per unit; every figure missing where hidden."""
        return self.figures.copy()

    def to_frame(self) -> pd.DataFrame:
        return self.published()

    def to_dict(self) -> list[dict]:
        rows = []
        for row in self.figures.to_dict("records"):
            if row["suppressed"]:
                rows.append({"unit": row["unit"], "suppressed": True, "why": row["why"]})
                continue
            item = {"unit": row["unit"], "suppressed": False}
            for col in FIGURES:
                value = row[col]
                if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                    item[col] = None
                else:
                    item[col] = int(value) if col in _COUNTS else float(value)
            rows.append(item)
        return rows

    def summary(self) -> str:
        lines = [f"Units (min_n = {self.min_n}; hidden units show nothing):"]
        lines.append(f"  {'unit':<20} {'clients':>7} {'intake':>6} {'change':>6} {'impr.':>5} {'unch.':>5} {'det.':>5} {'>=cut':>5} {'lowvis':>6} {'drop':>5}")
        for row in self.to_dict():
            if row["suppressed"]:
                reason = "for få svar (too few)" if row["why"] == BELOW_MIN_N else "skjult (protects another)"
                lines.append(f"  {str(row['unit']):<20} {reason:>30}")
                continue
            lines.append(
                f"  {str(row['unit']):<20} {row['clients']:>7} {_f(row['intake_mean']):>6} {_f(row['mean_change']):>6} "
                f"{_p(row['share_improved']):>5} {_p(row['share_unchanged']):>5} {_p(row['share_deteriorated']):>5} "
                f"{_p(row['share_above_cutoff']):>5} {_p(row['share_low_visit']):>6} {_p(row['share_dropout']):>5}"
            )
        return "\n".join(lines)


def _render(publication: Publication, units: Iterable[str] | None) -> pd.DataFrame:
    """The figures table from the publication's ``clients`` cells (no arithmetic on answers)."""
    cells = publication.cells[publication.cells["page"] == CLIENTS_PAGE]
    counts = cells[cells["scale"].isna() & ~cells["unit"].str.startswith(TYPE_PREFIX)]
    if units is not None:
        counts = counts[counts["unit"].isin(set(units))]
    figures = cells[cells["scale"].notna()]
    means = figures.pivot_table(index="unit", columns="scale", values="mean", aggfunc="first", dropna=False)
    out = pd.DataFrame({"unit": counts["unit"].to_numpy(), "clients": counts["n"].to_numpy()})
    assessed = figures[figures["scale"] == "mean_change"].set_index("unit")["n"]
    out["assessed"] = out["unit"].map(assessed).astype("Int64") if len(out) else pd.Series(dtype="Int64")
    for figure in MEANS:
        column = means[figure] if figure in means else pd.Series(dtype=float)
        out[figure] = out["unit"].map(column).astype(float)
    out["suppressed"] = counts["hidden"].to_numpy(dtype=bool)
    out["why"] = counts["why"].to_numpy(dtype=object)
    return out[["unit", *FIGURES, "suppressed", "why"]].reset_index(drop=True)


def unit_aggregates(
    clients: pd.DataFrame,
    *,
    tree: Mapping | pd.DataFrame | None = None,
    units: Iterable[str] | None = None,
    min_n: int = DEFAULT_MIN_N,
    viewer: Viewer | None = None,
    as_of=None,
) -> UnitFeedback:
    """Unit figures (module docstring) from :func:`scoring.feedback.clients.client_table`.

    ``tree``: ``unit -> parent`` (or a DataFrame with ``unit``, ``parent`` and optionally
    ``unit_type``) to report inner units too, pooling the clients below them; without it every
    unit in the data stands alone under the organisation. ``units``: report only these
    (default: the organisation, ``"*"``, first, then every unit with clients at or below it;
    the decision is made on the whole tree all the same, so that a selection cannot undo it). ``viewer``: whose cut (default the
    organisation-wide view).
    """
    decision = feedback_decision(clients, tree=tree, min_n=min_n, as_of=as_of)
    if units is None:
        units = {ORGANISATION} | _with_clients(decision.org.parent, clients["unit"])
    return UnitFeedback.of(cut([decision], viewer), units)


def _with_clients(parent: Mapping, client_units: Iterable[str]) -> set[str]:
    """Units with clients of their own or below them (who is empty is known, docs/privacy.md)."""
    out: set[str] = set()
    for unit in set(client_units):
        while unit is not None and unit != ORGANISATION and unit not in out:
            out.add(unit)
            unit = parent.get(unit)
    return out


def _f(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _p(value) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
