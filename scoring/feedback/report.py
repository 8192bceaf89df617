"""The client-feedback report: chosen clients in full, their units' figures under suppression.

:func:`feedback_report` is what ``samklima feedback report`` prints. It computes every table
once for all clients (:func:`scoring.feedback.clients.contact_table`, :func:`client_table`,
:func:`scoring.feedback.alerts.find_alerts`) and then splits it per client.

Expected trajectories: for each selected client's unit the model is fitted on that unit's
clients; where the unit has too few, on all units in the data; where those are too few as well,
the client has no expected band and the report says why (:mod:`scoring.feedback.expected`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from scoring.errors import UserError
from scoring.feedback.alerts import find_alerts
from scoring.feedback.clients import (
    DEFAULT_DROPOUT_WEEKS,
    KEY,
    ClientFeedback,
    FeedbackSettings,
    build_client,
    client_table,
    contact_table,
)
from scoring.feedback.expected import MIN_CLIENTS, MIN_CONTACTS, ExpectedTrajectories, fit_expected_trajectories
from scoring.feedback.units import UnitFeedback, unit_aggregates
from scoring.privacy import DEFAULT_MIN_N
from scoring.responses.national_id import refuse_national_id
from scoring.result import Result


@dataclass(frozen=True, repr=False)
class FeedbackReport(Result):
    """Clients (each a :class:`ClientFeedback`), unit figures and the basis of every number.

    ``alerts``: every alert of the selected clients in one table (``unit``, ``client``,
    ``contact``, ``kind``, ``message``), e.g. for a clinician's case list.
    """

    selection: dict
    clients: list[ClientFeedback]
    units: UnitFeedback
    settings: FeedbackSettings
    expected: list[ExpectedTrajectories]
    as_of: pd.Timestamp
    dropout_weeks: float
    alerts: pd.DataFrame = field(repr=False)
    lang: str = "nb"

    @property
    def reliability_source(self) -> str:
        return self.settings.reliability.source

    def to_frame(self) -> pd.DataFrame:
        """One row per contact of the selected clients (``unit`` and ``client`` first)."""
        frames = [c.table.assign(unit=c.unit, client=c.client) for c in self.clients]
        if not frames:
            return pd.DataFrame()
        out = pd.concat(frames, ignore_index=True)
        return out[["unit", "client", *[c for c in out.columns if c not in ("unit", "client")]]]

    def to_dict(self) -> dict:
        return {
            "selection": self.selection,
            "clients": [c.to_dict() for c in self.clients],
            "units": self.units.to_dict(),
            "reliability_source": self.reliability_source,
            "reliability": self.settings.reliability.to_dict(),
            "settings": self.settings.to_dict(),
            "expected_trajectories": [m.to_dict(self.lang) for m in self.expected],
            "as_of": self.as_of.date().isoformat(),
            "dropout_weeks": self.dropout_weeks,
            "min_n": self.units.min_n,
            "lang": self.lang,
        }

    def summary(self) -> str:
        rel = self.settings.reliability
        s = self.settings
        lines = [
            f"Client feedback: {len(self.clients)} client(s); reference date {self.as_of.date().isoformat()}",
            f"Reliable change: rxx {rel.rxx:.3f}, SD {rel.sd:.2f} ({rel.source}); "
            + (f"minimal reliable difference {rel.mrd:.2f} points" if rel.usable else f"not available: {rel.reason}"),
            f"Cut-off {_g(s.cutoff)}, recovery point {_g(s.recovery_point)} ({s.criterion})"
            + (", CSC a {a:.2f}, b {b:.2f}, c {c:.2f}".format(**s.criteria) if s.criteria else "")
            + f"; visit threshold {_g(s.visit_threshold)}",
        ]
        for model in self.expected:
            lines.append(model.basis(self.lang))
        for client in self.clients:
            lines.append("")
            lines.append(client.summary())
        lines.append("")
        lines.append(self.units.summary())
        return "\n".join(lines)


def feedback_report(
    contacts: pd.DataFrame,
    settings: FeedbackSettings,
    *,
    client: str | None = None,
    unit: str | None = None,
    tree: Mapping | pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
    as_of=None,
    dropout_weeks: float = DEFAULT_DROPOUT_WEEKS,
    lang: str = "nb",
    min_clients: int = MIN_CLIENTS,
    min_contacts: int = MIN_CONTACTS,
) -> FeedbackReport:
    """Report on one client id (``client``), one unit (``unit``; with ``tree`` the units below
    it too) or, with neither, every client in ``contacts`` (prepared contacts of the service).

    ``as_of``: the reference date for drop-out (default the last date in ``contacts``).
    ``tree``: the unit tree, for inner units' figures and complementary suppression.
    """
    if client is not None and unit is not None:
        raise UserError.single("choose a client or a unit, not both")
    if dropout_weeks <= 0:
        raise UserError.single(f"dropout_weeks must be positive (got {dropout_weeks:g})", path="dropout_weeks")
    last_date = contacts["date"].max()
    as_of = last_date if as_of is None else pd.Timestamp(as_of)
    table = contact_table(contacts, settings)
    clients = client_table(contacts, settings, as_of=as_of, dropout_weeks=dropout_weeks, table=table)
    alerts = find_alerts(table, settings, lang=lang)

    if client is not None:
        refuse_national_id(client, "the client id", path="--client")
        chosen = clients[clients["client"] == client]
        if chosen.empty:
            raise UserError.single(f"no client '{client}' in the data", path="--client")
        selection = {"client": client}
        report_units = list(dict.fromkeys(chosen["unit"]))
    elif unit is not None:
        below = _units_below(unit, tree)
        chosen = clients[clients["unit"].isin(below)]
        if chosen.empty:
            raise UserError.single(f"no clients in unit '{unit}'" + (" or the units below it" if tree is not None else ""), path="--unit")
        selection = {"unit": unit}
        report_units = [u for u in below if u in set(clients["unit"]) or tree is not None]
    else:
        chosen = clients
        selection = {"all": True}
        report_units = None

    units = unit_aggregates(clients, tree=tree, units=report_units, min_n=min_n, as_of=as_of)
    models = expected_models(contacts, chosen["unit"].unique(), settings, min_clients, min_contacts)

    keys = list(zip(chosen["unit"], chosen["client"]))
    by_client_rows = dict(tuple(table.groupby(KEY, sort=False)))
    by_client_alerts = dict(tuple(alerts.groupby(KEY, sort=False))) if not alerts.empty else {}
    empty_alerts = alerts.iloc[0:0]
    out = []
    for course in chosen.to_dict("records"):
        key = (course["unit"], course["client"])
        model = models[course["unit"]]
        out.append(
            build_client(
                by_client_rows[key],
                course,
                by_client_alerts.get(key, empty_alerts),
                settings,
                expected=model if model.available else None,
                lang=lang,
            )
        )
    used = list({id(m): m for m in (models[u] for u, _ in keys)}.values())
    return FeedbackReport(
        selection=selection,
        clients=out,
        units=units,
        settings=settings,
        expected=used,
        as_of=as_of,
        dropout_weeks=dropout_weeks,
        lang=lang,
        alerts=alerts[alerts.set_index(KEY).index.isin(keys)].reset_index(drop=True),
    )


def _units_below(unit: str, tree) -> list[str]:
    if tree is None:
        return [unit]
    parent_of = dict(zip(tree["unit"], tree["parent"])) if isinstance(tree, pd.DataFrame) else dict(tree)
    children: dict = {}
    for u, p in parent_of.items():
        children.setdefault(p, []).append(u)
    out, stack = [], [unit]
    while stack:
        u = stack.pop()
        out.append(u)
        stack.extend(reversed(children.get(u, [])))
    return out


def expected_models(contacts, units, settings, min_clients, min_contacts) -> dict:
    """unit -> the model its clients are compared with (the unit's own, else all units')."""
    total_range = settings.total_range(settings.outcome_scale, settings.outcome)
    service = None
    out = {}
    for u in units:
        own = fit_expected_trajectories(
            contacts[contacts["unit"] == u], unit=u, min_clients=min_clients, min_contacts=min_contacts, total_range=total_range
        )
        if own.available:
            out[u] = own
            continue
        if service is None:
            service = fit_expected_trajectories(contacts, min_clients=min_clients, min_contacts=min_contacts, total_range=total_range)
        out[u] = service
    return out


def _g(value) -> str:
    return "-" if value is None else f"{value:g}"
