"""The landing page after login, and the action-plan page (AppTest, the demo database)."""

from __future__ import annotations

from sqlalchemy import delete

from scoring.store.models import ActionPlan
from tests.app.conftest import open_app, switch_to
from tests.app.dashboard_pages import shown


def test_a_manager_lands_on_their_units_with_figures_from_the_publication(demo_database):
    at = open_app(user="leder")
    assert not at.exception, at.exception
    assert at.title[0].value == "Mine enheter"
    assert [s.value for s in at.subheader] == ["Helse og omsorg, Fjordvik"], "leder is assigned k1.ho"
    table = at.table[0].value
    assert "Gjensidig informasjon" in table.index
    from dashboard import data
    from scoring.store.access import principal_for

    cell = data.publication(principal_for(demo_database, "leder")).select("compare", "2026-1", unit="k1.ho", scale="sk_info").iloc[0]
    assert table.loc["Gjensidig informasjon", "n"] == str(cell["n"])
    assert table.loc["Gjensidig informasjon", "Snitt (95 % KI)"].startswith(f"{cell['mean']:.2f}".replace(".", ","))
    assert any(c.startswith("Endring siden 2025-1") for c in table.columns)
    assert "Lag enhetsrapport" in [b.label for b in at.button]


def test_the_manager_makes_the_unit_report_on_the_landing_page():
    at = open_app(user="leder")
    next(b for b in at.button if b.label == "Lag enhetsrapport").click()
    at.run()
    assert not at.exception, at.exception
    assert "landing_report_k1.ho" in at.session_state
    assert at.session_state["landing_report_k1.ho"][:5] == b"%PDF-"


def test_the_coordinator_sees_the_running_round(demo_database):
    at = open_app("en", user="admin")
    assert not at.exception, at.exception
    assert at.title[0].value == "My units"
    assert "The running round: 2026-1" in [s.value for s in at.subheader]
    rates = shown(at.dataframe[0])
    assert {"Unit", "Answers", "Invited", "Response rate"} <= set(rates.columns)
    assert (rates["Answers"] == "too few answers").any(), "the demo has small teams"


def test_a_manager_records_an_action_and_it_appears_on_the_landing_page(demo_database):
    try:
        at = switch_to("dashboard/pages/plans.py", "leder")
        assert at.title[0].value == "Tiltak"
        at.selectbox(key="plans_round").select("2025-1")
        at.selectbox(key="plans_scale").select("sk_koord")
        at.text_input(key="plans_owner").input("enhetsleder")
        at.text_area(key="plans_what").input("Felles oppstartsmøte med DPS")
        next(b for b in at.button if b.label == "Lagre tiltak").click()
        at.run()
        assert not at.exception, at.exception
        assert [s.value for s in at.success] == ["Tiltaket er lagret."]
        table = shown(at.dataframe[0])
        assert table["Tiltak"].tolist() == ["Felles oppstartsmøte med DPS"]
        assert table["Neste runde"].iloc[0] not in ("", "–")
        landing = open_app(user="leder")
        actions = landing.table[1].value
        assert actions.index.tolist() == ["Felles oppstartsmøte med DPS"] and actions["Status"].tolist() == ["planlagt"]
        assert actions["Neste runde"].iloc[0].endswith("(2026-1)"), "followed up with the next round's published value"
    finally:
        with demo_database.begin() as conn:
            conn.execute(delete(ActionPlan))


def test_bad_input_on_the_plans_page_gives_one_message_and_stores_nothing(demo_database):
    at = switch_to("dashboard/pages/plans.py", "leder")
    at.text_input(key="plans_owner").input("leder")
    at.text_area(key="plans_what").input("Samtale med 01013950187")
    next(b for b in at.button if b.label == "Lagre tiltak").click()
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "ser ut som et fødselsnummer" in at.error[0].value
    with demo_database.connect() as conn:
        assert conn.execute(ActionPlan.__table__.select()).first() is None


def test_a_researcher_gets_neither_page_and_a_unit_outside_scope_is_refused():
    import pytest
    from streamlit.testing.v1 import AppTest

    from scoring.store.access import Principal
    from tests.conftest import REPO

    researcher = switch_to("dashboard/pages/overview.py", "forsker")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        researcher.switch_page("dashboard/pages/plans.py")  # the menu has no plans page for a researcher
    for name in ("plans.py", "landing.py"):
        page = AppTest.from_file(str(REPO / "dashboard" / "pages" / name), default_timeout=60)
        page.session_state["principal"] = Principal("forsker", "researcher")
        page.run()
        assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
        assert not page.dataframe and not page.button
    page = AppTest.from_file(str(REPO / "dashboard" / "pages" / "plans.py"), default_timeout=60)
    page.session_state["principal"] = Principal("leder", "manager", units=frozenset({"k1.ho"}), assigned=("k1.ho",))
    page.query_params["enhet"] = "d1.pol"
    page.run()
    assert [w.value for w in page.warning] == ["Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke."]
    assert not page.error and page.selectbox(key="plans_unit").value != "d1.pol"


def test_the_compare_page_makes_the_report_of_a_chosen_unit():
    at = switch_to("dashboard/pages/compare.py", "leder")
    at.selectbox(key="compare_report_unit").select("k1.ho.bof1")
    at.run()
    next(b for b in at.button if b.key == "compare_make_report").click()
    at.run()
    assert not at.exception, at.exception
    unit, round_name, pdf = at.session_state["compare_report"]
    assert (unit, round_name) == ("k1.ho.bof1", "2026-1") and pdf[:5] == b"%PDF-"


def test_a_coordinator_lands_on_the_running_round_and_sees_no_scores(demo_database):
    at = open_app("en", user="koordinator")
    assert not at.exception, at.exception
    assert at.title[0].value == "My units"
    assert [s.value for s in at.subheader] == ["The running round: 2026-1"], "no unit sections with scores"
    rates = shown(at.dataframe[0])
    assert {"Unit", "Answers", "Invited", "Response rate"} <= set(rates.columns)
    assert not at.table, "a coordinator sees response rates, not scale means"


def test_the_dashboard_s_unit_report_reads_its_own_cells_and_equals_the_whole_publication_s(demo_database):
    """The report button reads only the report's cells (an administrator's whole publication is
    millions of cells on a national round); the report is the one the whole publication gives,
    for a manager's unit and for the administrator."""
    from dashboard import data, data_compare, data_landing
    from scoring.reporting.unit_report import REPORT_PAGES, unit_report
    from scoring.store.access import principal_for
    from tests.store.test_report_cells import assert_same_report

    latest = data.round_names()[-1]
    for user, unit in (("leder", "k1.ho"), ("leder", "k1.ho.hj1"), ("admin", "k1.ho.hj2")):
        principal = principal_for(demo_database, user)
        slim = data.report_cells(principal, unit, latest)
        whole = data.publication(principal)
        assert set(slim.cells["page"]) <= set(REPORT_PAGES) and len(slim.cells) < len(whole.cells) / 2
        args = (data.units(), unit, latest, data_compare.headcount(latest), data_landing.actions(principal), data_landing.round_instruments(latest), "nb")
        assert_same_report(unit_report(slim, *args), unit_report(whole, *args))
