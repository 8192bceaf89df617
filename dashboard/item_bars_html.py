"""The Items page's diverging bars for a phone: one block per item, as HTML.

Plotly's chart of the same shares (:mod:`dashboard.pages.items`) puts the item texts beside the
bars; at 360 px the texts were cut off at the left edge and the bars squeezed into a few
pixels, with the axis titles drawn over each other. On a phone each item gets its full text
(wrapped), its n, one bar across the screen's width and the shares written out under it:

    [ disagreement ... | half the middle ][ half the middle | ... agreement ]

Each half of the bar spans 100 % of the answers on that side: a category's segment is
``share x 100 %`` of its half, disagreement right-aligned against the centre line and agreement
from it, the middle answer split across the line, as in the chart. "Don't know" and no answer
stay out of the bar and are written after the shares. The bar is decoration for the eye
(``aria-hidden``); the written shares carry the same numbers for a screen reader.

Which of chart and list a browser shows is decided by CSS on its width (:data:`SWITCH_CSS`), as
on Compare (:mod:`dashboard.scale_list`): Streamlit cannot read the viewport on the server.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.scale_list import width_switch
from scoring.reporting.numbers import count, percent

SWITCH_CSS = f"""<style>
{width_switch("items_chart_wide", "items_chart_compact")}.sk-items {{ font-size: 0.9rem; }}
.sk-item {{ padding: 0.5rem 0; border-bottom: 1px solid #E6E6E6; }}
.sk-item-n {{ color: #555555; font-style: italic; }}
.sk-likert {{ display: flex; height: 1.1rem; margin: 0.3rem 0; }}
.sk-likert > div {{ display: flex; width: 50%; }}
.sk-likert > div:first-child {{ justify-content: flex-end; }}
.sk-likert > div:last-child {{ border-left: 2px solid #333333; }}
.sk-likert span {{ display: block; height: 100%; }}
.sk-item-shares {{ color: #333333; font-size: 0.8rem; line-height: 1.35; }}
.sk-key {{ display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #767676; margin-right: 0.25em; vertical-align: -0.05em; }}
</style>"""


@dataclass(frozen=True)
class Category:
    """One answer category: its label and its bar colour (its shares are in each :class:`ItemRow`)."""

    label: str
    colour: str


@dataclass(frozen=True)
class ItemRow:
    """One item: its text, n (valid answers) and the shares of the categories in order, then
    the shares of "don't know" and no answer (of all rows)."""

    text: str
    n: int
    shares: Sequence[float]
    dont_know: float
    no_answer: float


def _segments(categories: Sequence[Category], shares: Sequence[float]) -> str:
    return "".join(f"<span style='width:{100 * max(share, 0.0):.2f}%;background:{c.colour}'></span>"
                   for c, share in zip(categories, shares))


def item_bars_html(categories: Sequence[Category], rows: Sequence[ItemRow], apart: tuple[str, str], n_label: str,
                   lang: str) -> str:
    """The phone's list: a legend of the categories, then per item its text, ``n_label``
    (formatted with ``n``, written with the language's thousands separator), the diverging bar and the shares written out (``apart``: the words
    for "don't know" and no answer). With an odd number of categories the middle one is split
    across the centre line."""
    width = len(categories)
    middle = width // 2 if width % 2 else None
    low = list(range(middle if middle is not None else width // 2))
    high = list(range((middle + 1) if middle is not None else width // 2, width))
    legend = " ".join(f"<span class='sk-key' style='background:{c.colour}'></span>{html.escape(c.label)}" for c in categories)
    blocks = [f"<p class='sk-item-shares' aria-hidden='true'>{legend}</p>"]
    for row in rows:
        left_cats = [categories[i] for i in low]
        left = [row.shares[i] for i in low]
        right_cats = [categories[i] for i in high]
        right = [row.shares[i] for i in high]
        if middle is not None:  # half of the middle answer on each side of the line
            left_cats, left = [*left_cats, categories[middle]], [*left, row.shares[middle] / 2]
            right_cats, right = [categories[middle], *right_cats], [row.shares[middle] / 2, *right]
        written = [f"{html.escape(c.label)} {percent(s, lang)}" for c, s in zip(categories, row.shares)]
        written += [f"{html.escape(apart[0])} {percent(row.dont_know, lang)}", f"{html.escape(apart[1])} {percent(row.no_answer, lang)}"]
        blocks.append(
            f"<div class='sk-item'><div>{html.escape(row.text)} <span class='sk-item-n'>{html.escape(n_label.format(n=count(row.n, lang)))}</span></div>"
            f"<div class='sk-likert' aria-hidden='true'><div>{_segments(left_cats, left)}</div><div>{_segments(right_cats, right)}</div></div>"
            f"<div class='sk-item-shares'>{' · '.join(written)}</div></div>")
    return f"<div class='sk-items'>{''.join(blocks)}</div>"
