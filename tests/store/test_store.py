"""The store: schema, submissions, codes, imports and reads, on SQLite (a file in a temp dir).

tests/postgres/test_store_pg.py runs every test here again against a real PostgreSQL server by
overriding the ``db_url`` fixture.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from scoring.errors import UserError
from scoring.samples.demo import load_demo
from scoring.store import api
from scoring.store.access import principal_for
from scoring.store.db import head_revision, make_engine, migrate
from scoring.store.models import Base, FeedbackContact, OneTimeCode, Response, Unit
from scoring.store.tokens import code_hash, key_hash
from tests.store.test_store_workers import (
    TODAY,
    collect,
    expected_answers,
    import_and_hang,
    process_context,
    submit_and_hang,
    submit_and_wait,
    submit_forever,
    submit_jobs,
)

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"
STAFF = ["samhandlingsklima", "medbestemmelse"]


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def org(engine):
    """The sample unit tree, an open round 2026-1 (both staff instruments) and its unit links."""
    api.import_units(engine, SAMPLE / "units.csv")
    info = api.create_round(engine, "2026-1", STAFF, "all", opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    links = {link.unit: link for link in api.make_links(engine, "2026-1")}
    with engine.connect() as conn:
        items = conn.execute(text("SELECT items FROM rounds WHERE name = '2026-1'")).scalar_one()
    items = items if isinstance(items, list) else __import__("json").loads(items)
    return SimpleNamespace(info=info, links=links, items=items, unit=next(iter(links)), token=next(iter(links.values())).token)


def count(engine, table=Response) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


# --- schema -------------------------------------------------------------------------------

def test_migrations_create_the_schema_the_models_describe(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []
    assert migrate(engine) == head_revision()  # a second run changes nothing


def test_min_n_is_never_below_three(org, engine):
    with pytest.raises(UserError, match="below 3"):
        api.create_round(engine, "x", STAFF, "all", min_n=2)
    with engine.connect() as conn, pytest.raises(IntegrityError, match="min_n"):
        conn.execute(text("UPDATE rounds SET min_n = 2"))  # the database refuses it too (CHECK min_n_floor)


# --- submitting -----------------------------------------------------------------------------

def test_a_response_round_trips_with_date_only_and_raw_codes(org, engine):
    answers = {"sk_info1": 4, "sk_info2": "9", "sk_info3": None, "mb_egen1": 5.0}
    done = api.submit_response(
        engine, token=org.token, answers=answers, language="en", fields={"role": "leder", "sk_partner": "nav1"},
        idempotency_key="k-1", today=TODAY,
    )
    assert done.created
    wide = api.read_responses(engine, "2026-1")
    row = wide.iloc[0]
    assert (row["unit"], row["round"], row["language"]) == (org.unit, "2026-1", "en")
    assert row["date"] == pd.Timestamp(TODAY)
    assert row["instrument_version"] == "samhandlingsklima 1.0.0, medbestemmelse 1.0.0"
    assert (row["role"], row["sk_partner"]) == ("leder", "nav1")
    assert (row["sk_info1"], row["sk_info2"], row["mb_egen1"]) == (4.0, 9.0, 5.0)
    assert np.isnan(row["sk_info3"]) and np.isnan(row["sk_info4"])
    with engine.connect() as conn:
        stored = conn.execute(select(Response.submitted_on, Response.partner, Response.source)).one()
    assert stored == (TODAY, "nav1", "web")  # a date, not a time stamp


def test_a_double_submit_stores_one_response(org, engine):
    first = api.submit_response(engine, token=org.token, answers={"sk_info1": 3}, language="nb", idempotency_key="same", today=TODAY)
    again = api.submit_response(engine, token=org.token, answers={"sk_info1": 3}, language="nb", idempotency_key="same", today=TODAY)
    assert first.created and not again.created and again.response_id == first.response_id
    assert count(engine) == 1


def test_answers_off_the_scale_are_refused_and_nothing_is_stored(org, engine):
    with pytest.raises(UserError) as err:
        api.submit_response(engine, token=org.token, answers={"sk_info1": 6, "sk_info2": 2.5, "nope": 1}, language="nb", idempotency_key="bad", today=TODAY)
    message = str(err.value)
    assert "sk_info1: value 6 is not on the response scale (1..5, 9 = Vet ikke" in message
    assert "sk_info2: value 2.5" in message and "not an item of this survey: nope" in message
    with pytest.raises(UserError, match="language 'de' is not offered"):
        api.submit_response(engine, token=org.token, answers={}, language="de", idempotency_key="bad2", today=TODAY)
    assert count(engine) == 0


def test_links_that_do_not_open_say_why_and_name_no_other_unit(org, engine):
    def reason(**kw):
        with pytest.raises(api.AccessRefused) as err:
            api.submit_response(engine, answers={"sk_info1": 1}, language="nb", idempotency_key=f"k{time.time_ns()}", **kw)
        names = set(api.read_units(engine)["name"])
        assert not any(name in str(err.value) for name in names)
        return err.value.reason

    assert reason(token="not-a-token", today=TODAY) == "invalid"
    assert reason(token=org.token, today=dt.date(2026, 2, 1)) == "not_open"
    assert reason(token=org.token, today=dt.date(2026, 3, 29)) == "closed"  # after the closing date
    other = list(org.links)[1]
    api.revoke_link(engine, "2026-1", other)
    assert reason(token=org.links[other].token, today=TODAY) == "invalid"
    api.close_round(engine, "2026-1")
    assert reason(token=org.token, today=TODAY) == "closed"
    assert count(engine) == 0


def test_a_code_opens_once_and_nothing_links_it_to_the_answer(org, engine):
    codes = api.make_codes(engine, "2026-1", org.unit, 3)
    assert len(set(codes)) == 3 and all(len(c.replace("-", "")) == 12 for c in codes)
    access = api.resolve_access(engine, code=codes[0].lower().replace("-", " "), today=TODAY)  # typed loosely
    assert access.unit == org.unit and access.round == "2026-1"
    api.submit_response(engine, code=codes[0], answers={"sk_info1": 2}, language="nb", idempotency_key="c1", today=TODAY)
    with pytest.raises(api.AccessRefused) as err:
        api.submit_response(engine, code=codes[0], answers={"sk_info1": 2}, language="nb", idempotency_key="c2", today=TODAY)
    assert err.value.reason == "unknown_code" and "used already" in str(err.value)
    assert count(engine) == 1 and count(engine, OneTimeCode) == 2  # the used code's row is gone
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT code_hash FROM one_time_codes")).scalars().all()
    assert sorted(hashes) == sorted(code_hash(c) for c in codes[1:])  # only hashes, only of unused codes
    assert not any(c.replace("-", "") in " ".join(hashes) for c in codes)
    assert api.code_counts(engine, "2026-1").to_dict("records") == [{"unit": org.unit, "codes": 3, "used": 1, "revoked": 0}]
    assert api.revoke_codes(engine, "2026-1", org.unit) == 2
    with pytest.raises(api.AccessRefused, match="not valid"):
        api.resolve_access(engine, code=codes[1], today=TODAY)
    assert api.code_counts(engine, "2026-1").to_dict("records") == [{"unit": org.unit, "codes": 3, "used": 1, "revoked": 2}]


def test_a_retry_after_a_lost_reply_gets_the_answer_its_code_stored(org, engine):
    """The code's row is gone after the first commit; the same form's key still finds its answer."""
    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    first = api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="lost", today=TODAY)
    again = api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="lost", today=TODAY)
    assert first.created and not again.created and again.response_id == first.response_id and count(engine) == 1


def test_a_codes_round_refuses_the_unit_link(org, engine):
    api.create_round(engine, "koder", ["medbestemmelse"], [org.unit], mode="codes")
    link = api.make_links(engine, "koder")[0]
    with pytest.raises(api.AccessRefused) as err:
        api.resolve_access(engine, token=link.token)
    assert err.value.reason == "needs_code"
    code = api.make_codes(engine, "koder", org.unit, 1)[0]
    assert api.submit_response(engine, code=code, answers={"mb_egen1": 4}, language="nb", idempotency_key="kk").created


def test_instruments_are_frozen_once_a_round_has_answers(org, engine):
    api.refresh_instruments(engine, "2026-1")  # allowed before any answer
    api.submit_response(engine, token=org.token, answers={"sk_info1": 1}, language="nb", idempotency_key="f", today=TODAY)
    with pytest.raises(UserError, match="frozen"):
        api.refresh_instruments(engine, "2026-1")


def _driver_statements(engine, seen: list):
    """Record ``(statement, outside any transaction)`` for every statement the driver runs,
    BEGIN and COMMIT included; a context manager that undoes it."""
    from contextlib import ExitStack

    from sqlalchemy import event

    stack = ExitStack()
    if engine.dialect.name == "sqlite":
        def traced(dbapi_conn, *_args):
            dbapi_conn.set_trace_callback(lambda sql: seen.append((sql, not dbapi_conn.in_transaction)))
        event.listen(engine, "checkout", traced)
        stack.callback(event.remove, engine, "checkout", traced)
    else:  # psycopg: BEGIN and COMMIT are the driver's own, so a statement in autocommit has none
        import psycopg

        patch = stack.enter_context(pytest.MonkeyPatch.context())
        original = psycopg.Cursor.execute

        def recording(self, query, *args, **kwargs):  # Connection.execute comes here too
            seen.append((str(query), self.connection.autocommit))
            return original(self, query, *args, **kwargs)

        patch.setattr(psycopg.Cursor, "execute", recording)
    return stack


def test_a_known_link_stores_an_answer_in_one_statement_outside_a_transaction(org, engine):
    """Once the page has opened the link, an answer is one INSERT that commits by itself: no
    read, no BEGIN/COMMIT (issue 15; bench/bench_submit.py)."""
    api.resolve_access(engine, token=org.token, today=TODAY)
    seen: list = []
    with _driver_statements(engine, seen):
        done = api.submit_response(
            engine, token=org.token, answers={"sk_info1": 4, "mb_egen1": 9}, fields={"role": "leder", "sk_partner": "nav1"},
            language="en", idempotency_key="one", today=TODAY,
        )  # fmt: skip
    statements = [(sql, alone) for sql, alone in seen if sql.strip() not in (";", "SELECT 1")]  # the pool's ping
    # SQLite's trace reports the programs of the triggers the INSERT fires (the answer counter,
    # migration 0008) with the INSERT's own text: one statement sent, reported once per program.
    statements = [s for i, s in enumerate(statements) if i == 0 or s != statements[i - 1]]
    assert done.created and len(statements) == 1, seen
    statement, alone = statements[0]
    assert "INSERT INTO responses" in statement and alone
    row = api.read_responses(engine, "2026-1").iloc[0]  # stored as the full way stores it
    assert (row["unit"], row["language"], row["role"], row["sk_partner"], row["sk_info1"], row["mb_egen1"]) == (org.unit, "en", "leder", "nav1", 4, 9)
    with engine.connect() as conn:
        assert conn.execute(select(Response.submitted_on, Response.partner, Response.source)).one() == (TODAY, "nav1", "web")


def test_a_known_link_stores_nothing_once_its_round_link_or_questionnaire_changed(org, engine):
    """The process remembers a link's questionnaire, never whether it may still be answered."""
    def submit(key, answers=None, **kw):
        kw.setdefault("today", TODAY)
        return api.submit_response(engine, token=org.token, answers=answers or {"sk_info1": 2}, language="nb", idempotency_key=key, **kw)

    def refused(key, **kw):
        with pytest.raises(api.AccessRefused) as err:
            submit(key, **kw)
        return err.value.reason

    assert submit("a").created  # the link is known from here on
    api.close_round(engine, "2026-1")
    assert refused("b") == "closed" and refused("c", answers={"sk_info1": 7}) == "closed"  # the link's refusal comes first
    api.reopen_round(engine, "2026-1")
    assert refused("d", today=dt.date(2026, 3, 29)) == "closed" and refused("e", today=dt.date(2026, 2, 1)) == "not_open"
    with pytest.raises(UserError, match="unknown partner service 'nope'"):
        submit("f", fields={"sk_partner": "nope"})
    with engine.begin() as conn:  # a new questionnaire under a new hash: the answers are checked against it
        conn.execute(text("UPDATE rounds SET form_hash = :h WHERE name = '2026-1'"), {"h": "f" * 64})
    assert submit("g").created and submit("a").response_id == submit("a").response_id
    api.revoke_link(engine, "2026-1", org.unit)
    assert refused("h") == "invalid"
    assert count(engine) == 2


