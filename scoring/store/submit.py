"""Taking one response from a respondent: check the link or code, check the answers, store.

A response is written in one transaction: the response row (all answers in one JSON array, so
it is stored whole or not at all) and, for a one-time code, the ``DELETE`` of the code's row
that spends it. The transaction starts with ``BEGIN IMMEDIATE`` on SQLite (see
:mod:`scoring.store.db`). A crash before the commit leaves the code unspent and no answer; after
it, both are done.

Why delete: nothing may link a code to its answer, even for whoever holds the database
(``docs/privacy.md``). A row that marks a code as used, written by the answer's transaction,
carries that transaction's id on PostgreSQL (``xmin``, and ``xmax`` on a row it locks) and sits
beside the answer in a dump. A deleted row leaves no row at all: a dump holds only the codes not
yet used. On SQLite the row is overwritten with zeros (``secure_delete``) and the write-ahead
log is emptied after the commit (:func:`scoring.store.db.clear_wal`). The response row itself
names no code: its id is random, and an answer given with a code is stored like one given with
a link (``source = 'web'``).

A used code is then simply a code the database does not know; it is refused with the reason
``unknown_code`` ("not valid, or used already"). Two submissions racing with one code: the
second one's ``DELETE`` waits for the first to commit and then deletes nothing, so it is refused
as ``used`` (or, with the same idempotency key, given the first one's response).

The idempotency key (made once per form by the respondent page) is stored as its SHA-256 and is
unique in the database: a double click, a resubmitted form or a retry after a lost reply stores
one response and returns the same id.

An empty response (no item answered; "vet ikke" counts as an answer) is refused with
:class:`EmptyResponse` before anything is written: it would count as a respondent in response
rates and n without saying anything, and a code would be spent on it.

Anonymous mode: the response keeps unit, round, date (no time of day), language, instrument
versions, fields and answers; no IP address, user agent or code.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import Engine, delete, null, select, type_coerce
from sqlalchemy.exc import IntegrityError, OperationalError

from scoring.errors import Problem, UserError
from scoring.instrument.model import Instrument
from scoring.store.db import clear_wal, write_transaction
from scoring.store.form import RoundForm, cached_form, remember_form
from scoring.store.limits import text_problem
from scoring.store.models import EncodedJSON, OneTimeCode, Response, Round, RoundInstrument, Unit, UnitLink
from scoring.store.tokens import code_hash, key_hash, new_response_id

MAX_KEY_LENGTH = 120
RETRIES = 5

REASONS = {
    "invalid": "This link or code is not valid. Check that it is typed correctly, or ask your survey coordinator for a new one.",
    "unknown_code": (
        "This code is not valid, or it has been used already (each code can be used once). "
        "Check that it is typed correctly, or ask your survey coordinator for a new one."
    ),
    "used": "This code has already been used. Each code can be used once.",
    "closed": "This survey is closed.",
    "not_open": "This survey has not opened yet.",
    "needs_code": "This survey is answered with a one-time code. Use the code you were given.",
}


class AccessRefused(UserError):
    """A link or code that does not give access, with a ``reason`` the page can translate:
    ``invalid`` (an unknown or revoked link, a revoked code), ``unknown_code`` (a code the
    database does not hold: mistyped, or used already), ``used`` (spent by a submission that
    committed while this one was under way), ``closed``, ``not_open`` or ``needs_code``.

    The message says nothing about any unit or round other than the one the link belongs to.
    """

    def __init__(self, reason: str, opens: dt.date | None = None):
        message = REASONS[reason]
        if reason == "not_open" and opens:
            message = f"This survey opens on {opens.isoformat()}."
        super().__init__([Problem(message)])
        self.reason = reason
        self.opens = opens


class EmptyResponse(UserError):
    """A submission with no item answered: refused, nothing stored, no code spent.
    ``reason`` is ``"empty"`` so a page can translate it."""

    reason = "empty"

    def __init__(self):
        super().__init__([Problem("no question is answered; answer at least one question before sending", path="answers")])


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
    code_hash: str | None = None

    @property
    def instruments(self) -> tuple[Instrument, ...]:
        return self.form.instruments


@dataclass(frozen=True)
class Submitted:
    """The stored response's id (32 random hex digits); ``created`` is False when the key had
    been used already."""

    response_id: str
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

    Raises :class:`AccessRefused` for a bad link or code, a closed round or a used code,
    :class:`EmptyResponse` when no item is answered, and :class:`UserError` for answers that do not fit the questionnaire. Retries a few times if the
    database is busy or a concurrent transaction conflicts.
    """
    if not isinstance(idempotency_key, str) or not idempotency_key.strip() or len(idempotency_key) > MAX_KEY_LENGTH:
        raise UserError.single(f"the idempotency key must be 1..{MAX_KEY_LENGTH} characters", path="idempotency_key")
    key = key_hash(f"web:{idempotency_key.strip()}")
    today = today or dt.date.today()
    for attempt in range(RETRIES):
        try:
            done = _submit_once(engine, key, answers, language, token, code, fields, today)
        except IntegrityError:
            # A concurrent transaction stored the same key first.
            existing = _existing(engine, key)
            if existing is not None:
                return Submitted(existing, created=False)
            raise
        except OperationalError:
            # SQLite busy beyond the timeout, or a PostgreSQL deadlock/serialisation failure.
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * 2**attempt)
            continue
        if done.created and code is not None:
            clear_wal(engine)
        return done
    raise AssertionError("unreachable")


