"""Item distributions of a unit: raw answer counts, shown only where the scale figure is shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.access import AccessDenied, Principal
from scoring.catalog import bundled
from scoring.distributions import DONT_KNOW, NO_ANSWER, SCALE_ONLY, SUPPRESSED, item_distribution

INST = bundled("samhandlingsklima")
TREE = pd.DataFrame(
    {
        "unit": ["org", "a", "b", "c"],
        "name": ["Org", "A", "B", "C"],
        "parent": [None, "org", "org", "org"],
        "unit_type": ["kommune", "team", "team", "team"],
    }
)
B = None  # left blank
A_ANSWERS = [  # sk_info1..4 as given (sk_info4 is reverse-keyed; counted raw)
    (1, 2, 9, 5),
    (2, 2, 3, 4),
    (5, 4, 4, B),
    (4, 9, 5, 1),
    (3, 3, 3, 3),
    (9, 9, 9, B),  # no valid answer: no score, not counted
    (4, 4, 4, 4),
]


def table() -> pd.DataFrame:
    rows = [("a", *r) for r in A_ANSWERS] + [("b", 3, 3, 3, 3)] * 2 + [("c", 3, 3, 3, 3)] * 5
    frame = pd.DataFrame(rows, columns=["unit", "sk_info1", "sk_info2", "sk_info3", "sk_info4"])
    frame.insert(0, "response", [f"r{i}" for i in range(len(frame))])
    frame.insert(2, "round", "r1")
    for item in INST.item_ids:
        if item not in frame:
            frame[item] = np.nan
    return frame


def test_unit_counts_are_raw_answers_of_the_respondents_with_a_score():
    dist = item_distribution(table(), TREE, INST, "sk_info", "r1", "a", min_n=5)
    assert not dist.suppressed and dist.n == 6
    c = dist.counts
    assert c.loc["sk_info1", [1.0, 2.0, 3.0, 4.0, 5.0]].tolist() == [1, 1, 1, 2, 1]
    assert c.loc["sk_info2", [2.0, 3.0, 4.0, DONT_KNOW]].tolist() == [2, 1, 2, 1]
    assert c.loc["sk_info3", [3.0, 4.0, 5.0, DONT_KNOW]].tolist() == [2, 2, 1, 1]
    assert c.loc["sk_info4", [1.0, 3.0, 4.0, 5.0, NO_ANSWER]].tolist() == [1, 1, 2, 1, 1]
    assert (c.sum(axis=1) == 6).all(), "every item adds up to the published n"


def test_shares_are_of_valid_answers_and_dont_know_of_n():
    shares = item_distribution(table(), TREE, INST, "sk_info", "r1", "a", min_n=5).shares()
    assert shares.loc["sk_info2", 2.0] == pytest.approx(2 / 5)
    assert shares.loc["sk_info2", DONT_KNOW] == pytest.approx(1 / 6)
    assert shares.loc["sk_info2", "answered"] == 5


def test_small_unit_and_the_unit_that_would_reveal_it_are_withheld():
    b = item_distribution(table(), TREE, INST, "sk_info", "r1", "b", min_n=5)
    assert b.suppressed and b.reason == SUPPRESSED and b.n is None and b.counts.empty
    # org (13) - a (6) - c (5) would give b: c is hidden as well
    c = item_distribution(table(), TREE, INST, "sk_info", "r1", "c", min_n=5)
    assert c.suppressed and c.reason == SUPPRESSED


def test_organisation_counts_pool_every_unit():
    org = item_distribution(table(), TREE, INST, "sk_info", "r1", None, min_n=5)
    assert org.n == 13
    assert org.counts.loc["sk_info1", 3.0] == 1 + 7


def test_unit_outside_the_scope_is_refused_before_counting():
    manager = Principal("leder", "manager", frozenset({"b"}))
    with pytest.raises(AccessDenied):
        item_distribution(table(), TREE, INST, "sk_info", "r1", "a", principal=manager, min_n=5)


def test_scale_level_only_withholds_every_distribution():
    dist = item_distribution(table(), TREE, INST, "sk_info", "r1", "a", min_n=5, item_level=False)
    assert dist.suppressed and dist.reason == SCALE_ONLY
