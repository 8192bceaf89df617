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


def test_items_page_opens_on_the_latest_round_with_results_and_says_no_data_for_the_new_one(demo_with_a_codetermination_round):
    at = switch_to("dashboard/pages/items.py", "admin")
    assert at.selectbox(key="items_round").value == "2026-1", "a new round without answers is never the default"
    assert "Gjensidig informasjon" in at.selectbox(key="items_scale").options
    at.selectbox(key="items_round").select("bare-mb")
    at.run()
    assert not at.exception, at.exception
    assert any(i.value == "Ingen data ennå." for i in at.info)


@pytest.mark.parametrize(("page", "key"), [("compare", "compare_round"), ("overview", "overview_round"), ("export", "export_rounds")])
def test_the_default_round_is_the_latest_with_results_not_the_new_round(demo_with_a_codetermination_round, page, key):
    at = switch_to(f"dashboard/pages/{page}.py", "admin")
    box = at.multiselect(key=key) if page == "export" else at.selectbox(key=key)
    assert "bare-mb" in box.options and box.value in ("2026-1", ["2026-1"])
    assert at.query_params["runde"] == "2026-1"


def test_quality_page_offers_only_rounds_that_carry_the_instrument(demo_with_a_codetermination_round):
    at = switch_to("dashboard/pages/quality.py", "forsker")
    assert at.selectbox(key="quality_round").options == ["2024-1", "2025-1", "2026-1"]
    assert at.selectbox(key="quality_round").value == "2026-1"
