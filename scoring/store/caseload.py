"""A clinician's caseload: registering clients and reading and writing their contacts in scope.

Client feedback is not anonymous (``docs/privacy.md``): it is linked to a pseudonymous client
id chosen by the service, never a national identity number. Who may reach a client is decided
here, in the SQL of every read and before every write, never by filtering on a page:

- ``clinician``: the clients registered with them (``feedback_clients.clinician`` = the
  account's clinician id), and clients that were imported without a registration and have a
  contact recorded by them;
- ``manager``: the clients of the units in their scope; ``admin``: every client;
- ``researcher``: none (researchers get the anonymous staff surveys, not client records).

A client outside the scope is reported exactly like a client that does not exist, so an id
typed by hand reveals nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd
from sqlalchemy import Engine, and_, exists, func, or_, select, true
from sqlalchemy.orm import aliased

from scoring.errors import UserError
from scoring.responses.national_id import refuse_national_id
from scoring.store.access import AccessDenied, Principal
from scoring.store.db import write_transaction
from scoring.store.feedback import add_feedback_contact, check_client_id, read_contacts
from scoring.store.limits import check_text
from scoring.store.models import FeedbackClient, FeedbackContact, Unit

NOT_YOURS = "Du har ikke tilgang til denne klienten. / You do not have access to this client."
NO_CLINICIAN_ID = (
    "Kontoen din har ingen behandler-id, så den har ingen klienter. / "
    "Your account has no clinician id, so it has no clients."
)
NO_CLIENTS = "Denne rollen har ingen tilgang til klienter. / This role has no access to clients."


@dataclass(frozen=True)
class RegisteredClient:
    unit: str
    client: str
    clinician: str
    registered_on: dt.date


def _client_scope(principal: Principal, unit_column, client_column):
    """The SQL condition "this (unit, client) is in the principal's caseload"."""
    if principal.role == "admin":
        return true()
    if principal.role == "manager":
        return unit_column.in_(sorted(principal.units or ()))
    if principal.role == "clinician":
        if not principal.clinician:
            raise AccessDenied.single(NO_CLINICIAN_ID, code="no_clinician_id")
        # Aliases, so that the subqueries never correlate with an outer query on the same table.
        registration, other = aliased(FeedbackClient), aliased(FeedbackContact)
        mine = exists().where(
            registration.unit_id == unit_column, registration.client == client_column, registration.clinician == principal.clinician
        )
        registered = exists().where(registration.unit_id == unit_column, registration.client == client_column)
        seen = exists().where(other.unit_id == unit_column, other.client == client_column, other.clinician == principal.clinician)
        return or_(mine, and_(~registered, seen))
    raise AccessDenied.single(NO_CLIENTS, code="no_clients_role")


def registration_units(engine: Engine, principal: Principal) -> list[str]:
    """Units a principal may register a client in: a clinician's assigned units (every unit
    without children when none are assigned), a manager's scope, every unit for an admin."""
    from scoring.store.organisation import leaf_units, read_units

    units = read_units(engine)
    if principal.role == "clinician":
        if not principal.clinician:
            raise AccessDenied.single(NO_CLINICIAN_ID, code="no_clinician_id")
        return list(principal.assigned) if principal.assigned else leaf_units(units.fillna(""))
    if principal.role == "manager":
        return principal.scope(units["unit"])
    if principal.role == "admin":
        return list(units["unit"])
    raise AccessDenied.single(NO_CLIENTS, code="no_clients_role")


def register_client(
    engine: Engine,
    principal: Principal,
    *,
    client: str,
    unit: str,
    clinician: str | None = None,
    today: dt.date | None = None,
) -> RegisteredClient:
    """Register ``client`` in ``unit``; a clinician registers with themself, an admin or a
    manager names the ``clinician``. Refused: a blank or over-long id, one that looks like a
    national identity number (:func:`scoring.store.feedback.check_client_id`), a unit outside
    :func:`registration_units`, and an id already in use in the unit."""
    client = check_client_id(client)
    if principal.role == "clinician":
        clinician = principal.clinician
    clinician = str(clinician or "").strip()
    if not clinician:
        raise UserError.single("the clinician is blank", path="clinician", code="clinician_blank")
    check_text(clinician, FeedbackClient.__table__.c.clinician, path="clinician")
    refuse_national_id(clinician, "the clinician id", path="clinician")
    if unit not in registration_units(engine, principal):
        raise AccessDenied.single("Du har ikke tilgang til denne enheten. / You do not have access to this unit.", path="unit",
                                  code="no_access_unit")
    today = today or dt.date.today()
    with write_transaction(engine) as conn:
        if conn.execute(select(Unit.id).where(Unit.id == unit)).first() is None:
            raise UserError.single(f"unknown unit '{unit}'", path="unit", code="unknown_unit", params={"unit": unit})
        taken = conn.execute(select(FeedbackClient.id).where(FeedbackClient.unit_id == unit, FeedbackClient.client == client)).first()
        taken = taken or conn.execute(
            select(FeedbackContact.id).where(FeedbackContact.unit_id == unit, FeedbackContact.client == client).limit(1)
        ).first()
        if taken is not None:
            raise UserError.single(f"the client id '{client}' is in use in this unit already; choose another", path="client", code="client_id_in_use",
                                     params={"client": client})
        conn.execute(FeedbackClient.__table__.insert().values(unit_id=unit, client=client, clinician=clinician, registered_on=today))
    return RegisteredClient(unit, client, clinician, today)


