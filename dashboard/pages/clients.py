"""Klienter / Clients: client feedback (ORS/SRS-like) at every contact, for clinicians.

Register a client by a pseudonymous id (an id that reads like a person's name is warned about,
a national identity number refused), record a contact on a tablet (four sliders at the start,
four at the end; "client mode" shows only the questions in large type), and see the course at
once: outcome total with the cut-off and the reliable-change band from intake, visit total with
its threshold, the expected course from the service's own data, and every alert in one
sentence. Administrators also see the figures per unit: the ``clients`` cells of their
publication (docs/privacy.md), rendered as they are.

Sliders start at "not answered"; a question left there is stored as missing, never as the
mid-point, and a total is only computed from a complete instrument
(:func:`scoring.feedback.clients.prepare_contacts`). Client mode is a lock on the whole app
(:mod:`dashboard.client_lock`): leaving it needs the clinician's password
(:func:`dashboard.auth.password_problem`), the unlock PIN chosen when it started (required for a
single sign-on account, which has no local password), or a log-out. It survives a refresh
(a cookie, and ``?klientmodus=1`` in the address), and a refreshed tablet shows no questions
until the clinician is back. A contact registered by mistake can be corrected or deleted with a reason
(:mod:`scoring.store.contact_corrections`).

Scope: every read and write goes through :mod:`scoring.store.caseload` and
:mod:`scoring.feedback.caseload` with the principal, so a clinician reaches only their own
clients; the page never filters.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import client_lock, data, data_feedback
from dashboard import data_store as api
from dashboard.auth import logout, password_problem, require_page
from dashboard.charts import show_chart
from dashboard.describe import NO_VALUE, for_page
from dashboard.feedback_charts import outcome_figure, visit_figure
from dashboard.i18n import t
from dashboard.problems import show_refusal
from scoring.errors import UserError
from scoring.feedback.alerts import DEFAULT_NO_CHANGE_AFTER, number
from scoring.feedback.caseload import caseload_table, client_view, unit_view
from scoring.reporting.numbers import count, percent, signed
from scoring.responses.person_name import looks_like_a_name

lang = st.session_state.get("lang", "nb")
principal = require_page("clients")

engine = data.engine()
MODE_QUERY = "klientmodus"
client_mode = client_lock.locked()
# A tablet refreshed in client mode is a new session that does not know the client: it shows
# no questions (answers must never land on another client), only the way back for the clinician.
resumed = client_mode and (not client_lock.in_session() or "clients_current" not in st.session_state)
local_password = api.has_local_password(engine, principal.username)


def set_client_mode(on: bool, pin: str | None = None) -> None:
    if on:
        client_lock.lock(pin)
        st.query_params[MODE_QUERY] = "1"
    else:
        client_lock.unlock()
        if MODE_QUERY in st.query_params:
            del st.query_params[MODE_QUERY]


# The scale's own end labels stand under each slider, so Streamlit's 0.0/10.0 tick bar goes.
# The handle (the element holding the thumb's value) is made larger for a finger on a tablet:
# 28 px for the clinician, 44 px in client mode (WCAG 2.5.5 target size).
SLIDER_CSS = """
<style>
div[data-testid="stSlider"] [data-testid="stSliderTickBar"] { display: none; }
div[data-testid="stSlider"] label { margin-bottom: 0.6rem; }
div[data-testid="stSlider"] div:has(> [data-testid="stSliderThumbValue"]) { width: 1.75rem; height: 1.75rem; }
</style>
"""
CLIENT_MODE_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
div[data-testid="stSlider"] label p { font-size: 1.6rem; line-height: 1.35; }
div[data-testid="stSlider"] label { margin-bottom: 1.6rem; }
div[data-testid="stSlider"] [data-testid="stSliderThumbValue"] p { font-size: 1.3rem; }
div[data-testid="stCaptionContainer"] p { font-size: 1.2rem; }
div[data-testid="stMarkdownContainer"] p { font-size: 1.3rem; }
div[data-testid="stSlider"] div:has(> [data-testid="stSliderThumbValue"]) { width: 2.75rem; height: 2.75rem; }
</style>
"""
st.markdown(SLIDER_CSS + (CLIENT_MODE_CSS if client_mode else ""), unsafe_allow_html=True)


def unit_names() -> dict[str, str]:
    units = data.units()
    return dict(zip(units["unit"], units["name"]))


# --- settings and the caseload ------------------------------------------------------------

# Widgets hidden in client mode lose their state, so the alert rule and the chosen client are
# also kept under plain keys ("clients_rule", "clients_current") and restored from them.
if "clients_no_change_after" not in st.session_state:
    st.session_state["clients_no_change_after"] = st.session_state.get("clients_rule", DEFAULT_NO_CHANGE_AFTER)
