"""Unit comparison from the publication: hand-computed means and CIs, benchmarks, trends, scope."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.privacy.publication import Viewer, publish
from scoring.reporting.comparison import comparison, mean_ci, trends, welch_difference
from tests.reporting.rounds import one_scale, tree

TREE = tree([("org", None, "kommune"), ("a", "org", "team"), ("b", "org", "team"), ("c", "org", "enhet"), ("p", None, "partner")])
A = [1, 2, 3, 4, 5, 3, 2, 4]
DATA = {"a": A, "b": [5, 5, 5], "c": [2, 2, 3, 3, 4, 4, 3]}


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
    comp = comparison(publish(TREE, [one_scale(DATA)]), TREE, "s", "r1")
    table = comp.units.set_index("unit")
    assert "p" not in table.index, "partner services are rated, not surveyed"
    assert table.loc["b", "suppressed"] and table.loc["b", "why"] == "below_min_n"
    assert table.loc["c", "suppressed"] and table.loc["c", "why"] == "protects_other"
    assert pd.isna(table.loc["b", "n"]) and np.isnan(table.loc["c", "mean"])
    a = table.loc["a"]
    assert a["n"] == 8 and a["mean"] == pytest.approx(3.0)
    assert a["sd"] == pytest.approx(np.std(A, ddof=1))
    low, high = mean_ci(3.0, a["sd"], 8)
    assert (a["ci_low"], a["ci_high"]) == pytest.approx((low, high))
    everyone = A + DATA["b"] + DATA["c"]
    assert table.loc["org", "n"] == 18 and table.loc["org", "mean"] == pytest.approx(np.mean(everyone))
    assert comp.organisation["n"] == 18
    # the team benchmark pools a and the hidden b: it would give b away, so it is hidden too
    assert pd.isna(a["type_n"]) and np.isnan(a["type_mean"])


def test_a_unit_types_benchmark_is_shown_where_it_follows_from_shown_units():
    data = {"a": A, "b": [5, 5, 5, 4, 4], "c": [2, 2, 3, 3, 4, 4, 3]}
    a = comparison(publish(TREE, [one_scale(data)]), TREE, "s", "r1").units.set_index("unit").loc["a"]
    assert a["type_n"] == 13 and a["type_mean"] == pytest.approx(np.mean(A + data["b"]))


def test_a_manager_sees_own_units_decided_with_the_organisation():
    manager = Viewer("leder", "manager", frozenset({"c"}))
    comp = comparison(publish(TREE, [one_scale(DATA)], manager), TREE, "s", "r1")
    assert list(comp.units["unit"]) == ["c"]
    assert bool(comp.units.loc[0, "suppressed"]), "c stays hidden for its own manager: else org - a - c = b"


def test_trend_flags_change_only_beyond_uncertainty():
    r1 = one_scale({"a": [2, 2, 3, 2, 2, 3, 2, 2], "c": [3, 3, 4, 3, 3, 4, 3, 3]}, "r1")
    r2 = one_scale({"a": [4, 5, 4, 4, 5, 4, 4, 5], "c": [3, 4, 3, 3, 4, 3, 3, 4]}, "r2")
    trend = trends(publish(TREE, [r1, r2]), TREE, "s").units.set_index(["unit", "round"])
    assert trend.loc[("a", "r2"), "change_reading"] == "higher"
    assert trend.loc[("c", "r2"), "change_reading"] == "unclear"
    assert pd.isna(trend.loc[("a", "r1"), "change_reading"])


def test_a_round_without_answers_hides_every_unit_instead_of_failing():
    small = tree([("org", None, "kommune"), ("a", "org", "team"), ("b", "org", "team")])
    empty = comparison(publish(small, [one_scale({}, "r2")]), small, "s", "r2")
    assert empty.units["suppressed"].all() and empty.units["mean"].isna().all()
    assert empty.organisation["suppressed"] is True
    shown = comparison(publish(small, [one_scale({"a": [1, 2, 3, 4, 5, 3]}, "r1")]), small, "s", "r1").units.set_index("unit")
    assert shown.loc["a", "mean"] == 3.0 and shown.loc["org", "n"] == 6 and shown.loc["b", "suppressed"]


def scale_matrix_one_scale_at_a_time(publication, tree_, round_name, scales):
    """The heatmap as it was built before: :func:`comparison` per scale, concatenated."""
    frames = []
    for scale in scales:
        comp = comparison(publication, tree_, scale, round_name)
        frames.append(comp.units.assign(scale=scale, org_mean=comp.organisation["mean"], org_n=comp.organisation["n"]))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("scope", [None, frozenset({"k1.ho", "k1.ho.bof1", "k1.ho.bof1.t1", "k1.ho.bof1.t2", "k1.ho.bof1.t3"})])
def test_the_heatmap_of_all_scales_at_once_equals_one_comparison_per_scale(scope):
    from scoring.instrument.catalog import bundled
    from scoring.privacy.answers import round_answers
    from scoring.reporting.comparison import MATRIX_COLUMNS, scale_matrix
    from tests.conftest import REPO

    units = pd.read_csv(REPO / "sample_data" / "units.csv")
    table = pd.read_csv(REPO / "sample_data" / "responses.csv")
    table = table[table["round"] == "2025-1"]
    instruments = [bundled("samhandlingsklima"), bundled("medbestemmelse")]
    answers = round_answers(table, instruments, "2025-1", 5)
    viewer = Viewer() if scope is None else Viewer("leder", "manager", scope)
    publication = publish(units, [answers], viewer)
    scales = [s.id for inst in instruments for s in inst.scales][::-1]  # an order of the caller's, not the cells'
    got = scale_matrix(publication, units, "2025-1", scales)
    want = scale_matrix_one_scale_at_a_time(publication, units, "2025-1", scales)
    assert len(got) == len(want) >= 70 and got["suppressed"].any() and (~got["suppressed"]).any()
    assert list(got.columns) == MATRIX_COLUMNS
    assert got["unit"].tolist() == want["unit"].tolist() and got["scale"].tolist() == want["scale"].tolist()
    for column in ("n", "org_n"):
        assert got[column].astype("Float64").fillna(-1).tolist() == want[column].astype("Float64").fillna(-1).tolist(), column
    for column in ("mean", "ci_low", "ci_high", "diff_organisation", "org_mean"):
        np.testing.assert_allclose(got[column].astype(float), want[column].astype(float), rtol=0, atol=0, err_msg=column)
    def missing_as_none(values):  # the per-scale frames mixed None and NaN in concat; both mean "none"
        return [None if pd.isna(x) else x for x in values]

    for column in ("suppressed", "why", "vs_organisation"):
        assert missing_as_none(got[column]) == missing_as_none(want[column]), column
    assert got["vs_organisation"].map(lambda x: x is None or isinstance(x, str)).all()
