"""The unit report as an A4 PDF (:class:`scoring.reporting.unit_report.UnitReport`).

Drawn with reportlab in DejaVu Sans (embedded, so æ, ø and å print everywhere) with vector
charts (reportlab.graphics: lines, circles, rectangles), in greys with labels and patterns of
shade only, so that a black-and-white copy reads the same. Every page carries the unit, the
round, the date it was made and its page number. The layout is fixed — one row per scale, one
bar per item — so a 14-person unit and a 200-person unit fill it the same way; hidden figures
print the reason instead of a number. Numbers use the report language's format
(:mod:`scoring.reporting.report_texts`).
"""

from __future__ import annotations

import copy
import io
import math
from collections import namedtuple
from pathlib import Path

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from scoring.formats.atomic import write_bytes
from scoring.formats.pdf import fonts, writable_pdf
from scoring.formats.plain_text import draw_paragraph, show
from scoring.reporting.numbers import count, number, percent, signed
from scoring.reporting.report_texts import text
from scoring.reporting.unit_report import UnitReport

MARGIN = 1.7 * cm
WIDTH = A4[0] - 2 * MARGIN
GREYS = ["#1a1a1a", "#4d4d4d", "#808080", "#b3b3b3", "#e0e0e0"]  # dark = low code, light = high code
DONT_KNOW = "#ffffff"
GREY_COLOURS = [colors.HexColor(g) for g in GREYS]
BLACK, WHITE = colors.black, colors.HexColor(DONT_KNOW)
TICK, HIDDEN_INK = colors.HexColor("#cccccc"), colors.HexColor("#555555")
RULE = colors.HexColor("#999999")  # the rule below a table row
# A report table's cells and rules, for the platypus Table (_table) and the grid drawn like it (_Grid).
CELL_SIZE, CELL_PAD, SIDE_PAD = 8.5, 2.5, 6.0  # SIDE_PAD: reportlab's default left and right padding
HEAD_RULE, ROW_RULE = 0.8, 0.25


_STYLES: dict[str, ParagraphStyle] | None = None
_PARAGRAPHS: dict[tuple[str, str], Paragraph] = {}  # (text, style name) -> parsed paragraph


class _Paragraph(Paragraph):
    """A paragraph that remembers its line breaking per width: a table cell is wrapped to the
    same width when the table is measured, split and drawn, and reportlab breaks the lines anew
    each time (the height depends on the width only, ``Paragraph.wrap``). The copies of one
    cached paragraph (:func:`_para`) share ``_layouts``, so the item wording, scale names and
    discussion questions are broken into lines once per process and width, not once per report."""

    _wrapped_at: float | None = None
    _layouts: dict | None = None  # width -> (width, wrap widths, lines, height), shared by copies

    def wrap(self, availWidth, availHeight):
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:  # split() drops blPara
            return self.width, self.height
        layouts = self._layouts
        if layouts is not None and availWidth in layouts:
            self.width, self._wrapWidths, self.blPara, self.height = layouts[availWidth]
        else:
            super().wrap(availWidth, availHeight)
            if layouts is not None and "blPara" in self.__dict__:
                layouts[availWidth] = (self.width, self._wrapWidths, self.blPara, self.height)
        self._wrapped_at = availWidth
        return self.width, self.height

    def draw(self):
        if not draw_paragraph(self):  # the plain case drawn without reportlab's text object, the same marks
            super().draw()


def _para(value, style: ParagraphStyle) -> Paragraph:
    """``value`` (escaped) as a paragraph in ``style``: the markup parsed once per process and the
    copy handed out (the same item wording, scale names and questions recur in every report;
    a copy's own wrapping never changes the cached one)."""
    key = (str(value), style.name)
    cached = _PARAGRAPHS.get(key)
    if cached is None:
        if len(_PARAGRAPHS) > 20_000:  # free-text actions and unit names vary: bound the cache
            _PARAGRAPHS.clear()
        cached = _PARAGRAPHS[key] = _Paragraph(_esc(key[0]), style)
        cached._layouts = {}
    return copy.copy(cached)


