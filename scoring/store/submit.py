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

Round trips (``bench/bench_submit.py``; docs/performance.md). An answer through a unit link is
one statement once the process knows the link (:class:`_Route`, remembered when the page opens
the link or a first answer is stored): an ``INSERT ... SELECT`` that stores the response only
if, at that moment, the link is not revoked, the round is open on the day, takes links and
still has the questionnaire the answers were checked against (its ``form_hash``), and the
partner service named exists. It runs without ``BEGIN``/``COMMIT`` (:func:`_execute_alone`):
one round trip to PostgreSQL after the pool's liveness ping, one short hold of SQLite's write
lock. Atomic as any statement: a crash stores the whole answer or nothing. When
it stores nothing, or the answers do not pass, the answer takes the full way below, which reads
everything again and says why. A one-time code is looked up in the write transaction (it is
spent only once); on PostgreSQL the ``DELETE`` that spends it and the ``INSERT`` of the answer
are one statement (a data-modifying ``WITH``). The statements are built once per process, so
the driver prepares them (psycopg after five uses, sqlite3 in its statement cache).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from sqlalchemy import Date, Engine, String, bindparam, delete, exists, literal, null, select
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
        super().__init__([Problem("no question is answered; answer at least one question before sending", path="answers", code="empty_response")])


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
    form_hash: str = ""

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
        access = _access(conn, token, code, today or dt.date.today())
    if not code:
        _remember_route(engine, token, access)
    return access


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
            done = None if code else _submit_by_route(engine, key, answers, language, token, fields, today)
            done = done or _submit_once(engine, key, answers, language, token, code, fields, today)
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
            raise UserError.single(f"language '{language}' is not offered (use {', '.join(access.languages)})", path="language",
                                   code="language_not_offered", params={"language": language})
        row, clean_fields = access.form.encode(answers, fields)
        if all(value is None for value in row):
            raise EmptyResponse()
        partner = _partner(conn, access.form, clean_fields)
        response_id = new_response_id()
        values = _row_values(response_id, access.form, today, language, partner, clean_fields, row, key)
        if access.code_hash is None:
            conn.execute(_insert_response(), {**values, "round_id": access.round_id, "unit_id": access.unit})
        elif not _spend_and_store(conn, access, values):
            # Another submission spent the code and committed while this one waited for its
            # row (PostgreSQL); under READ COMMITTED this statement sees that commit.
            existing = _existing(conn, key)
            if existing is not None:
                return Submitted(existing, created=False)
            raise AccessRefused("used")
    if not code:
        _remember_route(engine, token, access)
    return Submitted(response_id, created=True)


def _row_values(response_id, form: RoundForm, today, language, partner, fields: dict, row: list, key: str) -> dict:
    """The parameters of the response's row, its JSON already encoded (as the engine would)."""
    return {
        "id": response_id, "submitted_on": today, "language": language, "instrument_versions": form.versions,
        "partner": partner, "fields": json.dumps(fields, ensure_ascii=False, separators=(",", ":")),
        "answers": json.dumps(row, separators=(",", ":")), "idempotency_key": key,
    }  # fmt: skip


def _spend_and_store(conn, access: Access, values: dict) -> bool:
    """Delete the code's row and insert the response in the code's round and unit, in this
    transaction; False (nothing written) if the code is gone or revoked. On PostgreSQL one
    statement, a ``WITH`` whose ``DELETE ... RETURNING`` feeds the ``INSERT`` (so the round and
    unit stored are the deleted row's); elsewhere the two statements."""
    if conn.dialect.name == "postgresql":
        return conn.execute(_spend_and_insert(), {**values, "code_hash": access.code_hash}).rowcount == 1
    if conn.execute(_spend_code(), {"code_hash": access.code_hash}).rowcount != 1:
        return False
    conn.execute(_insert_response(), {**values, "round_id": access.round_id, "unit_id": access.unit})
    return True


# --- the statements, built once per process ----------------------------------------------------

