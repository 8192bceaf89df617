"""The graded model on simulated data: parameter recovery, EAP against brute-force integration,
information and marginal reliability against direct numerical formulas, missing answers, and
S-X2 on data that fit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from scoring.stats.irt import fit_graded, graded
from scoring.stats.irt.itemfit import summed_score_distribution
from scoring.stats.irt.mml import MarginalModel, start_values
from scoring.stats.irt.responses import code_items, group_patterns

from .conftest import simulate_graded

A = np.array([0.8, 1.2, 1.6, 2.0, 1.0, 1.4])
D = np.array([[2.5, 0.8, -0.6, -2.2], [2.0, 0.5, -0.5, -1.8], [3.0, 1.2, -0.2, -2.5],
              [2.2, 0.0, -1.0, -3.0], [1.5, 0.6, -1.2, -2.0], [2.8, 1.0, 0.1, -1.5]])


@pytest.fixture(scope="module")
def simulated():
    frame, theta = simulate_graded(4000, A, D, seed=11)
    return frame, theta, fit_graded(frame)


def test_recovers_known_parameters_within_their_standard_errors(simulated):
    _, _, fit = simulated
    p = fit.parameters
    z_a = (p["a"] - A) / p["se_a"]
    z_d = (p[["d1", "d2", "d3", "d4"]].to_numpy() - D) / p[["se_d1", "se_d2", "se_d3", "se_d4"]].to_numpy()
    assert np.all(np.abs(z_a) < 3.5) and np.all(np.abs(z_d) < 3.5)
    np.testing.assert_allclose(p["a"], A, atol=0.15)
    # 30 estimates: their z-scores should look standard normal, not inflated
    z = np.concatenate([z_a, z_d.ravel()])
    assert 0.5 < np.std(z) < 1.5


def test_standard_errors_match_the_inverse_hessian_of_a_numeric_loglik(simulated):
    frame, _, fit = simulated
    coded = code_items(frame)
    model = MarginalModel(group_patterns(coded.codes), coded.n_categories)
    x = np.concatenate([[fit.parameters.loc[i, "a"], *fit.parameters.loc[i, ["d1", "d2", "d3", "d4"]]] for i in fit.items])
    # the slope of item q1 and its first intercept, by second differences of l itself
    h = 1e-3
    e0, e1 = np.eye(len(x))[0] * h, np.eye(len(x))[1] * h
    f = model.loglik
    h00 = (f(x + e0) - 2 * f(x) + f(x - e0)) / h**2
    h01 = (f(x + e0 + e1) - f(x + e0 - e1) - f(x - e0 + e1) + f(x - e0 - e1)) / (4 * h**2)
    hess = model.hessian(x)
    assert hess[0, 0] == pytest.approx(h00, rel=1e-4)
    assert hess[0, 1] == pytest.approx(h01, rel=1e-3)


def test_gradient_is_the_derivative_of_the_log_likelihood(simulated):
    frame, _, _ = simulated
    coded = code_items(frame)
    patterns = group_patterns(coded.codes, np.arange(len(frame)) % 2)
    model = MarginalModel(patterns, coded.n_categories, n_groups=2, free_groups=(1,))
    x = model.pack(start_values(coded.codes, coded.n_categories))
    x[-2:] = [0.3, 1.2]
    _, grad = model.loglik_grad(x)
    numeric = [(model.loglik(x + e) - model.loglik(x - e)) / 2e-6 for e in np.eye(len(x)) * 1e-6]
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-4)


def test_eap_equals_brute_force_integration(simulated):
    """Posterior mean and SD over N(0, 1) by adaptive quadrature on the real line."""
    frame, _, fit = simulated
    rows = frame.iloc[[0, 1, 2, 3]].copy()
    rows.iloc[3, 2] = np.nan  # a missing answer drops out
    scored = fit.score(rows)
    p = fit.parameters
    a = p["a"].to_numpy()
    d = p[["d1", "d2", "d3", "d4"]].to_numpy()
    for r, answers in enumerate(rows.to_numpy()):
        answered = ~np.isnan(answers)
        codes = answers[answered].astype(int)

        def likelihood(t, a=a[answered], d=d[answered], codes=codes):
            cum = np.hstack([np.ones((len(a), 1)), 1 / (1 + np.exp(-(a[:, None] * t + d))), np.zeros((len(a), 1))])
            rows_ = np.arange(len(a))
            return stats.norm.pdf(t) * np.prod(cum[rows_, codes - 1] - cum[rows_, codes])

        norm = integrate.quad(likelihood, -10, 10, epsabs=1e-14)[0]
        mean = integrate.quad(lambda t: t * likelihood(t), -10, 10, epsabs=1e-14)[0] / norm
        second = integrate.quad(lambda t: t * t * likelihood(t), -10, 10, epsabs=1e-14)[0] / norm
        assert scored["theta"].iloc[r] == pytest.approx(mean, abs=1e-6)
        assert scored["se"].iloc[r] == pytest.approx(np.sqrt(second - mean**2), abs=1e-6)


def test_eap_scores_track_the_true_theta(simulated):
    frame, theta, fit = simulated
    assert fit.scores.index.equals(frame.index)
    assert np.corrcoef(fit.scores["theta"], theta)[0, 1] > 0.85
    assert fit.scores["se"].between(0.2, 1.0).all()


def test_information_is_fisher_information_of_the_categories(simulated):
    _, _, fit = simulated
    p = fit.parameters
    theta = fit.information.index.to_numpy()
    for item in fit.items:
        a, d = p.loc[item, "a"], p.loc[item, ["d1", "d2", "d3", "d4"]].to_numpy(float)
        h = 1e-5
        dp = (graded.probabilities(a, d, theta + h) - graded.probabilities(a, d, theta - h)) / (2 * h)
        expected = np.sum(dp**2 / graded.probabilities(a, d, theta), axis=0)
        np.testing.assert_allclose(fit.information[item], expected, rtol=1e-6)
    np.testing.assert_allclose(fit.information["test"], fit.information[fit.items].sum(axis=1))


def test_marginal_reliability_is_the_integral_of_i_over_i_plus_one(simulated):
    _, _, fit = simulated
    p = fit.parameters

    def integrand(t):
        info = sum(graded.information(p.loc[i, "a"], p.loc[i, ["d1", "d2", "d3", "d4"]].to_numpy(float), np.array([t]))[0]
                   for i in fit.items)
        return info / (info + 1) * stats.norm.pdf(t)

    assert fit.marginal_reliability == pytest.approx(integrate.quad(integrand, -np.inf, np.inf)[0], abs=1e-6)


def test_s_x2_does_not_reject_items_of_a_model_that_fits(simulated):
    _, _, fit = simulated
    table = fit.item_fit
    assert (table["df"] > 0).all()
    assert table["p"].min() > 0.001
    assert table["RMSEA"].max() < 0.03


def test_s_x2_flags_an_item_the_model_cannot_describe():
    """An item that depends on theta^2, not theta, misfits the graded model."""
    frame, theta = simulate_graded(3000, A[:5], D[:5], seed=5)
    rng = np.random.default_rng(6)
    frame["bad"] = (rng.random(3000) < 1 / (1 + np.exp(-(1.5 * theta**2 - 1.5)))).astype(float)
    fit = fit_graded(frame)
    assert fit.item_fit.loc["bad", "p"] < 1e-6
    assert fit.item_fit.drop(index="bad")["p"].min() > 0.001


def test_lord_wingersky_matches_enumeration():
    theta = np.array([-1.0, 0.3, 2.0])
    probs = [graded.probabilities(1.2, [1.0, -0.5], theta), graded.probabilities(0.7, [0.4], theta),
             graded.probabilities(2.0, [2.0, 0.5, -1.0], theta)]
    dist = summed_score_distribution(probs)
    brute = np.zeros_like(dist)
    for x0 in range(3):
        for x1 in range(2):
            for x2 in range(4):
                brute[x0 + x1 + x2] += probs[0][x0] * probs[1][x1] * probs[2][x2]
    np.testing.assert_allclose(dist, brute, rtol=1e-12)


def test_missing_answers_drop_from_the_likelihood():
    """Fitting with NaN equals fitting the likelihood that simply omits those answers."""
    frame, _ = simulate_graded(1500, A[:4], D[:4], seed=21, missing=0.1)
    fit = fit_graded(frame, item_fit=False)
    assert frame.isna().any(axis=1).sum() > 300
    p = fit.parameters
    from scoring.stats.irt import quadrature

    theta = quadrature.nodes()
    log_l = np.tile(quadrature.log_weights(theta), (len(frame), 1))
    for item in fit.items:
        table = graded.log_probabilities(p.loc[item, "a"], p.loc[item, ["d1", "d2", "d3", "d4"]].to_numpy(float), theta)
        code = frame[item].to_numpy()
        answered = ~np.isnan(code)
        log_l[answered] += table[code[answered].astype(int) - 1]
    assert fit.loglik == pytest.approx(np.logaddexp.reduce(log_l, axis=1).sum(), abs=1e-6)


def test_rows_without_any_answer_are_left_out():
    frame, _ = simulate_graded(300, A[:3], D[:3], seed=2)
    frame.iloc[:10] = np.nan
    fit = fit_graded(frame, item_fit=False)
    assert fit.n_obs == 290 and fit.dropped == 10
    assert fit.scores.index.equals(frame.index[10:])


def test_unused_codes_between_used_ones_are_reported():
    frame, _ = simulate_graded(400, A[:3], D[:3], seed=3)
    frame.loc[frame["q1"] == 3, "q1"] = 2  # q1 uses 1, 2, 4, 5
    fit = fit_graded(frame, item_fit=False)
    assert fit.categories["q1"] == [1, 2, 4, 5]
    assert any("q1" in w and "3" in w for w in fit.warnings)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda f: f.assign(q1=f["q1"] + 0.5), "integer codes"),
        (lambda f: f.assign(q2=3.0), "only one observed category"),
        (lambda f: f.iloc[:40], "at least 50"),
        (lambda f: f.assign(q3="x"), "integer codes"),
    ],
)
def test_unusable_input_is_refused_with_a_reason(change, message):
    frame, _ = simulate_graded(200, A[:3], D[:3], seed=4)
    with pytest.raises(ValueError, match=message):
        fit_graded(change(frame))


def test_result_protocol(simulated):
    _, _, fit = simulated
    import json

    payload = json.loads(fit.to_json(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert payload["model"] == "graded" and payload["items"] == fit.items
    assert set(payload["parameters"]["q1"]) == {"categories", "a", "se_a", "d", "se_d", "b", "se_b"}
    assert len(payload["information"]["theta"]) == len(payload["information"]["test"])
    frame = fit.to_frame()
    assert list(frame.index) == fit.items and {"a", "d1", "b1", "se_a"} <= set(frame.columns)
    assert "Graded response model" in fit.summary() and "S-X2" in str(fit)
    assert repr(fit).startswith("GradedFit(") and len(repr(fit)) < 120
    with pytest.raises(AttributeError):
        fit.loglik = 0.0
