"""Numbers in bokmål and nynorsk (decimal comma, no-break space thousands, minus sign, space
before %) and in English; a missing value is an en dash, never "None" or "nan"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.reporting.numbers import MINUS, MISSING, NBSP, cell, count, number, percent, plotly_separators, signed


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_norwegian_numbers_have_a_decimal_comma_and_spaced_thousands(lang):
    assert number(1234.5, lang, 1) == f"1{NBSP}234,5"
    assert number(3.714, lang) == "3,71"
    assert number(-0.25, lang) == f"{MINUS}0,25"
    assert count(150000, lang) == f"150{NBSP}000"
    assert percent(0.846, lang) == f"85{NBSP}%"
    assert signed(0.333, lang) == "+0,33" and signed(-0.27, lang) == f"{MINUS}0,27"
    assert plotly_separators(lang) == "," + NBSP


def test_english_numbers_keep_the_point_and_commas():
    assert number(1234.5, "en", 1) == "1,234.5"
    assert count(150000, "en") == "150,000"
    assert percent(0.846, "en") == "85%"
    assert signed(-0.27, "en") == f"{MINUS}0.27"
    assert plotly_separators("en") == ".,"


@pytest.mark.parametrize("value", [None, np.nan, pd.NA, float("nan"), "nan"])
def test_a_missing_value_is_an_en_dash(value):
    for lang in ("nb", "nn", "en"):
        assert number(value, lang) == count(value, lang) == percent(value, lang) == signed(value, lang) == MISSING


def test_a_rounded_zero_has_no_sign():
    assert number(-0.001, "nb") == "0,00" and signed(-0.001, "nb") == "0,00" and signed(0.0, "en") == "0.00"


def test_table_cells_keep_words_and_write_numbers_in_the_language():
    assert cell("for få svar", "nb") == "for få svar"
    assert cell(np.int64(1500), "nb") == f"1{NBSP}500" and cell(3.456, "nn") == "3,46" and cell(None, "en") == MISSING