def _existing(conn_or_engine, key: str) -> str | None:
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            return _existing(conn, key)
    return conn_or_engine.execute(select(Response.id).where(Response.idempotency_key == key)).scalar()


def _submit_once(engine, key, answers, language, token, code, fields, today) -> Submitted:
    with write_transaction(engine) as conn:
        found = _lookup(conn, token, code, key)
        existing = found.existing if found is not None else _existing(conn, key)
        if existing is not None:
            return Submitted(existing, created=False)
        access = _access_from(conn, found, code, today)
        if language not in access.languages:
            raise UserError.single(f"language '{language}' is not offered (use {', '.join(access.languages)})", path="language")
        row, clean_fields = access.form.encode(answers, fields)
        if all(value is None for value in row):
            raise EmptyResponse()
        partner = _partner(conn, access.form, clean_fields)
        if access.code_hash is not None:
            spent = conn.execute(
                delete(OneTimeCode).where(OneTimeCode.code_hash == access.code_hash, OneTimeCode.revoked.is_(False))
            ).rowcount
            if spent != 1:
                # Another submission spent the code and committed while this one waited for its
                # row (PostgreSQL); under READ COMMITTED this statement sees that commit.
                existing = _existing(conn, key)
                if existing is not None:
                    return Submitted(existing, created=False)
                raise AccessRefused("used")
        response_id = new_response_id()
        conn.execute(
            Response.__table__.insert().values(
                id=response_id,
                round_id=access.round_id,
                unit_id=access.unit,
                submitted_on=today,
                language=language,
                instrument_versions=access.form.versions,
                partner=partner,
                fields=clean_fields,
                answers=type_coerce(json.dumps(row, separators=(",", ":")), EncodedJSON),
                idempotency_key=key,
                source="web",
            )
        )
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
    to the server), with the response already stored under ``key`` if any."""
    rounds = Round.__table__
    if code:
        owner = OneTimeCode
        match = OneTimeCode.code_hash == code_hash(code)
        extra = [OneTimeCode.code_hash.label("code_hash")]
    elif token:
        if text_problem(token.strip(), UnitLink.__table__.c.token):
            return None  # cannot be a stored token (PostgreSQL would refuse a NUL even in a query)
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
    if row is None:
        raise AccessRefused("unknown_code" if code else "invalid")
    if row.revoked:
        raise AccessRefused("invalid")
    if row.state != "open" or (row.closes is not None and today > row.closes):
        raise AccessRefused("closed")
    if row.opens is not None and today < row.opens:
        raise AccessRefused("not_open", opens=row.opens)
    if not code and row.mode == "codes":
        raise AccessRefused("needs_code")
    return Access(
        round=row.name,
        round_id=row.id,
        unit=row.unit_id,
        unit_name=row.unit_name,
        languages=tuple(row.languages),
        closes=row.closes,
        mode=row.mode,
        form=load_form(conn, row.id, row.form_hash),
        code_hash=row.code_hash if code else None,
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
