"""Taking one response from a respondent: check the link or code, check the answers, store.

A response is written in one transaction: the response row (all answers in one JSON array, so
it is stored whole or not at all) and, for a one-time code, the row in ``code_uses`` that spends
the code. The transaction starts with ``BEGIN IMMEDIATE`` on SQLite (see :mod:`scoring.store.db`).

The idempotency key (made once per form by the respondent page) is unique in the database: a
double click, a resubmitted form or a retry after a lost reply stores one response and returns
the same id. A code is spent by inserting its id into ``code_uses`` (primary key), so two
concurrent submissions with one code cannot both succeed.

Anonymous mode: the response keeps unit, round, date (no time of day), language, instrument
versions, fields and answers; no IP address, user agent or code.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import Engine, null, select, type_coerce
from sqlalchemy.exc import IntegrityError, OperationalError

from scoring.errors import Problem, UserError
from scoring.instrument import Instrument
from scoring.store.db import write_transaction
from scoring.store.form import RoundForm, cached_form, remember_form
from scoring.store.models import CodeUse, EncodedJSON, OneTimeCode, Response, Round, RoundInstrument, Unit, UnitLink
from scoring.store.tokens import code_hash

MAX_KEY_LENGTH = 120
RETRIES = 5

REASONS = {
    "invalid": "This link or code is not valid. Check that it is typed correctly, or ask your survey coordinator for a new one.",
    "used": "This code has already been used. Each code can be used once.",
    "closed": "This survey is closed.",
    "not_open": "This survey has not opened yet.",
    "needs_code": "This survey is answered with a one-time code. Use the code you were given.",
}


class AccessRefused(UserError):
    """A link or code that does not give access, with a ``reason`` the page can translate:
    ``invalid`` (unknown or revoked), ``used``, ``closed``, ``not_open`` or ``needs_code``.

    The message says nothing about any unit or round other than the one the link belongs to.
    """

    def __init__(self, reason: str, opens: dt.date | None = None):
        message = REASONS[reason]
        if reason == "not_open" and opens:
            message = f"This survey opens on {opens.isoformat()}."
        super().__init__([Problem(message)])
        self.reason = reason
        self.opens = opens


@dataclass(frozen=True)
class Access:
    """What a valid link or code opens: the round, the unit and the questionnaire."""

    round: str
    round_id: int
    unit: str
    unit_name: str
    languages: tuple[str, ...]
    closes: dt.date | None
    mode: str
    form: RoundForm
    code_id: int | None = None

    @property
    def instruments(self) -> tuple[Instrument, ...]:
        return self.form.instruments


@dataclass(frozen=True)
class Submitted:
    """The stored response's id; ``created`` is False when the key had been used already."""

    response_id: int
    created: bool


def resolve_access(engine: Engine, *, token: str | None = None, code: str | None = None, today: dt.date | None = None) -> Access:
    """The round and unit a unit-link token or one-time code opens; raises :class:`AccessRefused`.

    Does not spend the code; :func:`submit_response` does.
    """
    with engine.connect() as conn:
        return _access(conn, token, code, today or dt.date.today())


