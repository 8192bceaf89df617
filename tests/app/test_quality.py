"""The Kvalitet page: reliability, agreement, CFA fit and invariance; researchers compute,
managers read (own units only in the per-unit listing), clinicians are refused."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scoring.instrument.catalog import bundled
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.samples.demo import sample_tables
from scoring.stats.reliability.alpha import alpha
from scoring.store.access import Principal
from tests.app.conftest import choose, switch_to
from tests.app.dashboard_pages import shown
from tests.app.plotly_spec import figures
from tests.conftest import REPO

PAGE = "dashboard/pages/quality.py"


def quality_page(user: str, lang: str = "nb") -> AppTest:
    return switch_to(PAGE, user, lang)



@pytest.fixture(scope="module")
def info_alpha_latest():
    """Alpha of Gjensidig informasjon in the latest round, straight from the sample files."""
    responses = sample_tables().responses
    inst = bundled("samhandlingsklima")
    latest = responses[responses["round"] == "2026-1"].reset_index(drop=True)
    keyed = keyed_items(code_responses(latest[["response", "unit", "round", *inst.item_ids]], inst).items, inst)
    return alpha(keyed[inst.scale("sk_info").items], low=1, high=5)


def test_researcher_sees_every_scale_with_alpha_its_ci_and_n(info_alpha_latest):
    at = quality_page("forsker")
    assert at.title[0].value == "Kvalitet"
    overview = shown(at.dataframe[0])
    assert len(overview) == 9 and overview["Skala"].iloc[-1] == "Samhandlingsklima samlet"
    first = overview.iloc[0]
    rel = info_alpha_latest
    assert first["Alfa"] == f"{rel.alpha:.2f}".replace(".", ",") and int(first["n"]) == rel.n
    lo, hi = rel.feldt_ci
    assert first["Alfa 95 % KI"] == f"{lo:.2f} til {hi:.2f}".replace(".", ",")
    assert {"ICC(1)", "ICC(2)", "rwg(j), median", "CFI", "TLI", "RMSEA", "RMSEA 90 % KI", "SRMR"} <= set(overview.columns)
    assert overview["Omega totalt"].iloc[-1] != "–" and overview["Omega hierarkisk"].iloc[-1] != "–"
    assert len(at.get("plotly_chart")) == 2
    items = shown(at.dataframe[-2])  # item by item, for the first scale
    assert list(items["Spørsmål"]) == list(bundled("samhandlingsklima").scale("sk_info").items)
    assert {"Svar 1", "Svar 5", "Vet ikke", "Ubesvart", "Gulv", "Tak", "Item-rest r", "Alfa uten", "Ladning", "Informasjon",
            "Merknader"} <= set(items.columns)
    assert any(c.value.startswith("Yrkesgrupper som sammenlignes: ") for c in at.caption), "professions with enough answers"
    assert at.success or at.warning, "the invariance across professions is read"
    dif = shown(at.dataframe[-1])  # DIF between the previous and the chosen round
    assert list(dif["Spørsmål"]) == list(items["Spørsmål"]) and set(dif["DIF?"]) <= {"ja", "nei", "ikke testet"}
    # a missing number (withheld, untested, not computed) is painted as the placeholder in the browser
    assert [d.proto.placeholder for d in (at.dataframe[0], at.dataframe[1], at.dataframe[-2], at.dataframe[-1])] == ["–"] * 4
    assert any(c.value.startswith("Referanse: 2025-1; fokus: 2026-1.") for c in at.caption)
    at.radio(key="dif_by").set_value("role").run()
    assert not at.exception, at.exception
    assert any(c.value.startswith("Referanse: Sykepleier; fokus: Helsefagarbeider.") for c in at.caption), "the two largest professions"
    assert not any(c.value.startswith("n = ") for c in at.caption), "no counts of professions"
    assert items["Item-rest r"].str.match(r"^-?\d,\d\d$").all() and items["Tak"].str.endswith("%").all()


def test_item_and_dif_tables_sort_by_value_not_by_text():
    """The item and DIF tables keep their numbers numeric under the written "0,85" (a click on a
    column sorts 0,9 after 0,85), and a withheld share is not in the table at all."""
    at = quality_page("forsker")
    items, written = at.dataframe[-2].value, shown(at.dataframe[-2])
    for column in ("Svar 1", "Tak", "Item-rest r", "Alfa uten", "Ladning"):
        assert pd.api.types.is_float_dtype(items[column]), column
    assert items["Item-rest r"].between(-1, 1).all() and items["Tak"].between(0, 1).all()
    first = items.iloc[0]
    assert written["Item-rest r"].iloc[0] == f"{first['Item-rest r']:.2f}".replace(".", ",").replace("-", "\u2212")
    assert written["Tak"].iloc[0] == f"{100 * first['Tak']:.0f}\u00a0%"
    dif = at.dataframe[-1].value
    assert pd.api.types.is_float_dtype(dif["p"]) and pd.api.types.is_float_dtype(dif["G²"]) and dif["p"].between(0, 1).all()


def test_detail_reads_whether_a_unit_mean_is_meaningful_and_hides_small_units():
    at = quality_page("forsker")
    assert any("Gir et enhetsgjennomsnitt mening her?" in m.value for m in at.markdown)
    assert any("enhet" in i.value.lower() for i in at.info), "the reading in plain words"
    per_unit = shown(at.dataframe[1])
    hidden = per_unit[per_unit["n"] == "for få svar"]
    assert len(hidden) >= 1 and (hidden["rwg(j)"] == "for få svar").all()
    assert (per_unit.loc[per_unit["n"] != "for få svar", "n"].astype(int) >= 5).all()
    # The browser paints a null cell with the table's placeholder, not the Styler's text (it read
    # "None"): a dash, and the reason in words in its own column.
    assert [t.proto.placeholder for t in at.dataframe[:2]] == ["–", "–"]
    assert (hidden["Merknad"] == "for få svar").all() and (per_unit.loc[per_unit["n"] != "for få svar", "Merknad"] == "").all()


def test_invariance_of_a_subscale_is_shown_with_delta_cfi():
    at = quality_page("forsker")
    steps = shown(at.dataframe[2])
    assert list(steps["Trinn"]) == ["Konfigural", "Metrisk", "Skalar"]
    assert steps["Δ CFI"].iloc[0] == "–" and steps["Holder?"].iloc[1] in ("ja", "nei")


def test_total_scale_invariance_waits_for_a_researcher_to_start_it():
    at = quality_page("forsker")
    choose(at, "quality_scale", "sk_total")
    assert any(b.label == "Beregn invarians" for b in at.button)
    assert any("omega hierarkisk 0," in m.value for m in at.markdown)
    assert any("8 korrelerte faktorer" in m.value for m in at.markdown)
    assert any(b.label == "Test invarians mellom yrkesgrupper" for b in at.button), "professions: heavy too"
    items = shown(at.dataframe[-1])
    assert len(items) == 32 and (items["Informasjon"] == "–").all() and (items["Item-rest r"] != "–").all()
    assert any(c.value.startswith("Informasjon beregnes ikke for en totalskala") for c in at.caption)
    assert any(i.value.startswith("DIF testes per delskala") for i in at.info)


def test_manager_reads_without_starting_heavy_runs_and_sees_only_own_units():
    at = quality_page("leder")
    assert any("Som leder kan du lese siden" in i.value for i in at.info)
    per_unit = shown(at.dataframe[1])
    assert "Døgnavdelingen" not in set(per_unit["Enhet"])
    assert set(per_unit["Enhet"]) <= {"Hjemmetjenesten sone Nord, dagteam 1", "Hjemmetjenesten sone Nord, dagteam 2",
                                      "Hjemmetjenesten sone Nord, kveldsteam", "Hjemmetjenesten sone Sør", "Fjordtun sykehjem",
                                      "Bofellesskapet Granveien, dagtjenesten", "Bofellesskapet Granveien, kveldstjenesten",
                                      "Bofellesskapet Granveien, våken natt"}
    choose(at, "quality_scale", "sk_total")
    assert not any(b.label == "Beregn invarians" for b in at.button)
    assert any("en forsker eller administrator kan starte" in i.value for i in at.info)


def test_admin_opens_the_other_instrument():
    at = quality_page("admin")
    choose(at, "quality_instrument", "medbestemmelse")
    assert len(shown(at.dataframe[0])) == 5


def test_english_after_switching_language():
    at = quality_page("forsker")
    at.radio(key="lang").set_value("en")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Quality"
    overview = shown(at.dataframe[0])
    assert "Alpha 95% CI" in overview.columns and overview["Scale"].iloc[0] == "Mutual information"
    assert (shown(at.dataframe[1])["n"] == "too few answers").any()
    assert any("Is a unit mean meaningful here?" in m.value for m in at.markdown)


def test_clinician_and_anonymous_visitors_are_refused():
    for principal in (Principal("kliniker", "clinician", clinician="kl01"), None):
        page = AppTest.from_file(str(REPO / PAGE), default_timeout=60)
        if principal is not None:
            page.session_state["principal"] = principal
        page.run()
        assert [e.value for e in page.error] == ["Du har ikke tilgang til denne siden."]
        assert not page.dataframe


def test_a_failed_fit_and_the_computations_notes_read_in_nynorsk_without_english(monkeypatch):
    """A scale whose CFA fails (a constant item) and whose alpha left an item out: the page says
    why in nynorsk, from the codes the library gave (scoring.messages), not the library's English."""
    import dataclasses

    import pandas as pd

    from dashboard import data_quality
    from scoring.stats.cfa.estimate import cfa

    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [3.0] * 6, "c": [2, 3, 1, 4, 5, 1]}, dtype=float)
    failed = cfa(frame, "F =~ a + b + c")  # a real failure: "constant item(s): b"
    notes = alpha(frame, low=1, high=5).warnings
    real = data_quality.quality

    def with_a_failed_fit(*args, **kwargs):
        report = real(*args, **kwargs)
        scales = [dataclasses.replace(s, fit_reason=failed.reason, fit=dict(failed.fit), warnings=list(notes)) for s in report.scales]
        return dataclasses.replace(report, scales=scales)

    monkeypatch.setattr(data_quality, "quality", with_a_failed_fit)
    at = quality_page("forsker", "nn")
    assert not at.exception, at.exception
    said = [w.value for w in at.warning]
    assert "Modellen kunne ikkje estimerast: Alle har svara det same på b." in said
    page = "\n".join([*said, *(m.value for m in at.markdown)])
    assert "- Alle har svara det same på spørsmålet b; det er utelate frå koeffisientane." in page
    assert "constant item" not in page and "no variance" not in page and "på engelsk" not in page


