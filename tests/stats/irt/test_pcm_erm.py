"""fit_pcm against R eRm 1.0-2 (tests/reference/irt/pcm.R -> fixtures/erm_pcm_*.json): the
conditional log-likelihood to 1e-6; betas, SEs, thresholds and person parameters to 5e-4 (eRm's
nlm stops earlier than our Newton steps: same log-likelihood, betas apart by up to 1.1e-4);
extreme raw scores excepted (eRm extrapolates a theta for them, we leave them NaN). Where eRm's
missing-data likelihood is not the conditional likelihood, brute-force enumeration decides."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from scoring.stats.irt import fit_pcm

from .conftest import REF, expand, fixture

TOL = 5e-4


def data(name: str) -> pd.DataFrame:
    if name == "science":
        return expand("science")
    return pd.read_csv(REF / "data" / f"pcm_{name}.csv")


@pytest.fixture(scope="module", params=["science", "sim", "unequal"])
def case(request):
    ref = fixture(f"erm_pcm_{request.param}")
    return ref, fit_pcm(data(request.param))


def test_conditional_log_likelihood(case):
    ref, fit = case
    assert fit.loglik == pytest.approx(ref["loglik"], abs=1e-6)
    assert fit.n_params == ref["npar"]
    assert fit.converged


def test_category_parameters_and_standard_errors(case):
    ref, fit = case
    np.testing.assert_allclose(fit.parameters["beta"], list(ref["betapar"].values()), atol=TOL)
    np.testing.assert_allclose(fit.parameters["se_beta"], list(ref["se_beta"].values()), atol=TOL)
    np.testing.assert_allclose(fit.parameters["beta"].sum(), 0.0, atol=1e-10)  # eRm's sum0 norm


def test_thresholds_and_locations(case):
    ref, fit = case
    np.testing.assert_allclose(fit.parameters["threshold"], list(ref["threshpar"].values()), atol=TOL)
    np.testing.assert_allclose(fit.parameters["se_threshold"], list(ref["se_thresh"].values()), atol=TOL)
    locations = [row["Location"] for row in ref["threshtable"].values()]
    np.testing.assert_allclose(fit.locations["location"], locations, atol=TOL)


def test_person_parameters(case):
    ref, fit = case
    extreme = np.array(ref["persons"]["extreme"])
    theta = np.array(ref["persons"]["theta"], dtype=float)
    se = np.array(ref["persons"]["se"], dtype=float)
    assert fit.persons["theta"].isna().to_numpy().tolist() == extreme.tolist()
    np.testing.assert_allclose(fit.persons["theta"].to_numpy()[~extreme], theta[~extreme], atol=TOL)
    np.testing.assert_allclose(fit.persons["se"].to_numpy()[~extreme], se[~extreme], atol=TOL)
    assert fit.n_extreme == int(extreme.sum())


def test_sim_data_has_missing_answers():
    """The second fixture exercises eRm's grouping by answered items."""
    assert data("sim").isna().to_numpy().mean() > 0.03


def test_information_is_the_slope_of_the_expected_score(case):
    """For Rasch-family items I(theta) = Var(X | theta) = dE(X | theta)/dtheta."""
    _, fit = case
    info = fit.information
    np.testing.assert_allclose(info["test"], info.drop(columns="test").sum(axis=1))
    theta = info.index.to_numpy()
    for item in fit.items:
        beta = np.concatenate([[0.0], fit.parameters.loc[fit.parameters["item"] == item, "beta"].to_numpy()])
        h = np.arange(len(beta))

        def expected(t, h=h, beta=beta):
            logits = np.outer(t, h) + beta
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            return (p / p.sum(axis=1, keepdims=True)) @ h

        slope = (expected(theta + 1e-5) - expected(theta - 1e-5)) / 2e-5
        np.testing.assert_allclose(info[item], slope, rtol=1e-6, atol=1e-9)


def brute_force_conditional_loglik(frame: pd.DataFrame, beta_items: list[np.ndarray]) -> float:
    """sum_p [sum_i beta_i,x_pi - log gamma_r], gamma_r by enumerating every answer pattern."""
    x = frame.to_numpy()
    total = 0.0
    for mask in {tuple(~np.isnan(row)) for row in x}:
        items = [i for i, answered in enumerate(mask) if answered]
        gamma: dict[int, float] = {}
        for pattern in itertools.product(*[range(len(beta_items[i]) + 1) for i in items]):
            weight = np.exp(sum(0.0 if h == 0 else beta_items[i][h - 1] for i, h in zip(items, pattern)))
            gamma[sum(pattern)] = gamma.get(sum(pattern), 0.0) + weight
        for row in x[(~np.isnan(x) == np.array(mask)).all(axis=1)]:
            answers = [int(row[i]) for i in items]
            total += sum(0.0 if h == 0 else beta_items[i][h - 1] for i, h in zip(items, answers)) - np.log(gamma[sum(answers)])
    return total


def test_missing_answers_with_unequal_categories_use_the_conditional_likelihood():
    """eRm 1.0-2 reports another log-likelihood here (README.md); enumeration confirms ours."""
    frame = pd.read_csv(REF / "data" / "pcm_unequal.csv").iloc[:250].astype(float)
    rng = np.random.default_rng(7)
    frame.iloc[rng.choice(250, 25, replace=False), 0] = np.nan  # an item that is not the last
    frame.iloc[rng.choice(250, 25, replace=False), 2] = np.nan
    fit = fit_pcm(frame)
    beta_items = [fit.parameters.loc[fit.parameters["item"] == item, "beta"].to_numpy() for item in fit.items]
    assert fit.loglik == pytest.approx(brute_force_conditional_loglik(frame, beta_items), abs=1e-8)
    # and it is the maximum: moving any beta (keeping the sum-zero norm) lowers it
    for k in range(1, len(fit.parameters)):
        shifted = [b.copy() for b in beta_items]
        flat = np.concatenate(shifted)
        flat[k] += 1e-3
        flat[0] -= 1e-3
        parts = np.split(flat, np.cumsum([len(b) for b in beta_items])[:-1])
        assert brute_force_conditional_loglik(frame, parts) < fit.loglik
