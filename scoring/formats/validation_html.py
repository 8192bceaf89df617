"""The validation report as one self-contained HTML file: inline CSS, charts as inline SVG, no
script and no outside resource, so it opens offline and can be attached to a submission.

It draws the blocks of :func:`scoring.reporting.validation_document.document`; the charts are
plain SVG polylines (no plotting library), grey scale with dashes, readable in print.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from scoring.formats.atomic import write_bytes
from scoring.reporting.validation_document import Chart, Code, Document, Heading, Para, Table

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1.05rem;margin-top:1.2rem} p.sub{color:#555;margin-top:0}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem} th,td{padding:.2rem .5rem;border-bottom:1px solid #e0e0e0;text-align:right}
th:first-child,td:first-child{text-align:left} th{background:#f2f2f2}
details{margin:.6rem 0} summary{cursor:pointer;color:#333} pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.8rem}
figure{margin:.8rem 0} figcaption{font-size:.85rem;color:#444}
@media print{details{display:block} pre{white-space:pre-wrap}}
"""
DASHES = ["", "6 3", "2 2", "8 3 2 3"]
GREYS = ["#1a1a1a", "#555555", "#888888", "#aaaaaa"]


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _table(block: Table) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in block.header)
    body = []
    for i, row in enumerate(block.rows):
        cells = "".join(f"<td><b>{_e(v)}</b></td>" if (i, j) in block.bold else f"<td>{_e(v)}</td>" for j, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def svg_chart(block: Chart, width: int = 640, height: int = 300) -> str:
    """A line chart of the block's series as an SVG element (axes, ticks, legend)."""
    left, right, top, bottom = 50, 130, 15, 40
    xs = [x for s in block.series for x in s.x if math.isfinite(x)]
    ys = [y for s in block.series for y in s.y if math.isfinite(y)]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(0.0, min(ys)), max(ys) * 1.05 or 1.0
    pw, ph = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + (x - x0) / ((x1 - x0) or 1) * pw

    def py(y: float) -> float:
        return top + ph - (y - y0) / ((y1 - y0) or 1) * ph

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{_e(block.title)}" font-size="11" font-family="DejaVu Sans,Arial,sans-serif">',
             f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#333"/>']
    for i in range(5):
        yv = y0 + (y1 - y0) * i / 4
        parts.append(f'<text x="{left - 5}" y="{py(yv) + 4:.1f}" text-anchor="end">{yv:.2g}</text>')
        parts.append(f'<line x1="{left}" y1="{py(yv):.1f}" x2="{left + pw}" y2="{py(yv):.1f}" stroke="#eee"/>')
        xv = x0 + (x1 - x0) * i / 4
        parts.append(f'<text x="{px(xv):.1f}" y="{top + ph + 15}" text-anchor="middle">{xv:.3g}</text>')
    parts.append(f'<text x="{left + pw / 2}" y="{height - 5}" text-anchor="middle">{_e(block.x_label)}</text>')
    parts.append(f'<text x="12" y="{top + ph / 2}" text-anchor="middle" transform="rotate(-90 12 {top + ph / 2})">{_e(block.y_label)}</text>')
    for k, s in enumerate(block.series):
        points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(s.x, s.y) if math.isfinite(x) and math.isfinite(y))
        dash = "6 3" if s.dashed else DASHES[(k // len(GREYS)) % len(DASHES)]
        colour = GREYS[k % len(GREYS)]
        style = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.6"{style} points="{points}"/>')
        ly = top + 12 + 14 * k
        parts.append(f'<line x1="{left + pw + 10}" y1="{ly - 4}" x2="{left + pw + 30}" y2="{ly - 4}" stroke="{colour}" stroke-width="1.6"{style}/>')
        parts.append(f'<text x="{left + pw + 34}" y="{ly}">{_e(s.name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(doc: Document) -> str:
    """The whole report as an HTML page in the document's language."""
    out = [f'<!DOCTYPE html><html lang="{doc.lang}"><head><meta charset="utf-8"><title>{_e(doc.title)}</title>',
           f'<meta name="samklima-report-id" content="{_e(doc.report_id)}"><style>{CSS}</style></head><body>',
           f"<h1>{_e(doc.title)}</h1><p class=\"sub\">{_e(doc.subtitle)}</p>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{_e(block.text)}</h{block.level}>")
        elif isinstance(block, Para):
            out.append(f"<p>{_e(block.text)}</p>")
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Chart):
            out.append(f"<figure>{svg_chart(block)}<figcaption>{_e(block.title)}</figcaption></figure>")
        elif isinstance(block, Code):
            out.append(f"<details><summary>{_e(block.title)}</summary><pre><code>{_e(block.text)}</code></pre></details>")
    out.append("</body></html>")
    return "\n".join(out)


def write_html(doc: Document, path: Path) -> Path:
    write_bytes(Path(path), render_html(doc).encode("utf-8"))
    return Path(path)