# --- client feedback --------------------------------------------------------------------------

def with_check_digits(nine: str) -> str:
    """Append the two mod-11 check digits (weights 3 7 6 1 8 9 4 5 2, then 5 4 3 2 7 6 5 4 3 2)."""
    digits = [int(c) for c in nine]
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)):
        check = (11 - sum(d * w for d, w in zip(digits, weights)) % 11) % 11
        assert check != 10, "no valid number with these nine digits"
        digits.append(check)
    return "".join(map(str, digits))


def test_client_ids_that_are_national_identity_numbers_are_refused(org, engine, tmp_path):
    fnr = with_check_digits("150765005")  # born 15.07.1965
    dnr = with_check_digits("550765005")  # D-number: first digit + 4
    assert fnr == "15076500565"
    assert api.looks_like_national_id(fnr) and api.looks_like_national_id(dnr) and api.looks_like_national_id("150765 00565")
    assert not api.looks_like_national_id("15076500566") and not api.looks_like_national_id("c0001")
    with pytest.raises(UserError, match="fødselsnummer"):
        api.add_feedback_contact(engine, client=fnr, clinician="kl01", unit=org.unit, contact=1, date=TODAY, answers={"fu_velvaere": 5.5})
    api.add_feedback_contact(engine, client="15076500566", clinician="kl01", unit=org.unit, contact=1, date=TODAY, answers={"fu_velvaere": 5.5})
    table = pd.read_csv(SAMPLE / "feedback.csv", dtype={"client": str}).head(5)
    table.loc[3, "client"] = dnr
    table.to_csv(tmp_path / "feedback.csv", index=False)
    with pytest.raises(UserError) as err:
        api.import_feedback(engine, tmp_path / "feedback.csv")
    assert "row 4: client: the client id looks like a Norwegian national identity number" in str(err.value)
    assert count(engine, FeedbackContact) == 1