_COLUMNS = ("id", "round_id", "unit_id", "submitted_on", "language", "instrument_versions", "partner", "fields",
            "answers", "idempotency_key", "source")  # fmt: skip


def _params() -> dict:
    """Typed bound parameters for the response's own values (the JSON is already text)."""
    return {
        "id": bindparam("id", type_=String), "submitted_on": bindparam("submitted_on", type_=Date),
        "language": bindparam("language", type_=String), "instrument_versions": bindparam("instrument_versions", type_=String),
        "partner": bindparam("partner", type_=String), "fields": bindparam("fields", type_=EncodedJSON),
        "answers": bindparam("answers", type_=EncodedJSON), "idempotency_key": bindparam("idempotency_key", type_=String),
    }  # fmt: skip


def _from_select(round_id, unit_id, params: dict):
    """The response's columns in :data:`_COLUMNS` order, round and unit from a query."""
    return [params["id"], round_id, unit_id, *(params[c] for c in _COLUMNS[3:-1]), literal("web", String)]


@lru_cache(maxsize=1)
def _insert_response():
    params = _params()
    return Response.__table__.insert().values(
        {**params, "round_id": bindparam("round_id"), "unit_id": bindparam("unit_id"), "source": literal("web", String)}
    )


@lru_cache(maxsize=1)
def _spend_code():
    return delete(OneTimeCode).where(OneTimeCode.code_hash == bindparam("code_hash"), OneTimeCode.revoked.is_(False))


@lru_cache(maxsize=1)
def _spend_and_insert():
    spent = _spend_code().returning(OneTimeCode.round_id, OneTimeCode.unit_id).cte("spent")
    values = select(*_from_select(spent.c.round_id, spent.c.unit_id, _params())).select_from(spent)
    return Response.__table__.insert().from_select(list(_COLUMNS), values).execution_options(preserve_rowcount=True)


@lru_cache(maxsize=2)
def _link_insert(with_partner: bool):
    """``INSERT INTO responses ... SELECT`` from the link's row and its round, which inserts
    nothing unless the link stands, the round is open on the day, takes links and still has the
    questionnaire the answers were checked against, and (``with_partner``) the partner exists."""
    links, rounds = UnitLink.__table__, Round.__table__
    params = _params()
    today = params["submitted_on"]
    values = (
        select(*_from_select(rounds.c.id, links.c.unit_id, params))
        .select_from(links.join(rounds, rounds.c.id == links.c.round_id))
        .where(
            links.c.token == bindparam("token", type_=String), links.c.revoked.is_(False), rounds.c.state == "open",
            rounds.c.mode != "codes", rounds.c.form_hash == bindparam("form_hash", type_=String),
            (rounds.c.opens.is_(None)) | (rounds.c.opens <= today), (rounds.c.closes.is_(None)) | (rounds.c.closes >= today),
        )
    )  # fmt: skip
    if with_partner:
        values = values.where(exists().where(Unit.__table__.c.id == params["partner"]))
    # rowcount says whether it stored; SQLAlchemy keeps it for an INSERT only when asked
    return Response.__table__.insert().from_select(list(_COLUMNS), values).execution_options(preserve_rowcount=True)


@lru_cache(maxsize=8)
def _link_sql(dialect, with_partner: bool) -> tuple[str, dict, tuple | None]:
    """:func:`_link_insert` compiled once for the dialect: the SQL text, the values of its
    constant parameters, and the parameter order if the driver takes them by position. Sent as
    it is (``exec_driver_sql``), it costs the process a third of the CPU time of building and
    compiling an SQLAlchemy statement per answer (docs/performance.md)."""
    compiled = _link_insert(with_partner).compile(dialect=dialect)
    constants = {name: bind.value for name, bind in compiled.binds.items()}  # 'open', 'codes', 'web'; the rest is given
    return str(compiled), constants, tuple(compiled.positiontup) if compiled.positional else None


# --- the one-statement way of a unit link ------------------------------------------------------


