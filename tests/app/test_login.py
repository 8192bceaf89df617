"""Logging in through the app: repeated failures lock a name with one message that does not say
whether the account exists, and every rerun checks the account again, so a deactivated account
is logged out and a changed role takes effect on the next click."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from scoring.store import api
from tests.app.survey_database import own_database
from tests.conftest import REPO

WRONG = "Feil brukernavn eller passord."
LOCKED = "For mange mislykkede innlogginger. Vent 15 minutter og prøv igjen."


@pytest.fixture
def engine(tmp_path):
    with own_database(tmp_path) as engine:
        api.create_account(engine, "kari", "riktig", "manager", units=["k1.ho"])
        api.create_account(engine, "per", "riktig", "manager", units=["k1.ho"])
        yield engine


def app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = "nb"
    return at.run()


def log_in(at: AppTest, username: str, password: str) -> list[str]:
    """Submit the login form; the error messages shown."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    next(b for b in at.button if b.label == "Logg inn").click()
    at.run()
    assert not at.exception, at.exception
    return [e.value for e in at.error]


def logged_in_as(at: AppTest) -> str | None:
    shown = [c.value for c in at.sidebar.caption if c.value.startswith("Innlogget som")]
    return shown[0] if shown else None


def test_five_wrong_passwords_lock_the_name_and_an_unknown_name_reads_the_same(engine):
    at = app()
    real = [log_in(at, "kari", "feil") for _ in range(5)] + [log_in(at, "kari", "riktig")]
    assert real == [[WRONG]] * 4 + [[LOCKED]] * 2
    assert logged_in_as(at) is None
    other = app()
    assert [log_in(other, "finnes-ikke", "feil") for _ in range(6)] == real[:5] + [[LOCKED]]
    assert log_in(app(), "per", "riktig") == [] , "another account is not affected"


def test_a_deactivated_account_is_logged_out_on_the_next_rerun(engine):
    at = app()
    assert log_in(at, "kari", "riktig") == [] and logged_in_as(at) == "Innlogget som kari (leder)"
    api.set_active(engine, "kari", False)
    at.run()
    assert logged_in_as(at) is None and "principal" not in at.session_state
    assert "Logg inn" in [s.value for s in at.subheader], "the login form is back"


def test_a_changed_role_takes_effect_on_the_next_rerun(engine):
    at = app()
    log_in(at, "kari", "riktig")
    at.switch_page("dashboard/pages/compare.py").run()
    assert logged_in_as(at) == "Innlogget som kari (leder)" and at.title[0].value == "Sammenlign enheter"
    api.create_account(engine, "kari", "riktig", "clinician", clinician="kl01", replace=True)
    at.run()
    assert logged_in_as(at) == "Innlogget som kari (kliniker)"
    assert "Sammenlign enheter" not in [title.value for title in at.title], "the manager's page is closed at once"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("dashboard/pages/compare.py")
