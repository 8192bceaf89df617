"""Refuse Norwegian national identity numbers wherever free text is stored.

Client feedback is linked to a pseudonymous client id chosen by the service, never to a
fødselsnummer, D-number or H-number (docs/privacy.md, "Hardening"), and no other free-text
field (clinician, unit names and ids, round names, usernames, answers' text fields, every text
column of an import) may carry one either. :func:`find_national_id` is the one test used
everywhere; :func:`refuse_national_id` and :func:`national_id_problems` turn a hit into a
:class:`~scoring.errors.UserError` that names the field and never repeats the number.

A fødselsnummer has 11 digits DDMMYY III K1 K2: the birth date, a three-digit individual
number and two mod-11 check digits (Skatteetaten; Folkeregisteret):

    K1 = 11 - (3 d1 + 7 d2 + 6 m1 + 1 m2 + 8 y1 + 9 y2 + 4 i1 + 5 i2 + 2 i3) mod 11
    K2 = 11 - (5 d1 + 4 d2 + 3 m1 + 2 m2 + 7 y1 + 6 y2 + 5 i1 + 4 i2 + 3 i3 + 2 K1) mod 11

where 11 becomes 0 and 10 means the number cannot be issued. Variants with the same check
digits are treated alike: D-numbers (day + 40), H-numbers (month + 40) and the synthetic test
numbers of Skatteetaten's Tenor (month + 80). The date part must be a calendar day (29 February
is always allowed, since the century is not known), so every real number is caught while a
random 11-digit pseudonym passes both tests only about once in 550 times
(0.61 x 0.36 x (10/11)^2 / 100).

How the number may be written (each is still caught):

- with spaces, dots, dashes, slashes, underscores or commas between digits
  (``010139 501 87``, ``010139-50187``, ``01.01.39.501.87``);
- with zero-width and other invisible characters anywhere (Unicode category Cf such as
  U+200B, U+2060, U+00AD, U+FEFF; combining marks; Hangul and braille fillers);
- in full-width or other scripts' digits (``０１０１３９５０１８７``; NFKC and the Unicode digit value);
- glued to letters (``fnr01013950187``, ``01013950187abc``) or inside a longer text.

Digits separated only by those characters form one *group*; a group is split at the
separators into *chunks*, and every run of whole consecutive chunks that adds up to exactly 11
digits is a candidate. So ``010139 50187 2`` is caught (``010139`` + ``50187``), while an
ordinary number with more than 11 digits in a row, or 11 digits with wrong check digits,
passes. A number (an Excel or SPSS cell read as a number) has lost any leading zero, so it is
checked with its zeros restored to 11 digits: ``5056500504`` is ``05056500504``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from numbers import Number

import numpy as np
import pandas as pd

from scoring.errors import Problem, UserError

_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
LENGTH = 11

# Removed before looking for digits: format characters (zero-width space and joiners, word
# joiner, soft hyphen, byte-order mark, bidi controls), control characters other than
# whitespace, combining marks (a keycap or accent on a digit) and the "blank" letters and
# symbols that render as nothing.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"})
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
# Allowed between the digits of one number (after NFKC): whitespace, dots, dashes, slashes,
# underscores, commas, apostrophes and middle dots.
_SEPARATOR_CLASS = r"\s.,'_/\\\-\u2010-\u2015\u2212\u00b7\u2022\u2027\u2219\u3002"
_GROUP = re.compile(rf"[0-9](?:[{_SEPARATOR_CLASS}]*[0-9])*")
_CHUNK = re.compile(r"[0-9]+")
# Cheap pre-filter for tables: fewer than 11 digits of any script cannot hold a number.
_DIGIT = re.compile(r"\d")
_ELEVEN = rf"(?<![0-9])[0-9](?:[{_SEPARATOR_CLASS}]*[0-9]){{10}}(?![0-9])"

MESSAGE = (
    "{what} {verb} a Norwegian national identity number (fødselsnummer, D-number or H-number); "
    "such numbers are never stored here, use a pseudonymous id chosen by the service or leave it out"
)


@dataclass(frozen=True)
class NationalIdMatch:
    """A national identity number found in a text: its kind and where it is.

    ``start`` and ``end`` index the text as given (before normalisation); ``whole`` tells
    whether the number is all there is (apart from surrounding spaces). The digits themselves
    are deliberately not kept.
    """

    kind: str  # "fødselsnummer", "D-number", "H-number" or "test number"
    start: int
    end: int
    whole: bool


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


def national_id_kind(digits: str) -> str | None:
    """The kind of an 11-digit string that is a valid number, else ``None``.

    >>> national_id_kind("31129956715")
    'fødselsnummer'
    >>> national_id_kind("31129956714") is None
    True
    """
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return None
    day, month = int(digits[0:2]), int(digits[2:4])
    kind = "fødselsnummer"
    if day > 40:
        day, kind = day - 40, "D-number"
    if month > 80:
        month, kind = month - 80, "test number"
    elif month > 40:
        month, kind = month - 40, "H-number"
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    if check_digits(digits[:9]) != (int(digits[9]), int(digits[10])):
        return None
    return kind


def _normalise(text: str) -> tuple[str, list[int]]:
    """``text`` with digits of every script as ASCII, NFKC applied and invisible characters
    removed; and for each character kept, its index in ``text``."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
            where.append(i)
            continue
        if ch in _INVISIBLE or (unicodedata.category(ch) in _INVISIBLE_CATEGORIES and not ch.isspace()):
            continue
        for part in unicodedata.normalize("NFKC", ch):
            if part.isdecimal():
                part = str(unicodedata.decimal(part))
            elif part in _INVISIBLE or (unicodedata.category(part) in _INVISIBLE_CATEGORIES and not part.isspace()):
                continue
            out.append(part)
            where.append(i)
    return "".join(out), where


