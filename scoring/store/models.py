"""The database schema (SQLAlchemy 2 declarative models).

One organisation holds a unit tree (``units.parent_id``; ``unit_type`` such as kommune,
tjenesteområde, enhet, team, or ``partner`` for partner services that are rated but not
surveyed). A person who works in two units counts in the headcount of both (``headcounts``);
no table identifies a person.

A survey round names its instruments (``round_instruments``) and units (``round_units``). Each
instrument definition is stored in the round as JSON when the round is created, together with the
round's item order (``rounds.items``) and a hash of both (``rounds.form_hash``); no server needs
the YAML files to take answers. Until the first answer arrives the definitions can be refreshed
from the YAML files; from then on they are frozen, so later edits never change how stored
answers are read.

``responses`` holds one row per response; ``answers`` is a JSON array of raw codes aligned with
``rounds.items`` (see :mod:`scoring.store.read` for why). Nothing ties a response to the link
or one-time code used, or to the order answers arrived in (``docs/privacy.md``; the tests in
``tests/store/test_store_unlinkable.py`` play a database administrator with a dump and the printed
code list):

- ``one_time_codes`` holds only codes that can still be used: spending a code deletes its row
  in the answer's transaction (:mod:`scoring.store.submit`), so a dump holds no used code and no
  row whose ``xmin``/``xmax`` is shared with an answer; ``code_batches`` keeps how many codes were
  made, so codes used = made - stored;
- a response id is 128 random bits (:func:`scoring.store.tokens.new_response_id`), the
  idempotency key is stored as its SHA-256, the date has no time of day, and an answer given
  with a code is stored with ``source = 'web'`` like one given with a link;
- on SQLite both tables are ``WITHOUT ROWID``: rows sit in the B-tree in the order of their
  random key, not of their writing (and :mod:`scoring.store.db` zeroes deleted rows).

Schema changes go through Alembic migrations in ``scoring/store/migrations/versions``; a test
checks that the migrations and these models agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("admin", "coordinator", "manager", "researcher", "clinician")
REQUEST_STATES = ("pending", "rejected")
MODES = ("anonymous", "codes")
STATES = ("open", "closed")
SOURCES = ("web", "import", "demo")
PARTNER_TYPE = "partner"
MIN_N_FLOOR = 3


class EncodedJSON(TypeDecorator):
    """Bind a value that is already JSON text into a JSON column without encoding it again.

    Used with :func:`sqlalchemy.type_coerce` by the write paths that serialise answers in bulk;
    on PostgreSQL the parameter is still cast to ``json``, so the server checks the text.
    """

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect):
        return None


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Unit(Base):
    """A node of the unit tree; ``id`` is the coordinator's own unit code (``units.csv``)."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    unit_type: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Round(Base):
    """A survey round; ``items`` is the item order of ``responses.answers`` in this round."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint(f"min_n >= {MIN_N_FLOOR}", name="min_n_floor"),
        CheckConstraint("mode IN ('anonymous', 'codes')", name="mode"),
        CheckConstraint("state IN ('open', 'closed')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    languages: Mapped[list[Any]] = mapped_column(JSON)
    opens: Mapped[dt.date | None] = mapped_column(Date)
    closes: Mapped[dt.date | None] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12), default="anonymous")
    min_n: Mapped[int] = mapped_column(Integer, default=5)
    state: Mapped[str] = mapped_column(String(8), default="open")
    items: Mapped[list[Any]] = mapped_column(JSON)
    form_hash: Mapped[str] = mapped_column(String(64))
    created_on: Mapped[dt.date] = mapped_column(Date)


class RoundInstrument(Base):
    """An instrument of a round; ``definition`` is the whole instrument as JSON."""

    __tablename__ = "round_instruments"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(32))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)


class RoundUnit(Base):
    """A unit taking part in a round (it gets a link, a poster, codes)."""

    __tablename__ = "round_units"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)


class UnitLink(Base):
    """A public link for one unit in one round: ``token`` has 128 bits from :mod:`secrets`."""

    __tablename__ = "unit_links"
    __table_args__ = (Index("ix_unit_links_round_unit", "round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_on: Mapped[dt.date] = mapped_column(Date)


class OneTimeCode(Base):
    """A one-time code that has not been used: only its SHA-256 is stored (the code itself is
    shown once). A used code has no row; a revoked one keeps its row, marked."""

    __tablename__ = "one_time_codes"
    __table_args__ = (Index("ix_one_time_codes_round_unit", "round_id", "unit_id"), {"sqlite_with_rowid": False})

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_on: Mapped[dt.date] = mapped_column(Date)


class CodeBatch(Base):
    """Codes made at once for a unit of a round: how many and on which day (for the counts of
    codes made and used; nothing here names a code)."""

    __tablename__ = "code_batches"
    __table_args__ = (Index("ix_code_batches_round_unit", "round_id", "unit_id"), CheckConstraint("count >= 1", name="count_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    count: Mapped[int] = mapped_column(Integer)
    created_on: Mapped[dt.date] = mapped_column(Date)


class Response(Base):
    """One response: unit, round, date (no time of day), language, instrument versions, answers.

    ``id``: 32 random hex digits; ``idempotency_key``: the SHA-256 of the key the form or the
    import gave (``web:KEY`` or ``import:ROUND:ID``).
    """

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_round_unit", "round_id", "unit_id"),
        CheckConstraint("source IN ('web', 'import', 'demo')", name="source"),
        {"sqlite_with_rowid": False},
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    submitted_on: Mapped[dt.date] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(8))
    instrument_versions: Mapped[str] = mapped_column(String(200))
    partner: Mapped[str | None] = mapped_column(String(64), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    answers: Mapped[list[Any]] = mapped_column(JSON)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(8))


class AnswerVersion(Base):
    """Per round and unit: ``version`` counts every response written, changed or deleted there
    (database triggers on ``responses``, migration 0008, so no write path can forget it, and an
    answer stays one statement); ``aggregated`` is the count the unit's stored aggregates
    (:class:`AggregateGroup`) were computed at. They differ: the aggregates are stale
    (:mod:`scoring.store.aggregates`). A round's answer-set version is the sum of its counters."""

    __tablename__ = "answer_versions"
    __table_args__ = {"sqlite_with_rowid": False}

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    aggregated: Mapped[int | None] = mapped_column(BigInteger)


