"""Response rates per unit: pooled up the tree, small counts suppressed on the whole tree, scoped after."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.access import Principal
from scoring.participation import response_rates

TREE = pd.DataFrame(
    {
        "unit": ["org", "area", "a", "b", "c", "d", "p"],
        "name": ["Org", "Area", "A", "B", "C", "D", "Partner"],
        "parent": [None, "org", "area", "area", "area", "org", None],
        "unit_type": ["kommune", "tjenesteomrade", "team", "team", "team", "enhet", "partner"],
    }
)


def status(**counts):
    rows = [(u, r, i) for u, (r, i) in counts.items()]
    return pd.DataFrame(rows, columns=["unit", "responses", "invited"]).astype({"invited": "Int64"})


def test_counts_and_headcounts_are_pooled_up_the_tree():
    r = response_rates(status(a=(10, 20), b=(8, 10), c=(6, 12), d=(20, 25)), TREE, "r1")
    frame = r.units.set_index("unit")
    assert frame.loc["area", "responses"] == 24 and frame.loc["area", "invited"] == 42
    assert frame.loc["org", "responses"] == 44 and frame.loc["org", "invited"] == 67
    assert frame.loc["area", "response_rate"] == pytest.approx(24 / 42)
    assert frame.loc["c", "depth"] == 2
    assert "p" not in frame.index, "partner services are rated, not surveyed"


def test_a_small_count_and_the_sibling_that_would_give_it_away_are_hidden():
    r = response_rates(status(a=(12, 15), b=(3, 4), c=(7, 9), d=(20, 22)), TREE, "r1")
    frame = r.units.set_index("unit")
    assert frame.loc["b", "suppressed"] and pd.isna(frame.loc["b", "responses"]) and pd.isna(frame.loc["b", "response_rate"])
    assert frame.loc["c", "suppressed"], "area - a - c would give b"
    assert frame.loc["b", "invited"] == 4, "the headcount is staff data, not an answer, and stays visible"
    assert not frame.loc["a", "suppressed"] and frame.loc["a", "responses"] == 12


def test_rate_needs_a_complete_headcount_below_the_unit():
    counts = status(a=(12, 15), b=(9, 10), c=(7, 9), d=(20, 22))
    counts.loc[counts["unit"] == "b", "invited"] = pd.NA
    frame = response_rates(counts, TREE, "r1").units.set_index("unit")
    assert pd.isna(frame.loc["area", "response_rate"]) and pd.isna(frame.loc["area", "invited"])
    assert frame.loc["a", "response_rate"] == pytest.approx(12 / 15)


def test_scope_is_cut_after_suppression_so_every_principal_sees_the_same_cells():
    counts = status(a=(12, 15), b=(3, 4), c=(7, 9), d=(20, 22))
    everyone = response_rates(counts, TREE, "r1").units.set_index("unit")
    manager = Principal("m", "manager", frozenset({"area", "a", "b", "c"}))
    mine = response_rates(counts, TREE, "r1", principal=manager).units.set_index("unit")
    assert list(mine.index) == ["area", "a", "b", "c"]
    assert mine["suppressed"].equals(everyone.loc[mine.index, "suppressed"])


def test_an_organisation_below_min_n_shows_no_total():
    r = response_rates(status(a=(2, 4)), TREE, "r1")
    assert r.organisation["suppressed"] and r.organisation["responses"] is None
