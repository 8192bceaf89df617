"""Option values shared by several commands, checked once (one message for a bad value)."""

from __future__ import annotations

import datetime as dt
import re

from typer.core import TyperCommand

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


DATA_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".sav")


def split_names(values: list[str] | None) -> list[str]:
    """Names given to a list option, split at commas and white space, empty parts dropped.

    >>> split_names(["a1,a2", "a3 a4", "a5"])
    ['a1', 'a2', 'a3', 'a4', 'a5']
    """
    return [name for value in values or [] for name in re.split(r"[\s,]+", value) if name]


def _rewrite_lists(args: list[str], flags: tuple[str, ...]) -> list[str]:
    """``--items a1 a2 a3`` -> ``--items a1 --items a2 --items a3`` for each flag in ``flags``.

    A list ends at the next token that starts with ``-`` or names a data file (``.csv``, ``.xlsx``,
    ``.xlsm``, ``.sav``), so ``efa --items a b c data.csv`` still finds DATA.
    """
    rewritten: list[str] = []
    current, has_value = None, False
    for token in args:
        ends = token.startswith("-") or token.lower().endswith(DATA_SUFFIXES)
        if current is not None and not has_value and ends:
            rewritten.append(current)  # a list flag without values: click reports it
        if token in flags:
            current, has_value = token, False
        elif current is not None and not ends:
            rewritten += [current, token]
            has_value = True
        else:
            current = None
            rewritten.append(token)
    if current is not None and not has_value:
        rewritten.append(current)
    return rewritten


class ListOptionsCommand(TyperCommand):
    """A command whose list options take several values after one flag (``--items a1 a2 a3``) as
    well as repeated flags (``--items a1 --items a2``) and commas (``--items a1,a2``).

    Click options take one value each, so the values after a flag are rewritten to one flag each
    before parsing (:func:`_rewrite_lists`); :func:`split_names` then splits commas. Subclass
    with :func:`list_options`.
    """

    list_flags: tuple[str, ...] = ("--items",)

    def parse_args(self, ctx, args):
        return super().parse_args(ctx, _rewrite_lists(list(args), self.list_flags))


def list_options(*flags: str) -> type[ListOptionsCommand]:
    """A :class:`ListOptionsCommand` for these flags (``--items`` when none are given), for
    ``app.command(name, cls=list_options("--items", "--reverse"))``."""
    return type("ListOptionsCommand", (ListOptionsCommand,), {"list_flags": flags or ("--items",)})
