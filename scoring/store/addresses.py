"""The address respondents use: ``SAMKLIMA_PUBLIC_URL``, checked before anything is printed.

Unit links, QR posters, code slips and paper forms carry ``<public url>/svar...``. Outside the
demo database (:func:`scoring.store.settings.is_demo`) making any of them is refused while
``SAMKLIMA_PUBLIC_URL`` is unset, is not an ``http(s)://`` address, or points at this machine
(``localhost``, ``127.0.0.1``, ``::1`` or any loopback address): a poster with such a QR code
would reach nobody's phone. The demo keeps ``http://localhost:8501``.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from sqlalchemy import Engine

from scoring.errors import UserError
from scoring.store.settings import is_demo
from scoring.store.tokens import ANSWER_PATH, DEFAULT_PUBLIC_URL

SETTING = "SAMKLIMA_PUBLIC_URL"
EXAMPLE = "https://samklima.kommune.no"


class PublicAddressRefused(UserError):
    """No usable public address; ``reason`` is ``"unset"``, ``"invalid"`` or ``"local"`` and
    ``url`` the value found, so a page can say it in its own language."""

    def __init__(self, reason: str, url: str):
        messages = {
            "unset": f"{SETTING} is not set",
            "invalid": f"{SETTING}={url!r} is not a web address",
            "local": f"{SETTING}={url!r} points at this machine, so respondents' phones cannot reach it",
        }
        message = f"{messages[reason]}: set {SETTING} to the address respondents reach (for example {EXAMPLE}) before making links, posters, code slips or paper forms"
        super().__init__([], summary=message)
        self.reason = reason
        self.url = url


def is_local(host: str) -> bool:
    """Whether ``host`` names this machine (``localhost``, ``*.localhost`` or a loopback address)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def configured_url() -> str:
    return (os.environ.get(SETTING) or "").strip().rstrip("/")


def public_base(engine: Engine) -> str:
    """The base of every respondent address, or :class:`PublicAddressRefused` outside the demo."""
    url = configured_url()
    if is_demo(engine):
        return url or DEFAULT_PUBLIC_URL
    if not url:
        raise PublicAddressRefused("unset", url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublicAddressRefused("invalid", url)
    if is_local(parts.hostname):
        raise PublicAddressRefused("local", url)
    return url


def unit_link_for_paper(engine: Engine, round_name: str, unit: str) -> str | None:
    """The unit's link to print on its paper form: in a round answered by unit link, the
    checked address (:func:`public_base`); ``None`` in a round of one-time codes."""
    from scoring.store.rounds import make_links, round_info

    if round_info(engine, round_name).mode != "anonymous":
        return None
    base = public_base(engine)
    return next((link.url for link in make_links(engine, round_name, base_url=base) if link.unit == unit), None)


def answer_address(engine: Engine) -> str:
    """Where respondents answer: ``<public url>/svar`` (checked as :func:`public_base`)."""
    return public_base(engine) + ANSWER_PATH
