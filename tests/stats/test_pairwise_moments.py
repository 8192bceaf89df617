"""Pairwise moments read once for several scales (scoring.stats.pairwise) give each scale what
its own reading gives: the covariances and correlations of R's ``use = "pairwise"``, the item
counts, means, SDs and code frequencies, and so every number of ``alpha`` and ``omega``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.stats.efa.factors import correlation_input, pairwise_correlation
from scoring.stats.pairwise import PairwiseMoments
from scoring.stats.reliability.alpha import alpha, alpha_scales, pairwise_covariance
from scoring.stats.reliability.omega import omega

LAST_BITS = 1e-12  # the same sums in another order of summation
FITTED = 1e-8  # omega's factor analysis is iterative: last-bit changes in R move where it stops


def answers(seed: int, n: int = 400, k: int = 10, *, whole: bool = True) -> pd.DataFrame:
    """Correlated answers on 1-5 with about 8% missing, a row with no answers and (whole) an
    item nobody answered and an item everybody gave the same answer."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 1)) + 0.8 * rng.normal(size=(n, k))
    x = np.clip(np.round(3 + latent), 1, 5) if whole else 3 + latent
    x[rng.random((n, k)) < 0.08] = np.nan
    x[5] = np.nan
    frame = pd.DataFrame(x, columns=[f"q{j}" for j in range(k)])
    if whole:
        frame["q8"] = np.nan
        frame["q9"] = np.where(frame["q9"].isna(), np.nan, 4.0)
    return frame


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_moments_are_the_pairwise_covariances_and_correlations_of_r(seed):
    x = answers(seed, whole=False).to_numpy()
    moments = PairwiseMoments.of(x, [f"q{j}" for j in range(x.shape[1])])
    cov, n_pair = pairwise_covariance(x)
    np.testing.assert_allclose(moments.cov, cov, rtol=0, atol=LAST_BITS)
    np.testing.assert_array_equal(moments.n_pair, n_pair)
    np.testing.assert_allclose(moments.cor, pairwise_correlation(x), rtol=0, atol=LAST_BITS)
    np.testing.assert_allclose(moments.mean, np.nanmean(x, axis=0), rtol=0, atol=LAST_BITS)
    np.testing.assert_allclose(moments.sd, np.nanstd(x, axis=0, ddof=1), rtol=0, atol=LAST_BITS)
    assert moments.tally is None  # not whole numbers: nothing counted per code


def test_codes_are_counted_per_item_and_a_block_is_its_items():
    frame = answers(4)
    moments = PairwiseMoments.of(frame.to_numpy(), list(frame.columns))
    np.testing.assert_array_equal(moments.codes, [1, 2, 3, 4, 5])
    for j, name in enumerate(frame.columns):
        counted = frame[name].value_counts().reindex([1.0, 2, 3, 4, 5], fill_value=0).to_numpy()
        np.testing.assert_array_equal(moments.tally[j], counted)
    block = moments.take(["q3", "q0"])
    np.testing.assert_array_equal(block.cov, moments.cov[np.ix_([3, 0], [3, 0])])
    np.testing.assert_array_equal(block.tally, moments.tally[[3, 0]])
    assert block.names == ["q3", "q0"] and block.count[0] == frame["q3"].notna().sum()
    assert np.isnan(moments.mean[8]) and moments.count[8] == 0 and moments.sd[9] == 0


def assert_same_result(shared, alone):
    """Every field of two ReliabilityResults equal (numbers to the last bits)."""
    for name in ("alpha", "std_alpha", "g6", "lambda2", "average_r", "median_r", "var_r", "s_n", "ase", "mean", "sd"):
        np.testing.assert_allclose(getattr(shared, name), getattr(alone, name), rtol=0, atol=LAST_BITS, err_msg=name)
    for name in ("omega_total", "omega_h"):
        np.testing.assert_allclose(getattr(shared, name), getattr(alone, name), rtol=0, atol=FITTED, err_msg=name)
    assert (shared.n, shared.n_rows, shared.items_used, shared.limits, shared.limits_observed) == (
        alone.n, alone.n_rows, alone.items_used, alone.limits, alone.limits_observed)
    np.testing.assert_allclose(shared.feldt_ci, alone.feldt_ci, rtol=0, atol=LAST_BITS)
    np.testing.assert_allclose(shared.duhachek_ci, alone.duhachek_ci, rtol=0, atol=LAST_BITS)
    pd.testing.assert_frame_equal(shared.items, alone.items, rtol=0, atol=LAST_BITS)
    pd.testing.assert_frame_equal(shared.frequencies, alone.frequencies, rtol=0, atol=LAST_BITS)
    pd.testing.assert_frame_equal(shared.covariance, alone.covariance, rtol=0, atol=LAST_BITS)
    assert [str(w) for w in shared.warnings] == [str(w) for w in alone.warnings]


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("limits", [None, (1, 5), (2, 4)])
def test_alpha_from_shared_moments_is_alpha_of_the_scale_alone(whole, limits):
    """Rows without answers, an item without answers, a constant item, answers outside the
    limits (2-4), observed limits, not whole numbers (no counts per code): all as alone."""
    frame = answers(5, whole=whole)
    moments = PairwiseMoments.of(frame.to_numpy(), list(frame.columns))
    low, high = limits or (None, None)
    for columns in (list(frame.columns), ["q1", "q2", "q3", "q8", "q9"], ["q4", "q6", "q7"]):
        shared = alpha(frame[columns], low=low, high=high, omega=True, moments=moments)
        alone = alpha(frame[columns], low=low, high=high, omega=True)
        assert_same_result(shared, alone)


def test_omega_and_its_correlations_from_shared_moments():
    frame = answers(6).drop(columns=["q8"])
    moments = PairwiseMoments.of(frame.to_numpy(), list(frame.columns))
    shared, alone = correlation_input(frame, moments=moments), correlation_input(frame)
    assert (shared.items, shared.used, shared.n_obs, shared.missing, shared.reason) == (alone.items, alone.used, alone.n_obs, alone.missing, alone.reason)
    assert [str(w) for w in shared.warnings] == [str(w) for w in alone.warnings]  # the constant item q9 left out
    np.testing.assert_allclose(shared.corr, alone.corr, rtol=0, atol=LAST_BITS)
    np.testing.assert_array_equal(shared.np_obs, alone.np_obs)
    with_moments, without = omega(frame, 2, moments=moments), omega(frame, 2)
    np.testing.assert_allclose([with_moments.omega_total, with_moments.omega_h], [without.omega_total, without.omega_h], rtol=0, atol=FITTED)


def test_alpha_scales_reads_the_moments_once(monkeypatch):
    frame = answers(7, k=12)
    scales = {"a": ["q0", "q1", "q2", "q3"], "b": ["q4", "q5", "q6", "q7"], "all": [f"q{j}" for j in range(8)]}
    calls = []
    original = PairwiseMoments.of
    monkeypatch.setattr(PairwiseMoments, "of", classmethod(lambda cls, *a: calls.append(a[1]) or original(*a)))
    results = alpha_scales(frame, scales, limits={"a": (1, 5)}, omega=True)
    assert calls == [[f"q{j}" for j in range(8)]]
    for result in results:
        low, high = (1, 5) if result.scale == "a" else (None, None)
        assert_same_result(result, alpha(frame[scales[result.scale]], low=low, high=high, omega=True, scale=result.scale))
