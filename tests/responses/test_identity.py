"""National identity numbers (fødselsnummer, D-, H- and Tenor test numbers) are found however
they are written, and ordinary numbers pass; every free-text field that is stored refuses them.

The valid numbers are made here from a date and an individual number, with the check digits
computed independently of :mod:`scoring.responses.national_id` (Skatteetaten's weights).
"""

from __future__ import annotations

import calendar

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring.errors import UserError
from scoring.responses.national_id import find_national_id, national_id_mask, national_id_problems, refuse_national_id

W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def control(digits: list[int], weights) -> int:
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if k == 11 else k  # 10: no number can be issued


def with_control(nine: str) -> str | None:
    d = [int(c) for c in nine]
    k1 = control(d, W1)
    if k1 == 10:
        return None
    k2 = control(d + [k1], W2)
    return None if k2 == 10 else nine + f"{k1}{k2}"


@st.composite
def national_ids(draw) -> str:
    """A valid number: a calendar date (any century), the variant, an individual number."""
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, calendar.monthrange(2000, month)[1]))  # 2000: 29 February too
    year = draw(st.integers(0, 99))
    variant = draw(st.sampled_from(["fødselsnummer", "D-number", "H-number", "test number"]))
    day += 40 if variant == "D-number" else 0
    month += {"H-number": 40, "test number": 80}.get(variant, 0)
    individual = draw(st.integers(0, 999))
    number = with_control(f"{day:02d}{month:02d}{year:02d}{individual:03d}")
    assume(number is not None)
    return number


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u202a", "\u2066", "\u0301", "\u3164"]
SEPARATORS = [" ", "  ", ".", "-", "/", " - ", "\u00a0", "\u2009", "\u202f", "\u2013", "\u2212", "_", "\t", "\u3000", "\uff0d", "\uff0e"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def disguised(draw, number: str) -> str:
    """``number`` written as a person or a copy-paste might: separators between some digits,
    invisible characters, other digit forms, letters or whole sentences around it."""
    out = []
    for i, digit in enumerate(number):
        if i and draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(SEPARATORS)))
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
        out.append(digit)
    text = "".join(out)
    digits = draw(st.sampled_from(["ascii", "full-width", "arabic-indic"]))
    if digits == "full-width":
        text = text.translate(FULL_WIDTH)
    elif digits == "arabic-indic":
        text = text.translate(ARABIC_INDIC)
    before = draw(st.sampled_from(["", "fnr", "fnr:", "Pasient f.nr. ", "client-", "Dette gjelder ", "ID"]))
    after = draw(st.sampled_from(["", "abc", " (mor)", ", ring meg", "x", " hj2"]))
    return before + text + after


@given(st.data())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_valid_number_is_found_in_every_disguise(data):
    number = data.draw(national_ids())
    text = data.draw(disguised(number))
    match = find_national_id(text)
    assert match is not None, repr(text)
    for dtype in (object, "string"):  # the table check's quick filters never drop one
        assert national_id_mask(pd.Series(["hj2-017", text, None], dtype=dtype)).tolist() == [False, True, False]
    with pytest.raises(UserError, match="the comment (looks like|contains what looks like) a Norwegian national identity number") as err:
        refuse_national_id(text, "the comment", path="comment")
    assert number not in str(err.value) and text not in str(err.value)


@given(national_ids())
@settings(max_examples=200, deadline=None)
def test_the_kind_and_place_of_a_number_are_reported(number):
    text = f"ring {number} i dag"
    match = find_national_id(text)
    assert match is not None and text[match.start : match.end] == number and not match.whole
    day, month = int(number[:2]), int(number[2:4])
    expected = "test number" if month > 80 else "H-number" if month > 40 else "D-number" if day > 40 else "fødselsnummer"
    assert match.kind == expected
    assert find_national_id(f" {number} ").whole


@given(national_ids(), st.integers(0, 8), st.integers(1, 9))
@settings(max_examples=300, deadline=None)
def test_a_wrong_control_digit_passes(number, position, change):
    """Change one digit: the first control digit (weights 1..9, never a multiple of 11) or the
    second then disagrees, so the number is not one that can be issued."""
    digits = list(number)
    digits[position] = str((int(digits[position]) + change) % 10)
    wrong = "".join(digits)
    assume(with_control(wrong[:9]) != wrong[9:])
    assert find_national_id(wrong) is None
    assert find_national_id(f"Pasient {wrong} mor") is None


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
@settings(max_examples=500, deadline=None)
def test_random_eleven_digits_pass_unless_date_and_both_control_digits_are_valid(digits):
    day, month = int(digits[:2]), int(digits[2:4])
    day -= 40 if day > 40 else 0
    month -= 80 if month > 80 else 40 if month > 40 else 0
    real_date = 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]
    valid = real_date and with_control(digits[:9]) == digits
    assert (find_national_id(digits) is not None) == valid


@pytest.mark.parametrize(
    "text",
    [
        "hj2-017", "c0001", "Tlf 22 33 44 55, 5 besøk", "Konto 1234.56.78903", "2026-03-01 kl 10.15",
        "0101395018", "010139501870", "010139501880",  # ten digits; twelve in a row is not a number
        "31043950250", "30023950150",  # 31 April and 30 February, with valid control digits
        "", "abcdefghijk", "Rom 1-2-3-4-5-6-7-8-9-0-1",
    ],
)  # fmt: skip
def test_ordinary_text_and_numbers_pass(text):
    assert find_national_id(text) is None


def test_numbers_from_a_spreadsheet_are_checked_with_their_leading_zero_restored():
    number = with_control("050565005")
    assert number == "05056500504"
    assert find_national_id(5056500504) is not None and find_national_id(5056500504.0) is not None
    assert find_national_id("5056500504") is None  # typed as text, ten digits are not one
    assert find_national_id(True) is None and find_national_id(float("nan")) is None and find_national_id(None) is None