if not client_mode:
    st.title(t("page_clients", lang))
    st.caption(t("clients_intro", lang))
    with st.expander(t("clients_settings", lang)):
        st.number_input(t("clients_no_change_after", lang), min_value=2, max_value=30, step=1, key="clients_no_change_after")
st.session_state["clients_rule"] = int(st.session_state["clients_no_change_after"])
basis = data_feedback.service_basis(st.session_state["clients_rule"])
names = unit_names()

if not client_mode:
    with st.expander(t("clients_register", lang), expanded=False):
        with st.form("clients_register_form", clear_on_submit=True, border=False):
            new_id = st.text_input(t("clients_register_id", lang), help=t("clients_register_id_help", lang), key="clients_new_id")
            allowed = api.registration_units(engine, principal)
            new_unit = st.selectbox(
                t("clients_register_unit", lang), options=allowed, format_func=lambda u: f"{names.get(u, u)} ({u})", key="clients_new_unit"
            )  # fmt: skip
            new_clinician = None
            if principal.role != "clinician":
                new_clinician = st.text_input(t("clients_register_clinician", lang), key="clients_new_clinician")
            if st.form_submit_button(t("clients_register_submit", lang)):
                try:
                    done = api.register_client(engine, principal, client=new_id, unit=new_unit, clinician=new_clinician)
                except UserError as err:
                    show_refusal(err, lang, t("clients_register_failed", lang))
                else:
                    st.session_state["clients_current"] = f"{done.unit}\x1f{done.client}"
                    st.session_state.pop("clients_selected", None)
                    st.session_state["clients_just_registered"] = (done.client, done.unit)
    # Said until the first contact is saved, so that a rerun (the caseload's choice, the
    # client-mode cookie) does not take the confirmation away before it is read; under the
    # expander, not in it, since a rerun that draws the expander anew closes it.
    registered = st.session_state.get("clients_just_registered")
    if registered:
        st.success(t("clients_registered", lang, client=registered[0], unit=names.get(registered[1], registered[1])))
        if looks_like_a_name(registered[0]):
            st.warning(t("clients_name_warning", lang, client=registered[0]))


def unlock_problem(secret: str) -> str | None:
    """None if ``secret`` is the PIN chosen for this session or the clinician's password, else
    the message to show. A wrong PIN counts (dashboard.client_lock.MAX_PIN_TRIES); a password is
    checked like a login, so guesses count towards the account's lockout."""
    with_pin = client_lock.has_pin()
    if with_pin and client_lock.pin_is_valid(secret) and client_lock.pin_matches(secret):
        return None
    if local_password:
        problem = password_problem(principal, secret, lang)
        return problem if problem is None or not with_pin else t("clients_mode_wrong_pin", lang)
    if with_pin and not client_lock.pin_is_valid(secret):
        client_lock.pin_matches(secret)  # a wrong PIN all the same: it counts
    return t("clients_mode_wrong_pin" if client_lock.has_pin() else "clients_mode_pin_gone", lang)


def leave_client_mode() -> None:
    """The clinician's way back to the caseload: their own password or this session's PIN."""
    st.divider()
    st.caption(t("clients_mode_leave_title", lang))
    with_pin = client_lock.has_pin()
    if with_pin or local_password:
        label = "clients_mode_password_or_pin" if with_pin and local_password else "clients_mode_pin" if with_pin else "clients_mode_password"
        with st.form("clients_leave_form", clear_on_submit=True):
            secret = st.text_input(t(label, lang), type="password", key="clients_leave_password")
            leave = st.form_submit_button(t("clients_mode_leave", lang))
        if leave:
            problem = unlock_problem(secret)
            if problem:
                st.error(problem)
            else:
                set_client_mode(False)
                st.rerun()
    else:
        st.caption(t("clients_mode_logout_only", lang))
    # The other way out, for a single sign-on account after a refresh (the PIN is gone with the
    # session): log out, so the caseload needs a new login.
    st.button(t("logout", lang), on_click=log_out_of_client_mode, key="clients_mode_logout")
    st.stop()


def log_out_of_client_mode() -> None:
    set_client_mode(False)
    logout()


if resumed:
    st.info(t("clients_mode_resumed", lang))
    leave_client_mode()

clients = api.list_clients(engine, principal)
if clients.empty:
    st.info(t("clients_none", lang))
    st.stop()