def test_a_national_identity_number_that_lost_its_leading_zero_is_refused(org, engine, tmp_path):
    """05056500504 (born 05.05.1965) read as a number by a spreadsheet or CSV reader is 5056500504."""
    fnr = with_check_digits("050565005")
    assert fnr == "05056500504" and api.looks_like_national_id(5056500504) and api.looks_like_national_id(5056500504.0)
    assert not api.looks_like_national_id("5056500504")  # typed as text, ten digits are not a national id
    with pytest.raises(UserError, match="fødselsnummer"):
        api.add_feedback_contact(engine, client=5056500504, clinician="kl01", unit=org.unit, contact=1, date=TODAY, answers={})
    table = pd.read_csv(SAMPLE / "feedback.csv", dtype={"client": str}).head(3)
    table["client"] = ["1001", fnr, "1003"]  # a column of digits, which a CSV reader takes for numbers
    table.to_csv(tmp_path / "feedback.csv", index=False)  # the zero is in the file
    numeric = table.assign(client=pd.to_numeric(table["client"], errors="coerce").astype(object).where(table.index == 1, table["client"]))
    numeric.to_excel(tmp_path / "feedback.xlsx", index=False)  # the zero is gone: an Excel number
    for path in (tmp_path / "feedback.csv", tmp_path / "feedback.xlsx"):
        with pytest.raises(UserError) as err:
            api.import_feedback(engine, path)
        assert "row 2: client: the client id looks like a Norwegian national identity number" in str(err.value)
    assert count(engine, FeedbackContact) == 0


