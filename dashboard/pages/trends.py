"""Utvikling / Trends: each unit's mean of one scale across rounds with its 95% CI; a change
from the previous round is flagged only when its 95% CI excludes 0.

Numbers: the principal's publication via :func:`dashboard.data.trends`
(:func:`scoring.reporting.comparison.trends`: each round's published cells, Welch CI of each change).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_compare, view_state
from dashboard.auth import require_page
from dashboard.charts import show_chart
from dashboard.describe import change_from_previous, difference, hidden_label, interval
from dashboard.i18n import t
from dashboard.unit_charts import MAX_PANELS, table_height, trend_panels
from dashboard.unit_filter import choose_units, requested_unit
from scoring.reporting.numbers import number

lang = st.session_state.get("lang", "nb")
principal = require_page("trends")
requested = requested_unit(principal, lang)  # before any data is read

st.title(t("page_trends", lang))
st.caption(t("trends_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("no_data", lang))
    st.stop()
if len(rounds) == 1:
    st.info(t("trends_one_round", lang))
scales = dict(data_compare.staff_scales())
scale_id = view_state.select("scale", t("trends_scale", lang), list(scales), key="trends_scale", format_func=lambda s: scales[s][lang])

table = data.trends(principal, scale_id)
if table.empty:
    st.info(t("unit_filter_none", lang))
    st.stop()
tree = data.units()
frame = tree[tree["unit"].isin(set(table["unit"]))]  # the scoped units, in tree order
units, labels = choose_units(frame, lang, "trends", requested)
if not units:
    st.info(t("unit_filter_none", lang))
    st.stop()
rows = table[table["unit"].isin(units)].copy()
rows["order"] = rows["unit"].map({u: i for i, u in enumerate(units)})
rows = rows.sort_values(["order", "round"]).drop(columns="order").reset_index(drop=True)
rows["change_words"] = [
    change_from_previous(r.change_reading, r.change, r.change_low, r.change_high, lang) for r in rows.itertuples()
]
too_few = rows["why"].map(lambda w: hidden_label(w, lang))
hidden = rows["suppressed"].to_numpy()

st.subheader(t("trends_chart_title", lang, scale=scales[scale_id][lang]))
st.caption(t("suppression_note", lang, min_n=" / ".join(sorted({str(data.round_min_n(r)) for r in rounds}))))
if len(units) > MAX_PANELS:
    st.warning(t("trends_too_many", lang, shown=MAX_PANELS, total=len(units)))
download = pd.DataFrame({
    t("compare_col_unit_id", lang): rows["unit"],
    t("unit", lang): rows["name"],
    t("round", lang): rows["round"],
    t("n", lang): rows["n"].astype(object).where(~hidden, too_few),
    t("mean", lang): rows["mean"].round(3).astype(object).where(~hidden, too_few),
    t("compare_col_ci_low", lang): rows["ci_low"].round(3),
    t("compare_col_ci_high", lang): rows["ci_high"].round(3),
    t("trends_col_change_value", lang): rows["change"].astype(float).round(3),
    t("trends_col_change_low", lang): rows["change_low"].astype(float).round(3),
    t("trends_col_change_high", lang): rows["change_high"].astype(float).round(3),
    t("trends_col_change", lang): rows["change_words"],
})
show_chart(trend_panels(rows, units, labels, rounds, lang), download, lang, f"utvikling-{scale_id}", "trends_units")
mean_ci = [f"{number(r.mean, lang)} ({interval(r.ci_low, r.ci_high, lang)})" for r in rows.itertuples()]
st.dataframe(
    pd.DataFrame({
        t("unit", lang): rows["name"],
        t("round", lang): rows["round"],
        t("n", lang): rows["n"].map(str).where(~hidden, "–"),
        t("trends_col_mean_ci", lang): pd.Series(mean_ci).where(~hidden, too_few),
        t("trends_col_change", lang): rows["change_reading"].map(lambda r: t(f"trends_reading_{r}", lang) if isinstance(r, str) else "–"),
        t("trends_col_change_ci", lang): [difference(r.change, r.change_low, r.change_high, lang) for r in rows.itertuples()],
    }),
    hide_index=True,
    width="stretch",
    height=table_height(len(rows)),
    column_config={
        t("unit", lang): st.column_config.TextColumn(width=240), t("round", lang): st.column_config.TextColumn(width=65),
        t("n", lang): st.column_config.TextColumn(width=55), t("trends_col_mean_ci", lang): st.column_config.TextColumn(width=150),
        t("trends_col_change", lang): st.column_config.TextColumn(width=150),
    },
)
