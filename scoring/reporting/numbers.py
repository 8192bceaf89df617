"""Numbers as people read them, in bokmål and nynorsk (nb, nn) or English (en): the one
formatter of the dashboard pages, their charts and the unit report PDFs.

Norwegian writes a decimal comma, a no-break space between thousands and before the per cent
sign, and a real minus sign (Språkrådet, "Tall og tallord": "1 234,5", "75 %", "−0,25");
English writes "1,234.5", "75%". A missing value (``None``, NaN, ``pd.NA``) is an en dash, never
``None`` or ``nan``.

>>> number(1234.5, "nn", 1), number(1234.5, "en", 1), percent(0.754, "nb"), signed(-0.25, "nb")
('1\\xa0234,5', '1,234.5', '75\\xa0%', '−0,25')
"""

from __future__ import annotations

import math
import numbers as _abc

NORWEGIAN = ("nb", "nn")
NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "\u2013"  # en dash


def missing(value) -> bool:
    """Whether ``value`` is no number: ``None``, NaN, ``pd.NA``/``NaT``, or not numeric at all."""
    if value is None or isinstance(value, (str, bytes)):
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def number(value, lang: str, decimals: int = 2) -> str:
    """``1 234,50`` (nb, nn) or ``1,234.50`` (en), ``decimals`` places; a minus sign for negatives."""
    if missing(value):
        return MISSING
    value = float(value)
    out = f"{abs(value):,.{decimals}f}"
    if lang in NORWEGIAN:
        out = out.replace(",", NBSP).replace(".", ",")
    negative = value < 0 and any(c not in "0,." + NBSP for c in out)  # −0,00 reads as a change that is none
    return MINUS + out if negative else out


def signed(value, lang: str, decimals: int = 2) -> str:
    """A change with its sign: ``+0,25`` / ``−0,25`` (``0,00`` unsigned)."""
    out = number(value, lang, decimals)
    if out in (MISSING,) or out.startswith(MINUS) or not any(c in "123456789" for c in out):
        return out
    return "+" + out


def count(value, lang: str) -> str:
    """A whole number with the language's thousands separator (``1 500`` / ``1,500``)."""
    if missing(value):
        return MISSING
    return number(round(float(value)), lang, 0)


def percent(share, lang: str, decimals: int = 0) -> str:
    """``75 %`` (nb, nn) or ``75%`` (en) from a share in 0..1."""
    if missing(share):
        return MISSING
    value = number(100 * float(share), lang, decimals)
    return f"{value}{NBSP}%" if lang in NORWEGIAN else f"{value}%"


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators`` (decimal mark, then thousands separator) for ``lang``."""
    return "," + NBSP if lang in NORWEGIAN else ".,"


def cell(value, lang: str, decimals: int = 2) -> str:
    """A table cell: a whole number as :func:`count`, another number as :func:`number`, a missing
    value (``None``, NaN, ``NaT``, ``pd.NA``) as an en dash, anything else (words, dates) as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, _abc.Number) and not isinstance(value, bool):
        if missing(value):
            return MISSING
        whole = isinstance(value, _abc.Integral) or decimals == 0
        return count(value, lang) if whole else number(value, lang, decimals)
    if value is None or str(value) in ("nan", "NaT", "<NA>", "None"):
        return MISSING
    return str(value)
