"""Accounts in the app: the Admin page's accounts and access requests (admin only), the
coordinator, "demo" only in the demo database, the session cookie kept across a refresh and
ended by logout, and an OpenID Connect identity without an account waiting for an administrator."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring.store import api
from scoring.store.access import authenticate
from tests.app.survey_database import own_database
from tests.conftest import REPO

GOOD = "lang nok passordfrase"
CLAIMS = {"iss": "https://login.example.no", "sub": "abc-123", "email": "kari@fjordvik.kommune.no", "name": "Kari Nordmann"}


@pytest.fixture
def engine(tmp_path):
    with own_database(tmp_path) as engine:
        api.add_user(engine, "sjef", GOOD, "admin")
        api.add_user(engine, "koord", GOOD, "coordinator")
        yield engine


def app(lang: str = "nb") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    return at.run()


def log_in(at: AppTest, username: str, password: str = GOOD) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label in ("Logg inn", "Log in")).click()
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


def logged_in_as(at: AppTest) -> str | None:
    shown = [c.value for c in at.sidebar.caption if c.value.startswith(("Innlogget som", "Logged in as"))]
    return shown[0] if shown else None


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("subheader", "caption", "info", "error", "success", "warning", "markdown") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def cookie_scripts(at: AppTest) -> list[str]:
    return [node.proto.body for node in at.get("html") if "samklima_session" in node.proto.body]


# --- demo or not ----------------------------------------------------------------------------------

def test_a_real_database_has_no_demo_on_its_login_page(engine):
    at = app()
    assert "Logg inn" in [s.value for s in at.subheader]
    assert "demo" not in texts(at).lower()


def test_the_demo_database_says_demo_and_shows_the_demo_accounts():
    at = app("en")
    assert "Log in (demo)" in [s.value for s in at.subheader]
    assert "Log in as admin, koordinator, leder, forsker or kliniker with the password demo." in texts(at)


# --- the Admin page's accounts --------------------------------------------------------------------

def open_accounts(at: AppTest) -> AppTest:
    at.switch_page("dashboard/pages/admin.py").run()
    assert not at.exception, at.exception
    return at


def test_an_admin_adds_changes_and_deactivates_an_account(engine):
    at = open_accounts(log_in(app(), "sjef"))
    assert [t.label for t in at.tabs][-2:] == ["Kontoer", "Forespørsler om tilgang (0)"]
    at.text_input(key="accounts_add_username").input("kari")
    at.selectbox(key="accounts_add_role").set_value("manager")
    at.multiselect(key="accounts_add_units").set_value(["k1.ho"])
    at.text_input(key="accounts_add_password").input("kort")
    at.text_input(key="accounts_add_again").input("kort")
    click(at, "Opprett kontoen")
    assert "Ingenting er lagret" in at.error[0].value and "Passordet er for kort: bruk minst 10 tegn." in at.error[0].value.replace("\\", "")
    assert "kari" not in {a.username for a in api.list_accounts(engine)}
    at.text_input(key="accounts_add_password").input(GOOD)
    at.text_input(key="accounts_add_again").input(GOOD)
    click(at, "Opprett kontoen")
    assert "Kontoen kari er opprettet." in [s.value for s in at.success]
    assert authenticate(engine, "kari", GOOD).units >= {"k1.ho"}
    at.selectbox(key="accounts_pick").set_value("kari").run()
    at.selectbox(key="accounts_role_kari").set_value("researcher")
    click(at, "Lagre rolle og enheter")
    assert authenticate(engine, "kari", GOOD).role == "researcher"
    at.selectbox(key="accounts_pick").set_value("kari").run()
    at.checkbox(key="accounts_deactivate_sure_kari").check()
    click(at, "Deaktiver kontoen")
    kari = next(a for a in api.list_accounts(engine) if a.username == "kari")
    assert not kari.active and kari.role == "researcher", "deactivated, not deleted"


def test_a_coordinator_runs_rounds_without_account_administration(engine):
    at = log_in(app(), "koord")
    assert logged_in_as(at) == "Innlogget som koord (koordinator)"
    at.switch_page("dashboard/pages/overview.py").run()
    assert not at.exception and at.title[0].value == "Oversikt", "response rates per unit"
    open_accounts(at)
    assert [t.label for t in at.tabs] == ["Svar per enhet", "Ny runde", "Lenker og utskrifter", "Antall inviterte"]
    for page in ("compare", "trends", "items", "quality", "export", "clients"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"dashboard/pages/{page}.py")


def test_printouts_say_what_to_set_when_the_public_address_is_local(engine, monkeypatch):
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", "http://localhost:8501")
    api.create_round(engine, "høst", ["medbestemmelse"], ["k1.ho.hj1.t1"])
    at = open_accounts(log_in(app("en"), "koord"))
    message = at.error[0].value
    assert "SAMKLIMA_PUBLIC_URL is http://localhost:8501, which points at this machine" in message
    assert "admin_posters" not in [b.key for b in at.get("download_button")], "no poster to download"
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", "https://samklima.kommune.no")
    at.run()
    assert any("Respondents answer at https://samklima.kommune.no/svar" in i.value for i in at.info)


# --- the session cookie ---------------------------------------------------------------------------

def test_a_refresh_keeps_the_login_and_logging_out_ends_it(engine, monkeypatch):
    at = log_in(app(), "koord")
    token = at.session_state["session_token"]
    assert any(f"samklima_session={token}; Path=/; Max-Age=28800; SameSite=Lax" in s for s in cookie_scripts(at))
    monkeypatch.setattr("dashboard.session_cookie.read", lambda: token)  # the browser sends it with the refreshed page
    refreshed = app()
    assert logged_in_as(refreshed) == "Innlogget som koord (koordinator)"
    click(refreshed, "Logg ut")
    assert logged_in_as(refreshed) is None
    assert any("samklima_session=; Path=/; Max-Age=0" in s for s in cookie_scripts(refreshed)), "the cookie is deleted"
    assert logged_in_as(app()) is None, "the old cookie is refused by the server"
    at.run()
    assert logged_in_as(at) is None, "and the other tab is logged out on its next click"


# --- OpenID Connect -------------------------------------------------------------------------------

def test_an_unknown_identity_waits_until_an_admin_approves_it(engine, monkeypatch):
    monkeypatch.setattr("dashboard.auth.oidc_configured", lambda: True)
    person = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    person.session_state["lang"] = "en"
    person.user = {"is_logged_in": True, **CLAIMS}
    person.run()
    assert "Waiting for an administrator" in [s.value for s in person.subheader]
    assert any("You are signed in as kari@fjordvik.kommune.no, but have no access" in i.value for i in person.info)
    assert logged_in_as(person) is None
    admin = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    admin.session_state["lang"] = "nb"
    admin.user = {"is_logged_in": False}
    admin.run()
    open_accounts(log_in(admin, "sjef"))
    assert "Forespørsler om tilgang (1)" in [t.label for t in admin.tabs]
    (request,) = api.pending_requests(engine)
    admin.multiselect(key=f"request_units_{request.id}").set_value(["k1.ho"])
    click(admin, "Godkjenn")
    assert "kari@fjordvik.kommune.no har fått tilgang." in [s.value for s in admin.success]
    person.run()
    assert logged_in_as(person) == "Logged in as kari@fjordvik.kommune.no (manager)"


def test_every_account_text_is_in_bokmal_nynorsk_and_english():
    from dashboard.texts.accounts import TEXT

    assert all(set(entry) == {"nb", "nn", "en"} and all(entry.values()) for entry in TEXT.values())
