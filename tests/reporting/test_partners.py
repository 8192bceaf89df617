"""Who rates whom from the publication: hand-computed cell means, suppression, scope, per round."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.privacy.publication import ORGANISATION, Viewer, publish
from scoring.reporting.partners import partner_matrix
from tests.reporting.rounds import one_scale, tree

# A kommune k (teams a and b) and a DPS d (avdelinger x and y); p is a partner service.
TREE = tree([("k", None, "kommune"), ("a", "k", "team"), ("b", "k", "team"), ("d", None, "dps"),
             ("x", "d", "avdeling"), ("y", "d", "avdeling"), ("p", None, "partner")])
ROWS = [  # (unit, partner named, scores...)
    ("a", "d", 3, 4, 4, 5),
    ("a", "", 2, 2, 2),
    ("b", "d", 2, 3, 4),
    ("b", "", 3, 3, 3, 3),
    ("x", "k", 4, 4, 5),
    ("x", "", 1, 2, 3),
    ("y", "k", 1),
    ("y", "", 4, 4, 4, 4, 4),
    ("a", "p", 5, 4, 3),
]


def round_of(rows=ROWS, name="r1", min_n=3):
    values: dict[str, list[float]] = {}
    partner = []
    for unit, *_ in rows:
        values.setdefault(unit, [])
    for unit in values:  # one_scale orders respondents unit by unit
        for u, named, *scores in rows:
            if u == unit:
                values[unit] += scores
                partner += [named] * len(scores)
    return one_scale(values, name, min_n, partner=partner)


def matrix(viewer=None, rounds=None, round_name="r1"):
    return partner_matrix(publish(TREE, rounds or [round_of()], viewer), TREE, "s", round_name)


def cell(m, rater, rated):
    return m.cells.set_index(["rater", "rated"]).loc[(rater, rated)]


def test_cells_are_hand_computed_means_with_n_and_sd():
    m = matrix()
    assert m.rated == ["k", "d", "p"], "surveyed units in tree order, then partner services"
    a_d = cell(m, "a", "d")
    assert a_d["n"] == 4 and a_d["mean"] == pytest.approx(4.0)
    assert a_d["sd"] == pytest.approx(np.std([3, 4, 4, 5], ddof=1))
    k_d = cell(m, "k", "d")  # the kommune pools its teams: (16 + 9) / 7
    assert k_d["n"] == 7 and k_d["mean"] == pytest.approx(25 / 7)
    assert cell(m, ORGANISATION, "d")["n"] == 7
    assert cell(m, "a", "p")["mean"] == pytest.approx(4.0)


def test_a_small_cell_and_its_sibling_are_hidden_but_the_parent_is_shown():
    m = matrix()
    # y named k once (primary); x (3) is hidden too, or d - x would give y.
    assert bool(cell(m, "y", "k")["suppressed"]) and pd.isna(cell(m, "y", "k")["n"]) and cell(m, "y", "k")["why"] == "below_min_n"
    assert bool(cell(m, "x", "k")["suppressed"]) and np.isnan(cell(m, "x", "k")["mean"])
    d_k = cell(m, "d", "k")
    assert not d_k["suppressed"] and d_k["n"] == 4 and d_k["mean"] == pytest.approx((4 + 4 + 5 + 1) / 4)
    assert bool(cell(m, "d", "p")["suppressed"]), "nobody in the DPS named p: an empty cell is hidden"


def test_each_round_has_its_own_cells_and_none_pools_rounds():
    second = round_of([("a", "d", 1, 5), ("a", "", 3, 3, 3), ("b", "", 3, 3, 3)], "r2")
    pub = publish(TREE, [round_of(), second])
    assert set(pub.select("partners")["round"]) == {"r1", "r2"}
    r1 = partner_matrix(pub, TREE, "s", "r1")
    assert cell(r1, "a", "d")["n"] == 4
    r2 = partner_matrix(pub, TREE, "s", "r2")
    assert bool(cell(r2, "a", "d")["suppressed"]), "2 answers in r2"


def test_matrix_pivots_raters_by_partner_with_nan_where_hidden():
    m = matrix()
    means = m.matrix()
    assert list(means.index) == [ORGANISATION, "k", "a", "b", "d", "x", "y"]
    assert list(means.columns) == ["k", "d", "p"]
    assert means.loc["k", "d"] == pytest.approx(25 / 7)
    assert np.isnan(means.loc["x", "k"])
    assert m.matrix(value="n").loc["d", "k"] == 4


def test_reciprocal_puts_both_directions_side_by_side():
    pairs = matrix().reciprocal()
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["a"], row["b"]) == ("k", "d")
    assert row["a_rates_b_n"] == 7 and row["a_rates_b_mean"] == pytest.approx(25 / 7)
    assert row["b_rates_a_n"] == 4 and row["b_rates_a_mean"] == pytest.approx(3.5)


def test_manager_sees_own_rows_decided_with_the_organisation():
    m = matrix(Viewer("leder", "manager", frozenset({"k", "a", "b"})))
    assert set(m.cells["rater"]) <= {ORGANISATION, "k", "a", "b"}
    assert cell(m, "k", "d")["n"] == 7, "same figure as for the whole organisation"
    assert m.reciprocal().empty, "the DPS's rows are outside the manager's scope"


def test_partner_services_are_columns_never_rows():
    m = matrix()
    assert "p" not in m.raters and "p" in m.rated


def test_no_partner_named_gives_an_empty_matrix():
    plain = [(u, "", *scores) for u, _, *scores in ROWS]
    m = matrix(rounds=[round_of(plain)])
    assert m.rated == [] and m.cells.empty