def test_a_table_column_is_searched_in_one_pass_with_rows_named():
    number = with_control("010139501")
    table = pd.DataFrame({
        "client": ["a1", f"x{number}", "b2", None],
        "count": [1.0, 5056500504.0, 3.0, None],
        "mixed": ["a", 5056500504, "5056500504", "c"],
    })  # fmt: skip
    assert national_id_mask(table["client"]).tolist() == [False, True, False, False]
    assert national_id_mask(table["count"]).tolist() == [False, True, False, False]
    assert national_id_mask(table["mixed"]).tolist() == [False, True, False, False]
    problems = national_id_problems(table, {"client": "the client id"}, file="f.csv")
    assert [str(p) for p in problems] == [
        "f.csv: row 2: client: the client id contains what looks like a Norwegian national identity number "
        "(fødselsnummer, D-number or H-number); such numbers are never stored here, use a pseudonymous id "
        "chosen by the service or leave it out"
    ]


# --- every free-text field that is stored refuses one ---------------------------------------

NUMBER = with_control("150765005")  # 15.07.1965, individual number 005
DISGUISED = "Jens " + " ".join([NUMBER[:6], NUMBER[6:]]).translate(FULL_WIDTH) + "\u200b"


@pytest.fixture
def engine(tmp_path):
    from scoring.store.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path}/samklima.db")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def org(engine):
    from scoring.store import api
    from tests.conftest import REPO

    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "2026-1", ["samhandlingsklima"], "all")
    return api.read_units(engine)


def test_a_unit_name_or_id_with_a_number_refuses_the_units_file(engine, tmp_path):
    from scoring.store import api

    for column, value in (("name", DISGUISED), ("unit", NUMBER), ("unit_type", f"team {NUMBER}")):
        table = pd.DataFrame({"unit": ["k1", "k1.a"], "name": ["Kommune", "Avdeling"], "parent": ["", "k1"], "unit_type": ["kommune", "enhet"]})
        table.loc[1, column] = value
        table.to_csv(tmp_path / "units.csv", index=False)
        with pytest.raises(UserError, match=f"row 2: {column}: the .* Norwegian national identity number") as err:
            api.import_units(engine, tmp_path / "units.csv")
        assert NUMBER not in str(err.value)
        assert api.read_units(engine).empty


def test_round_names_usernames_and_clinicians_refuse_a_number(engine, org):
    from scoring.store import api

    with pytest.raises(UserError, match="--name: the round name contains what looks like"):
        api.create_round(engine, f"runde {NUMBER}", ["samhandlingsklima"], "all")
    with pytest.raises(UserError, match="username: the username looks like"):
        api.create_account(engine, NUMBER, "pw", "admin")
    with pytest.raises(UserError, match="clinician: the clinician id contains what looks like"):
        api.create_account(engine, "kari", "pw", "clinician", clinician=DISGUISED.strip())
    assert [r.name for r in api.list_rounds(engine)] == ["2026-1"] and api.list_accounts(engine) == []


def test_a_feedback_import_refuses_a_number_in_the_clinician_or_unit_column(engine, org, tmp_path):
    from scoring.store import api
    from tests.conftest import REPO

    table = pd.read_csv(REPO / "sample_data" / "feedback.csv", dtype=str).head(3)
    table.loc[1, "clinician"] = f"dr {NUMBER}"
    table.loc[2, "unit"] = NUMBER
    table.to_csv(tmp_path / "feedback.csv", index=False)
    with pytest.raises(UserError) as err:
        api.import_feedback(engine, tmp_path / "feedback.csv")
    text = str(err.value)
    assert "row 2: clinician: the clinician contains what looks like a Norwegian national identity number" in text
    assert "row 3: unit: the unit looks like a Norwegian national identity number" in text
    assert NUMBER not in text


def test_a_response_import_refuses_a_number_in_any_stored_column_without_repeating_it(engine, org, tmp_path):
    from scoring.instrument.catalog import bundled
    from scoring.store import api
    from scoring.store.bulk import ImportRefused

    unit = api.round_status(engine, "2026-1")["unit"].iloc[0]
    items = bundled("samhandlingsklima").item_ids
    table = pd.DataFrame({"response": ["r1", f"r{NUMBER}", "r3"], "unit": [unit] * 3, **{i: ["4"] * 3 for i in items}})
    table.loc[2, "sk_info1"] = DISGUISED
    with pytest.raises(ImportRefused) as err:
        api.import_responses(engine, "2026-1", table, file="answers.csv")
    text = str(err.value)
    assert "row 2: response: the value in column 'response' looks like a Norwegian national identity number" in text
    assert "row 3: sk_info1: the value in column 'sk_info1' looks like a Norwegian national identity number" in text
    assert NUMBER not in text and "in a numeric item" not in text
    assert api.read_responses(engine, "2026-1").empty


def test_a_respondent_text_field_refuses_a_number():
    from scoring.instrument.catalog import bundled
    from scoring.instrument.model import ResponseField
    from scoring.store.form import RoundForm

    note = ResponseField(id="merknad", kind="text", label={"nb": "Merknad"})
    inst = bundled("medbestemmelse").model_copy(update={"fields": [note]})
    clean, problems = RoundForm((inst,)).check_fields({"merknad": f"Ring {DISGUISED}"})
    assert clean == {} and [p.path for p in problems] == ["merknad"] and "national identity number" in problems[0].message
    assert RoundForm((inst,)).check_fields({"merknad": "Ring 22 33 44 55"}) == ({"merknad": "Ring 22 33 44 55"}, [])
