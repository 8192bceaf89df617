"""Paging the respondent form: one page per subscale, in item order, with the answer choices."""

from __future__ import annotations

import pandas as pd

from dashboard.form_pages import BACKGROUND_CHOICES, answer_options, form_pages, partner_options, slider_ends
from scoring.instrument.catalog import bundled
from scoring.instrument.model import Instrument
from scoring.store.form import BACKGROUND_FIELDS
from tests.conftest import REPO


def test_the_staff_form_has_one_page_per_subscale_in_item_order():
    pages = form_pages([bundled("samhandlingsklima"), bundled("medbestemmelse")])
    assert [p.scale_id for p in pages] == [
        "sk_info", "sk_koord", "sk_laer", "sk_mote", "sk_likeverd", "sk_ansvar", "sk_forank", "sk_trygg",
        "mb_egen", "mb_styring", "mb_endring", "mb_handling", "mb_tillit",
    ]
    assert pages[0].items == ("sk_info1", "sk_info2", "sk_info3", "sk_info4")
    assert [p.first_of_instrument for p in pages].count(True) == 2 and pages[8].first_of_instrument
    assert [f.id for f in pages[0].fields] == ["sk_partner"] and pages[1].fields == ()
    assert pages[0].title("nb") == "Gjensidig informasjon" and pages[0].title("en") == "Mutual information"
    every = [i for p in pages for i in p.items]
    assert every == bundled("samhandlingsklima").item_ids + bundled("medbestemmelse").item_ids, "each item once"


def test_items_outside_every_scale_and_items_in_two_scales_are_asked_once(mini):
    data = mini.model_dump(mode="json")
    first = data["scales"][0]
    loose = data["items"][-1]["id"]
    for scale in data["scales"]:
        scale["items"] = [i for i in scale["items"] if i != loose]
    data["scales"].append({**first, "id": "again", "items": list(first["items"])})
    inst = Instrument.model_validate(data)
    pages = form_pages([inst])
    asked = [i for p in pages for i in p.items]
    assert sorted(asked) == sorted(inst.item_ids) and len(asked) == len(set(asked))
    assert "again" not in [p.scale_id for p in pages]
    assert pages[-1].scale_id is None and pages[-1].items == (loose,) and pages[-1].title("nb") is None


def test_answer_options_are_the_labelled_codes_then_dont_know():
    rs = bundled("medbestemmelse").response_scale_of("mb_egen1")
    assert answer_options(rs, "nb") == [
        (1, "I svært liten grad"), (2, "I liten grad"), (3, "I noen grad"), (4, "I stor grad"), (5, "I svært stor grad"), (9, "Vet ikke"),
    ]
    assert answer_options(rs, "en")[-1] == (9, "Don't know")
    assert answer_options(rs, "nn")[0] == (1, "I svært lita grad")
    assert answer_options(rs, "se")[0] == (1, "I svært liten grad"), "a missing language falls back to bokmål"


def test_a_slider_item_names_its_ends():
    rs = bundled("feedback-utfall").response_scale_of("fu_velvaere")
    assert slider_ends(rs, "en") == ("Very bad", "Very good")


def test_partner_services_exclude_teams_and_the_respondents_own_line():
    units = pd.read_csv(REPO / "sample_data" / "units.csv", dtype=str, keep_default_na=False)
    offered = partner_options(units, "k1.ho.hj1.t1")
    assert offered[:3] == ["fastleger1", "tildeling1", "nav1"], "partner services first"
    assert not {"k1", "k1.ho", "k1.ho.hj1", "k1.ho.hj1.t1"} & set(offered), "own unit and the units above it"
    assert not any(units.set_index("unit").loc[offered, "unit_type"] == "team")
    assert {"d1", "k1.ho.hj2"} <= set(offered)
    assert "d1.pol" not in partner_options(units, "d1"), "nor the units below the respondent's own"


def test_background_questions_are_fields_the_store_accepts():
    assert set(BACKGROUND_CHOICES) <= set(BACKGROUND_FIELDS)
