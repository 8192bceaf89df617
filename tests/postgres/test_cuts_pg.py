"""Stored viewer cuts on PostgreSQL (tests/store/test_cuts.py, collected again with a PostgreSQL
``db_url``)."""

from __future__ import annotations

import pytest

from tests.store.test_aggregates import survey  # noqa: F401 - the same fixtures
from tests.store.test_cuts import (  # noqa: F401 - the same tests, collected again here
    test_a_cut_of_a_decision_replaced_meanwhile_is_not_stored,
    test_a_manager_s_cut_is_stored_once_and_read_back_equal_to_cutting_the_decision,
    test_a_new_answer_or_setting_makes_the_stored_cut_stale_and_it_is_cut_again,
    test_the_publication_command_reads_the_stored_cut,
)
from tests.store.test_store import engine  # noqa: F401 - the store's fixtures


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url
