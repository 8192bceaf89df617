"""Every bad-input test of tests/store/test_store_bad_input.py again, against PostgreSQL, which refuses
over-long text, NUL characters and integers beyond 32 bits with driver errors of its own."""

from __future__ import annotations

import pytest

from tests.store.test_store_bad_input import *  # noqa: F401,F403 - the same tests, collected again here
from tests.store.test_store_bad_input import cli, engine, org  # noqa: F401 - fixtures the tests use


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url


def test_the_server_is_postgresql(engine):
    assert engine.dialect.name == "postgresql"