class AggregateGroup(Base):
    """A round's answers summed per group of respondents that the publication works on: a unit,
    the partner service named (``""``: none) and the scales its respondents have a score on
    (``scales``: "1" or "0" per scale of the round, in form order). ``n`` respondents;
    ``sums``/``squares``: per scale the sum and sum of squares of their scores; ``counts``: per
    item of the round, in form order, how many gave each answer (valid codes, then "vet ikke"),
    one flat list (:mod:`scoring.privacy.groups`). No row is a respondent's."""

    __tablename__ = "aggregate_groups"
    __table_args__ = {"sqlite_with_rowid": False}

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    scales: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    sums: Mapped[list[Any]] = mapped_column(JSON)
    squares: Mapped[list[Any]] = mapped_column(JSON)
    counts: Mapped[list[Any]] = mapped_column(JSON)


class StoredDecision(Base):
    """A round's publication decided for the whole organisation
    (:class:`scoring.privacy.publication.RoundDecision`), kept so that a restarted or new app
    server reads it instead of deciding again (:mod:`scoring.store.decisions`). Valid while the
    round's answer-set version, ``min_n``, state, questionnaire and unit tree are those it was
    decided on; ``cells`` (Arrow IPC) and ``model`` (NumPy ``.npz``, no pickles) hold it."""

    __tablename__ = "round_decisions"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    answers_version: Mapped[int] = mapped_column(BigInteger)
    min_n: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(8))
    form_hash: Mapped[str] = mapped_column(String(64))
    tree_hash: Mapped[str] = mapped_column(String(64))
    layout: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    cells: Mapped[bytes] = mapped_column(LargeBinary)
    model: Mapped[bytes] = mapped_column(LargeBinary)


