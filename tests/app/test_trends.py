"""Utvikling / Trends: each unit across rounds with CIs, change flagged only beyond its uncertainty."""

from __future__ import annotations

import pytest

from tests.app.conftest import open_app
from tests.app.dashboard_pages import open_page, shown, texts

IGNORED = "Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke."


def table(at):
    frame = shown(at.dataframe[0])
    return frame.assign(Enhet=frame.iloc[:, 0].str.strip())


def test_manager_reaches_the_page_through_the_menu():
    at = open_app(user="leder")
    at.switch_page("dashboard/pages/trends.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Utvikling"
    assert len(at.get("plotly_chart")) == 1


def test_each_own_unit_has_one_row_per_round_and_no_other_unit_appears():
    at = open_page("trends", "leder")
    rows = table(at)
    assert set(rows["Runde"]) == {"2024-1", "2025-1", "2026-1"}
    assert (rows.groupby("Enhet").size() == 3).all()
    assert rows["Enhet"].iloc[0] == "Helse og omsorg, Fjordvik"
    assert not set(rows["Enhet"]) & {"Fjordvik kommune", "Fjordvik DPS", "Psykisk helse og rus, Fjordvik"}


def test_a_change_is_flagged_only_when_its_interval_excludes_zero():
    at = open_page("trends", "leder")
    rows = table(at).set_index(["Enhet", "Runde"])
    drop = rows.loc[("Fjordtun sykehjem", "2025-1")]
    assert drop["Endring fra forrige runde"] == "Tydelig nedgang"
    assert drop["Endring (95 % KI)"].startswith("−1,03 (−1,99 til −0,07")
    assert rows.loc[("Helse og omsorg, Fjordvik", "2025-1"), "Endring fra forrige runde"] == "Ingen tydelig endring"
    assert rows.loc[("Helse og omsorg, Fjordvik", "2024-1"), "Endring fra forrige runde"] == "–", "nothing before the first round"


def test_suppressed_rounds_say_too_few_answers_and_have_no_change():
    at = open_page("trends", "leder")
    rows = table(at)
    small = rows[rows["Enhet"] == "Hjemmetjenesten sone Nord, dagteam 2"]
    assert (small["Gjennomsnitt (95 % KI)"] == "for få svar").all()
    assert (small["n"] == "–").all() and (small["Endring fra forrige runde"] == "–").all()


def test_changing_scale_redraws_for_that_scale():
    at = open_page("trends", "leder")
    at.selectbox(key="trends_scale").set_value("mb_egen").run()
    assert at.subheader[0].value == "Innflytelse på egen arbeidssituasjon over runder"


def test_a_unit_outside_scope_in_the_url_is_ignored_with_a_message():
    at = open_page("trends", "leder", enhet="k1.phr.ph1")
    assert [w.value for w in at.warning] == [IGNORED] and not at.error
    assert at.selectbox(key="trends_unit").value == "__all__" and "enhet" not in at.query_params


@pytest.mark.parametrize("user", ["admin", "forsker"])
def test_admin_and_researcher_see_the_whole_organisation(user):
    at = open_page("trends", user)
    assert {"Fjordvik kommune", "Fjordvik DPS"} <= set(table(at)["Enhet"])


@pytest.mark.parametrize("user", ["kliniker", None])
def test_a_typed_url_does_not_open_the_page_for_a_clinician_or_nobody(user):
    at = open_page("trends", user)
    assert [e.value for e in at.error] == ["Du har ikke tilgang til denne siden."]
    assert not at.title and not at.dataframe


def test_english():
    at = open_page("trends", "leder", lang="en")
    assert at.title[0].value == "Trends"
    rows = table(at)
    assert "Clear decrease" in set(rows["Change since the previous round"])
    assert "too few answers" in set(rows["Mean (95% CI)"])
    assert "for få svar" not in texts(at)


def test_a_change_across_rounds_where_the_scale_is_not_invariant_carries_a_warning():
    at = open_page("trends", "leder")
    assert any("skalar invarians holder mellom hver runde" in c.value for c in at.caption), "sk_info holds in the demo"
    rows = table(at)
    assert set(rows.loc[rows["Runde"] != "2024-1", "Samme mål som forrige runde?"]) == {"ja"}
    at.selectbox(key="trends_scale").set_value("sk_koord").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Mellom 2024-1 og 2025-1 holder ikke skalar invarians") and "RMSEA steg med" in w for w in warnings)
    assert set(table(at).loc[lambda f: f["Runde"] != "2024-1", "Samme mål som forrige runde?"]) == {"usikkert"}
    at.selectbox(key="trends_scale").set_value("sk_total").run()
    assert any("ikke testet ennå" in c.value for c in at.caption)
    assert not any(b.label == "Test invarians mellom rundene" for b in at.button), "managers do not start heavy fits"
