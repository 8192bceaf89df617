"""Plotly figures of the overview and trends pages (shown with :func:`dashboard.charts.show_chart`,
which applies the shared style and keeps the height set here).

Figures only draw what :mod:`scoring` computed; suppressed units stay in the picture as a
labelled row ("for få svar"), never as a number. Units run down the y axis in the order given
(tree order by default), so no chart reads as a league table. The Compare page's one-scale
chart is HTML (:mod:`dashboard.whisker_html`), as is its heatmap (:mod:`dashboard.heat_table`).
"""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import OKABE_ITO
from dashboard.describe import hidden_label, interval
from dashboard.i18n import t
from dashboard.unit_filter import label_parts
from scoring.reporting.numbers import count, number, percent

ROW_HEIGHT = 30
# Orange (below) to white to blue (above), ColorBrewer PuOr's orange arm and RdBu's blue arm:
# colour-blind safe, and the blue end is darker than the orange one, so greyscale keeps the sign.
HEATMAP_COLOURS = [[0.0, "#E08214"], [0.25, "#FDB863"], [0.5, "#F7F7F7"], [0.75, "#92C5DE"], [1.0, "#2166AC"]]
UNCLEAR_TINT = 0.3
MAX_PANELS = 30


def _wrap(name: str, width: int = 16) -> str:
    """``name`` HTML-escaped and broken at spaces into lines of about ``width`` characters, so
    that the titles of panels side by side do not run into each other on a narrow screen."""
    lines: list[str] = []
    for word in filter(None, name.split(" ")):  # a no-break space holds its words together
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(html.escape(line) for line in lines)


def _ticks(labels: list[str], suffixes: list[str] | None = None, wrap: int | None = None) -> list[str]:
    """Axis labels; the top level of a tree (no leading no-break spaces from the unit filter) in
    bold, because Plotly right-aligns axis labels and the indentation would not show. With
    ``wrap``, a longer label is broken into lines of about that many characters."""
    suffixes = suffixes or [""] * len(labels)
    names, levels = zip(*map(label_parts, labels)) if labels else ((), ())
    tree = any(levels)
    out = []
    for name, level, suffix in zip(names, levels, suffixes):
        whole = name + suffix
        text = _wrap(whole, wrap) if wrap and len(whole) > wrap else html.escape(whole)
        out.append(f"<b>{text}</b>" if tree and level == 0 else text)
    return out


def _unit_axis(fig: go.Figure, units: list[str], ticktext: list[str]) -> None:
    fig.update_yaxes(categoryorder="array", categoryarray=units, tickvals=units, ticktext=ticktext, autorange="reversed",
                     tickfont={"color": "#31333F"})


def rate_bars(rows: pd.DataFrame, labels: dict[str, str], lang: str) -> go.Figure:
    """Response rate per unit as horizontal bars with responses/invited; hidden counts labelled."""
    units = list(rows["unit"])
    rated = rows[~rows["suppressed"] & rows["response_rate"].notna()]
    other = rows[~rows["unit"].isin(rated["unit"])]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=100 * rated["response_rate"], y=rated["unit"], orientation="h", marker={"color": OKABE_ITO[0]},
        text=[t("overview_bar_text", lang, rate=percent(r.response_rate, lang), responses=count(r.responses, lang), invited=count(r.invited, lang))
              for r in rated.itertuples()],
        textposition="outside", cliponaxis=False, showlegend=False,
        hovertext=[t("overview_hover", lang, name=html.escape(r.name), responses=count(r.responses, lang), invited=count(r.invited, lang),
                     rate=percent(r.response_rate, lang))
                   for r in rated.itertuples()],
        hoverinfo="text",
    ))
    if not other.empty:
        words = [hidden_label(r.why, lang) if r.suppressed else t("overview_no_headcount", lang) for r in other.itertuples()]
        fig.add_trace(go.Scatter(
            x=[0] * len(other), y=other["unit"], mode="text", text=words, textposition="middle right",
            textfont={"color": "#555555"}, showlegend=False, hoverinfo="skip",
        ))
    top = max(100.0, float(100 * rated["response_rate"].max()) if not rated.empty else 100.0)
    _unit_axis(fig, units, _ticks([labels[u] for u in units]))
    fig.update_xaxes(range=[0, top * 1.25], tickvals=list(range(0, int(top) + 1, 20)), title=t("overview_rate_pct", lang))
    fig.update_layout(height=ROW_HEIGHT * len(units) + 120)
    return fig


