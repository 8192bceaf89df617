"""Shared chart conventions: a colour-blind-safe palette and "chart + its table" downloads.

Palette: Okabe & Ito (2008), "Color Universal Design" — distinguishable with the common forms
of colour-vision deficiency. Diverging scales (item distributions, heatmaps) use ColorBrewer's
RdBu/PuOr, which are also colour-blind safe. Every chart is shown with Plotly's toolbar, whose
camera button downloads the chart as PNG; :func:`show_chart` adds the table behind it as CSV.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from dashboard.i18n import t
from scoring.formats.tables import csv_bytes
from scoring.reporting.numbers import plotly_separators

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
DIVERGING = "RdBu"  # ColorBrewer, colour-blind safe
SUPPRESSED_GREY = "#BBBBBB"

# The pages draw bars, heatmaps and scatters only. plotly_white carries defaults for 24 trace
# types, and every styled figure deep-copies its template (about half the styling of a Compare
# unit change, py-spy); this one is plotly_white's layout and its defaults for those three
# types, so the figures look the same. A figure with another trace type gets plotly_white.
TRACE_TYPES = ("bar", "heatmap", "scatter")
TEMPLATE = "samklima_white"
_white = pio.templates["plotly_white"]
pio.templates[TEMPLATE] = go.layout.Template(layout=_white.layout, data={k: _white.data[k] for k in TRACE_TYPES})

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


def style(fig: go.Figure, height: int = 420, lang: str = "nb") -> go.Figure:
    """Apply the palette, a plain layout (white background, readable fonts) and the language's
    decimal mark and thousands separator in hover and axis labels
    (:func:`scoring.reporting.numbers.plotly_separators`).

    The legend sits about 60 px below the plot at any height (a fixed fraction would push it
    far down a tall chart with one row per unit)."""
    fig.update_layout(
        colorway=list(OKABE_ITO),
        template=TEMPLATE if {trace.type for trace in fig.data} <= set(TRACE_TYPES) else "plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"size": 14},
        legend={"orientation": "h", "y": -60 / max(height - 50, 100)},
        separators=plotly_separators(lang),
    )
    return fig


def show_chart(fig: go.Figure, table: pd.DataFrame, lang: str, name: str, key: str) -> None:
    """The chart (PNG via its toolbar) and a button that downloads ``table`` as CSV for Excel
    (:func:`scoring.formats.tables.csv_bytes`: formulas neutralised, byte-order mark first).

    ``name`` becomes the file name (``samklima-<name>.csv``); ``key`` keeps widgets unique.
    A height already set on ``fig`` (e.g. one row per unit) is kept.
    """
    st.plotly_chart(style(fig, height=fig.layout.height or 420, lang=lang), width="stretch", config=PLOTLY_CONFIG, key=f"chart_{key}")
    csv_button(csv_bytes(table), lang, name, key)


def csv_button(content: bytes | Callable[[], bytes], lang: str, name: str, key: str) -> None:
    """The button under a chart that downloads its table as ``samklima-<name>.csv``: ``content``
    already written as CSV (:func:`csv_bytes`), or a function that writes it when the button is
    clicked (Streamlit calls it then, outside the page's run); ``key`` as for :func:`show_chart`."""
    st.download_button(
        t("download_csv", lang),
        content,
        file_name=f"samklima-{name}.csv",
        mime="text/csv",
        key=f"csv_{key}",
    )
