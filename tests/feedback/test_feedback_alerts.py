"""Each alert on a hand-made trajectory (SD 5, rxx .82: RC = change / 3, MRD 5.88)."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.errors import UserError
from scoring.feedback.alerts import ALERT_KINDS, MESSAGES, AlertRules, find_alerts, number
from scoring.feedback.clients import contact_table, feedback_settings, prepare_contacts
from tests.feedback.test_feedback import make_contacts


def alerts(outcome, visit=None, lang="en", **rules):
    settings = feedback_settings(rxx=0.82, sd=5.0, rules=AlertRules(**rules))
    table = contact_table(prepare_contacts(make_contacts(outcome, visit)), settings)
    return find_alerts(table, settings, lang=lang)


def kinds(found) -> list[tuple[str, int]]:
    return list(zip(found["kind"], found["contact"]))


def test_a_steady_course_with_good_visits_raises_nothing():
    assert alerts([20, 23, 27]).empty  # RC 1.0 then 2.33 (improved) before contact 4


def test_deterioration_when_rc_from_intake_is_below_minus_196():
    found = alerts([20, 18, 13.4, 14.2])  # RC -0.67, -2.2, -1.93 (back within the band)
    assert kinds(found) == [("deterioration", 3), ("no_change", 4)]
    assert found["message"].iloc[0] == (
        "The outcome total has fallen from 20.0 at intake to 13.4 at contact 3, a reliable deterioration "
        "(RC = \u22122.20; a change must exceed 5.9 points to be reliable)."
    )


def test_no_change_from_the_fourth_contact_while_within_the_band():
    found = alerts([20, 22, 21, 23, 27, 24])  # RC .67 .33 1.0 2.33 1.33
    assert kinds(found) == [("no_change", 4), ("no_change", 6)]
    assert found["message"].iloc[0] == (
        "At contact 4 the outcome total (23.0) is still within 5.9 points of the intake score (20.0), "
        "so there is no reliable change yet (RC = 1.00)."
    )


def test_no_change_after_is_configurable():
    assert kinds(alerts([20, 22, 21, 23], no_change_after=2)) == [("no_change", 2), ("no_change", 3), ("no_change", 4)]
    with pytest.raises(UserError, match="no_change_after must be a whole number of at least 2"):
        AlertRules(no_change_after=1)


def test_low_visit_below_the_threshold_only():
    found = alerts([20, 21, 22], [38.0, 35.6, 36.0])  # 36.0 is at the threshold, not below
    assert kinds(found) == [("low_visit", 2)]
    assert found["message"].iloc[0] == "The visit total at contact 2 was 35.6, below the threshold of 36.0."


def test_visit_drop_from_the_previous_visit_total_that_exists():
    # 39.6 -> 36.6 is a drop of exactly 3 (alert); contact 3 has no visit total;
    # contact 4 (33.2) is 3.4 below contact 2 and below the threshold as well.
    found = alerts([20, 21, 22], [39.6, 36.6, None], visit_drop=3.0)
    assert kinds(found) == [("visit_drop", 2)]
    found = alerts([20, 21, 22, 22], [39.6, 36.6, None, 33.2], no_change_after=5)
    assert kinds(found) == [("visit_drop", 2), ("low_visit", 4), ("visit_drop", 4)]
    assert found["message"].iloc[2] == (
        "The visit total fell from 36.6 at contact 2 to 33.2 at contact 4, a drop of 3.4 points (alert at 3.0 points or more)."
    )
    assert kinds(alerts([20, 21], [39.6, 37.0], visit_drop=3.0)) == []  # a drop of 2.6
    assert kinds(alerts([20, 21], [39.6, 37.0], visit_drop=2.5)) == [("visit_drop", 2)]


def test_visit_ceiling_when_every_visit_answer_is_10():
    found = alerts([20, 21, 22], [38.0, 40.0, 39.6])
    assert kinds(found) == [("visit_ceiling", 2)]
    assert "may reflect politeness" in found["message"].iloc[0]
    assert alerts([20, 21, 22], [38.0, 40.0, 39.6], visit_ceiling=False).empty


def test_outcome_ceiling_when_every_outcome_answer_is_10():
    found = alerts([40, 39.6])
    assert kinds(found) == [("outcome_ceiling", 1)]
    assert "cannot show improvement" in found["message"].iloc[0]


def test_alerts_are_sorted_by_contact_then_kind_for_many_clients_at_once():
    settings = feedback_settings(rxx=0.82, sd=5.0)
    raw = pd.concat([
        make_contacts([20, 13, 13, 13], [40.0, 35.0, 35.0, 35.0], client="b"),
        make_contacts([20, 21], [38.0, 34.0], client="a"),
    ], ignore_index=True)  # fmt: skip
    found = find_alerts(contact_table(prepare_contacts(raw), settings), settings)
    assert list(zip(found["client"], found["kind"], found["contact"])) == [
        ("a", "low_visit", 2),
        ("a", "visit_drop", 2),
        ("b", "visit_ceiling", 1),
        ("b", "deterioration", 2),
        ("b", "low_visit", 2),
        ("b", "visit_drop", 2),
        ("b", "deterioration", 3),
        ("b", "low_visit", 3),
        ("b", "deterioration", 4),
        ("b", "low_visit", 4),
    ]


def test_messages_in_norwegian_use_a_decimal_comma():
    found = alerts([20, 18, 13.4], lang="nb")
    assert found["message"].iloc[0] == (
        "Totalskåren for hverdagen har falt fra 20,0 ved oppstart til 13,4 ved kontakt 3, en pålitelig forverring "
        "(RC = −2,20; en endring må være større enn 5,9 poeng for å være pålitelig)."
    )
    assert number(-2.2, "nb", 2) == "−2,20" and number(-2.2, "nn", 2) == "−2,20" and number(-2.2, "en", 2) == "−2.20"


def test_every_kind_has_one_sentence_in_every_language():
    for kind in ALERT_KINDS:
        for lang in ("nb", "nn", "en"):
            text = MESSAGES[kind][lang]
            assert text.endswith(".") and text.count(". ") == 0, (kind, lang)


def test_an_unknown_language_is_refused():
    with pytest.raises(UserError, match="language must be one of nb, nn, en"):
        alerts([20], lang="de")


def test_alerts_are_written_in_nynorsk_with_norwegian_numbers():
    found = alerts([20, 18, 13.4, 14.2], lang="nn")
    assert found["message"].iloc[0] == (
        "Totalskåren for kvardagen har falle frå 20,0 ved oppstart til 13,4 ved kontakt 3, ei påliteleg forverring "
        "(RC = \u22122,20; ei endring må vere større enn 5,9 poeng for å vere påliteleg)."
    )
