"""fit_graded against R mirt's own published estimates (tests/reference/irt/README.md says where
each number was printed): parameters to 1e-2, log-likelihood to 1e-3."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.stats.irt import fit_graded, graded, quadrature
from scoring.stats.irt.itemfit import summed_score_distribution

from .conftest import REF, fixture

PARAM = 1e-2
LOGLIK = 1e-3
Z975 = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def lsat7_fit(lsat7):
    return fit_graded(lsat7)


@pytest.fixture(scope="module")
def science_fit(science):
    return fit_graded(science)


def test_lsat7_is_the_2pl_with_mirt_coefficients(lsat7_fit):
    ref = fixture("mirt_published")["lsat7"]["coef"]
    assert lsat7_fit.model == "2PL"
    np.testing.assert_allclose(lsat7_fit.parameters["a"], ref["a"], atol=PARAM)
    np.testing.assert_allclose(lsat7_fit.parameters["d1"], ref["d"], atol=PARAM)


def test_lsat7_log_likelihood_aic_bic(lsat7_fit):
    ref = fixture("mirt_published")["lsat7"]["logLik"]
    assert lsat7_fit.loglik == pytest.approx(ref["value"], abs=LOGLIK)
    assert lsat7_fit.aic == pytest.approx(ref["aic"], abs=2 * LOGLIK)
    assert lsat7_fit.bic == pytest.approx(ref["bic"], abs=2 * LOGLIK)
    assert lsat7_fit.n_params == 10 and lsat7_fit.n_obs == 1000 and lsat7_fit.n_patterns == 32


def test_lsat7_standard_errors_match_mirt_richardson(lsat7_fit):
    """mirt prints 95% CIs est -/+ 1.96 SE; the half-width gives its observed-information SE."""
    ref = fixture("mirt_published")["lsat7"]["coef_richardson_ci"]
    for column, key in (("se_a", "a"), ("se_d1", "d")):
        se_mirt = [(hi - lo) / (2 * Z975) for _, lo, hi in ref[key]]
        np.testing.assert_allclose(lsat7_fit.parameters[column], se_mirt, atol=1e-3)


def test_lsat7_s_x2_item_fit(lsat7_fit):
    ref = fixture("mirt_published")["lsat7"]["itemfit_S_X2"]
    np.testing.assert_allclose(lsat7_fit.item_fit["S_X2"], ref["S_X2"], atol=PARAM)
    assert lsat7_fit.item_fit["df"].tolist() == ref["df"]
    np.testing.assert_allclose(lsat7_fit.item_fit["p"], stats.chi2.sf(ref["S_X2"], ref["df"]), atol=PARAM)


def test_lsat7_summed_score_distribution_as_mirt_eapsum(lsat7, lsat7_fit):
    """Lord-Wingersky expected counts of each summed score (mirt EAPsum ``expected``)."""
    ref = fixture("mirt_published")["lsat7"]["eapsum"]
    p = lsat7_fit.parameters
    theta = quadrature.nodes()
    probs = [graded.probabilities(p.loc[i, "a"], [p.loc[i, "d1"]], theta) for i in lsat7_fit.items]
    expected = 1000 * summed_score_distribution(probs) @ np.exp(quadrature.log_weights(theta))
    np.testing.assert_allclose(expected, ref["expected"], rtol=2e-3)
    np.testing.assert_array_equal(np.bincount(lsat7.sum(axis=1).astype(int)), ref["observed"])


def test_lsat7_eap_scores(lsat7_fit):
    ref = fixture("mirt_published")["lsat7"]
    patterns = pd.read_csv(REF / "data" / "lsat7.csv").iloc[:6, :5]
    scored = lsat7_fit.score(patterns)
    np.testing.assert_allclose(scored["theta"], ref["fscores_patterns"]["F1"], atol=PARAM)
    # the all-wrong pattern is summed score 0: EAPsum's first row, printed to 1e-5
    assert scored["theta"].iloc[0] == pytest.approx(ref["eapsum"]["F1"][0], abs=1e-4)
    assert scored["se"].iloc[0] == pytest.approx(ref["eapsum"]["SE_F1"][0], abs=1e-4)


def test_lsat7_with_two_missing_cells(lsat7):
    """mirt's test sets data[1,1] and data[2,2] to NA; missing answers drop from the likelihood."""
    ref = fixture("mirt_published")["lsat7"]["missing_two_cells"]
    data = lsat7.astype(float).copy()
    data.iloc[0, 0] = np.nan
    data.iloc[1, 1] = np.nan
    fit = fit_graded(data, item_fit=False)
    np.testing.assert_allclose(fit.parameters["a"], ref["a"], atol=PARAM)
    np.testing.assert_allclose(fit.parameters["d1"], ref["d"], atol=PARAM)
    assert fit.n_obs == 1000


