"""Spørsmål / Items: the answers to each item of a scale for one unit and round, as diverging
stacked bars (disagreement left of zero, agreement right), "vet ikke" and no answer apart.

Numbers: the principal's publication (its item cells) via
:func:`dashboard.data_items.item_distribution` (:func:`scoring.reporting.items.item_distribution`),
shown only where the unit's scale figure is shown and the item has at least min_n valid answers
(docs/privacy.md). Item texts come from the instrument in the chosen language.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from dashboard import data, data_items, view_state
from dashboard.auth import require_page
from dashboard.charts import DIVERGING, SUPPRESSED_GREY, csv_button, show_chart
from dashboard.data_store import AccessDenied
from dashboard.describe import NO_VALUE, for_page, hidden_label
from dashboard.i18n import t
from dashboard.item_bars_html import SWITCH_CSS, Category, ItemRow, item_bars_html
from dashboard.problems import show_refusal
from dashboard.unit_filter import requested_unit
from scoring.formats.tables import csv_bytes
from scoring.instrument.catalog import bundled
from scoring.privacy.publication import PARTNER_TYPE
from scoring.reporting.items import DONT_KNOW, NO_ANSWER, SCALE_ONLY
from scoring.reporting.numbers import percent

lang = st.session_state.get("lang", "nb")
principal = require_page("items")
requested = requested_unit(principal, lang)  # before any data is read

st.title(t("page_items", lang))
st.caption(t("items_intro", lang))

rounds = data.round_names()
if not rounds:
    st.info(t("no_data", lang))
    st.stop()

ORG = "__organisation__"
tree = data.units()
surveyed = tree[tree["unit_type"] != PARTNER_TYPE]
in_scope = principal.scope(list(surveyed["unit"]))
if not in_scope:
    st.info(t("items_no_units", lang))
    st.stop()
depth = {}
parents = dict(zip(tree["unit"], tree["parent"]))
for unit in in_scope:
    d, p = 0, parents.get(unit)
    while isinstance(p, str) and p and p in in_scope and d < 50:
        d, p = d + 1, parents.get(p)
    depth[unit] = d
names = dict(zip(tree["unit"], tree["name"]))
unit_labels = {ORG: t("items_organisation", lang), **{u: "\u00a0\u00a0" * depth[u] + names[u] for u in in_scope}}
unit_options = [ORG, *in_scope] if principal.whole_organisation else [*in_scope, ORG]

c1, c2, c3 = st.columns([1, 2, 2])
round_name = view_state.select_round(principal, t("items_round", lang), rounds, key="items_round", where=c1)
# Only the scales of instruments this round carries (a round may hold one instrument of several).
scales = {
    scale.id: scale for instrument_id in data.STAFF_INSTRUMENTS if round_name in data.rounds_with(instrument_id)
    for scale in bundled(instrument_id).scales
}  # fmt: skip
if not scales:
    st.info(t("no_data", lang))
    st.stop()
scale_id = view_state.select("scale", t("items_scale", lang), list(scales), key="items_scale",
                            format_func=lambda s: scales[s].name[lang], where=c2)
unit = view_state.select("unit", t("items_unit", lang), unit_options, key="items_unit", default=requested or unit_options[0],
                        blank=ORG, format_func=unit_labels.get, where=c3)

try:
    dist = data_items.item_distribution(principal, scale_id, round_name, None if unit == ORG else unit)
except AccessDenied as denied:
    show_refusal(denied, lang)
    st.stop()

unit_name = unit_labels[unit].strip()
if dist.suppressed:
    if dist.reason == SCALE_ONLY:
        st.info(t("items_scale_only", lang))
    else:
        st.warning(t("items_suppressed", lang, unit=unit_name, round=round_name, min_n=dist.min_n, why=hidden_label(dist.reason, lang).capitalize()))
    st.stop()

instrument = data.instrument_of_scale(scale_id)
rs = instrument.response_scale_of(scales[scale_id].items[0])
codes = dist.codes
answer_label = {c: rs.labels[int(c)][lang] if int(c) in rs.labels else f"{c:g}" for c in codes}
shares = dist.shares()
counts = dist.counts
items = list(counts.index)


def item_text(item_id: str) -> str:
    """The item's text in the page's language, marked when negatively worded."""
    item = instrument.item(item_id)
    return item.text[lang] + (f" ({t('items_reverse', lang)})" if item.reverse else "")


def item_label(item_id: str) -> str:
    wrapped = "<br>".join(textwrap.wrap(item_text(item_id), 60))
    return f"{wrapped}<br><i>{t('items_label_n', lang, n=int(shares.loc[item_id, 'answered']))}</i>"


labels = [item_label(i) for i in items]
colours = sample_colorscale(DIVERGING, [i / (len(codes) - 1) for i in range(len(codes))]) if len(codes) > 1 else [SUPPRESSED_GREY]
middle = len(codes) // 2 if len(codes) % 2 else None
if middle is not None:
    colours[middle] = "#D9D9D9"  # a neutral grey reads better than RdBu's near-white

fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.8, 0.2], horizontal_spacing=0.07,
                    subplot_titles=("", t("items_apart_title", lang)))


def bar(code, x, *, legend: bool = True, col: int = 1, colour=None, name=None, share=None, pattern: str = "") -> None:
    """One answer category as bars at ``x`` (%/100, negative = left of zero); hover in words."""
    name = name or answer_label[code]
    share = x.abs() if share is None else share
    base = list(counts["base"]) if code in (DONT_KNOW, NO_ANSWER) else list(shares["answered"])
    hover = [t("items_hover", lang, answer=name, share=percent(s, lang), count=int(c), n=int(b))
             for s, c, b in zip(share, counts[code], base)]
    fig.add_trace(go.Bar(
        x=100 * x, y=labels, orientation="h", name=name, marker={"color": colour or colours[codes.index(code)], "pattern": {"shape": pattern, "fgcolor": "#555555"}},
        legendgroup=str(code), showlegend=legend, hovertext=hover, hoverinfo="text",
        legendrank=codes.index(code) if code in codes else 100 + len(fig.data),
    ), row=1, col=col)


low, high = (codes[:middle], codes[middle + 1:]) if middle is not None else (codes[: len(codes) // 2], codes[len(codes) // 2:])
if middle is not None:  # the middle answer is split across zero
    half = shares[codes[middle]] / 2
    bar(codes[middle], -half, share=shares[codes[middle]])
for code in reversed(low):  # the strongest disagreement ends up furthest left
    bar(code, -shares[code])
if middle is not None:
    bar(codes[middle], half, legend=False, share=shares[codes[middle]])
for code in high:
    bar(code, shares[code])
bar(DONT_KNOW, shares[DONT_KNOW], col=2, colour="#666666", name=t("items_dont_know", lang))
bar(NO_ANSWER, shares[NO_ANSWER], col=2, colour="#F2F2F2", name=t("items_no_answer", lang), pattern="/")

fig.update_layout(
    barmode="relative", height=110 + 95 * len(items),
    title=t("items_chart_title", lang, scale=scales[scale_id].name[lang], unit=unit_name, round=round_name, n=dist.n),
    legend={"traceorder": "normal", "orientation": "h", "y": -0.12, "x": 0},
)
fig.update_yaxes(autorange="reversed", row=1, col=1)
fig.update_xaxes(range=[-100, 100], tickvals=[-100, -50, 0, 50, 100], ticktext=["100", "50", "0", "50", "100"],
                 title_text=t("items_axis_share", lang), zeroline=True, zerolinecolor="#333333", zerolinewidth=2, row=1, col=1)
fig.update_xaxes(range=[0, max(20.0, 100 * float((shares[DONT_KNOW] + shares[NO_ANSWER]).max()) + 5)],
                 title_text=t("items_axis_apart", lang), row=1, col=2)

table = pd.DataFrame({
    t("items_col_item", lang): items,
    **{answer_label[c]: counts[c].to_numpy() for c in codes},
    t("items_dont_know", lang): counts[DONT_KNOW].to_numpy(),
    t("items_no_answer", lang): counts[NO_ANSWER].to_numpy(),
    t("items_col_answered", lang): shares["answered"].to_numpy(),
    t("n", lang): counts["base"].to_numpy(),
    t("items_col_text", lang): [instrument.item(i).text[lang] for i in items],
})
# A phone gets the same shares as one bar per item under its full text (dashboard.item_bars_html);
# CSS on the browser's width decides which shows, as on Compare.
st.html(SWITCH_CSS)
with st.container(key="items_chart_wide"):
    show_chart(fig, table, lang, f"sporsmal-{scale_id}-{round_name}", "items")
with st.container(key="items_chart_compact"):
    st.markdown(f"**{t('items_chart_title', lang, scale=scales[scale_id].name[lang], unit=unit_name, round=round_name, n=dist.n)}**")
    categories = [Category(answer_label[c], colour) for c, colour in zip(codes, colours)]
    rows = [ItemRow(text=item_text(i), n=int(shares.loc[i, "answered"]), shares=[float(shares.loc[i, c]) for c in codes],
                    dont_know=float(shares.loc[i, DONT_KNOW]), no_answer=float(shares.loc[i, NO_ANSWER])) for i in items]
    st.html(item_bars_html(categories, rows, (t("items_dont_know", lang), t("items_no_answer", lang)), t("items_label_n", lang), lang))
    csv_button(lambda: csv_bytes(table), lang, f"sporsmal-{scale_id}-{round_name}", "items_compact")  # written on download: the chart's button wrote it already
st.caption(t("items_shares_note", lang, n=dist.n))
if dist.hidden_items:
    st.caption(t("items_hidden_items", lang, items=", ".join(dist.hidden_items), min_n=dist.min_n))
if any(instrument.item(i).reverse for i in items):
    st.caption(t("items_reverse_note", lang))
st.dataframe(for_page(table, lang), hide_index=True, width="stretch", placeholder=NO_VALUE)  # "Svar": the item's valid answers (a count, as n)
st.caption(t("suppression_note", lang, min_n=dist.min_n))