options = [f"{u}\x1f{c}" for u, c in zip(clients["unit"], clients["client"])]
counts = dict(zip(options, clients["contacts"]))
just_saved = st.session_state.pop("clients_last_saved", None)
current = st.session_state.get("clients_current")
if st.session_state.get("clients_selected") not in options:
    st.session_state["clients_selected"] = current if current in options else options[0]
top = st.columns([3, 2], vertical_alignment="bottom")
with top[0]:
    if client_mode:
        selected = st.session_state["clients_selected"]
    else:
        selected = st.selectbox(
            t("clients_choose", lang), options=options, key="clients_selected",
            format_func=lambda o: t("clients_option", lang, client=o.split("\x1f")[1], unit=names.get(o.split("\x1f")[0], o.split("\x1f")[0])),
        )  # fmt: skip
if not client_mode:
    with top[1]:
        pin = st.text_input(
            t("clients_mode_pin_choose" if local_password else "clients_mode_pin_required", lang), type="password", max_chars=8,
            help=t("clients_mode_pin_help", lang), key="clients_mode_pin", autocomplete="off",
        )  # fmt: skip
        start = st.button(t("clients_mode_start", lang), help=t("clients_mode_start_help", lang), key="clients_mode_start")
    if start:
        if (pin or not local_password) and not client_lock.pin_is_valid(pin):
            st.error(t("clients_mode_pin_invalid", lang))
        else:
            set_client_mode(True, pin or None)
            st.session_state.pop("clients_mode_pin", None)
            st.session_state.pop("clients_just_registered", None)
            st.rerun()
st.session_state["clients_current"] = selected
unit, client = selected.split("\x1f")
next_contact = int(counts[selected]) + 1

# --- record a contact ---------------------------------------------------------------------

settings = basis.settings


def anchor(rs, code) -> str:
    """The label of an end of the response scale ("Svært dårlig", "Svært bra"), if it has one."""
    text = rs.labels.get(code)
    return text.get(lang, text["nb"]) if text else ""


def slider_options(rs) -> list[float | None]:
    """``None`` ("not answered") and then every value of the scale from its minimum in steps."""
    step = float(rs.step or 0.1)
    count = int(round((rs.max - rs.min) / step))
    return [None, *(round(rs.min + i * step, 10) for i in range(count + 1))]


def slider_text(value: float | None) -> str:
    return t("clients_slider_none", lang) if value is None else number(value, lang)


def sliders(instrument, heading: str, *, prefix: str = "clients", start: dict | None = None) -> dict[str, float | None]:
    """The instrument's four 0-10 items as sliders, with the scale's end labels under each.

    A slider starts at "not answered" (``None``, before the scale's minimum) or at ``start``'s
    stored value: Streamlit's own slider always holds a number, and an untouched mid-point
    must never be stored as an answer."""
    st.subheader(f"{heading}: {instrument.title.get(lang, instrument.title['nb'])}")
    if client_mode:
        st.markdown(instrument.instructions.get(lang, instrument.instructions["nb"]))
    st.caption(t("clients_slider_hint", lang))
    values = {}
    for item in instrument.items:
        rs = instrument.response_scale_of(item.id)
        values[item.id] = st.select_slider(
            item.text.get(lang, item.text["nb"]), options=slider_options(rs), value=(start or {}).get(item.id),
            format_func=slider_text, key=f"{prefix}_{item.id}",
        )  # fmt: skip
        left, right = st.columns(2)
        left.caption(anchor(rs, rs.min))
        right.caption(anchor(rs, rs.max), text_alignment="right")
    return values


# For the clinician the questions sit in an expander that closes once a contact is saved, so
# the course with the new scores is in view at once.
holder = st.container() if client_mode else st.expander(
    t("clients_new_contact", lang, contact=next_contact), expanded=just_saved is None, icon=":material/edit_note:"
)  # fmt: skip
with holder, st.form("clients_contact_form", clear_on_submit=True, border=not client_mode):
    if client_mode:
        contact_date = dt.date.today()
    else:
        contact_date = st.date_input(
            t("clients_date", lang), value=dt.date.today(), max_value=dt.date.today(), format="DD.MM.YYYY", key="clients_date", width=200
        )  # fmt: skip
    answers = sliders(settings.outcome, t("clients_at_start", lang))
    st.divider()
    answers |= sliders(settings.visit, t("clients_at_end", lang))
    saved = st.form_submit_button(t("clients_save", lang), type="primary", width="stretch")

if saved:
    try:
        number_saved = api.record_contact(engine, principal, unit=unit, client=client, answers=answers, date=contact_date)
    except UserError as err:
        show_refusal(err, lang, t("clients_save_failed", lang))
    else:
        st.session_state["clients_last_saved"] = (selected, number_saved)
        st.session_state.pop("clients_just_registered", None)
        st.rerun()

