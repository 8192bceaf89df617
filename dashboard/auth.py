"""Logging in: local accounts (argon2 hashes in the database) or OpenID Connect via ``st.login``.

OpenID Connect (Entra ID in most municipalities and health trusts) is used when ``[auth]`` is
configured in ``.streamlit/secrets.toml``. The identity is mapped to a local account, which
carries the role and units, by issuer + subject, or by an e-mail address only when the provider
says it is verified (:func:`scoring.store.logins.oidc_principal`).

Local logins are throttled per account name and per client, in the database so that every app
server counts the same failures (:func:`scoring.store.logins.log_in`). The client is the last
address in ``X-Forwarded-For`` (the one the reverse proxy in front of Samklima added; earlier
ones are the browser's word), else the address of the connection, else the browser session.

Every rerun asks the database for the account again (:func:`current_principal`): a
deactivated account is logged out, and a changed role or unit takes effect, on the next click.

A login also sets a signed session cookie (:mod:`dashboard.session_cookie`,
:mod:`scoring.store.sessions`), so a browser refresh, which starts a new Streamlit session,
finds the person still logged in for up to eight hours. Logging out ends every session of the
account on the server (its session generation goes up) and deletes the cookie.

An OpenID Connect identity tied to no account is stored as an access request and the person is
told to wait for an administrator (:mod:`scoring.store.access_requests`).

Only the demo database (:func:`scoring.store.settings.is_demo`) says "demo" on the login form
and shows the demo accounts.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data, session_cookie
from dashboard.i18n import t
from scoring.store import sessions
from scoring.store.access import Principal, principal_for
from scoring.store.access_requests import request_access
from scoring.store.logins import LoginRefused, log_in, oidc_principal
from scoring.store.settings import is_demo

SESSION_KEY = "principal"
TOKEN_KEY = "session_token"
OIDC_CLAIMS = ("iss", "sub", "email", "email_verified", "name")

JUST_LOGGED_IN = "just_logged_in"


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all  # noqa: BLE001
        return False


def current_principal() -> Principal | None:
    """The logged-in principal as the database has it now, if any (a local session, or an OIDC
    identity tied to an active account); ``None`` once the account is deactivated."""
    stored = st.session_state.get(SESSION_KEY)
    if stored is None:
        stored = _restored_session()
    if stored is not None:
        token = st.session_state.get(TOKEN_KEY)
        fresh = sessions.verify(data.engine(), token) if token else principal_for(data.engine(), stored.username)
        if fresh is None:  # deactivated, or logged out in another tab, or the session expired
            st.session_state.pop(SESSION_KEY, None)
            st.session_state.pop(TOKEN_KEY, None)
            return None
        if fresh != stored:
            st.session_state[SESSION_KEY] = fresh
        return fresh
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        principal = oidc_principal(data.engine(), {claim: st.user.get(claim) for claim in OIDC_CLAIMS})
        if principal is not None:
            st.session_state[SESSION_KEY] = principal
        return principal
    return None


def require_page(page: str) -> Principal:
    """The guard at the top of every page: the logged-in principal if their role may open
    ``page`` (``PAGES_BY_ROLE``), else a "no access" message and the page stops there, before
    anything is read. A typed URL therefore opens nothing the menu would not show."""
    from dashboard.i18n import t  # texts import auth's neighbours; imported here to keep auth light

    principal = current_principal()
    if principal is None or not principal.may_open(page):
        st.error(t("no_access", st.session_state.get("lang", "nb")))
        st.stop()
    return principal


def still_signed_in(principal: Principal) -> None:
    """The session check of a fragment's run (``st.fragment``): such a run does not pass
    ``app.py`` or the page's guard, so every fragment calls this first. When the principal is no
    longer the one the page ran for (the account deactivated or logged out, its role or scope
    changed) the whole page reruns, and ``app.py`` shows the login form or the new scope."""
    if current_principal() != principal:
        st.rerun()


def _restored_session() -> Principal | None:
    """The principal of a valid session cookie (a refreshed page is a new Streamlit session)."""
    token = session_cookie.read()
    principal = sessions.verify(data.engine(), token) if token else None
    if principal is not None:
        st.session_state[SESSION_KEY] = principal
        st.session_state[TOKEN_KEY] = token
    return principal


def start_session(principal: Principal) -> None:
    """Log ``principal`` in for this browser: session state now, the cookie on the next run."""
    token = sessions.issue(data.engine(), principal.username)
    st.session_state[SESSION_KEY] = principal
    st.session_state[TOKEN_KEY] = token
    session_cookie.remember(token)


@st.cache_data(show_spinner=False, ttl=60)
def demo_database() -> bool:
    return is_demo(data.engine())


def client_key() -> str:
    """Where this session's requests come from, for throttling (see the module docstring)."""
    forwarded = st.context.headers.get("X-Forwarded-For") if st.context.headers else None
    if forwarded and forwarded.split(",")[-1].strip():
        return "address:" + forwarded.split(",")[-1].strip()
    address = getattr(st.context, "ip_address", None)
    if address:
        return "address:" + address
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return "session:" + (ctx.session_id if ctx is not None else "none")


