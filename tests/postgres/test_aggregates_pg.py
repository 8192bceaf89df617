"""Stored aggregates and decisions on PostgreSQL: the counters are kept by statement triggers over
transition tables there (tests/store/test_aggregates.py, collected again with a PostgreSQL
``db_url``)."""

from __future__ import annotations

import pytest

from tests.store.test_aggregates import (  # noqa: F401 - the same tests, collected again here
    survey,
    test_a_refresh_never_overwrites_newer_groups_written_by_another_reader,
    test_a_round_is_decided_once_from_the_aggregates_and_read_again_until_its_answers_or_settings_change,
    test_a_stored_decision_round_trips_exactly,
    test_every_write_to_responses_counts_on_its_round_and_unit_and_nothing_else_does,
    test_the_stored_groups_are_the_round_summed_and_only_units_whose_answers_changed_are_read_again,
)
from tests.store.test_store import engine  # noqa: F401 - the store's fixtures


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url