def submit_response(
    engine: Engine,
    *,
    answers: Mapping[str, Any],
    language: str,
    idempotency_key: str,
    token: str | None = None,
    code: str | None = None,
    fields: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> Submitted:
    """Store one response given through a unit link (``token``) or a one-time ``code``.

    Raises :class:`AccessRefused` for a bad link or code, a closed round or a used code, and
    :class:`UserError` for answers that do not fit the questionnaire. Retries a few times if the
    database is busy or a concurrent transaction conflicts.
    """
    if not isinstance(idempotency_key, str) or not idempotency_key.strip() or len(idempotency_key) > MAX_KEY_LENGTH:
        raise UserError.single(f"the idempotency key must be 1..{MAX_KEY_LENGTH} characters", path="idempotency_key")
    key = f"web:{idempotency_key.strip()}"
    today = today or dt.date.today()
    for attempt in range(RETRIES):
        try:
            return _submit_once(engine, key, answers, language, token, code, fields, today)
        except IntegrityError:
            # A concurrent transaction stored the same key or spent the same code first.
            with engine.connect() as conn:
                existing = conn.execute(select(Response.id).where(Response.idempotency_key == key)).scalar()
            if existing is not None:
                return Submitted(existing, created=False)
            if code is not None:
                raise AccessRefused("used") from None
            raise
        except OperationalError:
            # SQLite busy beyond the timeout, or a PostgreSQL deadlock/serialisation failure.
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


def _submit_once(engine, key, answers, language, token, code, fields, today) -> Submitted:
    with write_transaction(engine) as conn:
        found = _lookup(conn, token, code, key)
        if found is not None and found.existing is not None:
            return Submitted(found.existing, created=False)
        access = _access_from(conn, found, code, today)
        if language not in access.languages:
            raise UserError.single(f"language '{language}' is not offered (use {', '.join(access.languages)})", path="language")
        row, clean_fields = access.form.encode(answers, fields)
        partner = _partner(conn, access.form, clean_fields)
        if access.code_id is not None:
            conn.execute(CodeUse.__table__.insert().values(code_id=access.code_id))
        response_id = conn.execute(
            Response.__table__.insert()
            .values(
                round_id=access.round_id,
                unit_id=access.unit,
                submitted_on=today,
                language=language,
                instrument_versions=access.form.versions,
                partner=partner,
                fields=clean_fields,
                answers=type_coerce(json.dumps(row, separators=(",", ":")), EncodedJSON),
                idempotency_key=key,
                source="code" if access.code_id is not None else "web",
            )
            .returning(Response.id)
        ).scalar_one()
    return Submitted(response_id, created=True)


def _partner(conn, form: RoundForm, fields: dict) -> str | None:
    for field_id in form.partner_fields:
        value = fields.get(field_id)
        if value:
            if conn.execute(select(Unit.id).where(Unit.id == value)).first() is None:
                raise UserError.single(f"unknown partner service '{value}'", path=field_id)
            return value
    return None


def _access(conn, token: str | None, code: str | None, today: dt.date) -> Access:
    return _access_from(conn, _lookup(conn, token, code), code, today)


def _lookup(conn, token: str | None, code: str | None, key: str | None = None):
    """The code's or link's row joined with its round and unit, in one query (one round trip
    to the server): whether the code is used, and the response already stored under ``key``."""
    rounds = Round.__table__
    if code:
        owner = OneTimeCode
        match = OneTimeCode.code_hash == code_hash(code)
        used = select(CodeUse.code_id).where(CodeUse.code_id == OneTimeCode.id).exists()
        extra = [OneTimeCode.id.label("code_id"), used.label("used")]
    elif token:
        owner = UnitLink
        match = UnitLink.token == token.strip()
        extra = []
    else:
        return None
    existing = select(Response.id).where(Response.idempotency_key == key).scalar_subquery() if key else null()
    return conn.execute(
        select(owner.unit_id.label("unit_id"), owner.revoked.label("revoked"), Unit.name.label("unit_name"), *extra,
               existing.label("existing"), rounds)
        .join(rounds, rounds.c.id == owner.round_id)
        .join(Unit, Unit.id == owner.unit_id)
        .where(match)
    ).first()  # fmt: skip


def _access_from(conn, row, code: str | None, today: dt.date) -> Access:
    if row is None or row.revoked:
        raise AccessRefused("invalid")
    code_id = row.code_id if code else None
    if row.state != "open" or (row.closes is not None and today > row.closes):
        raise AccessRefused("closed")
    if row.opens is not None and today < row.opens:
        raise AccessRefused("not_open", opens=row.opens)
    if code_id is None and row.mode == "codes":
        raise AccessRefused("needs_code")
    if code_id is not None and row.used:
        raise AccessRefused("used")
    return Access(
        round=row.name,
        round_id=row.id,
        unit=row.unit_id,
        unit_name=row.unit_name,
        languages=tuple(row.languages),
        closes=row.closes,
        mode=row.mode,
        form=load_form(conn, row.id, row.form_hash),
        code_id=code_id,
    )


def load_form(conn, round_id: int, hash_value: str) -> RoundForm:
    """The round's stored questionnaire (parsed once per process)."""
    form = cached_form(hash_value)
    if form is None:
        definitions = conn.execute(
            select(RoundInstrument.definition).where(RoundInstrument.round_id == round_id).order_by(RoundInstrument.position)
        ).scalars().all()
        form = remember_form(hash_value, list(definitions))
    return form
