"""Client feedback from the database, for one principal: what the Klienter page shows.

One hop from the page to the numbers:

- :func:`service_basis`: what rests on the whole service's data and is the same for every
  clinician: the settings (reliability and SD for reliable change from the instrument or the
  service's intake data, cut-off, visit threshold, alert rules) and the expected trajectories
  (:func:`scoring.feedback.report.expected_models`: the unit's own model, else the service's).
  Only these aggregates leave the function; no client of the service is in it.
- :func:`client_view`: one client of the principal's caseload (:func:`scoring.feedback.clients.client_feedback`):
  trajectory, bands, alerts and the expected band; a client outside the caseload raises
  :class:`scoring.store.access.AccessDenied` (the scope is in the SQL of
  :func:`scoring.store.caseload.read_caseload`).
- :func:`caseload_table`: the caseload at a glance: per client the contacts, intake, last
  outcome total, reliable change and the alerts at the last contact.
- :func:`unit_view`: client-feedback figures per unit for managers and administrators,
  rendered from the ``clients`` cells of the principal's publication
  (:func:`feedback_decision_of`, decided on the whole unit tree, then cut to the viewer).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from scoring.feedback.alerts import AlertRules, find_alerts
from scoring.feedback.clients import (
    DEFAULT_DROPOUT_WEEKS,
    KEY,
    ClientFeedback,
    FeedbackSettings,
    client_feedback,
    client_table,
    contact_table,
    feedback_settings,
    prepare_contacts,
)
from scoring.feedback.expected import MIN_CLIENTS, MIN_CONTACTS, ExpectedTrajectories, fit_expected_trajectories
from scoring.feedback.report import expected_models
from scoring.feedback.units import UnitFeedback, feedback_decision
from scoring.privacy import DEFAULT_MIN_N
from scoring.privacy.publication import RoundDecision, Viewer, cut
from scoring.store.access import AccessDenied, Principal
from scoring.store.caseload import read_caseload
from scoring.store.feedback import read_feedback
from scoring.store.organisation import read_units


@dataclass(frozen=True)
class ServiceBasis:
    """Settings and expected-trajectory models from the whole service's contacts.

    ``models``: unit -> :class:`ExpectedTrajectories` (the unit's own when it has enough
    clients, else the service's); ``service``: the service-wide model, also for units without
    clients yet.
    """

    settings: FeedbackSettings
    models: dict
    service: ExpectedTrajectories

    def expected_for(self, unit: str) -> ExpectedTrajectories:
        return self.models.get(unit, self.service)


def service_basis(
    engine: Engine,
    *,
    rules: AlertRules | None = None,
    min_clients: int = MIN_CLIENTS,
    min_contacts: int = MIN_CONTACTS,
) -> ServiceBasis:
    """Settings and expected trajectories from every contact in the database (module docstring)."""
    contacts = _prepared(read_feedback(engine))
    settings = feedback_settings(contacts if len(contacts) else None, rules=rules)
    total_range = settings.total_range(settings.outcome_scale, settings.outcome)
    service = fit_expected_trajectories(contacts, min_clients=min_clients, min_contacts=min_contacts, total_range=total_range)
    units = contacts["unit"].unique() if len(contacts) else []
    models = expected_models(contacts, units, settings, min_clients, min_contacts) if len(contacts) else {}
    return ServiceBasis(settings, models, service)


def _prepared(table: pd.DataFrame) -> pd.DataFrame:
    """Contacts from the database, checked and totalled (:func:`scoring.feedback.clients.prepare_contacts`)."""
    if table.empty:
        columns = ["unit", "client", "clinician", "contact", "date", "outcome_total", "visit_total"]
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else object) for c in columns})
    return prepare_contacts(table)


def client_view(
    engine: Engine, principal: Principal, unit: str, client: str, basis: ServiceBasis, *, lang: str = "nb", as_of=None
) -> ClientFeedback | None:
    """One client of the principal's caseload; None while the client has no contact yet.

    Raises :class:`AccessDenied` for a client outside the caseload (or one that does not exist).
    """
    contacts = read_caseload(engine, principal, unit=unit, client=client)
    if contacts.empty:
        return None
    expected = basis.expected_for(unit)
    return client_feedback(
        _prepared(contacts), basis.settings, expected=expected if expected.available else None, lang=lang, as_of=as_of
    )


def caseload_table(engine: Engine, principal: Principal, basis: ServiceBasis, *, lang: str = "nb") -> pd.DataFrame:
    """Per client of the caseload with at least one contact: ``unit``, ``client``,
    ``contacts``, ``last_date``, ``intake``, ``last`` (last outcome total), ``change``,
    ``reliable_change`` and ``alerts`` (the alert kinds at the client's last contact)."""
    contacts = _prepared(read_caseload(engine, principal))
    columns = ["unit", "client", "contacts", "last_date", "intake", "last", "change", "reliable_change", "alerts"]
    if contacts.empty:
        return pd.DataFrame(columns=columns)
    table = contact_table(contacts, basis.settings)
    clients = client_table(contacts, basis.settings, table=table)
    alerts = find_alerts(table, basis.settings, lang=lang)
    last = table.groupby(KEY)["contact"].max().rename("last_contact").reset_index()
    latest = alerts.merge(last, on=KEY)
    latest = latest[latest["contact"] == latest["last_contact"]].groupby(KEY)["kind"].agg(list).rename("alerts")
    out = clients.rename(columns={"n_contacts": "contacts"}).merge(latest, left_on=KEY, right_index=True, how="left")
    out["alerts"] = out["alerts"].apply(lambda kinds: kinds if isinstance(kinds, list) else [])
    return out[columns].reset_index(drop=True)


def unit_view(
    engine: Engine,
    principal: Principal,
    basis: ServiceBasis,
    *,
    min_n: int = DEFAULT_MIN_N,
    dropout_weeks: float = DEFAULT_DROPOUT_WEEKS,
    as_of=None,
) -> UnitFeedback | None:
    """Client-feedback figures per unit as the principal's publication shows them (admin: the
    organisation and every unit with clients; manager: the organisation, unit types they may
    see and their own units); None without any contact. Clinicians get :class:`AccessDenied`:
    unit figures are for managers."""
    if principal.role not in ("admin", "manager"):
        raise AccessDenied.single("Enhetstall er for ledere og administratorer. / Unit figures are for managers and administrators.")
    decision = feedback_decision_of(engine, basis.settings, min_n=min_n, dropout_weeks=dropout_weeks, as_of=as_of)
    if decision is None:
        return None
    return UnitFeedback.of(cut([decision], Viewer.of(principal)), _pooled_units(decision))


def feedback_decision_of(
    engine: Engine,
    settings: FeedbackSettings | None = None,
    *,
    min_n: int = DEFAULT_MIN_N,
    dropout_weeks: float = DEFAULT_DROPOUT_WEEKS,
    as_of=None,
) -> RoundDecision | None:
    """The client-feedback cells of the publication, decided for the whole organisation on the
    stored unit tree and every client with a contact (:func:`scoring.feedback.units.feedback_decision`);
    None without any contact. ``settings``: default from the service's own contacts."""
    contacts = _prepared(read_feedback(engine))
    if contacts.empty:
        return None
    settings = feedback_settings(contacts) if settings is None else settings
    clients = client_table(contacts, settings, as_of=as_of, dropout_weeks=dropout_weeks)
    return feedback_decision(clients, tree=read_units(engine), min_n=min_n, as_of=as_of)


def _pooled_units(decision: RoundDecision) -> list[str]:
    """The organisation and the units with clients of their own or below them (which classes
    are empty is public, docs/privacy.md), in tree order."""
    has = decision.below[:, decision.group_n > 0].any(axis=1)
    return [u for u, yes in zip(decision.units, has) if yes]
