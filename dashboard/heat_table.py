"""The Compare page's units-by-scales heatmap as one HTML table, on a screen wider than a phone.

Each cell holds the unit's mean, the signed difference from the organisation mean with a shape
for the reading (▲ clearly above, ▼ clearly below, ● not distinguishable) and n; its background
is the difference's colour (:data:`dashboard.unit_charts.HEATMAP_COLOURS`, an unclear difference
tinted at :data:`~dashboard.unit_charts.UNCLEAR_TINT`, spanning the largest shown difference of
these units), the same colours, numbers and shapes as the phone's list
(:mod:`dashboard.scale_list`, which shares the cell formatting). A hidden cell is grey with a
dash and says why in its title; a unit hidden on every scale says why across its row.

Why a table and not a Plotly heatmap: drawing the heatmap was about a second of the browser's
main thread on a first render of Compare (41 units x 14 scales, national round, measured with and
without it), and a widget change drew it again; a table of the same cells is laid out in a few
milliseconds, reads cell by cell with a screen reader (``<th scope>`` for units and scales) and
keeps its text black or white on any colour, whichever contrasts more (at least 4.5:1, WCAG 2.1
1.4.3). Its CSV is under it as before; Plotly's PNG button is what it gives up.

Wide tables scroll sideways in their own box, reachable by keyboard, with the unit column kept
in view.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from dashboard.describe import hidden_label, interval
from dashboard.i18n import t
from dashboard.scale_list import SHAPES, difference_limit, swatch_colours, unit_blocks
from dashboard.unit_filter import label_parts
from scoring.reporting.numbers import count, number, signed

HIDDEN_GREY = "#E6E6E6"
HIDDEN_TEXT = "#555555"
CSS = f"""<style>
.sk-heat-box {{ overflow-x: auto; max-width: 100%; }}
.sk-heat-box:focus-visible {{ outline: 2px solid #0072B2; outline-offset: 2px; }}
.sk-heat {{ border-collapse: separate; border-spacing: 1px; font-size: 0.75rem; }}
.sk-heat th[scope='col'] {{ font-weight: 400; vertical-align: bottom; text-align: left; padding: 0.2rem 0.05rem;
  writing-mode: vertical-rl; transform: rotate(180deg); max-height: 13rem; white-space: normal; }}
.sk-heat th[scope='row'] {{ font-weight: 400; text-align: left; padding: 0.2rem 0.4rem 0.2rem 0; min-width: 8rem;
  max-width: 12rem; position: sticky; left: 0; background: #FFFFFF; z-index: 1; }}
.sk-heat th.top {{ font-weight: 700; }}
.sk-heat td {{ text-align: center; white-space: nowrap; padding: 0.2rem 0.1rem; line-height: 1.25; }}
.sk-heat td.hidden {{ background: {HIDDEN_GREY}; color: {HIDDEN_TEXT}; }}
.sk-heat td.row-hidden {{ background: {HIDDEN_GREY}; color: {HIDDEN_TEXT}; text-align: left; white-space: normal; }}
</style>"""


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (``rgb(r, g, b)`` or
    ``#rrggbb``): relative luminance L (WCAG 2.1), black when L > 0.179, where both contrasts
    are equal ((L + 0.05) / 0.05 = 1.05 / (L + 0.05))."""
    if background.startswith("#"):
        channels = [int(background[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(c)) for c in background[background.index("(") + 1:background.index(")")].split(",")]
    linear = [(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def heatmap_html(matrix: pd.DataFrame, units: list[str], labels: dict[str, str], scale_names: dict[str, str],
                 lang: str, names: dict[str, str], blocks: pd.DataFrame | None = None) -> str:
    """The units (rows, in the order given, with their ``labels``) x scales (columns) table of
    :func:`dashboard.data_compare.scale_matrix`'s cells; see the module docstring. ``blocks``:
    :func:`dashboard.scale_list.unit_blocks` of the same arguments, if the caller has it."""
    if not units:
        return ""
    scales = list(scale_names)
    cells = unit_blocks(matrix, units, scale_names) if blocks is None else blocks
    limit = difference_limit(cells)
    shown = ~cells["suppressed"].to_numpy(dtype=bool) & cells["mean"].notna().to_numpy()
    gap = (cells["mean"].astype(float) - cells["org_mean"].astype(float)).to_numpy()
    readings = [r if isinstance(r, str) else None for r in cells["vs_organisation"]]
    colours = swatch_colours(gap, [r in ("higher", "lower") for r in readings], limit)
    legend = {r: t(f"compare_legend_{r}", lang) for r in SHAPES}
    width = len(scales)
    whole_row = (~shown).reshape(len(units), width).all(axis=1)
    too_few = (cells["why"].to_numpy(dtype=object) == "below_min_n").reshape(len(units), width).any(axis=1)
    parts = [label_parts(labels[u]) for u in units]
    tree = any(level for _, level in parts)

    # columns as arrays once: the loop below reads each cell's values by position
    means, ns, whys = cells["mean"].to_numpy(dtype=float), cells["n"].to_numpy(dtype=object), cells["why"].to_numpy(dtype=object)
    lows, highs = cells["ci_low"].to_numpy(dtype=float), cells["ci_high"].to_numpy(dtype=float)
    head = "".join(f"<th scope='col'>{html.escape(scale_names[s])}</th>" for s in scales)
    body = []
    for position, unit in enumerate(units):
        name, level = parts[position]
        indent = f" style='padding-left:{0.8 * level:.1f}rem'" if level else ""
        row = [f"<tr><th scope='row'{' class=top' if tree and level == 0 else ''}{indent}>{html.escape(name)}</th>"]
        if whole_row[position]:
            why = "below_min_n" if too_few[position] else "protects_other"
            row.append(f"<td class='row-hidden' colspan='{width}'>{html.escape(hidden_label(why, lang))}</td></tr>")
            body.append("".join(row))
            continue
        for column in range(width):
            at = position * width + column
            scale = scale_names[scales[column]]
            if not shown[at]:
                why = hidden_label(whys[at], lang)
                row.append(f"<td class='hidden' title='{html.escape(f'{names[unit]}: {scale}: {why}')}'>–</td>")
                continue
            mean, n, reading, diff = means[at], ns[at], readings[at], gap[at]
            lines = [html.escape(number(mean, lang))]
            if np.isfinite(diff):
                shape = (f"<span role='img' aria-label='{html.escape(legend[reading])}'>{SHAPES[reading]}</span>\u00a0"
                         if reading in SHAPES else "")
                lines.append(shape + html.escape(signed(diff, lang)))
            lines.append(f"n\u00a0{html.escape(count(n, lang))}")
            about = [names[unit], scale, t("compare_heatmap_title_cell", lang, mean=number(mean, lang),
                                             ci=interval(lows[at], highs[at], lang), n=count(n, lang))]
            if reading in SHAPES:
                about.append(legend[reading])
            style = f"background:{colours[at]};color:{text_colour(colours[at])}"
            row.append(f"<td style='{style}' title='{html.escape(chr(10).join(about))}'>{'<br>'.join(lines)}</td>")
        row.append("</tr>")
        body.append("".join(row))
    caption = html.escape(t("compare_heatmap_caption", lang))
    return (f"{CSS}<div class='sk-heat-box' tabindex='0' role='region' aria-label='{caption}'>"
            f"<table class='sk-heat'><caption class='sr-only' style='position:absolute;left:-9999px'>{caption}</caption>"
            f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")
