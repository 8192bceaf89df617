"""Signed session cookies: a browser refresh keeps a person logged in, logging out ends it.

A session is the text ``v1.<username>.<generation>.<expires>.<signature>``: the username
(URL-safe base 64), the account's ``session_generation`` when the session began, the Unix time
it expires (:data:`SESSION_HOURS` after the login), and an HMAC-SHA256 over the rest (RFC 2104)
with the installation's secret (``SAMKLIMA_SECRET`` if set, else a random secret kept in the
database, :func:`scoring.store.settings.stored_secret`, so that every app server signs alike).

A session is honoured only while it has not expired, its signature is right, the account is
active and its generation is unchanged. Logging out (:func:`end_sessions`), a new password and
deactivation add one to the generation, which ends every session of the account at once, on
every server (the check is against the database, not a list of sessions in memory). The
cookie holds no password and no data beyond the username.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import os

from sqlalchemy import Engine, select, update

from scoring.store.access import Principal, principal_for
from scoring.store.db import write_transaction
from scoring.store.models import User
from scoring.store.settings import stored_secret

SESSION_HOURS = 8
VERSION = "v1"


def _secret(engine: Engine) -> bytes:
    return (os.environ.get("SAMKLIMA_SECRET") or stored_secret(engine)).encode("utf-8")


def _sign(secret: bytes, payload: str) -> str:
    digest = hmac.new(secret, payload.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _now(now: dt.datetime | None) -> int:
    return int((now or dt.datetime.now(dt.timezone.utc)).timestamp())


def issue(engine: Engine, username: str, *, now: dt.datetime | None = None) -> str:
    """A signed session for an active account (its current generation), valid SESSION_HOURS."""
    with engine.connect() as conn:
        generation = conn.execute(select(User.session_generation).where(User.username == username, User.active.is_(True))).scalar()
    if generation is None:
        raise ValueError(f"no active account named {username!r}")
    name = base64.urlsafe_b64encode(username.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"{VERSION}.{name}.{generation}.{_now(now) + SESSION_HOURS * 3600}"
    return f"{payload}.{_sign(_secret(engine), payload)}"


def verify(engine: Engine, session: str | None, *, now: dt.datetime | None = None) -> Principal | None:
    """The principal of a valid session (see the module docstring), else ``None``."""
    parts = (session or "").split(".")
    if len(parts) != 5 or parts[0] != VERSION:
        return None
    payload, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(signature, _sign(_secret(engine), payload)):
        return None
    _, name, generation, expires = parts[:4]
    try:
        username = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode("utf-8")
        generation_, expires_ = int(generation), int(expires)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if expires_ <= _now(now):
        return None
    with engine.connect() as conn:
        current = conn.execute(select(User.session_generation).where(User.username == username, User.active.is_(True))).scalar()
    if current != generation_:
        return None
    return principal_for(engine, username)


def end_sessions(engine: Engine, username: str) -> None:
    """End every session of the account (logging out): its generation goes up by one."""
    with write_transaction(engine) as conn:
        conn.execute(update(User).where(User.username == username).values(session_generation=User.session_generation + 1))
