"""Installation settings kept in the database (table ``settings``), shared by every app server.

- ``demo``: ``"1"`` in a database filled by :func:`scoring.samples.demo.load_demo` and nowhere
  else. Only the demo database has demo accounts, says "demo" on its login page, and may print
  respondent addresses on ``localhost`` (:mod:`scoring.store.addresses`).
- ``session_secret``: the key that signs session cookies (:mod:`scoring.store.sessions`) when
  ``SAMKLIMA_SECRET`` is not set; made once from :mod:`secrets` (256 bits) by the first server
  that needs it, and then read by every server.
"""

from __future__ import annotations

import secrets

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from scoring.store.db import write_transaction
from scoring.store.models import Setting

DEMO = "demo"
SESSION_SECRET = "session_secret"


def read_setting(engine: Engine, key: str) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(Setting.value).where(Setting.key == key)).scalar()


def is_demo(engine: Engine) -> bool:
    """Whether this is the demo database (filled by ``samklima demo`` or on the first ``make run``)."""
    return read_setting(engine, DEMO) == "1"


def mark_demo(engine: Engine) -> None:
    """Mark the database as the demo (done by :func:`scoring.samples.demo.load_demo`)."""
    with write_transaction(engine) as conn:
        if conn.execute(select(Setting.key).where(Setting.key == DEMO)).first() is None:
            conn.execute(insert(Setting).values(key=DEMO, value="1"))


def stored_secret(engine: Engine) -> str:
    """The database's session secret, made on first use (one value even if servers race)."""
    found = read_setting(engine, SESSION_SECRET)
    if found:
        return found
    try:
        with write_transaction(engine) as conn:
            conn.execute(insert(Setting).values(key=SESSION_SECRET, value=secrets.token_hex(32)))
    except IntegrityError:  # another server stored one first: use that
        pass
    return read_setting(engine, SESSION_SECRET)
