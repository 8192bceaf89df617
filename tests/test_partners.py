"""Who rates whom: hand-computed cell means, suppression across units and rounds, scope."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.access import Principal
from scoring.partners import ALL_ROUNDS, ORGANISATION, partner_ratings

# A kommune k (teams a and b) and a DPS d (avdelinger x and y); p is a partner service.
TREE = pd.DataFrame(
    {
        "unit": ["k", "a", "b", "d", "x", "y", "p"],
        "name": ["Kommune", "Team A", "Team B", "DPS", "Avd X", "Avd Y", "Fastlegene"],
        "parent": [None, "k", "k", None, "d", "d", None],
        "unit_type": ["kommune", "team", "team", "dps", "avdeling", "avdeling", "partner"],
    }
)


def answers(rows):
    """rows: (unit, round, partner, scores...) -> one response per score."""
    out = [(u, r, partner, s) for u, r, partner, *scores in rows for s in scores]
    return pd.DataFrame(out, columns=["unit", "round", "sk_partner", "s"])


ONE_ROUND = answers(
    [
        ("a", "r1", "d", 3, 4, 4, 5),
        ("a", "r1", "", 2, 2, 2),
        ("b", "r1", "d", 2, 3, 4),
        ("b", "r1", None, 3, 3, 3, 3),
        ("x", "r1", "k", 4, 4, 5),
        ("x", "r1", "", 1, 2, 3),
        ("y", "r1", "k", 1),
        ("y", "r1", "", 4, 4, 4, 4, 4),
        ("a", "r1", "p", 5, 4, 3),
    ]
)


def cell(matrix, rater, rated, round_name=ALL_ROUNDS):
    cells = matrix.select(round_name).set_index(["rater", "rated"])
    return cells.loc[(rater, rated)]


def test_cells_are_hand_computed_means_with_n_and_sd():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    assert m.rated == ["k", "d", "p"], "surveyed units in tree order, then partner services"
    a_d = cell(m, "a", "d")
    assert a_d["n"] == 4 and a_d["mean"] == pytest.approx(4.0)
    assert a_d["sd"] == pytest.approx(np.std([3, 4, 4, 5], ddof=1))
    b_d = cell(m, "b", "d")
    assert b_d["n"] == 3 and b_d["mean"] == pytest.approx(3.0)
    k_d = cell(m, "k", "d")  # the kommune pools its teams: (16 + 9) / 7
    assert k_d["n"] == 7 and k_d["mean"] == pytest.approx(25 / 7)
    org_d = cell(m, ORGANISATION, "d")
    assert org_d["n"] == 7 and org_d["mean"] == pytest.approx(25 / 7)
    assert cell(m, "a", "p")["mean"] == pytest.approx(4.0)


def test_a_small_cell_and_its_sibling_are_hidden_but_the_parent_is_shown():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    # y named k once (primary); x (3) is hidden too, or d - x would give y.
    assert bool(cell(m, "y", "k")["suppressed"]) and pd.isna(cell(m, "y", "k")["n"])
    assert bool(cell(m, "x", "k")["suppressed"]) and np.isnan(cell(m, "x", "k")["mean"])
    d_k = cell(m, "d", "k")
    assert not d_k["suppressed"]
    assert d_k["n"] == 4 and d_k["mean"] == pytest.approx((4 + 4 + 5 + 1) / 4)
    # nobody in the DPS named p: an empty cell is hidden like a small one
    assert bool(cell(m, "d", "p")["suppressed"])


def test_cells_pool_every_round_by_default():
    two = pd.concat([ONE_ROUND, answers([("a", "r2", "d", 1, 5)])], ignore_index=True)
    m = partner_ratings(two, TREE, "s", min_n=3)
    assert m.rounds == ["r1", "r2"] and m.periods == [ALL_ROUNDS]
    pooled = cell(m, "a", "d")
    assert pooled["n"] == 6 and pooled["mean"] == pytest.approx((3 + 4 + 4 + 5 + 1 + 5) / 6)
    with pytest.raises(KeyError):
        m.select("r2")


def test_by_round_gives_each_round_its_own_cells_and_hides_the_small_one():
    two = pd.concat([ONE_ROUND, answers([("a", "r2", "d", 1, 5)])], ignore_index=True)
    m = partner_ratings(two, TREE, "s", min_n=3, by_round=True)
    assert m.periods == ["r1", "r2"]
    assert cell(m, "a", "d", "r1")["n"] == 4 and cell(m, "a", "d", "r1")["mean"] == pytest.approx(4.0)
    assert bool(cell(m, "a", "d", "r2")["suppressed"]), "2 answers in r2"
    assert bool(cell(m, "k", "d", "r2")["suppressed"]), "k in r2 is the same 2 answers"
    assert ALL_ROUNDS not in set(m.cells["round"]), "pooled and per-round cells are never published together"


def test_matrix_pivots_raters_by_partner_with_nan_where_hidden():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    means = m.matrix()
    assert list(means.index) == [ORGANISATION, "k", "a", "b", "d", "x", "y"]
    assert list(means.columns) == ["k", "d", "p"]
    assert means.loc["k", "d"] == pytest.approx(25 / 7)
    assert np.isnan(means.loc["x", "k"])
    assert m.matrix(value="n").loc["d", "k"] == 4


def test_reciprocal_puts_both_directions_side_by_side():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    pairs = m.reciprocal()
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert (row["a"], row["b"]) == ("k", "d")
    assert row["a_rates_b_n"] == 7 and row["a_rates_b_mean"] == pytest.approx(25 / 7)
    assert row["b_rates_a_n"] == 4 and row["b_rates_a_mean"] == pytest.approx(3.5)


def test_manager_sees_own_rows_after_suppression_on_the_whole_tree():
    manager = Principal("leder", "manager", frozenset({"k", "a", "b"}))
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3, principal=manager)
    assert m.raters == [ORGANISATION, "k", "a", "b"]
    assert set(m.cells["rater"]) == {ORGANISATION, "k", "a", "b"}
    assert cell(m, "k", "d")["n"] == 7, "same figure as for the whole organisation"
    assert m.reciprocal().empty, "the DPS's rows are outside the manager's scope"


def test_rows_by_unit_type_pool_only_shown_cells():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    by_type = m.by_unit_type().set_index(["rater_type", "rated"])
    team_d = by_type.loc[("team", "d")]
    assert team_d["n"] == 7 and team_d["mean"] == pytest.approx(25 / 7)
    # x and y are both hidden about k: no avdeling cell to pool
    assert by_type.loc[("avdeling", "k"), "n"] == 0 and np.isnan(by_type.loc[("avdeling", "k"), "mean"])


def test_partner_services_are_columns_never_rows():
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    assert "p" not in m.raters and "p" in m.rated


def test_no_partner_named_gives_an_empty_matrix():
    plain = ONE_ROUND.assign(sk_partner="")
    m = partner_ratings(plain, TREE, "s", min_n=3)
    assert m.rated == [] and m.cells.empty


def test_every_partner_cell_is_withheld_if_the_joint_decision_hides_a_published_unit_figure(monkeypatch):
    """The unit pages decide each round alone; if the joint decision ever hid one of their
    figures, its guarantee would not cover it, so no partner cell is shown at all."""
    import scoring.partners as partners

    real = partners.suppress

    def hiding_team_a(tree, counts, *, views=None, min_n=5):
        decision = real(tree, counts, views=views, min_n=min_n)
        if views is not None:  # the joint decision, not the unit pages' one
            cells = decision.cells
            cells.loc[(cells["unit"] == "a") & (cells["view"] == "r1"), "shown"] = False
        return decision

    monkeypatch.setattr(partners, "suppress", hiding_team_a)
    m = partner_ratings(ONE_ROUND, TREE, "s", min_n=3)
    assert m.cells["suppressed"].all() and m.cells["n"].isna().all()
