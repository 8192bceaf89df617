"""Action plans: stored per unit, round and scale, scoped like everything else, refused when bad
(``samklima actions`` and :mod:`scoring.store.plans`).

tests/postgres/test_actions_pg.py runs every test here again on PostgreSQL (``db_url``)."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from sqlalchemy import func, select

from scoring.cli import main
from scoring.errors import UserError
from scoring.store import api
from scoring.store.access import principal_for
from scoring.store.accounts import create_account
from scoring.store.db import get_engine, make_engine, migrate
from scoring.store.models import ActionPlan
from scoring.store.plans import add_action, list_actions, set_status
from tests.conftest import REPO

STAFF = ["samhandlingsklima", "medbestemmelse"]
DAY = dt.date(2026, 4, 2)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Sample units, a round 2026-1, a manager of k1.ho and a researcher; made once."""
    path = tmp_path_factory.mktemp("actions") / "samklima.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    _fill(engine)
    engine.dispose()
    return path


def _fill(engine):
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "2026-1", STAFF, "all", opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    create_account(engine, "leder", "pw-leder-123", "manager", units=["k1.ho"])
    create_account(engine, "forsker", "pw-forsker-123", "researcher")


@pytest.fixture
def db_url(template, tmp_path):
    shutil.copyfile(template, tmp_path / "samklima.db")
    return f"sqlite:///{tmp_path}/samklima.db"


@pytest.fixture
def engine(db_url, monkeypatch):
    """The database the CLI uses too (SAMKLIMA_DATABASE_URL)."""
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", db_url)
    get_engine.cache_clear()
    engine = make_engine(db_url)
    migrate(engine)
    if api.read_units(engine).empty:  # a fresh PostgreSQL database
        _fill(engine)
    yield engine
    engine.dispose()
    get_engine.cache_clear()


def stored(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ActionPlan)).scalar_one()


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_action_is_stored_with_unit_round_scale_and_planned_status(engine):
    action = add_action(engine, round_name="2026-1", unit="k1.ho.hj1", scale="sk_info", item="sk_info2",
                        what="Fast tavlemøte hver mandag", owner="enhetsleder", due=dt.date(2026, 6, 1), today=DAY)
    assert (action.unit, action.round, action.scale, action.item, action.status) == ("k1.ho.hj1", "2026-1", "sk_info", "sk_info2", "planned")
    assert action.due == dt.date(2026, 6, 1) and action.updated_on == DAY
    done = set_status(engine, action.id, "done", note="Gjennomført fra uke 16", today=DAY + dt.timedelta(days=30))
    assert (done.status, done.note, done.updated_on) == ("done", "Gjennomført fra uke 16", DAY + dt.timedelta(days=30))
    assert list_actions(engine)["id"].tolist() == [action.id]


def test_a_manager_sees_and_edits_only_own_units(engine):
    leder = principal_for(engine, "leder")
    mine = add_action(engine, round_name="2026-1", unit="k1.ho.bof1", scale="sk_koord", what="Felles rapport", owner="teamleder", principal=leder)
    other = add_action(engine, round_name="2026-1", unit="d1.pol", scale="sk_koord", what="Annet", owner="avdelingsleder")
    with pytest.raises(UserError, match="do not have access"):
        add_action(engine, round_name="2026-1", unit="d1.pol", scale="sk_info", what="x", owner="leder", principal=leder)
    with pytest.raises(UserError, match=f"no action with id {other.id}"):
        set_status(engine, other.id, "done", principal=leder)
    assert list_actions(engine, principal=leder)["id"].tolist() == [mine.id]
    forsker = principal_for(engine, "forsker")
    assert len(list_actions(engine, principal=forsker)) == 2, "researchers read every action (for the export)"
    with pytest.raises(UserError, match="may not record or change"):
        set_status(engine, mine.id, "done", principal=forsker)
    assert list_actions(engine, unit="d1.pol").loc[0, "status"] == "planned"


