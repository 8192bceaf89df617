"""Samklima's Streamlit entry point: language, login and navigation only.

Pages live in ``dashboard/pages/``; they read data through ``dashboard.data`` and take every
number from ``scoring``. Which pages a person sees follows their role
(:data:`scoring.store.access.PAGES_BY_ROLE`); a page also checks the role itself, so a typed URL
does not open a page the menu would not show.

A link to a page with a view in its address (``/sammenlign?runde=2025-1&enhet=k1.ho``, see
:mod:`dashboard.view_state`) opened before login shows the login form on that page, address
and all; after login the page itself runs, so the requested view opens (for a person whose
role may open it; anyone else lands on their own first page).

Client mode (:mod:`dashboard.client_lock`) comes before everything else: while it is on, every
address shows the client's questions only.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import client_lock, session_cookie
from dashboard.auth import JUST_LOGGED_IN, current_principal, login_form, logout
from dashboard.browser_store import html_lang
from dashboard.i18n import LANGUAGES, t
from dashboard.pages_registry import PAGES

st.set_page_config(page_title="Samklima", page_icon="🤝", layout="wide")

if "lang" not in st.session_state:
    asked = st.query_params.get("lang")
    st.session_state["lang"] = asked if asked in LANGUAGES else "nb"
lang = st.session_state["lang"]

here = Path(__file__).parent


def page(key: str, default: bool = False, hidden: bool = False) -> st.Page:
    spec = PAGES[key]
    return st.Page(str(here / spec.file), title=t(spec.title, lang), icon=spec.icon, url_path=spec.url_path, default=default,
                   visibility="hidden" if hidden else "visible")


respondent = st.query_params.get("t") or st.query_params.get("kode")
principal = current_principal()

if principal is not None and principal.may_open("clients") and client_lock.locked():
    # Client mode locks the whole app (dashboard.client_lock): the client's questions and
    # nothing else, whatever address was opened, until the clinician unlocks it.
    st.session_state.pop(JUST_LOGGED_IN, None)
    html_lang(lang)
    session_cookie.flush()
    client_lock.flush()
    spec = PAGES["clients"]
    form = st.Page(str(here / spec.file), title=t(spec.title, lang), icon=spec.icon, url_path=spec.url_path, default=True)
    elsewhere = [
        st.Page(client_lock.back_to_client_form, title=t(other.title, lang), url_path=other.url_path, visibility="hidden")
        for key, other in PAGES.items() if key != "clients" and other.exists()
    ]
    st.navigation([form, *elsewhere], position="hidden").run()
elif respondent and PAGES["respond"].exists():
    # A respondent's link shows the questionnaire and nothing else of the app. Links point to
    # /svar, but Streamlit serves the default page at the root only, so the questionnaire is
    # registered twice: at the root (default) and at /svar.
    spec = PAGES["respond"]
    at_root = st.Page(str(here / spec.file), title=t(spec.title, lang), icon=spec.icon, url_path="sporreskjema", default=True)
    st.navigation([at_root, page("respond")], position="hidden").run()
else:
    # After login a manager, a coordinator and an admin land on their own page, not on the front page.
    lands = principal is not None and principal.may_open("landing") and PAGES["landing"].exists()
    with st.sidebar:
        st.radio(t("language", lang), options=list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True)
        html_lang(lang)
        if principal is not None:
            st.caption(t("logged_in_as", lang, user=principal.username, role=t(f"role_{principal.role}", lang)))
            st.button(t("logout", lang), on_click=logout)
    home = page("home", default=not lands)
    pages = [home]
    if principal is not None:
        pages += [page(key, default=key == "landing") for key, spec in PAGES.items() if spec.exists() and principal.may_open(key)]
    else:  # hidden, and never run before login: a link to them opens the login form in their place
        pages += [page(key, hidden=True) for key, spec in PAGES.items() if key not in ("home", "respond") and spec.exists()]
    if PAGES["respond"].exists():
        pages.append(page("respond"))
    current = st.navigation(pages, expanded=True)  # an administrator has 13 pages; none hides behind "View more"
    # Logged in on the front page: the landing page opens by its own address (below). An element
    # drawn before switch_page may never reach the browser, so the cookie scripts wait for the
    # landing run; on any other page (a login on a linked page included) they go out now, or a
    # copied link's login would hold no session cookie until the next click.
    switching = lands and st.session_state.get(JUST_LOGGED_IN, False) and (current is home or current.url_path == "")
    if not switching:
        with st.sidebar:
            session_cookie.flush()  # a login or logout of the last run sets or deletes the session cookie
            client_lock.flush()  # leaving client mode deletes its cookie
    if principal is None and current.visibility == "hidden":
        st.title(current.title)
        st.info(t("login_to_open_page", lang))
        login_form(lang)  # logging in reruns this address, so the page opens with its view
        st.stop()
    # Logged in on the front page: open the landing page by its own address (the root now means
    # the landing page, and a page left at the root after the default changed gets confused
    # addresses). Logged in on a linked page: stay there, the view in its address.
    if st.session_state.pop(JUST_LOGGED_IN, False) and switching:
        st.switch_page(PAGES["landing"].file, query_params=st.query_params.to_dict())
    current.run()
