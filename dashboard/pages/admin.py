"""Administrasjon / Administration: survey rounds, their links and printouts, and response rates.

Every change goes through :mod:`scoring.store.api` (the same functions as ``samklima round``,
``links``, ``codes``, ``posters``, ``paper`` and ``headcount``), which checks the input and writes
all or nothing; a :class:`~scoring.errors.UserError` is shown as a list and nothing is stored.
Response counts are read live from the database, not from the dashboard's caches.

An administrator and a coordinator see the rounds; only an administrator sees the accounts and
the access requests (:mod:`dashboard.admin_accounts`). The address respondents will use is
shown above the printouts; outside the demo, links and printouts are refused while
``SAMKLIMA_PUBLIC_URL`` is unset or points at this machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import admin_accounts, data, data_compare, printables
from dashboard import data_store as api
from dashboard.auth import require_page, still_signed_in
from dashboard.charts import OKABE_ITO, SUPPRESSED_GREY, show_chart
from dashboard.describe import NO_VALUE, for_page, hidden_label
from dashboard.i18n import LANGUAGES, t
from dashboard.problems import show_refusal
from dashboard.progress_bar import progress_bar
from scoring.errors import UserError
from scoring.reporting.numbers import count, percent

REFRESH_SECONDS = 30

lang = st.session_state.get("lang", "nb")
principal = require_page("admin")

engine = data.engine()


def show_problems(err: UserError) -> None:
    """The problems of a refused change, each with the field it concerns; nothing was stored."""
    show_refusal(err, lang, t("admin_not_stored", lang))


def forget_cached_rounds() -> None:
    """Other pages read rounds through cached functions; a change here must show there."""
    data.rounds.clear()


def rounds_table(rounds: list[api.RoundInfo]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("admin_col_name", lang): [r.name for r in rounds],
            t("admin_col_state", lang): [t(f"admin_state_{r.state}", lang) for r in rounds],
            t("admin_col_mode", lang): [t(f"admin_mode_{r.mode}", lang) for r in rounds],
            t("admin_col_opens", lang): [r.opens or "" for r in rounds],
            t("admin_col_closes", lang): [r.closes or "" for r in rounds],
            t("admin_col_min_n", lang): [r.min_n for r in rounds],
            t("admin_col_units", lang): [r.units for r in rounds],
            t("admin_col_responses", lang): [r.responses for r in rounds],
            t("admin_col_invited", lang): [r.invited for r in rounds],
            t("admin_col_rate", lang): [percent(r.response_rate, lang) for r in rounds],
            t("admin_col_instruments", lang): [", ".join(f"{i['id']} {i['version']}" for i in r.instruments) for r in rounds],
        }
    )


def status_figure(status: pd.DataFrame) -> go.Figure:
    """Invited (grey) behind responses (blue), one row per unit; the count and rate are written
    after the longer bar so that the text never sits on a bar."""
    names = status["name"].tolist()
    known = status["invited"].notna()
    counts = ["–" if pd.isna(n) else f"{int(n)}" for n in status["responses"]]  # – : hidden (too few answers)
    label = [
        f"{n} / {i} ({r:.0%})" if pd.notna(i) and pd.notna(r) else n
        for n, i, r in zip(counts, status["invited"], status["response_rate"])
    ]
    fig = go.Figure()
    if known.any():
        fig.add_bar(
            y=names, x=status["invited"].astype("float"), orientation="h", name=t("admin_chart_invited", lang),
            marker_color=SUPPRESSED_GREY, text=[x if k else "" for x, k in zip(label, known)], textposition="outside",
        )
    fig.add_bar(
        y=names, x=status["responses"], orientation="h", name=t("admin_chart_responses", lang), marker_color=OKABE_ITO[0],
        text=[x if not k else "" for x, k in zip(label, known)], textposition="outside",
    )
    longest = max(float(status["invited"].max(skipna=True) or 0) if known.any() else 0.0, float(status["responses"].fillna(0).max()), 1.0)
    fig.update_layout(
        barmode="overlay", height=120 + 28 * len(names), yaxis={"autorange": "reversed"},
        xaxis={"title": t("admin_chart_responses", lang), "range": [0, longest * 1.3]},  # room for the text
    )
    return fig


@st.fragment(run_every=REFRESH_SECONDS)
def response_status(round_name: str) -> None:
    """Responses, invited and rate per unit, read again every REFRESH_SECONDS seconds.

    The figures are the publication's (:func:`scoring.reporting.participation.response_rates`),
    the same the Overview page shows: a unit with fewer answers than ``min_n`` shows no count,
    so following the response rate never tells anyone how many of a small team have answered.
    The session is checked on every refresh (:func:`dashboard.auth.still_signed_in`).
    """
    still_signed_in(principal)
    now = api.round_status(engine, round_name)  # read again: the fragment follows a running round
    rates = data_compare.response_rates(principal, round_name, now)
    in_round = set(now["unit"])
    status = rates.units[rates.units["unit"].isin(in_round)].reset_index(drop=True)
    org = rates.organisation
    st.subheader(t("admin_status_title", lang, round=round_name))
    shown = status[~status["suppressed"]]
    st.caption(t("admin_status_summary", lang, responses=org["responses"] if org["responses"] is not None else "–",
                 units=len(shown), seconds=REFRESH_SECONDS))
    if org["suppressed"]:
        st.info(t("admin_rate_hidden", lang, min_n=rates.min_n))
    elif org["response_rate"] is not None:
        st.markdown(t("admin_rate_summary", lang, rate=percent(org["response_rate"], lang), responses=count(org["responses"], lang),
                                invited=count(org["invited"], lang)))
    else:
        st.info(t("admin_no_headcount", lang))
    table = pd.DataFrame(
        {
            t("unit", lang): status["name"],
            t("admin_col_responses", lang): [hidden_label(w, lang) if h else str(int(n)) for n, h, w in zip(status["responses"], status["suppressed"], status["why"])],
            t("admin_col_invited", lang): status["invited"],
            t("admin_col_rate", lang): [percent(r, lang) for r in status["response_rate"]],
        }
    )
    show_chart(status_figure(status.assign(responses=status["responses"].astype("float"))), table, lang, f"{round_name}-svar", key="admin_status")
    st.dataframe(for_page(table, lang), hide_index=True, width="stretch", placeholder=NO_VALUE)


def close_or_reopen(info: api.RoundInfo) -> None:
    if info.state == "open":
        with st.form("admin_close_form"):
            st.subheader(t("admin_close_title", lang))
            sure = st.checkbox(t("admin_close_confirm", lang, round=info.name), key="admin_close_sure")
            close = st.form_submit_button(t("admin_close", lang))
        if close and not sure:
            st.warning(t("admin_close_unconfirmed", lang))
        elif close:
            api.close_round(engine, info.name)
            forget_cached_rounds()
            st.session_state["admin_notice"] = t("admin_closed", lang, round=info.name)
            st.rerun()
    else:
        st.info(t("admin_is_closed", lang))
        prepare_results(info)
        if st.button(t("admin_reopen", lang), key="admin_reopen"):
            api.reopen_round(engine, info.name)
            forget_cached_rounds()
            st.session_state["admin_notice"] = t("admin_reopened", lang, round=info.name)
            st.rerun()


def prepare_results(info: api.RoundInfo) -> None:
    """Decide the closed round and store every manager's and unit report's view of it now, so
    that nobody waits for it later (:mod:`scoring.store.prepare`; the command line does the same
    in parallel, ``samklima round prepare``)."""
    if not st.button(t("admin_prepare", lang), key="admin_prepare", help=t("admin_prepare_help", lang)):
        return
    try:
        job = api.Preparation(engine, info.name)
    except UserError as err:
        show_refusal(err, lang)
        return
    with progress_bar(t("admin_preparing", lang), job.steps) as step:
        done = job.run(workers=1, step=step)  # no forking inside the app server
    st.success(t("admin_prepared", lang, scopes=done.scopes, rounds=len(done.rounds), made=done.cut, stored=done.stored))


def new_round_form() -> None:
    instruments = data.instruments()
    titles = dict(zip(instruments["id"], instruments[f"title_{lang}"]))
    units = data.units()
    names = dict(zip(units["unit"], units["name"]))
    with st.form("admin_new_round"):
        st.subheader(t("admin_new_title", lang))
        name = st.text_input(t("admin_name", lang), help=t("admin_name_help", lang), key="admin_new_name")
        chosen = st.multiselect(
            t("admin_instruments", lang), list(titles), default=[i for i in data.STAFF_INSTRUMENTS if i in titles],
            format_func=lambda i: f"{titles[i]} ({i})", placeholder=t("admin_choose", lang), key="admin_new_instruments",
        )
        unit_ids = st.multiselect(
            t("admin_units", lang), list(names), format_func=lambda u: names[u], help=t("admin_units_help", lang),
            placeholder=t("admin_units_all", lang), key="admin_new_units",
        )
        with st.container(horizontal=True):
            opens = st.date_input(t("admin_opens", lang), value=None, format="DD.MM.YYYY", key="admin_new_opens")
            closes = st.date_input(t("admin_closes", lang), value=None, format="DD.MM.YYYY", key="admin_new_closes")
        mode = st.radio(
            t("admin_mode", lang), list(api.MODES), format_func=lambda m: t(f"admin_mode_{m}", lang),
            captions=[t(f"admin_mode_{m}_help", lang) for m in api.MODES], key="admin_new_mode",
        )
        min_n = st.number_input(t("admin_min_n", lang), min_value=3, value=5, step=1, help=t("admin_min_n_help", lang), key="admin_new_min_n")
        languages = st.multiselect(
            t("admin_languages", lang), list(LANGUAGES), default=list(LANGUAGES), format_func=LANGUAGES.get,
            placeholder=t("admin_choose", lang), key="admin_new_languages",
        )
        create = st.form_submit_button(t("admin_create", lang), type="primary")
    if create:
        try:
            info = api.create_round(
                engine, name, chosen, unit_ids or "all", opens=opens, closes=closes, mode=mode, min_n=int(min_n),
                languages=languages or None,
            )
        except UserError as err:
            show_problems(err)
            return
        forget_cached_rounds()
        st.session_state["admin_notice"] = t("admin_created", lang, round=info.name)
        st.session_state["admin_pick"] = info.name
        st.rerun()


def links_and_printouts(info: api.RoundInfo) -> None:
    units_in_round = api.round_status(engine, info.name)
    names = dict(zip(units_in_round["unit"], units_in_round["name"]))
    st.subheader(t("address_title", lang))
    if admin_accounts.address_or_refusal(engine, lang) is None:
        return  # nothing that carries an address can be made yet; the message says what to set
    st.subheader(t("admin_links_title", lang))
    if st.toggle(t("admin_links_show", lang), key="admin_links_show"):
        if info.mode == "codes":
            st.caption(t("admin_links_codes_round", lang))
        links = api.make_links(engine, info.name, base_url=api.public_base(engine))
        st.dataframe(
            pd.DataFrame({t("unit", lang): [names.get(link.unit, link.unit) for link in links], t("admin_col_link", lang): [link.url for link in links]}),
            hide_index=True, width="stretch",
            column_config={t("admin_col_link", lang): st.column_config.LinkColumn()},
        )
    st.subheader(t("admin_posters_title", lang))
    st.download_button(
        t("admin_posters", lang), lambda: printables.posters(engine, info.name), file_name=f"samklima-{info.name}-plakater.pdf",
        mime="application/pdf", key="admin_posters", icon=":material/qr_code_2:",
    )
    st.subheader(t("admin_codes_title", lang))
    st.caption(t("admin_codes_note", lang))
    with st.form("admin_codes_form"):
        unit = st.selectbox(t("admin_codes_unit", lang), list(names), format_func=names.get, key="admin_codes_unit")
        count = st.number_input(t("admin_codes_count", lang), min_value=1, max_value=10_000, value=20, step=1, key="admin_codes_count")
        make = st.form_submit_button(t("admin_codes_make", lang))
    if make:
        try:
            st.session_state["admin_slips"] = (info.name, unit, int(count), printables.code_slips(engine, info.name, unit, int(count)))
        except UserError as err:
            show_problems(err)
    slips = st.session_state.get("admin_slips")
    if slips and slips[0] == info.name:
        _, unit, count, pdf = slips
        st.success(t("admin_codes_made", lang, count=count, unit=names.get(unit, unit)))
        st.download_button(
            t("admin_codes_download", lang), pdf, file_name=f"samklima-{info.name}-{unit}-koder.pdf", mime="application/pdf",
            key="admin_codes_download", type="primary", icon=":material/download:",
        )
    st.subheader(t("admin_paper_title", lang))
    paper_unit = st.selectbox(t("admin_paper_unit", lang), list(names), format_func=names.get, key="admin_paper_unit")
    paper_lang = st.radio(t("admin_paper_language", lang), list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="admin_paper_lang")
    if paper_unit is not None:
        st.download_button(
            t("admin_paper", lang), lambda: printables.paper_form(engine, info.name, paper_unit, paper_lang),
            file_name=f"samklima-{info.name}-{paper_unit}-{paper_lang}.pdf", mime="application/pdf", key="admin_paper",
            icon=":material/description:",
        )


def headcount_upload() -> None:
    st.subheader(t("admin_headcount_title", lang))
    st.caption(t("admin_headcount_help", lang))
    with st.form("admin_headcount_form", clear_on_submit=True):
        upload = st.file_uploader(t("admin_headcount_file", lang), type=["csv", "xlsx"], key="admin_headcount_file")
        store = st.form_submit_button(t("admin_headcount_import", lang))
    if store and upload is not None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            try:
                result = api.import_headcount(engine, path, file=upload.name)
            except UserError as err:
                show_problems(err)
                return
        forget_cached_rounds()
        st.success(t("admin_headcount_done", lang, rows=result["rows"], rounds=", ".join(result["rounds"])))


st.title(t("page_admin", lang))
st.caption(t("admin_intro", lang))
notice = st.session_state.pop("admin_notice", None)
if notice:
    st.success(notice)

rounds = api.list_rounds(engine)
st.subheader(t("admin_rounds", lang))
if rounds:
    st.dataframe(for_page(rounds_table(rounds), lang), hide_index=True, width="stretch", placeholder=NO_VALUE)
else:
    st.info(t("admin_no_rounds", lang))

names = [r.name for r in reversed(rounds)]  # newest first
if "admin_pick" in st.session_state:
    st.session_state["admin_round"] = st.session_state.pop("admin_pick")
if st.session_state.get("admin_round") not in names:
    st.session_state.pop("admin_round", None)
picked = st.selectbox(t("admin_round", lang), names, key="admin_round") if names else None
info = next((r for r in rounds if r.name == picked), None)

labels = [t("admin_tab_follow", lang), t("admin_tab_new", lang), t("admin_tab_print", lang), t("admin_tab_headcount", lang)]
if principal.may_manage_accounts:
    labels += [t("admin_tab_accounts", lang), t("admin_tab_requests", lang, count=len(api.pending_requests(engine)))]
follow, new, printouts, headcount, *account_tabs = st.tabs(labels)
with follow:
    if info is not None:
        response_status(info.name)
        close_or_reopen(info)
with new:
    new_round_form()
with printouts:
    if info is not None:
        links_and_printouts(info)
with headcount:
    headcount_upload()
if account_tabs:
    all_units = data.units()
    unit_names = dict(zip(all_units["unit"], all_units["name"]))
    with account_tabs[0]:
        admin_accounts.accounts_tab(engine, lang, unit_names, show_problems)
    with account_tabs[1]:
        admin_accounts.requests_tab(engine, lang, unit_names, show_problems)
