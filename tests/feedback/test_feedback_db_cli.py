"""``samklima feedback report`` on the database (``--db``, ``--round``): the same JSON contract as
on a file, the unit tree from the database, a round's closing date as the reference."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from scoring.cli import main
from scoring.samples.demo import load_demo
from scoring.store.access import principal_for
from scoring.store.caseload import record_contact, register_client
from scoring.store.db import make_engine

REPO = Path(__file__).parents[2]
SAMPLE = REPO / "sample_data" / "feedback.csv"
CLIENT_KEYS = {"client", "unit", "contacts", "rc_from_intake", "reliable_change", "alerts"}
CONTACT_KEYS = {"contact", "date", "outcome_total", "visit_total"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("feedback-db") / "db.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine, today=dt.date(2026, 11, 23))
    clinician = principal_for(engine, "kliniker")
    register_client(engine, clinician, client="db-001", unit="k1.ho.hj1.t2")
    for day, score in ((dt.date(2026, 10, 1), 5.0), (dt.date(2026, 10, 8), 4.0), (dt.date(2026, 10, 15), 2.0)):
        answers = {i: score for i in ("fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet")}
        answers |= {i: 9.0 for i in ("fs_hort", "fs_viktig", "fs_maate", "fs_samlet")}
        record_contact(engine, clinician, unit="k1.ho.hj1.t2", client="db-001", answers=answers, date=day)
    return f"sqlite:///{path}"


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys, *args):
    code, out, err = run(capsys, "feedback", "report", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_the_database_gives_the_same_report_as_the_sample_file(capsys, db):
    from_db = report(capsys, "--db", db, "--all", "--as-of", "2026-10-31")
    from_file = report(capsys, SAMPLE, "--all", "--as-of", "2026-10-31", "--units", REPO / "sample_data" / "units.csv")
    sample_clients = {c["client"] for c in from_file["clients"]}
    by_id = {c["client"]: c for c in from_db["clients"]}
    assert set(by_id) == sample_clients | {"db-001"}
    for client in from_file["clients"]:
        ours = by_id[client["client"]]
        observed = [{k: c[k] for k in (*CONTACT_KEYS, "rc_from_intake")} for c in ours["contacts"]]
        assert observed == [{k: c[k] for k in (*CONTACT_KEYS, "rc_from_intake")} for c in client["contacts"]]
        assert ours["alerts"] == client["alerts"]
        assert ours["reliable_change"] == client["reliable_change"]
    assert from_db["units"] != [] and {u["unit"] for u in from_db["units"]} >= {"k1", "k1.ho"}, "the tree comes from the database"


def test_the_json_contract_of_the_issue(capsys, db):
    result = report(capsys, "--db", db, "--client", "db-001")
    (client,) = result["clients"]
    assert CLIENT_KEYS <= set(client)
    assert [CONTACT_KEYS <= set(c) for c in client["contacts"]] == [True] * 3
    assert [c["outcome_total"] for c in client["contacts"]] == [20.0, 16.0, 8.0]
    assert client["reliable_change"] == "deteriorated" and client["rc_from_intake"] < -1.96
    assert {"kind": "deterioration", "contact": 3} in [{k: a[k] for k in ("kind", "contact")} for a in client["alerts"]]
    assert all(set(a) == {"kind", "contact", "message"} for a in client["alerts"])
    assert all(isinstance(u["suppressed"], bool) for u in result["units"])
    assert result["reliability_source"] == "instrument"


def test_a_round_reports_as_of_its_closing_day(capsys, db):
    result = report(capsys, "--db", db, "--round", "2025-1", "--all")
    assert result["as_of"] == "2025-03-28"
    dates = [c["date"] for client in result["clients"] for c in client["contacts"]]
    assert dates and max(dates) <= "2025-03-28"
    assert "db-001" not in {c["client"] for c in result["clients"]}


def test_changes_carry_no_binary_noise(capsys, db):
    result = report(capsys, "--db", db, "--all")
    changes = [c["change"] for client in result["clients"] for c in client["contacts"] if c["change"] is not None]
    assert changes and all(round(x, 1) == x for x in changes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((SAMPLE, "--db", "sqlite:///x.sqlite", "--all"), "give DATA or read the database with --db/--round, not both"),
        (("--round", "1999-1", "--all"), "no round named '1999-1'"),
        (("--round", "2024-1", "--client", "db-001"), "no client 'db-001' in the data"),
    ],
)
def test_user_errors_exit_2(capsys, db, args, message):
    if SAMPLE not in args:
        args = ["--db", db, *args]
    code, _, err = run(capsys, "feedback", "report", *args)
    assert code == 2 and message in err, err


def test_an_empty_database_says_so(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    code, _, err = run(capsys, "feedback", "report", "--db", url, "--all")
    assert code == 2 and "no client-feedback contacts in the database" in err


def test_the_file_contract_is_unchanged(capsys):
    result = report(capsys, SAMPLE, "--all")
    frame = pd.read_csv(SAMPLE)
    assert len(result["clients"]) == frame["client"].nunique()
