"""Mine enheter / My units: the first page after login for a manager, and the coordinator's round.

A manager sees, per own unit and for the newest round with results: the response rate, each
scale with its interval and the change since the previous round (flagged only beyond chance),
the clearest strengths and areas to work on, the unit's actions with the next round's value of
their scale, links into the detail pages for that unit and the unit report (PDF). An admin or a
coordinator sees the running round (a coordinator nothing else): response rate per unit with headcount, units under
``min_n``, reminders to send and rounds to close. Numbers: :mod:`dashboard.data_landing`
(:mod:`scoring.reporting.landing`); this page only words and lays out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_landing, view_state
from dashboard.auth import current_principal
from dashboard.describe import change_from_previous, hidden_label, interval
from dashboard.i18n import t
from dashboard.pages_registry import PAGES
from dashboard.scale_list import NARROW
from scoring.reporting.numbers import count, number, percent

# On a phone the scale table leaves out n (the unit's answers stand above it) and draws tighter,
# so that scale, mean, the organisation and the change fit 360 px without scrolling sideways.
PHONE_CSS = f"""<style>
@media (max-width: {NARROW}px) {{
  div[class*='st-key-landing_scales_'] table tr > :nth-child(2) {{ display: none; }}
  div[class*='st-key-landing_scales_'] table {{ font-size: 0.85rem; }}
  div[class*='st-key-landing_scales_'] table th, div[class*='st-key-landing_scales_'] table td {{ padding: 0.35rem 0.3rem; }}
  div[class*='st-key-landing_scales_'] table tr > :first-child {{ max-width: 6.5rem; overflow-wrap: anywhere; }}
}}
</style>"""

lang = st.session_state.get("lang", "nb")
principal = current_principal()
if principal is None or not principal.may_open("landing"):
    st.error(t("no_access", lang))
    st.stop()

st.title(t("page_landing", lang))
names = data_landing.scale_names(lang)


def coordinator_section() -> None:
    view = data_landing.coordinator(principal)
    if view.rounds_to_close:
        st.warning(t("landing_to_close", lang, list=", ".join(view.rounds_to_close)))
    if view.round is None or view.units.empty:
        st.info(t("landing_no_running", lang))
        return
    st.subheader(t("landing_coordinator", lang, round=view.round))
    frame = view.units
    small = frame.loc[frame["below_min_n"], "name"].tolist()
    remind = frame.loc[frame["remind"], "name"].tolist()
    if small:
        st.markdown(t("landing_below_min_n", lang, min_n=view.min_n, list=", ".join(small)))
    if remind:
        st.markdown(t("landing_remind", lang, list=", ".join(remind)))
    why = frame["why"].map(lambda w: hidden_label(w, lang))
    st.dataframe(pd.DataFrame({
        t("unit", lang): frame["name"],
        t("landing_col_responses", lang): frame["responses"].map(lambda n: count(n, lang)).where(~frame["suppressed"], why),
        t("landing_col_invited", lang): frame["invited"].map(lambda n: count(n, lang)),
        t("landing_rate", lang): frame["response_rate"].map(lambda r: percent(r, lang)).where(~frame["suppressed"], why),
    }), hide_index=True, width="stretch")


def action_table(actions: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for a in actions.itertuples():
        next_value = "–"
        if a.next_round is not None and pd.notna(a.next_mean):
            next_value = f"{number(a.next_mean, lang)} ({a.next_round})"
        elif a.next_round is not None:
            next_value = hidden_label(a.next_why, lang)
        rows.append({t("plans_action", lang): a.what, t("plans_scale", lang): names.get(a.scale, a.scale),
                     t("plans_owner", lang): a.owner, t("plans_status", lang): t(f"action_status_{a.status}", lang),
                     t("plans_round", lang): a.round, t("plans_then", lang): number(a.then_mean, lang),
                     t("plans_next", lang): next_value,
                     t("plans_change", lang): change_from_previous(a.change_reading, a.change, a.change_low, a.change_high, lang)})
    return pd.DataFrame(rows)


def unit_section(land) -> None:
    st.subheader(land.name)
    r = land.responses
    left, right = st.columns(2)
    left.metric(t("landing_answered", lang), hidden_label(r["why"], lang) if r["suppressed"] else count(r["responses"], lang))
    if not r["suppressed"] and r["response_rate"] is not None:
        right.metric(t("landing_rate", lang), percent(r["response_rate"], lang),
                     help=t("landing_rate_of", lang, n=count(r["responses"], lang), invited=count(r["invited"], lang)))
    scales = land.scales
    why = scales["why"].map(lambda w: hidden_label(w, lang))
    change_head = t("landing_col_change", lang, round=land.previous_round) if land.previous_round else t("landing_col_change_none", lang)
    table = pd.DataFrame({
        t("landing_col_scale", lang): scales["scale"].map(names),
        t("n", lang): scales["n"].map(lambda n: count(n, lang)).where(~scales["suppressed"], why),
        t("landing_col_mean", lang): pd.Series([f"{number(s.mean, lang)} ({interval(s.ci_low, s.ci_high, lang)})"
                                                for s in scales.itertuples()]).where(~scales["suppressed"], why),
        t("landing_col_org", lang): scales["org_mean"].map(lambda m: number(m, lang)),
        change_head: [change_from_previous(s.change_reading, s.change, s.change_low, s.change_high, lang) for s in scales.itertuples()],
    })
    with st.container(key=f"landing_scales_{land.unit}"):  # PHONE_CSS
        st.table(table.set_index(t("landing_col_scale", lang)))
    if land.strengths:
        st.success(t("landing_strengths", lang, list=", ".join(names[s] for s in land.strengths)))
    if land.areas:
        st.warning(t("landing_areas", lang, list=", ".join(names[s] for s in land.areas)))
    if not land.strengths and not land.areas:
        st.info(t("landing_no_standouts", lang))
    st.markdown(f"**{t('landing_actions', lang)}**")
    if land.actions.empty:
        st.caption(t("landing_no_actions", lang))
    else:
        st.table(action_table(land.actions).set_index(t("plans_action", lang)))  # static: the few actions, wrapped
    links = st.columns(5)
    links[0].caption(t("landing_details", lang))
    for column, key in zip(links[1:], ("compare", "trends", "items", "plans")):
        if principal.may_open(key):
            column.page_link(PAGES[key].file, label=t(PAGES[key].title, lang),
                             query_params={view_state.QUERY["unit"]: land.unit, view_state.QUERY["round"]: land.round})
    report_key = f"landing_report_{land.unit}"
    if st.button(t("landing_make_report", lang), key=f"make_{report_key}"):
        st.session_state[report_key] = data_landing.report_pdf(principal, land.unit, land.round, lang)
    if report_key in st.session_state:
        pdf = st.session_state[report_key]  # drawn by scoring.formats.unit_report_pdf
        st.download_button(t("landing_report", lang), pdf, file_name=f"samklima-{land.round}-{land.unit}.pdf",
                           mime="application/pdf", key=f"download_{report_key}")


if principal.role in ("admin", "coordinator"):
    coordinator_section()
if principal.role == "coordinator":
    st.stop()  # a coordinator follows response rates; scores are for managers and researchers
# The round chosen on another page (or in the address) if it has results, else the newest with results.
with_results = data.result_round_names(principal)
round_name = view_state.pick(view_state.asked("round"), view_state.remembered("round"), with_results, data_landing.latest_round(principal))
view_state.keep("round", round_name)
if round_name is None:
    st.info(t("landing_no_results", lang))
    st.stop()
lands = data_landing.landings(principal, round_name)
if not lands:
    if principal.role != "admin":
        st.info(t("landing_no_units", lang))
    st.stop()
st.caption(t("landing_intro", lang, round=round_name, min_n=data.round_min_n(round_name)))
st.html(PHONE_CSS)
for land in lands:
    unit_section(land)
