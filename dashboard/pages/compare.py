"""Sammenlign enheter / Compare units: one scale and round, each unit's mean with its 95% CI and
n against the organisation mean and the mean of units of the same type; then all scales at once.

Numbers: the principal's publication via :func:`dashboard.data.comparison`
(:func:`scoring.reporting.comparison.comparison`); intervals and differences from published n,
mean and sd. This page only chooses, words and draws.

Professions: the publication has no per-profession cells (docs/privacy.md: classes are partner x
scales), so there is no profession breakdown here; under the chart the page says so and reads
the organisation-wide invariance verdict across professions
(:func:`dashboard.data_invariance.profession_invariance`, the Quality page's) in the same words,
since units of different professions are compared.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, data_compare, data_invariance, data_landing, scale_list, view_state
from dashboard.auth import require_page
from dashboard.charts import show_chart
from dashboard.describe import difference, hidden_label, interval, versus_organisation
from dashboard.i18n import t
from dashboard.invariance_words import failing_step
from dashboard.problems import reason_text, show_technical_details
from dashboard.unit_charts import dot_whisker, heatmap
from dashboard.unit_filter import choose_units, requested_unit
from scoring.formats.tables import csv_bytes
from scoring.reporting.numbers import count, number

lang = st.session_state.get("lang", "nb")
principal = require_page("compare")
requested = requested_unit(principal, lang)  # before any data is read

st.title(t("page_compare", lang))
st.caption(t("compare_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("no_data", lang))
    st.stop()
scales = dict(data_compare.staff_scales())
left, _ = st.columns(2)
round_name = view_state.select_round(principal, t("compare_round", lang), rounds, key="compare_round", where=left)

matrix = data_compare.scale_matrix(principal, round_name)  # fills data.comparison for every scale
tree = data.units()
frame = tree[tree["unit"].isin(set(matrix["unit"]))]  # the principal's units, in tree order
if frame.empty:
    st.info(t("compare_no_units", lang))
    st.stop()
units, labels = choose_units(frame, lang, "compare", requested)
if not units:
    st.info(t("unit_filter_none", lang))
    st.stop()


@st.fragment
def one_scale(round_name: str, units: list[str], labels: dict[str, str]) -> None:
    """The chosen scale's chart and table; a scale change reruns only this, not the heatmap."""
    column, _ = st.columns(2)
    scale_id = view_state.select("scale", t("compare_scale", lang), list(scales), key="compare_scale",
                                format_func=lambda s: scales[s][lang], where=column)
    comparison = data.comparison(principal, scale_id, round_name)
    rows = comparison.units.set_index("unit").loc[units].reset_index()
    org = comparison.organisation

    st.subheader(t("compare_chart_title", lang, scale=scales[scale_id][lang], round=round_name))
    if org.get("suppressed"):
        st.markdown(t("compare_organisation_suppressed", lang, why=hidden_label(org.get("why"), lang)))
    else:
        st.markdown(t("compare_organisation", lang, mean=number(org["mean"], lang), ci=interval(org["ci_low"], org["ci_high"], lang), n=count(org["n"], lang)))
    st.caption(t("suppression_note", lang, min_n=comparison.min_n))
    if not org.get("suppressed"):
        readings = rows.loc[~rows["suppressed"], "vs_organisation"].value_counts()
        st.markdown(t("compare_summary", lang, shown=int((~rows["suppressed"]).sum()), hidden=int(rows["suppressed"].sum()),
                      **{r: int(readings.get(r, 0)) for r in ("higher", "unclear", "lower")}))

    why = rows["why"].map(lambda w: hidden_label(w, lang))

    def hidden_or(values: pd.Series) -> pd.Series:
        """``values`` where the unit is shown, why it is hidden where it is not."""
        return values.astype(object).where(~rows["suppressed"].to_numpy(), why)

    download = pd.DataFrame({
        t("compare_col_unit_id", lang): rows["unit"],
        t("unit", lang): rows["name"],
        t("n", lang): hidden_or(rows["n"]),
        t("mean", lang): hidden_or(rows["mean"].round(3)),
        t("compare_col_ci_low", lang): rows["ci_low"].round(3),
        t("compare_col_ci_high", lang): rows["ci_high"].round(3),
        t("compare_col_type_mean", lang): rows["type_mean"].round(3),
        t("compare_col_type_n", lang): rows["type_n"],
        t("compare_col_diff", lang): rows["diff_organisation"].round(3),
        t("compare_col_diff_low", lang): rows["diff_low"].round(3),
        t("compare_col_diff_high", lang): rows["diff_high"].round(3),
        t("compare_col_reading", lang): [
            versus_organisation(r.vs_organisation, r.diff_organisation, r.diff_low, r.diff_high, lang) for r in rows.itertuples()
        ],
    })
    show_chart(dot_whisker(rows, labels, org, lang), download, lang, f"sammenlign-{scale_id}-{round_name}", "compare_units")

    shown = pd.DataFrame({
        t("unit", lang): [labels[u] for u in rows["unit"]],
        t("n", lang): rows["n"].map(str).where(~rows["suppressed"], "–"),
        t("compare_col_mean_ci", lang): hidden_or(pd.Series(
            [f"{number(r.mean, lang)} ({interval(r.ci_low, r.ci_high, lang)})" for r in rows.itertuples()])),
        t("compare_col_type", lang): [
            "–" if pd.isna(r.type_mean) else f"{number(r.type_mean, lang)} (n = {r.type_n})" for r in rows.itertuples()
        ],
        t("compare_col_reading", lang): hidden_or(rows["vs_organisation"].map(
            lambda r: t(f"compare_legend_{r}", lang) if isinstance(r, str) else "–")),
        t("compare_col_difference", lang): [
            difference(r.diff_organisation, r.diff_low, r.diff_high, lang) for r in rows.itertuples()
        ],
    }).set_index(t("unit", lang))
    with st.container(key="compare_table"):  # a phone leaves out the same-type and difference columns (SWITCH_CSS)
        st.table(shown)  # a static table: it wraps long text and offers no sorting into a league table
    professions(scale_id, round_name)