class StoredCut(Base):
    """A viewer's cut of a round's stored decision (:mod:`scoring.store.cuts`): the cells a scope
    (``scope``: SHA-256 of its units) may see, as Arrow IPC, valid while ``decision_key`` is the
    hash of the key the round's current decision was decided on."""

    __tablename__ = "viewer_cuts"

    round_id: Mapped[int] = mapped_column(ForeignKey("round_decisions.round_id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    decision_key: Mapped[str] = mapped_column(String(64))
    cut_on: Mapped[dt.date] = mapped_column(Date)
    cells: Mapped[bytes] = mapped_column(LargeBinary)


class StoredResult(Base):
    """A slow analysis's result as JSON (:mod:`scoring.store.results`), under the SHA-256 of what
    it was computed from; a new answer makes a new key, so a stored result is never stale."""

    __tablename__ = "stored_results"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    stored_on: Mapped[dt.date] = mapped_column(Date)
    payload: Mapped[str] = mapped_column(Text)


class FeedbackContact(Base):
    """One client-feedback contact (ORS/SRS-like). Not anonymous: ``client`` is pseudonymous."""

    __tablename__ = "feedback_contacts"
    __table_args__ = (
        UniqueConstraint("unit_id", "client", "contact"),
        CheckConstraint("contact >= 1", name="contact_positive"),
        Index("ix_feedback_contacts_clinician", "clinician"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    client: Mapped[str] = mapped_column(String(64))
    clinician: Mapped[str] = mapped_column(String(64))
    contact: Mapped[int] = mapped_column(Integer)
    contact_on: Mapped[dt.date] = mapped_column(Date)
    instrument_versions: Mapped[str] = mapped_column(String(200))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)


class ContactCorrection(Base):
    """A client-feedback contact corrected or deleted after it was registered by mistake.

    Kept: which contact (unit, client, contact number), what was done (``corrected`` or
    ``deleted``), the reason (checked for national identity numbers like every client text),
    the day (no time of day) and the user name of the account that did it, as the rest of the
    client records keep the clinician. The answers of a deleted contact are not kept: the row
    is gone, so no figure counts it (:mod:`scoring.store.contact_corrections`).
    """

    __tablename__ = "feedback_contact_corrections"
    __table_args__ = (
        CheckConstraint("action IN ('corrected', 'deleted')", name="action"),
        Index("ix_feedback_contact_corrections_unit_id_client", "unit_id", "client"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    client: Mapped[str] = mapped_column(String(64))
    contact: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(500))
    corrected_on: Mapped[dt.date] = mapped_column(Date)
    corrected_by: Mapped[str] = mapped_column(String(64))


class FeedbackClient(Base):
    """A client registered by a clinician: the pseudonymous id is unique within its unit.

    A clinician sees the clients registered with them (:mod:`scoring.store.caseload`).
    Contacts imported from a table need no registration.
    """

    __tablename__ = "feedback_clients"
    __table_args__ = (UniqueConstraint("unit_id", "client"), Index("ix_feedback_clients_clinician", "clinician"))

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    client: Mapped[str] = mapped_column(String(64))
    clinician: Mapped[str] = mapped_column(String(64))
    registered_on: Mapped[dt.date] = mapped_column(Date)


class Headcount(Base):
    """Staff invited per unit and round (a person in two units counts in both)."""

    __tablename__ = "headcounts"
    __table_args__ = (CheckConstraint("invited >= 0", name="invited_nonnegative"),)

    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    invited: Mapped[int] = mapped_column(Integer)


class User(Base):
    """A local account (argon2id password hash). ``clinician`` is the id used in feedback data.

    ``oidc_issuer`` + ``oidc_subject`` tie the account to one OpenID Connect identity (the
    provider's ``iss`` and ``sub`` claims, which never change), set by an administrator, on
    the first login with a verified e-mail address (:mod:`scoring.store.logins`), or when an
    administrator approves an access request (:class:`AccessRequest`).

    ``session_generation`` is part of every signed session cookie (:mod:`scoring.store.sessions`);
    logging out adds one to it, which ends every session of the account at once. A deactivated
    account keeps its row (and so its history); it cannot log in.
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'coordinator', 'manager', 'researcher', 'clinician')", name="role"),
        Index("ix_users_oidc_identity", "oidc_issuer", "oidc_subject", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None: signs in with OpenID Connect only
    role: Mapped[str] = mapped_column(String(12))
    clinician: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class UserUnit(Base):
    """A unit assigned to an account (a manager sees it and its descendants)."""

    __tablename__ = "user_units"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), primary_key=True)


class LoginAttempt(Base):
    """A failed login, kept for :data:`~scoring.store.logins.FORGET_AFTER` only, to throttle.

    ``key`` is a SHA-256 of ``account:<username>`` or ``client:<address or session>``: neither
    the name typed nor the address is stored (:mod:`scoring.store.logins`).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_failed_at", "key", "failed_at"), Index("ix_login_attempts_failed_at", "failed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AccessRequest(Base):
    """An OpenID Connect identity that logged in without an account, waiting for an administrator.

    Approving creates the account tied to ``issuer`` + ``subject`` and deletes the request;
    rejecting keeps it as ``rejected``, so the person is told and the request is not shown again.
    Only the day is kept (no time of day).
    """

    __tablename__ = "access_requests"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        CheckConstraint("state IN ('pending', 'rejected')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    name: Mapped[str | None] = mapped_column(String(200))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="pending")


class Setting(Base):
    """Installation settings kept in the database, shared by every app server: ``demo`` (``1``
    in the demo database only) and ``session_secret`` (the key that signs session cookies when
    ``SAMKLIMA_SECRET`` is not set)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))


ACTION_STATUSES = ("planned", "started", "done", "dropped")


class ActionPlan(Base):
    """An action a unit agreed on after a round (``docs/action-plans.md``).

    Linked to the unit, the round whose results led to it and the scale (optionally one item)
    it aims at, so that the next round's published value of that scale can be shown beside it.
    ``owner`` is a role ("enhetsleder", "verneombud"), never a person's name; dates only.
    """

    __tablename__ = "action_plans"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'started', 'done', 'dropped')", name="status"),
        Index("ix_action_plans_round_id_unit_id", "round_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    scale: Mapped[str] = mapped_column(String(64))
    item: Mapped[str | None] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(100))
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    note: Mapped[str | None] = mapped_column(String(1000))
    updated_on: Mapped[dt.date] = mapped_column(Date)
