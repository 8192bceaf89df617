"""Unit-link tokens, one-time codes, response ids and the addresses that carry them.

A unit-link token has 128 bits from :func:`secrets.token_urlsafe`. A one-time code has 140 bits,
written as 28 Crockford base-32 characters in groups of four (no I, L, O or U, so a code read
aloud or typed from paper is not mistaken; typed look-alikes are mapped back). Only a code's
SHA-256 is stored: with this much entropy a plain hash cannot be reversed by guessing, and it
lets a code be found by an index lookup.

A response id is 128 random bits from :mod:`secrets` as 32 hex digits, so ids say nothing about
the order answers arrived in. An idempotency key is stored as its SHA-256
(:func:`key_hash`): whatever a client puts in a key (a counter, a time) is not kept.
"""

from __future__ import annotations

import hashlib
import os
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 28  # 28 x 5 bits = 140 bits
DEFAULT_PUBLIC_URL = "http://localhost:8501"
ANSWER_PATH = "/svar"


def new_token() -> str:
    """A unit-link token: 16 random bytes, URL-safe base 64 (22 characters)."""
    return secrets.token_urlsafe(16)


def new_response_id() -> str:
    """A response id: 16 random bytes as 32 lower-case hex digits."""
    return secrets.token_hex(16)


def new_response_ids(count: int) -> list[str]:
    """``count`` response ids from one call to the random source (for bulk imports)."""
    text = secrets.token_bytes(16 * count).hex()
    return [text[i : i + 32] for i in range(0, 32 * count, 32)]


def key_hash(key: str) -> str:
    """The stored form of an idempotency key: its SHA-256 as 64 hex digits."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_code() -> str:
    """A one-time code: 28 Crockford base-32 characters (140 bits) in groups of four."""
    raw = "".join(secrets.choice(CROCKFORD) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """Upper case, separators removed, and the look-alikes O -> 0, I and L -> 1 mapped."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


def public_url() -> str:
    """Where respondents reach the app: ``SAMKLIMA_PUBLIC_URL`` or http://localhost:8501."""
    return (os.environ.get("SAMKLIMA_PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


def link_url(token: str, base: str | None = None) -> str:
    """The answer address of a unit link: ``<public url>/svar?t=TOKEN``."""
    return f"{base or public_url()}{ANSWER_PATH}?t={token}"


def code_url(code: str, base: str | None = None) -> str:
    """The answer address with a one-time code filled in: ``<public url>/svar?kode=CODE``.

    ``app.py`` shows the respondent page alone for ``?t=`` and ``?kode=``.
    """
    return f"{base or public_url()}{ANSWER_PATH}?kode={code}"
