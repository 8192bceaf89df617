"""The validation report as an A4 PDF (reportlab), from the same blocks as the HTML
(:func:`scoring.reporting.validation_document.document`): DejaVu Sans embedded, tables that
split across pages with their header repeated, line charts drawn with reportlab.graphics, and
the R code in a monospaced font. Every page carries the report id and its page number.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Preformatted, SimpleDocTemplate, Spacer, Table, TableStyle

from scoring.formats.atomic import write_bytes
from scoring.formats.pdf import fonts
from scoring.reporting.validation_document import Chart, Code, Document, Heading, Para
from scoring.reporting.validation_document import Table as TableBlock

MARGIN = 1.6 * cm
WIDTH = A4[0] - 2 * MARGIN
GREYS = ["#1a1a1a", "#555555", "#888888", "#aaaaaa"]


def _esc(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    return {
        "title": ParagraphStyle("title", fontName=f.bold, fontSize=16, leading=20, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=f.regular, fontSize=9, leading=12, textColor=colors.HexColor("#555555"), spaceAfter=8),
        "h2": ParagraphStyle("h2", fontName=f.bold, fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=4),
        "h3": ParagraphStyle("h3", fontName=f.bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2),
        "body": ParagraphStyle("body", fontName=f.regular, fontSize=8.8, leading=11.5, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=f.regular, fontSize=7, leading=8.5),
        "code": ParagraphStyle("code", fontName=f.mono, fontSize=6.3, leading=7.6, backColor=colors.HexColor("#f4f4f4"),
                               borderPadding=3, spaceBefore=3, spaceAfter=6),
    }


def _table(block: TableBlock) -> Table:
    f = fonts()
    data = [block.header, *block.rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    style = [("FONT", (0, 0), (-1, -1), f.regular, 6.8), ("FONT", (0, 0), (-1, 0), f.bold, 6.8),
             ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
             ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#dddddd")),
             ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    style += [("FONT", (j, i + 1), (j, i + 1), f.bold, 6.8) for i, j in block.bold]
    table.setStyle(TableStyle(style))
    return table


def _chart(block: Chart) -> Drawing:
    f = fonts()
    width, height, left, right, top, bottom = WIDTH, 6 * cm, 34, 95, 8, 26
    d = Drawing(width, height)
    xs = [x for s in block.series for x in s.x if math.isfinite(x)]
    ys = [y for s in block.series for y in s.y if math.isfinite(y)]
    x0, x1, y0 = min(xs), max(xs), min(0.0, min(ys))
    y1 = max(ys) * 1.05 or 1.0
    pw, ph = width - left - right, height - top - bottom

    def px(x):
        return left + (x - x0) / ((x1 - x0) or 1) * pw

    def py(y):
        return bottom + (y - y0) / ((y1 - y0) or 1) * ph

    d.add(Line(left, bottom, left + pw, bottom))
    d.add(Line(left, bottom, left, bottom + ph))
    for i in range(5):
        yv, xv = y0 + (y1 - y0) * i / 4, x0 + (x1 - x0) * i / 4
        d.add(String(left - 4, py(yv) - 2.5, f"{yv:.2g}", fontName=f.regular, fontSize=6.5, textAnchor="end"))
        d.add(String(px(xv), bottom - 10, f"{xv:.3g}", fontName=f.regular, fontSize=6.5, textAnchor="middle"))
    d.add(String(left + pw / 2, 2, block.x_label, fontName=f.regular, fontSize=7, textAnchor="middle"))
    for k, s in enumerate(block.series):
        points = [v for x, y in zip(s.x, s.y) if math.isfinite(x) and math.isfinite(y) for v in (px(x), py(y))]
        dash = [4, 2] if s.dashed or k >= len(GREYS) else None
        colour = colors.HexColor(GREYS[k % len(GREYS)])
        d.add(PolyLine(points, strokeColor=colour, strokeWidth=1.1, strokeDashArray=dash))
        ly = bottom + ph - 8 * k
        d.add(Line(left + pw + 6, ly + 2, left + pw + 20, ly + 2, strokeColor=colour, strokeWidth=1.1, strokeDashArray=dash))
        d.add(String(left + pw + 23, ly, s.name, fontName=f.regular, fontSize=6.5))
    return d


def render_pdf(doc: Document) -> bytes:
    """The whole report as PDF bytes."""
    st, f = _styles(), fonts()
    flow = [Paragraph(_esc(doc.title), st["title"]), Paragraph(_esc(doc.subtitle), st["sub"])]
    for block in doc.blocks:
        if isinstance(block, Heading):
            flow.append(Paragraph(_esc(block.text), st["h2" if block.level <= 2 else "h3"]))
        elif isinstance(block, Para):
            flow.append(Paragraph(_esc(block.text), st["body"]))
        elif isinstance(block, TableBlock):
            flow += [_table(block), Spacer(1, 4)]
        elif isinstance(block, Chart):
            flow += [_chart(block), Paragraph(_esc(block.title), st["body"])]
        elif isinstance(block, Code):
            flow += [Paragraph(_esc(block.title), st["h3"]), Preformatted(block.text, st["code"], maxLineLength=130)]

    def footer(canvas, _doc):
        canvas.saveState()
        canvas.setFont(f.regular, 7)
        canvas.drawString(MARGIN, 0.9 * cm, f"Samklima · {doc.report_id} · {canvas.getPageNumber()}")
        canvas.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=1.4 * cm, bottomMargin=1.5 * cm,
                                 title=doc.title, author="Samklima", subject=doc.report_id)
    template.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def write_pdf(doc: Document, path: Path) -> Path:
    write_bytes(Path(path), render_pdf(doc))
    return Path(path)
