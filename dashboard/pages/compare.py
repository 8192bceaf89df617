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

import streamlit as st

from dashboard import compare_views, data, data_compare, data_invariance, data_landing, scale_list, view_state
from dashboard.auth import require_page, still_signed_in
from dashboard.charts import csv_button
from dashboard.describe import compare_summary, hidden_label, interval
from dashboard.device import may_be_phone
from dashboard.i18n import t
from dashboard.invariance_words import failing_step
from dashboard.problems import reason_text, show_technical_details
from dashboard.trusted_html import trusted_html
from dashboard.unit_filter import choose_units, requested_unit
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

versions = data.versions()
matrix = compare_views.matrix(principal, versions, round_name)  # kept per principal, versions and round
tree = data.units()
frame = tree[tree["unit"].isin(matrix["unit"].unique())]  # the principal's units, in tree order (unique: not 27,000 strings one by one)
if frame.empty:
    st.info(t("compare_no_units", lang))
    st.stop()


@st.fragment
def one_scale(round_name: str, shown_labels: tuple) -> None:
    """The chosen scale's chart and table; a scale change reruns only this, not the heatmap."""
    still_signed_in(principal)
    column, _ = st.columns(2)
    scale_id = view_state.select("scale", t("compare_scale", lang), list(scales), key="compare_scale",
                                format_func=lambda s: scales[s][lang], where=column)
    view = compare_views.scale_view(principal, versions, scale_id, round_name, shown_labels, lang)
    org = view.organisation

    st.subheader(t("compare_chart_title", lang, scale=scales[scale_id][lang], round=round_name))
    if org.get("suppressed"):
        st.markdown(t("compare_organisation_suppressed", lang, why=hidden_label(org.get("why"), lang)))
    else:
        st.markdown(t("compare_organisation", lang, mean=number(org["mean"], lang), ci=interval(org["ci_low"], org["ci_high"], lang), n=count(org["n"], lang)))
    st.caption(t("suppression_note", lang, min_n=view.min_n))
    if not org.get("suppressed"):
        st.markdown(compare_summary(view.shown, view.hidden, view.readings, lang))
    # HTML, not Plotly: laid out in milliseconds on a scale change (dashboard.whisker_html); built
    # and escaped here, so put on the page without DOMPurify's second pass (dashboard.trusted_html)
    trusted_html(view.chart_html, "compare_chart")
    csv_button(view.csv, lang, f"sammenlign-{scale_id}-{round_name}", "compare_units")
    with st.container(key="compare_table"):  # a phone leaves out the same-type and difference columns (SWITCH_CSS)
        st.table(view.table)  # a static table: it wraps long text and offers no sorting into a league table
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


@st.fragment
def chosen_units(round_name: str, frame) -> None:
    """Everything the unit filter decides, as a fragment: a new choice of units reruns this, not
    the page, so app.py's navigation and sidebar are neither run nor redrawn (a unit change on
    the national round: 41 messages to the browser instead of 52). Like every fragment it checks
    the session first (:func:`dashboard.auth.still_signed_in`)."""
    still_signed_in(principal)
    units, labels = choose_units(frame, lang, "compare", requested)
    if not units:
        st.info(t("unit_filter_none", lang))
        return
    shown_labels = tuple((u, labels[u]) for u in units)  # the cache key of what is drawn for these units
    one_scale(round_name, shown_labels)

    st.subheader(t("compare_heatmap_title", lang, round=round_name))
    st.caption(t("compare_heatmap_note", lang))
    scale_names = tuple((s, scales[s][lang]) for s in scales)
    heat = compare_views.heatmap_view(principal, versions, round_name, shown_labels, scale_names, lang)
    # A phone gets one list of scales per unit instead of the heatmap; CSS on the browser's width
    # decides which shows (dashboard.scale_list, SWITCH_CSS above), so neither needs a round trip.
    # A browser that says it is not a phone gets the table alone (dashboard.device). Both are
    # built once per choice (dashboard.compare_views), each one HTML fragment (not an element
    # per unit) put on the page without a second sanitising pass (dashboard.trusted_html).
    with st.container(key="compare_heatmap_wide"):
        trusted_html(heat.wide_html, "compare_heatmap_table")  # a table, not a Plotly heatmap: laid out in milliseconds
        csv_button(heat.csv, lang, f"skalaer-{round_name}", "compare_heatmap")
    if may_be_phone():
        with st.container(key="compare_heatmap_compact"):
            st.caption(scale_list.legend(lang))
            trusted_html(heat.compact_html, "compare_heatmap_list")
            csv_button(heat.csv, lang, f"skalaer-{round_name}", "compare_heatmap_compact")

    # The unit report for the team meeting, for a unit the principal may see (the same publication).
    report_unit = st.selectbox(t("landing_make_report", lang), units, format_func=labels.get, key="compare_report_unit")
    if st.button(t("landing_make_report", lang), key="compare_make_report"):
        st.session_state["compare_report"] = (report_unit, round_name, data_landing.report_pdf(principal, report_unit, round_name, lang))
    if st.session_state.get("compare_report", (None, None))[:2] == (report_unit, round_name):
        st.download_button(t("landing_report", lang), st.session_state["compare_report"][2], mime="application/pdf",
                           file_name=f"samklima-{round_name}-{report_unit}.pdf", key="compare_download_report")


st.html(scale_list.SWITCH_CSS)
chosen_units(round_name, frame)
