"""Refuse Norwegian national identity numbers where a pseudonymous id belongs.

Client feedback is linked to a pseudonymous client id chosen by the service, never to a
fødselsnummer or D-number (design: privacy.md, "Collection"). :func:`looks_like_national_id`
tells whether a value could be one, so that forms, imports and the CLI can refuse it.

A fødselsnummer has 11 digits DDMMYY III K1 K2: the birth date, a three-digit individual
number and two mod-11 check digits (Skatteetaten; Folkeregisteret):

    K1 = 11 - (3 d1 + 7 d2 + 6 m1 + 1 m2 + 8 y1 + 9 y2 + 4 i1 + 5 i2 + 2 i3) mod 11
    K2 = 11 - (5 d1 + 4 d2 + 3 m1 + 2 m2 + 7 y1 + 6 y2 + 5 i1 + 4 i2 + 3 i3 + 2 K1) mod 11

where 11 becomes 0 and 10 means the number cannot be issued. Variants with the same check
digits are treated alike: D-numbers (day + 40), H-numbers (month + 40) and the synthetic test
numbers of Skatteetaten's Tenor (month + 80). The date part is only checked to be plausible
(day 1-31, month 1-12 after removing those offsets), so every real number is caught while a
random 11-digit pseudonym passes the check only about once in 550 times
(0.62 x 0.36 x (10/11)^2 / 100 = 1/542).
"""

from __future__ import annotations

import re

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_SEPARATORS = re.compile(r"[\s.\-]")


def check_digits(first_nine: str) -> tuple[int, int] | None:
    """The two mod-11 check digits for the first nine digits, or None if none can be issued.

    >>> check_digits("311299567")
    (1, 5)
    """
    digits = [int(c) for c in first_nine]
    k1 = _mod11(digits, _WEIGHTS_1)
    if k1 is None:
        return None
    k2 = _mod11(digits + [k1], _WEIGHTS_2)
    if k2 is None:
        return None
    return k1, k2


def _mod11(digits: list[int], weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def looks_like_national_id(value) -> bool:
    """True if ``value`` could be a fødselsnummer, D-number, H-number or Tenor test number.

    Spaces, dots and hyphens are ignored ("010139 512 34" is checked as "01013951234"); what
    is left must be 11 digits with a plausible date part and valid mod-11 check digits (see
    the module docstring).

    >>> looks_like_national_id("c0001")
    False
    >>> looks_like_national_id("31129956715")
    True
    >>> looks_like_national_id("31129956714")
    False
    """
    if value is None:
        return False
    text = _SEPARATORS.sub("", str(value))
    if len(text) != 11 or not text.isascii() or not text.isdigit():
        return False
    day, month = int(text[0:2]), int(text[2:4])
    if day > 40:  # D-number
        day -= 40
    if month > 80:  # Tenor synthetic test number
        month -= 80
    elif month > 40:  # H-number
        month -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return check_digits(text[:9]) == (int(text[9]), int(text[10]))