class _Together(KeepTogether):
    """``KeepTogether`` that measures its block without copying the page's frame.

    reportlab deep-copies the document's current frame each time it measures a block (so that a
    flowable that adds content to the frame while measured, a ``FrameBreak`` say, changes the copy
    only): a report measures some 40 blocks, and the copying was 6% of drawing it. The blocks
    here are paragraphs, grids and charts, which add nothing to a frame, so the frame is hidden
    while the block is measured and the heights are the same."""

    def wrap(self, aW, aH):
        template = getattr(self.canv, "_doctemplate", None)
        if template is None:
            return super().wrap(aW, aH)
        frame, template.frame = getattr(template, "frame", None), None
        try:
            return super().wrap(aW, aH)
        finally:
            template.frame = frame


_ROW_TYPES: dict[tuple, type] = {}


def _rows(frame: pd.DataFrame) -> list:
    """The rows of a small frame as named tuples (as ``itertuples(index=False)``), read column
    by column: pandas' ``itertuples`` selects each column by position, which costs more than the
    rows of a report's tables."""
    columns = tuple(frame.columns)
    if columns not in _ROW_TYPES:
        _ROW_TYPES[columns] = namedtuple("Row", columns, rename=True)
    return [_ROW_TYPES[columns]._make(values) for values in zip(*(frame[c].tolist() for c in columns))]


def _esc(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _styles() -> dict[str, ParagraphStyle]:
    """The report's paragraph styles, made once per process."""
    global _STYLES
    if _STYLES is None:
        _STYLES = _make_styles()
    return _STYLES


def _make_styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    base = ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=18, leading=22, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, textColor=colors.HexColor("#444444"), spaceAfter=8),
        # A heading is kept with what follows it (never alone at the foot of a page).
        "h2": ParagraphStyle("h2", parent=base, fontName=f.bold, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=f.bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2,
                             keepWithNext=1),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
    }


def _why(why, lang: str) -> str:
    return text(why if why in ("below_min_n", "protects_other") else "protects_other", lang)


def _table(rows, widths, header: bool = True) -> Table:
    f = fonts()
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONT", (0, 0), (-1, -1), f.regular, CELL_SIZE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("LINEBELOW", (0, 0), (-1, 0), HEAD_RULE, BLACK), ("LINEBELOW", (0, 1), (-1, -1), ROW_RULE, RULE),
             ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD)]
    if header:
        style.append(("FONT", (0, 0), (-1, 0), f.bold, CELL_SIZE))
    table.setStyle(TableStyle(style))
    return table


class _Grid(Flowable):
    """A report table (the scales, the items of a scale, partners, actions) drawn straight onto
    the canvas.

    The geometry and marks of the platypus ``Table`` that :func:`_table` makes (column widths,
    6 pt side and 2.5 pt top and bottom padding, cells centred vertically, text at 8.5 pt with
    10.2 pt leading, the header row in bold, a 0.8 pt black rule below the first row and 0.25 pt
    grey rules below the others, round caps and joins), without the Table's per-cell style
    machinery, which was most of drawing a report (a national report has 17 tables). A grid
    taller than the space left splits as that Table does (with its header repeated)."""

    def __init__(self, rows: list[list], widths: list[float], header: bool = True):
        super().__init__()
        self.rows, self.widths, self.header = rows, widths, header
        self.heights: list[float] = []
        self.hAlign = "CENTER"  # as a Table in the frame

    def wrap(self, available_width, available_height):
        leading = 1.2 * CELL_SIZE
        self.heights = []
        for row in self.rows:
            tallest = 0.0
            for cell, width in zip(row, self.widths):
                if isinstance(cell, Flowable):
                    tallest = max(tallest, cell.wrap(width - 2 * SIDE_PAD, available_height)[1])
                else:
                    tallest = max(tallest, leading * len(str(cell).split("\n")))
            self.heights.append(tallest + 2 * CELL_PAD)
        self.width, self.height = sum(self.widths), sum(self.heights)
        return self.width, self.height

    def split(self, available_width, available_height):
        if self.wrap(available_width, available_height)[1] <= available_height:
            return [self]
        return _table(self.rows, self.widths, header=self.header).split(available_width, available_height)

    def draw(self):
        c, f = self.canv, fonts()
        leading = 1.2 * CELL_SIZE
        c.saveState()
        c.setFillColor(BLACK)
        bottoms, top = [], self.height
        for position, (row, height) in enumerate(zip(self.rows, self.heights)):
            c.setFont(f.bold if self.header and position == 0 else f.regular, CELL_SIZE, leading)
            bottom = top - height
            left = 0.0
            for cell, width in zip(row, self.widths):
                if isinstance(cell, Flowable):
                    _, h = cell.wrap(width - 2 * SIDE_PAD, height)
                    y = bottom + (height + h) / 2.0 - h  # the Table's middle: (rowheight + bottom - top padding + h) / 2
                    cell.drawOn(c, left + SIDE_PAD, y)
                else:
                    lines = str(cell).split("\n")
                    y = bottom + (height + len(lines) * leading) / 2.0 - CELL_SIZE
                    for line in lines:
                        show(c, left + SIDE_PAD, y, line)
                        y -= leading
                left += width
            bottoms.append(bottom)
            top = bottom
        c.saveState()
        c.setLineCap(1)
        c.setLineJoin(1)
        c.setStrokeColor(BLACK)
        c.setLineWidth(HEAD_RULE)
        c.line(0, bottoms[0], self.width, bottoms[0])
        if len(bottoms) > 1:
            c.setStrokeColor(RULE)
            c.setLineWidth(ROW_RULE)
            for y in bottoms[1:]:
                c.line(0, y, self.width, y)
        c.restoreState()
        c.restoreState()