def list_clients(engine: Engine, principal: Principal) -> pd.DataFrame:
    """The principal's clients, one row each: ``unit``, ``client``, ``clinician`` (registered,
    else at the last contact), ``registered_on`` (None if imported), ``contacts``, ``last_date``
    (None before the first contact); sorted by unit and client."""
    with engine.connect() as conn:
        registered = conn.execute(
            select(FeedbackClient.unit_id, FeedbackClient.client, FeedbackClient.clinician, FeedbackClient.registered_on).where(
                _client_scope(principal, FeedbackClient.unit_id, FeedbackClient.client)
            )
        ).all()
        last = (
            select(FeedbackContact.unit_id, FeedbackContact.client, func.max(FeedbackContact.contact).label("last"), func.count().label("n"))
            .where(_client_scope(principal, FeedbackContact.unit_id, FeedbackContact.client))
            .group_by(FeedbackContact.unit_id, FeedbackContact.client)
            .subquery()
        )
        contacted = conn.execute(
            select(last.c.unit_id, last.c.client, FeedbackContact.clinician, last.c.n, FeedbackContact.contact_on).join(
                FeedbackContact,
                and_(FeedbackContact.unit_id == last.c.unit_id, FeedbackContact.client == last.c.client, FeedbackContact.contact == last.c.last),
            )
        ).all()
    columns = ["unit", "client", "clinician", "registered_on", "contacts", "last_date"]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for unit, client, clinician, n, on in contacted:
        rows[(unit, client)] = dict(unit=unit, client=client, clinician=clinician, registered_on=None, contacts=int(n), last_date=on)
    for unit, client, clinician, on in registered:
        row = rows.setdefault((unit, client), dict(unit=unit, client=client, contacts=0, last_date=None))
        row.update(clinician=clinician, registered_on=on)
    frame = pd.DataFrame([rows[k] for k in sorted(rows)], columns=columns)
    return frame.astype({"contacts": "int64"})


def read_caseload(engine: Engine, principal: Principal, *, unit: str | None = None, client: str | None = None) -> pd.DataFrame:
    """Contacts of the principal's clients (the ``feedback.csv`` layout), optionally of one
    client; asking for a client outside the caseload raises :class:`AccessDenied`."""
    conditions = [_client_scope(principal, FeedbackContact.unit_id, FeedbackContact.client)]
    if client is not None:
        _require_client(engine, principal, unit, client)
        conditions += [FeedbackContact.unit_id == unit, FeedbackContact.client == client]
    return read_contacts(engine, *conditions)


def require_client(engine: Engine, principal: Principal, unit: str | None, client: str) -> str:
    """The client's clinician, if (unit, client) is in the principal's caseload; else
    :class:`AccessDenied` (worded as for a client that does not exist)."""
    return _require_client(engine, principal, unit, client)


def _require_client(engine: Engine, principal: Principal, unit: str | None, client: str) -> str:
    """The client's clinician, if (unit, client) is in the caseload; else AccessDenied."""
    with engine.connect() as conn:
        owner = conn.execute(
            select(FeedbackClient.clinician).where(
                FeedbackClient.unit_id == unit, FeedbackClient.client == client,
                _client_scope(principal, FeedbackClient.unit_id, FeedbackClient.client),
            )
        ).scalar()  # fmt: skip
        if owner is None:
            owner = conn.execute(
                select(FeedbackContact.clinician)
                .where(
                    FeedbackContact.unit_id == unit, FeedbackContact.client == client,
                    _client_scope(principal, FeedbackContact.unit_id, FeedbackContact.client),
                )
                .order_by(FeedbackContact.contact.desc())
                .limit(1)
            ).scalar()  # fmt: skip
    if owner is None:
        raise AccessDenied.single(NOT_YOURS, path="client", code="no_access_client")
    return owner


def record_contact(
    engine: Engine,
    principal: Principal,
    *,
    unit: str,
    client: str,
    answers: Mapping[str, Any],
    date: dt.date | None = None,
) -> int:
    """Store the next contact of a client in the caseload; returns its contact number.

    The contact number is one more than the client's last; the date (default today) may not
    be before the last contact's date or in the future. The clinician stored is the one
    recording it (an admin records for the client's own clinician). Answers are checked
    against the instruments by :func:`scoring.store.feedback.add_feedback_contact`.
    """
    owner = _require_client(engine, principal, unit, client)
    today = dt.date.today()
    date = date or today
    if date > today:
        raise UserError.single("the date of a contact cannot be in the future", path="date", code="contact_in_future")
    with engine.connect() as conn:
        last_contact, last_date = conn.execute(
            select(func.max(FeedbackContact.contact), func.max(FeedbackContact.contact_on)).where(
                FeedbackContact.unit_id == unit, FeedbackContact.client == client
            )
        ).one()
    if last_date is not None and date < last_date:
        raise UserError.single(f"the date is before the client's last contact ({last_date.isoformat()})", path="date",
                               code="contact_before_last", params={"last": last_date.isoformat()})
    contact = (last_contact or 0) + 1
    clinician = principal.clinician if principal.role == "clinician" else owner
    add_feedback_contact(engine, client=client, clinician=clinician, unit=unit, contact=contact, date=date, answers=answers)
    return contact
