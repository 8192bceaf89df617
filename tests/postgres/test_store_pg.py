"""Every store test of tests/test_store.py again, against a real PostgreSQL server.

The tests are imported unchanged; only ``db_url`` is replaced by a fresh PostgreSQL database
per test (the server is started by tests/postgres/conftest.py).
"""

from __future__ import annotations

import pytest

from tests.test_store import *  # noqa: F401,F403 - the same tests, collected again here
from tests.test_store import count, org  # noqa: F401 - helpers and fixtures the tests use


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url


def test_the_server_is_postgresql(engine):
    assert engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        version = conn.exec_driver_sql("SHOW server_version").scalar_one()
    assert int(version.split(".")[0]) >= 13