# ----------------------------------------------------------------------------- charts


class _Chart(Flowable):
    """A small vector chart drawn straight onto the page's canvas.

    The same marks as reportlab.graphics shapes in a ``Drawing`` (rectangles, lines, circles,
    polygons, strings; the same coordinates, colours and line widths), recorded as a list and
    replayed in :meth:`draw`: a report has a thousand such marks, and the shape tree's attribute
    validation and renderer state stack cost several times the drawing itself."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self.marks: list[tuple] = []

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def rect(self, x, y, w, h, fill, stroke, line_width):
        self.marks.append(("rect", x, y, w, h, fill, stroke, line_width))

    def line(self, x1, y1, x2, y2, stroke, line_width):
        self.marks.append(("line", x1, y1, x2, y2, stroke, line_width))

    def circle(self, x, y, r, fill, stroke, line_width=1):
        self.marks.append(("circle", x, y, r, fill, stroke, line_width))

    def polygon(self, points, fill, stroke, line_width):
        self.marks.append(("polygon", points, fill, stroke, line_width))

    def text(self, x, y, value, font, size, fill=BLACK, anchor="start"):
        self.marks.append(("text", x, y, value, font, size, fill, anchor))

    def draw(self):
        """Replay the marks (:class:`_Pen` sets a colour, width or font only where it changes)."""
        c, pen = self.canv, _Pen(self.canv)
        for mark in self.marks:
            kind = mark[0]
            if kind == "text":
                _, x, y, value, font, size, fill, anchor = mark
                pen.font(font, size)
                pen.fill(fill)
                show(c, x, y, value, centred=anchor == "middle")
                continue
            if kind == "line":
                _, x1, y1, x2, y2, stroke, line_width = mark
                pen.stroke(stroke, line_width)
                c.line(x1, y1, x2, y2)
                continue
            fill, stroke, line_width = mark[-3:]
            pen.fill(fill)
            pen.stroke(stroke, line_width)
            if kind == "rect":
                c.rect(*mark[1:5], stroke=1, fill=1)
            elif kind == "circle":
                c.circle(*mark[1:4], stroke=1, fill=1)
            else:
                points = mark[1]
                path = c.beginPath()
                path.moveTo(points[0], points[1])
                for i in range(2, len(points), 2):
                    path.lineTo(points[i], points[i + 1])
                path.close()
                c.drawPath(path, stroke=1, fill=1)


class _Pen:
    """The canvas's fill, stroke, line width and font as last set by one chart: each set is an
    operator in the page and several calls in reportlab, and a bar chart repeats the same ones."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.now: dict[str, object] = {}

    def _changed(self, what: str, value) -> bool:
        if what in self.now and self.now[what] == value:
            return False
        self.now[what] = value
        return True

    def fill(self, colour) -> None:
        # By identity: the chart's marks hold their colours while it is drawn, so an id is not reused.
        if self._changed("fill", id(colour)):
            self.canvas.setFillColor(colour)

    def stroke(self, colour, width: float) -> None:
        if self._changed("stroke", id(colour)):
            self.canvas.setStrokeColor(colour)
        if self._changed("width", width):
            self.canvas.setLineWidth(width)

    def font(self, name: str, size: float) -> None:
        if self._changed("font", (name, size)):
            self.canvas.setFont(name, size)


