"""Klienter / Clients: client feedback (ORS/SRS-like) at every contact, for clinicians.

Register a client by a pseudonymous id, record a contact on a tablet (four sliders at the start,
four at the end; "client mode" shows only the questions in large type), and see the course at
once: outcome total with the cut-off and the reliable-change band from intake, visit total with
its threshold, the expected course from the service's own data, and every alert in one
sentence. Administrators also see the figures per unit, suppressed below min_n.

Scope: every read and write goes through :mod:`scoring.store.caseload` and
:mod:`scoring.feedback.caseload` with the principal, so a clinician reaches only their own
clients; the page never filters.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import data, data_feedback
from dashboard import data_store as api
from dashboard.auth import require_page
from dashboard.charts import show_chart
from dashboard.describe import for_page
from dashboard.feedback_charts import outcome_figure, visit_figure
from dashboard.i18n import t
from dashboard.problems import show_refusal
from scoring.errors import UserError
from scoring.feedback.alerts import DEFAULT_NO_CHANGE_AFTER, number
from scoring.feedback.caseload import caseload_table, client_view, unit_view
from scoring.privacy import DEFAULT_MIN_N
from scoring.reporting.numbers import count, percent, signed

lang = st.session_state.get("lang", "nb")
principal = require_page("clients")

engine = data.engine()
client_mode = st.session_state.get("clients_client_mode", False)

# The scale's own end labels stand under each slider, so Streamlit's 0.0/10.0 tick bar goes.
SLIDER_CSS = """
<style>
div[data-testid="stSlider"] [data-testid="stSliderTickBar"] { display: none; }
div[data-testid="stSlider"] label { margin-bottom: 0.6rem; }
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
                    st.success(t("clients_registered", lang, client=done.client, unit=names.get(done.unit, done.unit)))

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
with top[1]:
    st.toggle(t("clients_client_mode", lang), key="clients_client_mode", help=t("clients_client_mode_help", lang))
st.session_state["clients_current"] = selected
unit, client = selected.split("\x1f")
next_contact = int(counts[selected]) + 1

# --- record a contact ---------------------------------------------------------------------

settings = basis.settings


def anchor(rs, code) -> str:
    """The label of an end of the response scale ("Svært dårlig", "Svært bra"), if it has one."""
    text = rs.labels.get(code)
    return text.get(lang, text["nb"]) if text else ""


def sliders(instrument, heading: str) -> dict[str, float]:
    """The instrument's four 0-10 items as sliders, with the scale's end labels under each."""
    st.subheader(f"{heading}: {instrument.title.get(lang, instrument.title['nb'])}")
    if client_mode:
        st.markdown(instrument.instructions.get(lang, instrument.instructions["nb"]))
    values = {}
    for item in instrument.items:
        rs = instrument.response_scale_of(item.id)
        values[item.id] = st.slider(
            item.text.get(lang, item.text["nb"]), min_value=float(rs.min), max_value=float(rs.max),
            value=float(rs.min + rs.max) / 2, step=float(rs.step or 0.1), format="%.1f", key=f"clients_{item.id}",
        )  # fmt: skip
        left, right = st.columns(2)
        left.caption(anchor(rs, rs.min))
        right.caption(anchor(rs, rs.max), text_alignment="right")
    # A slider always has a value, so a form the client did not fill in must be said, or the
    # untouched mid-points would be stored as answers.
    if not client_mode and st.checkbox(t("clients_not_answered", lang), key=f"clients_skip_{instrument.id}"):
        return {}
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
        st.rerun()

if just_saved and just_saved[0] == selected:
    st.success(t("clients_saved_client_mode" if client_mode else "clients_saved", lang, contact=just_saved[1]))
if client_mode:
    st.stop()

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
    st.dataframe(for_page(shown, lang), hide_index=True, width="stretch")

if principal.role == "admin":
    st.header(t("clients_units", lang))
    min_n = st.number_input(t("clients_min_n", lang), min_value=3, max_value=50, value=DEFAULT_MIN_N, step=1, key="clients_min_n")
    units_view = unit_view(engine, principal, basis, min_n=int(min_n))
    if units_view is not None:
        published = units_view.published()
        figures = {
            "clients": count, "contacts": count, "intake_mean": lambda v, lang: number(v, lang, 1),
            "mean_change": lambda v, lang: signed(v, lang, 1), "share_improved": percent, "share_unchanged": percent,
            "share_deteriorated": percent, "share_above_cutoff": percent, "share_low_visit": percent, "share_dropout": percent,
        }  # fmt: skip
        out = pd.DataFrame({t("unit", lang): published["unit"].map(lambda u: f"{names.get(u, u)} ({u})")})
        for column, fmt in figures.items():
            values = published[column].map(lambda v, f=fmt: f(v, lang))
            out[t(f"clients_u_{column}", lang)] = values.where(~published["suppressed"], t("too_few", lang))
        st.caption(t("clients_units_note", lang, min_n=int(min_n)))
        st.dataframe(out, hide_index=True, width="stretch")