def test_the_aggregation_reading_is_said_in_nynorsk_on_a_nynorsk_page():
    from scoring.stats.multilevel import READINGS

    assert all(set(texts) == {"nb", "nn", "en"} for texts in READINGS.values())
    at = quality_page("forsker", "nn")
    assert not at.exception, at.exception
    said = [i.value for i in at.info]
    assert any(value in said for value in (texts["nn"] for texts in READINGS.values())), said
    assert not any(value in said for value in (texts["nb"] for texts in READINGS.values()))


def test_a_librarys_own_words_are_only_a_marked_technical_detail_on_a_nynorsk_page(monkeypatch):
    """An optimiser's message and an exception's text the codes do not know: the page says a
    generic sentence in nynorsk, and the words only under "Teknisk detalj"."""
    import dataclasses

    from dashboard import data_quality
    from scoring.errors import Coded, library_reason

    stuck = "Desired error not necessarily achieved due to precision loss."
    fit_reason = Coded(stuck, "no_convergence", detail=stuck)
    note = Coded("omega could not be computed: Singular matrix", "omega_failed", reason=library_reason("Singular matrix"))
    real = data_quality.quality

    def with_library_words(*args, **kwargs):
        report = real(*args, **kwargs)
        return dataclasses.replace(report, scales=[dataclasses.replace(s, fit_reason=fit_reason, warnings=[note]) for s in report.scales])

    monkeypatch.setattr(data_quality, "quality", with_library_words)
    at = quality_page("forsker", "nn")
    assert not at.exception, at.exception
    assert "Modellen kunne ikkje estimerast: Estimeringa konvergerte ikkje." in [w.value for w in at.warning]
    details = [e for e in at.expander if e.label.startswith("Teknisk detalj")]
    assert details and stuck in details[0].markdown[0].value
    outside = "\n".join([*(w.value for w in at.warning), *(m.value for m in at.markdown if stuck not in m.value)])
    assert "precision loss" not in outside and "Singular" not in outside
    notes = next(e for e in at.expander if e.label == "Merknader frå utrekningane")
    said = "\n".join(m.value for m in notes.markdown)
    assert "Omega kunne ikkje reknast ut: Ei utrekning melde om eit teknisk problem (sjå teknisk detalj)." in said
    assert "Singular matrix" in "\n".join(c.value for c in notes.caption) and "Singular" not in said


