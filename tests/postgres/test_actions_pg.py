"""Every action-plan test of tests/store/test_actions.py (store, CLI, migration 0006) again on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.store.test_actions import *  # noqa: F401,F403 - the same tests, collected again here
from tests.store.test_actions import engine, template  # noqa: F401 - fixtures the tests use


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url
