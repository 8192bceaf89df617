"""FIML through one inverse of Sigma (scoring.stats.cfa.fiml) against the textbook per-pattern sums.

The reference below inverts Sigma_oo for every pattern, as Arbuckle (1996) writes the
discrepancy; the module's partitioned-inverse sums must give the same value and gradients,
and its EM steps must end where the saturated model's FIML gradient is zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.stats.cfa.estimate import cfa
from scoring.stats.cfa.fiml import em_moments, fiml_discrepancy, missing_patterns, pattern_sums


def reference(sigma, mu, x):
    """F, dF/dSigma, dF/dmu by a plain loop over patterns, inverting each Sigma_oo."""
    x = x[~np.all(np.isnan(x), axis=1)]
    n, p = x.shape
    f, d_sigma, d_mu = 0.0, np.zeros((p, p)), np.zeros(p)
    for key in {tuple(row) for row in ~np.isnan(x)}:  # over patterns
        o = np.flatnonzero(key)
        rows = x[(~np.isnan(x) == np.array(key)).all(axis=1)][:, o]
        n_k = rows.shape[0]
        mean = rows.mean(axis=0)
        w = (rows - mean).T @ (rows - mean) / n_k + np.outer(mean - mu[o], mean - mu[o])
        inv = np.linalg.inv(sigma[np.ix_(o, o)])
        f += n_k * (np.linalg.slogdet(sigma[np.ix_(o, o)])[1] + np.trace(inv @ w))
        d_sigma[np.ix_(o, o)] += n_k * (inv - inv @ w @ inv)
        d_mu[o] += -2 * n_k * inv @ (mean - mu[o])
    return f / n, d_sigma / n, d_mu / n


def incomplete(seed: int, n: int = 400, p: int = 7, share: float = 0.25, location: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.multivariate_normal(np.full(p, location), 0.5 * np.eye(p) + 0.5, size=n).round()
    x[rng.random((n, p)) < share] = np.nan
    x[:5, 1:] = np.nan  # one variable observed: m = p - 1
    x[5:8] = np.nan  # nothing observed: dropped
    return x


@pytest.mark.parametrize("seed", range(6))
def test_discrepancy_and_gradients_equal_the_per_pattern_sums(seed):
    x = incomplete(seed, location=3.0 + 100 * (seed % 2))  # far from 0 too: the sums are centred
    rows = x[~np.all(np.isnan(x), axis=1)]
    sums = pattern_sums(rows, missing_patterns(rows))
    rng = np.random.default_rng(100 + seed)
    a = rng.normal(size=(7, 7))
    sigma = a @ a.T / 7 + np.eye(7)
    mu = np.nanmean(x, axis=0) + rng.normal(scale=0.3, size=7)
    f, d_sigma, d_mu = fiml_discrepancy(sigma, mu, sums)
    f_ref, d_sigma_ref, d_mu_ref = reference(sigma, mu, x)
    assert f == pytest.approx(f_ref, rel=1e-12)
    np.testing.assert_allclose(d_sigma, d_sigma_ref, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(d_mu, d_mu_ref, rtol=1e-9, atol=1e-11)


def test_not_positive_definite_is_nan():
    x = incomplete(1)
    rows = x[~np.all(np.isnan(x), axis=1)]
    sums = pattern_sums(rows, missing_patterns(rows))
    sigma = np.eye(7)
    sigma[0, 1] = sigma[1, 0] = 1.5
    assert np.isnan(fiml_discrepancy(sigma, np.zeros(7), sums)[0])


def test_em_ends_where_the_saturated_likelihood_is_flat():
    """The EM estimates are the saturated model's ML estimates: the FIML gradient is zero there
    and any other (Sigma, mu) has a larger discrepancy."""
    x = incomplete(3, n=800)
    rows = x[~np.all(np.isnan(x), axis=1)]
    patterns = missing_patterns(rows)
    sums = pattern_sums(rows, patterns)
    cov, mean, iterations = em_moments(patterns, sums)
    f, d_sigma, d_mu = fiml_discrepancy(cov, mean, sums)
    assert 1 < iterations < 1000
    assert np.abs(d_sigma).max() < 1e-10 and np.abs(d_mu).max() < 1e-10
    nudged = cov + 0.01 * np.eye(7)
    assert fiml_discrepancy(nudged, mean, sums)[0] > f
    assert fiml_discrepancy(cov, mean + 0.01, sums)[0] > f


def test_patterns_group_rows_however_many_variables():
    """More than 62 variables do not fit one integer key; the rows are then grouped as rows."""
    rng = np.random.default_rng(7)
    for p in (5, 70):
        x = rng.integers(1, 6, size=(300, p)).astype(float)
        x[rng.random((300, p)) < 0.01] = np.nan
        found = {tuple(pt.observed): pt.n for pt in missing_patterns(x)}
        keys = [tuple(np.flatnonzero(~np.isnan(row))) for row in x]
        assert found == {k: keys.count(k) for k in set(keys)}
        first = missing_patterns(x)[0]
        rows = x[[tuple(np.flatnonzero(~np.isnan(r))) == tuple(first.observed) for r in x]][:, first.observed]
        np.testing.assert_allclose(first.mean, rows.mean(axis=0))


def test_without_standard_errors_the_fit_is_the_same():
    x = incomplete(4, n=500, p=6)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(1, 7)])
    model = "f =~ x1 + x2 + x3 + x4 + x5 + x6"
    full = cfa(frame, model, missing="ml")
    bare = cfa(frame, model, missing="ml", se=False)
    assert bare.fit == full.fit
    np.testing.assert_allclose(bare.parameters["est"], full.parameters["est"])
    assert full.parameters["se"].notna().any() and bare.parameters["se"].isna().all()