# --- units ------------------------------------------------------------------------------------

def test_units_import_reports_rows_and_stores_nothing_when_wrong(engine, tmp_path):
    bad = tmp_path / "units.csv"
    bad.write_text(
        "unit,name,parent,unit_type\n"
        "k,Kommune,,kommune\n"
        "a,Område A,k,tjenesteomrade\n"
        "a,Område A igjen,k,tjenesteomrade\n"
        "t1,Team 1,mangler,team\n"
        "x,X,y,team\n"
        "y,Y,x,team\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as err:
        api.import_units(engine, bad)
    message = str(err.value)
    assert f"{bad}: row 3: unit: duplicate unit id 'a' (first on row 2)" in message
    assert f"{bad}: row 4: parent: unknown parent 'mangler'" in message
    assert "row 5: parent: cycle in the unit tree: x -> y -> x" in message
    assert "Nothing was stored" in message
    assert count(engine, Unit) == 0
    assert api.import_units(engine, SAMPLE / "units.csv") == {"added": 25, "updated": 0, "unchanged": 0}
    assert api.import_units(engine, SAMPLE / "units.csv")["unchanged"] == 25


def test_a_manager_scope_is_the_unit_and_everything_below(engine):
    api.import_units(engine, SAMPLE / "units.csv")
    below = api.descendants(api.read_units(engine), ["k1.ho.hj1"])
    assert below == ["k1.ho.hj1", "k1.ho.hj1.t1", "k1.ho.hj1.t2", "k1.ho.hj1.t3"]


def test_a_manager_principal_sees_the_same_units_as_the_tree_walk(engine):
    """``principal_for`` reads only the tree's (unit, parent) pairs (it runs on every page run);
    its scope is the DataFrame walk's, for the demo manager's tjenesteområde."""
    load_demo(engine)
    principal = principal_for(engine, "leder")
    expected = set(api.descendants(api.read_units(engine), ["k1.ho"]))
    assert principal.units == expected and len(expected) > 10 and "k1.ho.hj1.t1" in expected and "k2" not in expected


# --- reading and importing ---------------------------------------------------------------------

def test_the_demo_database_holds_exactly_the_sample_files(engine):
    load_demo(engine)
    again = load_demo(engine)  # idempotent
    assert again["responses"] == {"stored": 0, "skipped": 600} and again["accounts"] == []
    wide = api.read_responses(engine)
    sample = pd.read_csv(SAMPLE / "responses.csv", keep_default_na=False, na_values=[""], dtype={"tenure": str, "position": str})
    assert wide.shape == (600, 6 + 4 + 52)
    assert list(wide.columns[:10]) == ["response", "unit", "round", "language", "instrument_version", "date", "role", "tenure", "position", "sk_partner"]
    def rows(frame):  # the same rows, whatever their order (the store sorts by unit and random id)
        text = frame.astype(str)
        return text.sort_values(list(text.columns)).reset_index(drop=True)

    pd.testing.assert_frame_equal(rows(wide.drop(columns=["response", "instrument_version", "date"])), rows(sample.drop(columns=["response"])))
    feedback = api.read_feedback(engine)
    assert len(feedback) == 410 and list(feedback.columns[:5]) == ["client", "unit", "clinician", "contact", "date"]
    rounds = {r.name: r for r in api.list_rounds(engine)}
    assert [r.state for r in rounds.values()] == ["closed", "closed", "open"]
    assert rounds["2026-1"].responses == 204 and rounds["2026-1"].invited == 285
    accounts = {a.username: a for a in api.list_accounts(engine)}
    assert {u: a.role for u, a in accounts.items()} == {"admin": "admin", "koordinator": "coordinator", "forsker": "researcher", "kliniker": "clinician", "leder": "manager"}
    assert accounts["leder"].units == ("k1.ho",)  # one tjenesteområde, not the whole kommune


def test_bulk_import_is_all_or_nothing_unless_keep_good(org, engine, tmp_path):
    rows = pd.read_csv(SAMPLE / "responses.csv", dtype=str, keep_default_na=False).head(10)
    rows["round"] = "2026-1"
    rows.loc[rows.index[2], "sk_info1"] = "7"
    rows.loc[rows.index[6], "unit"] = "k1"  # a unit outside the round
    rows["Tidsstempel"] = "2026-03-05 14:22"
    path = tmp_path / "answers.csv"
    rows.to_csv(path, index=False)
    with pytest.raises(UserError) as err:
        api.import_responses(engine, "2026-1", path)
    assert f"{path}: row 3: sk_info1: value 7 is not on the response scale" in str(err.value)
    assert "row 7: unit: unit 'k1' is not part of round '2026-1'" in str(err.value)
    assert count(engine) == 0
    result = api.import_responses(engine, "2026-1", path, keep_good=True, today=TODAY)
    assert (result.stored, len(result.bad), list(result.bad["row"])) == (8, 2, [3, 7])
    assert result.ignored_columns == ["Tidsstempel"]  # a time stamp is never stored
    assert api.import_responses(engine, "2026-1", path, keep_good=True).skipped == 8  # repeatable


def test_an_odk_kobotoolbox_export_takes_the_same_all_or_nothing_path(org, engine):
    """tests/fixtures/kobo_export.csv: group-prefixed columns and Kobo metadata; rows 3 and 5 are bad."""
    source = REPO / "tests" / "fixtures" / "kobo_export.csv"
    with pytest.raises(api.ImportRefused) as err:
        api.import_responses(engine, "2026-1", source)
    assert list(err.value.bad["row"]) == [3, 5] and count(engine) == 0
    result = api.import_responses(engine, "2026-1", source, keep_good=True)
    assert (result.layout, result.stored, len(result.bad)) == ("xlsform", 3, 2)
    with engine.connect() as conn:
        keys = conn.execute(select(Response.idempotency_key)).scalars().all()
        round_id = conn.execute(text("SELECT id FROM rounds WHERE name = '2026-1'")).scalar_one()
    assert key_hash(f"import:{round_id}:5b0c7e1a-0a2f-4c3e-9d7b-0f1e2d3c4b0a") in keys  # the submission's _uuid, hashed
    assert api.import_responses(engine, "2026-1", source, keep_good=True).skipped == 3


def test_reading_a_round_with_no_answers_gives_the_columns(org, engine):
    wide = api.read_responses(engine, "2026-1")
    assert len(wide) == 0 and list(wide.columns[:6]) == list(api.read_responses.__globals__["META_COLUMNS"])
    assert wide.columns[-1] == "mb_tillit4"


# --- concurrency and crashes ------------------------------------------------------------------

WRITERS = 20
RESPONSES = 500


def test_twenty_processes_store_exactly_500_responses(org, engine, db_url):
    """480 link answers, 20 code answers with each code also tried by a rival (one of the two
    wins), and 40 repeats of keys another process submits: exactly 500 whole responses."""
    codes = api.make_codes(engine, "2026-1", org.unit, 20)
    tokens = [link.token for link in org.links.values()]
    jobs = [(f"job-{i}", i, tokens[i % len(tokens)], None) for i in range(RESPONSES - 20)]
    code_jobs = [(f"job-{RESPONSES - 20 + j}", RESPONSES - 20 + j, None, code) for j, code in enumerate(codes)]
    rivals = [(f"rival-{RESPONSES - 20 + j}", RESPONSES - 20 + j, None, code) for j, code in enumerate(codes)]
    jobs += code_jobs
    repeats = [jobs[i * 12] for i in range(40)]
    shares = [jobs[w::WRITERS] + rivals[w::WRITERS] for w in range(WRITERS)]
    for n, job in enumerate(repeats):
        shares[(n * 7 + 3) % WRITERS].append(job)  # usually another process than the original
    ctx = process_context()
    results = ctx.Queue()

    procs = [ctx.Process(target=submit_jobs, args=(db_url, org.items, share, results)) for share in shares]
    for p in procs:
        p.start()
    outcomes = collect(procs, results)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert count(engine) == RESPONSES
    with engine.connect() as conn:
        stored = conn.execute(select(Response.idempotency_key)).scalars().all()
    assert len(set(stored)) == RESPONSES
    code_of = {job[0]: job[3] for job in code_jobs + rivals}
    by_code: dict[str, list[str]] = {}
    for key, outcome in outcomes:
        if key in code_of:
            by_code.setdefault(code_of[key], []).append(outcome)
    # The loser finds the code gone ("unknown_code"), or, on PostgreSQL, waits on its row and finds it spent ("used").
    assert len(by_code) == 20 and all(sorted(o)[0] == "created" and sorted(o)[1] in ("unknown_code", "used") for o in by_code.values())
    _assert_whole(engine, org.items, [job[0] for job in jobs + rivals])


def _assert_whole(engine, items, keys):
    """Every stored response has all its answers, exactly as submitted under one of ``keys``
    (``name-index``; stored as the SHA-256 of ``web:KEY``)."""
    wide = api.read_responses(engine, "2026-1")
    plain = {key_hash(f"web:{k}"): k for k in keys}
    with engine.connect() as conn:
        stored = dict(conn.execute(select(Response.id, Response.idempotency_key)).all())
    for row in wide.itertuples(index=False):
        key = plain[stored[row.response]]
        index = int(key.rsplit("-", 1)[1])
        expected = expected_answers(index, items)
        got = {item: getattr(row, item) for item in items if not np.isnan(getattr(row, item))}
        assert got == expected, key


def test_a_process_killed_while_submitting_in_a_loop_leaves_only_whole_responses(org, engine, db_url):
    ctx = process_context()
    ready = ctx.Event()
    child = ctx.Process(target=submit_forever, args=(db_url, org.items, org.token, ready))
    child.start()
    assert ready.wait(60)
    deadline = time.monotonic() + 30
    while count(engine) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL
    stored = count(engine)
    assert stored >= 40
    _assert_whole(engine, org.items, [f"loop-{i}" for i in range(stored)])
    _assert_usable(engine, org)
    assert count(engine) == stored + 1


def _kill_when_ready(ctx, target, args) -> None:
    """Run ``target(*args, ready)`` in a child; SIGKILL it once it says it is inside its write."""
    ready = ctx.Event()
    child = ctx.Process(target=target, args=(*args, ready))
    child.start()
    assert ready.wait(60), "the child never reached its commit"
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL


def _assert_usable(engine, org, key="after"):
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    assert api.submit_response(engine, token=org.token, answers={"sk_info1": 5}, language="nb", idempotency_key=key, today=TODAY).created


def test_a_process_killed_inside_its_write_transaction_stores_nothing_and_spends_no_code(org, engine, db_url):
    """The child has written the response and spent the code, and is killed just before COMMIT."""
    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    _kill_when_ready(process_context(), submit_and_hang, (db_url, org.items, code))
    assert count(engine) == 0 and count(engine, OneTimeCode) == 1
    _assert_usable(engine, org)
    again = api.submit_response(engine, code=code, answers={"sk_info1": 1}, language="nb", idempotency_key="hang", today=TODAY)
    assert again.created  # the key was never stored and the code never spent, so both still work
    assert count(engine) == 2 and count(engine, OneTimeCode) == 0


def test_a_bulk_import_killed_inside_its_transaction_stores_nothing(org, engine, db_url, tmp_path):
    n = 2000
    rng = np.random.default_rng(3)
    table = pd.DataFrame(rng.choice([1, 2, 3, 4, 5, 9], size=(n, len(org.items))), columns=org.items)
    table.insert(0, "unit", org.unit)
    table.insert(0, "response", [f"b{i}" for i in range(n)])
    path = tmp_path / "big.csv"
    table.to_csv(path, index=False)
    _kill_when_ready(process_context(), import_and_hang, (db_url, "2026-1", str(path)))
    assert count(engine) == 0  # every row was written, none committed
    _assert_usable(engine, org)
    assert api.import_responses(engine, "2026-1", path, today=TODAY).stored == n


@pytest.mark.parametrize("same_key", [True, False], ids=["same form", "another form"])
def test_a_submission_that_waits_for_a_rival_with_the_same_code_stores_nothing(org, engine, db_url, same_key):
    """The rival has deleted the code's row and holds it uncommitted; this submission waits
    (for the row on PostgreSQL, for the write lock on SQLite), then finds the code spent: the
    same form gets the rival's answer back, another form is refused."""
    import threading

    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]
    ctx = process_context()
    ready, go, results = ctx.Event(), ctx.Event(), ctx.Queue()
    child = ctx.Process(target=submit_and_wait, args=(db_url, org.items, code, "first", ready, go, results))
    child.start()
    assert ready.wait(60), "the rival never reached its commit"
    outcome = {}

    def rival():
        try:
            outcome["done"] = api.submit_response(
                engine, code=code, answers={"sk_info1": 1}, language="nb", idempotency_key="first" if same_key else "second", today=TODAY
            )
        except api.AccessRefused as err:
            outcome["refused"] = err.reason

    thread = threading.Thread(target=rival)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive(), "the second submission must wait for the first"
    go.set()
    thread.join(60)
    first_id = results.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0
    if same_key:
        assert outcome["done"].response_id == first_id and not outcome["done"].created
    else:
        # PostgreSQL: the DELETE waited for the rival's row and then found it gone; SQLite: the
        # transaction began after the rival's commit and found no code.
        assert outcome["refused"] == ("used" if engine.dialect.name == "postgresql" else "unknown_code")
    assert count(engine) == 1 and count(engine, OneTimeCode) == 0


