"""Unit-link tokens, one-time codes and the addresses that carry them.

A unit-link token has 128 bits from :func:`secrets.token_urlsafe`. A one-time code has 140 bits,
written as 28 Crockford base-32 characters in groups of four (no I, L, O or U, so a code read
aloud or typed from paper is not mistaken; typed look-alikes are mapped back). Only a code's
SHA-256 is stored: with this much entropy a plain hash cannot be reversed by guessing, and it
lets a code be found by an index lookup.
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