def _as_text(value) -> str | None:
    """Text to search; a whole number is written with its leading zeros restored to 11 digits."""
    if value is None or isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, Number) and not isinstance(value, complex):
        number = float(value)
        if not math.isfinite(number):
            return None
        if number == int(number) and 0 <= number < 10**LENGTH:
            return str(int(number)).zfill(LENGTH)
        return str(value)
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def find_national_id(value) -> NationalIdMatch | None:
    """The first fødselsnummer, D-number, H-number or Tenor test number in ``value``, or None.

    ``value`` is any cell: text (searched as described in the module docstring) or a number
    (checked with its leading zeros restored).

    >>> find_national_id("c0001") is None
    True
    >>> find_national_id("pasient 311299 567 15").kind
    'fødselsnummer'
    >>> find_national_id("31129956714") is None
    True
    >>> find_national_id(5056500504).whole
    True
    """
    text = _as_text(value)
    if text is None or len(text) < LENGTH:
        return None
    if text.isascii() and text.isprintable():  # nothing to normalise: the common case, fast
        normal, where = text, range(len(text))
    else:
        normal, where = _normalise(text)
    for group in _GROUP.finditer(normal):
        chunks = list(_CHUNK.finditer(group.group()))
        for first in range(len(chunks)):
            size = 0
            for last in range(first, len(chunks)):
                size += len(chunks[last].group())
                if size > LENGTH:
                    break
                if size < LENGTH:
                    continue
                digits = "".join(c.group() for c in chunks[first : last + 1])
                kind = national_id_kind(digits)
                if kind is not None:
                    start = where[group.start() + chunks[first].start()]
                    end = where[group.start() + chunks[last].end() - 1] + 1
                    whole = not text[:start].strip() and not text[end:].strip()
                    return NationalIdMatch(kind, start, end, whole)
    return None


def looks_like_national_id(value) -> bool:
    """True if ``value`` is or contains a national identity number (:func:`find_national_id`).

    >>> looks_like_national_id("010139 501 87")
    True
    >>> looks_like_national_id("5056500504")  # ten digits typed as text are not one
    False
    """
    return find_national_id(value) is not None


