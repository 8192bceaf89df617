"""The first page: units, instruments, login, and suppressed scale means in both languages."""

from __future__ import annotations

from tests.app.conftest import open_app, switch_to
from tests.app.dashboard_pages import shown


def test_home_page_shows_units_and_instruments_before_login():
    at = open_app()
    assert not at.exception, at.exception
    assert at.title[0].value == "Samklima"
    units, instruments = at.dataframe
    assert "Fjordvik kommune" in units.value.iloc[:, 1].tolist()
    assert set(instruments.value["Kode"]) >= {"samhandlingsklima", "medbestemmelse", "feedback-utfall", "feedback-samtale"}
    assert "Logg inn (demo)" in [f.value for f in at.subheader], "the demo database says so"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong():
    at = open_app(user="admin", password="feil")
    assert any("Feil brukernavn eller passord" in e.value for e in at.error)
    assert len(at.dataframe) == 2


def test_admin_sees_unit_means_for_the_latest_round_with_suppression():
    at = switch_to("dashboard/pages/home.py", "admin")  # after login the landing page opens first
    assert not at.exception, at.exception
    table = shown(at.dataframe[2])
    assert "Gjensidig informasjon" in table.columns
    assert (table == "for få svar").any().any(), "the demo has small units that must be suppressed"
    visible = table[~table["n"].isin(["for få svar", "skjult for å verne en mindre gruppe"])]
    assert (visible["n"].astype(int) >= 5).all()
    assert visible["Gjensidig informasjon"].str.fullmatch(r"\d,\d\d").all(), "bokmål writes a decimal comma"


def test_manager_sees_only_own_units_in_english():
    at = switch_to("dashboard/pages/home.py", "leder", "en")
    assert not at.exception, at.exception
    table = shown(at.dataframe[2])
    assert "Mutual information" in table.columns
    assert "Fjordvik kommune" not in set(table["Unit"]), "the manager's scope is one tjenesteområde"
    assert (table == "too few answers").any().any()
    visible = table[~table["n"].isin(["too few answers", "hidden so that a smaller group cannot be worked out"])]
    assert visible["Mutual information"].str.fullmatch(r"\d\.\d\d").all()
