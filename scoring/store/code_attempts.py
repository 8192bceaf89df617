"""Attempt limiting for one-time codes typed on the answer page, so guessing stays hopeless.

A code is 12 characters of a 30-letter alphabet (:mod:`scoring.store.tokens`): 30^12 ≈ 5.3e17
possible codes. Every code the database does not know (mistyped, used, or guessed) counts as a
miss against where it came from: the client address and the browser session.
:data:`CLIENT_LIMIT` misses from one address, or :data:`SESSION_LIMIT` from one browser session,
within :data:`~scoring.store.logins.WINDOW` lock that address or session for
:data:`~scoring.store.logins.LOCK`; while locked, no code is looked up at all (a locked guesser
learns nothing, not even that a guess was right). The rule and its arithmetic are those of staff
logins (:func:`scoring.store.logins.locked_until`); the keys are SHA-256 digests of
``code:address:<address>`` and ``code:session:<id>`` as there. A correct code records nothing.

Unlike failed staff logins, the misses are kept in the app server's memory (:class:`AttemptLog`),
not in the database. A row per miss (a hashed address, whose 2^32 IPv4 values are quickly
tried, and a time) written to the database that holds the answers would let whoever holds a
dump place a respondent's address next to the answer stored soon after a mistyped code, by the
order of the rows (PostgreSQL's ``xmin``, SQLite's rowid): exactly what ``design/privacy.md``
forbids. In memory, each server process counts on its own, so with several app servers a
guesser gets that many times the guesses; the odds in ``docs/distribution.md`` allow for it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque

from sqlalchemy import Engine

from scoring.errors import Problem, UserError
from scoring.store.logins import FORGET_AFTER, LoginRefused, attempt_key, lock_end, utcnow
from scoring.store.submit import Access, AccessRefused, resolve_access

CLIENT_LIMIT = 30
SESSION_LIMIT = 10
MAX_KEYS = 100_000  # beyond this many keys, expired ones are dropped before a new one is added


class CodeLocked(UserError):
    """Too many unknown codes from this address or browser session: ``until`` is when the lock
    ends. ``reason`` is ``"locked"``."""

    reason = "locked"

    def __init__(self, until: dt.datetime):
        super().__init__([Problem("too many codes that are not valid; wait a little and try again", path="code", code="code_locked")])
        self.until = until

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        """Whole minutes until the lock ends (at least 1)."""
        return LoginRefused("locked", self.until).minutes_left(now)


class AttemptLog:
    """Misses per key (a SHA-256 digest) in this process, forgotten after
    :data:`~scoring.store.logins.FORGET_AFTER`. Thread-safe: Streamlit runs sessions in threads."""

    def __init__(self):
        self._misses: dict[str, deque[dt.datetime]] = {}
        self._guard = threading.Lock()

    def misses(self, keys, now: dt.datetime) -> dict[str, list[dt.datetime]]:
        with self._guard:
            return {key: [t for t in self._misses.get(key, ()) if t > now - FORGET_AFTER] for key in keys}

    def record(self, keys, now: dt.datetime) -> None:
        with self._guard:
            if len(self._misses) > MAX_KEYS:
                for key in [k for k, times in self._misses.items() if not times or times[-1] <= now - FORGET_AFTER]:
                    del self._misses[key]
            for key in keys:
                times = self._misses.setdefault(key, deque())
                while times and times[0] <= now - FORGET_AFTER:
                    times.popleft()
                times.append(now)

    def __len__(self) -> int:
        return len(self._misses)


ATTEMPTS = AttemptLog()
"""The process's log of misses."""


def code_keys(*, address: str | None, session: str | None) -> dict[str, int]:
    """The keys of where a typed code came from, with their limits."""
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
    log: AttemptLog | None = None,
) -> Access:
    """What ``code`` opens (:func:`~scoring.store.submit.resolve_access`), unless the address
    or session is locked (:class:`CodeLocked`). A code the database does not know is counted
    against both before :class:`~scoring.store.submit.AccessRefused` is raised. Nothing is
    written to the database."""
    now = now or utcnow()
    log = log if log is not None else ATTEMPTS
    limits = code_keys(address=address, session=session)
    until = lock_end(log.misses(limits, now), limits)
    if until is not None and until > now:
        raise CodeLocked(until)
    try:
        return resolve_access(engine, code=code, today=today)
    except AccessRefused as err:
        if err.reason == "unknown_code" and limits:
            log.record(limits, now)
        raise
