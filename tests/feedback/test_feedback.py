"""Client feedback: checking a contacts table, national ids, and one client's view.

Hand-made trajectories use SD = 5 and rxx = .82, so that S_diff = sqrt(2 * 25 * .18) = 3
exactly: RC = (x2 - x1) / 3 and the minimal reliable difference is 1.96 * 3 = 5.88.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scoring.errors import UserError
from scoring.feedback.clients import client_feedback, client_table, contact_table, feedback_settings, prepare_contacts
from scoring.instrument.model import NormGroup
from scoring.responses.national_id import looks_like_national_id

OUTCOME_ITEMS = ["fu_velvaere", "fu_relasjoner", "fu_hverdag", "fu_samlet"]
VISIT_ITEMS = ["fs_hort", "fs_viktig", "fs_maate", "fs_samlet"]


def split(total: float | None) -> list[float]:
    """Four answers on the 0-10 (one decimal) scale that add up to ``total``."""
    if total is None:
        return [np.nan] * 4
    base = math.floor(total / 4 * 10) / 10
    return [base, base, base, round(total - 3 * base, 1)]


def make_contacts(outcome, visit=None, *, client="c1", unit="u1", start="2024-01-01", days=7, clinician="k1"):
    """A raw contacts table (feedback.csv layout): one row per total, a contact every ``days``."""
    visit = visit if visit is not None else [38.0] * len(outcome)
    rows = []
    for i, (o, v) in enumerate(zip(outcome, visit)):
        date = (pd.Timestamp(start) + pd.Timedelta(days=i * days)).date().isoformat()
        rows.append([client, unit, clinician, i + 1, date, *split(o), *split(v)])
    return pd.DataFrame(rows, columns=["client", "unit", "clinician", "contact", "date", *OUTCOME_ITEMS, *VISIT_ITEMS])


def hand_settings(**kw):
    return feedback_settings(rxx=0.82, sd=5.0, **kw)


def national_id(nine: str) -> str:
    """Append the two mod-11 check digits, written out here independently of scoring.responses.national_id."""
    d = [int(c) for c in nine]
    k1 = 11 - sum(a * b for a, b in zip(d, (3, 7, 6, 1, 8, 9, 4, 5, 2))) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(a * b for a, b in zip(d + [k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))) % 11
    k2 = 0 if k2 == 11 else k2
    assert k1 < 10 and k2 < 10, "choose another individual number"
    return nine + f"{k1}{k2}"


# Synthetic numbers that belong to nobody: born 1 January 2039 (individual number 501), the
# D-number variant of it, and a Tenor test number (month + 80).
FUTURE_FNR = "01013950187"
FUTURE_DNR = national_id("410139501")
TENOR = "01819012365"


# ----------------------------------------------------------------------------- identity


def test_check_digits_computed_by_hand_make_a_number_that_is_refused():
    assert national_id("010139501") == FUTURE_FNR  # 135 mod 11 = 3 -> K1 8; 125 mod 11 = 4 -> K2 7
    assert looks_like_national_id(FUTURE_FNR)
    assert looks_like_national_id(FUTURE_DNR)
    assert looks_like_national_id(TENOR)
    assert looks_like_national_id("010139 501 87")


@pytest.mark.parametrize("value", ["c0001", "01013950188", "0101395018", "010139501870", "32013950187", "01133950187", "", None, "abcdefghijk"])
def test_pseudonyms_and_near_misses_are_not_national_ids(value):
    assert not looks_like_national_id(value)


# ----------------------------------------------------------------------------- checking the table


def test_prepare_contacts_adds_totals_sorted_by_unit_client_contact():
    raw = pd.concat([make_contacts([20, 22], client="b"), make_contacts([30], client="a")], ignore_index=True)
    out = prepare_contacts(raw)
    assert list(out["client"]) == ["a", "b", "b"]
    assert list(out["outcome_total"]) == [30.0, 20.0, 22.0]
    assert list(out["visit_total"]) == [38.0, 38.0, 38.0]
    assert out["date"].dtype.kind == "M"


def test_a_total_needs_every_item():
    raw = make_contacts([20, 22])
    raw.loc[1, "fu_hverdag"] = np.nan
    out = prepare_contacts(raw)
    assert math.isnan(out.loc[1, "outcome_total"])
    assert out.loc[1, "visit_total"] == 38.0


def test_bad_rows_are_reported_together_with_row_and_column():
    raw = make_contacts([20, 22, 24, 26])
    raw = raw.astype({"contact": object})
    raw.loc[0, "client"] = ""
    raw.loc[1, "contact"] = 1.5
    raw.loc[2, "date"] = "31.02.2024"
    raw.loc[3, "fs_hort"] = 11
    with pytest.raises(UserError) as err:
        prepare_contacts(raw, file="f.csv")
    text = str(err.value)
    assert "f.csv: row 1: client: the client id is missing" in text
    assert "row 2: contact: contact must be a whole number from 1" in text
    assert "row 3: date: not a date (YYYY-MM-DD)" in text
    assert "row 4: fs_hort: value 11.0 is not on the response scale (0..10 in steps of 0.1)" in text


def test_duplicate_contacts_and_dates_going_backwards_are_refused():
    raw = pd.concat([make_contacts([20, 22, 24]), make_contacts([20], start="2024-01-01")], ignore_index=True)
    raw.loc[2, "date"] = "2023-12-01"
    with pytest.raises(UserError) as err:
        prepare_contacts(raw)
    text = str(err.value)
    assert "row 4: contact: contact 1 of client 'c1' in unit 'u1' is there twice" in text
    assert "row 3: date: contact 3 is dated before the client's previous contact" in text


def test_missing_key_columns_are_named():
    with pytest.raises(UserError, match="column\\(s\\) missing: date"):
        prepare_contacts(make_contacts([20]).drop(columns="date"))


@pytest.mark.parametrize("number", [FUTURE_FNR, FUTURE_DNR, TENOR])
def test_a_client_id_like_a_national_id_is_refused_without_repeating_it(number):
    raw = pd.concat([make_contacts([20, 22]), make_contacts([25], client=number)], ignore_index=True)
    with pytest.raises(UserError) as err:
        prepare_contacts(raw)
    text = str(err.value)
    assert "row 3: client: the client id looks like a Norwegian national identity number" in text
    assert number not in text


def test_a_national_id_read_as_a_number_is_refused_despite_its_lost_leading_zero():
    raw = make_contacts([20, 22], client=FUTURE_FNR)
    raw["client"] = int(FUTURE_FNR)  # what a CSV reader makes of it: 1013950187
    with pytest.raises(UserError, match="looks like a Norwegian national identity number"):
        prepare_contacts(raw)


def test_a_clinician_id_like_a_national_id_is_refused_too():
    with pytest.raises(UserError, match="the clinician id looks like"):
        prepare_contacts(make_contacts([20], clinician=TENOR))


# ----------------------------------------------------------------------------- per contact


def test_contact_table_rc_from_intake_by_hand():
    contacts = prepare_contacts(make_contacts([20, 23, 26.4, 13.4]))
    table = contact_table(contacts, hand_settings())
    assert list(table["intake"]) == [20.0] * 4
    np.testing.assert_allclose(table["change"], [np.nan, 3.0, 6.4, -6.6])
    np.testing.assert_allclose(table["rc_from_intake"], [np.nan, 1.0, 6.4 / 3, -2.2], atol=1e-12)
    assert pd.isna(table["reliable_change"].iloc[0])
    assert list(table["reliable_change"].iloc[1:]) == ["unchanged", "improved", "deteriorated"]


def test_the_intake_is_the_first_contact_with_an_outcome_total():
    contacts = prepare_contacts(make_contacts([None, 20, 26]))
    table = contact_table(contacts, hand_settings())
    assert list(table["intake_contact"]) == [2, 2, 2]
    np.testing.assert_allclose(table["rc_from_intake"], [np.nan, np.nan, 2.0], atol=1e-12)


def test_previous_visit_skips_contacts_without_a_visit_total():
    contacts = prepare_contacts(make_contacts([20, 20, 20, 20], [38.0, 37.0, None, 33.0]))
    table = contact_table(contacts, hand_settings())
    np.testing.assert_allclose(table["previous_visit"], [np.nan, 38.0, 37.0, 37.0])
    assert table["previous_visit_contact"].tolist()[1:] == [1, 2, 2]


# ----------------------------------------------------------------------------- per client


@pytest.mark.parametrize(
    "outcome, reliable, klass",
    [
        ([20, 22, 26], "improved", "recovered"),  # RC 2.0 > 1.96, from below 25 to 26
        ([10, 12, 16], "improved", "improved"),  # RC 2.0, still below the cut-off
        ([26, 28, 32], "improved", "improved"),  # RC 2.0, but it started above the cut-off
        ([20, 24, 25.8], "unchanged", "unchanged"),  # RC 1.933: not reliable, even across 25
        ([20, 17, 14], "deteriorated", "deteriorated"),  # RC -2.0
        ([20], None, None),  # one score: not assessed
    ],
)
def test_each_change_category_by_hand(outcome, reliable, klass):
    contacts = prepare_contacts(make_contacts(outcome))
    row = client_table(contacts, hand_settings()).iloc[0]
    assert row["reliable_change"] == reliable
    assert row["classification"] == klass
    if len(outcome) > 1:
        assert row["rc_from_intake"] == pytest.approx((outcome[-1] - outcome[0]) / 3.0, abs=1e-12)
        assert row["change"] == pytest.approx(outcome[-1] - outcome[0])


def with_norms(functional, dysfunctional):
    """The bundled outcome instrument with other functional and dysfunctional norms."""
    from scoring.instrument.catalog import bundled

    inst = bundled("feedback-utfall")
    scale = inst.scale("fu_total")
    norms = scale.norms.model_copy(update={"functional": NormGroup(**functional), "dysfunctional": NormGroup(**dysfunctional)})
    return inst.model_copy(update={"scales": [scale.model_copy(update={"norms": norms})]})


@pytest.mark.parametrize(
    "outcome, criterion, klass",
    [
        # stored norms: a = 19 + 2 * 7 = 33, b = 30 - 2 * 6 = 18; the cut-off is 25
        ([12, 19], "cutoff", "improved"),
        ([12, 19], "b", "recovered"),
        ([28, 34], "cutoff", "improved"),  # started above 25
        ([28, 34], "a", "recovered"),
        ([28, 32.9], "a", "improved"),
    ],
)
def test_criteria_a_and_b_move_the_recovery_point(outcome, criterion, klass):
    # rxx .9, SD 2: S_diff = sqrt(2 * 4 * .1) = .894, so every change here is reliable
    contacts = prepare_contacts(make_contacts(outcome))
    row = client_table(contacts, feedback_settings(rxx=0.9, sd=2.0, criterion=criterion)).iloc[0]
    assert row["classification"] == klass


def test_criterion_c_by_hand():
    # functional 40 (SD 5), dysfunctional 20 (SD 10): c = (10 * 40 + 5 * 20) / 15 = 33.33; b = 30
    outcome = with_norms({"mean": 40, "sd": 5}, {"mean": 20, "sd": 10})
    contacts = prepare_contacts(make_contacts([30, 33.4]))
    settings = feedback_settings(rxx=0.9, sd=2.0, criterion="c", outcome=outcome)
    assert settings.recovery_point == pytest.approx(100 / 3)
    row = client_table(contacts, settings).iloc[0]
    assert row["classification"] == "recovered"
    assert bool(row["csc_c"]) and not bool(row["csc_a"]) and bool(row["csc_b"])
    below_c = client_table(prepare_contacts(make_contacts([30, 33.3])), settings).iloc[0]
    assert below_c["classification"] == "improved"
    b = client_table(contacts, feedback_settings(rxx=0.9, sd=2.0, criterion="b", outcome=outcome)).iloc[0]
    assert b["classification"] == "improved"  # intake 30 is already at b = 30


def test_criteria_need_functional_and_dysfunctional_norms():
    from scoring.instrument.catalog import bundled

    inst = bundled("feedback-utfall")
    scale = inst.scale("fu_total")
    bare = inst.model_copy(update={"scales": [scale.model_copy(update={"norms": scale.norms.model_copy(update={"functional": None})})]})
    with pytest.raises(UserError, match="criterion c needs functional and dysfunctional norms"):
        feedback_settings(rxx=0.9, sd=2.0, criterion="c", outcome=bare)
    assert feedback_settings(rxx=0.9, sd=2.0, outcome=bare).criteria == {}


def test_drop_out_is_a_quiet_spell_while_below_the_cut_off():
    contacts = prepare_contacts(pd.concat([
        make_contacts([20, 22], client="quiet_low", start="2024-01-01"),  # last 2024-01-08
        make_contacts([20, 27], client="quiet_high", start="2024-01-01"),  # ended above 25
        make_contacts([20, 22], client="recent", start="2024-01-15"),  # last 2024-01-22
    ], ignore_index=True))  # fmt: skip
    # as of 2024-02-19: 6 weeks after the 8th of January, 4 weeks after the 22nd
    rows = client_table(contacts, hand_settings(), as_of="2024-02-19").set_index("client")
    assert rows["dropped_out"].to_dict() == {"quiet_high": False, "quiet_low": True, "recent": False}
    shorter = client_table(contacts, hand_settings(), as_of="2024-02-19", dropout_weeks=4).set_index("client")
    assert bool(shorter.loc["recent", "dropped_out"])


# ----------------------------------------------------------------------------- one client's view


def test_client_feedback_gives_the_page_its_table_bands_and_alerts():
    view = client_feedback(make_contacts([20, 18, 13.4], [38.0, 35.2, 38.0]), hand_settings(), lang="en", as_of="2024-01-15")
    assert list(view.table.columns) == ["contact", "date", "outcome_total", "visit_total", "change", "rc_from_intake", "reliable_change"]
    assert view.bands["intake"] == 20.0
    assert view.bands["minimal_reliable_difference"] == pytest.approx(5.88)
    assert view.bands["reliable_low"] == pytest.approx(14.12)
    assert view.bands["reliable_high"] == pytest.approx(25.88)
    assert view.bands["cutoff"] == 25.0 and view.bands["visit_threshold"] == 36.0
    assert view.rc_from_intake == pytest.approx(-2.2)
    assert view.reliable_change == "deteriorated"
    assert list(zip(view.alerts["kind"], view.alerts["contact"])) == [("low_visit", 2), ("deterioration", 3)]
    as_json = view.to_dict()
    assert as_json["contacts"][2] == {
        "contact": 3, "date": "2024-01-15", "outcome_total": 13.4, "visit_total": 38.0,
        "change": pytest.approx(-6.6), "rc_from_intake": pytest.approx(-2.2), "reliable_change": "deteriorated",
    }  # fmt: skip
    assert as_json["contacts"][0]["rc_from_intake"] is None
    assert "Client c1 (u1): 3 contact(s)" in view.summary()


def test_client_feedback_wants_one_client():
    raw = pd.concat([make_contacts([20]), make_contacts([20], client="c2")], ignore_index=True)
    with pytest.raises(UserError, match="one client"):
        client_feedback(raw, hand_settings())