if just_saved and just_saved[0] == selected:
    st.success(t("clients_saved_client_mode" if client_mode else "clients_saved", lang, contact=just_saved[1]))
if client_mode:
    leave_client_mode()

# --- the course ---------------------------------------------------------------------------

view = client_view(engine, principal, unit, client, basis, lang=lang)
st.header(t("clients_course", lang, client=client))
if view is None:
    st.info(t("clients_no_contacts", lang))
else:
    course = view.course
    category = view.reliable_change
    cols = st.columns([1, 1, 1, 2])
    cols[0].metric(t("clients_intake", lang), number(course["intake"], lang))
    cols[1].metric(t("clients_last", lang), number(course["last"], lang))
    cols[2].metric(t("clients_change", lang), number(course["change"], lang))
    cols[3].metric(
        t("clients_rc", lang), t(f"clients_rc_{category or 'none'}", lang),
        help=t("clients_rc_value", lang, rc=number(view.rc_from_intake, lang, 2)) if category else None,
    )  # fmt: skip

    last_contact = int(view.table["contact"].max())
    alerts = view.alerts
    latest = alerts[alerts["contact"] == last_contact]
    earlier = alerts[alerts["contact"] != last_contact].sort_values("contact", ascending=False, kind="stable")

    def alert_line(row) -> str:
        return t("clients_alert_line", lang, title=t(f"clients_alert_{row.kind}", lang), contact=int(row.contact), message=row.message)

    st.subheader(t("clients_alerts", lang, contact=last_contact))
    if latest.empty:
        st.success(t("clients_no_alerts", lang))
    for row in latest.itertuples(index=False):
        st.warning(alert_line(row), icon=":material/notifications:")
    if not earlier.empty:
        with st.expander(t("clients_earlier_alerts", lang, n=len(earlier))):
            st.markdown("\n".join(f"- {alert_line(row)}" for row in earlier.itertuples(index=False)))

    table = view.to_frame()
    table["date"] = table["date"].dt.date
    show_chart(outcome_figure(view, lang), table, lang, f"klient-{client}-hverdagen", key="clients_outcome")
    rel = view.reliability
    source = rel.rxx_source if rel.rxx_source == rel.sd_source else rel.source
    source_text = next((t(f"clients_source_{k}", lang) for k in ("instrument", "intake", "given") if source.startswith(k)), source)
    st.caption(t(
        "clients_chart_note", lang, rxx=number(rel.rxx, lang, 2), sd=number(rel.sd, lang), source=source_text,
        cutoff=number(view.bands["cutoff"], lang, 0),
    ))  # fmt: skip
    st.caption(basis.expected_for(unit).basis(lang))
    show_chart(visit_figure(view, lang), table, lang, f"klient-{client}-samtalen", key="clients_visit")

# --- correcting or deleting a contact registered by mistake ------------------------------


def correction_section() -> None:
    """Choose a contact, correct its answers and date or delete it, with a reason; the
    corrections made so far are listed (:mod:`scoring.store.contact_corrections`)."""
    contacts = api.read_caseload(engine, principal, unit=unit, client=client)
    history = api.list_corrections(engine, principal, unit=unit, client=client)
    done = st.session_state.pop("clients_fix_done", None)
    if done:
        st.success(done)
    if contacts.empty and history.empty:
        return
    with st.expander(t("clients_fix_title", lang), icon=":material/edit:"):
        if not contacts.empty:
            correction_form(contacts)
        if not history.empty:
            st.markdown(f"**{t('clients_fix_history', lang)}**")
            st.dataframe(pd.DataFrame({
                t("clients_fix_contact", lang): history["contact"],
                t("clients_fix_col_action", lang): history["action"].map(lambda a: t(f"clients_fix_action_{a}", lang)),
                t("clients_fix_col_on", lang): history["corrected_on"],
                t("clients_fix_col_by", lang): history["corrected_by"],
                t("clients_fix_col_reason", lang): history["reason"],
            }), hide_index=True, width="stretch")  # fmt: skip


