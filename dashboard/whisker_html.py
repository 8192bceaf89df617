"""The Compare page's one-scale chart as HTML: each unit's mean and 95% CI against the
organisation, one row per unit in the order given (tree order: never a league table).

What it draws (the numbers are :func:`scoring.reporting.comparison.comparison`'s, from the
viewer's publication; nothing here computes one): the organisation's mean as a dashed line with
its 95% CI as a grey band behind every row; per shown unit its CI as a whisker and its mean as a
mark whose shape and colour say how it reads against the organisation (▶ clearly above, ◀
clearly below, ● not distinguishable: the shape survives greyscale and colour-blindness), the
mean of units of the same type as an open diamond; a hidden unit says why in its row and shows
no number. Positions are percentages of the plot's width, x = 100 (v - x0) / (x1 - x0), so the
chart fills a 1280 px screen and a 360 px phone alike, and the unit names wrap as text.

Why HTML and not Plotly: drawing the Plotly chart was about 0.3 s of the browser's main thread
on every first render of Compare and on every scale change (issue 15: a widget change at most
0.3 s); rows of positioned boxes are laid out in milliseconds. Every number is also in the
table under the chart, which a screen reader reads; the chart is one image to it (``role="img"``
with a label pointing to the table), and each row's title repeats its numbers on hover. The
marks are drawn with CSS borders, not glyphs, so the colours are those of graphics (WCAG 1.4.11),
not of text. Plotly's PNG button is what it gives up; the CSV stays.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from dashboard.charts import OKABE_ITO
from dashboard.describe import hidden_label, interval, versus_organisation
from dashboard.i18n import t
from dashboard.scale_list import NARROW
from dashboard.unit_filter import label_parts
from scoring.reporting.numbers import count, number

# Okabe-Ito blue and vermilion and a dark grey: with the shapes, the reading survives greyscale
COLOURS = {"higher": OKABE_ITO[0], "unclear": "#555555", "lower": OKABE_ITO[5]}
TYPE_COLOUR = OKABE_ITO[1]
BAND = "rgba(187, 187, 187, 0.35)"  # SUPPRESSED_GREY at 35%, as the organisation's interval was drawn before
CSS = f"""<style>
.sk-dots {{ font-size: 0.8rem; color: #31333F; margin: 0.25rem 0 0.75rem; }}
.sk-dots .row {{ display: grid; grid-template-columns: minmax(8.5rem, 34%) 1fr; align-items: stretch; }}
.sk-dots .name {{ padding: 0.25rem 0.5rem 0.25rem 0; line-height: 1.2; overflow-wrap: break-word; hyphens: auto; align-self: center; }}
.sk-dots .name.top {{ font-weight: 700; }}
.sk-dots .plot {{ position: relative; min-height: 1.9rem; }}
.sk-dots .band {{ position: absolute; top: 0; bottom: 0; background: {BAND}; }}
.sk-dots .org {{ position: absolute; top: 0; bottom: 0; border-left: 1.5px dashed #000000; }}
.sk-dots .grid {{ position: absolute; top: 0; bottom: 0; border-left: 1px solid #E8E8E8; }}
.sk-dots .ci {{ position: absolute; top: 50%; height: 0.6rem; margin-top: -0.3rem; box-sizing: border-box;
  border-left: 2px solid; border-right: 2px solid; }}
.sk-dots .ci::before {{ content: ""; position: absolute; left: 0; right: 0; top: 50%; margin-top: -1px; border-top: 2px solid; }}
.sk-dots .mark {{ position: absolute; top: 50%; width: 0; height: 0; }}
.sk-dots .higher {{ border-top: 0.4rem solid transparent; border-bottom: 0.4rem solid transparent;
  border-left: 0.7rem solid; margin: -0.4rem 0 0 -0.35rem; }}
.sk-dots .lower {{ border-top: 0.4rem solid transparent; border-bottom: 0.4rem solid transparent;
  border-right: 0.7rem solid; margin: -0.4rem 0 0 -0.35rem; }}
.sk-dots .unclear {{ width: 0.7rem; height: 0.7rem; border-radius: 50%; background: currentColor; margin: -0.35rem 0 0 -0.35rem; }}
.sk-dots .type {{ width: 0.5rem; height: 0.5rem; border: 2px solid; transform: rotate(45deg); margin: -0.25rem 0 0 -0.25rem;
  box-sizing: content-box; }}
.sk-dots .why {{ position: absolute; left: 0.3rem; top: 50%; transform: translateY(-50%); color: #555555;
  background: rgba(255, 255, 255, 0.9); padding: 0 0.2rem; line-height: 1.2; }}
.sk-dots .axis .plot, .sk-dots .head .plot {{ min-height: 1.3rem; }}
.sk-dots .tick {{ position: absolute; top: 0.1rem; transform: translateX(-50%); white-space: nowrap; }}
.sk-dots .orglabel {{ position: absolute; bottom: 0.1rem; white-space: nowrap; }}
@media (max-width: {NARROW}px) {{ /* a phone: the organisation's mean above its n, so the label stays on the screen */
  .sk-dots .orglabel .part {{ display: block; }}
  .sk-dots .head .plot {{ min-height: 2.5rem; }}
}}
.sk-dots .legend {{ display: flex; flex-wrap: wrap; gap: 0.3rem 1.1rem; margin-top: 0.5rem; }}
.sk-dots .legend span.key {{ position: relative; display: inline-block; width: 0.9rem; height: 0.9rem; vertical-align: -0.15rem;
  margin-right: 0.3rem; }}
.sk-dots .legend .key .mark {{ left: 50%; }}
.sk-dots .legend .key.bandkey {{ background: {BAND}; border-left: 1.5px dashed #000000; }}
</style>"""


def scale_range(rows: pd.DataFrame, organisation: dict) -> tuple[float, float]:
    """(x0, x1): every shown interval, same-type mean and the organisation's interval, with a
    margin of 5% of their span (at least 0.1) on each side; (1, 5) when nothing is shown."""
    shown = rows[~rows["suppressed"].astype(bool)]
    values = pd.concat([shown["ci_low"], shown["ci_high"], shown["type_mean"]]).dropna().astype(float).tolist()
    if not organisation.get("suppressed"):
        values += [float(v) for v in (organisation.get("ci_low"), organisation.get("ci_high")) if v is not None and not pd.isna(v)]
    if not values:
        return 1.0, 5.0
    low, high = min(values), max(values)
    pad = max(0.1, 0.05 * (high - low))
    return low - pad, high + pad


def ticks(x0: float, x1: float) -> tuple[list[float], int]:
    """(tick values inside [x0, x1], decimals to print them with): the smallest step of 0.05,
    0.1, 0.2, 0.25, 0.5, 1 or 2 that gives at most six ticks."""
    step = next(s for s in (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0) if (x1 - x0) / s <= 6)
    first = math.ceil(x0 / step - 1e-9)
    values = [round(k * step, 10) for k in range(first, math.floor(x1 / step + 1e-9) + 1)]
    decimals = 0 if step >= 1 else 1 if round(step * 10, 9).is_integer() else 2
    return values, decimals


def tick_anchor(share: float) -> str:
    """A tick's label is centred on its line, except at the ends of the axis, where it ends (right)
    or starts (left) there: centred, the last label ran past a phone's right edge."""
    if share >= 0.95:
        return ";transform:translateX(-100%)"
    if share <= 0.05:
        return ";transform:none"
    return ""


def whisker_html(rows: pd.DataFrame, labels: dict[str, str], organisation: dict, lang: str) -> str:
    """The chart (module docstring) of ``rows`` (:attr:`UnitComparison.units` of the units shown,
    in order: unit, name, n, mean, ci_low, ci_high, suppressed, why, vs_organisation,
    diff_organisation, diff_low, diff_high, type_mean, type_n, unit_type), ``labels`` the unit
    filter's label of each unit, ``organisation`` the organisation's cell."""
    x0, x1 = scale_range(rows, organisation)

    def at(value: float) -> str:
        return f"{100 * (float(value) - x0) / (x1 - x0):.2f}%"

    values, decimals = ticks(x0, x1)
    grid = "".join(f"<div class='grid' style='left:{at(v)}'></div>" for v in values)
    org_shown = not organisation.get("suppressed")
    behind = grid
    if org_shown:
        low, high = float(organisation["ci_low"]), float(organisation["ci_high"])
        behind += (f"<div class='band' style='left:{at(low)};width:{100 * (high - low) / (x1 - x0):.2f}%'></div>"
                   f"<div class='org' style='left:{at(organisation['mean'])}'></div>")
    parts = [label_parts(labels[u]) for u in rows["unit"]]
    tree = any(level for _, level in parts)
    out = []
    if org_shown:
        share = (float(organisation["mean"]) - x0) / (x1 - x0)
        # centred on the line where it fits, else ending (right half) or starting (left half) there
        place = "transform:translateX(-50%)" if 0.4 <= share <= 0.6 else "transform:translateX(-100%)" if share > 0.6 else ""
        mean = html.escape(t("compare_org_line", lang, mean=number(organisation["mean"], lang)))
        n = html.escape(t("compare_org_line_n", lang, n=count(organisation["n"], lang)))
        out.append(f"<div class='row head'><div></div><div class='plot'><span class='orglabel' style='left:{at(organisation['mean'])};{place}'>"
                   f"<span class='part'>{mean}</span> <span class='part'>{n}</span></span></div></div>")
    for r, (name, level) in zip(rows.itertuples(), parts):
        top = " top" if tree and level == 0 else ""
        indent = f" style='padding-left:{0.8 * level:.1f}rem'" if level else ""
        if r.suppressed:
            why = hidden_label(r.why, lang)
            marks, title, shown_name = f"<span class='why'>{html.escape(why)}</span>", f"{name}: {why}", name
        else:
            reading = r.vs_organisation if r.vs_organisation in COLOURS else "unclear"
            colour = COLOURS[reading]
            width = 100 * (float(r.ci_high) - float(r.ci_low)) / (x1 - x0)
            marks = (f"<div class='ci' style='left:{at(r.ci_low)};width:{width:.2f}%;color:{colour}'></div>"
                     f"<div class='mark {reading}' style='left:{at(r.mean)};color:{colour}'></div>")
            if not pd.isna(r.type_mean):
                marks += f"<div class='mark type' style='left:{at(r.type_mean)};color:{TYPE_COLOUR}'></div>"
            hover = t("compare_hover_unit", lang, name=name, mean=number(r.mean, lang), ci=interval(r.ci_low, r.ci_high, lang), n=r.n)
            title = hover.replace("<br>", "; ") + "; " + versus_organisation(r.vs_organisation, r.diff_organisation, r.diff_low, r.diff_high, lang)
            if not pd.isna(r.type_mean):
                title += "; " + t("compare_hover_type", lang, type=r.unit_type, mean=number(r.type_mean, lang), n=r.type_n)
            shown_name = f"{name} (n\u00a0=\u00a0{count(r.n, lang)})"
        out.append(f"<div class='row' title='{html.escape(title, quote=True)}'><div class='name{top}'{indent}>{html.escape(shown_name)}</div>"
                   f"<div class='plot'>{behind}{marks}</div></div>")
    axis = "".join(f"<span class='tick' style='left:{at(v)}{tick_anchor((v - x0) / (x1 - x0))}'>{number(v, lang, decimals)}</span>"
                   for v in values)
    out.append(f"<div class='row axis'><div></div><div class='plot'>{axis}</div></div>")
    legend = [f"<span><span class='key'><span class='mark {k}' style='color:{COLOURS[k]}'></span></span>"
              f"{html.escape(t(f'compare_legend_{k}', lang))}</span>" for k in ("higher", "unclear", "lower")]
    legend.append(f"<span><span class='key'><span class='mark type' style='color:{TYPE_COLOUR}'></span></span>"
                  f"{html.escape(t('compare_legend_type', lang))}</span>")
    if org_shown:
        legend.append(f"<span><span class='key bandkey'></span>{html.escape(t('compare_legend_organisation', lang))}</span>")
    label = html.escape(t("compare_chart_label", lang), quote=True)
    return (f"{CSS}<div class='sk-dots' role='img' aria-label='{label}'>{''.join(out)}"
            f"<div class='legend'>{''.join(legend)}</div></div>")