def test_a_response_and_its_code_are_one_transaction(org, engine):
    """If storing the response fails after the code was spent, the code is not spent either."""
    from sqlalchemy import event

    code = api.make_codes(engine, "2026-1", org.unit, 1)[0]

    def fail_on_response_insert(_conn, _cursor, statement, *_args):
        if "INSERT INTO RESPONSES" in statement.upper():  # on PostgreSQL inside the WITH that spends the code
            raise RuntimeError("disk full")

    event.listen(engine, "before_cursor_execute", fail_on_response_insert)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="t1", today=TODAY)
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_response_insert)
    assert count(engine) == 0 and count(engine, OneTimeCode) == 1
    assert api.submit_response(engine, code=code, answers={"sk_info1": 2}, language="nb", idempotency_key="t1", today=TODAY).created


def test_the_default_engine_follows_the_data_dir_setting(tmp_path, monkeypatch):
    """A process that switches SAMKLIMA_DATA_DIR must not keep writing to the first database."""
    from scoring.store.db import get_engine

    monkeypatch.delenv("SAMKLIMA_DATABASE_URL", raising=False)
    monkeypatch.setenv("SAMKLIMA_DATA_DIR", str(tmp_path / "a"))
    first = get_engine()
    monkeypatch.setenv("SAMKLIMA_DATA_DIR", str(tmp_path / "b"))
    second = get_engine()
    assert str(tmp_path / "a") in str(first.url) and str(tmp_path / "b") in str(second.url)
    assert get_engine() is second  # still one engine per URL