def correction_form(contacts: pd.DataFrame) -> None:
    """The chosen contact's answers and date to correct, or its deletion, with the reason."""
    numbers = [int(c) for c in contacts["contact"]]
    left, right = st.columns([1, 3])
    # The newest contact is chosen whenever the client or their contacts change (a new key).
    chosen = left.selectbox(t("clients_fix_contact", lang), numbers, index=len(numbers) - 1,
                            key=f"clients_fix_contact_{unit}_{client}_{len(numbers)}_{numbers[-1]}")
    action = right.radio(t("clients_fix_action", lang), ["correct", "delete"], horizontal=True, key="clients_fix_action",
                         format_func=lambda a: t(f"clients_fix_{a}", lang))
    row = contacts[contacts["contact"] == chosen].iloc[0]
    stored = {i: None if pd.isna(row[i]) else float(row[i]) for i in [*settings.outcome.item_ids, *settings.visit.item_ids]}
    answers: dict = {}
    with st.form(f"clients_fix_form_{chosen}_{action}", border=False):
        if action == "correct":
            when = st.date_input(t("clients_date", lang), value=row["date"].date(), max_value=dt.date.today(), format="DD.MM.YYYY",
                                 key=f"clients_fix_date_{chosen}", width=200)
            prefix = f"clients_fix_{chosen}"
            answers = sliders(settings.outcome, t("clients_at_start", lang), prefix=prefix, start=stored)
            answers |= sliders(settings.visit, t("clients_at_end", lang), prefix=prefix, start=stored)
        reason = st.text_input(t("clients_fix_reason", lang), help=t("clients_fix_reason_help", lang), max_chars=500,
                               key=f"clients_fix_reason_{chosen}_{action}")
        label = "clients_fix_save" if action == "correct" else "clients_fix_delete_button"
        submitted = st.form_submit_button(t(label, lang), type="primary")
    if submitted:
        try:
            if action == "correct":
                api.correct_contact(engine, principal, unit=unit, client=client, contact=chosen, answers=answers, date=when, reason=reason)
            else:
                api.delete_contact(engine, principal, unit=unit, client=client, contact=chosen, reason=reason)
        except UserError as err:
            show_refusal(err, lang, t("clients_fix_failed", lang))
        else:
            st.session_state["clients_fix_done"] = t(f"clients_fix_{'corrected' if action == 'correct' else 'deleted'}", lang, contact=chosen)
            st.rerun()


correction_section()

# --- the caseload and, for administrators, the units ---------------------------------------

st.header(t("clients_caseload", lang))
overview = caseload_table(engine, principal, basis, lang=lang)
if not overview.empty:
    shown = pd.DataFrame({
        t("clients_col_client", lang): overview["client"],
        t("clients_col_unit", lang): overview["unit"].map(lambda u: names.get(u, u)),
        t("clients_col_contacts", lang): overview["contacts"],
        t("clients_col_last_date", lang): overview["last_date"].dt.date,
        t("clients_col_intake", lang): overview["intake"].map(lambda v: number(v, lang, 1)),
        t("clients_col_last", lang): overview["last"].map(lambda v: number(v, lang, 1)),
        t("clients_col_change", lang): overview["change"].map(lambda v: signed(v, lang, 1)),
        t("clients_col_rc", lang): overview["reliable_change"].map(lambda c: t(f"clients_rc_{c if isinstance(c, str) else 'none'}", lang)),
        t("clients_col_alerts", lang): overview["alerts"].map(lambda kinds: ", ".join(t(f"clients_alert_{k}", lang) for k in kinds)),
    })  # fmt: skip
    st.dataframe(for_page(shown, lang), hide_index=True, width="stretch", placeholder=NO_VALUE)

if principal.role == "admin":
    st.header(t("clients_units", lang))
    # The figures are cells of the publication (scoring.feedback.caseload.unit_view): the page
    # formats them and says why a hidden one is hidden; it counts nothing itself.
    units_view = unit_view(engine, principal, basis)
    if units_view is not None:
        published = units_view.published()
        figures = {
            "clients": count, "contacts_per_client": lambda v, lang: number(v, lang, 1), "intake_mean": lambda v, lang: number(v, lang, 1),
            "mean_change": lambda v, lang: signed(v, lang, 1), "share_improved": percent, "share_unchanged": percent,
            "share_deteriorated": percent, "share_above_cutoff": percent, "share_low_visit": percent, "share_dropout": percent,
        }  # fmt: skip
        names["*"] = t("organisation", lang)
        hidden = published["why"].map(lambda why: t("too_few" if why == "below_min_n" else "hidden_protects", lang))
        out = pd.DataFrame({t("unit", lang): published["unit"].map(lambda u: names[u] if u == "*" else f"{names.get(u, u)} ({u})")})
        for column, fmt in figures.items():
            values = published[column].map(lambda v, f=fmt: f(v, lang))
            out[t(f"clients_u_{column}", lang)] = values.where(~published["suppressed"], hidden)
        st.caption(t("clients_units_note", lang, min_n=units_view.min_n))
        st.dataframe(out, hide_index=True, width="stretch")