def _shade(code: float, valid: list[float]) -> colors.Color:
    """Grey of an answer code: dark for the lowest valid code, light for the highest, white for "vet ikke"."""
    if code >= 9:
        return WHITE
    return GREY_COLOURS[min(len(GREYS) - 1, round(valid.index(code) * (len(GREYS) - 1) / max(1, len(valid) - 1)))]


def _means_chart(report: UnitReport, low: float, high: float) -> Flowable:
    """One row per scale: the unit's mean (dot) with its 95% CI (line), the organisation (diamond)."""
    f = fonts()
    scales = report.landing.scales
    row_h, label_w, top = 18, 5.2 * cm, 16
    d = _Chart(WIDTH, top + row_h * len(scales) + 18)
    axis_w = WIDTH - label_w - 10

    def x(v):
        return label_w + (v - low) / (high - low) * axis_w

    y0 = 18
    for tick in range(int(math.ceil(low)), int(math.floor(high)) + 1):
        d.line(x(tick), y0 - 4, x(tick), y0 + row_h * len(scales), TICK, 0.4)
        d.text(x(tick), y0 - 12, number(tick, report.lang, 0), f.regular, 7, anchor="middle")
    for i, row in enumerate(reversed(_rows(scales))):
        y = y0 + row_h * i + row_h / 2
        d.text(0, y - 3, report.scale_names[row.scale][:38], f.regular, 7.5)
        if pd.notna(row.org_mean):
            s, o = 3.2, x(row.org_mean)
            d.polygon([o, y + s, o + s, y, o, y - s, o - s, y], WHITE, BLACK, 0.7)
        if row.suppressed:
            why = _why(row.why, report.lang)
            at = _beside(why, f.regular, 7, label_w + 4, WIDTH, x(row.org_mean) if pd.notna(row.org_mean) else None)
            d.text(at, y - 3, why, f.regular, 7, fill=HIDDEN_INK)
            continue
        if pd.notna(row.ci_low):
            d.line(x(row.ci_low), y, x(row.ci_high), y, BLACK, 1.2)
        d.circle(x(row.mean), y, 3, BLACK, BLACK)
    return d


def _beside(value: str, font: str, size: float, left: float, right: float, mark: float | None) -> float:
    """Where a hidden scale's reason starts on its chart row: at the left of the axis, or just
    right of the organisation's mark when the text would run over it (and fits there)."""
    width = stringWidth(value, font, size)
    if mark is None or left + width + 4 < mark - 4 or mark + 6 + width > right:
        return left
    return mark + 6


def _stacked_bar(counts: dict, codes: list[float], width: float, f) -> Flowable:
    """One item's answers as a 100% bar, greys from the lowest code (dark) to the highest
    (light), "vet ikke" white; shares of 8% or more are printed in the segment."""
    d = _Chart(width, 13)
    total = sum(counts.values())
    left = 0.0
    valid = [c for c in codes if c < 9]
    for code in codes:
        share = counts.get(code, 0) / total if total else 0
        if share <= 0:
            continue
        shade = _shade(code, valid)
        w = share * width
        d.rect(left, 1, w, 11, shade, BLACK, 0.3)
        if share >= 0.08:
            ink = WHITE if shade in GREY_COLOURS[:2] else BLACK
            d.text(left + w / 2, 4, f"{round(100 * share)}", f.regular, 6.5, fill=ink, anchor="middle")
        left += w
    return d


def _legend(labels: dict[float, str], f) -> Flowable:
    d = _Chart(WIDTH, 12)
    codes = sorted(labels)
    valid = [c for c in codes if c < 9]
    x = 0.0
    for code in codes:
        d.rect(x, 2, 9, 8, _shade(code, valid), BLACK, 0.3)
        label = labels[code]
        d.text(x + 12, 3, label, f.regular, 7)
        x += 16 + 3.6 * len(label)
    return d


# ----------------------------------------------------------------------------- pages