def test_science_graded_coefficients(science_fit):
    ref = fixture("mirt_published")["science"]["coef"]
    assert science_fit.model == "graded"
    np.testing.assert_allclose(science_fit.parameters["a"], ref["a"], atol=PARAM)
    np.testing.assert_allclose(science_fit.parameters[["d1", "d2", "d3"]], ref["d"], atol=PARAM)
    assert science_fit.categories == {item: [1, 2, 3, 4] for item in ["Comfort", "Work", "Future", "Benefit"]}


def test_science_log_likelihood_aic_bic(science_fit):
    ref = fixture("mirt_published")["science"]["logLik"]
    assert science_fit.loglik == pytest.approx(ref["value"], abs=LOGLIK)
    assert science_fit.aic == pytest.approx(ref["aic"], abs=2 * LOGLIK)
    assert science_fit.bic == pytest.approx(ref["bic"], abs=2 * LOGLIK)


def test_science_standard_errors_match_mirt_louis(science_fit):
    """Louis' observed information (mirt ``SE.type = "Louis"``) is the same quantity."""
    ref = fixture("mirt_published")["science"]["coef_louis"]
    np.testing.assert_allclose(science_fit.parameters["se_a"], [se for _, se in ref["a"]], atol=PARAM)
    se_d = [[se for _, se in item] for item in ref["d"]]
    np.testing.assert_allclose(science_fit.parameters[["se_d1", "se_d2", "se_d3"]], se_d, atol=PARAM)


def test_science_irt_parameterisation_is_minus_d_over_a(science_fit):
    p = science_fit.parameters
    for k in (1, 2, 3):
        np.testing.assert_allclose(p[f"b{k}"], -p[f"d{k}"] / p["a"], rtol=1e-12)


def test_science_eap_for_a_response_pattern(science_fit):
    ref = fixture("mirt_published")["science"]
    one = ref["fscores_response_pattern"]
    scored = science_fit.score(pd.DataFrame([one["pattern"]], columns=science_fit.items))
    assert scored["theta"].iloc[0] == pytest.approx(one["F1"], abs=1e-3)
    assert scored["se"].iloc[0] == pytest.approx(one["SE_F1"], abs=1e-3)
    table = ref["fscores_patterns"]
    scored = science_fit.score(pd.DataFrame(table["patterns"], columns=science_fit.items))
    np.testing.assert_allclose(scored["theta"], table["F1"], atol=1e-3)
    np.testing.assert_allclose(scored["se"], table["SE_F1"], atol=2e-3)


def test_science_expected_pattern_frequencies(science_fit):
    """N x P(pattern) against mirt's residuals(type = 'exp'), printed to three decimals."""
    ref = fixture("mirt_published")["science"]["expected_pattern_frequencies"]
    table = pd.read_csv(REF / "data" / "science.csv")
    p = science_fit.parameters
    theta = quadrature.nodes()
    log_w = quadrature.log_weights(theta)
    log_l = np.zeros((len(table), len(theta)))
    for item in science_fit.items:
        log_p = graded.log_probabilities(p.loc[item, "a"], p.loc[item, ["d1", "d2", "d3"]].to_numpy(float), theta)
        log_l += log_p[table[item].to_numpy() - 1]
    expected = 392 * np.exp(np.logaddexp.reduce(log_l + log_w, axis=1))
    np.testing.assert_allclose(expected, ref["exp"], atol=0.015)
