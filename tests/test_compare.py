"""Unit comparison: hand-computed means and CIs, suppression on the whole tree, scope after it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.access import Principal
from scoring.compare import compare_units, mean_ci, unit_trends, welch_difference

TREE = pd.DataFrame(
    {
        "unit": ["org", "a", "b", "c", "p"],
        "name": ["Org", "A", "B", "C", "Partner"],
        "parent": [None, "org", "org", "org", None],
        "unit_type": ["kommune", "team", "team", "enhet", "partner"],
    }
)


def scores(values_by_unit, round_name="r1"):
    rows = [(u, round_name, v) for u, values in values_by_unit.items() for v in values]
    return pd.DataFrame(rows, columns=["unit", "round", "s"])


def test_mean_ci_matches_the_t_formula():
    low, high = mean_ci(3.0, 1.0, 9)
    half = stats.t.ppf(0.975, 8) * 1.0 / 3.0
    assert (low, high) == pytest.approx((3.0 - half, 3.0 + half))
    assert np.isnan(mean_ci(3.0, 1.0, 1)[0])


def test_welch_difference_reads_clear_only_when_ci_excludes_zero():
    d, lo, hi, reading = welch_difference(4.0, 0.5, 30, 3.0, 0.5, 30)
    assert d == pytest.approx(1.0) and lo > 0 and reading == "higher"
    *_, reading = welch_difference(3.1, 1.0, 5, 3.0, 1.0, 5)
    assert reading == "unclear"


def test_small_unit_and_its_complement_are_hidden_and_the_rest_hand_computed():
    data = scores({"a": [1, 2, 3, 4, 5, 3, 2, 4], "b": [5, 5, 5], "c": [2, 2, 3, 3, 4, 4, 3]})
    comp = compare_units(data, TREE, "s", "r1")
    table = comp.units.set_index("unit")
    assert "p" not in table.index, "partner services are rated, not surveyed"
    assert bool(table.loc["b", "suppressed"]) and bool(table.loc["c", "suppressed"])
    assert pd.isna(table.loc["b", "n"]) and np.isnan(table.loc["c", "mean"])
    a = table.loc["a"]
    assert a["n"] == 8 and a["mean"] == pytest.approx(3.0)
    assert a["sd"] == pytest.approx(np.std([1, 2, 3, 4, 5, 3, 2, 4], ddof=1))
    low, high = mean_ci(3.0, a["sd"], 8)
    assert (a["ci_low"], a["ci_high"]) == pytest.approx((low, high))
    org = table.loc["org"]
    everyone = [1, 2, 3, 4, 5, 3, 2, 4, 5, 5, 5, 2, 2, 3, 3, 4, 4, 3]
    assert org["n"] == 18 and org["mean"] == pytest.approx(np.mean(everyone))
    # the same-type benchmark pools only shown leaves of that type: a alone (b is hidden)
    assert a["type_n"] == 8 and a["type_mean"] == pytest.approx(3.0)
    assert comp.organisation["n"] == 18


def test_scope_is_applied_after_suppression():
    data = scores({"a": [1, 2, 3, 4, 5, 3, 2, 4], "b": [5, 5, 5], "c": [2, 2, 3, 3, 4, 4, 3]})
    manager = Principal("leder", "manager", frozenset({"c"}))
    comp = compare_units(data, TREE, "s", "r1", principal=manager)
    assert list(comp.units["unit"]) == ["c"]
    assert bool(comp.units.loc[0, "suppressed"]), "c stays hidden for its own manager: else org - a - c = b"


def test_trend_flags_change_only_beyond_uncertainty():
    r1 = scores({"a": [2, 2, 3, 2, 2, 3, 2, 2], "c": [3, 3, 4, 3, 3, 4, 3, 3]}, "r1")
    r2 = scores({"a": [4, 5, 4, 4, 5, 4, 4, 5], "c": [3, 4, 3, 3, 4, 3, 3, 4]}, "r2")
    trend = unit_trends(pd.concat([r1, r2]), TREE, "s").units.set_index(["unit", "round"])
    assert trend.loc[("a", "r2"), "change_reading"] == "higher"
    assert trend.loc[("c", "r2"), "change_reading"] == "unclear"
    assert pd.isna(trend.loc[("a", "r1"), "change_reading"])


def test_a_round_without_answers_hides_every_unit_instead_of_failing():
    """A round that has just opened has no answers yet: every unit is 'too few answers'."""
    tree = pd.DataFrame({"unit": ["org", "a", "b"], "parent": [None, "org", "org"], "name": ["O", "A", "B"],
                         "unit_type": ["kommune", "team", "team"]})
    scores = pd.DataFrame({"unit": ["a"] * 6, "round": ["r1"] * 6, "x": [1, 2, 3, 4, 5, 3.0]})
    empty = compare_units(scores, tree, "x", "r2")
    assert empty.units["suppressed"].all() and empty.units["mean"].isna().all()
    assert empty.organisation["suppressed"] is True
    shown = compare_units(scores, tree, "x", "r1").units.set_index("unit")
    assert shown.loc["a", "mean"] == 3.0 and shown.loc["org", "n"] == 6 and shown.loc["b", "suppressed"]
