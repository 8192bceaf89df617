"""Differences and hidden figures in words, in bokmål, nynorsk or English; the numbers in them are
written by :mod:`scoring.reporting.numbers` (decimal comma in nb and nn).

A difference is worded from its 95% confidence interval as decided in :mod:`scoring.reporting.comparison`
(``higher``/``lower`` only when the interval excludes 0); this module only chooses the words,
it computes nothing.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
from pandas.io.formats.style import Styler

from dashboard.i18n import t
from scoring.reporting.numbers import cell, count, number, signed

NO_VALUE = "–"  # a missing number; st.dataframe's ``placeholder``: the browser paints a null cell with it, never with a Styler's text


def _missing(x) -> bool:
    try:
        return x is None or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def hidden_label(why, lang: str) -> str:
    """What a hidden figure says: "too few answers" only when that is why, else that it is
    hidden so that a smaller group cannot be worked out (the publication's ``why``)."""
    return t("too_few", lang) if why in (None, "below_min_n") or _missing_text(why) else t("hidden_protects", lang)


def _missing_text(x) -> bool:
    return not isinstance(x, str)


def agreeing(key: str, n: int, lang: str) -> str:
    """The text ``key``_one (n = 1) or ``key``_other, with ``{n}`` written as a count: a word
    that agrees with its number ("1 enhet", "5 enheter"; "is" / "are")."""
    return t(f"{key}_{'one' if n == 1 else 'other'}", lang, n=count(n, lang))


def compare_summary(shown: int, hidden: int, readings: dict[str, int], lang: str) -> str:
    """Compare's sentence about the shown units' readings, every count with words that agree."""
    higher, unclear, lower = (readings.get(r, 0) for r in ("higher", "unclear", "lower"))
    return t("compare_summary", lang, shown_units=agreeing("units_counted", shown, lang),
             hidden_units=agreeing("units_counted", hidden, lang), higher=count(higher, lang), unclear=count(unclear, lang),
             lower=count(lower, lang), higher_be=agreeing("verb_be", higher, lang), lower_be=agreeing("verb_be", lower, lang),
             hidden_have=agreeing("verb_have", hidden, lang))


def interval(low, high, lang: str, digits: int = 2, sign: bool = False) -> str:
    """``3,42 til 3,94`` / ``3.42 to 3.94``."""
    fmt = signed if sign else number
    return t("describe_interval", lang, low=fmt(low, lang, digits), high=fmt(high, lang, digits))


def difference(diff, low, high, lang: str) -> str:
    """``+0,14 (−0,03 til +0,31)`` for a column headed "difference (95% CI)"; an en dash where there is none."""
    if _missing(diff):
        return "–"
    return t("describe_difference", lang, diff=signed(diff, lang), ci=interval(low, high, lang, sign=True))


def versus_organisation(reading, diff, low, high, lang: str) -> str:
    """'Clearly above / not distinguishable from / clearly below the organisation mean' with the
    difference and its 95% CI."""
    if reading is None or (isinstance(reading, float) and math.isnan(reading)) or _missing(diff):
        return "–"
    return t(f"describe_versus_org_{reading}", lang, diff=signed(diff, lang), ci=interval(low, high, lang, sign=True))


def change_from_previous(reading, change, low, high, lang: str) -> str:
    """'Clear increase / no clear change / clear decrease since the previous round' with the
    change and its 95% CI; an en dash where there is nothing to compare with."""
    if reading is None or (isinstance(reading, float) and math.isnan(reading)) or _missing(change):
        return "–"
    return t(f"describe_change_{reading}", lang, diff=signed(change, lang), ci=interval(low, high, lang, sign=True))


def for_page(frame: pd.DataFrame, lang: str, decimals: int | dict[str, int] = 2, *, hidden: pd.Series | None = None,
             hidden_text: str = "") -> Styler:
    """``frame`` as a page shows it: every number written in ``lang`` (decimal comma and spaced
    thousands in nb and nn), whole numbers without decimals, a missing value as an en dash.

    ``decimals``: places for the other numbers, for all columns or per column name (missing
    names get 2). A float column whose values are all whole (a count with gaps) is written as
    whole numbers.

    Number columns stay numbers: the written form is the pandas ``Styler``'s display value, which
    ``st.dataframe`` shows while it sorts on the number (a click on "alpha" puts 0,9 after 0,85,
    not after 0,85's text). Streamlit's own ``NumberColumn(format="localized")`` follows the
    browser's locale, not the page's language, and its printf formats have no decimal comma, so
    the Styler is the one way to a sortable "0,85" on an nb or nn page (docs/i18n.md). Other
    columns are written as text, as before.

    ``hidden``: rows (a boolean mask) whose numbers are withheld (too few answers): their numbers
    are removed from the table itself, not only from its display, and read ``hidden_text``.

    In the browser a missing number (withheld or not) shows ``st.dataframe``'s ``placeholder``,
    not the Styler's text (Streamlit paints null cells itself): pass ``placeholder=NO_VALUE`` and
    say why a row is withheld in a text column."""
    out = frame.copy()
    rows = None if hidden is None else hidden.to_numpy(dtype=bool)
    formats = {}
    for column in out.columns:
        values = out[column]
        places = decimals.get(column, 2) if isinstance(decimals, dict) else decimals
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and pd.api.types.is_float_dtype(values) and values.dropna().mod(1).eq(0).all() and column not in (decimals if isinstance(decimals, dict) else ()):
            places = 0
        if numeric and rows is not None and rows.any():
            out[column] = values.astype(float).mask(rows)  # withheld numbers never reach the browser
            places = 0 if pd.api.types.is_integer_dtype(values) else places
        if numeric:
            formats[column] = partial(_written, lang=lang, places=places)
        else:
            out[column] = values.map(lambda v, p=places: cell(v, lang, p)).astype(object)
    styler = out.style.format(formats)
    if rows is not None and rows.any() and formats:
        styler = styler.format(lambda _: hidden_text, subset=(out.index[rows], list(formats)))
    return styler


def _written(value, *, lang: str, places: int) -> str:
    return cell(value.item() if hasattr(value, "item") else value, lang, places)
