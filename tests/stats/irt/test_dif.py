"""Likelihood-ratio DIF on the graded model: finds a planted DIF item and not the others."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.stats.irt import dif_graded
from scoring.stats.irt.dif import benjamini_hochberg

from .conftest import simulate_graded

A = np.array([1.2, 1.0, 1.5, 0.9, 1.3, 1.1])
D = np.array([[2.0, 0.5, -1.0, -2.5], [2.5, 1.0, -0.5, -2.0], [1.8, 0.3, -0.8, -2.2],
              [2.2, 0.6, -0.6, -2.4], [2.6, 1.1, -0.3, -1.9], [1.9, 0.4, -1.1, -2.6]])


@pytest.fixture(scope="module")
def planted():
    """Group 'b' is 0.4 SD higher and finds item q3 harder (intercepts -0.9): uniform DIF."""
    ref, _ = simulate_graded(900, A, D, seed=31)
    shifted = D.copy()
    shifted[2] -= 0.9
    foc, _ = simulate_graded(900, A, shifted, seed=32, mean=0.4)
    frame = pd.concat([ref, foc], ignore_index=True)
    group = np.repeat(["a", "b"], 900)
    return frame, group, dif_graded(frame, group)


def test_finds_the_planted_item_only(planted):
    _, _, result = planted
    table = result.table
    assert table.loc["q3", "flag"] and table.loc["q3", "p_adjusted"] < 1e-6
    assert not table.drop(index="q3")["flag"].any()
    assert table.loc["q3", "G2"] == table["G2"].max()
    assert (table["df"] == 5).all()


def test_effect_sizes_have_the_planted_sign_and_size(planted):
    _, _, result = planted
    t = result.table
    # harder for the focal group: lower expected score at the same theta
    assert t.loc["q3", "SIDS"] > 0.3 and t.loc["q3", "UIDS"] >= t.loc["q3", "SIDS"] - 1e-12
    assert t.loc["q3", "ESSD"] > 0.25
    assert t.drop(index="q3")["UIDS"].max() < 0.15


def test_anchor_recovers_the_focal_mean(planted):
    _, _, result = planted
    assert result.reference == "a" and result.focal == "b"
    assert result.n_reference == result.n_focal == 900
    assert result.focal_mean == pytest.approx(0.4, abs=0.15)
    assert result.focal_sd == pytest.approx(1.0, abs=0.15)


def test_reference_group_can_be_chosen(planted):
    frame, group, _ = planted
    swapped = dif_graded(frame, group, reference="b", items=["q3"])
    assert swapped.reference == "b" and swapped.focal == "a"
    assert swapped.table.loc["q3", "SIDS"] < -0.3  # the reference is now the disadvantaged group


def test_benjamini_hochberg_as_r_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005, NA), "BH") -> 0.02 0.04 0.04 0.02 NA
    adjusted = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.005, np.nan]))
    np.testing.assert_allclose(adjusted[:4], [0.02, 0.04, 0.04, 0.02])
    assert np.isnan(adjusted[4])


def test_an_item_with_a_category_unused_in_one_group_is_not_tested(planted):
    frame, group, _ = planted
    changed = frame.copy()
    changed.loc[(group == "b") & (changed["q1"] == 1), "q1"] = 2
    result = dif_graded(changed, group, items=["q1", "q2"])
    assert np.isnan(result.table.loc["q1", "G2"]) and "not used in group 'b'" in result.reasons["q1"]
    assert not np.isnan(result.table.loc["q2", "G2"])


@pytest.mark.parametrize(
    "groups, message",
    [
        (np.repeat(["a", "b", "c"], 600), "exactly two groups"),
        (np.array(["a"] * 1770 + ["b"] * 30), "at least 50 in each group"),
    ],
)
def test_group_must_have_two_levels_with_enough_respondents(planted, groups, message):
    frame, _, _ = planted
    with pytest.raises(ValueError, match=message):
        dif_graded(frame, groups)


def test_result_protocol(planted):
    _, _, result = planted
    import json

    payload = json.loads(result.to_json(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    assert set(payload["items"]["q3"]) == {"G2", "df", "p", "p_adjusted", "SIDS", "UIDS", "ESSD", "a_reference", "a_focal", "flag"}
    assert payload["items"]["q3"]["flag"] is True
    assert "Benjamini-Hochberg" in result.summary()
    assert repr(result) == "DIFResult(reference='a', focal='b', items=6, flagged=1)"


def test_lr_statistics_agree_with_a_by_hand_r_fit_of_the_two_group_graded_model():
    """tests/reference/irt/dif_lr.R maximises the same marginal likelihood in base R (optim,
    mirt's quadrature): G2 of the DIF item i3 against all items equal, and of the clean i1 with
    i3 freed, and the log-likelihood of the model with i3 free."""
    import json
    from pathlib import Path

    here = Path(__file__).parents[2] / "reference" / "irt"
    r = json.loads((here / "fixtures" / "r_dif_lr.json").read_text())
    data = pd.read_csv(here / "data" / "dif_sim.csv")
    out = dif_graded(data[["i1", "i2", "i3", "i4", "i5"]], data["group"], reference="ref", items=["i1", "i3"])
    assert out.anchor == ["i1", "i2", "i4", "i5"], "i3 is flagged and leaves the anchor"
    assert out.table.loc["i3", "G2"] == pytest.approx(r["G2"]["i3_vs_all_equal"], abs=1e-3)
    assert out.table.loc["i1", "G2"] == pytest.approx(r["G2"]["i1_given_i3_free"], abs=1e-3)
    assert out.loglik_constrained == pytest.approx(r["loglik"]["m3"], abs=1e-3)
    assert list(out.table["df"]) == [r["df"]["i1"], r["df"]["i3"]]
    assert list(out.table["flag"]) == [False, True]