def trend_panels(rows: pd.DataFrame, units: list[str], labels: dict[str, str], rounds: list[str], lang: str) -> go.Figure:
    """One small panel per unit: mean and 95% CI per round; a clear change is a coloured triangle."""
    units = units[:MAX_PANELS]
    cols = min(3, max(1, len(units)))
    nrows = math.ceil(len(units) / cols)
    fig = make_subplots(rows=nrows, cols=cols, shared_yaxes=True, subplot_titles=[_wrap(labels[u].lstrip("\u00a0")) for u in units],
                        vertical_spacing=min(0.12, 0.5 / max(nrows, 1)), horizontal_spacing=0.04)
    shown = rows[~rows["suppressed"]]
    values = pd.concat([shown["ci_low"], shown["ci_high"]]).dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (1.0, 5.0)
    pad = max(0.1, 0.08 * (high - low))
    legend_done: set[str] = set()
    for i, unit in enumerate(units):
        r, c = divmod(i, cols)
        mine = rows[rows["unit"] == unit].set_index("round").reindex(rounds)
        visible = mine[~mine["suppressed"].fillna(True).astype(bool)]
        hover = [
            t("trends_hover", lang, name=html.escape(labels[unit].lstrip("\u00a0")), round=rnd, mean=number(x.mean, lang),
              ci=interval(x.ci_low, x.ci_high, lang), n=x.n, change=x.change_words)
            for rnd, x in visible.iterrows()
        ]
        fig.add_trace(go.Scatter(
            x=list(visible.index), y=visible["mean"], mode="lines+markers", name=t("trends_legend_mean", lang),
            line={"color": "#555555", "width": 1.5}, marker={"color": "#555555", "size": 8},
            error_y={"type": "data", "symmetric": False, "array": visible["ci_high"] - visible["mean"],
                     "arrayminus": visible["mean"] - visible["ci_low"], "color": "#999999", "width": 4},
            hovertext=hover, hoverinfo="text", legendgroup="mean", showlegend="mean" not in legend_done,
        ), row=r + 1, col=c + 1)
        legend_done.add("mean")
        for reading, key, colour, symbol in (("higher", "up", OKABE_ITO[0], "triangle-up"), ("lower", "down", OKABE_ITO[5], "triangle-down")):
            flagged = visible[visible["change_reading"] == reading]
            if flagged.empty:
                continue
            fig.add_trace(go.Scatter(
                x=list(flagged.index), y=flagged["mean"], mode="markers", name=t(f"trends_legend_{key}", lang),
                marker={"color": colour, "symbol": symbol, "size": 15, "line": {"color": "#FFFFFF", "width": 1}},
                hoverinfo="skip", legendgroup=key, showlegend=key not in legend_done,
            ), row=r + 1, col=c + 1)
            legend_done.add(key)
        hidden = [rnd for rnd, gone in mine["suppressed"].fillna(False).astype(bool).items() if gone]
        if hidden:
            fig.add_trace(go.Scatter(
                x=hidden, y=[(low + high) / 2] * len(hidden), mode="text", text=[t("compare_too_few_cell", lang)] * len(hidden),
                textfont={"color": "#555555", "size": 12}, showlegend=False, hoverinfo="skip",
            ), row=r + 1, col=c + 1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=rounds)
    fig.update_yaxes(range=[low - pad, high + pad])
    fig.update_layout(height=250 * nrows + 90)
    fig.update_annotations(font_size=12)
    return fig


def table_height(rows: int, most: int = 700) -> int:
    """Pixel height of an ``st.dataframe`` that shows ``rows`` rows without scrolling (up to ``most``)."""
    return min(35 * (rows + 1) + 3, most)
