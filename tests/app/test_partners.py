"""The Samarbeidspartnere page: who rates whom, both directions, scoped and suppressed, nb and en."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from scoring.instrument.catalog import bundled
from scoring.responses.reading import code_responses
from scoring.responses.scores import score_scales
from scoring.samples.demo import sample_tables
from scoring.store.access import Principal
from tests.app.conftest import switch_to
from tests.app.dashboard_pages import shown
from tests.app.plotly_spec import figure
from tests.conftest import REPO

PAGE = "dashboard/pages/partners.py"


def partners_page(user: str, lang: str = "nb") -> AppTest:
    return switch_to(PAGE, user, lang)


HIDDEN = {"for få svar", "skjult for å verne en mindre gruppe"}


@pytest.fixture(scope="module")
def dps_about_home_care_south():
    """sk_total of the DPS's answers about Hjemmetjenesten sone Sør in round 2026-1, from the sample files."""
    responses = sample_tables().responses
    inst = bundled("samhandlingsklima")
    coded = code_responses(responses[["response", "unit", "round", *inst.item_ids]], inst)
    total = score_scales(coded.items, inst)["sk_total"]
    mask = (responses["unit"].str.startswith("d1.") & (responses["sk_partner"] == "k1.ho.hj2") & total.notna()
            & (responses["round"] == "2026-1"))
    return float(total[mask].mean()), int(mask.sum())


def number(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def test_admin_sees_the_matrix_of_services_with_n_and_hidden_cells(dps_about_home_care_south):
    at = partners_page("admin")
    assert at.title[0].value == "Samarbeidspartnere"
    wide = shown(at.dataframe[0])
    assert list(wide.index) == ["Alle vurderende enheter", "Fjordvik kommune", "Fjordvik DPS"]
    assert {"Hjemmetjenesten sone Nord", "Fjordvik DPS", "Fastlegene i Fjordvik", "NAV Fjordvik"} <= set(wide.columns)
    mean, n = dps_about_home_care_south
    assert wide.loc["Fjordvik DPS", "Hjemmetjenesten sone Sør"] == f"{number(mean)} n = {n}"
    assert (wide == "for få svar").any().any()
    fig = figure(at)
    assert fig["data"][0]["type"] == "heatmap"
    z = np.asarray(fig["data"][0]["z"], dtype=float)
    assert np.isnan(z).any(), "hidden cells carry no value in the chart either"


def test_both_directions_side_by_side(dps_about_home_care_south):
    at = partners_page("forsker")
    pairs = shown(at.dataframe[1])
    row = pairs[(pairs["Tjeneste A"] == "Hjemmetjenesten sone Sør") & (pairs["Tjeneste B"] == "Fjordvik DPS")].iloc[0]
    mean, n = dps_about_home_care_south
    assert row["B om A"] == f"{number(mean)} (n = {n})"
    assert row["A om B"] in HIDDEN, "home care zone south named the DPS too seldom"


def test_rows_by_unit_and_by_unit_type():
    at = partners_page("admin")
    at.radio(key="partners_rows").set_value("units")
    at.run()
    assert not at.exception, at.exception
    rows = [r.strip() for r in shown(at.dataframe[0]).index]
    assert "Bofellesskapet Granveien, våken natt" in rows and "Døgnavdelingen" in rows
    at.radio(key="partners_rows").set_value("types")
    at.run()
    assert not at.exception, at.exception
    assert {"Team", "Avdeling", "Kommune"} <= set(shown(at.dataframe[0]).index)


def test_cells_are_per_round_never_pooled_across_rounds():
    at = partners_page("forsker")
    assert at.selectbox(key="partners_round").options == ["2026-1", "2025-1", "2024-1"]
    at.selectbox(key="partners_round").select("2025-1")
    at.run()
    assert not at.exception, at.exception
    assert "runde 2025-1" in figure(at)["layout"]["title"]["text"]


def test_manager_sees_own_rows_and_all_raters_only():
    at = partners_page("leder")
    rows = list(shown(at.dataframe[0]).index)
    assert rows == ["Alle vurderende enheter", "Helse og omsorg, Fjordvik"]
    at.radio(key="partners_rows").set_value("units")
    at.run()
    rows = [r.strip() for r in shown(at.dataframe[0]).index]
    assert "Fjordvik DPS" not in rows and "Ambulant akutteam" not in rows
    assert "Hjemmetjenesten sone Nord, kveldsteam" in rows
    assert any("Ingen par" in i.value for i in at.info), "the DPS's side is outside the manager's scope"


def test_english_after_switching_language():
    at = partners_page("forsker")
    at.radio(key="lang").set_value("en")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Partners"
    wide = shown(at.dataframe[0])
    assert "All rating units" in wide.index
    assert (wide == "too few answers").any().any()
    assert list(shown(at.dataframe[1]).columns) == ["Service A", "Service B", "A about B", "B about A"]


def test_clinician_and_anonymous_visitors_are_refused():
    for principal in (Principal("kliniker", "clinician", clinician="kl01"), None):
        page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)
        if principal is not None:
            page.session_state["principal"] = principal
        page.run()
        assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
        assert not page.dataframe


