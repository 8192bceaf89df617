"""Values memoised per frame object (scoring.frame_memo): the same frame gives the stored value,
another frame (even an equal one, or one at a recycled address) is computed anew."""

from __future__ import annotations

import gc

import pandas as pd

from scoring.frame_memo import _MEMO, memo
from scoring.reporting.comparison import depths
from scoring.reporting.participation import invited_per_unit


def test_the_same_frame_is_computed_once_and_another_frame_again():
    calls = []
    frame = pd.DataFrame({"a": [1, 2]})
    assert memo(frame, "sum", lambda: calls.append(1) or int(frame["a"].sum())) == 3
    assert memo(frame, "sum", lambda: calls.append(1) or -1) == 3
    assert len(calls) == 1
    twin = frame.copy()
    assert memo(twin, "sum", lambda: calls.append(1) or 99) == 99, "an equal frame is not the same frame"
    key = id(twin)
    del twin
    gc.collect()
    assert key not in _MEMO, "the entry goes with its frame"


def test_depths_of_a_new_tree_are_its_own():
    tree = pd.DataFrame({"unit": ["o", "a", "b"], "parent": [None, "o", "a"]})
    assert depths(tree).tolist() == [0, 1, 2]
    deeper = pd.DataFrame({"unit": ["o", "a", "b", "c"], "parent": [None, "o", "a", "b"]})
    assert depths(deeper).tolist() == [0, 1, 2, 3]


def test_headcount_pools_up_the_tree_and_a_missing_one_makes_every_unit_above_incomplete():
    tree = pd.DataFrame({"unit": ["o", "a", "a1", "a2", "b", "b1"], "parent": [None, "o", "a", "a", "o", "b"]})
    status = pd.DataFrame({"unit": ["a1", "a2", "b1"], "invited": [10, 7, None]})
    pooled = invited_per_unit(status, tree).set_index("unit")
    assert pooled["invited"].to_dict() == {"*": 17, "a": 17, "a1": 10, "a2": 7, "b": 0, "b1": 0, "o": 17}
    assert pooled["complete"].to_dict() == {"*": False, "a": True, "a1": True, "a2": True, "b": False, "b1": False, "o": False}
