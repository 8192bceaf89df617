"""Item quality (scoring.stats.item_quality) agrees with R's psych and flags the items that hurt a scale.

Fixture: tests/reference/fixtures/item_quality_sim.json from tests/reference/item_quality.R
(psych 2.2.9 ``alpha`` r.drop / alpha.drop, ``fa(nfactors = 1)`` loadings) on
tests/reference/data/item_quality.csv: 400 answers to q1..q6 (1..5, 9 = don't know, blank =
missing); q5 is weak (loading .15), q6 sits at the ceiling, q4 is often left blank.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from scoring.stats.irt import graded
from scoring.stats.item_quality import expected_information, item_quality

REF = Path(__file__).parents[1] / "reference"


@pytest.fixture(scope="module")
def fixture() -> dict:
    return json.loads((REF / "fixtures" / "item_quality_sim.json").read_text())


@pytest.fixture(scope="module")
def result():
    answers = pd.read_csv(REF / "data" / "item_quality.csv")
    return item_quality(answers, low=1, high=5, dont_know=[9])


def test_item_rest_r_and_alpha_if_dropped_as_psych_alpha(result, fixture):
    assert result.alpha == pytest.approx(fixture["raw_alpha"], abs=1e-6)
    for item in result.items:
        assert result.table.loc[item, "item_rest_r"] == pytest.approx(fixture["r.drop"][item], abs=1e-6)
        assert result.table.loc[item, "alpha_if_dropped"] == pytest.approx(fixture["alpha.drop"][item], abs=1e-6)


def test_loadings_as_psych_fa_one_factor(result, fixture):
    for item in result.items:
        assert result.table.loc[item, "loading"] == pytest.approx(fixture["loadings"][item], abs=1e-3)


def test_answer_shares_as_counted_in_r(result, fixture):
    shares = fixture["shares"]
    for i, item in enumerate(shares["row"]):
        for column in ["1", "2", "3", "4", "5", "dont_know", "missing", "floor", "ceiling"]:
            assert result.table.loc[item, column] == pytest.approx(shares[column][i], abs=1e-12), (item, column)


def test_the_weak_item_and_the_ceiling_item_are_flagged_and_the_good_ones_not(result):
    flags = result.flags
    assert flags.loc["q5", ["low_item_rest", "alpha_rises", "low_loading", "low_information"]].all()
    assert flags.loc["q6", "ceiling"] and not flags.loc["q6", "floor"]
    assert flags.loc["q4", "missing"]
    assert not flags.loc[["q1", "q2", "q3"]].to_numpy().any()
    assert "item-rest r .10 < .30" in result.messages["q5"]
    assert "alpha rises from .66 to .72 if dropped" in result.messages["q5"]
    assert result.messages["q1"] == []


def test_information_is_the_item_information_averaged_over_the_standard_normal():
    a, d = 1.7, np.array([2.0, 0.3, -1.1])
    by_quad = integrate.quad(lambda th: graded.information(a, d, np.array([th]))[0] * stats.norm.pdf(th), -np.inf, np.inf)[0]
    assert expected_information(a, d) == pytest.approx(by_quad, abs=1e-6)


def test_information_ranks_the_items_by_their_slopes(result):
    info = result.table["information"]
    assert info.idxmax() == "q1" and info.idxmin() == "q5"
    assert result.table["information_share"].sum() == pytest.approx(1.0)


def test_a_reverse_keyed_item_is_told_to_be_reversed():
    rng = np.random.default_rng(3)
    f = rng.normal(size=300)
    frame = pd.DataFrame({f"x{j}": np.clip(np.round(3 + f + rng.normal(size=300)), 1, 5) for j in range(4)})
    frame["x3"] = 6 - frame["x3"]
    out = item_quality(frame, low=1, high=5, information=False)
    assert out.flags.loc["x3", "negative_item_rest"]
    assert any("reverse-keyed" in m for m in out.messages["x3"])
    assert out.information_reason == "not asked" and out.table["information"].isna().all()


def test_many_dont_know_answers_are_flagged():
    frame = pd.DataFrame({"a": [1, 2, 3, 9, 9, 2, 3, 4, 5, 1], "b": [1, 2, 3, 4, 5, 2, 3, 4, 5, 1], "c": [2, 2, 3, 4, 5, 1, 3, 4, 5, 1]})
    out = item_quality(frame, dont_know=[9], information=False)
    assert out.table.loc["a", "dont_know"] == pytest.approx(0.2 + 0.0) and not out.flags.loc["a", "dont_know"]
    frame.loc[0, "a"] = 9
    out = item_quality(frame, dont_know=[9], information=False)
    assert out.flags.loc["a", "dont_know"] and out.table.loc["a", "1"] == pytest.approx(1 / 7)


def test_too_few_respondents_for_the_graded_model_leave_information_empty_with_the_reason():
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5] * 4, "b": [1, 3, 3, 4, 5] * 4, "c": [2, 2, 3, 5, 5] * 4})
    out = item_quality(frame)
    assert out.table["information"].isna().all() and "at least 50" in out.information_reason
    assert np.isfinite(out.table["item_rest_r"]).all()


def test_a_code_outside_the_scale_is_an_error_naming_item_and_row():
    frame = pd.DataFrame({"a": [1, 2, 7], "b": [1, 2, 3]})
    with pytest.raises(ValueError, match=r"item 'a', row 3: code 7 is outside 1..5"):
        item_quality(frame, low=1, high=5, dont_know=[9])


def test_result_protocol(result):
    out = result.to_dict()
    assert out["items"]["q6"]["distribution"]["5"] == pytest.approx(result.table.loc["q6", "5"])
    assert "ceiling" in out["items"]["q6"]["flags"] and out["items"]["q6"]["warnings"]
    assert "q5: item-rest r .10 < .30" in result.summary()
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize("small", [False, True])
def test_kept_as_json_it_reads_back_the_same(result, small):
    """The Kvalitet page keeps a round's item statistics in the database (scoring.store.quality):
    read back, the table, flags, messages and reasons (with their codes) are the same."""
    from scoring.errors import Coded
    from scoring.stats.item_quality import ItemQualityResult

    if small:  # too few respondents: information NaN, with a coded reason
        result = item_quality(pd.DataFrame({"a": [1, 2, 3, 4, 5] * 4, "b": [1, 3, 3, 4, 5] * 4, "c": [2, 2, 3, 5, 5] * 4}))
    back = ItemQualityResult.from_payload(json.loads(json.dumps(result.to_payload())))
    pd.testing.assert_frame_equal(back.table, result.table, check_exact=True)
    pd.testing.assert_frame_equal(back.flags, result.flags)
    assert back.messages == result.messages and back.to_dict() == result.to_dict()
    assert (back.scale, back.items, back.codes, back.n_rows, back.alpha) == (result.scale, result.items, result.codes, result.n_rows, result.alpha)
    assert back.warnings == result.warnings and back.information_reason == result.information_reason
    if isinstance(result.information_reason, Coded):
        assert back.information_reason.code == result.information_reason.code
