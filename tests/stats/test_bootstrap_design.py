"""The bootstrap's design (:class:`scoring.stats.bootstrap._CrossProducts`) read a block of rows at
a time equals the whole-matrix formulas: shift (each item's lowest answer), missing mask, the
shifted answers with 0 where missing, and the float32/float64 choice."""

from __future__ import annotations

import numpy as np
import pytest

import scoring.stats.bootstrap as bootstrap_module
from scoring.stats.bootstrap import _CrossProducts, column_limits


def _whole_matrix(x: np.ndarray, n: float):
    """The formulas on the whole matrix at once (what the block-wise reading must equal)."""
    shift = np.nanmin(np.where(np.isnan(x).all(axis=0, keepdims=True), 0.0, x), axis=0)
    shifted = x - shift
    missing = np.isnan(shifted)
    top = float(np.nanmax(np.where(missing, np.nan, shifted), initial=0.0)) if (~missing).any() else 0.0
    whole = bool(np.all(missing | (np.abs(shifted - np.round(shifted)) < 1e-12)))
    dtype = np.float32 if whole and n * max(top, 1.0) ** 2 < 2**24 else np.float64
    return shift, missing, np.where(missing, 0.0, shifted).astype(dtype), dtype


@pytest.mark.parametrize("case", ["codes", "codes_with_gaps", "halves", "large", "empty_item"])
def test_block_wise_design_equals_the_whole_matrix_formulas(monkeypatch, case):
    monkeypatch.setattr(bootstrap_module, "ROW_BLOCK", 7)  # many blocks and a short last one
    rng = np.random.default_rng(len(case))
    x = rng.integers(1, 6, size=(53, 6)).astype(float)
    if case == "codes_with_gaps":
        x[rng.random(x.shape) < 0.2] = np.nan
    elif case == "halves":
        x = x / 2 + 0.25  # not whole numbers: float64
        x[rng.random(x.shape) < 0.1] = np.nan
    elif case == "large":
        x = x * 1000  # whole, but the sums would pass 2**24: float64
    elif case == "empty_item":
        x[:, 2] = np.nan
        x[5, 4] = np.nan
    cross = _CrossProducts(x, float(len(x)), [[0, 1, 2], [2, 3, 4, 5]], keep=False)
    shift, missing, x0, dtype = _whole_matrix(x, float(len(x)))
    np.testing.assert_array_equal(cross.shift, shift)
    np.testing.assert_array_equal(cross.missing, missing)
    assert cross.dtype == dtype and cross.x0.dtype == dtype
    np.testing.assert_array_equal(cross.x0, x0)
    assert cross.pairwise == bool(missing.any())


def test_column_limits_skip_missing_answers(monkeypatch):
    monkeypatch.setattr(bootstrap_module, "ROW_BLOCK", 2)
    x = np.array([[np.nan, 3.0, np.nan], [2.0, np.nan, np.nan], [5.0, 1.0, np.nan], [np.nan, 4.0, np.nan], [1.0, np.nan, np.nan]])
    low, high = column_limits(x)
    np.testing.assert_array_equal(low, [1.0, 1.0, np.inf])
    np.testing.assert_array_equal(high, [5.0, 4.0, -np.inf])
