"""Attempt limiting for one-time codes typed on the answer page, so guessing stays hopeless.

A code is 12 characters of a 30-letter alphabet (:mod:`scoring.store.tokens`): 30^12 ≈ 5.3e17
possible codes. Every code the database does not know (mistyped, used, or guessed) is stored as
a failure under the keys of where it came from: the client address and the browser session.
:data:`CLIENT_LIMIT` failures from one address, or :data:`SESSION_LIMIT` from one browser
session, within :data:`~scoring.store.logins.WINDOW` lock that address or session for
:data:`~scoring.store.logins.LOCK`; while locked, no code is looked up at all (a locked guesser
learns nothing, not even that a guess was right). The pattern and the table are those of staff
logins (:mod:`scoring.store.logins`): what is stored is a SHA-256 of ``code:<key>`` and the
time, deleted after :data:`~scoring.store.logins.FORGET_AFTER`. A correct code stores nothing,
so no row marks when a code was used. The limits are generous for people: a whole ward behind
one address may mistype :data:`CLIENT_LIMIT` times in a quarter of an hour. The odds are worked
out in ``docs/distribution.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Sequence

from sqlalchemy import Engine, delete, insert, select

from scoring.errors import Problem, UserError
from scoring.store.db import write_transaction
from scoring.store.logins import FORGET_AFTER, LoginRefused, _lock, attempt_key, utcnow
from scoring.store.models import LoginAttempt
from scoring.store.submit import Access, AccessRefused, resolve_access

CLIENT_LIMIT = 30
SESSION_LIMIT = 10


class CodeLocked(UserError):
    """Too many unknown codes from this address or browser session: ``until`` is when the lock
    ends. ``reason`` is ``"locked"``."""

    reason = "locked"

    def __init__(self, until: dt.datetime):
        super().__init__([Problem("too many codes that are not valid; wait a little and try again", path="code")])
        self.until = until

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        """Whole minutes until the lock ends (at least 1)."""
        return LoginRefused("locked", self.until).minutes_left(now)


def code_keys(*, address: str | None, session: str | None) -> dict[str, int]:
    """The stored keys of where a typed code came from, with their limits."""
    keys = {}
    if address:
        keys[attempt_key("code", f"address:{address}")] = CLIENT_LIMIT
    if session:
        keys[attempt_key("code", f"session:{session}")] = SESSION_LIMIT
    return keys


def open_with_code(
    engine: Engine,
    code: str,
    *,
    address: str | None,
    session: str | None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> Access:
    """What ``code`` opens (:func:`~scoring.store.submit.resolve_access`), unless the address
    or session is locked (:class:`CodeLocked`). A code the database does not know is counted
    against both before :class:`~scoring.store.submit.AccessRefused` is raised."""
    now = now or utcnow()
    limits = code_keys(address=address, session=session)
    with engine.connect() as conn:
        rows = conn.execute(
            select(LoginAttempt.key, LoginAttempt.failed_at).where(LoginAttempt.key.in_(limits), LoginAttempt.failed_at > now - FORGET_AFTER)
        ).all()
    failures: dict[str, list[dt.datetime]] = {}
    for key, failed_at in rows:
        failures.setdefault(key, []).append(failed_at)
    until = _lock(failures, limits)
    if until is not None and until > now:
        raise CodeLocked(until)
    try:
        return resolve_access(engine, code=code, today=today)
    except AccessRefused as err:
        if err.reason == "unknown_code" and limits:
            with write_transaction(engine) as conn:
                conn.execute(insert(LoginAttempt), [dict(key=key, failed_at=now) for key in limits])
                conn.execute(delete(LoginAttempt).where(LoginAttempt.failed_at < now - FORGET_AFTER))
        raise
