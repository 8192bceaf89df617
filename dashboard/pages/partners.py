"""Samarbeidspartnere / Partners: who rates whom on collaboration climate, as a heatmap and a
table, and services that rate each other side by side.

Numbers: the principal's publication (its partner cells, one round at a time) via
:func:`dashboard.data_items.partner_matrix` (:func:`scoring.reporting.partners.partner_matrix`).
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import data, data_items, view_state
from dashboard.auth import require_page
from dashboard.charts import DIVERGING, show_chart
from dashboard.describe import hidden_label
from dashboard.i18n import t
from dashboard.i18n import table as text_table
from dashboard.unit_filter import MAX_ROWS
from dashboard.unit_labels import distinct_names
from scoring.instrument.catalog import bundled
from scoring.privacy.publication import ORGANISATION
from scoring.reporting.numbers import count, number

lang = st.session_state.get("lang", "nb")
principal = require_page("partners")

st.title(t("page_partners", lang))
st.caption(t("partners_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("no_data", lang))
    st.stop()

SERVICES, UNITS, TYPES = "services", "units", "types"
scales = dict(data_items.partner_scales())
c0, c1, c2 = st.columns([1, 2, 2])
when = view_state.select_round(principal, t("partners_round", lang), list(reversed(rounds)), key="partners_round", where=c0)
scale_id = view_state.select("scale", t("partners_scale", lang), list(scales), key="partners_scale",
                            format_func=lambda s: scales[s][lang], where=c1)
rows_by = c2.radio(t("partners_rows", lang), [SERVICES, UNITS, TYPES], horizontal=True, key="partners_rows",
                   format_func=lambda r: t(f"partners_rows_{ {SERVICES: 'service', UNITS: 'unit', TYPES: 'type'}[r] }", lang))

matrix = data_items.partner_matrix(principal, scale_id, when)
if not matrix.rated:
    st.info(t("partners_none", lang))
    st.stop()

# Names told apart where they repeat (a national tree has a "Hjemmetjenesten sone Nord" in every
# municipality): the table's columns and the chart's axes are named by them.
tree = data.units()
parent = dict(zip(tree["unit"], tree["parent"]))
shown_units = list(dict.fromkeys([*matrix.raters, *matrix.rated]))  # every cell's rater and partner is among them
names = {**matrix.names, **distinct_names(shown_units, matrix.names, parent), ORGANISATION: t("partners_organisation_row", lang)}
cells = matrix.cells
if rows_by == TYPES:
    pooled = matrix.by_unit_type()
    grid = pooled.assign(rater=pooled["rater_type"], why="protects_other")
    raters = list(dict.fromkeys(grid["rater"]))
    labels = {r: t(f"partners_type_{r}", lang) if f"partners_type_{r}" in text_table() else r for r in raters}
else:
    if rows_by == SERVICES:  # the top units of the principal's scope (the roots for the whole organisation)
        scope = set(matrix.raters)
        raters = [r for r in matrix.raters if r == ORGANISATION or parent.get(r) not in scope]
    else:
        raters = list(matrix.raters)
    grid = cells[cells["rater"].isin(raters)]
    depth_of = dict(zip(grid["rater"].tolist(), grid["depth"].tolist()))  # one entry per rater, not per cell
    top = min([int(d) for r, d in depth_of.items() if r != ORGANISATION] or [1])
    labels = {r: "\u00a0\u00a0" * max(int(d) - top, 0) + names.get(r, r) for r, d in depth_of.items()}
total_rows = len(raters)
if total_rows > MAX_ROWS:  # a national organisation's 2,000 rating units are no chart; the first ones in tree order
    raters = raters[:MAX_ROWS]
    st.info(t("partners_rows_capped", lang, shown=MAX_ROWS, total=count(total_rows, lang)))
rated = matrix.rated
# Every (rater, rated) cell in the chart's order, read once (a lookup per cell took seconds).
lookup = grid.set_index(["rater", "rated"]).reindex(pd.MultiIndex.from_product([raters, rated], names=["rater", "rated"]))
hidden = lookup["suppressed"].to_numpy(dtype=bool)
if len(rated) > data_items.MAX_PARTNERS:  # national answers rate partners across the country: most columns would only say "hidden"
    own = np.array([r != ORGANISATION for r in raters])  # the units' own rows; "all raters" is their context
    grid_hidden = hidden.reshape(len(raters), len(rated))
    some_shown = ~(grid_hidden[own] if own.any() else grid_hidden).all(axis=0)
    if not some_shown.all():
        st.caption(t("partners_columns_left_out", lang, left=count(int((~some_shown).sum()), lang), total=count(len(rated), lang)))
        rated = [p for p, keep in zip(rated, some_shown) if keep]
        kept = np.tile(some_shown, len(raters))  # the cells run row by row over the partners
        lookup, hidden = lookup[kept], hidden[kept]
rated_labels = [names.get(p, p) for p in rated]
axis_labels = ["<br>".join(textwrap.wrap(label, 14)) for label in rated_labels]
whys = lookup["why"].to_numpy(dtype=object)
means = lookup["mean"].to_numpy(dtype=float)
ns = lookup["n"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
z = np.where(hidden, np.nan, means).reshape(len(raters), len(rated))
cell_text, cell_value, cell_n = [], [], []
for at in range(len(lookup)):  # over the chart's cells (at most MAX_ROWS rows)
    if hidden[at]:
        value = hidden_label(whys[at], lang)
        cell_text.append(value)
        cell_n.append(value)
        cell_value.append(value)
        continue
    mean, n = number(means[at], lang), int(ns[at])
    cell_value.append(t("partners_value", lang, mean=mean, n=n))
    cell_text.append(t("partners_cell", lang, mean=mean, n=n))
    cell_n.append(n)
width = len(rated)
text = [cell_text[i * width:(i + 1) * width] for i in range(len(raters))]
hover = [[t("partners_hover", lang, rater=labels[r].strip(), rated=names.get(p, p), value=cell_value[i * width + j]) for j, p in enumerate(rated)]
         for i, r in enumerate(raters)]

shown_values = z[~np.isnan(z)]
instrument = bundled(data_items.PARTNER_INSTRUMENT)
rs = instrument.response_scale_of(instrument.scale(scale_id).items[0])
midpoint = (rs.min + rs.max) / 2
spread = max(float(np.abs(shown_values - midpoint).max()) if shown_values.size else 1.0, 0.25)
fig = go.Figure(go.Heatmap(
    z=z, x=axis_labels, y=[labels[r] for r in raters], text=text, texttemplate="%{text}", hovertext=hover,
    hoverinfo="text", colorscale=DIVERGING, zmid=midpoint, zmin=midpoint - spread, zmax=midpoint + spread,
    xgap=2, ygap=2, colorbar={"title": {"text": t("partners_colorbar", lang)}},
))
when_text = t("partners_when_round", lang, round=when)
fig.update_layout(
    title=t("partners_heatmap_title", lang, scale=scales[scale_id][lang], when=when_text),
    height=200 + 52 * len(raters), plot_bgcolor="#EEEEEE",
)
fig.update_xaxes(side="bottom", tickangle=0, automargin=True, title_text=t("partners_rated", lang), showgrid=False)
fig.update_yaxes(autorange="reversed", title_text=t("partners_rater", lang), showgrid=False)

table = pd.DataFrame({
    t("partners_rater", lang): [labels[r].strip() for r in raters for _ in rated],
    t("partners_rated", lang): [names.get(p, p) for _ in raters for p in rated],
    t("n", lang): cell_n,
    t("partners_col_mean", lang): [cell_n[at] if hidden[at] else round(float(means[at]), 3) for at in range(len(lookup))],
})
show_chart(fig, table, lang, f"samarbeidspartnere-{scale_id}-{when}", "partners")
st.caption(t("partners_note", lang, min_n=matrix.min_n))
if rows_by == TYPES:
    st.caption(t("partners_type_note", lang))
if not principal.whole_organisation:
    st.caption(t("partners_scope_note", lang))

wide = pd.DataFrame(
    [[text[i][j].replace("<br>", " ") for j in range(len(rated))] for i in range(len(raters))],
    index=[labels[r] for r in raters], columns=rated_labels,
)
st.dataframe(wide, width="stretch")

st.subheader(t("partners_reciprocal_title", lang))
st.caption(t("partners_reciprocal_intro", lang))
pairs = matrix.reciprocal()
if pairs.empty:
    st.info(t("partners_reciprocal_none", lang))
else:

    def figure(mean, n, hidden, why) -> str:
        return hidden_label(why, lang) if hidden else t("partners_value", lang, mean=number(mean, lang), n=int(n))

    side = pd.DataFrame({
        t("partners_col_a", lang): pairs["a"].map(names),
        t("partners_col_b", lang): pairs["b"].map(names),
        t("partners_col_a_about_b", lang): [figure(m, n, h, w) for m, n, h, w in zip(pairs["a_rates_b_mean"], pairs["a_rates_b_n"], pairs["a_rates_b_suppressed"], pairs["a_rates_b_why"])],
        t("partners_col_b_about_a", lang): [figure(m, n, h, w) for m, n, h, w in zip(pairs["b_rates_a_mean"], pairs["b_rates_a_n"], pairs["b_rates_a_suppressed"], pairs["b_rates_a_why"])],
    })
    st.dataframe(side, hide_index=True, width="stretch")
