"""Every store test of tests/store/test_store.py again, against a real PostgreSQL server.

The tests are imported unchanged; only ``db_url`` is replaced by a fresh PostgreSQL database
per test (the server is started by tests/postgres/conftest.py).
"""

from __future__ import annotations

import pytest

from tests.store.test_store import *  # noqa: F401,F403 - the same tests, collected again here
from tests.store.test_store import count, org  # noqa: F401 - helpers and fixtures the tests use


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url


def test_the_server_is_postgresql(engine):
    assert engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar_one()
    assert int(version.split(".")[0]) >= 13


def test_migrations_build_the_schema_on_an_empty_postgresql_database(pg_server):
    """The other tests copy a migrated template; this one migrates from nothing."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scoring.store.db import head_revision, make_engine, migrate
    from scoring.store.models import Base

    engine = make_engine(pg_server.create_database("samklima_from_nothing"))
    try:
        assert migrate(engine) == head_revision()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []
    finally:
        engine.dispose()
