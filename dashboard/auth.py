"""Logging in: local accounts (argon2 hashes in the database) or OpenID Connect via ``st.login``.

OpenID Connect (Entra ID in most municipalities and health trusts) is used when ``[auth]`` is
configured in ``.streamlit/secrets.toml``; the identity's e-mail (or preferred username) must
match a local account's username, which carries the role and units. The principal lives in the
session only; nothing about a login is kept outside the database.
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.i18n import t
from scoring.access import Principal, authenticate, principal_for

SESSION_KEY = "principal"


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all  # noqa: BLE001
        return False


def current_principal() -> Principal | None:
    """The logged-in principal, if any (local session, or an OIDC identity with an account)."""
    principal = st.session_state.get(SESSION_KEY)
    if principal is not None:
        return principal
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        name = st.user.get("email") or st.user.get("preferred_username")
        principal = principal_for(data.engine(), name) if name else None
        if principal is not None:
            st.session_state[SESSION_KEY] = principal
        return principal
    return None


def login_form(lang: str) -> None:
    """The login box: local username/password, and the OIDC button when configured."""
    with st.form("login", border=True):
        st.subheader(t("login_title", lang))
        username = st.text_input(t("username", lang), key="login_username")
        password = st.text_input(t("password", lang), type="password", key="login_password")
        submitted = st.form_submit_button(t("login", lang), type="primary")
    if submitted:
        principal = authenticate(data.engine(), username.strip(), password)
        if principal is None:
            st.error(t("login_failed", lang))
        else:
            st.session_state[SESSION_KEY] = principal
            st.rerun()
    if oidc_configured():
        st.button(t("login_oidc", lang), on_click=st.login)


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()