def agreement_chart(at) -> dict:
    """The agreement chart: the one whose x axis is rwg(j)."""
    (chart,) = [f for f in figures(at) if f["layout"].get("xaxis", {}).get("title", {}).get("text") == "rwg(j)"]
    return chart


def test_units_of_one_name_get_a_bar_each(renamed_demo):
    """Every municipality has its "Hjemmetjenesten sone Nord": Plotly drew units of one name as one
    bar (on the national round one bar per name, 30 px per unit tall). Here two teams share a name."""
    renamed_demo({"k1.ho.hj1.t3": "Kveldsteamet", "k1.phr.ph1.t1": "Kveldsteamet"})
    at = quality_page("admin")
    assert not at.exception, at.exception
    bars = agreement_chart(at)["data"][0]
    assert bars["type"] == "bar" and len(set(bars["y"])) == len(bars["y"])
    twins = {"Kveldsteamet (Hjemmetjenesten sone Nord)", "Kveldsteamet (Psykisk helsetjeneste voksne)"}
    assert twins <= set(shown(at.dataframe[1])["Enhet"]) and twins <= set(bars["y"])


def test_more_units_than_a_bar_chart_holds_are_counted_by_agreement(monkeypatch):
    """A national round lists 1,500 units: a bar each was a chart 45,000 px tall. Above MAX_ROWS
    (here 3) the chart counts units by rwg(j) and the table, all units, scrolls."""
    import dashboard.unit_filter

    monkeypatch.setattr(dashboard.unit_filter, "MAX_ROWS", 3)
    at = quality_page("admin")
    assert not at.exception, at.exception
    per_unit = shown(at.dataframe[1])
    values = per_unit.loc[per_unit["n"] != "for få svar", "rwg(j)"].str.replace(",", ".").astype(float)
    assert len(values) > 3
    chart = agreement_chart(at)
    assert chart["data"][0]["type"] == "histogram"
    assert sorted(chart["data"][0]["x"]) == pytest.approx(sorted(values), abs=0.005)
    assert chart["layout"]["title"]["text"] == f"Enighet i {len(values)} enheter"
    assert chart["layout"]["height"] == 360
