"""Whoever holds the database cannot tell which used one-time code belongs to which answer.

The attacker is the database administrator of ``docs/privacy.md`` (threat 3) with the SQLite
file and the printed code list (:mod:`tests.store.dba`). Six codes are answered in an order unlike the
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
from scoring.store.tokens import code_hash, key_hash
from tests.store.dba import attack_sqlite, code_answers
from tests.store.test_store import TODAY, db_url, engine, org  # noqa: F401 - the store's fixtures

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
    """Dates only: a time of day (or a time stamp) would order the answers of one day.

    The one exception is ``login_attempts.failed_at``: failed logins of staff accounts (hashed
    account name or client address), needed for the 15-minute lock and deleted after 30 minutes;
    no respondent, code or answer is in that table, and no foreign key leads to it."""
    timed = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns if isinstance(c.type, (DateTime, Time, Interval))]
    assert timed == ["login_attempts.failed_at"]
    assert not Base.metadata.tables["login_attempts"].foreign_keys
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


# --- migration 0004: existing data ---------------------------------------------------------

OLD = "0003_login_attempts"


@pytest.fixture
def empty_db_url(tmp_path):
    return f"sqlite:///{tmp_path}/old.db"


def _old_database(engine) -> list[str]:
    """A database at the schema before 0004 with a round, four codes (the 2nd and 3rd used) and
    five responses with integer ids (two given with a code); returns the printed codes."""
    import sqlalchemy as sa

    from scoring.instrument.catalog import resolve
    from scoring.store.db import migrate
    from scoring.store.form import RoundForm
    from scoring.store.tokens import new_code

    migrate(engine, revision=OLD)
    form = RoundForm((resolve("medbestemmelse"),))
    codes = [new_code() for _ in range(4)]
    table = lambda name, *cols: sa.table(name, *[sa.column(c, t) for c, t in cols])  # noqa: E731
    day = sa.Date
    with engine.begin() as conn:
        conn.execute(table("organisations", ("id", sa.Integer), ("name", sa.String)).insert(), [{"id": 1, "name": "Kommune"}])
        units = table("units", ("id", sa.String), ("organisation_id", sa.Integer), ("name", sa.String), ("parent_id", sa.String), ("unit_type", sa.String), ("position", sa.Integer))
        conn.execute(units.insert(), [
            {"id": "a", "organisation_id": 1, "name": "A", "parent_id": None, "unit_type": "kommune", "position": 1},
            {"id": "a.t1", "organisation_id": 1, "name": "Team 1", "parent_id": "a", "unit_type": "team", "position": 2},
        ])  # fmt: skip
        rounds = table("rounds", ("id", sa.Integer), ("name", sa.String), ("languages", sa.JSON), ("opens", day), ("closes", day), ("mode", sa.String),
                       ("min_n", sa.Integer), ("state", sa.String), ("items", sa.JSON), ("form_hash", sa.String), ("created_on", day))  # fmt: skip
        conn.execute(rounds.insert(), [dict(id=1, name="2025-1", languages=["nb", "en"], opens=None, closes=None, mode="anonymous", min_n=3,
                                            state="open", items=list(form.items), form_hash=form.form_hash, created_on=TODAY)])  # fmt: skip
        conn.execute(table("round_instruments", ("round_id", sa.Integer), ("instrument_id", sa.String), ("position", sa.Integer), ("version", sa.String), ("definition", sa.JSON)).insert(),
                     [dict(round_id=1, instrument_id="medbestemmelse", position=0, version=form.instruments[0].version, definition=form.definitions()[0])])  # fmt: skip
        conn.execute(table("round_units", ("round_id", sa.Integer), ("unit_id", sa.String)).insert(), [{"round_id": 1, "unit_id": "a.t1"}])
        old_codes = table("one_time_codes", ("id", sa.Integer), ("round_id", sa.Integer), ("unit_id", sa.String), ("code_hash", sa.String), ("revoked", sa.Boolean), ("created_on", day))
        conn.execute(old_codes.insert(), [dict(id=n + 1, round_id=1, unit_id="a.t1", code_hash=code_hash(c), revoked=False, created_on=TODAY) for n, c in enumerate(codes)])
        conn.execute(table("code_uses", ("code_id", sa.Integer)).insert(), [{"code_id": 2}, {"code_id": 3}])
        responses = table("responses", ("id", sa.Integer), ("round_id", sa.Integer), ("unit_id", sa.String), ("submitted_on", day), ("language", sa.String),
                          ("instrument_versions", sa.String), ("partner", sa.String), ("fields", sa.JSON), ("answers", sa.JSON), ("idempotency_key", sa.String), ("source", sa.String))  # fmt: skip
        conn.execute(responses.insert(), [
            dict(id=n + 1, round_id=1, unit_id="a.t1", submitted_on=TODAY, language="nb", instrument_versions=form.versions, partner=None,
                 fields={"role": "leder"} if n == 0 else {}, answers=[n + 1] + [None] * (len(form.items) - 1), idempotency_key=key, source=source)
            for n, (key, source) in enumerate([("web:k1", "code"), ("web:k2", "web"), ("web:k3", "code"), ("import:1:r9", "import"), ("web:k5", "web")])
        ])  # fmt: skip
    return codes


def test_migration_0004_gives_old_responses_random_ids_and_deletes_used_codes(empty_db_url):
    from alembic import command
    from alembic.config import Config

    from scoring.store import db
    from scoring.store.db import head_revision, make_engine, migrate
    from scoring.store.models import OneTimeCode

    engine = make_engine(empty_db_url)
    try:
        codes = _old_database(engine)
        assert migrate(engine) == head_revision()
        with engine.connect() as conn:
            rows = conn.execute(select(Response.id, Response.idempotency_key, Response.source)).all()
            stored_codes = conn.execute(select(OneTimeCode.code_hash)).scalars().all()
        assert len(rows) == 5 and all(re.fullmatch(r"[0-9a-f]{32}", r.id) for r in rows)
        assert {r.idempotency_key for r in rows} == {key_hash(k) for k in ("web:k1", "web:k2", "web:k3", "import:1:r9", "web:k5")}
        assert sorted(r.source for r in rows) == ["import", "web", "web", "web", "web"]
        wide = api.read_responses(engine, "2025-1")
        assert sorted(wide["mb_egen1"]) == [1, 2, 3, 4, 5] and list(wide["role"].fillna("")).count("leder") == 1
        assert sorted(stored_codes) == sorted(code_hash(codes[i]) for i in (0, 3))
        assert api.code_counts(engine, "2025-1").to_dict("records") == [{"unit": "a.t1", "codes": 4, "used": 2, "revoked": 0}]
        with pytest.raises(api.AccessRefused) as err:
            api.resolve_access(engine, code=codes[1], today=TODAY)
        assert err.value.reason == "unknown_code"
        again = api.submit_response(engine, code=codes[0], answers={"mb_egen1": 5}, language="nb", idempotency_key="k2", today=TODAY)
        assert not again.created  # the form that stored "web:k2" before the migration gets its answer back
        assert api.submit_response(engine, code=codes[0], answers={"mb_egen1": 5}, language="nb", idempotency_key="new", today=TODAY).created

        config = Config()
        config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, OLD)
        with engine.connect() as conn:
            ids = conn.execute(text("SELECT id FROM responses ORDER BY id")).scalars().all()
            assert ids == [1, 2, 3, 4, 5, 6] and conn.execute(text("SELECT COUNT(*) FROM one_time_codes")).scalar_one() == 1
        assert migrate(engine) == head_revision()
        assert len(api.read_responses(engine, "2025-1")) == 6
    finally:
        engine.dispose()
    if empty_db_url.startswith("sqlite"):  # deleted rows were overwritten (secure_delete), not left in free space
        data = sqlite_path(empty_db_url).read_bytes()
        assert not any(code_hash(codes[i]).encode() in data for i in (1, 2))
