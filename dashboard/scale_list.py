"""The Compare page's all-scales view for a phone: one list of scales per unit instead of the
heatmap (:func:`dashboard.unit_charts.heatmap`), whose twelve columns cannot be read at 360 px.

The list holds the same cells as the heatmap, from the same publication: each scale's full
name, the unit's mean and n, and the signed difference from the organisation mean after a
swatch in the heatmap's colour (:data:`dashboard.unit_charts.HEATMAP_COLOURS`, an unclear
difference tinted at :data:`~dashboard.unit_charts.UNCLEAR_TINT`) and a shape (▲ clearly above,
▼ clearly below, ● not distinguishable), so the reading survives greyscale and colour-blindness.
Text stays black on white (the swatch carries no text), so contrast holds at any colour.
A hidden cell says why, as in the heatmap.

Which of the two a browser shows is decided by CSS on the browser's width (:data:`SWITCH_CSS`):
Streamlit cannot read the viewport on the server, and a media query needs no round trip. The
same rule leaves the same-type and difference columns out of the one-scale table on a phone
(they stay in its CSV and in the chart's hover), so unit, n, mean and reading fit 360 px.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pandas as pd
from plotly.colors import sample_colorscale

from dashboard.describe import hidden_label
from dashboard.i18n import t
from dashboard.unit_charts import HEATMAP_COLOURS, UNCLEAR_TINT
from scoring.reporting.numbers import count, number, signed

NARROW = 640  # px: a phone in portrait (Streamlit's own layout turns to one column near here)
SWITCH_CSS = f"""<style>
@media (max-width: {NARROW}px) {{
  .st-key-compare_heatmap_wide {{ display: none; }}
  .st-key-compare_table table tr > :nth-child(4), .st-key-compare_table table tr > :nth-child(6) {{ display: none; }}
  .st-key-compare_table table {{ font-size: 0.85rem; }}
  .st-key-compare_table table th, .st-key-compare_table table td {{ padding: 0.35rem 0.3rem; }}
}}
@media (min-width: {NARROW + 1}px) {{ .st-key-compare_heatmap_compact {{ display: none; }} }}
.sk-scales {{ width: 100%; border-collapse: collapse; font-size: 0.9rem; }}
.sk-scales th[scope='row'] {{ font-weight: 400; }}
.sk-scales td.hidden {{ color: #555555; }}
.sk-scales th, .sk-scales td {{ padding: 0.3rem 0.25rem; border-bottom: 1px solid #E6E6E6; text-align: left; vertical-align: top; }}
.sk-scales td.num {{ text-align: right; white-space: nowrap; }}
.sk-swatch {{ display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #767676; margin-right: 0.3em; vertical-align: -0.1em; }}
</style>"""
SHAPES = {"higher": "▲", "lower": "▼", "unclear": "●"}


def swatch_colour(diff: float, clear: bool, limit: float) -> str:
    """The heatmap's colour of a difference ``diff`` (scaled to ±``limit``; unclear ones tinted)."""
    if not math.isfinite(diff) or limit <= 0:
        return "#F7F7F7"
    tinted = diff if clear else UNCLEAR_TINT * diff
    return sample_colorscale(HEATMAP_COLOURS, [min(1.0, max(0.0, 0.5 + tinted / (2 * limit)))])[0]


def unit_rows(matrix: pd.DataFrame, unit: str, scale_names: dict[str, str]) -> pd.DataFrame:
    """The unit's cells in the order of ``scale_names`` (a scale without a cell is hidden)."""
    cells = matrix[matrix["unit"] == unit].set_index("scale").reindex(list(scale_names))
    cells["suppressed"] = cells["suppressed"].fillna(True).astype(bool)
    return cells


def scale_list_html(cells: pd.DataFrame, scale_names: dict[str, str], limit: float, lang: str) -> str:
    """One unit's scales as a small HTML table: scale, mean (n), difference with swatch and shape."""
    head = (f"<tr><th scope='col'>{html.escape(t('scale', lang))}</th><th scope='col' class='num'>{html.escape(t('mean', lang))} (n)</th>"
            f"<th scope='col' class='num'>{html.escape(t('compare_scale_list_diff', lang))}</th></tr>")
    rows = []
    for scale, r in cells.iterrows():
        name = html.escape(scale_names[scale])
        if r["suppressed"] or pd.isna(r["mean"]):
            rows.append(f"<tr><th scope='row'>{name}</th><td colspan='2' class='hidden'>– {html.escape(hidden_label(r['why'], lang))}</td></tr>")
            continue
        gap = float(r["mean"]) - float(r["org_mean"]) if pd.notna(r["org_mean"]) else math.nan
        reading = r["vs_organisation"] if isinstance(r["vs_organisation"], str) else None
        if math.isfinite(gap):
            colour = swatch_colour(gap, reading in ("higher", "lower"), limit)
            label = html.escape(t(f"compare_legend_{reading}", lang)) if reading else ""
            diff = (f"<span class='sk-swatch' style='background:{colour}' aria-hidden='true'></span>"
                    + (f"<span role='img' title='{label}' aria-label='{label}'>{SHAPES[reading]}</span> " if reading in SHAPES else "")
                    + html.escape(signed(gap, lang)))
        else:
            diff = "–"
        rows.append(f"<tr><th scope='row'>{name}</th><td class='num'>{html.escape(number(r['mean'], lang))} ({html.escape(count(r['n'], lang))})</td>"
                    f"<td class='num'>{diff}</td></tr>")
    return f"<table class='sk-scales'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def unit_title(name: str, cells: pd.DataFrame, lang: str) -> str:
    """The unit's name; for a unit hidden on every scale, why (as the heatmap writes across its row)."""
    if not cells["suppressed"].all():
        return name
    why = "below_min_n" if "below_min_n" in set(cells["why"].dropna()) else "protects_other"
    return f"{name} ({hidden_label(why, lang)})"


def difference_limit(matrix: pd.DataFrame) -> float:
    """The largest absolute shown difference, which the heatmap's colours span."""
    shown = matrix[~matrix["suppressed"].fillna(True).astype(bool)]
    diff = (shown["mean"] - shown["org_mean"]).to_numpy(dtype=float)
    return float(np.nanmax(np.abs(diff))) if np.isfinite(diff).any() else 1.0


def legend(lang: str) -> str:
    """The shapes' meaning, one line."""
    return " · ".join(f"{shape} {t(f'compare_legend_{reading}', lang)}" for reading, shape in SHAPES.items())
