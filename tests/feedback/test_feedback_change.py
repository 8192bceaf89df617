"""Reliable change (Jacobson & Truax 1991), CSC points and where rxx and SD come from."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import UserError
from scoring.feedback.change import (
    classify_change,
    combine,
    csc_criteria,
    instrument_reliability,
    intake_reliability,
    minimal_reliable_difference,
    reliable_change_category,
    reliable_change_index,
    standard_error_of_difference,
)
from scoring.feedback.clients import feedback_settings, intake_rows, prepare_contacts
from scoring.instrument.model import NormGroup
from tests.feedback.test_feedback import make_contacts

SAMPLE = Path(__file__).parents[2] / "sample_data" / "feedback.csv"


# ----------------------------------------------------------------------------- by hand


def test_rc_with_sd_5_and_rxx_82_divides_by_3():
    # SE = 5 * sqrt(.18) = 2.1213; S_diff = sqrt(2 * 4.5) = 3
    assert standard_error_of_difference(5.0, 0.82) == pytest.approx(3.0, abs=1e-12)
    assert reliable_change_index(20.0, 29.0, 5.0, 0.82) == pytest.approx(3.0, abs=1e-12)
    assert reliable_change_index(20.0, 14.0, 5.0, 0.82) == pytest.approx(-2.0, abs=1e-12)
    assert minimal_reliable_difference(5.0, 0.82) == pytest.approx(5.88, abs=1e-12)


def test_rc_with_the_instruments_provisional_norms():
    # SD 7.5, rxx .85: S_diff = sqrt(2 * 7.5^2 * .15) = sqrt(16.875) = 4.107919
    assert standard_error_of_difference(7.5, 0.85) == pytest.approx(4.107919181, abs=1e-9)
    assert reliable_change_index(18.0, 30.0, 7.5, 0.85) == pytest.approx(12 / 4.107919181, abs=1e-9)
    assert minimal_reliable_difference(7.5, 0.85) == pytest.approx(8.051521596, abs=1e-9)


def test_rc_is_vectorised_and_keeps_nan():
    rc = reliable_change_index([20, 20, np.nan], [26, 14, 30], 5.0, 0.82)
    np.testing.assert_allclose(rc, [2.0, -2.0, np.nan])


def test_categories_are_strict_at_196():
    cats = reliable_change_category([1.97, 1.96, -1.96, -1.97, 0.0, np.nan])
    assert list(cats) == ["improved", "unchanged", "unchanged", "deteriorated", "unchanged", None]


def test_csc_criteria_a_b_c_by_hand():
    # a = M0 + 2 SD0; b = M1 - 2 SD1; c = (SD0 M1 + SD1 M0) / (SD0 + SD1)
    stored = csc_criteria(NormGroup(mean=30, sd=6), NormGroup(mean=19, sd=7))
    assert stored == {"a": 33.0, "b": 18.0, "c": pytest.approx(324 / 13, abs=1e-12)}
    other = csc_criteria(NormGroup(mean=40, sd=5), NormGroup(mean=20, sd=10))
    assert other == {"a": 40.0, "b": 30.0, "c": pytest.approx(500 / 15, abs=1e-12)}


def test_csc_criteria_refuse_a_functional_mean_below_the_dysfunctional():
    with pytest.raises(UserError, match="higher outcome totals mean better"):
        csc_criteria(NormGroup(mean=10, sd=5), NormGroup(mean=20, sd=5))


def test_classification_needs_reliable_change_and_crossing_the_point():
    x1 = np.array([20, 10, 26, 20, 20, 20])
    x2 = np.array([26, 16, 32, 25.8, 14, 20])
    rc = reliable_change_index(x1, x2, 5.0, 0.82)
    assert list(classify_change(x1, x2, rc, 25.0)) == ["recovered", "improved", "improved", "unchanged", "deteriorated", "unchanged"]
    assert list(classify_change(x1, x2, rc, None))[0] == "improved"


# ----------------------------------------------------------------------------- properties


scores = st.floats(min_value=0, max_value=40, allow_nan=False)
sds = st.floats(min_value=0.5, max_value=20, allow_nan=False)
rxxs = st.floats(min_value=0.05, max_value=0.99, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(scores, scores, sds, rxxs)
def test_rc_is_antisymmetric(x1, x2, sd, rxx):
    assert reliable_change_index(x1, x2, sd, rxx) == pytest.approx(-reliable_change_index(x2, x1, sd, rxx), abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(scores, scores, sds, rxxs)
def test_rc_halves_when_the_sd_doubles(x1, x2, sd, rxx):
    assert reliable_change_index(x1, x2, 2 * sd, rxx) == pytest.approx(reliable_change_index(x1, x2, sd, rxx) / 2, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(scores, scores, sds, rxxs)
def test_a_change_beyond_the_minimal_reliable_difference_is_a_reliable_change(x1, x2, sd, rxx):
    mrd = float(minimal_reliable_difference(sd, rxx))
    category = reliable_change_category(reliable_change_index(x1, x2, sd, rxx))
    if abs(abs(x2 - x1) - mrd) > 1e-9:
        assert (category != "unchanged") == (abs(x2 - x1) > mrd)


# ----------------------------------------------------------------------------- sources


def test_instrument_source_reads_the_stored_norms():
    rel = feedback_settings().reliability
    assert (rel.rxx, rel.sd, rel.source) == (0.85, 7.5, "instrument")


def test_given_values_replace_one_or_both():
    assert feedback_settings(rxx=0.8, sd=6.0).reliability.source == "given"
    mixed = feedback_settings(rxx=0.8).reliability
    assert (mixed.rxx, mixed.sd) == (0.8, 7.5)
    assert mixed.source == "rxx: given; sd: instrument"


def test_given_values_are_checked():
    with pytest.raises(UserError, match="rxx must be between 0 and 1"):
        feedback_settings(rxx=1.0)
    with pytest.raises(UserError, match="sd must be positive"):
        feedback_settings(sd=0.0)


def test_intake_source_is_alpha_and_sd_at_each_clients_first_scored_contact():
    from scoring.responses.reading import read_table

    contacts = prepare_contacts(read_table(SAMPLE))
    rel = feedback_settings(contacts, reliability_from="intake").reliability
    intake = intake_rows(contacts)
    items = intake[["fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet"]].dropna().to_numpy()
    k = items.shape[1]
    by_hand = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert rel.rxx == pytest.approx(by_hand, abs=1e-12)
    assert rel.sd == pytest.approx(intake["outcome_total"].std(ddof=1), abs=1e-12)
    n = contacts.groupby(["unit", "client"])["outcome_total"].count().gt(0).sum()
    assert rel.source == f"intake data (n={n})"


def test_intake_source_with_too_few_clients_says_why():
    contacts = prepare_contacts(pd.concat([make_contacts([20], client="a"), make_contacts([24], client="b")], ignore_index=True))
    rel = feedback_settings(contacts, reliability_from="intake").reliability
    assert math.isnan(rel.rxx) and math.isnan(rel.sd) and not rel.usable
    assert "at least 3 clients" in rel.reason and "at least 3 intake totals" in rel.reason
    fixed = combine(rel, rxx=0.8, sd=6.0)
    assert fixed.usable and fixed.reason is None and fixed.source == "given"


def test_intake_reliability_of_items_without_variance_is_nan_with_a_reason():
    items = pd.DataFrame({"a": [5.0, 5, 5, 5], "b": [5.0, 5, 5, 5]})
    rel = intake_reliability(items, items.sum(axis=1))
    assert math.isnan(rel.rxx) and math.isnan(rel.sd)
    assert rel.sd_reason == "the intake totals do not vary"


def test_a_scale_without_stored_values_says_so():
    from scoring.instrument.catalog import bundled

    scale = bundled("feedback-samtale").scale("fs_total").model_copy(update={"norms": None})
    rel = instrument_reliability(scale)
    assert not rel.usable
    assert rel.reason == "the scale fs_total has no stored rxx; the scale fs_total has no stored sd"
