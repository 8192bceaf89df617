"""Numbers and differences in words, in bokmål (decimal comma) or English.

A difference is worded from its 95% confidence interval as decided in :mod:`scoring.reporting.comparison`
(``higher``/``lower`` only when the interval excludes 0); this module only chooses the words,
it computes nothing.
"""

from __future__ import annotations

import math

from dashboard.i18n import t


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


def number(x, lang: str, digits: int = 2) -> str:
    """``3,71`` (nb) or ``3.71`` (en); an en dash for a missing value."""
    if _missing(x):
        return "–"
    text = f"{float(x):.{digits}f}"
    return text.replace(".", ",") if lang == "nb" else text


def count(x, lang: str) -> str:
    """A whole number with thousands grouped: ``150 000`` (nb, no-break space) or ``150,000``."""
    if _missing(x):
        return "–"
    text = f"{int(x):,}"
    return text.replace(",", "\u00a0") if lang == "nb" else text


def signed(x, lang: str, digits: int = 2) -> str:
    """A difference with its sign: ``+0,33`` / ``−0,27`` (a real minus sign)."""
    if _missing(x):
        return "–"
    sign = "+" if float(x) >= 0 else "−"
    return sign + number(abs(float(x)), lang, digits)


def percent(x, lang: str) -> str:
    """``72 %`` (nb) or ``72%`` (en)."""
    if _missing(x):
        return "–"
    return f"{100 * float(x):.0f} %" if lang == "nb" else f"{100 * float(x):.0f}%"


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
