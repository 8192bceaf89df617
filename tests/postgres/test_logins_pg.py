"""The login tests of tests/store/test_logins.py again, against a real PostgreSQL server: the failures
that several app servers share live there in production."""

from __future__ import annotations

import pytest

from tests.store.test_logins import *  # noqa: F401,F403 - the same tests, collected again here


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url
