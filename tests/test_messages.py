"""Library messages that reach pages carry a code and parameters; a page writes them in its
language (nb, nn, en) after the field's label, and the CLI keeps the English message."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from dashboard.problems import problem_line, problems_markdown
from scoring.errors import Problem, UserError
from scoring.messages import MESSAGES, problem_text
from scoring.responses.national_id import refuse_national_id
from scoring.store.accounts import password_problems
from scoring.store.round_dates import check_dates


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_is_written_in_nb_nn_and_en_with_the_same_placeholders(code):
    entry = MESSAGES[code]
    assert set(entry) == {"nb", "nn", "en"} and all(entry.values())
    assert placeholders(entry["nb"]) == placeholders(entry["nn"]) == placeholders(entry["en"])


def test_a_weak_password_is_refused_in_the_pages_language_and_in_english_on_the_cli():
    (problem,) = password_problems("kort", "kari")
    assert problem.code == "password_short"
    assert problem_line(problem, "nb") == "Passord: Passordet er for kort: bruk minst 10 tegn."
    assert problem_line(problem, "nn") == "Passord: Passordet er for kort: bruk minst 10 teikn."
    assert problem_line(problem, "en") == "Password: The password is too short: use at least 10 characters."
    assert str(problem) == "password: the password is too short: use at least 10 characters", "the CLI's wording is unchanged"


def test_round_dates_and_a_national_id_are_refused_with_codes():
    with pytest.raises(UserError) as dates:
        check_dates(dt.date(2026, 9, 30), dt.date(2026, 9, 1))
    assert [p.code for p in dates.value.problems] == ["closes_before_opens"]
    assert "Siste dag (2026-09-01) er før første dag (2026-09-30)." in problems_markdown(dates.value, "nn")
    with pytest.raises(UserError) as national:
        refuse_national_id("01013950187", "the client id", path="client")
    line = problem_line(national.value.problems[0], "nn")
    assert line.startswith("Klient-id: Dette ser ut som eit fødselsnummer") and "01013950187" not in line


def test_a_problem_without_a_code_keeps_its_english_message_and_place_inside_a_translated_sentence():
    problem = Problem("'invited' must be a whole number >= 0, not 'x'", file="hoder.csv", row=3, path="invited")
    assert problem_text(problem, "nb") == problem.message
    assert problem_line(problem, "nb") == "Dette ble ikke godtatt. Detaljer (på engelsk): hoder.csv: row 3: invited: 'invited' must be a whole number >= 0, not 'x'"
    assert re.search(r"^- .*\n- ", problems_markdown(UserError([problem, problem]), "nb"))
