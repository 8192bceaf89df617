"""Logging in: throttling and lockout per account name and per client, shared by every app
server through the database and telling nothing about which accounts exist; and OpenID Connect
identities mapped by issuer + subject, or by a verified e-mail address only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from scoring.errors import UserError
from scoring.store import access, api
from scoring.store.db import make_engine, migrate
from scoring.store.logins import ACCOUNT_LIMIT, CLIENT_LIMIT, FORGET_AFTER, LOCK, WINDOW, LoginRefused, log_in, oidc_principal
from scoring.store.models import LoginAttempt, User
from tests.conftest import REPO

T0 = dt.datetime(2026, 3, 1, 12, 0)
ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/samklima.db"


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_account(engine, "kari", "riktig passord", "manager", units=["k1.ho"])
    api.create_account(engine, "ola@fjordvik.kommune.no", "riktig", "researcher")
    api.create_account(engine, "borte", "riktig", "admin")
    api.set_active(engine, "borte", False)
    yield engine
    engine.dispose()


def attempt(engine, username, password, *, client="address:192.0.2.10", minutes=0.0) -> str:
    """``"ok"`` or the reason the login was refused, at ``minutes`` after T0."""
    try:
        log_in(engine, username, password, client=client, now=T0 + dt.timedelta(minutes=minutes))
    except LoginRefused as refused:
        return refused.reason
    return "ok"


def test_five_failures_lock_the_account_for_fifteen_minutes_even_for_the_right_password(engine):
    assert [attempt(engine, "kari", "feil", minutes=m) for m in range(ACCOUNT_LIMIT)] == ["wrong"] * (ACCOUNT_LIMIT - 1) + ["locked"]
    last = ACCOUNT_LIMIT - 1
    assert attempt(engine, "kari", "riktig passord", minutes=last + 1) == "locked"
    assert attempt(engine, "KARI ", "riktig passord", minutes=last + 14.9) == "locked", "the name is counted in any case"
    assert attempt(engine, "kari", "riktig passord", minutes=last + LOCK.total_seconds() / 60) == "ok"


def test_the_lock_message_says_how_long_to_wait():
    refused = LoginRefused("locked", T0 + LOCK)
    assert refused.minutes_left(T0) == 15 and refused.minutes_left(T0 + dt.timedelta(minutes=14, seconds=30)) == 1


def test_failures_spread_wider_than_the_window_do_not_lock(engine):
    spaced = WINDOW.total_seconds() / 60 / (ACCOUNT_LIMIT - 1) + 0.5
    assert {attempt(engine, "kari", "feil", minutes=i * spaced) for i in range(3 * ACCOUNT_LIMIT)} == {"wrong"}


def test_a_successful_login_forgets_the_accounts_failures(engine):
    for m in range(ACCOUNT_LIMIT - 1):
        attempt(engine, "kari", "feil", minutes=m)
    assert attempt(engine, "kari", "riktig passord", minutes=5) == "ok"
    assert [attempt(engine, "kari", "feil", minutes=6 + m) for m in range(ACCOUNT_LIMIT - 1)] == ["wrong"] * (ACCOUNT_LIMIT - 1)


@pytest.mark.parametrize("name", ["finnes-ikke", "borte"])
def test_an_unknown_or_deactivated_account_answers_exactly_like_a_real_one(engine, name, monkeypatch):
    """Same reasons at the same attempts, and one password verification every time (so the same
    time), whether the name exists, is deactivated or is locked."""
    checks = []
    real = access.verify_password
    monkeypatch.setattr(access, "verify_password", lambda h, p: checks.append(1) or real(h, p))
    tries = ACCOUNT_LIMIT + 2
    real_account = [attempt(engine, "kari", "feil", client="address:a", minutes=m) for m in range(tries)]
    assert len(checks) == tries
    checks.clear()
    other = [attempt(engine, name, "feil", client="address:b", minutes=m) for m in range(tries)]
    assert other == real_account and len(checks) == tries
    assert attempt(engine, "borte", "riktig", client="address:c", minutes=60) == "wrong", "deactivated: never in"


def test_one_client_trying_many_names_is_locked_after_twenty_failures(engine):
    names = [f"person{i}" for i in range(CLIENT_LIMIT)]
    results = [attempt(engine, name, "feil", client="address:198.51.100.7", minutes=i * 0.5) for i, name in enumerate(names)]
    assert results == ["wrong"] * (CLIENT_LIMIT - 1) + ["locked"]
    assert attempt(engine, "kari", "riktig passord", client="address:198.51.100.7", minutes=11) == "locked"
    assert attempt(engine, "kari", "riktig passord", client="address:203.0.113.5", minutes=11) == "ok", "another client is not held up"


def test_every_app_server_counts_the_same_failures(engine, db_url):
    other_server = make_engine(db_url)
    try:
        for m in range(ACCOUNT_LIMIT - 1):
            attempt(engine if m % 2 else other_server, "kari", "feil", minutes=m)
        assert attempt(other_server, "kari", "feil", minutes=4) == "locked"
        assert attempt(engine, "kari", "riktig passord", minutes=5) == "locked"
    finally:
        other_server.dispose()


def test_neither_the_name_nor_the_address_is_stored_and_old_failures_are_deleted(engine):
    attempt(engine, "passord123-skrevet-i-feil-felt", "feil", client="address:192.0.2.99")
    with engine.connect() as conn:
        rows = conn.execute(select(LoginAttempt.key, LoginAttempt.failed_at)).all()
    assert len(rows) == 2 and all(len(key) == 64 and "passord123" not in key and "192.0.2.99" not in key for key, _ in rows)
    attempt(engine, "kari", "feil", minutes=FORGET_AFTER.total_seconds() / 60 + 1)
    with engine.connect() as conn:
        assert conn.execute(select(LoginAttempt.failed_at)).scalars().all() == [T0 + FORGET_AFTER + dt.timedelta(minutes=1)] * 2


# --- OpenID Connect ------------------------------------------------------------------------------


def claims(**extra):
    return {"iss": ISSUER, "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", **extra}


def identity(engine, username):
    with engine.connect() as conn:
        return tuple(conn.execute(select(User.oidc_issuer, User.oidc_subject).where(User.username == username)).one())


def test_an_unverified_email_maps_to_no_account(engine):
    for verified in (False, None, "false", "yes", 1):
        assert oidc_principal(engine, claims(email="ola@fjordvik.kommune.no", email_verified=verified)) is None
    assert oidc_principal(engine, claims(email="ola@fjordvik.kommune.no")) is None
    assert identity(engine, "ola@fjordvik.kommune.no") == (None, None)


@pytest.mark.parametrize("verified", [True, "true", "True"])
def test_a_verified_email_maps_once_and_then_issuer_and_subject_do(engine, verified):
    first = oidc_principal(engine, claims(email="Ola@Fjordvik.Kommune.no", email_verified=verified))
    assert first is not None and (first.username, first.role) == ("ola@fjordvik.kommune.no", "researcher")
    assert identity(engine, "ola@fjordvik.kommune.no") == (ISSUER, claims()["sub"])
    later = oidc_principal(engine, claims(email="ola.nordmann@privat.example", email_verified=False))
    assert later == first, "the identity, not the (changed, unverified) address, decides"


def test_another_identity_with_the_same_verified_email_does_not_take_the_account(engine):
    assert oidc_principal(engine, claims(email="ola@fjordvik.kommune.no", email_verified=True)) is not None
    stranger = {"iss": "https://accounts.google.com", "sub": "1234567890", "email": "ola@fjordvik.kommune.no", "email_verified": True}
    assert oidc_principal(engine, stranger) is None


def test_an_administrator_ties_an_identity_for_a_provider_without_verified_email(engine):
    api.link_oidc(engine, "kari", ISSUER, "kari-subject")
    principal = oidc_principal(engine, {"iss": ISSUER, "sub": "kari-subject", "preferred_username": "kari@x.no"})
    assert principal is not None and principal.username == "kari" and principal.units is not None
    assert oidc_principal(engine, {"iss": "https://other.example", "sub": "kari-subject"}) is None
    with pytest.raises(UserError, match="tied to the account 'kari'"):
        api.link_oidc(engine, "ola@fjordvik.kommune.no", ISSUER, "kari-subject")
    api.set_active(engine, "kari", False)
    assert oidc_principal(engine, {"iss": ISSUER, "sub": "kari-subject"}) is None, "a deactivated account is closed to OIDC too"


def test_claims_without_issuer_or_subject_map_nothing(engine):
    assert oidc_principal(engine, {"email": "ola@fjordvik.kommune.no", "email_verified": True}) is None
