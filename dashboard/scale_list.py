"""The Compare page's all-scales view for a phone: one list of scales per unit instead of the
heatmap table (:func:`dashboard.heat_table.heatmap_html`), one column per scale, too many to read at 360 px.

The list holds the same cells as the heatmap, from the same publication: each scale's full
name, the unit's mean and n, and the signed difference from the organisation mean after a
swatch in the heatmap's colour (:data:`dashboard.unit_charts.HEATMAP_COLOURS`, an unclear
difference tinted at :data:`~dashboard.unit_charts.UNCLEAR_TINT`) and a shape (▲ clearly above,
▼ clearly below, ● not distinguishable), so the reading survives greyscale and colour-blindness.
Text stays black on white (the swatch carries no text), so contrast holds at any colour.
A hidden cell says why, as in the heatmap.

All units' lists are one HTML fragment (:func:`units_html`, one ``st.html``): a ``<details>``
per unit, which a phone opens and closes without a round trip, instead of a Streamlit expander
per unit (at 1,500 units the page sent 1,500 expanders, each its own element, that only a phone
shows); a unit hidden on every scale is its title and why alone. Built in one reindex of the
matrix and one call of the colour scale, not a selection per unit.

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


def width_switch(wide: str, compact: str) -> str:
    """CSS that shows the container keyed ``wide`` above :data:`NARROW` px and the one keyed
    ``compact`` at or below it (Streamlit cannot read the viewport on the server). When the page
    has no ``compact`` container (a browser that is not a phone is not sent it,
    :mod:`dashboard.device`) the ``wide`` one shows at any width."""
    return (f"@media (max-width: {NARROW}px) {{ body:has(.st-key-{compact}) .st-key-{wide} {{ display: none; }} }}\n"
            f"@media (min-width: {NARROW + 1}px) {{ .st-key-{compact} {{ display: none; }} }}\n")


SWITCH_CSS = f"""<style>
{width_switch("compare_heatmap_wide", "compare_heatmap_compact")}@media (max-width: {NARROW}px) {{
  .st-key-compare_table table tr > :nth-child(4), .st-key-compare_table table tr > :nth-child(6) {{ display: none; }}
  .st-key-compare_table table {{ font-size: 0.85rem; }}
  .st-key-compare_table table th, .st-key-compare_table table td {{ padding: 0.35rem 0.3rem; }}
}}
.sk-scales {{ width: 100%; border-collapse: collapse; font-size: 0.9rem; }}
.sk-scales th[scope='row'] {{ font-weight: 400; }}
.sk-scales td.hidden {{ color: #555555; }}
.sk-scales th, .sk-scales td {{ padding: 0.3rem 0.25rem; border-bottom: 1px solid #E6E6E6; text-align: left; vertical-align: top; }}
.sk-scales td.num {{ text-align: right; white-space: nowrap; }}
.sk-unit {{ border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; margin-bottom: 0.5rem; padding: 0 0.75rem; }}
.sk-unit > summary {{ cursor: pointer; padding: 0.6rem 0; }}
.sk-unit > summary:focus-visible {{ outline: 2px solid #0072B2; outline-offset: 2px; }}
.sk-unit[open] > summary {{ border-bottom: 1px solid #E6E6E6; }}
.sk-unit > table {{ margin: 0.25rem 0 0.5rem; }}
div.sk-unit-hidden {{ padding: 0.6rem 0.75rem; color: #555555; }}
.sk-swatch {{ display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #767676; margin-right: 0.3em; vertical-align: -0.1em; }}
</style>"""
SHAPES = {"higher": "▲", "lower": "▼", "unclear": "●"}


def swatch_colours(diffs, clear, limit: float) -> list[str]:
    """The heatmap's colours of the differences ``diffs`` (scaled to ±``limit``; an unclear one,
    ``clear`` False, tinted at :data:`UNCLEAR_TINT`), one call of Plotly's colour scale for all."""
    diffs = np.asarray(diffs, dtype=float)
    tinted = np.where(np.asarray(clear, dtype=bool), diffs, UNCLEAR_TINT * diffs)
    known = np.isfinite(tinted) & (limit > 0)
    out = ["#F7F7F7"] * len(diffs)
    if known.any():
        points = np.clip(0.5 + tinted[known] / (2 * limit), 0.0, 1.0)
        for at, colour in zip(np.flatnonzero(known), sample_colorscale(HEATMAP_COLOURS, points.tolist())):
            out[at] = colour
    return out


def swatch_colour(diff: float, clear: bool, limit: float) -> str:
    """The heatmap's colour of a difference ``diff`` (scaled to ±``limit``; unclear ones tinted)."""
    return swatch_colours([diff], [clear], limit)[0]


def unit_rows(matrix: pd.DataFrame, unit: str, scale_names: dict[str, str]) -> pd.DataFrame:
    """The unit's cells in the order of ``scale_names`` (a scale without a cell is hidden)."""
    return unit_blocks(matrix, [unit], scale_names)


def unit_blocks(matrix: pd.DataFrame, units: list[str], scale_names: dict[str, str]) -> pd.DataFrame:
    """The cells of ``units`` x the scales of ``scale_names``, one block of ``len(scale_names)``
    rows per unit in the order given, indexed by scale (a scale without a cell is hidden): one
    reindex for all units instead of one selection per unit."""
    index = pd.MultiIndex.from_product([list(units), list(scale_names)], names=["unit", "scale"])
    cells = matrix.drop_duplicates(["unit", "scale"]).set_index(["unit", "scale"]).reindex(index)
    cells["suppressed"] = cells["suppressed"].astype(object).fillna(True).astype(bool)
    return cells.reset_index("unit")


def _row_html(cells: pd.DataFrame, scale_names: dict[str, str], limit: float, lang: str) -> list[str]:
    """One ``<tr>`` per cell of ``cells`` (scale, mean (n), difference with swatch and shape)."""
    shown = ~cells["suppressed"].to_numpy(dtype=bool) & cells["mean"].notna().to_numpy()
    gap = (cells["mean"].astype(float) - cells["org_mean"].astype(float)).to_numpy()
    readings = [r if isinstance(r, str) else None for r in cells["vs_organisation"]]
    colours = swatch_colours(gap, [r in ("higher", "lower") for r in readings], limit)
    labels = {r: html.escape(t(f"compare_legend_{r}", lang)) for r in SHAPES}
    rows = []
    for scale, visible, mean, n, why, diff, reading, colour in zip(
            cells.index, shown, cells["mean"], cells["n"], cells["why"], gap, readings, colours):
        name = html.escape(scale_names[scale])
        if not visible:
            rows.append(f"<tr><th scope='row'>{name}</th><td colspan='2' class='hidden'>– {html.escape(hidden_label(why, lang))}</td></tr>")
            continue
        if math.isfinite(diff):
            label = labels.get(reading, "")
            text = (f"<span class='sk-swatch' style='background:{colour}' aria-hidden='true'></span>"
                    + (f"<span role='img' title='{label}' aria-label='{label}'>{SHAPES[reading]}</span> " if reading in SHAPES else "")
                    + html.escape(signed(diff, lang)))
        else:
            text = "–"
        rows.append(f"<tr><th scope='row'>{name}</th><td class='num'>{html.escape(number(mean, lang))} ({html.escape(count(n, lang))})</td>"
                    f"<td class='num'>{text}</td></tr>")
    return rows


def _table(rows: list[str], lang: str) -> str:
    head = (f"<tr><th scope='col'>{html.escape(t('scale', lang))}</th><th scope='col' class='num'>{html.escape(t('mean', lang))} (n)</th>"
            f"<th scope='col' class='num'>{html.escape(t('compare_scale_list_diff', lang))}</th></tr>")
    return f"<table class='sk-scales'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def scale_list_html(cells: pd.DataFrame, scale_names: dict[str, str], limit: float, lang: str) -> str:
    """One unit's scales as a small HTML table: scale, mean (n), difference with swatch and shape."""
    return _table(_row_html(cells, scale_names, limit, lang), lang)


def units_html(matrix: pd.DataFrame, units: list[str], names: dict[str, str], scale_names: dict[str, str], lang: str,
               blocks: pd.DataFrame | None = None) -> str:
    """Every unit's list of scales as one HTML fragment, for one ``st.html`` instead of an
    expander per unit: a ``<details>`` per unit (the first open), titled by
    :func:`unit_title`; a unit hidden on every scale is its title alone. Colours span the
    largest shown difference of these units (:func:`difference_limit`), as the heatmap's do.
    ``blocks``: :func:`unit_blocks` of the same arguments, if the caller has it."""
    if not units:
        return ""
    cells = unit_blocks(matrix, units, scale_names) if blocks is None else blocks
    limit = difference_limit(cells)
    rows = _row_html(cells, scale_names, limit, lang)
    width = len(scale_names)
    hidden = cells["suppressed"].to_numpy(dtype=bool).reshape(len(units), width).all(axis=1)
    too_few = (cells["why"].to_numpy(dtype=object) == "below_min_n").reshape(len(units), width).any(axis=1)
    words = {True: hidden_label("below_min_n", lang), False: hidden_label("protects_other", lang)}
    blocks = []
    for position, unit in enumerate(units):
        if hidden[position]:  # as unit_title: why, "too few answers" where any scale says so
            blocks.append(f"<div class='sk-unit sk-unit-hidden'>{html.escape(f'{names[unit]} ({words[bool(too_few[position])]})')}</div>")
            continue
        blocks.append(f"<details class='sk-unit'{' open' if position == 0 else ''}><summary>{html.escape(names[unit])}</summary>"
                      f"{_table(rows[position * width:(position + 1) * width], lang)}</details>")
    return f"<div class='sk-units'>{''.join(blocks)}</div>"


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
