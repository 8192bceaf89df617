"""A round may carry one instrument of several, and a new round has no answers: the item and
quality pages offer what exists instead of failing on missing item columns."""

from __future__ import annotations

import pytest

from scoring.samples.demo import load_demo
from scoring.store import api
from tests.app.conftest import switch_to
from tests.app.survey_database import own_database


@pytest.fixture(scope="module")
def demo_with_a_codetermination_round(tmp_path_factory):
    with own_database(tmp_path_factory.mktemp("partial-rounds")) as engine:
        load_demo(engine)
        api.create_round(engine, "bare-mb", ["medbestemmelse"])  # the latest round: one instrument, no answers
        yield engine


def test_items_page_says_no_data_for_a_round_without_answers(demo_with_a_codetermination_round):
    at = switch_to("dashboard/pages/items.py", "admin")
    assert at.selectbox(key="items_round").value == "bare-mb"
    assert any(i.value == "Ingen data ennå." for i in at.info)
    at.selectbox(key="items_round").select("2026-1")
    at.run()
    assert not at.exception, at.exception
    assert "Gjensidig informasjon" in at.selectbox(key="items_scale").options


def test_quality_page_offers_only_rounds_that_carry_the_instrument(demo_with_a_codetermination_round):
    at = switch_to("dashboard/pages/quality.py", "forsker")
    assert at.selectbox(key="quality_round").options == ["2024-1", "2025-1", "2026-1"]
    assert at.selectbox(key="quality_round").value == "2026-1"
