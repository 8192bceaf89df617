"""A client id that reads like a person's name is warned about (scoring.responses.person_name)."""

from __future__ import annotations

import pytest

from scoring.responses.person_name import looks_like_a_name


@pytest.mark.parametrize("text", ["Kari Nordmann", "Ola Øvre-Ås", "Anne-Lise Ødegård", "Åse Ærlig Berg", "  Per   Hansen "])
def test_two_or_more_capitalised_words_of_letters_look_like_a_name(text):
    assert looks_like_a_name(text)


@pytest.mark.parametrize("text", ["hj2-017", "Kari", "kari nordmann", "KARI NORDMANN", "Kari Nordmann2", "Team 2", "K Nordmann", "", None, "Kari -Nordmann"])
def test_codes_single_words_and_other_spellings_do_not(text):
    assert not looks_like_a_name(text)