def _first_page(report: UnitReport, st) -> list:
    lang, land = report.lang, report.landing
    flow = [_para((text("title", lang, unit=report.unit_names.get(report.unit, report.unit))), st["title"]),
            _para((text("subtitle", lang, round=report.round)), st["subtitle"]),
            _para((text("who_answered", lang)), st["h2"])]
    r = land.responses
    if r["suppressed"]:
        who = text("answered_hidden", lang, why=_why(r["why"], lang))
    elif r["invited"]:
        who = text("answered", lang, n=count(r["responses"], lang), invited=count(r["invited"], lang), rate=percent(r["response_rate"], lang))
    else:
        who = text("answered_no_headcount", lang, n=count(r["responses"], lang))
    flow.append(_para((who), st["body"]))
    flow.append(_para((text("scales", lang)), st["h2"]))
    change_head = text("change", lang, round=land.previous_round) if land.previous_round else text("no_previous", lang)
    rows = [[text("scale", lang), text("n", lang), text("mean_ci", lang), text("organisation", lang), text("unit_type", lang), change_head]]
    for row in _rows(land.scales):
        name = _para((report.scale_names[row.scale]), st["cell"])
        org = number(row.org_mean, lang) if pd.notna(row.org_mean) else text("hidden", lang)
        kind = number(row.type_mean, lang) if pd.notna(row.type_mean) else text("hidden", lang)
        if row.suppressed:
            rows.append([name, "", _para((_why(row.why, lang)), st["cell"]), org, kind, ""])  # the reason in the wide column
            continue
        ci = f"{number(row.mean, lang)} [{number(row.ci_low, lang)}–{number(row.ci_high, lang)}]"
        change = ""
        if row.change_reading is not None and pd.notna(row.change):
            change = f"{signed(row.change, lang)} ({text(row.change_reading, lang)})"
        rows.append([name, count(row.n, lang), ci, org, kind, _para((change), st["cell"])])
    flow.append(_Grid(rows, [4.6 * cm, 1.0 * cm, 3.4 * cm, 2.0 * cm, 2.0 * cm, WIDTH - 13.0 * cm]))
    flow.append(Spacer(1, 6))
    shown = land.scales[~land.scales["suppressed"].astype(bool)]
    bounds = pd.concat([shown["ci_low"], shown["ci_high"], land.scales["org_mean"].astype(float)]).dropna()
    low = math.floor(min(bounds.min(), 3.0)) if len(bounds) else 1.0
    high = math.ceil(max(bounds.max(), 4.0)) if len(bounds) else 5.0
    flow.append(_means_chart(report, max(1.0, low), min(5.0, high) if high <= 5 else high))
    flow.append(_para((text("chart_caption", lang)), st["small"]))
    flow.append(_para((text("standouts", lang)), st["h2"]))
    if land.strengths:
        flow.append(_para((text("strengths", lang, list=", ".join(report.scale_names[s] for s in land.strengths))), st["body"]))
    if land.areas:
        flow.append(_para((text("areas", lang, list=", ".join(report.scale_names[s] for s in land.areas))), st["body"]))
    if not land.strengths and not land.areas:
        flow.append(_para((text("no_standouts", lang)), st["body"]))
    flow.append(_para((text("can_say", lang)), st["h2"]))
    flow.append(_para((text("can_say_body", lang, min_n=land.min_n)), st["body"]))
    hidden = land.hidden_scales
    if len(hidden):
        listed = "; ".join(f"{report.scale_names[r.scale]} ({_why(r.why, lang)})" for r in _rows(hidden))
        flow.append(_para((text("hidden_list", lang, list=listed)), st["body"]))
    else:
        flow.append(_para((text("nothing_hidden", lang)), st["body"]))
    return flow


def _item_pages(report: UnitReport, st) -> list:
    f, lang = fonts(), report.lang
    flow = [PageBreak(), _para((text("items", lang)), st["h2"])]
    bar_w = 6.2 * cm
    by_scale: dict[str, list] = {}
    for item in _rows(report.items):  # one pass, not one selection per scale
        by_scale.setdefault(item.scale, []).append(item)
    for scale, name in report.scale_names.items():
        items = by_scale.get(scale)
        if not items:
            continue
        block = [_para((name), st["h3"])]
        if all(item.hidden for item in items):
            block.append(_para((text("items_hidden", lang, scale=name, why=_why(items[0].why, lang))), st["small"]))
            flow.append(_Together(block))
            continue
        codes = sorted(report.category_labels[scale])
        rows = []
        for item in items:
            label = _para((item.text), st["cell"])
            if item.hidden:
                rows.append([label, "", _para((_why(item.why, lang)), st["cell"])])
            else:
                rows.append([label, count(item.n, lang), _stacked_bar(item.counts, codes, bar_w, f)])
        block.append(_Grid(rows, [WIDTH - bar_w - 1.2 * cm, 1.0 * cm, bar_w + 0.2 * cm], header=False))
        block.append(_legend(report.category_labels[scale], f))
        flow.append(_Together(block))
    return flow


