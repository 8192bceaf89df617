"""Option values shared by several commands, checked once (one message for a bad value)."""

from __future__ import annotations

import datetime as dt

from scoring.errors import UserError


def iso_date(value: str | None, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date (``None`` stays ``None``); anything else is a user error naming ``option``.

    >>> iso_date("2026-03-01", "--opens")
    datetime.date(2026, 3, 1)
    """
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError.single(f"not a date: {value!r} (use YYYY-MM-DD)", path=option) from None
