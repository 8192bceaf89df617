"""Utvikling / Trends: each unit's mean of one scale across rounds with its 95% CI; a change
from the previous round is flagged only when its 95% CI excludes 0.

Numbers: the principal's publication via :func:`dashboard.data.trends`
(:func:`scoring.reporting.comparison.trends`: each round's published cells, Welch CI of each change).
Before the lines: whether the scale measures the same in each pair of consecutive rounds
(:func:`dashboard.data_invariance.trend_invariance`, organisation-wide metric and scalar
invariance); where it does not, a warning names the failed step and criterion.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_compare, data_invariance, view_state
from dashboard.auth import require_page
from dashboard.charts import show_chart
from dashboard.describe import change_from_previous, difference, hidden_label, interval
from dashboard.i18n import t
from dashboard.invariance_words import failing_step
from dashboard.problems import reason_text, show_technical_details
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

# Before a line joins two rounds: does the scale measure the same in both (organisation-wide)?
trend_rounds = [r for r in rounds if r in set(rows["round"])]
run_key = f"trends_invariance_{scale_id}"
if principal.role in ("researcher", "admin") and st.session_state.get(run_key):
    verdicts = data_invariance.trend_invariance(scale_id, trend_rounds, run=True, bar=t("trends_invariance_computing", lang))
else:
    verdicts = data_invariance.trend_invariance(scale_id, trend_rounds)
same: dict[str, bool] = {}
for (earlier, later), verdict in verdicts.items():
    if verdict is None:
        continue
    failing = failing_step(verdict, lang)
    same[later] = verdict.comparable
    if failing:
        st.warning(t("trends_invariance_fails", lang, earlier=earlier, later=later, step=failing[0], criteria=failing[1]))
    elif verdict.reason:
        st.caption(t("trends_invariance_unknown", lang, earlier=earlier, later=later, reason=reason_text(verdict.reason, lang)))
        show_technical_details([verdict.reason], lang)
if verdicts and None in verdicts.values():
    st.caption(t("trends_invariance_heavy", lang))
    if principal.role in ("researcher", "admin") and st.button(t("trends_invariance_run", lang), key=f"{run_key}_button"):
        st.session_state[run_key] = True
        st.rerun()
elif verdicts and all(same.get(later, False) for _, later in verdicts):
    st.caption(t("trends_invariance_holds", lang))
same_words = rows["round"].map(lambda r: t("inv_same_yes" if same[r] else "inv_same_no", lang) if r in same else "–")
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
    t("trends_col_invariance", lang): same_words,
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
        t("trends_col_invariance", lang): same_words,
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
