"""Polychoric correlations (scoring.stats.polychoric) agree with psych::polychoric.

psych stops its 1-D search at R's ``optimize`` tolerance (about 1e-4) and computes rectangle
probabilities with ``sadmvn`` (about 1e-6), so rho agrees to 1e-4; thresholds are closed form
and agree to 1e-12.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

from scoring.stats.polychoric import bivariate_normal_cdf, polychoric, polychoric_pair, rectangle_probabilities, smooth_correlation

REF = Path(__file__).parents[1] / "reference"


def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def table(obj: dict) -> pd.DataFrame:
    return pd.DataFrame(obj).set_index("row")


@pytest.mark.parametrize("dataset", ["ordinal", "bifactor"])
def test_rho_and_tau_agree_with_psych(dataset):
    fx = fixture(f"ordinal_{dataset}")
    x = pd.read_csv(REF / "data" / f"{dataset}.csv")[fx["items"]]
    result = polychoric(x)
    rho = table(fx["polychoric"]["rho"])
    tau = table(fx["polychoric"]["tau"])
    assert list(result.rho.index) == list(rho.index) and list(result.tau.columns) == list(tau.columns)
    np.testing.assert_allclose(result.tau.to_numpy(), tau.to_numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.rho.to_numpy(), rho.to_numpy(), rtol=0, atol=1e-4)
    # polycor::hetcor (another R implementation of the same two-step estimator) agrees as well.
    hetcor = table(fx["polycor_hetcor"]["correlations"])
    np.testing.assert_allclose(result.rho.to_numpy(), hetcor.to_numpy(), rtol=0, atol=1e-4)
    assert result.n == fx["polychoric"]["n.obs"] and result.global_thresholds and not result.smoothed
    assert result.warnings == []


def test_rho_is_the_likelihood_maximum():
    x = pd.read_csv(REF / "data" / "ordinal.csv")
    result = polychoric(x)
    counts = pd.crosstab(x["o1"], x["o2"]).to_numpy().astype(float)
    tau = result.tau.to_numpy()
    rho = result.rho.iloc[0, 1]

    def loglik(r):
        p = rectangle_probabilities(tau[0], tau[1], r)
        return float((counts * np.log(p)).sum())

    assert loglik(rho) > loglik(rho + 1e-4) and loglik(rho) > loglik(rho - 1e-4)
    assert polychoric_pair(counts, tau[0], tau[1]) == pytest.approx(rho, abs=1e-9)


def test_rho_recovers_a_known_latent_correlation():
    rng = np.random.default_rng(5)
    n, true = 40_000, 0.55
    z = rng.multivariate_normal([0, 0, 0], [[1, true, 0.2], [true, 1, -0.3], [0.2, -0.3, 1]], size=n)
    cuts = np.array([-1.2, -0.3, 0.4, 1.5])
    x = pd.DataFrame(1 + (z[:, :, None] > cuts).sum(axis=2), columns=["a", "b", "c"]).astype(float)
    result = polychoric(x)
    np.testing.assert_allclose(result.rho.to_numpy()[np.triu_indices(3, 1)], [true, 0.2, -0.3], atol=0.02)
    np.testing.assert_allclose(result.tau.to_numpy(), np.tile(cuts, (3, 1)), atol=0.03)


@pytest.mark.parametrize("r", [-0.999, -0.95, -0.6, -0.1, 0.0, 0.2, 0.5, 0.8, 0.93, 0.999])
def test_bivariate_normal_cdf_is_exact(r):
    rng = np.random.default_rng(int(abs(r) * 1000))
    h, k = rng.normal(scale=1.5, size=(2, 12))
    expected = [multivariate_normal([0, 0], [[1, r], [r, 1]], abseps=1e-13, releps=1e-13, maxpts=10**7).cdf([a, b]) for a, b in zip(h, k)]
    np.testing.assert_allclose(bivariate_normal_cdf(h, k, r), expected, rtol=0, atol=1e-12)


def test_bivariate_normal_cdf_limits():
    np.testing.assert_allclose(bivariate_normal_cdf(np.array([-np.inf, np.inf, 0.5]), np.array([0.3, 0.3, np.inf]), 0.4),
                               [0.0, 0.6179114221889527, 0.6914624612740131], atol=1e-15)
    assert bivariate_normal_cdf(0.0, 0.0, 0.0) == pytest.approx(0.25, abs=1e-15)
    assert bivariate_normal_cdf(0.0, 0.0, 0.5) == pytest.approx(0.25 + math.asin(0.5) / (2 * math.pi), abs=1e-15)


def test_rectangle_probabilities_sum_to_one_and_handle_unused_categories():
    p = rectangle_probabilities(np.array([-1.0, 0.0, 1.0]), np.array([-np.inf, 0.5]), 0.4)
    assert p.shape == (4, 3) and p.sum() == pytest.approx(1.0, abs=1e-14)
    assert (p[:, 0] == 0).all()


def test_items_with_different_category_counts_use_per_pair_thresholds():
    """psych sets global = FALSE then (with a 0.5 continuity correction for empty cells)."""
    x = pd.read_csv(REF / "data" / "ordinal.csv")
    x.loc[x["o1"] == 4, "o1"] = 3
    result = polychoric(x)
    assert not result.global_thresholds
    assert any("thresholds were estimated per pair" in w for w in result.warnings)
    rho = result.rho.to_numpy()
    assert np.allclose(rho, rho.T) and np.all(np.abs(rho[np.triu_indices(6, 1)]) < 1)
    # Items untouched keep (nearly) their global-threshold value.
    assert result.rho.loc["o2", "o3"] == pytest.approx(polychoric(x.drop(columns="o1")).rho.loc["o2", "o3"], abs=0.01)


def test_constant_item_is_dropped_and_too_many_categories_refused():
    x = pd.read_csv(REF / "data" / "ordinal.csv").assign(o7=2.0)
    result = polychoric(x)
    assert result.dropped == ["o7"] and "o7" not in result.rho.index
    assert any("o7 has no variance" in w for w in result.warnings)
    with pytest.raises(ValueError, match="at most 8"):
        polychoric(pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0)[::-1]}))
    with pytest.raises(ValueError, match="whole-number"):
        polychoric(pd.DataFrame({"a": [1.5, 2, 3], "b": [1.0, 2, 3]}))


def test_pairwise_missing_answers_use_each_pairs_respondents():
    x = pd.read_csv(REF / "data" / "ordinal.csv")
    x.loc[:99, "o1"] = np.nan
    result = polychoric(x)
    assert result.n_pairs.loc["o1", "o2"] == 400 and result.n_pairs.loc["o2", "o3"] == 500
    only = polychoric(x.iloc[100:][["o1", "o2"]])
    # Same pair table; thresholds of o2 differ (all 500 answers vs 400), so rho moves a little.
    assert result.rho.loc["o1", "o2"] == pytest.approx(only.rho.loc["o1", "o2"], abs=0.02)


def test_smoothing_makes_a_matrix_positive_definite_as_cor_smooth():
    bad = np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]])
    smoothed, changed = smooth_correlation(bad)
    assert changed
    assert np.linalg.eigvalsh(smoothed).min() > 0 and np.allclose(np.diag(smoothed), 1)
    good = np.array([[1.0, 0.3], [0.3, 1.0]])
    same, changed = smooth_correlation(good)
    assert not changed and same is good


def test_result_frame_and_dict():
    result = polychoric(pd.read_csv(REF / "data" / "ordinal.csv"))
    frame = result.to_frame()
    assert len(frame) == 15 and set(frame.columns) == {"item_1", "item_2", "rho", "n"}
    d = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert d["items"] == ["o1", "o2", "o3", "o4", "o5", "o6"] and len(d["tau"][0]) == 3
    assert "Polychoric" in result.summary()
