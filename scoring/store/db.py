"""Connecting to the database and migrating it.

The URL comes from ``SAMKLIMA_DATABASE_URL`` (e.g. ``postgresql+psycopg://user@host/samklima``);
without it, an SQLite file ``<data dir>/samklima.db``, where the data dir is
``SAMKLIMA_DATA_DIR`` or ``./data``. Nothing else holds state: several app servers can share
one PostgreSQL database.

SQLite connections use WAL (readers never block the writer), ``foreign_keys=ON``,
``synchronous=FULL`` (a committed answer survives a power cut, not only a crash), a 30 s
``busy_timeout`` and ``secure_delete=ON``: a deleted row (a spent one-time code) is overwritten
with zeros, not left in a free part of its page or on the free list, where a copy of the file
would still show it. :func:`clear_wal` empties the write-ahead log after a code is spent, so the
log does not keep the transaction that wrote the answer and removed the code. SQLAlchemy emits ``BEGIN`` itself (pysqlite's own transaction handling is
switched off), and :func:`writing` makes a write transaction start with ``BEGIN IMMEDIATE``: it
takes the write lock at once, so concurrent writers queue on the busy timeout instead of
failing when a read transaction tries to upgrade to a write.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from scoring.errors import UserError

BUSY_TIMEOUT_MS = 30_000
CLEAR_WAL_WAIT_MS = 2_000
_WRITE = "samklima_write"


def data_dir() -> Path:
    """``SAMKLIMA_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get("SAMKLIMA_DATA_DIR") or "data")


def database_url() -> str:
    """``SAMKLIMA_DATABASE_URL``, else the SQLite file in the data dir."""
    url = os.environ.get("SAMKLIMA_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{(data_dir() / 'samklima.db').resolve()}"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default :func:`database_url`); creates the SQLite folder."""
    url = url or database_url()
    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - sqlalchemy raises ArgumentError for bad URLs
        raise UserError.single(f"not a database URL: {url!r}", path="SAMKLIMA_DATABASE_URL") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, json_serializer=_dumps, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, json_serializer=_dumps, pool_pre_ping=True)
    raise UserError.single(
        f"unsupported database '{parsed.get_backend_name()}' (use sqlite:/// or postgresql+psycopg://)",
        path="SAMKLIMA_DATABASE_URL",
    )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN (see _on_begin)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` (default :func:`database_url`), one per URL and process.

    The default URL is resolved on every call, so a changed ``SAMKLIMA_DATABASE_URL`` or
    ``SAMKLIMA_DATA_DIR`` reaches the right database instead of the first one ever opened.
    """
    return _engine_for(url or database_url())


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    return make_engine(url)


get_engine.cache_clear = _engine_for.cache_clear  # type: ignore[attr-defined]  # tests reset the pool


def writing(engine: Engine) -> Engine:
    """``engine`` for a write transaction (``BEGIN IMMEDIATE`` on SQLite; no change elsewhere)."""
    return engine.execution_options(**{_WRITE: True})


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a write transaction, committed on success and rolled back on error."""
    with writing(engine).begin() as conn:
        yield conn


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def clear_wal(engine: Engine) -> bool:
    """SQLite: copy the write-ahead log into the database file and truncate it to nothing.

    The log holds each committed transaction's pages side by side, so until it is emptied it
    shows which code row went away in the transaction that added which answer. Returns False if
    a reader still needs the log (it is then emptied by a later call or the next checkpoint);
    does nothing on other databases.
    """
    if not is_sqlite(engine):
        return True
    raw = engine.raw_connection()
    try:
        sqlite = raw.driver_connection  # in autocommit (see _configure_sqlite): outside any transaction
        # Wait briefly for the writer lock and for readers of older snapshots, not the full busy timeout.
        sqlite.execute(f"PRAGMA busy_timeout = {CLEAR_WAL_WAIT_MS}")
        try:
            busy, _, _ = sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError:  # locked: the answer is stored all the same; a later call empties the log
            busy = 1
        finally:
            sqlite.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    finally:
        raw.close()
    return busy == 0


def migrate(url: str | Engine | None = None, revision: str = "head") -> str:
    """Create or upgrade the schema to ``revision`` (the newest by default); return the revision id.

    Safe to call from several processes at once: on PostgreSQL an advisory lock serialises
    them, on SQLite the migration runs inside one ``BEGIN IMMEDIATE`` transaction (SQLite DDL is
    transactional), so the second process finds the schema current and does nothing.
    """
    from alembic import command
    from alembic.config import Config

    engine = url if isinstance(url, Engine) else get_engine(url)
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with writing(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(7461287)"))
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return current_revision(engine)


_MIGRATED: set[str] = set()


def migrate_if_behind(engine: Engine) -> None:
    """Migrate ``engine``'s schema only when its stored revision is not the head: comparing
    revisions is cheap, running Alembic's environment to find the schema current is not (0.3 s)."""
    if current_revision(engine) != head_revision():
        migrate(engine)


def ready_engine(url: str | None = None) -> Engine:
    """The engine for ``url`` with its schema created or upgraded (checked once per process)."""
    engine = get_engine(url)
    key = engine.url.render_as_string(hide_password=False)
    if key not in _MIGRATED:
        migrate_if_behind(engine)
        _MIGRATED.add(key)
    return engine


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (``None`` before the first migration)."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@lru_cache(maxsize=None)
def head_revision() -> str:
    """The newest migration shipped with this version of Samklima (read once per process: the
    migration scripts do not change under a running server)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return ScriptDirectory.from_config(config).get_current_head()


def describe(engine: Engine) -> str:
    """The URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)
