"""Stored analyses (:mod:`scoring.store.results`): computed once per key, read back equal, a new
key computes again; an invariance verdict survives its JSON."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.reporting.invariance import UNKNOWN, InvarianceVerdict
from scoring.store import results
from scoring.store.db import make_engine, migrate


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/samklima.db")
    migrate(engine)
    return engine


VERDICT = InvarianceVerdict(
    "sk_trygg", "round", ["2025-1", "2026-1"], "holds", "fails", [], ["delta_cfi"],
    pd.DataFrame({"model": ["configural", "metric", "scalar"], "cfi": [0.97, 0.965, 0.94],
                  "rmsea": [0.05, 0.048, 0.07], "delta_cfi": [np.nan, -0.005, -0.025], "delta_rmsea": [np.nan, -0.002, 0.022]}),
)


def test_a_result_is_computed_once_per_key_and_read_back_equal(engine):
    calls = []

    def compute():
        calls.append(1)
        return VERDICT

    parts = {"scale": "sk_trygg", "rounds": [["2025-1", 40, 5], ["2026-1", 41, 5]]}
    first = results.remembered(engine, "invariance_rounds", parts, compute, InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)
    again = results.remembered(engine, "invariance_rounds", dict(reversed(parts.items())), compute,
                               InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)
    assert first is VERDICT and len(calls) == 1, "read back, not computed (key order does not matter)"
    assert again.to_dict() == VERDICT.to_dict()
    pd.testing.assert_frame_equal(again.steps, VERDICT.steps)
    newer = {**parts, "rounds": [["2025-1", 40, 5], ["2026-1", 42, 5]]}  # one more answer
    results.remembered(engine, "invariance_rounds", newer, compute, InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)
    assert len(calls) == 2
    results.remembered(engine, "invariance_professions", parts, compute, InvarianceVerdict.to_dict, InvarianceVerdict.from_dict)
    assert len(calls) == 3, "kinds do not share results"
    assert results.forget(engine, "invariance_rounds") == 2


def test_an_unknown_verdict_with_no_steps_round_trips():
    empty = InvarianceVerdict("sk_trygg", "role", ["sykepleier"], UNKNOWN, UNKNOWN, [], [],
                              pd.DataFrame(columns=["model", "cfi", "rmsea", "delta_cfi", "delta_rmsea"]),
                              "fewer than two professions with at least 30 respondents", ["lege"])
    back = InvarianceVerdict.from_dict(empty.to_dict())
    assert back.to_dict() == empty.to_dict() and back.steps.empty and back.left_out == ["lege"]
