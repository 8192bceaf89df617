"""The account tests of tests/store/test_accounts.py again, against a real PostgreSQL server: the
users table's role check is changed in place there (migration 0005), not rebuilt."""

from __future__ import annotations

import pytest

from tests.store.test_accounts import *  # noqa: F401,F403 - the same tests, collected again here


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url


@pytest.fixture
def empty_url(pg_server, request):
    return pg_server.create_database("samklima_0004_" + str(abs(hash(request.node.name)) % 10**8))
