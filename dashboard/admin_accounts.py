"""The Admin page's accounts, access requests and respondents' address (admin only, except the
address, which a coordinator sees too).

Every change goes through :mod:`scoring.store.accounts` and :mod:`scoring.store.access_requests`
(the same functions as ``samklima users``), which check the input and write all or nothing; a
refused change is listed by the page's ``show_problems`` and nothing is stored.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard.i18n import t
from scoring.errors import UserError
from scoring.store import accounts
from scoring.store.access import ROLES
from scoring.store.access_requests import approve_request, pending_requests, reject_request
from scoring.store.addresses import PublicAddressRefused, answer_address


def address_or_refusal(engine: Engine, lang: str) -> str | None:
    """The address respondents use, shown; or the translated refusal, and ``None``."""
    try:
        url = answer_address(engine)
    except PublicAddressRefused as refused:
        st.error(t(f"address_{refused.reason}", lang, url=refused.url))
        return None
    st.info(t("address_shown", lang, url=url))
    return url


def _role_label(lang: str) -> Callable[[str], str]:
    return lambda role: t(f"role_{role}", lang)


def accounts_table(found: list[accounts.Account], lang: str) -> pd.DataFrame:
    yes, no = ("✓", "–")
    return pd.DataFrame({
        t("accounts_col_username", lang): [a.username for a in found],
        t("accounts_col_name", lang): [a.name or "" for a in found],
        t("accounts_col_role", lang): [t(f"role_{a.role}", lang) for a in found],
        t("accounts_col_units", lang): [", ".join(a.units) for a in found],
        t("accounts_col_active", lang): [yes if a.active else no for a in found],
    })


def _done(message: str) -> None:
    st.session_state["admin_notice"] = message
    st.rerun()


def accounts_tab(engine: Engine, lang: str, unit_names: dict[str, str], show_problems) -> None:
    """List every account; add one; change role and units, reset the password, or deactivate."""
    st.caption(t("accounts_intro", lang))
    found = accounts.list_accounts(engine)
    st.dataframe(accounts_table(found, lang), hide_index=True, width="stretch")
    add_form(engine, lang, unit_names, show_problems)
    if not found:
        return
    st.subheader(t("accounts_change_title", lang))
    by_name = {a.username: a for a in found}
    picked = st.selectbox(t("accounts_pick", lang), list(by_name), key="accounts_pick")
    if not by_name[picked].active:
        st.info(t("accounts_is_inactive", lang))
        return
    role_form(engine, lang, by_name[picked], unit_names, show_problems)
    password_form(engine, lang, picked, show_problems)
    deactivate_form(engine, lang, picked, show_problems)


def _attempt(change: Callable[[], object], show_problems, notice: str, clear: tuple[str, ...] = ()) -> None:
    """Run ``change``; a refusal is listed (nothing was stored, the form keeps what was typed);
    success empties the ``clear`` fields and reruns with ``notice``."""
    try:
        change()
    except UserError as err:
        show_problems(err)
        return
    for key in clear:
        st.session_state.pop(key, None)
    _done(notice)


def add_form(engine: Engine, lang: str, unit_names: dict[str, str], show_problems) -> None:
    with st.form("accounts_add_form"):
        st.subheader(t("accounts_add_title", lang))
        username = st.text_input(t("accounts_username", lang), key="accounts_add_username")
        name = st.text_input(t("accounts_name", lang), key="accounts_add_name")
        role = st.selectbox(t("accounts_role", lang), ROLES, format_func=_role_label(lang), key="accounts_add_role")
        units = st.multiselect(
            t("accounts_units", lang), list(unit_names), format_func=lambda u: unit_names[u], help=t("accounts_units_help", lang),
            placeholder=t("admin_choose", lang), key="accounts_add_units",
        )
        password = st.text_input(t("accounts_password", lang), type="password", key="accounts_add_password")
        again = st.text_input(t("accounts_password_again", lang), type="password", key="accounts_add_again")
        add = st.form_submit_button(t("accounts_add", lang), type="primary")
    if not add:
        return
    if password != again:
        st.error(t("accounts_passwords_differ", lang))
        return
    _attempt(
        lambda: accounts.add_user(engine, username, password, role, units=units, name=name or None), show_problems,
        t("accounts_added", lang, user=(username or "").strip()),
        clear=("accounts_add_username", "accounts_add_name", "accounts_add_password", "accounts_add_again"),
    )


def role_form(engine: Engine, lang: str, account: accounts.Account, unit_names: dict[str, str], show_problems) -> None:
    picked = account.username
    with st.form("accounts_role_form"):
        role = st.selectbox(
            t("accounts_role", lang), ROLES, index=ROLES.index(account.role), format_func=_role_label(lang), key=f"accounts_role_{picked}",
        )
        units = st.multiselect(
            t("accounts_units", lang), list(unit_names), default=[u for u in account.units if u in unit_names],
            format_func=lambda u: unit_names[u], placeholder=t("admin_choose", lang), key=f"accounts_units_{picked}",
        )
        save = st.form_submit_button(t("accounts_save_role", lang))
    if save:
        _attempt(lambda: accounts.change_account(engine, picked, role=role, units=units), show_problems, t("accounts_saved", lang, user=picked))


def password_form(engine: Engine, lang: str, picked: str, show_problems) -> None:
    with st.form("accounts_reset_form", clear_on_submit=True):
        password = st.text_input(t("accounts_new_password", lang), type="password", key="accounts_reset_password")
        again = st.text_input(t("accounts_password_again", lang), type="password", key="accounts_reset_again")
        reset = st.form_submit_button(t("accounts_reset", lang))
    if reset and password != again:
        st.error(t("accounts_passwords_differ", lang))
    elif reset:
        _attempt(lambda: accounts.reset_password(engine, picked, password), show_problems, t("accounts_reset_done", lang, user=picked))


def deactivate_form(engine: Engine, lang: str, picked: str, show_problems) -> None:
    with st.form("accounts_deactivate_form"):
        sure = st.checkbox(t("accounts_deactivate_confirm", lang, user=picked), key=f"accounts_deactivate_sure_{picked}")
        deactivate = st.form_submit_button(t("accounts_deactivate", lang))
    if deactivate and not sure:
        st.warning(t("accounts_deactivate_unconfirmed", lang))
    elif deactivate:
        _attempt(lambda: accounts.deactivate(engine, picked), show_problems, t("accounts_deactivated", lang, user=picked))


def requests_tab(engine: Engine, lang: str, unit_names: dict[str, str], show_problems) -> None:
    """Access requests from single sign-on: approve each with a username, role and units, or decline."""
    st.caption(t("requests_intro", lang))
    waiting = pending_requests(engine)
    if not waiting:
        st.info(t("requests_none", lang))
        return
    role_label = _role_label(lang)
    for request in waiting:
        with st.form(f"request_{request.id}"):
            st.markdown(t("requests_who", lang, name=request.name or "–", email=request.email or request.subject, day=request.requested_on.strftime("%d.%m.%Y")))
            username = st.text_input(t("accounts_username", lang), value=request.suggested_username(), key=f"request_username_{request.id}")
            role = st.selectbox(t("accounts_role", lang), ROLES, index=ROLES.index("manager"), format_func=role_label, key=f"request_role_{request.id}")
            units = st.multiselect(
                t("accounts_units", lang), list(unit_names), format_func=lambda u: unit_names[u], help=t("accounts_units_help", lang),
                placeholder=t("admin_choose", lang), key=f"request_units_{request.id}",
            )
            with st.container(horizontal=True):
                approve = st.form_submit_button(t("requests_approve", lang), type="primary")
                reject = st.form_submit_button(t("requests_reject", lang))
        if approve:
            try:
                made = approve_request(engine, request.id, username=username, role=role, units=units)
            except UserError as err:
                show_problems(err)
            else:
                _done(t("requests_approved", lang, user=made.username))
        elif reject:
            reject_request(engine, request.id)
            _done(t("requests_rejected", lang))
