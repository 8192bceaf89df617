"""Item distributions from the publication: raw answer counts inside shown scale figures."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.instrument.catalog import bundled
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import publish
from scoring.reporting.items import DONT_KNOW, NO_ANSWER, SCALE_ONLY, item_distribution
from tests.reporting.rounds import tree

INST = bundled("samhandlingsklima")
TREE = tree([("org", None, "kommune"), ("a", "org", "team"), ("b", "org", "team"), ("c", "org", "team")])
B = None  # left blank
A_ANSWERS = [  # sk_info1..4 as given (sk_info4 is reverse-keyed; counted raw)
    (1, 2, 9, 5),
    (2, 2, 3, 4),
    (5, 4, 4, B),
    (4, 9, 5, 1),
    (3, 3, 3, 3),
    (4, 4, 4, 4),
]


def publication(rows_a=A_ANSWERS, b: int = 2, c: int = 5, min_n: int = 5):
    rows = [("a", *r) for r in rows_a] + [("b", 3, 3, 3, 3)] * b + [("c", 3, 3, 3, 3)] * c
    frame = pd.DataFrame(rows, columns=["unit", "sk_info1", "sk_info2", "sk_info3", "sk_info4"])
    for item in INST.item_ids:
        if item not in frame:
            frame[item] = 3.0  # every other scale answered alike: nobody drops out of them
    return publish(TREE, [round_answers(frame, [INST], "r1", min_n)])


def test_unit_counts_are_raw_answers_of_the_respondents_behind_the_scale():
    dist = item_distribution(publication(), INST, "sk_info", "r1", "a")
    assert not dist.suppressed and dist.n == 6
    c = dist.counts
    assert c.loc["sk_info1", [1.0, 2.0, 3.0, 4.0, 5.0]].tolist() == [1, 1, 1, 2, 1]
    assert c.loc["sk_info2", [2.0, 3.0, 4.0, DONT_KNOW]].tolist() == [2, 1, 2, 1]
    assert c.loc["sk_info3", [3.0, 4.0, 5.0, DONT_KNOW]].tolist() == [2, 2, 1, 1]
    assert c.loc["sk_info4", [1.0, 3.0, 4.0, 5.0, NO_ANSWER]].tolist() == [1, 1, 2, 1, 1]
    answers = c[[1.0, 2.0, 3.0, 4.0, 5.0, DONT_KNOW, NO_ANSWER]].sum(axis=1)
    assert (answers == 6).all(), "every item adds up to the published n"


def test_shares_are_of_valid_answers_and_dont_know_of_n():
    shares = item_distribution(publication(), INST, "sk_info", "r1", "a").shares()
    assert shares.loc["sk_info2", 2.0] == pytest.approx(2 / 5)
    assert shares.loc["sk_info2", DONT_KNOW] == pytest.approx(1 / 6)
    assert shares.loc["sk_info2", "answered"] == 5


def test_an_item_with_fewer_valid_answers_than_min_n_is_withheld_inside_a_shown_scale():
    rows = [*A_ANSWERS[:-1], (4, 4, 9, 4)]  # sk_info3: four valid answers
    dist = item_distribution(publication(rows), INST, "sk_info", "r1", "a")
    assert not dist.suppressed and "sk_info3" not in dist.counts.index
    assert dist.hidden_items == {"sk_info3": "below_min_n"}


def test_small_unit_and_the_unit_that_would_reveal_it_are_withheld():
    pub = publication()
    b = item_distribution(pub, INST, "sk_info", "r1", "b")
    assert b.suppressed and b.reason == "below_min_n" and b.n is None and b.counts.empty
    c = item_distribution(pub, INST, "sk_info", "r1", "c")  # org (13) - a (6) - c (5) would give b
    assert c.suppressed and c.reason == "protects_other"


def test_organisation_counts_pool_every_unit():
    org = item_distribution(publication(), INST, "sk_info", "r1", None)
    assert org.n == 13
    assert org.counts.loc["sk_info1", 3.0] == 1 + 7


def test_scale_level_only_withholds_every_distribution():
    dist = item_distribution(publication(), INST, "sk_info", "r1", "a", item_level=False)
    assert dist.suppressed and dist.reason == SCALE_ONLY
