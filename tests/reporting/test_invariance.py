"""Invariance before comparing: the verdict by delta CFI (< -.01) or delta RMSEA (> .015), per step."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.instrument.catalog import bundled
from scoring.reporting.invariance import (
    FAILS,
    HOLDS,
    UNKNOWN,
    failed_criteria,
    invariance_across_professions,
    invariance_between,
    verdict,
)
from scoring.stats.cfa.estimate import measurement_invariance

REF = Path(__file__).parents[1] / "reference"
INST = bundled("samhandlingsklima")


def rounds_frame(shift: float, n: int = 250, seed: int = 7) -> pd.DataFrame:
    """Two rounds of sk_info answers from one factor; ``shift`` moves sk_info2 up in the second
    round only (an intercept that changed: the item means something else)."""
    rng = np.random.default_rng(seed)
    rows = []
    for r, name in enumerate(["2024-1", "2025-1"]):
        f = rng.normal(loc=0.2 * r, size=n)
        frame = pd.DataFrame({"response": [f"{name}-{i}" for i in range(n)], "unit": "a", "round": name,
                              "role": np.where(np.arange(n) % 2, "sykepleier", "assistent")})
        for item in INST.item_ids:
            frame[item] = np.nan
        for j, item in enumerate(INST.scale("sk_info").items):
            y = 0.8 * f + rng.normal(scale=0.6, size=n) + (shift if (r == 1 and j == 1) else 0.0)
            x = np.clip(np.round(3 + y), 1, 5)
            frame[item] = 6 - x if INST.item(item).reverse else x
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize(("d_cfi", "d_rmsea", "failed"), [
    (-0.005, 0.010, []), (-0.011, 0.010, ["delta_cfi"]), (0.0, 0.016, ["delta_rmsea"]),
    (-0.02, 0.03, ["delta_cfi", "delta_rmsea"]), (np.nan, np.nan, []),
])
def test_a_step_fails_by_a_cfi_drop_over_01_or_an_rmsea_rise_over_015(d_cfi, d_rmsea, failed):
    assert failed_criteria(d_cfi, d_rmsea) == failed


def test_lavaan_twogroup_data_hold_metric_and_fail_scalar_on_both_criteria():
    """twogroup.csv plants an intercept difference in x3 (tests/reference/cfa.R; lavaan's deltas
    there: metric delta CFI .0002, delta RMSEA -.004; scalar -.045 and +.056)."""
    deltas = json.loads((REF / "fixtures" / "invariance_twogroup.json").read_text())["deltas"]
    data = pd.read_csv(REF / "data" / "twogroup.csv")
    result = measurement_invariance(data, "f1 =~ x1 + x2 + x3\nf2 =~ x4 + x5 + x6", "group")
    out = verdict(result, "f", "group", ["a", "b"])
    assert out.metric == HOLDS and out.scalar == FAILS and out.scalar_failed == ["delta_cfi", "delta_rmsea"]
    assert out.steps["delta_cfi"].iloc[2] == pytest.approx(deltas["scalar_vs_metric"]["delta_cfi"], abs=1e-3)
    assert not out.comparable


def test_an_item_that_shifted_between_rounds_breaks_scalar_invariance():
    out = invariance_between(rounds_frame(shift=0.6), INST, "sk_info", "round")
    assert out.groups == ["2024-1", "2025-1"] and out.metric == HOLDS
    assert out.scalar == FAILS and out.scalar_failed and not out.comparable


def test_the_same_items_in_both_rounds_keep_scalar_invariance():
    out = invariance_between(rounds_frame(shift=0.0), INST, "sk_info", "round")
    assert out.metric == HOLDS and out.scalar == HOLDS and out.comparable
    assert "chisq" not in out.steps.columns, "chi-square with RMSEA would give the n"


def test_professions_need_enough_respondents_each_and_the_rest_are_named():
    frame = rounds_frame(shift=0.0)
    frame.loc[:9, "role"] = "lege"
    out = invariance_across_professions(frame, INST, "sk_info")
    assert out.groups == ["assistent", "sykepleier"] and out.left_out == ["lege"] and out.scalar == HOLDS
    few = invariance_across_professions(frame.iloc[:40], INST, "sk_info")
    assert few.scalar == UNKNOWN and "fewer than two professions" in few.reason
    unasked = invariance_across_professions(frame.drop(columns="role"), INST, "sk_info")  # a form without the question
    assert unasked.scalar == UNKNOWN and unasked.groups == [] and "fewer than two professions" in unasked.reason
    json.dumps(out.to_dict(), allow_nan=False)


def test_the_verdict_reports_each_model_to_a_progress_callback():
    """The Trends and Quality pages draw their bar from this callback (dashboard.progress_bar)."""
    seen: list[str] = []
    out = invariance_between(rounds_frame(shift=0.0), INST, "sk_info", "round", progress=seen.append)
    assert seen == ["configural", "metric", "scalar"]
    assert out.scalar == invariance_between(rounds_frame(shift=0.0), INST, "sk_info", "round").scalar
