"""Access requests: an OpenID Connect identity without an account waits for an administrator.

The first login of an identity (issuer + subject, OpenID Connect Core 1.0, 5.7) that is tied to
no account stores a request with the e-mail address and name the provider sent, and the person
is told to wait. An administrator approves it with a username, a role and units, which creates
the account tied to that issuer + subject (no local password) and removes the request; or rejects
it, which keeps the request as ``rejected`` so the person is told and it is not listed again.
No local account has to exist first. Only the day of the request is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring.errors import UserError
from scoring.store.accounts import Account, create_account
from scoring.store.db import write_transaction
from scoring.store.models import AccessRequest, User


@dataclass(frozen=True)
class Request:
    id: int
    issuer: str
    subject: str
    email: str | None
    name: str | None
    requested_on: dt.date

    def suggested_username(self) -> str:
        """The e-mail address if there is one, else the subject (the admin may change it)."""
        return (self.email or self.subject)[:64]


def _text(claims: Mapping[str, Any], key: str, limit: int) -> str | None:
    value = str(claims.get(key) or "").strip()
    return value[:limit] or None


def request_access(engine: Engine, claims: Mapping[str, Any], *, today: dt.date | None = None) -> str:
    """Record (once) that an identity without an account wants in; returns its state:
    ``"pending"``, ``"rejected"``, ``"inactive"`` (tied to a deactivated account) or ``"invalid"``
    (no issuer or subject in the claims)."""
    issuer, subject = str(claims.get("iss") or "").strip(), str(claims.get("sub") or "").strip()
    if not issuer or not subject:
        return "invalid"
    with write_transaction(engine) as conn:
        if conn.execute(select(User.id).where(User.oidc_issuer == issuer, User.oidc_subject == subject)).first() is not None:
            return "inactive"
        state = conn.execute(select(AccessRequest.state).where(AccessRequest.issuer == issuer, AccessRequest.subject == subject)).scalar()
        if state is not None:
            return state
        try:
            with conn.begin_nested():
                conn.execute(insert(AccessRequest).values(
                    issuer=issuer[:300], subject=subject[:255], email=_text(claims, "email", 320), name=_text(claims, "name", 200),
                    requested_on=today or dt.date.today(), state="pending",
                ))
        except IntegrityError:  # the same person's second tab stored it a moment ago
            pass
    return "pending"


def pending_requests(engine: Engine) -> list[Request]:
    """Requests waiting for an administrator, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(AccessRequest.id, AccessRequest.issuer, AccessRequest.subject, AccessRequest.email, AccessRequest.name, AccessRequest.requested_on)
            .where(AccessRequest.state == "pending").order_by(AccessRequest.requested_on, AccessRequest.id)
        ).all()
    return [Request(*row) for row in rows]


def _pending(engine: Engine, request_id: int) -> Request:
    found = next((r for r in pending_requests(engine) if r.id == request_id), None)
    if found is None:
        raise UserError.single("no such waiting request (approved or rejected already?)", path="request", code="request_gone")
    return found


def approve_request(
    engine: Engine, request_id: int, *, username: str, role: str, units: Iterable[str] = (), name: str | None = None,
) -> Account:
    """Create the account tied to the request's identity (checked like any new account: unknown
    units, a taken name, a national identity number are refused and nothing is stored)."""
    request = _pending(engine, request_id)
    clinician = (username or "").strip() if role == "clinician" else None
    try:
        account = create_account(
            engine, username, None, role, units=units, name=name or request.name, clinician=clinician,
            oidc=(request.issuer, request.subject),
        )
    except IntegrityError:  # approved a moment ago by another administrator
        raise UserError.single("this identity has an account already", path="request", code="identity_has_account") from None
    with write_transaction(engine) as conn:
        conn.execute(delete(AccessRequest).where(AccessRequest.id == request_id))
    return account


def reject_request(engine: Engine, request_id: int) -> None:
    """Refuse a request; the person is told on their next visit and it is not listed again."""
    _pending(engine, request_id)
    with write_transaction(engine) as conn:
        conn.execute(update(AccessRequest).where(AccessRequest.id == request_id).values(state="rejected"))
