"""The Spørsmål page: item distributions per unit and round, scoped, suppressed, nb and en."""

from __future__ import annotations

import html

from streamlit.testing.v1 import AppTest

from scoring.store.access import Principal
from tests.app.conftest import choose, open_app, switch_to
from tests.app.dashboard_pages import shown
from tests.app.plotly_spec import figure as chart
from tests.conftest import REPO

PAGE = "dashboard/pages/items.py"


def items_page(user: str, lang: str = "nb") -> AppTest:
    return switch_to(PAGE, user, lang)



def test_admin_sees_diverging_bars_with_dont_know_apart_for_the_organisation():
    at = items_page("admin")
    assert at.title[0].value == "Spørsmål"
    assert at.selectbox(key="items_unit").value == "__organisation__"
    fig = chart(at)
    traces = {trace["name"]: trace for trace in fig["data"]}
    assert {"Helt uenig", "Helt enig", "Vet ikke", "Ikke svart"} <= set(traces)
    assert max(traces["Helt uenig"]["x"]) <= 0 < max(traces["Helt enig"]["x"]), "disagreement left of zero"
    assert traces["Vet ikke"]["xaxis"] == "x2", "«vet ikke» has a panel of its own"
    assert "n = " in fig["layout"]["title"]["text"]
    table = shown(at.dataframe[0]).map(lambda v: int(v.replace("\u00a0", "")) if isinstance(v, str) and v.replace("\u00a0", "").isdigit() else v)
    assert "Samarbeidspartnerne våre gir oss beskjed når de endrer tilbudet sitt." in set(table["Tekst"])
    n = int(table["n"].iloc[0])
    answered = table[["Helt uenig", "Litt uenig", "Verken enig eller uenig", "Litt enig", "Helt enig"]].sum(axis=1)
    assert (answered + table["Vet ikke"] + table["Ikke svart"] == n).all(), "every item adds up to the unit's n"
    assert (table["Svar"] == answered).all(), "Svar is the item's valid answers, a count (it read 304 200 %)"
    # the phone's list (shown below 640 px instead of the chart): every item's full text and its shares
    phone = next(h.proto.body for h in at.html if "sk-items" in h.proto.body)
    assert all(html.escape(text) in phone for text in table["Tekst"])
    first = fig["data"][[d["name"] for d in fig["data"]].index("Helt enig")]["x"][0]
    assert f"Helt enig {round(first):.0f} %" in phone, "the same shares as the chart"


def test_a_small_unit_says_too_few_answers_and_shows_no_numbers():
    at = items_page("admin")
    choose(at, "items_round", "2026-1")
    choose(at, "items_unit", "k1.ho.hj1.t2")  # a team of 3 people in the sample
    assert any(w.value.startswith("For få svar") for w in at.warning)
    assert not at.get("plotly_chart") and not at.dataframe


def test_manager_chooses_only_among_own_units():
    at = items_page("leder")
    options = at.selectbox(key="items_unit").options
    assert "Hjemmetjenesten sone Nord" in " ".join(options)
    assert not any("DPS" in o or "Døgnavdelingen" in o for o in options)
    assert options[-1] == "Hele organisasjonen", "the organisation stays as a benchmark, after the own units"


def test_manager_asking_for_another_unit_in_the_url_gets_their_own_view_instead():
    at = open_app(user="leder")
    at.query_params["enhet"] = "d1.dogn"
    at.switch_page(PAGE)
    at.run()
    assert [w.value for w in at.warning] == ["Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke."]
    assert not at.error
    assert at.selectbox(key="items_unit").value != "d1.dogn"


def test_researcher_reads_the_page_in_english_after_switching_language():
    at = items_page("forsker")
    at.radio(key="lang").set_value("en")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Items"
    fig = chart(at)
    assert {"Strongly disagree", "Don't know"} <= {trace["name"] for trace in fig["data"]}
    assert "Our partner services let us know when they change what they offer." in set(shown(at.dataframe[0])["Text"])
    choose(at, "items_round", "2026-1")
    choose(at, "items_unit", "k1.ho.hj1.t2")
    assert any(w.value.startswith("Too few answers") for w in at.warning)


def test_scale_level_only_shows_no_item_distribution(monkeypatch):
    monkeypatch.setenv("SAMKLIMA_ITEM_LEVEL", "0")
    at = items_page("admin")
    assert any("bare på skalanivå" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe


def test_clinician_and_anonymous_visitors_are_refused():
    for principal in (Principal("kliniker", "clinician", clinician="kl01"), None):
        page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)
        if principal is not None:
            page.session_state["principal"] = principal
        page.run()
        assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
        assert not page.selectbox
