"""Response rates from the publication: counts pooled up the tree, small ones hidden, headcount kept."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.privacy.publication import Viewer, publish
from scoring.reporting.participation import response_rates
from tests.reporting.rounds import one_scale, tree

TREE = tree([("org", None, "kommune"), ("area", "org", "tjenesteomrade"), ("a", "area", "team"), ("b", "area", "team"),
             ("c", "area", "team"), ("d", "org", "enhet"), ("p", None, "partner")])


def rates(counts: dict[str, tuple[int, int | None]], viewer=None):
    answers = one_scale({u: [3.0] * r for u, (r, _) in counts.items()})
    status = pd.DataFrame([(u, i) for u, (_, i) in counts.items()], columns=["unit", "invited"]).astype({"invited": "Int64"})
    return response_rates(publish(TREE, [answers], viewer), TREE, "r1", status)


def test_counts_and_headcounts_are_pooled_up_the_tree():
    frame = rates({"a": (10, 20), "b": (8, 10), "c": (6, 12), "d": (20, 25)}).units.set_index("unit")
    assert frame.loc["area", "responses"] == 24 and frame.loc["area", "invited"] == 42
    assert frame.loc["org", "responses"] == 44 and frame.loc["org", "invited"] == 67
    assert frame.loc["area", "response_rate"] == pytest.approx(24 / 42)
    assert frame.loc["c", "depth"] == 2
    assert "p" not in frame.index, "partner services are rated, not surveyed"


def test_a_small_count_and_the_sibling_that_would_give_it_away_are_hidden():
    frame = rates({"a": (12, 15), "b": (3, 4), "c": (7, 9), "d": (20, 22)}).units.set_index("unit")
    assert frame.loc["b", "suppressed"] and pd.isna(frame.loc["b", "responses"]) and pd.isna(frame.loc["b", "response_rate"])
    assert frame.loc["b", "why"] == "below_min_n"
    assert frame.loc["c", "suppressed"] and frame.loc["c", "why"] == "protects_other", "area - a - c would give b"
    assert frame.loc["b", "invited"] == 4, "the headcount is staff data, not an answer, and stays visible"
    assert not frame.loc["a", "suppressed"] and frame.loc["a", "responses"] == 12


def test_rate_needs_a_complete_headcount_below_the_unit():
    frame = rates({"a": (12, 15), "b": (9, None), "c": (7, 9), "d": (20, 22)}).units.set_index("unit")
    assert pd.isna(frame.loc["area", "response_rate"]) and pd.isna(frame.loc["area", "invited"])
    assert frame.loc["a", "response_rate"] == pytest.approx(12 / 15)


def test_a_manager_sees_the_organisations_cells_of_their_own_units():
    counts = {"a": (12, 15), "b": (3, 4), "c": (7, 9), "d": (20, 22)}
    everyone = rates(counts).units.set_index("unit")
    mine = rates(counts, Viewer("m", "manager", frozenset({"area", "a", "b", "c"}))).units.set_index("unit")
    assert list(mine.index) == ["area", "a", "b", "c"]
    assert mine["suppressed"].equals(everyone.loc[mine.index, "suppressed"])


def test_an_organisation_below_min_n_shows_no_total():
    r = rates({"a": (2, 4)})
    assert r.organisation["suppressed"] and r.organisation["responses"] is None
