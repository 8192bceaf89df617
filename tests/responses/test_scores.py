"""Scale scores against hand-computed values (reverse keys, missing codes, min-answered, rules)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.responses.reading import code_responses
from scoring.responses.scores import reverse_key, score_scales


def table(rows):
    cols = ["response", "mi_a1", "mi_a2", "mi_a3", "mi_a4", "mi_v1", "mi_v2"]
    return pd.DataFrame(rows, columns=cols)


def scores_of(mini, rows):
    coded = code_responses(table(rows), mini)
    return score_scales(coded.items, mini)


def test_mean_reverses_keyed_items(mini):
    # mi_a3 is reverse-keyed on 1..5: 2 -> 4.  (5 + 4 + 4 + 3) / 4 = 4.0
    s = scores_of(mini, [["r1", 5, 4, 2, 3, 7.5, 8.0]])
    assert s.loc[0, "mi_a"] == pytest.approx(4.0)
    assert s.loc[0, "mi_v"] == pytest.approx(15.5)


def test_dont_know_code_is_missing_not_a_value(mini):
    # 9 = "vet ikke": mean of 5, 4 and reversed 2 (=4) is 13/3
    s = scores_of(mini, [["r1", 5, 4, 2, 9, 1.0, 2.0]])
    assert s.loc[0, "mi_a"] == pytest.approx(13 / 3)


def test_min_answered_share_decides_if_a_score_exists(mini):
    rows = [
        ["r1", 5, None, 9, None, 1.0, 2.0],  # 1 of 4 answered: below 0.5
        ["r2", 5, 3, None, 9, 1.0, 2.0],  # 2 of 4 answered: exactly 0.5 -> scored
    ]
    s = scores_of(mini, rows)
    assert np.isnan(s.loc[0, "mi_a"])
    assert s.loc[1, "mi_a"] == pytest.approx(4.0)
    # prorated sum needs 3 of 4 (0.75): r2 has only 2
    assert np.isnan(s.loc[1, "mi_a_sum"])


def test_prorated_sum_is_mean_times_item_count(mini):
    # answered 4, 2, reversed(1)=5 -> mean 11/3, times 4 items
    s = scores_of(mini, [["r1", 4, 2, 1, None, 0.0, 0.0]])
    assert s.loc[0, "mi_a_sum"] == pytest.approx(44 / 3)


def test_pomp_is_percent_of_maximum_possible(mini):
    # items 1,1,reversed(5)=1,1 -> mean 1 -> POMP 0; 5,5,reversed(1)=5,5 -> 100; mean 3 -> 50
    s = scores_of(mini, [["r1", 1, 1, 5, 1, 0, 0], ["r2", 5, 5, 1, 5, 0, 0], ["r3", 3, 2, 3, 4, 0, 0]])
    assert list(s["mi_a_pomp"]) == pytest.approx([0.0, 100.0, 50.0])


def test_sum_needs_every_item(mini):
    s = scores_of(mini, [["r1", 3, 3, 3, 3, 4.2, None]])
    assert np.isnan(s.loc[0, "mi_v"])


def test_tscore_uses_norm_mean_and_sd():
    from scoring.instrument.model import Norms, Scale
    from scoring.responses.scores import scale_score

    scale = Scale(id="t", name={"nb": "t"}, items=["a", "b"], scoring="tscore", min_answered=0.5,
                  norms=Norms(status="local", mean=3.0, sd=0.5, provenance="test"))
    keyed = np.array([[4.0, 4.0], [2.0, np.nan], [np.nan, np.nan]])
    out = scale_score(keyed, scale, 1, 5)
    assert out[0] == pytest.approx(70.0)
    assert out[1] == pytest.approx(30.0)
    assert np.isnan(out[2])


def test_scores_keep_the_row_order_and_index(mini):
    s = scores_of(mini, [["a", 1, 1, 1, 1, 0, 0], ["b", 5, 5, 5, 5, 10, 10]])
    assert list(s.index) == [0, 1]
    assert s.loc[1, "mi_v"] == pytest.approx(20.0)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=50))
def test_reversing_twice_is_the_identity(values):
    x = np.array(values, dtype=float)
    assert np.array_equal(reverse_key(reverse_key(x, 1, 5), 1, 5), x)


@given(st.lists(st.one_of(st.integers(1, 5), st.none()), min_size=4, max_size=4))
def test_mean_score_lies_within_the_response_scale(mini, answers):
    s = scores_of(mini, [["r1", *answers, 0, 0]])
    value = s.loc[0, "mi_a"]
    if sum(a is not None for a in answers) >= 2:
        assert 1.0 <= value <= 5.0
    else:
        assert np.isnan(value)
