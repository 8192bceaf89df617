"""The browser's session cookie: read with ``st.context.cookies``, written with a script.

Streamlit reads cookies of the page request (``st.context.cookies``) but has no API to set one,
so a one-line script in ``st.html(..., unsafe_allow_javascript=True)`` (rendered in the page
itself, not in an iframe) writes ``document.cookie``. The cookie carries only the signed session
(:mod:`scoring.store.sessions`); ``SameSite=Lax`` (a copied link opened from e-mail still
arrives logged in), ``Secure`` on HTTPS, ``Max-Age`` the session's lifetime. It cannot be
``HttpOnly`` (a script writes it), which is why the signature, the expiry and the server-side
generation check carry the security, not the secrecy of the cookie alone.
"""

from __future__ import annotations

import re

import streamlit as st

from scoring.store.sessions import SESSION_HOURS

COOKIE = "samklima_session"
_PENDING = "_session_cookie_pending"


def read() -> str | None:
    """The session cookie the browser sent when the page was opened, if any."""
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser request (bare script run)  # noqa: BLE001
        return None


def remember(value: str | None) -> None:
    """Write ``value`` as the cookie (``None`` deletes it) on the next run of the page; the
    caller usually reruns at once, and an element shown before a rerun may never reach the browser."""
    st.session_state[_PENDING] = value if value is not None else ""


def flush() -> None:
    """Send a pending cookie change to the browser (called once per run by ``app.py``)."""
    if _PENDING not in st.session_state:
        return
    value = st.session_state.pop(_PENDING)
    if not re.fullmatch(r"[A-Za-z0-9._-]*", value):  # a signed session is base 64 and digits; nothing to escape
        raise ValueError("not a session value")
    max_age = SESSION_HOURS * 3600 if value else 0
    cookie = f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Lax"
    script = f"document.cookie = '{cookie}' + (location.protocol === 'https:' ? '; Secure' : '');"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