def national_id_message(what: str, match: NationalIdMatch | None = None) -> str:
    """The refusal message for field ``what`` ("the client id"); the number is not repeated."""
    verb = "looks like" if match is None or match.whole else "contains what looks like"
    return MESSAGE.format(what=what, verb=verb)


def refuse_national_id(value, what: str, **where) -> None:
    """Raise :class:`UserError` (naming ``what`` and ``where``) if ``value`` holds a national
    identity number; ``where`` is passed to :class:`~scoring.errors.Problem` (file, row, path).

    >>> refuse_national_id("hj2-017", "the client id", path="client")
    >>> refuse_national_id("01013950187", "the client id", path="client")
    Traceback (most recent call last):
    ...
    scoring.errors.UserError: client: the client id looks like a Norwegian national identity number (fødselsnummer, D-number or H-number); such numbers are never stored here, use a pseudonymous id chosen by the service or leave it out
    """
    match = find_national_id(value)
    if match is not None:
        raise UserError.single(national_id_message(what, match), code="national_id", **where)


def national_id_mask(values: pd.Series) -> np.ndarray:
    """For each cell of ``values``, whether it holds a national identity number.

    Only cells with at least 11 characters and 11 digits (any script) are searched, each
    distinct value once, so a column of 150,000 short codes costs one vectorised length.
    """
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    if pd.api.types.is_bool_dtype(values):
        return np.zeros(len(values), dtype=bool)
    if pd.api.types.is_numeric_dtype(values):
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            candidate = np.isfinite(numbers) & (numbers >= 10 ** (LENGTH - 2)) & (numbers < 10**LENGTH)
    else:
        # An object column may hold numbers that lost their leading zero (10 digits left).
        least = LENGTH if pd.api.types.is_string_dtype(values) and values.dtype != object else LENGTH - 1
        text = values.astype("string")
        candidate = (text.str.len() >= least).fillna(False).to_numpy(dtype=bool)
        if candidate.any():  # only long enough cells are counted digit by digit
            long = text[candidate]
            plain_ascii = long.str.fullmatch(r"[\x20-\x7e]*").fillna(False)
            # ASCII text needs 11 digits bounded by non-digits with only separators between them
            # (every candidate of find_national_id is such a run); other text is searched in full.
            eleven = long.str.contains(_ELEVEN, regex=True).fillna(False)
            number = values[candidate].map(lambda v: isinstance(v, Number) and not isinstance(v, bool | np.bool_))
            keep = (long.str.count(_DIGIT.pattern) >= least) & (eleven | ~plain_ascii | number.to_numpy(dtype=bool))
            candidate[candidate] = keep.to_numpy(dtype=bool)
    mask = np.zeros(len(values), dtype=bool)
    if candidate.any():
        picked = values[candidate]
        found = {v: find_national_id(v) is not None for v in pd.unique(picked.to_numpy(dtype=object))}
        mask[np.flatnonzero(candidate)] = [found[v] for v in picked.to_numpy(dtype=object)]
    return mask


def national_id_problems(table: pd.DataFrame, columns: dict[str, str], *, file: str | None = None) -> list[Problem]:
    """A problem for every cell of ``table`` that holds a national identity number.

    ``columns`` maps a column to the words naming it in the message (``{"client": "the client
    id"}``); absent columns are skipped. Rows are numbered from 1 after the header.
    """
    problems: list[Problem] = []
    for column, what in columns.items():
        if column not in table.columns:
            continue
        values = table[column]
        for row in np.flatnonzero(national_id_mask(values)):
            match = find_national_id(values.iloc[row])
            problems.append(Problem(national_id_message(what, match), file=file, row=int(row) + 1, path=str(column), code="national_id"))
    return sorted(problems, key=lambda p: p.row or 0)
