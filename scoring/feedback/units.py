"""Client feedback per unit, for managers, under the anonymity rules of docs/privacy.md.

Figures per unit (its own clients and, with a unit tree, those of the units below it), from
:func:`scoring.feedback.clients.client_table`:

- ``clients``, ``contacts``;
- ``intake_mean``: mean intake outcome total;
- ``mean_change``: mean of (last - intake) over the clients with at least two outcome totals
  (``assessed``);
- ``share_improved`` / ``share_unchanged`` / ``share_deteriorated``: reliable change from intake
  to the last outcome total (Jacobson & Truax), of the assessed clients; ``share_recovered``:
  reliably improved and crossed the recovery point (a subset of the improved);
- ``share_above_cutoff``: last outcome total at or above the cut-off, of the clients with one;
- ``share_low_visit``: a visit total below the visit threshold at any contact, of the clients
  with a visit total;
- ``share_dropout``: no contact for ``dropout_weeks`` weeks before the reference date while the
  outcome had not reached the cut-off, of all clients.

Anonymity: a unit is shown only when it has at least ``min_n`` clients (default 5, never below
3; :func:`scoring.privacy.check_min_n`), and further units are hidden wherever a hidden one could
be worked out from a parent and its other children (complementary suppression,
:func:`scoring.privacy.suppress`, on the client counts; every figure is a sum over the same
clients, so one pattern protects them all). A hidden unit shows nothing but
``suppressed: true``. Within a shown unit, a mean or share whose denominator is fewer than
``min_n`` clients is left out (None) as well, so that no figure speaks about fewer than
``min_n`` clients.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.feedback.change import DETERIORATED, IMPROVED, RECOVERED, UNCHANGED
from scoring.privacy import DEFAULT_MIN_N, Suppression, check_min_n, suppress
from scoring.result import Result

FIGURES = (
    "clients",
    "contacts",
    "intake_mean",
    "assessed",
    "mean_change",
    "share_improved",
    "share_unchanged",
    "share_deteriorated",
    "share_recovered",
    "share_above_cutoff",
    "share_low_visit",
    "share_dropout",
)
_RATIOS = {  # figure -> (numerator column, denominator column)
    "intake_mean": ("intake_sum", "with_intake"),
    "mean_change": ("change_sum", "assessed"),
    "share_improved": ("improved", "assessed"),
    "share_unchanged": ("unchanged", "assessed"),
    "share_deteriorated": ("deteriorated", "assessed"),
    "share_recovered": ("recovered", "assessed"),
    "share_above_cutoff": ("above_cutoff", "with_last"),
    "share_low_visit": ("low_visit", "with_visit"),
    "share_dropout": ("dropped_out", "with_dropout"),
}


@dataclass(frozen=True, repr=False)
class UnitFeedback(Result):
    """Unit figures with their suppression. ``figures``: every unit with clients, unsuppressed
    (for audits, never for a manager); :meth:`published` is what may be shown."""

    figures: pd.DataFrame
    suppression: Suppression
    min_n: int

    def published(self) -> pd.DataFrame:
        """One row per unit; every figure missing where ``suppressed``."""
        out = self.figures.copy()
        hidden = out["suppressed"].to_numpy()
        for col in FIGURES:
            out[col] = out[col].astype(float).where(~hidden)
        return out

    def to_frame(self) -> pd.DataFrame:
        return self.published()

    def to_dict(self) -> list[dict]:
        rows = []
        for row in self.published().to_dict("records"):
            if row["suppressed"]:
                rows.append({"unit": row["unit"], "suppressed": True})
                continue
            item = {"unit": row["unit"], "suppressed": False}
            for col in FIGURES:
                value = row[col]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    item[col] = None
                elif col in ("clients", "contacts", "assessed"):
                    item[col] = int(value)
                else:
                    item[col] = float(value)
            rows.append(item)
        return rows

    def summary(self) -> str:
        lines = [f"Units (min_n = {self.min_n}; hidden units show nothing):"]
        lines.append(f"  {'unit':<20} {'clients':>7} {'intake':>6} {'change':>6} {'impr.':>5} {'unch.':>5} {'det.':>5} {'>=cut':>5} {'lowvis':>6} {'drop':>5}")
        for row in self.to_dict():
            if row["suppressed"]:
                lines.append(f"  {str(row['unit']):<20} {'for få svar (suppressed)':>30}")
                continue
            lines.append(
                f"  {str(row['unit']):<20} {row['clients']:>7} {_f(row['intake_mean']):>6} {_f(row['mean_change']):>6} "
                f"{_p(row['share_improved']):>5} {_p(row['share_unchanged']):>5} {_p(row['share_deteriorated']):>5} "
                f"{_p(row['share_above_cutoff']):>5} {_p(row['share_low_visit']):>6} {_p(row['share_dropout']):>5}"
            )
        return "\n".join(lines)


def unit_aggregates(
    clients: pd.DataFrame,
    *,
    tree: Mapping | pd.DataFrame | None = None,
    units: Iterable[str] | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> UnitFeedback:
    """Unit figures (module docstring) from :func:`scoring.feedback.clients.client_table`.

    ``tree``: ``unit -> parent`` (or a DataFrame with ``unit`` and ``parent``) to report inner
    units too, pooling the clients below them, with complementary suppression across the tree;
    without it every unit in the data stands alone. ``units``: report only these (suppression is
    still decided on all units, so that a selection cannot undo it).
    """
    min_n = check_min_n(min_n)
    per_client = _indicators(clients)
    if tree is None:
        parent_of = {u: None for u in per_client["unit"].unique()}
    else:
        parent_of = dict(zip(tree["unit"], tree["parent"])) if isinstance(tree, pd.DataFrame) else dict(tree)
        parent_of = {u: (None if p is None or (isinstance(p, float) and math.isnan(p)) or p == "" else p) for u, p in parent_of.items()}
    counts = per_client.groupby("unit").size().rename("n").reset_index()
    result = suppress(parent_of, counts, min_n=min_n)  # raises for units missing from the tree
    pooled = _pool(per_client, parent_of)
    sums = pooled.drop(columns="client_row").groupby("unit", sort=True).sum()
    figures = pd.DataFrame(index=sums.index)
    figures["clients"] = sums["one"]
    figures["contacts"] = sums["contacts"]
    figures["assessed"] = sums["assessed"]
    with np.errstate(invalid="ignore", divide="ignore"):
        for figure, (num, den) in _RATIOS.items():
            figures[figure] = (sums[num] / sums[den]).where(sums[den] >= min_n)
    figures = figures.reset_index()
    shown = result.shown_units()
    figures["suppressed"] = ~figures["unit"].isin(shown)
    if units is not None:
        wanted = list(dict.fromkeys(units))
        figures = figures[figures["unit"].isin(wanted)]
    return UnitFeedback(figures[["unit", *FIGURES, "suppressed"]].reset_index(drop=True), result, min_n)


def _indicators(clients: pd.DataFrame) -> pd.DataFrame:
    """Per client: the counts that add up to the unit figures."""
    change = clients["reliable_change"]
    assessed = change.notna()
    last = clients["last"].notna()
    out = pd.DataFrame({
        "unit": clients["unit"].to_numpy(),
        "one": 1,
        "contacts": clients["n_contacts"].to_numpy(dtype=float),
        "with_intake": clients["intake"].notna().astype(float).to_numpy(),
        "intake_sum": clients["intake"].fillna(0.0).to_numpy(dtype=float),
        "assessed": assessed.astype(float).to_numpy(),
        "change_sum": clients["change"].where(assessed, 0.0).fillna(0.0).to_numpy(dtype=float),
        "improved": (change == IMPROVED).astype(float).to_numpy(),
        "unchanged": (change == UNCHANGED).astype(float).to_numpy(),
        "deteriorated": (change == DETERIORATED).astype(float).to_numpy(),
        "recovered": (clients["classification"] == RECOVERED).astype(float).to_numpy(),
        "with_last": _known(clients["above_cutoff"]) * last.to_numpy(dtype=float),
        "above_cutoff": _true(clients["above_cutoff"]),
        "with_visit": (clients["visits"] > 0).astype(float).to_numpy(),
        "low_visit": _true(clients["low_visit"]),
        "with_dropout": _known(clients["dropped_out"]),
        "dropped_out": _true(clients["dropped_out"]),
    })  # fmt: skip
    return out


def _known(values: pd.Series) -> np.ndarray:
    return values.notna().to_numpy(dtype=float)


def _true(values: pd.Series) -> np.ndarray:
    return (values == True).to_numpy(dtype=float)  # noqa: E712 - object columns hold True/False/NaN


def _pool(per_client: pd.DataFrame, parent_of: Mapping) -> pd.DataFrame:
    """Each client's row once for its unit and once for every unit above it (the tree has
    been checked for cycles by :func:`scoring.privacy.suppress`)."""
    frames = []
    current = per_client.assign(client_row=np.arange(len(per_client)))
    while not current.empty:
        frames.append(current)
        parents = current["unit"].map(parent_of)
        keep = parents.notna().to_numpy()
        current = current[keep].assign(unit=parents[keep].to_numpy())
    return pd.concat(frames, ignore_index=True)


def _f(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _p(value) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"
