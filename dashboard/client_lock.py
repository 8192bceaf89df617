"""Client mode as a lock: while it is on, this browser shows the client's questions and nothing
else of the app until the clinician unlocks it.

``app.py`` asks :func:`locked` before it builds the navigation. While it is on, the navigation
holds the Klienter page alone (no sidebar), and every other address of the app (a typed URL, a
bookmark, a link with ``?runde=...``, even a respondent's ``?t=`` link) leads back to it
(:func:`back_to_client_form`), so neither the menu nor the address bar reaches a caseload.

The lock lives in two places:

- the Streamlit session (:data:`KEY`): on, with the hash of an optional unlock PIN, or
  explicitly off after an unlock;
- a cookie (:data:`COOKIE`) with the session cookie's lifetime, for a tablet that is refreshed,
  closed or sent to another address: a new Streamlit session that finds it starts locked, in
  the "hand the tablet back" state (no questions: the session no longer knows the client).

Unlocking needs the clinician's password (checked like a login, so guesses count towards the
lockout), or the PIN chosen when client mode started. The PIN is for single sign-on accounts,
which have no local password: 4 to 8 digits, kept only as an argon2id hash in the session
(never in the database or a cookie, where the client holding the tablet could read it and try
every PIN offline). :data:`MAX_PIN_TRIES` wrong PINs forget it: 5 guesses at a 4-digit PIN
succeed with probability 5 / 10 000. After a refresh the PIN is gone with the session; the
clinician unlocks with the password or logs out (and logs in again). Logging out ends the lock.

What it does not stop: someone with the browser's developer tools who deletes the cookie
while the page is closed. On a shared tablet use its kiosk or guided-access mode as well
(docs/accounts.md).
"""

from __future__ import annotations

import re

import streamlit as st

from scoring.store.access import hash_password, verify_password
from scoring.store.sessions import SESSION_HOURS

KEY = "client_lock"
COOKIE = "samklima_client_mode"
_PENDING = "_client_lock_cookie_pending"
OFF = "off"
MAX_PIN_TRIES = 5
PIN = re.compile(r"[0-9]{4,8}")


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # no browser request (a bare script run, AppTest)  # noqa: BLE001
        return None


def locked() -> bool:
    """Whether this browser is in client mode: locked in this session, or (a new session) by the
    cookie of an earlier one, unless this session has unlocked it since."""
    state = st.session_state.get(KEY)
    if isinstance(state, dict):
        return True
    return state != OFF and _cookie() == "1"


def in_session() -> bool:
    """Locked by this very session (it knows the client); False for a refreshed tablet."""
    return isinstance(st.session_state.get(KEY), dict)


def pin_is_valid(pin: str) -> bool:
    return bool(PIN.fullmatch(pin))


def lock(pin: str | None = None) -> None:
    """Turn client mode on, with an unlock ``pin`` (4 to 8 digits, checked by the caller) or none."""
    st.session_state[KEY] = {"pin": hash_password(pin) if pin else None, "tries": 0}
    st.session_state[_PENDING] = "1"


def unlock() -> None:
    """Turn client mode off in this session and remove the cookie."""
    st.session_state[KEY] = OFF
    st.session_state[_PENDING] = ""


def has_pin() -> bool:
    state = st.session_state.get(KEY)
    return isinstance(state, dict) and state["pin"] is not None


def pin_matches(pin: str) -> bool:
    """Whether ``pin`` is the one chosen; a wrong one counts, and the last allowed miss forgets it."""
    state = st.session_state.get(KEY)
    if not (isinstance(state, dict) and state["pin"]):
        return False
    if verify_password(state["pin"], pin):
        return True
    state["tries"] += 1
    if state["tries"] >= MAX_PIN_TRIES:
        state["pin"] = None
    return False


def flush() -> None:
    """Send a pending change of the lock cookie to the browser (once per run, from ``app.py``),
    the same way :func:`dashboard.session_cookie.flush` writes the session cookie."""
    if _PENDING not in st.session_state:
        return
    value = st.session_state.pop(_PENDING)
    max_age = SESSION_HOURS * 3600 if value else 0
    cookie = f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Lax"
    script = f"document.cookie = '{cookie}' + (location.protocol === 'https:' ? '; Secure' : '');"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def back_to_client_form() -> None:
    """Every other address while locked: straight back to the client's questions."""
    from dashboard.pages_registry import PAGES

    st.switch_page(PAGES["clients"].file, query_params={"klientmodus": "1"})
