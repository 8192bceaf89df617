"""Oversikt / Overview: every round with its state and totals, then one round's responses and
response rate per unit (invited headcount as denominator) within the principal's units.

Numbers: the principal's publication (response-count cells) via
:func:`dashboard.data_compare.response_rates` (:func:`scoring.reporting.participation.response_rates`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_compare, view_state
from dashboard.auth import require_page
from dashboard.charts import show_chart
from dashboard.describe import hidden_label
from dashboard.i18n import t
from dashboard.unit_charts import rate_bars, table_height
from dashboard.unit_filter import choose_units, requested_unit
from scoring.reporting.numbers import count, percent

lang = st.session_state.get("lang", "nb")
principal = require_page("overview")
requested = requested_unit(principal, lang)  # before any data is read

st.title(t("page_overview", lang))
st.caption(t("overview_intro", lang))

rounds = data.rounds()
if rounds.empty:
    st.info(t("overview_no_rounds", lang))
    st.stop()


def state(value: str) -> str:
    return t(f"overview_state_{value}", lang) if value in ("open", "closed") else value


st.subheader(t("overview_rounds", lang))
totals = []
for r in rounds.itertuples():
    # The round totals are the organisation's published response count (the publication may
    # withhold it: below min_n, or where it would isolate a unit outside the viewer's scope).
    org = data_compare.response_rates(principal, r.name).organisation
    hidden_text = hidden_label(org["why"], lang)
    totals.append({
        t("overview_round", lang): r.name,
        t("overview_state", lang): state(r.state),
        t("overview_opens", lang): "–" if pd.isna(r.opens) or not r.opens else r.opens,  # a round without dates
        t("overview_closes", lang): "–" if pd.isna(r.closes) or not r.closes else r.closes,
        t("overview_responses", lang): hidden_text if org["suppressed"] else count(org["responses"], lang),
        t("overview_invited", lang): count(r.invited, lang),
        t("overview_rate", lang): hidden_text if org["suppressed"] else percent(org["response_rate"], lang),
    })
st.dataframe(pd.DataFrame(totals), hide_index=True, width="stretch")
st.caption(t("overview_rounds_note", lang))

names = list(rounds["name"])
round_name = view_state.select_round(principal, t("overview_round", lang), names, key="overview_round")
rates = data_compare.response_rates(principal, round_name)
frame = rates.units
this = rounds[rounds["name"] == round_name].iloc[0]
st.subheader(t("overview_round_heading", lang, round=round_name, state=state(this["state"])))
org = rates.organisation
if not org["suppressed"]:
    if org["invited"]:
        st.markdown(t("overview_round_summary", lang, responses=count(org["responses"], lang), invited=count(org["invited"], lang),
                      rate=percent(org["response_rate"], lang)))
    else:
        st.markdown(t("overview_round_summary_no_headcount", lang, responses=count(org["responses"], lang)))
st.caption(t("overview_suppression_note", lang, min_n=rates.min_n))
if frame.empty:
    st.info(t("unit_filter_none", lang))
    st.stop()

units, labels = choose_units(frame, lang, "overview", requested)
rows = frame.set_index("unit").loc[units].reset_index()
too_few = rows["why"].map(lambda w: hidden_label(w, lang))
hidden = rows["suppressed"].to_numpy()
download = pd.DataFrame({
    t("unit", lang): rows["name"],
    t("overview_responses", lang): rows["responses"].astype(object).where(~hidden, too_few),
    t("overview_invited", lang): rows["invited"],
    t("overview_rate_pct", lang): (100 * rows["response_rate"]).round(1).astype(object).where(~hidden, too_few),
})
show_chart(rate_bars(rows, labels, lang), download, lang, f"svarprosent-{round_name}", "overview_rates")
st.dataframe(
    pd.DataFrame({
        t("unit", lang): [labels[u] for u in rows["unit"]],
        t("overview_responses", lang): rows["responses"].map(lambda v: count(v, lang)).where(~hidden, too_few),
        t("overview_invited", lang): rows["invited"].map(lambda v: count(v, lang)),
        t("overview_rate", lang): rows["response_rate"].map(lambda v: percent(v, lang)).where(~hidden, too_few),
    }),
    hide_index=True,
    width="stretch",
    height=table_height(len(rows)),
)
