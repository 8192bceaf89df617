"""DIF on the quality page: the keyed answers of the two groups, through dif_graded."""

from __future__ import annotations

import pytest

from scoring.reporting.dif import groups_to_compare, scale_dif
from tests.reporting.test_invariance import INST, rounds_frame


def test_only_groups_with_enough_respondents_are_offered_largest_first():
    frame = rounds_frame(shift=0.0)
    frame.loc[:59, "role"] = "lege"
    assert groups_to_compare(frame, "role") == ["assistent", "sykepleier", "lege"], "ties by name"
    assert groups_to_compare(frame, "role", min_group=100) == ["assistent", "sykepleier"]


def test_an_item_that_shifted_between_rounds_is_flagged_and_the_others_not():
    out = scale_dif(rounds_frame(shift=-0.5), INST, "sk_info", "round", "2024-1", "2025-1")
    assert out.reference == "2024-1" and out.focal == "2025-1"
    assert list(out.table.index[out.table["flag"]]) == ["sk_info2"]
    assert out.table.loc["sk_info2", "SIDS"] > 0.3, "lower answers in the later round at the same theta"


def test_groups_too_small_are_one_clear_reason():
    with pytest.raises(ValueError, match="at least 50"):
        scale_dif(rounds_frame(shift=0.0, n=30), INST, "sk_info", "round", "2024-1", "2025-1")