def login_form(lang: str) -> None:
    """The login box: local username/password, and the OIDC button when configured; for an OIDC
    identity without an account, the "waiting for an administrator" notice instead."""
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        waiting_notice(lang)
        return
    demo = demo_database()
    with st.form("login", border=True):
        st.subheader(t("login_title_demo" if demo else "login_title", lang))
        if demo:
            st.caption(t("login_demo_hint", lang))
        username = st.text_input(t("username", lang), key="login_username")
        password = st.text_input(t("password", lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login", lang), type="primary")
    if submitted:
        try:
            principal = log_in(data.engine(), username.strip(), password, client=client_key())
        except LoginRefused as refused:
            if refused.reason == "locked":
                st.error(t("login_locked", lang, minutes=refused.minutes_left()))
            else:
                st.error(t("login_failed", lang))
        else:
            start_session(principal)
            st.session_state[JUST_LOGGED_IN] = True  # app.py then opens the person's landing page
            st.rerun()
    if oidc_configured():
        st.button(t("login_oidc", lang), on_click=st.login)


def waiting_notice(lang: str) -> None:
    """An OpenID Connect identity with no (active) account: stored as an access request once;
    the person is told whether it waits, was refused, or the account is deactivated."""
    claims = {claim: st.user.get(claim) for claim in OIDC_CLAIMS}
    state = request_access(data.engine(), claims)
    st.subheader(t("oidc_waiting_title", lang))
    message = {"pending": "oidc_waiting", "rejected": "oidc_rejected", "inactive": "oidc_inactive"}.get(state, "oidc_invalid")
    (st.info if state == "pending" else st.warning)(t(message, lang, email=claims.get("email") or claims.get("sub") or ""))
    st.button(t("logout", lang), on_click=st.logout, key="oidc_waiting_logout")


def logout() -> None:
    """End the session everywhere: the account's session generation goes up (every cookie
    issued before is refused), the cookie is deleted, and an OIDC login ends too."""
    principal = st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)
    if principal is not None:
        sessions.end_sessions(data.engine(), principal.username)
    session_cookie.remember(None)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def password_problem(principal: Principal, password: str, lang: str) -> str | None:
    """None if ``password`` is the principal's own, else the message to show. Checked like a
    login (:func:`scoring.store.logins.log_in`), so wrong guesses count towards the lockout;
    used to leave client mode on a tablet the client has held."""
    try:
        log_in(data.engine(), principal.username, password, client=client_key())
    except LoginRefused as refused:
        if refused.reason == "locked":
            return t("login_locked", lang, minutes=refused.minutes_left())
        return t("clients_mode_wrong", lang)
    return None
