"""The client's course as charts: outcome total with its bands, visit total with its threshold.

Everything drawn comes from :class:`scoring.feedback.clients.ClientFeedback` (``table`` and ``bands``);
colours are Okabe & Ito's (:mod:`dashboard.charts`): the client's scores in blue, the expected
course in orange, below-threshold visits in vermillion, bands in grey and green.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dashboard.charts import OKABE_ITO
from dashboard.i18n import t
from scoring.feedback.alerts import number
from scoring.feedback.clients import ClientFeedback

BLUE, ORANGE, GREEN, SKY, VERMILLION = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[5]
BAND_GREY = "rgba(120, 120, 120, 0.18)"
ABOVE_CUTOFF = "rgba(0, 158, 115, 0.10)"
EXPECTED_BAND = "rgba(230, 159, 0, 0.22)"


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _axes(fig: go.Figure, contacts, top: float, lang: str) -> tuple[float, float]:
    low, high = float(min(contacts)) - 0.5, float(max(max(contacts), 3)) + 0.5
    fig.update_xaxes(title=t("clients_axis_contact", lang), range=[low, high], dtick=1, showgrid=False)
    fig.update_yaxes(title=t("clients_axis_total", lang), range=[0, top], dtick=10)
    fig.update_layout(hovermode="x unified", margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return low, high


def outcome_figure(view: ClientFeedback, lang: str) -> go.Figure:
    """Outcome total per contact; the reliable-change band around the intake score; the area
    above the cut-off; the expected course and its 25th-75th percentile band when there is one."""
    table, bands = view.table, view.bands
    top = bands["outcome_range"][1]
    fig = go.Figure()
    low, high = _axes(fig, table["contact"], top, lang)
    cutoff = bands["cutoff"]
    if _finite(cutoff):
        fig.add_trace(go.Scatter(
            x=[low, high, high, low], y=[cutoff, cutoff, top, top], fill="toself", mode="lines", fillcolor=ABOVE_CUTOFF,
            line={"width": 0}, hoverinfo="skip", showlegend=False,
        ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=[low, high], y=[cutoff, cutoff], mode="lines", line={"color": GREEN, "dash": "dash", "width": 2},
            name=t("clients_trace_cutoff", lang, cutoff=number(cutoff, lang, 0)), hoverinfo="skip",
        ))  # fmt: skip
    if _finite(bands["minimal_reliable_difference"]) and _finite(bands["intake"]):
        lo, hi = max(bands["reliable_low"], 0.0), min(bands["reliable_high"], top)
        fig.add_trace(go.Scatter(
            x=[low, high, high, low], y=[lo, lo, hi, hi], fill="toself", mode="lines", fillcolor=BAND_GREY, line={"width": 0},
            name=t("clients_trace_reliable_band", lang, mrd=number(bands["minimal_reliable_difference"], lang)), hoverinfo="skip",
        ))  # fmt: skip
    if "expected" in table.columns and table["expected"].notna().any():
        shown = table[table["expected"].notna()]
        fig.add_trace(go.Scatter(
            x=list(shown["contact"]) + list(shown["contact"])[::-1],
            y=list(shown["expected_p75"]) + list(shown["expected_p25"])[::-1],
            fill="toself", mode="lines", fillcolor=EXPECTED_BAND, line={"width": 0}, hoverinfo="skip",
            name=t("clients_trace_expected_band", lang),
        ))  # fmt: skip
        fig.add_trace(go.Scatter(
            x=shown["contact"], y=shown["expected"].round(1), mode="lines", line={"color": ORANGE, "dash": "dot", "width": 2},
            name=t("clients_trace_expected", lang),
        ))  # fmt: skip
    fig.add_trace(go.Scatter(
        x=table["contact"], y=table["outcome_total"], mode="lines+markers", line={"color": BLUE, "width": 3},
        marker={"size": 12}, name=t("clients_trace_outcome", lang), connectgaps=True,
    ))  # fmt: skip
    fig.update_layout(title=t("clients_outcome_chart", lang))
    return fig


def visit_figure(view: ClientFeedback, lang: str) -> go.Figure:
    """Visit total per contact as bars, vermillion below the threshold, and the threshold."""
    table, bands = view.table, view.bands
    top = bands["visit_range"][1]
    fig = go.Figure()
    low, high = _axes(fig, table["contact"], top, lang)
    threshold = bands["visit_threshold"]
    below = table["visit_total"] < threshold if _finite(threshold) else table["visit_total"] != table["visit_total"]
    fig.add_trace(go.Bar(
        x=table["contact"], y=table["visit_total"], marker={"color": [VERMILLION if b else SKY for b in below]},
        name=t("clients_trace_visit", lang), width=0.6,
    ))  # fmt: skip
    if _finite(threshold):
        fig.add_trace(go.Scatter(
            x=[low, high], y=[threshold, threshold], mode="lines", line={"color": VERMILLION, "dash": "dash", "width": 2},
            name=t("clients_trace_threshold", lang, threshold=number(threshold, lang, 0)), hoverinfo="skip",
        ))  # fmt: skip
    fig.update_layout(title=t("clients_visit_chart", lang))
    return fig
