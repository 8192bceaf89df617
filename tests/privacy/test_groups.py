"""A round summed per (unit, class) group decides the same publication as its answers, bit for bit.

The store keeps a round's aggregates per unit and sums again only the units whose answers
changed (:mod:`scoring.store.aggregates`); so the groups of each unit summed on their own, in any
order, must give exactly the cells the whole round's answers give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.privacy.answers import RoundAnswers
from scoring.privacy.groups import RoundGroups, concat, group_answers
from scoring.privacy.publication import decide_round
from tests.privacy.synthetic import CODES, DONT_KNOW, client_block, round_answers, scale_specs, trees


def _rows(answers: RoundAnswers, keep: np.ndarray) -> RoundAnswers:
    return RoundAnswers(answers.name, answers.min_n, answers.unit[keep], answers.partner[keep], answers.scores[keep],
                        answers.answers[keep], answers.scales, answers.items, answers.closed, answers.population)  # fmt: skip


def per_unit(answers: RoundAnswers, order: list[int]) -> RoundGroups:
    """The groups of each unit summed on their own (rows in their order), units in ``order``."""
    units = list(dict.fromkeys(answers.unit))
    parts = [group_answers(_rows(answers, answers.unit == units[i])) for i in order if i < len(units)]
    return concat(parts) if parts else group_answers(answers)


def same_decision(a, b) -> None:
    pd.testing.assert_frame_equal(a.cells, b.cells, check_exact=True)
    assert list(a.group_unit) == list(b.group_unit)
    np.testing.assert_array_equal(a.group_n, b.group_n)
    np.testing.assert_array_equal(a.below, b.below)
    assert list(a.class_mask) == list(b.class_mask)
    for view in a.class_mask:
        np.testing.assert_array_equal(a.class_mask[view], b.class_mask[view])


def test_groups_hold_counts_sums_squares_and_answer_counts_per_unit_partner_and_scales():
    scales, items = scale_specs(partner_scales=1, other_scales=1)  # s0 (partner), s1; items s0a s0b s1a s1b
    unit = np.array(["a", "a", "a", "b", "b"], dtype=object)
    partner = np.array(["p", "p", "", "p", "q"], dtype=object)
    scores = np.array([[2.0, 3.0], [4.0, 5.0], [1.0, np.nan], [3.0, 3.0], [5.0, 1.0]])
    codes = np.array([[2, 2, 3, 3], [4, 4, 5, 5], [1, 1, DONT_KNOW, np.nan], [3, 3, 3, 3], [5, 5, 1, 1]], dtype=float)
    groups = group_answers(RoundAnswers("r", 3, unit, partner, scores, codes, scales, items))
    table = pd.DataFrame({"unit": groups.unit, "partner": groups.partner, "s1": groups.valid[:, 1], "n": groups.n,
                          "sum0": groups.sums[:, 0], "sq0": groups.squares[:, 0], "sum1": groups.sums[:, 1]})  # fmt: skip
    table = table.sort_values(["unit", "partner"]).reset_index(drop=True)
    assert table.to_dict("records") == [
        {"unit": "a", "partner": "", "s1": False, "n": 1.0, "sum0": 1.0, "sq0": 1.0, "sum1": 0.0},
        {"unit": "a", "partner": "p", "s1": True, "n": 2.0, "sum0": 6.0, "sq0": 20.0, "sum1": 8.0},
        {"unit": "b", "partner": "p", "s1": True, "n": 1.0, "sum0": 3.0, "sq0": 9.0, "sum1": 3.0},
        {"unit": "b", "partner": "q", "s1": True, "n": 1.0, "sum0": 5.0, "sq0": 25.0, "sum1": 1.0},
    ]
    assert groups.categories(2) == (*CODES, DONT_KNOW)
    where = {(u, p): g for g, (u, p) in enumerate(zip(groups.unit, groups.partner))}
    assert groups.counts[2][where["a", ""]].tolist() == [0, 0, 0, 0, 0, 1]  # s1a: "vet ikke"
    assert groups.counts[3][where["a", ""]].tolist() == [0, 0, 0, 0, 0, 0]  # s1b: blank
    assert groups.counts[0][where["a", "p"]].tolist() == [0, 1, 0, 1, 0, 0]  # s0a: a 2 and a 4
    assert groups.respondents == 5


SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(st.data())
def test_a_round_decided_from_its_groups_summed_unit_by_unit_is_the_round_decided_from_its_answers(data):
    tree = data.draw(trees())
    answers = data.draw(st.one_of(round_answers(tree, "2026"), client_block(tree)))
    units = len(set(answers.unit))
    order = data.draw(st.permutations(list(range(units))))
    same_decision(decide_round(tree, answers), decide_round(tree, per_unit(answers, order)))
