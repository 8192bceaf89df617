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
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from scoring.access import Principal, principal_for
from scoring.store.logins import LoginRefused, log_in, oidc_principal

SESSION_KEY = "principal"
OIDC_CLAIMS = ("iss", "sub", "email", "email_verified")

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
    if stored is not None:
        fresh = principal_for(data.engine(), stored.username)
        if fresh is None:
            st.session_state.pop(SESSION_KEY, None)
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
    """The login box: local username/password, and the OIDC button when configured."""
    with st.form("login", border=True):
        st.subheader(t("login_title", lang))
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
            st.session_state[SESSION_KEY] = principal
            st.session_state[JUST_LOGGED_IN] = True  # app.py then opens the person's landing page
            st.rerun()
    if oidc_configured():
        st.button(t("login_oidc", lang), on_click=st.login)


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()