def test_bad_input_names_every_field_and_stores_nothing(engine):
    with pytest.raises(UserError) as caught:
        add_action(engine, round_name="2026-1", unit="nav1", scale="sk_nope", what=" ", owner="x" * 101)
    text = str(caught.value)
    assert "--unit: 'nav1' is a partner service" in text
    assert "--scale: no scale 'sk_nope'" in text
    assert "--what: the action is empty" in text
    assert "--owner: longer than 100 characters (101)" in text
    with pytest.raises(UserError, match="--item: item 'mb_egen1' is not part of scale 'sk_info'"):
        add_action(engine, round_name="2026-1", unit="k1.ho", scale="sk_info", item="mb_egen1", what="x", owner="leder")
    with pytest.raises(UserError, match="--round: no round named '2030-1'"):
        add_action(engine, round_name="2030-1", unit="k1.ho", scale="sk_info", what="x", owner="leder")
    assert stored(engine) == 0


def test_free_text_with_a_national_identity_number_is_refused(engine):
    with pytest.raises(UserError, match="--what: the action contains what looks like a Norwegian national identity number"):
        add_action(engine, round_name="2026-1", unit="k1.ho", scale="sk_info", what="Samtale med 01013950187", owner="leder")
    action = add_action(engine, round_name="2026-1", unit="k1.ho", scale="sk_info", what="Samtale", owner="leder")
    with pytest.raises(UserError, match="--note: the note"):
        set_status(engine, action.id, "started", note="gjelder 010139 501 87")
    with pytest.raises(UserError, match="unknown status 'finished'"):
        set_status(engine, action.id, "finished")
    assert list_actions(engine).loc[0, "status"] == "planned" and list_actions(engine).loc[0, "note"] is None


def test_cli_adds_lists_and_sets_status(engine, capsys):
    code, out, err = run(capsys, "actions", "add", "--round", "2026-1", "--unit", "k1.ho.hj2", "--scale", "sk_info",
                         "--what", "Ukentlig tavlemøte", "--owner", "enhetsleder", "--due", "2026-06-30", "--as", "leder", "--json")
    assert code == 0, err
    added = json.loads(out)
    assert (added["unit"], added["due"], added["status"]) == ("k1.ho.hj2", "2026-06-30", "planned")
    code, out, err = run(capsys, "actions", "set-status", added["id"], "started", "--note", "Startet i mai")
    assert code == 0, err
    code, out, err = run(capsys, "actions", "list", "--round", "2026-1", "--unit", "k1.ho.hj2", "--json")
    assert code == 0, err
    [row] = json.loads(out)
    assert (row["id"], row["status"], row["note"]) == (added["id"], "started", "Startet i mai")


@pytest.mark.parametrize("args, message", [
    (["--due", "30.06.2026"], "--due: not a date: '30.06.2026' (use YYYY-MM-DD)"),
    (["--as", "ukjent"], "--as: no active user 'ukjent'"),
    (["--unit", "d1.pol", "--as", "leder"], "--unit: Du har ikke tilgang"),
    (["--scale", "sk_nope"], "--scale: no scale 'sk_nope' in round '2026-1'"),
])
def test_cli_bad_input_exits_2_with_one_clear_message_and_stores_nothing(engine, capsys, args, message):
    base = {"--round": "2026-1", "--unit": "k1.ho", "--scale": "sk_info", "--what": "Tiltak", "--owner": "leder"}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    code, out, err = run(capsys, "actions", "add", *[x for pair in base.items() for x in pair])
    assert code == 2
    assert message in err and "Traceback" not in err
    assert stored(engine) == 0


def test_cli_set_status_of_an_unknown_action_exits_2(engine, capsys):
    code, _, err = run(capsys, "actions", "set-status", "999", "done")
    assert code == 2 and "ID: no action with id 999" in err


def test_migration_0005_adds_the_table_and_its_downgrade_removes_it(engine):
    """Upgrade to head, store an action, downgrade to 0004 (table gone, other data kept), upgrade again."""
    from pathlib import Path

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from scoring.store import db

    add_action(engine, round_name="2026-1", unit="k1.ho", scale="sk_info", what="Tiltak", owner="leder")
    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005_accounts")
    assert "action_plans" not in inspect(engine).get_table_names()
    assert len(api.read_units(engine)) == 25
    assert migrate(engine) == db.head_revision()
    assert "action_plans" in inspect(engine).get_table_names() and stored(engine) == 0
