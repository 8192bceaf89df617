"""Accounts for a real organisation: ``samklima users`` and the store behind it, the coordinator
role, signed sessions, OpenID Connect access requests, the public address, and migration 0005.

Every refused change exits with code 2, prints one clear message and stores nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from sqlalchemy import func, select, text

from scoring.errors import UserError
from scoring.samples.demo import load_demo
from scoring.store import accounts, api, sessions
from scoring.store.access import PAGES_BY_ROLE, authenticate
from scoring.store.access_requests import approve_request, pending_requests, reject_request, request_access
from scoring.store.addresses import PublicAddressRefused, is_local, public_base
from scoring.store.db import make_engine, migrate
from scoring.store.models import User, UserUnit
from scoring.store.settings import is_demo, mark_demo
from tests.conftest import REPO

FNR = "05056500504"  # a valid fødselsnummer (check digits right)
GOOD = "lang nok passordfrase"
ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    yield engine
    engine.dispose()


def snapshot(engine) -> tuple:
    """Everything the account commands could change."""
    with engine.connect() as conn:
        users = conn.execute(select(User.username, User.role, User.active, User.password_hash, User.session_generation).order_by(User.id)).all()
        units = conn.execute(select(UserUnit.user_id, UserUnit.unit_id).order_by(UserUnit.user_id, UserUnit.unit_id)).all()
    return users, units


# --- samklima users ------------------------------------------------------------------------------

@pytest.fixture
def cli(engine, monkeypatch, capsys):
    """``samklima`` on the test database; ``stdin`` is the text typed in. Returns (code, out, err)."""
    from scoring.cli import main
    from scoring.store.db import get_engine

    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", str(engine.url))
    get_engine.cache_clear()

    def run(*args, stdin: str = ""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    get_engine.cache_clear()


def test_the_first_admin_is_made_on_the_command_line_and_can_log_in(cli, engine):
    assert api.list_accounts(engine) == []
    code, _, err = cli("users", "add", "ola", "--role", "admin", "--name", "Ola Nordmann", "--password-stdin", stdin=GOOD + "\n")
    assert code == 0, err
    assert authenticate(engine, "ola", GOOD).role == "admin"
    code, out, _ = cli("users", "list", "--json")
    assert json.loads(out) == [{"username": "ola", "name": "Ola Nordmann", "role": "admin", "units": [], "active": True}]


def test_a_password_is_asked_twice_and_must_agree(cli, engine, monkeypatch):
    typed = iter([GOOD, GOOD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    code, _, err = cli("users", "add", "ola", "--role", "admin")
    assert (code, err.strip()) == (2, "password: the two passwords differ")
    assert snapshot(engine) == ([], [])
    typed = iter([GOOD, GOOD])
    assert cli("users", "add", "ola", "--role", "admin")[0] == 0
    assert authenticate(engine, "ola", GOOD) is not None


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (("kari", "--role", "manager", "--unit", "k1.ho", "--unit", "nope"), GOOD, "units: unknown unit(s): nope (see samklima units list)"),
        (("kari", "--role", "manager"), GOOD, "units: a manager needs at least one unit"),
        (("kari", "--role", "boss"), GOOD, "role: unknown role 'boss' (use admin, coordinator, manager, researcher, clinician)"),
        (("kari", "--role", "admin"), "", "password: the password is empty"),
        (("kari", "--role", "admin"), "kort", "password: the password is too short: use at least 10 characters"),
        (("kari", "--role", "admin"), "passord123", "password: the password is too easy to guess (a common password, the username or one repeated character)"),
        (("kari" + FNR, "--role", "admin"), GOOD, "username: the username contains what looks like"),
        (("kari", "--role", "admin", "--name", FNR), GOOD, "name: the name looks like"),
    ],
)
def test_a_refused_account_gives_one_message_exit_2_and_stores_nothing(cli, engine, args, stdin, message):
    before = snapshot(engine)
    code, _, err = cli("users", "add", *args, "--password-stdin", stdin=stdin + "\n")
    assert code == 2
    assert err.strip().startswith(message) and len(err.strip().splitlines()) == 1, err
    assert snapshot(engine) == before


def test_a_duplicate_name_is_refused_in_any_case(cli, engine):
    assert cli("users", "add", "kari", "--role", "researcher", "--password-stdin", stdin=GOOD)[0] == 0
    before = snapshot(engine)
    code, _, err = cli("users", "add", "Kari", "--role", "admin", "--password-stdin", stdin=GOOD)
    assert (code, err.strip()) == (2, "username: an account named 'Kari' exists already")
    assert snapshot(engine) == before


def test_roles_units_deactivation_and_a_new_password(cli, engine):
    api.add_user(engine, "admin", GOOD, "admin")
    api.add_user(engine, "kari", GOOD, "researcher")
    assert cli("users", "set-units", "kari", "k1.ho", "k1.ho.hj1")[0] == 0
    assert cli("users", "set-role", "kari", "manager")[0] == 0
    assert authenticate(engine, "kari", GOOD).units >= {"k1.ho", "k1.ho.hj1", "k1.ho.hj1.t1"}
    code, _, err = cli("users", "set-units", "kari")
    assert (code, err.strip()) == (2, "units: a manager needs at least one unit")
    assert cli("users", "reset-password", "kari", "--password-stdin", stdin="et helt nytt passord\n")[0] == 0
    assert authenticate(engine, "kari", GOOD) is None and authenticate(engine, "kari", "et helt nytt passord") is not None
    assert cli("users", "deactivate", "kari")[0] == 0
    assert authenticate(engine, "kari", "et helt nytt passord") is None
    code, out, _ = cli("users", "list")
    assert out.splitlines()[1] == "kari\t\tmanager\tk1.ho,k1.ho.hj1\tdeactivated", "the account and its units stay"


@pytest.mark.parametrize(
    "args, message",
    [
        (("set-role", "nobody", "admin"), "username: no account named 'nobody' (see samklima users list)"),
        (("set-units", "nobody", "k1.ho"), "username: no account named 'nobody' (see samklima users list)"),
        (("deactivate", "nobody"), "username: no account named 'nobody' (see samklima users list)"),
        (("reset-password", "nobody", "--password-stdin"), "username: no account named 'nobody' (see samklima users list)"),
        (("set-units", "kari", "nope"), "units: unknown unit(s): nope (see samklima units list)"),
        (("set-role", "kari", "boss"), "role: unknown role 'boss' (use admin, coordinator, manager, researcher, clinician)"),
        (("reset-password", "kari", "--password-stdin"), "password: the password is too short: use at least 10 characters"),
        (("set-role", "admin", "manager"), "units: a manager needs at least one unit"),
        (("set-role", "admin", "researcher"), "username: this is the last active administrator: make another administrator first"),
        (("deactivate", "admin"), "username: this is the last active administrator: make another administrator first"),
    ],
)
def test_a_refused_change_gives_one_message_exit_2_and_stores_nothing(cli, engine, args, message):
    api.add_user(engine, "admin", GOOD, "admin")
    api.add_user(engine, "kari", GOOD, "manager", units=["k1.ho"])
    before = snapshot(engine)
    code, _, err = cli("users", *args, stdin="kort\n")
    assert (code, err.strip()) == (2, message)
    assert snapshot(engine) == before


# --- the coordinator ------------------------------------------------------------------------------

def test_a_coordinator_runs_rounds_but_sees_no_results_and_manages_no_accounts(engine):
    api.add_user(engine, "koord", GOOD, "coordinator")
    coordinator = authenticate(engine, "koord", GOOD)
    assert coordinator.may_open("admin") and not coordinator.may_manage_accounts
    assert [p for p in PAGES_BY_ROLE["admin"] if coordinator.may_open(p)] == ["landing", "overview", "admin"], "response rates (the landing page shows a coordinator no scores)"
    assert authenticate(engine, *("koord", GOOD)).whole_organisation, "response rates of every unit"
    api.add_user(engine, "sjef", GOOD, "admin")
    assert authenticate(engine, "sjef", GOOD).may_manage_accounts


# --- signed sessions ------------------------------------------------------------------------------

T0 = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.timezone.utc)


def test_a_session_lasts_eight_hours_and_logging_out_ends_every_session(engine):
    api.add_user(engine, "kari", GOOD, "manager", units=["k1.ho"])
    first, second = sessions.issue(engine, "kari", now=T0), sessions.issue(engine, "kari", now=T0)
    assert sessions.verify(engine, first, now=T0 + dt.timedelta(hours=7, minutes=59)).username == "kari"
    assert sessions.verify(engine, first, now=T0 + dt.timedelta(hours=8)) is None, "expired"
    sessions.end_sessions(engine, "kari")
    assert sessions.verify(engine, first, now=T0) is None and sessions.verify(engine, second, now=T0) is None
    assert sessions.verify(engine, sessions.issue(engine, "kari", now=T0), now=T0) is not None, "a new login works"


def test_a_session_cannot_be_forged_or_outlive_a_new_password_or_deactivation(engine, monkeypatch):
    api.add_user(engine, "admin", GOOD, "admin")
    api.add_user(engine, "kari", GOOD, "manager", units=["k1.ho"])
    token = sessions.issue(engine, "kari", now=T0)
    version, name, generation, expires, signature = token.split(".")
    admin_name = sessions.issue(engine, "admin", now=T0).split(".")[1]
    for forged in (
        f"{version}.{admin_name}.{generation}.{expires}.{signature}",  # another user
        f"{version}.{name}.{generation}.{int(expires) + 86400}.{signature}",  # a later expiry
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # another signature
        "", "garbage", "v1.a.b.c.d",
    ):
        assert sessions.verify(engine, forged, now=T0) is None, forged
    monkeypatch.setenv("SAMKLIMA_SECRET", "another installation's secret, thirty-two+ chars")
    assert sessions.verify(engine, token, now=T0) is None, "signed with another secret"
    monkeypatch.delenv("SAMKLIMA_SECRET")
    assert sessions.verify(engine, token, now=T0) is not None
    accounts.reset_password(engine, "kari", "et helt nytt passord")
    assert sessions.verify(engine, token, now=T0) is None
    token = sessions.issue(engine, "kari", now=T0)
    accounts.deactivate(engine, "kari")
    assert sessions.verify(engine, token, now=T0) is None


def test_the_stored_secret_is_made_once_and_shared(engine):
    from scoring.store.settings import stored_secret

    secret = stored_secret(engine)
    assert len(secret) == 64 and stored_secret(engine) == secret


# --- OpenID Connect access requests ---------------------------------------------------------------

CLAIMS = {"iss": ISSUER, "sub": "abc-123", "email": "kari@fjordvik.kommune.no", "name": "Kari Nordmann"}


def test_an_unknown_identity_waits_and_is_approved_with_a_role_and_units(engine):
    assert api.oidc_principal(engine, CLAIMS) is None
    assert request_access(engine, CLAIMS, today=dt.date(2026, 12, 4)) == "pending"
    assert request_access(engine, CLAIMS) == "pending", "asked once"
    (waiting,) = pending_requests(engine)
    assert (waiting.email, waiting.name, waiting.requested_on) == ("kari@fjordvik.kommune.no", "Kari Nordmann", dt.date(2026, 12, 4))
    before = snapshot(engine)
    with pytest.raises(UserError, match="unknown unit"):
        approve_request(engine, waiting.id, username=waiting.suggested_username(), role="manager", units=["nope"])
    assert snapshot(engine) == before and len(pending_requests(engine)) == 1
    made = approve_request(engine, waiting.id, username=waiting.suggested_username(), role="manager", units=["k1.ho"])
    assert (made.username, made.name) == ("kari@fjordvik.kommune.no", "Kari Nordmann")
    assert pending_requests(engine) == []
    principal = api.oidc_principal(engine, CLAIMS)
    assert principal.role == "manager" and "k1.ho" in principal.units
    assert authenticate(engine, "kari@fjordvik.kommune.no", "") is None, "no local password"


def test_a_rejected_identity_is_told_so_and_not_listed_again(engine):
    request_access(engine, CLAIMS)
    reject_request(engine, pending_requests(engine)[0].id)
    assert pending_requests(engine) == [] and request_access(engine, CLAIMS) == "rejected"
    with pytest.raises(UserError, match="no such waiting request"):
        reject_request(engine, 999)


def test_an_identity_of_a_deactivated_account_asks_for_nothing(engine):
    request_access(engine, CLAIMS)
    approve_request(engine, pending_requests(engine)[0].id, username="kari", role="researcher")
    api.add_user(engine, "admin", GOOD, "admin")
    accounts.deactivate(engine, "kari")
    assert api.oidc_principal(engine, CLAIMS) is None
    assert request_access(engine, CLAIMS) == "inactive" and pending_requests(engine) == []
    assert request_access(engine, {"iss": ISSUER}) == "invalid"


# --- the public address ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "url, reason",
    [(None, "unset"), ("", "unset"), ("http://localhost:8501", "local"), ("http://127.0.0.1", "local"), ("http://[::1]:8501", "local"),
     ("https://app.localhost", "local"), ("samklima.kommune.no", "invalid"), ("ftp://samklima.kommune.no", "invalid")],
)
def test_outside_the_demo_an_address_respondents_cannot_reach_is_refused(engine, monkeypatch, url, reason):
    if url is None:
        monkeypatch.delenv("SAMKLIMA_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", url)
    with pytest.raises(PublicAddressRefused) as refused:
        public_base(engine)
    assert refused.value.reason == reason and "set SAMKLIMA_PUBLIC_URL to the address respondents reach" in str(refused.value)


def test_the_public_address_is_used_and_the_demo_keeps_localhost(engine, monkeypatch):
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", "https://samklima.kommune.no/")
    assert public_base(engine) == "https://samklima.kommune.no"
    monkeypatch.delenv("SAMKLIMA_PUBLIC_URL")
    assert not is_demo(engine)
    mark_demo(engine)
    assert is_demo(engine) and public_base(engine) == "http://localhost:8501"
    assert is_local("::1") and is_local("127.0.0.2") and not is_local("10.0.0.5")


@pytest.fixture
def round_cli(cli, engine, monkeypatch, tmp_path):
    monkeypatch.delenv("SAMKLIMA_PUBLIC_URL", raising=False)
    api.create_round(engine, "2026-2", ["medbestemmelse"], ["k1.ho.hj1.t1"], opens=dt.date(2026, 9, 1), closes=dt.date(2026, 9, 30))
    return cli


@pytest.mark.parametrize(
    "args",
    [("links", "--round", "2026-2"), ("posters", "--round", "2026-2", "--pdf", "{tmp}/p.pdf"),
     ("codes", "--round", "2026-2", "--unit", "k1.ho.hj1.t1", "--count", "2", "--pdf", "{tmp}/c.pdf"),
     ("paper", "--round", "2026-2", "--unit", "k1.ho.hj1.t1", "--pdf", "{tmp}/f.pdf")],
)
def test_links_and_printouts_are_refused_without_a_public_address(round_cli, engine, tmp_path, monkeypatch, args):
    args = [a.format(tmp=tmp_path) for a in args]
    for url in (None, "http://localhost:8501"):
        if url:
            monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", url)
        code, out, err = round_cli(*args)
        assert code == 2 and out == "" and "set SAMKLIMA_PUBLIC_URL to the address respondents reach" in err
        assert list(tmp_path.glob("*.pdf")) == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM unit_links")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM code_batches")).scalar() == 0
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", "https://samklima.kommune.no")
    code, out, err = round_cli(*args)
    assert code == 0, err
    if args[0] == "links":
        assert out.split("\t")[1].startswith("https://samklima.kommune.no/svar?t=")


# --- demo and migration ---------------------------------------------------------------------------

def test_load_demo_marks_the_demo_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/demo.db")
    load_demo(engine)
    assert is_demo(engine)
    assert {a.username for a in api.list_accounts(engine)} == {"admin", "koordinator", "leder", "forsker", "kliniker"}
    engine.dispose()


def test_the_demo_is_never_loaded_into_a_database_with_real_accounts(cli, engine):
    api.add_user(engine, "anne", GOOD, "admin")
    before = snapshot(engine)
    code, _, err = cli("demo")
    assert code == 2 and "this database has accounts and is not the demo" in err
    assert snapshot(engine) == before and not is_demo(engine) and api.list_rounds(engine) == []


@pytest.fixture
def empty_url(tmp_path):
    """A database with no schema yet (PostgreSQL in tests/postgres)."""
    return f"sqlite:///{tmp_path}/old.db"


def test_migration_0005_keeps_accounts_and_their_units(empty_url):
    engine = make_engine(empty_url)
    migrate(engine, "0004_unlinked_responses")
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (username, password_hash, role, active) VALUES ('kari', 'x', 'manager', true)"))
        conn.execute(text("INSERT INTO user_units (user_id, unit_id) VALUES (1, 'k1.ho')"))
    assert migrate(engine, "0005_accounts") == "0005_accounts"
    assert snapshot(engine) == ([("kari", "manager", True, "x", 0)], [(1, "k1.ho")])
    assert not is_demo(engine)
    api.add_user(engine, "koord", GOOD, "coordinator")  # the new role passes the database's check
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar() == 2
    engine.dispose()
