"""Whoever holds the database cannot tell which used one-time code belongs to which answer.

The attacker is the database administrator of ``design/privacy.md`` (threat 3) with the SQLite
file and the printed code list (:mod:`tests.dba`). Six codes are answered in an order unlike the
printed one, each with different answers, so every guess can be scored; chance pairs one of six.
The tests after the SQLite ones hold on both databases: tests/postgres/test_unlinkable_pg.py runs
them again on PostgreSQL, with the system-column and ``pg_dump`` attacker of its own.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import Date, DateTime, Interval, Time, select, text
from sqlalchemy.engine import make_url

from scoring.cli import main
from scoring.store import api
from scoring.store.db import get_engine
from scoring.store.models import Base, Response
from scoring.store.tokens import code_hash
from tests.dba import attack_sqlite, code_answers
from tests.test_store import TODAY, db_url, engine, org  # noqa: F401 - the store's fixtures

USE_ORDER = [3, 0, 5, 1, 4, 2]  # the k-th answer uses the printed code USE_ORDER[k]


def answer_with_codes(engine, org) -> list[str]:
    """Make six codes for one unit and answer with them in USE_ORDER; returns the printed list."""
    codes = api.make_codes(engine, "2026-1", org.unit, len(USE_ORDER))
    for k, i in enumerate(USE_ORDER):
        api.submit_response(engine, code=codes[i], answers=code_answers(i), language="nb", idempotency_key=f"dba-{k}", today=TODAY)
    return codes


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


# --- SQLite: the file -------------------------------------------------------------------------

def test_the_sqlite_file_does_not_link_a_used_code_to_its_answer(org, engine, db_url):
    codes = answer_with_codes(engine, org)
    engine.dispose()  # the last connection writes the WAL back into the file
    attack = attack_sqlite(sqlite_path(db_url), codes, USE_ORDER)
    assert attack.seen == set(), f"the file names used codes; best guess: {attack.best} of 6 by {attack.how}"
    assert attack.best <= 1


def test_a_used_code_leaves_no_trace_in_the_file_or_its_wal_while_the_app_runs(org, engine, db_url):
    codes = answer_with_codes(engine, org)
    path = sqlite_path(db_url)
    wal = path.with_name(path.name + "-wal")
    data = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    for i in USE_ORDER:
        assert code_hash(codes[i]).encode() not in data, f"code {i} is still in the file"
    unused = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    engine.dispose()
    assert code_hash(unused).encode() in path.read_bytes()  # the search finds a code that is there


# --- both databases ---------------------------------------------------------------------------

def test_response_ids_are_random_and_not_in_submission_order(org, engine):
    tokens = [link.token for link in org.links.values()]
    ids = [
        api.submit_response(engine, token=tokens[n % 3], answers={"sk_info1": 3}, language="nb", idempotency_key=f"order-{n}", today=TODAY).response_id
        for n in range(20)
    ]
    assert all(isinstance(i, str) and re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)  # 128 bits, as hex
    assert len(set(ids)) == 20
    assert ids != sorted(ids) and ids != sorted(ids, reverse=True)  # 2 in 20! by chance
    with engine.connect() as conn:
        stored = conn.execute(select(Response.id)).scalars().all()
    assert sorted(stored) == sorted(ids)


def test_an_answer_given_with_a_code_is_stored_like_one_given_with_a_link(org, engine):
    """Otherwise, in a unit where one code was used, the one response marked 'code' is its answer."""
    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="with-code", today=TODAY)
    api.submit_response(engine, token=org.token, answers={"sk_info1": 2}, language="nb", idempotency_key="with-link", today=TODAY)
    columns = [c for c in Response.__table__.columns if c.name not in ("id", "idempotency_key")]
    with engine.connect() as conn:
        rows = conn.execute(select(*columns)).all()
    assert len(rows) == 2 and rows[0] == rows[1]


def test_responses_and_exports_are_sorted_by_unit_and_random_id(org, engine, db_url, monkeypatch, tmp_path, capsys):
    """Units in the order of the unit table (units.csv), then the random id within each unit."""
    units = list(org.links)[:3]
    for n in range(15):  # units interleaved, as answers arrive
        unit = units[n % 3]
        api.submit_response(engine, token=org.links[unit].token, answers={"sk_info1": n % 5 + 1}, language="nb", idempotency_key=f"s-{n}", today=TODAY)
    rank = {u: i for i, u in enumerate(api.read_units(engine)["unit"])}

    def assert_sorted(frame, how, unit_rank=rank.get):
        keys = [(unit_rank(u), str(r)) for u, r in zip(frame["unit"], frame["response"])]
        assert len(keys) == 15 and keys == sorted(keys), how

    assert_sorted(api.read_responses(engine, "2026-1"), "read_responses")
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", db_url)
    get_engine.cache_clear()
    try:
        assert main(["responses", "--round", "2026-1"]) == 0
        assert_sorted(pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str), "samklima responses")
        out = tmp_path / "export.csv"
        assert main(["export", "--round", "2026-1", "--format", "csv", "--out", str(out)]) == 0
        assert_sorted(pd.read_csv(out, dtype=str), "samklima export --format csv")
        out = tmp_path / "export.sav"
        assert main(["export", "--round", "2026-1", "--format", "sav", "--out", str(out)]) == 0
        assert_sorted(pyreadstat.read_sav(str(out))[0], "samklima export --format sav", unit_rank=lambda code: code)
    finally:
        get_engine.cache_clear()


def test_no_column_holds_a_time_finer_than_the_day(org, engine):
    """Dates only: a time of day (or a time stamp) would order the answers of one day."""
    timed = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns if isinstance(c.type, (DateTime, Time, Interval))]
    assert timed == []
    assert [c.name for c in Response.__table__.columns if isinstance(c.type, Date)] == ["submitted_on"]
    code = api.make_codes(engine, "2026-1", org.unit, 2)[0]
    api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="t-1", today=TODAY)
    api.submit_response(engine, token=org.token, answers={"sk_info1": 4}, language="nb", idempotency_key="t-2", today=TODAY)
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table)).all():
                assert not re.search(r"\d\d:\d\d", " ".join(map(str, row))), (table.name, row)
        if engine.dialect.name == "postgresql":
            assert conn.execute(text("SHOW track_commit_timestamp")).scalar_one() == "off"
