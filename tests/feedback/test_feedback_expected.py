"""Expected trajectories: lme4 agreement, the percentile band by hand, too little data."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.feedback.clients import prepare_contacts
from scoring.feedback.expected import Z_QUARTILE, ExpectedTrajectories, fit_expected_trajectories
from scoring.responses.reading import read_table
from tests.feedback.test_feedback import make_contacts

REPO = Path(__file__).parents[2]
FIXTURE = REPO / "tests" / "reference" / "fixtures" / "feedback_trajectory_feedback.json"


@pytest.fixture(scope="module")
def sample():
    return prepare_contacts(read_table(REPO / "sample_data" / "feedback.csv"))


def test_the_fit_agrees_with_lme4(sample):
    ref = json.loads(FIXTURE.read_text())
    model = fit_expected_trajectories(sample)
    assert model.available and model.random_slope
    assert (model.clients, model.contacts) == (ref["clients"], ref["contacts"])
    assert model.intake_mean == pytest.approx(ref["intake_mean"], abs=1e-12)
    fixef = ref["fixef"]
    expected = [fixef["(Intercept)"], fixef["xc"], fixef["logt"], fixef["xc:logt"]]
    np.testing.assert_allclose(list(model.fixed.values()), expected, atol=1e-5)
    np.testing.assert_allclose(model.cov_re, np.array(ref["cov_re"]), atol=1e-5)
    assert model.residual_var == pytest.approx(ref["residual_var"], abs=1e-5)


def test_the_basis_states_clients_contacts_scope_and_dates(sample):
    model = fit_expected_trajectories(sample)
    assert model.basis("en").startswith(
        "Estimated from 53 clients with at least 3 scores (399 contacts) in all units in the data, 2024-01-24 to 2026-10-08"
    )
    assert model.basis("nb").startswith("Beregnet fra 53 klienter med minst 3 målinger (399 kontakter) i alle enheter i dataene")


def test_too_few_clients_gives_no_trajectory_and_says_why(sample):
    model = fit_expected_trajectories(sample[sample["unit"] == "d1.rus"], unit="d1.rus")
    assert not model.available
    assert model.basis("en") == (
        "No expected trajectory yet: 11 clients in unit d1.rus have at least 3 scores, and 30 are needed."
    )
    with pytest.raises(ValueError, match="no expected trajectory"):
        model.band(20.0)
    assert fit_expected_trajectories(sample[sample["unit"] == "d1.rus"], unit="d1.rus", min_clients=10).available


def test_the_band_by_hand():
    model = ExpectedTrajectories(
        available=True, unit="u", clients=40, contacts=200, min_clients=30, min_contacts=3,
        first_date=pd.Timestamp("2024-01-01"), last_date=pd.Timestamp("2024-12-31"), max_contact=4,
        intake_mean=20.0, fixed={"intercept": 21.0, "intake": 0.5, "log_contact": 3.0, "intake_x_log_contact": -0.25},
        cov_re=np.array([[4.0, -1.0], [-1.0, 2.0]]), residual_var=5.0, random_slope=True,
    )  # fmt: skip
    band = model.band(24.0)
    assert list(band["contact"]) == [1, 2, 3, 4]
    assert band.iloc[0][["expected", "expected_p25", "expected_p75"]].tolist() == [24.0, 24.0, 24.0]
    t = math.log(3)
    mean = 21.0 + 0.5 * 4 + (3.0 - 0.25 * 4) * t  # intake 24 is 4 above the mean
    sd = math.sqrt(4.0 - 2 * 1.0 * t + 2.0 * t * t + 5.0)
    row = band.set_index("contact").loc[3]
    assert row["expected"] == pytest.approx(mean, abs=1e-12)
    assert row["expected_p25"] == pytest.approx(mean - 0.6744897501960817 * sd, abs=1e-12)
    assert row["expected_p75"] == pytest.approx(mean + Z_QUARTILE * sd, abs=1e-12)
    beyond = model.band(24.0, [5])
    assert beyond[["expected", "expected_p25", "expected_p75"]].isna().all(axis=None)


def test_the_band_stays_on_the_scale():
    model = ExpectedTrajectories(
        available=True, unit=None, clients=40, contacts=200, min_clients=30, min_contacts=3,
        first_date=pd.Timestamp("2024-01-01"), last_date=pd.Timestamp("2024-12-31"), max_contact=3,
        intake_mean=20.0, fixed={"intercept": 38.0, "intake": 1.0, "log_contact": 5.0, "intake_x_log_contact": 0.0},
        cov_re=np.array([[9.0]]), residual_var=4.0, random_slope=False,
    )  # fmt: skip
    band = model.band(22.0)
    assert band[["expected", "expected_p25", "expected_p75"]].max(axis=None) == 40.0


def test_a_structure_we_built_is_recovered():
    # 60 clients, 6 contacts each: y = 24 + 0.6 xc + 2.5 log t + u0 + u1 log t + e
    rng = np.random.default_rng(7)
    frames = []
    for i in range(60):
        intake = float(np.clip(rng.normal(20, 4), 4, 36))
        u0, u1 = rng.normal(0, 1.5), rng.normal(0, 1.0)
        t = np.arange(2, 7)
        y = 24 + 0.6 * (intake - 20) + (2.5 + u1) * np.log(t) + u0 + rng.normal(0, 1.2, t.size)
        totals = [round(intake, 1), *np.round(np.clip(y, 0, 40), 1)]
        frames.append(make_contacts(totals, client=f"k{i:02d}"))
    model = fit_expected_trajectories(prepare_contacts(pd.concat(frames, ignore_index=True)))
    assert model.available
    assert model.fixed["log_contact"] == pytest.approx(2.5, abs=0.4)
    assert model.fixed["intake"] == pytest.approx(0.6, abs=0.1)
    assert model.fixed["intercept"] + model.fixed["intake"] * (20 - model.intake_mean) == pytest.approx(24, abs=0.6)
    assert model.residual_var == pytest.approx(1.44, rel=0.25)
