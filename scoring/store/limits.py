"""What fits in a column: text no longer than the column, no NUL character, whole numbers in range.

SQLite keeps any text in a ``VARCHAR(n)``, a NUL character and any integer; PostgreSQL refuses
them with a driver error (``value too long``, ``cannot contain NUL (0x00) bytes``, ``integer out
of range``). The store checks every value a user gives against the column it goes to, before
anything is written, so that both databases answer a bad value with the same clear
:class:`~scoring.errors.UserError` (file, row, field) and store nothing. The limits are read from
the models (:mod:`scoring.store.models`), so they cannot drift from the schema.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Column

from scoring.errors import Problem, UserError

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite holds 64 bits, but both databases must agree
NUL = "\x00"


def text_problem(value: str, limit: int | Column | None) -> str | None:
    """Why ``value`` does not fit a text column of ``limit`` characters (a number or the
    column itself), or None."""
    if NUL in value:
        return "contains a NUL character (byte 0); remove it"
    length = limit.type.length if isinstance(limit, Column) else limit
    if length is not None and len(value) > length:
        return f"longer than {length} characters ({len(value)})"
    return None


def int_problem(value: Any, low: int = INT_MIN, high: int = INT_MAX) -> str | None:
    """Why the whole number ``value`` does not fit an INTEGER column (``low..high``), or None."""
    if value > high:
        return f"{value} is more than {high}"
    if value < low:
        return f"{value} is less than {low}"
    return None


def text_limit_problem(value: str, limit: int | Column | None, *, prefix: str = "", **where) -> Problem | None:
    """:func:`text_problem` as a :class:`Problem` with its message code (``text_nul`` or
    ``text_too_long``), so that a page can say it in its own language; ``prefix`` goes in front
    of the English message only."""
    message = text_problem(value, limit)
    if message is None:
        return None
    if NUL in value:
        return Problem(prefix + message, code="text_nul", **where)
    length = limit.type.length if isinstance(limit, Column) else limit
    return Problem(prefix + message, code="text_too_long", params={"max": length}, **where)


def int_limit_problem(value: Any, low: int = INT_MIN, high: int = INT_MAX, **where) -> Problem | None:
    """:func:`int_problem` as a :class:`Problem` with its message code."""
    message = int_problem(value, low, high)
    if message is None:
        return None
    if value > high:
        return Problem(message, code="number_too_large", params={"value": value, "max": high}, **where)
    return Problem(message, code="number_too_small", params={"value": value, "min": low}, **where)


def check_text(value: str, column: Column, *, path: str, **where) -> str:
    """``value`` if it fits ``column``, else a :class:`UserError` at ``path``."""
    problem = text_limit_problem(value, column, path=path, **where)
    if problem:
        raise UserError([problem])
    return value


def check_int(value: int, *, path: str, low: int = INT_MIN, high: int = INT_MAX) -> int:
    problem = int_limit_problem(value, low, high, path=path)
    if problem:
        raise UserError([problem])
    return value


def text_cells(values: pd.Series, column: Column, *, file: str | None, path: str) -> list[Problem]:
    """The cells of a text column (as read, stripped) that do not fit ``column``, one
    :class:`Problem` each with its row (numbered from 1 after the header). Checked column-wise."""
    text = values.astype("string").fillna("")
    length = column.type.length
    bad = text.str.contains(NUL, regex=False).to_numpy(dtype=bool)
    if length is not None:
        bad |= (text.str.len() > length).to_numpy(dtype=bool)
    return [text_limit_problem(text.iloc[r], column, file=file, row=int(r) + 1, path=path) for r in np.flatnonzero(bad)]
