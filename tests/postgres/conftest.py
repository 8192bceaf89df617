"""A PostgreSQL server for the whole session, started by the tests themselves.

Skipped with a clear reason when Debian's ``postgresql`` binaries are not installed; with
``CI=true`` the root conftest turns that skip into a failure.
"""

from __future__ import annotations

import itertools

import pytest

from tests.postgres.server import find_binaries, start_postgres

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    if find_binaries() is None:
        pytest.skip("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql")
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_database_url(pg_server):
    """A database for tests that only need one (created once per session)."""
    return pg_server.create_database("samklima_session")


@pytest.fixture(scope="session")
def pg_template(pg_server):
    """A database migrated to the newest schema once, copied for each test (faster than migrating)."""
    from scoring.store.db import make_engine, migrate

    engine = make_engine(pg_server.create_database("samklima_template"))
    migrate(engine)
    engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template without connections
    return "samklima_template"


@pytest.fixture
def fresh_pg_url(pg_server, pg_template):
    """A new database with the current schema and no data, for each test."""
    return pg_server.create_database(f"samklima_test_{next(_names)}", template=pg_template)
