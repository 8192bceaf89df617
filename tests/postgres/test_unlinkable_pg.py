"""The database administrator on PostgreSQL: system columns (``xmin``, ``xmax``, ``ctid``) of every
row of every table and a ``pg_dump --data-only``, with the printed code list (:mod:`tests.store.dba`).

The tests of tests/store/test_store_unlinkable.py that hold on both databases run here again.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.engine import make_url

from scoring.store.tokens import code_hash
from tests.store.dba import attack_postgres, pg_dump_tables, pg_rows
from tests.store.test_store import engine, org  # noqa: F401 - the store's fixtures
from tests.store.test_store_unlinkable import (  # noqa: F401 - the same tests, collected again here
    USE_ORDER,
    answer_with_codes,
    test_an_answer_given_with_a_code_is_stored_like_one_given_with_a_link,
    test_migration_0004_gives_old_responses_random_ids_and_deletes_used_codes,
    test_no_column_holds_a_time_finer_than_the_day,
    test_response_ids_are_random_and_not_in_submission_order,
    test_responses_and_exports_are_sorted_by_unit_and_random_id,
)


@pytest.fixture
def db_url(fresh_pg_url):
    return fresh_pg_url


_empty = itertools.count(1)


@pytest.fixture
def empty_db_url(pg_server):
    return pg_server.create_database(f"samklima_empty_{next(_empty)}")


def test_system_columns_and_a_dump_do_not_link_a_used_code_to_its_answer(org, engine, db_url, pg_server):
    codes = answer_with_codes(engine, org)
    dump = pg_dump_tables(pg_server.bin_dir, pg_server.port, make_url(db_url).database)
    with engine.connect() as conn:
        attack = attack_postgres(conn, dump, codes, USE_ORDER)
        rows = pg_rows(conn)
    assert attack.seen == set(), f"rows name used codes; best guess: {attack.best} of 6 by {attack.how}"
    assert attack.best <= 1
    for i in USE_ORDER:
        assert code_hash(codes[i]) not in dump["__text__"][0]
    answered = {r["xmin"] for r in rows["responses"]}
    for row in rows["one_time_codes"]:  # the unused codes: written by make_codes, touched by nothing since
        assert row["xmax"] == 0 and row["xmin"] not in answered