def test_partners_of_one_name_are_told_apart_not_refused(renamed_demo):
    """A national tree repeats names (every municipality has its "Hjemmetjenesten sone Nord"): the
    page failed with "Duplicate column names found" and Plotly would draw two partners of one name
    as one column. Here two home-care zones and two partners share names."""
    renamed_demo({"k1.ho.hj2": "Hjemmetjenesten sone Nord",  # same parent as k1.ho.hj1
                  "nav1": "Fastlegene i Fjordvik"})  # no parent, as fastleger1
    at = partners_page("admin")
    wide = shown(at.dataframe[0])
    assert wide.columns.is_unique and wide.index.is_unique
    assert {"Hjemmetjenesten sone Nord (Helse og omsorg, Fjordvik, k1.ho.hj1)", "Hjemmetjenesten sone Nord (Helse og omsorg, Fjordvik, k1.ho.hj2)",
            "Fastlegene i Fjordvik (fastleger1)", "Fastlegene i Fjordvik (nav1)"} <= set(wide.columns)
    x = figure(at)["data"][0]["x"]
    assert len(set(x)) == len(x), "one column per partner in the chart too"


def test_more_rating_units_than_a_chart_holds_show_the_first_ones_and_say_so(monkeypatch):
    """A national organisation has 2,000 rating units: the page shows the first MAX_ROWS in tree
    order (here 3) and says how many there are, instead of half a million cells."""
    import dashboard.unit_filter

    monkeypatch.setattr(dashboard.unit_filter, "MAX_ROWS", 3)
    at = partners_page("admin")
    at.radio(key="partners_rows").set_value("units")
    at.run()
    assert not at.exception, at.exception
    wide = shown(at.dataframe[0])
    assert len(wide) == 3 and list(wide.index)[0] == "Alle vurderende enheter"
    info = [i.value for i in at.info if "første av" in i.value]
    assert info and info[0].startswith("Viser de 3 første av "), [i.value for i in at.info]
    total = int(info[0].split("første av ")[1].split(" ")[0])
    assert total > 3
    assert len(figure(at)["data"][0]["y"]) == 3


def test_partners_with_nothing_to_show_are_left_out_when_there_are_many(monkeypatch):
    """National answers rate partners across the country: a manager's chart had 256 partner
    columns, nearly all "hidden". Above MAX_PARTNERS (here 2) the columns where no unit of the
    rows (leaving out "all raters", their context) has a shown figure are left out, and the page
    says how many."""
    import dashboard.data_items

    at = partners_page("leder")
    at.radio(key="partners_rows").set_value("units")
    at.run()
    full = shown(at.dataframe[0])
    own = [r for r in full.index if r != "Alle vurderende enheter"]
    empty = [c for c in full.columns if full.loc[own, c].isin(HIDDEN).all()]
    assert empty and len(full.columns) > 2, "some partner has nothing to show for leder's units"

    monkeypatch.setattr(dashboard.data_items, "MAX_PARTNERS", 2)
    at.run()
    assert not at.exception, at.exception
    left = shown(at.dataframe[0])
    assert list(left.columns) == [c for c in full.columns if c not in empty]
    assert not any(left.loc[own, c].isin(HIDDEN).all() for c in left.columns)
    note = [c.value for c in at.caption if "er utelatt" in c.value]
    assert note == [f"{len(empty)} av {len(full.columns)} samarbeidspartnere er utelatt: ingen av enhetene i radene har tall om dem som kan vises."]
    assert len(figure(at)["data"][0]["x"]) == len(left.columns)


def test_the_page_reads_one_round_of_partner_cells_and_draws_the_same_matrix(demo_database):
    """The page reads only the partner cells of the round and scale it shows (an administrator's
    whole publication is millions of cells on a national round), and the matrix is the one the
    whole publication gives, for the administrator and a manager, every round and scale."""
    import pandas as pd

    from dashboard import data, data_items
    from scoring.reporting.partners import partner_matrix
    from scoring.store.access import principal_for

    compared = 0
    for user in ("admin", "leder"):
        principal = principal_for(demo_database, user)
        whole = data.publication(principal)
        for round_name in data.round_names():
            for scale, _ in data_items.partner_scales():
                slim = data.page_cells(principal, "partners", round_name, scale).cells
                assert set(slim["page"]) <= {"partners"} and set(slim["round"]) <= {round_name} and set(slim["scale"]) <= {scale}
                read = data_items.partner_matrix(principal, scale, round_name)
                full = partner_matrix(whole, data.units(), scale, round_name)
                assert (read.raters, read.rated, read.names, read.min_n) == (full.raters, full.rated, full.names, full.min_n)
                pd.testing.assert_frame_equal(read.cells, full.cells)
                pd.testing.assert_frame_equal(read.types, full.types)
                compared += len(read.cells)
    assert compared > 100, "the demo's partner ratings were compared, not empty matrices"
