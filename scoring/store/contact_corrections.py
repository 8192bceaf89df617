"""Correcting or deleting a client-feedback contact registered by mistake, with the reason kept.

A clinician who saved a contact on the wrong client, on the wrong day or with wrong answers can
correct it (new answers and date) or delete it. Either is allowed only for a client in the
principal's caseload (:func:`scoring.store.caseload.require_client`) and needs a reason. The
reason is client text like any other: refused if blank, too long or holding a national identity
number (:func:`scoring.responses.national_id.refuse_national_id`, the one refusal every client
text goes through). Kept in ``feedback_contact_corrections``: the contact (unit, client,
number), ``corrected`` or ``deleted``, the reason, the day (no time of day) and the user name of
the account, as the client records keep the clinician (``docs/privacy.md``).

A deleted contact's row is removed in the same transaction as the correction is written, so no
course, alert, caseload count or unit figure can count it; its answers are not kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

import pandas as pd
from sqlalchemy import Engine, func, select

from scoring.errors import UserError
from scoring.responses.national_id import refuse_national_id
from scoring.store.access import Principal
from scoring.store.caseload import require_client
from scoring.store.db import write_transaction
from scoring.store.feedback import answer_versions, clean_answers
from scoring.store.limits import check_text
from scoring.store.models import ContactCorrection, FeedbackContact

CORRECTION_COLUMNS = ("unit", "client", "contact", "action", "reason", "corrected_on", "corrected_by")


def check_reason(reason: Any) -> str:
    """The reason, stripped; :class:`UserError` if blank, too long or a national identity number."""
    text = "" if reason is None else str(reason).strip()
    if not text:
        raise UserError.single("give a reason for the correction", path="reason", code="reason_missing")
    check_text(text, ContactCorrection.__table__.c.reason, path="reason")
    refuse_national_id(text, "the reason", path="reason")
    return text


def correct_contact(
    engine: Engine,
    principal: Principal,
    *,
    unit: str,
    client: str,
    contact: int,
    answers: Mapping[str, Any],
    date: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> None:
    """Replace the answers and date of contact ``contact`` of a client in the caseload.

    The answers are checked like new ones (:func:`scoring.store.feedback.clean_answers`; an item
    left out is missing); the date may not be in the future, before the previous contact's date
    or after the next one's.
    """
    reason = check_reason(reason)
    require_client(engine, principal, unit, client)
    clean, problems = clean_answers(answers)
    if problems:
        raise UserError(problems)
    today = today or dt.date.today()
    if date > today:
        raise UserError.single("the date of a contact cannot be in the future", path="date", code="contact_in_future")
    with write_transaction(engine) as conn:
        row = _stored(conn, unit, client, contact)
        before, after = conn.execute(
            select(
                func.max(FeedbackContact.contact_on).filter(FeedbackContact.contact < contact),
                func.min(FeedbackContact.contact_on).filter(FeedbackContact.contact > contact),
            ).where(FeedbackContact.unit_id == unit, FeedbackContact.client == client)
        ).one()
        if before is not None and date < before:
            raise UserError.single(f"the date is before the previous contact's ({before.isoformat()})", path="date", code="date_before_previous",
                                   params={"date": before.isoformat()})
        if after is not None and date > after:
            raise UserError.single(f"the date is after the next contact's ({after.isoformat()})", path="date", code="date_after_next",
                                   params={"date": after.isoformat()})
        conn.execute(
            FeedbackContact.__table__.update()
            .where(FeedbackContact.id == row)
            .values(answers=clean, instrument_versions=answer_versions(clean), contact_on=date)
        )
        _log(conn, principal, unit, client, contact, "corrected", reason, today)


def delete_contact(
    engine: Engine,
    principal: Principal,
    *,
    unit: str,
    client: str,
    contact: int,
    reason: str,
    today: dt.date | None = None,
) -> None:
    """Delete contact ``contact`` of a client in the caseload; the reason is kept, the answers are not."""
    reason = check_reason(reason)
    require_client(engine, principal, unit, client)
    with write_transaction(engine) as conn:
        row = _stored(conn, unit, client, contact)
        conn.execute(FeedbackContact.__table__.delete().where(FeedbackContact.id == row))
        _log(conn, principal, unit, client, contact, "deleted", reason, today or dt.date.today())


def list_corrections(engine: Engine, principal: Principal, *, unit: str, client: str) -> pd.DataFrame:
    """The corrections of one client in the caseload, oldest first (:data:`CORRECTION_COLUMNS`)."""
    require_client(engine, principal, unit, client)
    table = ContactCorrection.__table__.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.unit_id, table.client, table.contact, table.action, table.reason, table.corrected_on, table.corrected_by)
            .where(table.unit_id == unit, table.client == client)
            .order_by(table.id)
        ).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(CORRECTION_COLUMNS))


def _stored(conn, unit: str, client: str, contact: int) -> int:
    row = conn.execute(
        select(FeedbackContact.id).where(
            FeedbackContact.unit_id == unit, FeedbackContact.client == client, FeedbackContact.contact == contact
        )
    ).scalar()
    if row is None:
        raise UserError.single(f"client '{client}' has no contact {contact}", path="contact", code="no_such_contact",
                               params={"client": client, "contact": contact})
    return row


def _log(conn, principal: Principal, unit: str, client: str, contact: int, action: str, reason: str, day: dt.date) -> None:
    conn.execute(
        ContactCorrection.__table__.insert().values(
            unit_id=unit, client=client, contact=contact, action=action, reason=reason, corrected_on=day,
            corrected_by=principal.username,
        )
    )
