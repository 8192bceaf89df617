"""Oversikt / Overview: rounds with state and totals, responses and rates per unit, scoped and suppressed."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app
from tests.app.dashboard_pages import open_page, shown, texts

IGNORED = "Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke."


def rounds_table(at):
    return shown(at.dataframe[0])


def units_table(at):
    return shown(at.dataframe[1])


def test_manager_reaches_the_page_through_the_menu():
    at = open_app(user="leder")
    at.switch_page("dashboard/pages/overview.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Oversikt"


def test_every_round_is_listed_with_its_state_and_organisation_totals():
    at = open_page("overview", "leder")
    rounds = rounds_table(at)
    assert list(rounds["Runde"]) == ["2024-1", "2025-1", "2026-1"]
    assert list(rounds["Status"]) == ["lukket", "lukket", "åpen"]
    assert rounds.loc[2, "Svar"] == "204" and rounds.loc[2, "Inviterte"] == "285" and rounds.loc[2, "Svarprosent"] == "72\u00a0%"


def test_manager_sees_responses_and_rate_of_own_units_only_with_headcount_as_denominator():
    at = open_page("overview", "leder")
    table = units_table(at).set_index("Enhet")
    table.index = table.index.str.strip()
    assert table.index[0] == "Helse og omsorg, Fjordvik"
    assert not set(table.index) & {"Fjordvik kommune", "Psykisk helse og rus, Fjordvik", "Fjordvik DPS"}
    row = table.loc["Bofellesskapet Granveien, dagtjenesten"]
    assert (row["Svar"], row["Inviterte"], row["Svarprosent"]) == ("32", "40", "80\u00a0%")
    area = table.loc["Helse og omsorg, Fjordvik"]
    assert (area["Svar"], area["Inviterte"]) == ("108", "143"), "an area pools the teams below it"
    assert len(at.get("plotly_chart")) == 1


def test_small_counts_say_too_few_answers_but_keep_the_headcount():
    at = open_page("overview", "leder")
    table = units_table(at).set_index("Enhet")
    table.index = table.index.str.strip()
    small = table.loc["Hjemmetjenesten sone Nord, dagteam 2"]
    assert (small["Svar"], small["Svarprosent"], small["Inviterte"]) == ("for få svar", "for få svar", "4")
    sibling = table.loc["Hjemmetjenesten sone Nord, dagteam 1"]
    assert sibling["Svar"] == "skjult for å verne en mindre gruppe", "otherwise Nord - kveldsteam - dagteam 1 would give dagteam 2"
    shown = table[~table["Svar"].isin(["for få svar", "skjult for å verne en mindre gruppe"])]
    assert (shown["Svar"].astype(int) >= 5).all()


def test_choosing_an_earlier_round_shows_its_counts():
    at = open_page("overview", "leder")
    at.selectbox(key="overview_round").set_value("2024-1").run()
    assert at.subheader[1].value == "Runde 2024-1 (lukket)"
    table = units_table(at).set_index("Enhet")
    table.index = table.index.str.strip()
    assert table.loc["Bofellesskapet Granveien, dagtjenesten", "Svar"] == "35"


def test_a_unit_outside_scope_in_the_url_is_ignored_with_a_message():
    at = open_page("overview", "leder", enhet="d1")
    assert [w.value for w in at.warning] == [IGNORED] and not at.error
    names = {u.strip() for u in units_table(at)["Enhet"]}
    assert "Hjemmetjenesten sone Nord" in names and not any("DPS" in n for n in names)


def test_a_unit_in_scope_in_the_url_narrows_the_table_to_its_subtree():
    at = open_page("overview", "leder", enhet="k1.ho.hj1")
    assert [u.strip() for u in units_table(at)["Enhet"]][0] == "Hjemmetjenesten sone Nord"
    assert len(units_table(at)) == 4


@pytest.mark.parametrize("user", ["admin", "forsker"])
def test_admin_and_researcher_see_the_whole_organisation(user):
    at = open_page("overview", user)
    names = {u.strip() for u in units_table(at)["Enhet"]}
    assert {"Fjordvik kommune", "Fjordvik DPS", "Helse og omsorg, Fjordvik"} <= names


@pytest.mark.parametrize("user", ["kliniker", None])
def test_a_typed_url_does_not_open_the_page_for_a_clinician_or_nobody(user):
    at = open_page("overview", user)
    assert [e.value for e in at.error] == ["Du har ikke tilgang til denne siden."]
    assert not at.title and not at.dataframe


def test_english():
    at = open_page("overview", "leder", lang="en")
    assert at.title[0].value == "Overview"
    assert list(rounds_table(at)["State"]) == ["closed", "closed", "open"]
    table = units_table(at)
    assert "too few answers" in set(table["Responses"])
    assert "72%" in set(rounds_table(at)["Response rate"])
    assert "for få svar" not in texts(at)
