"""Unit-link tokens, one-time codes, response ids and the addresses that carry them.

A unit-link token has 128 bits from :func:`secrets.token_urlsafe`. A one-time code is short
enough to type from a paper slip: 12 characters of :data:`CODE_ALPHABET` (the digits 2-9 and the
letters without I, L, O and U: 30 symbols in which no two look alike, so neither 0/O nor 1/I/L
can be confused), in groups of four (``K7QM-4XPD-9RTA``): 30^12 ≈ 5.3e17 codes, 58.9 bits.
It is typed in any case, with or without dashes or spaces. Guessing is kept hopeless by attempt
limiting on the answer page (:mod:`scoring.store.code_attempts`; the odds are in
``docs/distribution.md``). Only a code's SHA-256 is stored, which lets a code be found by an
index lookup; the hash of a short code can be reversed by trying every code, which is why a
used code's row is deleted (:mod:`scoring.store.submit`) and an unused code is worth no more
than its slip. Codes made before (28 Crockford base-32 characters, 140 bits) keep working:
:func:`normalise_code` and :func:`code_hash` are unchanged for them.

A response id is 128 random bits from :mod:`secrets` as 32 hex digits, so ids say nothing about
the order answers arrived in. An idempotency key is stored as its SHA-256
(:func:`key_hash`): whatever a client puts in a key (a counter, a time) is not kept.
"""

from __future__ import annotations

import hashlib
import os
import secrets

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32 without 0 and 1: no 0/O and no 1/I/L pair can be mixed up."""
CODE_LENGTH = 12  # 30^12 ≈ 5.3e17
CODE_GROUP = 4
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
    """A one-time code: :data:`CODE_LENGTH` characters of :data:`CODE_ALPHABET` from
    :mod:`secrets`, in groups of four (``K7QM-4XPD-9RTA``)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(code: str) -> str:
    """Upper case, separators removed, and the look-alikes O -> 0, I and L -> 1 mapped (for
    the long codes of earlier versions; a short code has none of these characters).

    >>> normalise_code(" k7qm-4xpd 9rta ")
    'K7QM4XPD9RTA'
    """
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
