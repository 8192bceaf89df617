"""Sammenlign enheter / Compare units: every role, the manager's scope, suppression, ?enhet=, English."""

from __future__ import annotations

import html
import re

import pytest

from tests.app.conftest import open_app
from tests.app.dashboard_pages import html_bodies, open_page, texts

IGNORED = "Enheten i lenken er ikke blant enhetene du har tilgang til, og vises ikke."
OTHER_AREA = ["Fjordvik kommune", "Psykisk helse og rus, Fjordvik", "Fjordvik DPS", "Døgnavdelingen"]


def unit_table(at):
    return at.table[0].value


def test_manager_reaches_the_page_through_the_menu_and_sees_only_own_units():
    at = open_app(user="leder")
    at.switch_page("dashboard/pages/compare.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Sammenlign enheter"
    units = [u.strip() for u in unit_table(at).index]
    assert units[0] == "Helse og omsorg, Fjordvik"
    assert "Bofellesskapet Granveien, våken natt" in units
    assert not set(units) & set(OTHER_AREA)
    assert all(name not in texts(at) for name in OTHER_AREA)


HIDDEN = {"for få svar", "skjult for å verne en mindre gruppe"}


def test_small_units_say_too_few_answers_and_show_no_number():
    at = open_page("compare", "leder")
    table = unit_table(at)
    hidden = table[table["Gjennomsnitt (95 % KI)"].isin(HIDDEN)]
    assert (table["Gjennomsnitt (95 % KI)"] == "for få svar").any(), "the demo has small teams under Hjemmetjenesten sone Nord"
    assert (hidden["n"] == "–").all() and (hidden["Forskjell fra organisasjonen (95 % KI)"] == "–").all()
    shown = table[~table["Gjennomsnitt (95 % KI)"].isin(HIDDEN)]
    assert (shown["n"].astype(int) >= 5).all()


def test_differences_are_described_with_their_uncertainty_not_ranked():
    at = open_page("compare", "leder")
    table = unit_table(at)
    assert set(table["Sammenlignet med organisasjonen"]) <= {
        "Tydelig over organisasjonen", "Kan ikke skilles fra organisasjonen", "Tydelig under organisasjonen", *HIDDEN}
    assert "Tydelig over organisasjonen" in set(table["Sammenlignet med organisasjonen"])
    assert table["Forskjell fra organisasjonen (95 % KI)"].str.contains(" til ").any()
    summary = texts(at)
    assert "Organisasjonen: 3,71 (95 % KI" in summary and "n = 204" in summary
    assert "kan ikke skilles fra det med så mange svar" in summary


def test_the_chart_and_the_units_by_scales_heatmap_are_drawn():
    at = open_page("compare", "leder")
    assert not at.get("plotly_chart"), "the one-scale chart and the heatmap are HTML, not Plotly"
    (chart,) = [b for b in html_bodies(at) if "class='sk-dots'" in b]
    table = unit_table(at)
    rows = re.findall(r"<div class='row' title='[^']*'><div class='name[^']*'[^>]*>(.*?)</div><div class='plot'>(.*?)</div></div>", chart)
    assert len(rows) == len(table), "one row per unit of the table, in its order"
    for (name, plot), (label, row) in zip(rows, table.iterrows()):
        assert html.unescape(name).startswith(label.strip())
        if row["Gjennomsnitt (95 % KI)"] in HIDDEN:
            assert row["Gjennomsnitt (95 % KI)"] in html.unescape(plot) and "class='mark" not in plot, "why, and no mark"
        else:
            reading = {"Tydelig over organisasjonen": "higher", "Tydelig under organisasjonen": "lower"}.get(
                row["Sammenlignet med organisasjonen"], "unclear")
            assert f"class='mark {reading}'" in plot and "class='ci'" in plot, (label, reading)
    assert chart.count("class='org'") == len(rows), "the organisation's mean behind every row"
    assert "<span class='part'>Organisasjonen 3,71</span> <span class='part'>(n = 204)</span>" in chart
    assert [s.value for s in at.subheader] == ["Gjensidig informasjon, runde 2026-1", "Alle skalaer, runde 2026-1"]
    (body,) = [b for b in html_bodies(at) if "sk-heat" in b and "<table" in b]
    units = [u.strip() for u in unit_table(at).index]
    assert [re.sub("<[^>]+>", "", name) for name in re.findall(r"<th scope='row'[^>]*>(.*?)</th>", body)] == units
    cells = re.findall(r"<td style='background:([^;]+);color:#[0-9A-F]{6}' title='[^']*'>(.*?)</td>", body, flags=re.S)
    odd = [c for _, c in cells if not re.fullmatch(r"\d,\d\d<br>(<span role='img' aria-label='[^']+'>[▲▼●]</span>\u00a0[+\u2212]?\d,\d\d<br>)?n\u00a0\d+", c)]
    assert cells and not odd, f"mean, difference with its shape where the organisation's is shown, n: {odd}"
    assert any(colour.startswith("rgb") and colour != "rgb(247, 247, 247)" for colour, _ in cells)
    assert "for få svar" in body, "the small teams say why"
    assert body.count("<td class='hidden'") + len(cells) + 14 * body.count("colspan='14'") == 14 * len(units)


def test_changing_scale_and_round_redraws_for_that_choice():
    at = open_page("compare", "leder")
    at.selectbox(key="compare_scale").set_value("mb_tillit").run()
    at.selectbox(key="compare_round").set_value("2024-1").run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "Tillitsvalgte og samarbeid, runde 2024-1"


def test_choosing_a_parent_unit_shows_its_subtree():
    at = open_page("compare", "leder")
    at.selectbox(key="compare_unit").set_value("k1.ho.hj1").run()
    units = [u.strip() for u in unit_table(at).index]
    assert units == ["Hjemmetjenesten sone Nord", "Hjemmetjenesten sone Nord, dagteam 1",
                     "Hjemmetjenesten sone Nord, dagteam 2", "Hjemmetjenesten sone Nord, kveldsteam"]


def test_units_can_be_ordered_by_name_instead_of_the_tree():
    at = open_page("compare", "leder")
    at.radio(key="compare_sort").set_value("name").run()
    units = list(unit_table(at).index)
    assert units == sorted(units, key=str.casefold)


def test_a_unit_in_scope_named_in_the_url_opens_with_that_subtree():
    at = open_page("compare", "leder", enhet="k1.ho.bof1")
    assert not at.exception, at.exception
    assert [u.strip() for u in unit_table(at).index][0] == "Bofellesskapet Granveien"
    assert len(unit_table(at)) == 4


@pytest.mark.parametrize("unit", ["k1.phr", "d1", "finnes-ikke"])
def test_a_unit_outside_scope_in_the_url_is_ignored_with_a_message_and_never_shown(unit):
    at = open_page("compare", "leder", enhet=unit)
    assert [w.value for w in at.warning] == [IGNORED] and not at.error
    assert at.selectbox(key="compare_unit").value == "__all__", "the manager's own units instead"
    assert "enhet" not in at.query_params
    assert "Psykisk helse" not in texts(at)


def test_admin_sees_the_whole_organisation_and_an_unknown_unit_is_named_as_such():
    at = open_page("compare", "admin")
    units = {u.strip() for u in unit_table(at).index}
    assert {"Fjordvik kommune", "Fjordvik DPS", "Døgnavdelingen"} <= units
    assert not units & {"Fastlegene i Fjordvik", "NAV Fjordvik"}, "partner services are rated, not surveyed"
    at = open_page("compare", "admin", enhet="finnes-ikke")
    assert [w.value for w in at.warning] == [IGNORED]


def test_researcher_sees_the_whole_organisation():
    at = open_page("compare", "forsker")
    assert not at.exception, at.exception
    assert "Fjordvik DPS" in {u.strip() for u in unit_table(at).index}


@pytest.mark.parametrize("user", ["kliniker", None])
def test_a_typed_url_does_not_open_the_page_for_a_clinician_or_nobody(user):
    at = open_page("compare", user)
    assert [e.value for e in at.error] == ["Du har ikke tilgang til denne siden."]
    assert not at.title and not at.table and not at.get("plotly_chart")


def test_the_clinician_menu_has_no_compare_page():
    at = open_app(user="kliniker")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("dashboard/pages/compare.py")


def test_english():
    at = open_page("compare", "leder", lang="en")
    assert at.title[0].value == "Compare units"
    table = unit_table(at)
    assert "too few answers" in set(table["Mean (95% CI)"])
    assert "Not distinguishable from the organisation" in set(table["Compared with the organisation"])
    assert "The organisation: 3.71 (95% CI 3.61 to 3.81), n = 204" in texts(at)
    assert "Sammenlign" not in texts(at) and "for få svar" not in texts(at)


def test_professions_are_not_broken_down_but_their_invariance_verdict_is_read():
    """No per-profession cells are published (docs/privacy.md); the organisation-wide verdict
    across professions is shown under the units, in the Quality page's words."""
    at = open_page("compare", "leder")
    assert not at.exception, at.exception
    assert any(c.value.startswith("Resultatene publiseres per enhet, ikke per yrkesgruppe") for c in at.caption)
    words = [m.value for m in [*at.success, *at.warning]]
    assert any(w.startswith("Skalar invarians holder") or " holder ikke: " in w for w in words), words
    assert not any(c.value.startswith("Yrkesgrupper som sammenlignes") for c in at.caption), "no list of professions here"


def test_the_phone_list_is_one_html_fragment_with_a_details_per_shown_unit():
    """Not an expander per unit (1,500 of them on a national round): one st.html, a <details>
    per unit that has a shown scale, the first open, the same units as the table."""
    at = open_page("compare", "leder")
    assert not at.expander, "no Streamlit expander per unit"
    (body,) = [b for b in html_bodies(at) if "sk-units" in b]
    units = [u.strip() for u in unit_table(at).index]
    titles = re.findall(r"<summary>([^<]*)</summary>|<div class='sk-unit sk-unit-hidden'>([^<]*) \(", body)
    assert [a or b for a, b in titles] == units
    assert body.count("<details class='sk-unit' open>") == 1 and body.index("<details class='sk-unit' open>") == body.index("<details")
    assert "for få svar" in body


def test_a_browser_that_is_not_a_phone_gets_the_heatmap_table_alone():
    """The phone's list is as large as the table; a desktop browser is not sent it
    (dashboard.device), and still gets the table with every unit of the page."""
    from unittest import mock

    import dashboard.device

    with mock.patch.object(dashboard.device, "may_be_phone", lambda: False):
        at = open_page("compare", "leder")
    bodies = html_bodies(at)
    assert not [b for b in bodies if "sk-units" in b], "no phone list"
    (table,) = [b for b in bodies if "sk-heat" in b and "<table" in b]
    assert all(name.strip() in html.unescape(table) for name in unit_table(at).index)
    keys = [b.proto.id for b in at.get("bidi_component")]
    assert any(k.endswith("compare_heatmap_table") for k in keys) and not any(k.endswith("compare_heatmap_list") for k in keys)


def test_a_rerun_with_the_same_choices_builds_no_figure_again():
    """The figures, tables and CSVs are kept per principal, round versions and choice
    (dashboard.compare_views): a rerun or a widget moved back builds nothing; another unit does."""
    from unittest import mock

    import dashboard.compare_views as views

    calls = {"chart": 0, "heatmap": 0, "csv": 0}

    def counted(name, real):

        def call(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        return call

    views.scale_view.clear()
    views.heatmap_view.clear()
    with mock.patch.object(views, "whisker_html", counted("chart", views.whisker_html)), \
            mock.patch.object(views.heat_table, "heatmap_html", counted("heatmap", views.heat_table.heatmap_html)), \
            mock.patch.object(views, "csv_bytes", counted("csv", views.csv_bytes)):
        at = open_page("compare", "leder")
        assert calls == {"chart": 1, "heatmap": 1, "csv": 0}, "a CSV is written when it is downloaded, not on every choice"
        at.run()
        assert calls == {"chart": 1, "heatmap": 1, "csv": 0}, "the same choices: nothing built again"
        at.selectbox(key="compare_unit").set_value("k1.ho.hj1").run()
        assert calls == {"chart": 2, "heatmap": 2, "csv": 0}, "another unit: its own chart and heatmap"
        at.selectbox(key="compare_unit").set_value("__all__").run()
        assert calls == {"chart": 2, "heatmap": 2, "csv": 0}, "back to all units: kept"
        assert not at.exception, at.exception
        assert not at.get("plotly_chart")


def test_a_views_csv_is_written_once_when_asked_for():
    """The download button gets the view's ``csv`` method: the table written as the CSV of
    :func:`csv_bytes` on the first click, kept for the next."""
    from unittest import mock

    import pandas as pd

    import dashboard.compare_views as views
    from scoring.formats.tables import csv_bytes

    table = pd.DataFrame({"Enhet": ["Sone Nord", "=2+2"], "n": [12, "for få svar"]})
    view = views.HeatmapView(wide_html="<table></table>", compact_html="", download=table)
    with mock.patch.object(views, "csv_bytes", wraps=csv_bytes) as written:
        assert written.call_count == 0
        first = view.csv()
        assert view.csv() is first and written.call_count == 1
    assert first == csv_bytes(table) and first.startswith(b"\xef\xbb\xbf") and b"'=2+2" in first


def test_the_levels_slider_is_one_widget_that_starts_from_each_chosen_unit_s_default():
    """A unit change keeps the one levels slider (a slider per unit was mounted anew in the
    browser on every change), and a newly chosen unit starts from its own default levels, not
    from those chosen for the unit before."""
    at = open_page("compare", "leder")
    at.selectbox(key="compare_unit").set_value("k1.ho.hj1").run()
    assert [s.key for s in at.select_slider] == ["compare_levels"] and at.select_slider[0].value == 1
    at.select_slider(key="compare_levels").set_value(0).run()
    assert [u.strip() for u in unit_table(at).index] == ["Hjemmetjenesten sone Nord"]
    at.selectbox(key="compare_unit").set_value("k1.ho").run()
    assert [s.key for s in at.select_slider] == ["compare_levels"]
    assert at.select_slider[0].value > 0 and len(unit_table(at)) > 4, "its own default, not the 0 chosen before"
    at.selectbox(key="compare_unit").set_value("k1.ho.hj1").run()
    assert at.select_slider[0].value == 1 and len(unit_table(at)) == 4


@pytest.mark.parametrize(("lang", "one", "many"), [
    ("nb", "Av 1 enhet med nok svar er 1 tydelig over organisasjonens gjennomsnitt, 0 kan ikke skilles fra det med så "
           "mange svar, og 0 er tydelig under. 1 enhet har for få svar.",
     "Av 1\u00a0500 enheter med nok svar er 2 tydelig over"),
    ("nn", "Av 1 eining med nok svar er 1 tydeleg over gjennomsnittet i organisasjonen, 0 kan ikkje skiljast frå det med "
           "så mange svar, og 0 er tydeleg under. 1 eining har for få svar.",
     "Av 1\u00a0500 einingar med nok svar er 2 tydeleg over"),
    ("en", "Of 1 unit with enough answers, 1 is clearly above the organisation mean, 0 cannot be told apart from it with "
           "this many answers, and 0 are clearly below. 1 unit has too few answers.",
     "Of 1,500 units with enough answers, 2 are clearly above"),
])
def test_the_summary_s_words_agree_with_their_counts(lang, one, many):
    """"Av 1 einingar" was what a phone showed for a team's own unit: each count takes its own
    word (unit/units, and in English is/are, has/have)."""
    from dashboard.describe import compare_summary

    assert compare_summary(1, 1, {"higher": 1, "unclear": 0, "lower": 0}, lang) == one
    text = compare_summary(1500, 3, {"higher": 2, "unclear": 1497, "lower": 1}, lang)
    assert text.startswith(many) and ("1 is clearly below. 3 units have" in text if lang == "en" else "3 ein" in text or "3 enheter" in text)
