"""The charts' template: plotly_white's look with the defaults of the three trace types the
pages draw (dashboard.charts.TEMPLATE), so styling a figure copies less and draws the same."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.charts import TEMPLATE, TRACE_TYPES, style


def figure(*traces) -> go.Figure:
    return style(go.Figure(list(traces)), height=300, lang="nb")


def test_a_figure_of_bars_heatmaps_and_scatters_gets_plotly_whites_look():
    fig = figure(go.Bar(x=[1.0], y=["a"], orientation="h"), go.Heatmap(z=[[1.0]]), go.Scatter(x=[1.0], y=[2.0]))
    white = pio.templates["plotly_white"].to_plotly_json()
    drawn = fig.to_dict()["layout"]["template"]
    assert drawn["layout"] == white["layout"]
    assert {k: drawn["data"][k] for k in TRACE_TYPES} == {k: white["data"][k] for k in TRACE_TYPES}
    assert set(drawn["data"]) == set(TRACE_TYPES) and len(white["data"]) > 20  # the copy is the smaller one
    assert fig.layout.colorway[0] == "#0072B2" and fig.layout.separators == ",\u00a0"


def test_another_trace_type_gets_plotly_white_itself():
    fig = figure(go.Pie(values=[1, 2]))
    assert set(fig.to_dict()["layout"]["template"]["data"]) == set(pio.templates["plotly_white"].to_plotly_json()["data"])
    assert TEMPLATE in pio.templates