def _partner_section(report: UnitReport, st) -> list:
    lang = report.lang
    flow = [_para((text("partners", lang)), st["h2"])]
    given = report.partners[report.partners["direction"] == "given"]
    if given.empty:
        return flow + [_para((text("no_partners", lang)), st["body"])]
    rows = [[text("partner", lang), text("scale", lang), text("n", lang), text("mean_ci", lang).split(" ")[0]]]
    for row in _rows(given):
        rows.append([_para((report.unit_names.get(row.rated, row.rated)), st["cell"]),
                     _para((report.scale_names.get(row.scale, row.scale)), st["cell"]), count(row.n, lang), number(row.mean, lang)])
    return flow + [_Grid(rows, [6.5 * cm, 5.5 * cm, 1.5 * cm, WIDTH - 13.5 * cm])]


def _action_section(report: UnitReport, st) -> list:
    lang = report.lang
    flow = [_para((text("actions", lang)), st["h2"])]
    actions = report.landing.actions
    if actions.empty:
        return flow + [_para((text("no_actions", lang)), st["body"])]
    rows = [[text("action", lang), text("status", lang), text("then_now", lang)]]
    for a in _rows(actions):
        then = number(a.then_mean, lang) if pd.notna(a.then_mean) else text("hidden", lang)
        if a.next_round is None:
            now = ""
        elif pd.notna(a.next_mean):
            now = f" → {number(a.next_mean, lang)} ({a.next_round})"
            if a.change_reading is not None and pd.notna(a.change):
                now += f": {signed(a.change, lang)}, {text(a.change_reading, lang)}"
        else:
            now = f" → {_why(a.next_why, lang)} ({a.next_round})"
        what = f"{a.what} ({a.owner}{', ' + a.due.isoformat() if a.due is not None and not pd.isna(a.due) else ''})"
        rows.append([_para((what), st["cell"]), text(a.status, lang),
                     _para((f"{report.scale_names.get(a.scale, a.scale)}: {then}{now}"), st["cell"])])
    return flow + [_Grid(rows, [7.2 * cm, 2.2 * cm, WIDTH - 9.4 * cm])]


def _discussion_page(report: UnitReport, st) -> list:
    lang = report.lang
    flow = [PageBreak(), _para((text("discussion", lang)), st["h2"])]
    for scale, name in report.scale_names.items():
        block = [_para((name), st["h3"])]
        block += [_para((f"• {q}"), st["body"]) for q in report.discussion[scale]]
        flow.append(_Together(block))
    return flow


def unit_report_bytes(report: UnitReport) -> bytes:
    """The report drawn as PDF bytes (A4)."""
    f, st = fonts(), _styles()
    buffer = io.BytesIO()
    name = report.unit_names.get(report.unit, report.unit)
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=1.5 * cm, bottomMargin=1.6 * cm,
                            title=text("title", report.lang, unit=name), author="Samklima", subject=f"{report.round}",
                            keepTogetherClass=_Together)  # a heading and what follows it, kept together without a frame copy
    made = report.made.isoformat()

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(f.regular, 7.5)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawString(MARGIN, 0.9 * cm, text("footer", report.lang, unit=name, round=report.round, date=made, page=document.page))
        canvas.restoreState()

    flow = _first_page(report, st) + _item_pages(report, st)
    flow += [PageBreak()] + _partner_section(report, st) + _action_section(report, st) + _discussion_page(report, st)
    doc.build(flow, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def unit_report_pdf(path: str | Path, report: UnitReport) -> Path:
    """Write the report to ``path`` (.pdf) whole or not at all."""
    path = writable_pdf(path)
    return write_bytes(path, unit_report_bytes(report))
