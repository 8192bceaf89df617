"""No cold dashboard on PostgreSQL (tests/app/test_no_cold_dashboard.py, collected again with a
PostgreSQL database)."""

from __future__ import annotations

import pytest

from tests.app.test_no_cold_dashboard import (  # noqa: F401 - the same test, collected again here
    test_a_round_prepared_when_it_closes_is_never_cold_for_its_first_viewer,
    test_after_a_restart_compare_trends_and_the_landing_page_read_the_stored_decision,
)


@pytest.fixture
def database_url(fresh_pg_url):
    return fresh_pg_url
