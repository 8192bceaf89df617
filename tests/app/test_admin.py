"""The admin page: create and close rounds, links and printouts, response counts and rates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from scoring.store import api
from scoring.store.access import Principal
from scoring.store.prepare import Preparation
from tests.app.dashboard_pages import shown
from tests.app.survey_database import own_database
from tests.conftest import REPO

ADMIN = Principal("admin", "admin")
TEAMS = ["k1.ho.hj1.t1", "k1.ho.hj1.t2", "k1.ho.hj1.t3"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    with own_database(tmp_path_factory.mktemp("admin-data")) as engine:
        # Every rerun checks the account in the database, so the principals below need one.
        api.create_account(engine, "admin", "x", "admin")
        api.create_account(engine, "leder", "x", "manager", units=["k1.ho"])
        yield engine


def open_admin(principal: Principal | None = ADMIN, lang: str = "nb") -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["principal"] = principal
    at.run()
    at.switch_page("dashboard/pages/admin.py").run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


def round_names(engine) -> list[str]:
    return [r.name for r in api.list_rounds(engine)]


def fill_new_round(at: AppTest, name: str, units=TEAMS, opens=None, closes=None) -> None:
    at.text_input(key="admin_new_name").input(name)
    at.multiselect(key="admin_new_units").set_value(list(units))
    at.date_input(key="admin_new_opens").set_value(opens)
    at.date_input(key="admin_new_closes").set_value(closes)


def test_admin_creates_a_round_and_follows_the_response_rate_per_unit(engine):
    at = open_admin()
    assert at.title[0].value == "Administrasjon"
    fill_new_round(at, "høst-2026")
    click(at, "Opprett runden")
    assert "Runden høst-2026 er opprettet og åpen." in at.success[0].value
    assert at.selectbox(key="admin_round").value == "høst-2026"
    assert "høst-2026" in shown(at.dataframe[0])["Runde"].tolist()
    info = api.round_info(engine, "høst-2026")
    assert (info.units, info.mode, info.min_n, info.state) == (3, "anonymous", 5, "open")
    assert [i["id"] for i in info.instruments] == ["samhandlingsklima", "medbestemmelse"]

    token = {link.unit: link.token for link in api.make_links(engine, "høst-2026")}["k1.ho.hj1.t1"]
    for n in range(3):
        api.submit_response(engine, token=token, answers={"sk_info1": 4}, language="nb", idempotency_key=f"admin-{n}")
    api.import_headcount(engine, pd.DataFrame({"unit": TEAMS, "round": ["høst-2026"] * 3, "invited": ["10", "8", "5"]}))
    at.run()
    status = next(shown(d) for d in at.dataframe if "Svarprosent" in shown(d).columns and "Enhet" in shown(d).columns)
    # The publication's response rates: with 3 answers in a round of min_n 5 no count is shown,
    # so following the rate never tells how many of a small team have answered.
    assert status["Svar"].tolist() == ["for få svar"] * 3, status.to_dict()
    assert status["Inviterte"].tolist() == ["10", "8", "5"], status.to_dict()
    assert status["Svarprosent"].tolist() == ["–", "–", "–"]
    assert any("Svarprosenten vises når minst 5 har svart" in m.value for m in at.info)
    for n in range(3, 12):
        api.submit_response(engine, token=token, answers={"sk_info1": 4}, language="nb", idempotency_key=f"admin-{n}")
    data.rounds.clear()  # the round list (with its answer count) is cached for a minute
    at.run()
    status = next(shown(d) for d in at.dataframe if "Svarprosent" in shown(d).columns and "Enhet" in shown(d).columns)
    assert status["Svar"].tolist()[0] == "12" and status["Svarprosent"].tolist()[0] == "120\u00a0%"
    assert status["Svar"].tolist()[1:] == ["for få svar"] * 2  # 0 answers is a count below min_n too
    assert at.get("plotly_chart"), "a bar chart of responses and invited per unit"


def test_bad_input_is_explained_and_nothing_is_stored(engine):
    api.create_round(engine, "finnes", ["medbestemmelse"], TEAMS[:1])
    before = round_names(engine)
    at = open_admin()
    fill_new_round(at, "finnes")
    click(at, "Opprett runden")
    assert "Ingenting er lagret" in at.error[0].value and "Navn: Det finnes allerede en runde som heter «finnes»." in at.error[0].value.replace("\\", "")
    fill_new_round(at, "ny", opens=dt.date(2026, 12, 1), closes=dt.date(2026, 11, 1))
    at.multiselect(key="admin_new_instruments").set_value([])
    click(at, "Opprett runden")
    message = at.error[0].value
    assert "Stenger: Siste dag (2026-11-01) er før første dag (2026-12-01)." in message.replace("\\", "")
    assert "Spørreskjemaer: Velg minst ett spørreskjema." in message.replace("\\", "")
    assert round_names(engine) == before


def test_closing_a_round_asks_for_confirmation_and_stops_its_links(engine):
    api.create_round(engine, "lukkes", ["medbestemmelse"], TEAMS[:1])
    token = api.make_links(engine, "lukkes")[0].token
    at = open_admin()
    at.selectbox(key="admin_round").set_value("lukkes").run()
    click(at, "Avslutt runden")
    assert "Kryss av" in at.warning[0].value
    assert api.round_info(engine, "lukkes").state == "open"
    at.checkbox(key="admin_close_sure").check()
    click(at, "Avslutt runden")
    assert "Runden lukkes er avsluttet." in at.success[0].value
    with pytest.raises(api.AccessRefused):
        api.resolve_access(engine, token=token)
    click(at, "Åpne runden igjen")
    assert api.round_info(engine, "lukkes").state == "open"


def test_a_closed_round_s_results_are_made_ready_for_every_manager_and_report_with_a_bar(engine):
    api.create_round(engine, "klar", ["medbestemmelse"], TEAMS)
    tokens = {link.unit: link.token for link in api.make_links(engine, "klar")}
    for unit, n in zip(TEAMS, (7, 6, 2)):
        for i in range(n):
            api.submit_response(engine, token=tokens[unit], answers={"mb_egen1": 1 + i % 5, "mb_egen2": 1 + (i + 1) % 5}, language="nb",
                                idempotency_key=f"klar-{unit}-{i}")
    api.close_round(engine, "klar")
    api.create_round(engine, "tom", ["medbestemmelse"], TEAMS[:1])
    api.close_round(engine, "tom")
    data.rounds.clear()
    at = open_admin()
    at.selectbox(key="admin_round").set_value("klar").run()
    assert Preparation(engine, "klar").todo, "nothing is ready before"
    click(at, "Gjør resultatene klare")
    message = at.success[0].value
    after = Preparation(engine, "klar")
    assert after.todo == [], "every scope is stored"
    scopes, rounds = len(after.viewers), len(after.maker.rounds)  # the rounds with answers up to "klar"
    assert scopes >= 2 and "leder" in {v.user for v in after.viewers} and after.maker.rounds[-1] == "klar"
    assert message == (f"Resultatene er klare: {scopes} visninger av {rounds} runde(r); "
                       f"{scopes * rounds} beregnet nå, 0 var klare fra før.")
    click(at, "Gjør resultatene klare")
    assert at.success[0].value.endswith(f"0 beregnet nå, {scopes * rounds} var klare fra før.")
    at.selectbox(key="admin_round").set_value("tom").run()
    click(at, "Gjør resultatene klare")
    assert "Runden tom har ingen svar ennå." in at.error[0].value, at.error[0].value


def test_unit_links_and_code_slips_for_a_round(engine, monkeypatch):
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", "https://samklima.example.no")
    api.create_round(engine, "koder", ["medbestemmelse"], TEAMS, mode="codes", opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    at = open_admin()
    at.selectbox(key="admin_round").set_value("koder").run()
    at.toggle(key="admin_links_show").set_value(True).run()
    links = next(shown(d) for d in at.dataframe if "Lenke" in shown(d).columns)
    assert links["Enhet"].tolist() == ["Hjemmetjenesten sone Nord, dagteam 1", "Hjemmetjenesten sone Nord, dagteam 2", "Hjemmetjenesten sone Nord, kveldsteam"]
    assert all(url.startswith("https://samklima.example.no/svar?t=") for url in links["Lenke"])
    at.selectbox(key="admin_codes_unit").set_value(TEAMS[1])
    at.number_input(key="admin_codes_count").set_value(4)
    click(at, "Lag kodelapper")
    assert "4 koder laget for Hjemmetjenesten sone Nord, dagteam 2." in at.success[0].value
    counts = api.code_counts(engine, "koder")
    assert counts.set_index("unit").loc[TEAMS[1], "codes"] == 4


def test_the_page_in_english(engine):
    at = open_admin(lang="en")
    assert at.title[0].value == "Administration"
    assert [tab.label for tab in at.tabs] == [
        "Responses per unit", "New round", "Links and printouts", "Number invited", "Accounts", "Access requests (0)",
    ]
    assert "Create the round" in [b.label for b in at.button]


def test_other_roles_do_not_get_the_page(engine):
    manager = Principal("leder", "manager", units=frozenset({"k1.ho"}))
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_admin(manager)  # the menu has no admin page for a manager
    page = AppTest.from_file(str(REPO / "dashboard" / "pages" / "admin.py"), default_timeout=60)
    page.session_state["principal"] = manager
    page.run()
    assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
    assert not page.dataframe and not page.button
    anonymous = AppTest.from_file(str(REPO / "dashboard" / "pages" / "admin.py"), default_timeout=60)
    anonymous.run()
    assert [e.value for e in anonymous.error] == ["Du har ikke tilgang til denne siden."]