@dataclass(frozen=True)
class _Route:
    """What answers through one unit link need from its round, kept per process: the round's
    questionnaire with its hash, and its languages (fixed when the round is made). Only what
    the answers are checked against comes from here; whether the link still stands and the
    round is open is asked of the database by the statement that stores them."""

    form_hash: str
    form: RoundForm
    languages: tuple[str, ...]


# per connection pool (an engine and its option engines share one), token -> route
_ROUTES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_MAX_ROUTES = 10_000


def _remember_route(engine: Engine, token: str | None, access: Access) -> None:
    if not token:
        return
    routes = _ROUTES.setdefault(engine.pool, {})
    if len(routes) >= _MAX_ROUTES:
        routes.pop(next(iter(routes)))
    routes[token.strip()] = _Route(access.form_hash, access.form, access.languages)


def _submit_by_route(engine: Engine, key, answers, language, token, fields, today) -> Submitted | None:
    """Store the answer in one statement if the link's route is known and the answers pass;
    None when the full way must decide (unknown link, bad answers, or nothing stored because
    the link, the round or its questionnaire changed: the route is then forgotten)."""
    routes = _ROUTES.get(engine.pool)
    route = routes.get(token.strip()) if routes and token else None
    if route is None or language not in route.languages:
        return None
    try:
        row, clean_fields = route.form.encode(answers, fields)
    except UserError:
        return None  # the full way says what is wrong, after what may be wrong with the link
    if all(value is None for value in row):
        return None
    partner = next((clean_fields[f] for f in route.form.partner_fields if clean_fields.get(f)), None)
    response_id = new_response_id()
    values = _row_values(response_id, route.form, today, language, partner, clean_fields, row, key)
    sql, defaults, order = _link_sql(engine.dialect, partner is not None)
    params = {**defaults, **values, "token": token.strip(), "form_hash": route.form_hash}
    if order is not None:  # SQLite: positional, and a date is ISO text there
        params = tuple(today.isoformat() if name == "submitted_on" else params[name] for name in order)
    if _execute_alone(engine, sql, params) != 1:
        routes.pop(token.strip(), None)
        return None
    return Submitted(response_id, created=True)


def _execute_alone(engine: Engine, sql: str, params) -> int | None:
    """Run one statement on a pooled connection with no transaction around it, so that the
    database commits it as it ends; its rowcount, or None if the driver raised (the full way
    then decides, a lost connection is dropped from the pool).

    PostgreSQL: the driver's autocommit mode, so no ``BEGIN`` or ``COMMIT`` goes to the server
    (one round trip). SQLite (autocommit already, see :mod:`scoring.store.db`): a writing
    statement takes the write lock as it starts, queueing on the busy timeout like ``BEGIN
    IMMEDIATE``, and commits as it ends. The driver is used directly: SQLAlchemy's execution
    around one statement costs twice the CPU time of the statement itself (docs/performance.md)."""
    dbapi = engine.dialect.loaded_dbapi
    postgresql = engine.dialect.name == "postgresql"
    raw = engine.raw_connection()  # checked by the pool's pre-ping like any other
    try:
        driver = raw.driver_connection
        if postgresql:
            driver.autocommit = True
        try:
            return driver.execute(sql, params).rowcount
        finally:
            if postgresql and not driver.closed:
                driver.autocommit = False
    except (dbapi.OperationalError, dbapi.InterfaceError):
        raw.invalidate()
        return None
    except dbapi.Error:  # a repeated idempotency key: the full way returns the stored answer
        return None
    finally:
        raw.close()


def _partner(conn, form: RoundForm, fields: dict) -> str | None:
    for field_id in form.partner_fields:
        value = fields.get(field_id)
        if value:
            if conn.execute(select(Unit.id).where(Unit.id == value)).first() is None:
                raise UserError.single(f"unknown partner service '{value}'", path=field_id, code="unknown_partner", params={"unit": value})
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
        form_hash=row.form_hash,
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
