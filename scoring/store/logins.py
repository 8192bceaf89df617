"""Logging in: throttling and lockout of local logins, and mapping OpenID Connect identities.

Local logins (:func:`log_in`). Every failed login is stored (``login_attempts``) under two keys:
the account name typed and the client it came from. :data:`ACCOUNT_LIMIT` failures on one
account name within :data:`WINDOW` lock that name for :data:`LOCK`; :data:`CLIENT_LIMIT`
failures from one client within :data:`WINDOW` lock that client for :data:`LOCK` (a client
trying many names). The numbers follow common practice (OWASP Authentication Cheat Sheet; NIST
SP 800-63B 5.2.2 asks for no more than 100 consecutive failures per account): five wrong
passwords are plenty for a person, and at five tries per quarter hour a password guesser gets
about 500 guesses a day per account. While locked, no password is checked.

Nothing tells whether an account exists: an unknown or deactivated name fails, is counted and
locks exactly like a wrong password on a real account, with the same message, and takes as long
(a password hash is verified in every case). The database is shared by every app server, so
the limits hold across them. What is stored is a SHA-256 of ``account:<name in lower case>``
or ``client:<address>`` and the time, and every row is deleted after :data:`FORGET_AFTER`; a
successful login forgets the account's failures (not the client's).

OpenID Connect (:func:`oidc_principal`). An identity is the provider's issuer and subject
(``iss`` + ``sub``: stable and never reassigned, OpenID Connect Core 1.0, 5.7), stored on the
account. An e-mail address maps an identity to an account only when the provider says it is
verified (``email_verified``), and only to an account not yet tied to another identity; that
first login stores the identity, and later logins use it. An unverified address maps nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from typing import Any, Mapping

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring.errors import UserError
from scoring.store.access import Principal, authenticate, principal_for, spend_password_time
from scoring.store.db import write_transaction
from scoring.store.models import LoginAttempt, User

ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 20
WINDOW = dt.timedelta(minutes=15)
LOCK = dt.timedelta(minutes=15)
FORGET_AFTER = WINDOW + LOCK


class LoginRefused(UserError):
    """A refused login: ``reason`` is ``"wrong"`` (name or password) or ``"locked"`` (too many
    failures; ``until`` is when the lock ends). Neither says whether the account exists."""

    def __init__(self, reason: str, until: dt.datetime | None = None):
        message = "wrong username or password" if reason == "wrong" else "too many failed logins; try again later"
        super().__init__([], summary=message)
        self.reason = reason
        self.until = until

    def minutes_left(self, now: dt.datetime | None = None) -> int:
        """Whole minutes until the lock ends (at least 1)."""
        if self.until is None:
            return 0
        return max(1, math.ceil((self.until - (now or utcnow())).total_seconds() / 60))


def utcnow() -> dt.datetime:
    """Now in UTC, without a time zone (as stored)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def attempt_key(kind: str, value: str) -> str:
    """The stored key of an account name (``kind="account"``) or a client: a SHA-256, so
    neither the name typed (perhaps a password typed in the wrong box) nor an address is kept."""
    text = value.strip().casefold() if kind == "account" else value
    return hashlib.sha256(f"{kind}:{text}".encode("utf-8")).hexdigest()


def locked_until(failures: list[dt.datetime], limit: int) -> dt.datetime | None:
    """When the lock made by ``failures`` (sorted times) ends: :data:`LOCK` after the latest
    failure that was the ``limit``-th within :data:`WINDOW`; ``None`` if there was none.

    >>> t0 = dt.datetime(2026, 3, 1, 12, 0)
    >>> locked_until([t0 + dt.timedelta(minutes=m) for m in (0, 1, 2, 3, 4)], 5)
    datetime.datetime(2026, 3, 1, 12, 19)
    >>> locked_until([t0 + dt.timedelta(minutes=m) for m in (0, 4, 8, 12, 16)], 5) is None
    True
    """
    until = None
    for last in range(limit - 1, len(failures)):
        if failures[last] - failures[last - limit + 1] <= WINDOW:
            until = failures[last] + LOCK
    return until


def lock_end(failures: dict[str, list[dt.datetime]], limits: dict[str, int]) -> dt.datetime | None:
    """When the latest of the locks ends (``None``: not locked): each key is locked by its own
    recent failures against its limit (:func:`locked_until`). Shared by logins and one-time codes."""
    ends = [locked_until(sorted(failures.get(key, [])), limit) for key, limit in limits.items()]
    return max((e for e in ends if e is not None), default=None)


def log_in(engine: Engine, username: str, password: str, *, client: str | None, now: dt.datetime | None = None) -> Principal:
    """The principal for a correct name and password, unless the name or the client is locked.

    ``client`` identifies where the attempt comes from (an address, or the browser session when
    no address is known). Raises :class:`LoginRefused`; see the module docstring.
    """
    now = now or utcnow()
    limits = {attempt_key("account", username): ACCOUNT_LIMIT}
    if client:
        limits[attempt_key("client", client)] = CLIENT_LIMIT
    with engine.connect() as conn:
        rows = conn.execute(
            select(LoginAttempt.key, LoginAttempt.failed_at).where(LoginAttempt.key.in_(limits), LoginAttempt.failed_at > now - FORGET_AFTER)
        ).all()
    failures: dict[str, list[dt.datetime]] = {}
    for key, failed_at in rows:
        failures.setdefault(key, []).append(failed_at)
    until = lock_end(failures, limits)
    if until is not None and until > now:
        spend_password_time(password)
        raise LoginRefused("locked", until)
    principal = authenticate(engine, username, password)
    if principal is None:
        with write_transaction(engine) as conn:
            conn.execute(insert(LoginAttempt), [dict(key=key, failed_at=now) for key in limits])
            conn.execute(delete(LoginAttempt).where(LoginAttempt.failed_at < now - FORGET_AFTER))
        for key in limits:
            failures.setdefault(key, []).append(now)
        until = lock_end(failures, limits)
        if until is not None and until > now:
            raise LoginRefused("locked", until)
        raise LoginRefused("wrong")
    with write_transaction(engine) as conn:
        conn.execute(delete(LoginAttempt).where(LoginAttempt.key == attempt_key("account", username)))
    return principal


def email_verified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider vouches for the e-mail claim (``email_verified`` true; some
    providers send the text ``"true"``)."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def oidc_principal(engine: Engine, claims: Mapping[str, Any]) -> Principal | None:
    """The principal of an OpenID Connect identity (the ID token's claims), or ``None``.

    First by issuer + subject; else by a verified e-mail equal to the username of an active
    account that is tied to no identity yet, which ties it (see the module docstring).
    """
    issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
    if not issuer or not subject:
        return None
    with engine.connect() as conn:
        username = conn.execute(select(User.username).where(User.oidc_issuer == issuer, User.oidc_subject == subject)).scalar()
    if username is not None:
        return principal_for(engine, username)
    email = str(claims.get("email") or "").strip()
    if not email or not email_verified(claims):
        return None
    try:
        with write_transaction(engine) as conn:
            user = conn.execute(
                select(User.id, User.username).where(func.lower(User.username) == email.lower(), User.active.is_(True), User.oidc_issuer.is_(None))
            ).first()
            if user is None:
                return None
            conn.execute(update(User).where(User.id == user.id, User.oidc_issuer.is_(None)).values(oidc_issuer=issuer, oidc_subject=subject))
    except IntegrityError:  # the same identity was just tied to another account elsewhere
        return None
    return principal_for(engine, user.username)
