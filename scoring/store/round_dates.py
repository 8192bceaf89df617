"""A round's first and last day: required before anything is printed or handed out for it.

Posters, code slips and paper forms print the closing date, and a link or code handed out for a
round with no dates would stay open without end. So links, code slips, posters and paper forms
are refused for a round without both dates (:func:`require_dates`), with a message that says how
to set them (:func:`set_dates`, ``samklima round dates``). ``samklima round create`` asks for
both dates up front; rounds made on the admin page without dates, or by earlier versions, get
them afterwards.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, update

from scoring.errors import Problem, UserError
from scoring.store.db import write_transaction
from scoring.store.models import Round
from scoring.store.rounds import RoundInfo, round_info, round_row


def check_dates(opens: dt.date | None, closes: dt.date | None, *, what: str = "a round") -> None:
    """A :class:`UserError` unless both dates are given and ``closes`` is not before ``opens``."""
    problems = []
    if opens is None:
        problems.append(Problem(f"{what} needs a first day (YYYY-MM-DD)", path="--opens", code="needs_first_day"))
    if closes is None:
        problems.append(Problem(f"{what} needs a last day (YYYY-MM-DD)", path="--closes", code="needs_last_day"))
    if opens and closes and closes < opens:
        problems.append(Problem(f"closes ({closes}) is before opens ({opens})", path="--closes", code="closes_before_opens",
                                params={"opens": opens, "closes": closes}))
    if problems:
        raise UserError(problems)


def require_dates(engine: Engine, name: str, purpose: str) -> RoundInfo:
    """The round ``name`` if it has a first and a last day, else a :class:`UserError` saying
    how to give them. ``purpose`` names what was asked for ("links", "code slips", ...)."""
    info = round_info(engine, name)
    if info.opens is None or info.closes is None:
        raise UserError.single(
            f"round '{name}' has no {'first day' if info.opens is None else 'last day'}: give it both before making {purpose} "
            f"(samklima round dates {name} --opens YYYY-MM-DD --closes YYYY-MM-DD)",
            path="--round",
        )
    return info


def set_dates(engine: Engine, name: str, opens: dt.date | None, closes: dt.date | None) -> RoundInfo:
    """Set the round's first and last day (both required)."""
    check_dates(opens, closes)
    with write_transaction(engine) as conn:
        rnd = round_row(conn, name)
        conn.execute(update(Round).where(Round.id == rnd.id).values(opens=opens, closes=closes))
    return round_info(engine, name)
