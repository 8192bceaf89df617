"""Kvalitet / Quality: reliability, agreement within units, factor fit and invariance across
rounds of each scale — organisation-wide psychometrics for researchers (managers read them).

Numbers: :func:`scoring.reporting.quality.round_quality` and :func:`scoring.reporting.quality.invariance_across_rounds`
via :mod:`dashboard.data_quality` (cached per instrument and round). The per-unit agreement
listing is suppressed like the unit pages and cut to the principal's scope here.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard import data, data_invariance, data_quality, view_state
from dashboard.auth import require_page
from dashboard.charts import OKABE_ITO, show_chart
from dashboard.describe import NO_VALUE, for_page, interval
from dashboard.i18n import t
from dashboard.invariance_words import failing_step
from dashboard.problems import reason_text, show_technical_details
from dashboard.unit_filter import MAX_ROWS
from dashboard.unit_labels import distinct_names
from scoring.formats.tables import csv_bytes
from scoring.instrument.background import staff_background
from scoring.instrument.catalog import bundled
from scoring.reporting.invariance import MIN_GROUP, failed_criteria
from scoring.reporting.item_warnings import item_warnings
from scoring.reporting.numbers import count, number, percent
from scoring.stats.multilevel import READINGS

lang = st.session_state.get("lang", "nb")
principal = require_page("quality")
may_compute = principal.role in ("researcher", "admin")  # managers read; heavy runs are for researchers

st.title(t("page_quality", lang))
st.caption(t("quality_intro", lang))
if not may_compute:
    st.info(t("quality_read_only", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("no_data", lang))
    st.stop()

instruments = {i: bundled(i) for i in data.STAFF_INSTRUMENTS}
c1, c2 = st.columns([2, 1])
instrument_id = c1.selectbox(t("quality_instrument", lang), list(instruments), key="quality_instrument",
                             format_func=lambda i: instruments[i].title[lang])
rounds = data.rounds_with(instrument_id)  # rounds that carry this instrument and have answers
if not rounds:
    st.info(t("no_data", lang))
    st.stop()
round_name = view_state.select_round(principal, t("quality_round", lang), rounds, key="quality_round", where=c2)
inst = instruments[instrument_id]
role_labels = {code: label.get(lang, code) for code, label in next(q for q in staff_background() if q.id == "role").options}

report = data_quality.quality(instrument_id, round_name, _bar=t("quality_computing", lang, instrument=inst.title[lang], round=round_name))
st.caption(t("quality_n_round", lang, n=count(report.n, lang), round=round_name))


def num(x, digits: int = 2) -> str:
    return number(x, lang, digits)


def model_name(factors: int) -> str:
    return t("quality_model_one", lang) if factors == 1 else t("quality_model_many", lang, k=factors)


def dif_table(result) -> Styler:
    """One row per item of a DIF test; items that could not be tested say so. Number columns
    stay numbers (written in the page's language by the Styler), so a click sorts them by value."""
    table = result.table
    untested = table["G2"].isna().to_numpy()
    g2, df = t("dif_col_g2", lang), t("dif_col_df", lang)
    frame = pd.DataFrame({
        t("qi_col_item", lang): list(table.index),
        g2: table["G2"].to_numpy(dtype=float),
        df: table["df"].to_numpy(dtype=float),
        t("dif_col_p", lang): table["p"].to_numpy(dtype=float),
        t("dif_col_p_adjusted", lang): table["p_adjusted"].to_numpy(dtype=float),
        t("dif_col_sids", lang): table["SIDS"].to_numpy(dtype=float),
        t("dif_col_essd", lang): table["ESSD"].to_numpy(dtype=float),
        # an untested item's numbers are null, which the browser paints as the placeholder: the words stand here
        t("dif_col_flag", lang): [t("dif_flag_yes" if f else "dif_flag_no", lang) if not u else t("dif_not_tested", lang)
                                  for f, u in zip(table["flag"], untested)],
    })
    places = {df: 0, t("dif_col_p", lang): 3, t("dif_col_p_adjusted", lang): 3}
    return frame.style.format({c: partial(_written, places=places.get(c, 2)) for c in list(frame.columns)[1:-1]})


def _written(value, places: int) -> str:
    return number(value, lang, places) if places else count(value, lang)


def item_notes(result, item: str, withheld: bool = False) -> str:
    """The item's warnings in the reader's language (:mod:`scoring.reporting.item_warnings`),
    after "not shown" when its answer shares are withheld."""
    return "; ".join([t("qi_not_shown", lang)] * withheld + list(item_warnings(result, item, lang)))


def item_table(result) -> Styler:
    """One row per item: published answer shares ("not shown" where withheld), then the
    statistics. Shares and statistics stay numbers (a withheld share is removed from the table,
    not only from its display), so a click on a column sorts by value, not by text."""
    hidden = result.table.index.isin(list(result.hidden))
    share_labels = {**{c: t("qi_answer", lang, code=c) for c in result.codes},
                    **{c: t(f"qi_col_{c}", lang) for c in ("dont_know", "missing", "floor", "ceiling")}}
    statistics = {t("qi_col_item_rest", lang): "item_rest_r", t("qi_col_alpha_drop", lang): "alpha_if_dropped",
                  t("qi_col_loading", lang): "loading", t("qi_col_information", lang): "information"}
    frame = pd.DataFrame({
        t("qi_col_item", lang): list(result.table.index),
        t("qi_col_text", lang): [inst.item(i).text[lang] for i in result.table.index],
        **{label: result.table[c].astype(float).mask(hidden).to_numpy() for c, label in share_labels.items()},
        **{label: result.table[c].to_numpy(dtype=float) for label, c in statistics.items()},
        # a withheld share is null, which the browser paints as the placeholder: the notes say why
        t("qi_col_notes", lang): [item_notes(result, i, bool(h)) for i, h in zip(result.table.index, hidden)],
    })
    return frame.style.format({**{label: lambda v: percent(v, lang) for label in share_labels.values()},
                               **{label: lambda v: number(v, lang) for label in statistics}})


# ---------------------------------------------------------------- all scales at a glance
st.subheader(t("quality_overview_title", lang))
overview = pd.DataFrame({
    t("quality_col_scale", lang): [s.name[lang] for s in report.scales],
    t("quality_col_items", lang): [s.n_items for s in report.scales],
    t("quality_col_n", lang): [s.n for s in report.scales],
    t("quality_col_alpha", lang): [num(s.alpha) for s in report.scales],
    t("quality_col_alpha_ci", lang): [interval(*s.alpha_ci, lang) for s in report.scales],
    t("quality_col_omega_total", lang): [num(s.omega_total) for s in report.scales],
    t("quality_col_omega_h", lang): [num(s.omega_h) for s in report.scales],
    t("quality_col_icc1", lang): [num(s.icc1, 3) for s in report.scales],
    t("quality_col_icc2", lang): [num(s.icc2) for s in report.scales],
    t("quality_col_units", lang): [s.icc_units for s in report.scales],
    t("quality_col_rwg", lang): [num(s.rwg_j_median) for s in report.scales],
    t("quality_col_reading", lang): [t(f"quality_reading_short_{s.reading.code}", lang) for s in report.scales],
    t("quality_col_model", lang): [model_name(s.factors) for s in report.scales],
    t("quality_col_fit_n", lang): [s.fit_n for s in report.scales],
    t("quality_col_cfi", lang): [num(s.fit.get("cfi"), 3) for s in report.scales],
    t("quality_col_tli", lang): [num(s.fit.get("tli"), 3) for s in report.scales],
    t("quality_col_rmsea", lang): [num(s.fit.get("rmsea"), 3) for s in report.scales],
    t("quality_col_rmsea_ci", lang): [interval(*s.fit.get("rmsea_ci", (math.nan, math.nan)), lang, digits=3) for s in report.scales],
    t("quality_col_srmr", lang): [num(s.fit.get("srmr"), 3) for s in report.scales],
})

names = [s.name[lang] for s in report.scales]
fig = go.Figure(go.Scatter(
    x=[s.alpha for s in report.scales], y=names, mode="markers", marker={"color": OKABE_ITO[0], "size": 11},
    error_x={"type": "data", "symmetric": False, "array": [s.alpha_ci[1] - s.alpha for s in report.scales],
             "arrayminus": [s.alpha - s.alpha_ci[0] for s in report.scales], "color": OKABE_ITO[0], "thickness": 2},
    hovertext=[t("quality_chart_hover", lang, scale=s.name[lang], alpha=num(s.alpha), ci=interval(*s.alpha_ci, lang), n=count(s.n, lang))
               for s in report.scales],
    hoverinfo="text", showlegend=False,
))
fig.add_vline(x=0.70, line_dash="dot", line_color="#555555")
fig.update_layout(title=t("quality_chart_title", lang, round=round_name), height=120 + 34 * len(names))
fig.update_xaxes(title_text=t("quality_chart_axis", lang), range=[0.5, 1.0])
fig.update_yaxes(autorange="reversed")
show_chart(fig, overview, lang, f"kvalitet-{instrument_id}-{round_name}", "quality_overview")
st.dataframe(for_page(overview, lang), hide_index=True, width="stretch", placeholder=NO_VALUE)

# ---------------------------------------------------------------- one scale in detail
scale_ids = [s.scale for s in report.scales]
scale_id = view_state.select("scale", t("quality_scale", lang), scale_ids, key="quality_scale",
                            format_func=lambda s: report.scale(s).name[lang])
q = report.scale(scale_id)
st.subheader(t("quality_detail_title", lang, scale=q.name[lang], round=round_name))

left, right = st.columns(2)
with left:
    st.markdown(f"**{t('quality_reliability_title', lang)}**")
    st.markdown(t("quality_alpha_line", lang, alpha=num(q.alpha), ci=interval(*q.alpha_ci, lang), n=count(q.n, lang), k=q.n_items))
    omega_h = num(q.omega_h) if not math.isnan(q.omega_h) else t("quality_omega_h_none", lang)
    st.markdown(t("quality_omega_line", lang, total=num(q.omega_total), h=omega_h))
    st.markdown(f"**{t('quality_cfa_title', lang)}**")
    if q.fit_reason:
        st.warning(t("quality_cfa_failed", lang, reason=reason_text(q.fit_reason, lang)))
        show_technical_details([q.fit_reason], lang)
    else:
        st.markdown(t(
            "quality_cfa_line", lang, model=model_name(q.factors), n=count(q.fit_n, lang), chisq=num(q.fit["chisq"]), df=int(q.fit["df"]),
            cfi=num(q.fit["cfi"], 3), tli=num(q.fit["tli"], 3), rmsea=num(q.fit["rmsea"], 3),
            rmsea_ci=interval(*q.fit["rmsea_ci"], lang, digits=3), srmr=num(q.fit["srmr"], 3),
        ))
    st.caption(t("quality_cfa_rule", lang))
with right:
    st.markdown(f"**{t('quality_aggregation_title', lang)}**")
    st.markdown(t("quality_icc_line", lang, icc1=num(q.icc1, 3), icc2=num(q.icc2), n=count(q.icc_n, lang), units=count(q.icc_units, lang),
                  rwg=num(q.rwg_j_median), ad=num(q.ad_mean)))
    st.markdown(f"**{t('quality_reading_title', lang)}**")
    st.info(READINGS.get(q.reading.code, {}).get(lang) or q.reading.nb)  # the reading's text in the page's language
    st.caption(t("quality_reading_rule", lang))

# ---------------------------------------------------------------- agreement per unit (scoped)
tree = data.units().set_index("unit")
listing = q.units[q.units["unit"].isin(principal.scope(list(q.units["unit"])))].reset_index(drop=True)
# every municipality has its "Hjemmetjenesten sone Nord": one axis label each, or Plotly draws them as one bar
unit_names = pd.Series(distinct_names(list(listing["unit"]), tree["name"].to_dict(), tree["parent"].to_dict()), dtype=object)
too_few = t("too_few", lang)


def hidden_or(values: pd.Series, digits: int) -> list:
    return [too_few if h else num(v, digits) for v, h in zip(values, listing["suppressed"])]


per_unit = pd.DataFrame({
    t("unit", lang): unit_names.reindex(listing["unit"]).to_numpy(),
    t("n", lang): [too_few if h else str(int(n)) for n, h in zip(listing["n"], listing["suppressed"])],
    t("quality_units_axis", lang): hidden_or(listing["rwg_j"], 2),
    t("quality_col_awg", lang): hidden_or(listing["awg"], 2),
    t("quality_col_ad_unit", lang): hidden_or(listing["ad"], 2),
})
shown = listing[~listing["suppressed"]]
if len(shown) <= MAX_ROWS:  # a bar per unit
    bars = go.Figure(go.Bar(
        x=shown["rwg_j"], y=unit_names.reindex(shown["unit"]).to_numpy(), orientation="h", marker={"color": OKABE_ITO[2]},
        hovertext=[f"{unit_names.get(u, u)}<br>rwg(j) {num(r)}<br>n = {int(n)}" for u, r, n in zip(shown["unit"], shown["rwg_j"], shown["n"])],
        hoverinfo="text", text=[f"n = {int(n)}" for n in shown["n"]], textposition="inside",
    ))
    bars.update_layout(height=120 + 30 * max(len(shown), 1), title=t("quality_units_title", lang))
    bars.update_yaxes(autorange="reversed")
else:  # a national round's 1,500 units are no bar chart: how many units agree how well, and the table below
    bars = go.Figure(go.Histogram(x=shown["rwg_j"], xbins={"start": 0, "end": 1.0001, "size": 0.05}, marker={"color": OKABE_ITO[2]},
                                  hovertemplate="rwg(j) %{x}<br>%{y}<extra></extra>"))
    bars.update_layout(height=360, title=t("quality_units_spread_title", lang, units=count(len(shown), lang)), bargap=0.05)
    bars.update_yaxes(title_text=t("quality_units_count", lang))
bars.add_vline(x=0.70, line_dash="dot", line_color="#555555")
bars.update_xaxes(range=[0, 1], title_text=t("quality_units_axis", lang))
show_chart(bars, per_unit, lang, f"enighet-{scale_id}-{round_name}", "quality_units")
sortable_units = pd.DataFrame({  # the same table with numbers kept numeric, so its columns sort by value
    t("unit", lang): unit_names.reindex(listing["unit"]).to_numpy(), t("n", lang): pd.to_numeric(listing["n"]).to_numpy(float),
    t("quality_units_axis", lang): listing["rwg_j"].to_numpy(float), t("quality_col_awg", lang): listing["awg"].to_numpy(float),
    t("quality_col_ad_unit", lang): listing["ad"].to_numpy(float),
    # the browser paints a withheld (null) number as the placeholder, so the reason stands in words beside it
    t("quality_col_units_note", lang): [too_few if h else "" for h in listing["suppressed"]],
})
two = dict.fromkeys([t("quality_units_axis", lang), t("quality_col_awg", lang), t("quality_col_ad_unit", lang)], 2)
st.dataframe(for_page(sortable_units, lang, two, hidden=listing["suppressed"], hidden_text=too_few), hide_index=True, width="stretch",
             height=38 + 35 * min(len(per_unit), MAX_ROWS // 3), placeholder=NO_VALUE)  # longer lists scroll inside the table
st.caption(t("quality_units_note", lang, min_n=report.min_n))

# ---------------------------------------------------------------- invariance across rounds
st.subheader(t("quality_invariance_title", lang))
st.caption(t("quality_invariance_intro", lang))
if len(rounds) < 2:
    st.info(t("quality_invariance_one_round", lang))
else:
    heavy = data_quality.is_heavy(instrument_id, scale_id)
    run_key = f"quality_invariance_{instrument_id}_{scale_id}"
    if heavy:
        st.caption(t("quality_invariance_heavy", lang))
        if may_compute and st.button(t("quality_invariance_run", lang), key=f"{run_key}_button"):
            st.session_state[run_key] = True
    wanted = not heavy or st.session_state.get(run_key, False)
    if not wanted and not may_compute:
        st.info(t("quality_invariance_waiting", lang))
    elif wanted:
        result = data_quality.invariance(instrument_id, scale_id, _bar=t("quality_invariance_computing", lang))
        steps = result.table
        # a step holds unless CFI drops > .01 (Cheung & Rensvold 2002) or RMSEA rises > .015 (Chen 2007)
        holds = [None] + [not failed_criteria(c, r) for c, r in zip(steps["delta_cfi"][1:], steps["delta_rmsea"][1:])]
        configural = result.models["configural"]
        table = pd.DataFrame({
            t("quality_col_step", lang): [t(f"quality_step_{m}", lang) for m in steps["model"]],
            t("quality_col_chisq", lang): [f"{num(c)} ({int(d)})" for c, d in zip(steps["chisq"], steps["df"])],
            t("quality_col_cfi", lang): [num(v, 3) for v in steps["cfi"]],
            t("quality_col_rmsea", lang): [num(v, 3) for v in steps["rmsea"]],
            t("quality_col_delta_chisq", lang): ["–" if math.isnan(c) else f"{num(c)} ({int(d)})" for c, d in zip(steps["delta_chisq"], steps["delta_df"])],
            t("quality_col_p", lang): [num(v, 3) for v in steps["p"]],
            t("quality_col_delta_cfi", lang): [num(v, 3) for v in steps["delta_cfi"]],
            t("quality_col_holds", lang): ["–" if h is None else t("quality_holds_yes" if h else "quality_holds_no", lang) for h in holds],
        })
        st.dataframe(table, hide_index=True, width="stretch")
        groups = ", ".join(f"{g}: {n}" for g, n in zip(configural.groups, configural.nobs))
        st.caption(t("quality_invariance_n", lang, groups=groups))
        st.download_button(t("download_csv", lang), csv_bytes(table),
                           file_name=f"samklima-invarians-{scale_id}.csv", mime="text/csv", key="csv_quality_invariance")

# ---------------------------------------------------------------- invariance across professions
st.subheader(t("quality_professions_title", lang))
st.caption(t("quality_professions_intro", lang, round=round_name, min_group=max(MIN_GROUP, report.min_n)))
professions_key = f"quality_professions_{instrument_id}_{scale_id}_{round_name}"
if may_compute and st.session_state.get(professions_key):
    across = data_invariance.profession_invariance(instrument_id, scale_id, round_name, run=True, bar=t("quality_invariance_computing", lang))
else:
    across = data_invariance.profession_invariance(instrument_id, scale_id, round_name)
if across is None:
    st.caption(t("quality_invariance_heavy", lang))
    if may_compute and st.button(t("quality_professions_run", lang), key=f"{professions_key}_button"):
        st.session_state[professions_key] = True
        st.rerun()
    elif not may_compute:
        st.info(t("quality_invariance_waiting", lang))
elif across.reason:
    st.info(t("quality_professions_unknown", lang, reason=reason_text(across.reason, lang)))
    show_technical_details([across.reason], lang)
else:
    st.caption(t("quality_professions_groups", lang, groups=", ".join(role_labels.get(g, g) for g in across.groups)))
    failing = failing_step(across, lang)
    if failing:
        st.warning(t("quality_professions_fails", lang, step=failing[0][:1].upper() + failing[0][1:], criteria=failing[1]))
    else:
        st.success(t("quality_professions_holds", lang))

# ---------------------------------------------------------------- item by item
st.subheader(t("qi_title", lang, scale=q.name[lang], round=round_name))
st.caption(t("qi_intro", lang))
with st.spinner(t("qi_computing", lang)):
    items_q = data_quality.item_quality(principal, instrument_id, round_name, scale_id)
st.dataframe(item_table(items_q), hide_index=True, width="stretch", placeholder=NO_VALUE)
st.caption(t("qi_rules", lang, alpha=num(items_q.alpha)))
if data_quality.is_heavy(instrument_id, scale_id):
    st.caption(t("qi_information_total", lang))
elif items_q.information_reason:
    st.caption(t("qi_information_missing", lang, reason=reason_text(items_q.information_reason, lang)))
    show_technical_details([items_q.information_reason], lang)

# ---------------------------------------------------------------- DIF between two groups
st.subheader(t("dif_title", lang))
st.caption(t("dif_intro", lang))
if data_quality.is_heavy(instrument_id, scale_id):
    st.info(t("dif_total_scale", lang))
else:
    by = st.radio(t("dif_compare", lang), ["round", "role"], horizontal=True, key="dif_by",
                  format_func=lambda b: t(f"dif_by_{b}", lang))
    choices = list(rounds) if by == "round" else data_invariance.dif_groups("role", tuple(rounds))
    label = (lambda g: g) if by == "round" else (lambda g: role_labels.get(g, g))
    if by == "round" and len(rounds) < 2:
        st.info(t("dif_one_round", lang))
    elif len(choices) < 2:
        st.info(t("dif_too_few_groups", lang))
    else:
        c1, c2 = st.columns(2)
        default = [rounds.index(round_name) - 1 if rounds.index(round_name) else 0, rounds.index(round_name)] if by == "round" else [0, 1]
        reference = c1.selectbox(t("dif_reference", lang), choices, index=default[0], format_func=label, key=f"dif_reference_{by}")
        focal = c2.selectbox(t("dif_focal", lang), choices, index=default[1], format_func=label, key=f"dif_focal_{by}")
        if reference == focal:
            st.info(t("dif_same_group", lang))
        else:
            with st.spinner(t("dif_computing", lang), show_time=True):
                result, why = data_invariance.dif(instrument_id, scale_id, by, reference, focal,
                                                  (reference, focal) if by == "round" else tuple(rounds))
            if result is None:
                st.warning(t("dif_failed", lang, reason=reason_text(why, lang)))
                show_technical_details([why], lang)
            else:
                st.dataframe(dif_table(result), hide_index=True, width="stretch", placeholder=NO_VALUE)
                st.caption(t("dif_groups_line", lang, reference=label(result.reference), focal=label(result.focal),
                             anchor=", ".join(result.anchor), mean=num(result.focal_mean), sd=num(result.focal_sd)))
                if by == "round":  # rounds' totals are published; professions' counts are not
                    st.caption(t("dif_n_line", lang, n_reference=result.n_reference, n_focal=result.n_focal))
                for item, reason in result.reasons.items():
                    st.caption(f"{item}: {reason_text(reason, lang)}")
                show_technical_details(list(result.reasons.values()), lang)

if q.warnings:
    with st.expander(t("quality_warnings", lang)):
        for warning in q.warnings:
            st.markdown(f"- {reason_text(warning, lang)}")
        show_technical_details(q.warnings, lang, inside_expander=True)