def professions(scale_id: str, round_name: str) -> None:
    """Whether the scale measures the same across professions (organisation-wide, the round):
    the Quality page's verdict and words; a total scale's verdict only once someone asked for it."""
    st.markdown(f"**{t('compare_professions_title', lang)}**")
    st.caption(t("compare_professions_note", lang, round=round_name))
    verdict = data_invariance.profession_invariance(data.instrument_of_scale(scale_id).id, scale_id, round_name)
    if verdict is None:
        st.caption(t("compare_professions_not_tested", lang))
    elif verdict.reason:
        st.caption(t("quality_professions_unknown", lang, reason=reason_text(verdict.reason, lang)))
        show_technical_details([verdict.reason], lang)
    elif failing := failing_step(verdict, lang):
        st.warning(t("quality_professions_fails", lang, step=failing[0][:1].upper() + failing[0][1:], criteria=failing[1]))
    else:
        st.success(t("quality_professions_holds", lang))


st.html(scale_list.SWITCH_CSS)
one_scale(round_name, units, labels)

st.subheader(t("compare_heatmap_title", lang, round=round_name))
st.caption(t("compare_heatmap_note", lang))
scale_names = {s: scales[s][lang] for s in scales}
names = dict(zip(frame["unit"], frame["name"]))
cells = matrix[matrix["unit"].isin(units)].merge(frame[["unit", "name"]], on="unit")
matrix_download = pd.DataFrame({
    t("compare_col_unit_id", lang): cells["unit"],
    t("unit", lang): cells["name"],
    t("scale", lang): cells["scale"].map(scale_names),
    t("n", lang): cells["n"].astype(object).where(~cells["suppressed"], cells["why"].map(lambda w: hidden_label(w, lang))),
    t("mean", lang): cells["mean"].round(3).astype(object).where(~cells["suppressed"], cells["why"].map(lambda w: hidden_label(w, lang))),
    t("compare_col_diff", lang): (cells["mean"] - cells["org_mean"]).round(3),
})
# A phone gets one list of scales per unit instead of the heatmap; CSS on the browser's width
# decides which shows (dashboard.scale_list, SWITCH_CSS above), so neither needs a round trip.
with st.container(key="compare_heatmap_wide"):
    show_chart(heatmap(matrix, units, labels, scale_names, lang, names), matrix_download, lang,
               f"skalaer-{round_name}", "compare_heatmap")
with st.container(key="compare_heatmap_compact"):
    st.caption(scale_list.legend(lang))
    limit = scale_list.difference_limit(matrix[matrix["unit"].isin(units)])
    for position, unit in enumerate(units):
        unit_cells = scale_list.unit_rows(matrix, unit, scale_names)
        hidden = unit_cells["suppressed"].all()
        with st.expander(scale_list.unit_title(names[unit], unit_cells, lang), expanded=position == 0 and not hidden):
            if not hidden:
                st.html(scale_list.scale_list_html(unit_cells, scale_names, limit, lang))
    st.download_button(t("download_csv", lang), csv_bytes(matrix_download), file_name=f"samklima-skalaer-{round_name}.csv", mime="text/csv",
                       key="csv_compare_heatmap_compact")

# The unit report for the team meeting, for a unit the principal may see (the same publication).
report_unit = st.selectbox(t("landing_make_report", lang), units, format_func=labels.get, key="compare_report_unit")
if st.button(t("landing_make_report", lang), key="compare_make_report"):
    st.session_state["compare_report"] = (report_unit, round_name, data_landing.report_pdf(principal, report_unit, round_name, lang))
if st.session_state.get("compare_report", (None, None))[:2] == (report_unit, round_name):
    st.download_button(t("landing_report", lang), st.session_state["compare_report"][2], mime="application/pdf",
                       file_name=f"samklima-{round_name}-{report_unit}.pdf", key="compare_download_report")
