"""Plain strings and paragraphs drawn without reportlab's text objects give the page reportlab
gives (scoring/formats/plain_text.py): the same operators on the same canvas, the same PDF bytes,
and reportlab's own way for whatever is not plain."""

from __future__ import annotations

import io
import random

import pytest
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from scoring.formats import plain_text
from scoring.formats.pdf import FONT_DIR, fonts

pytestmark = pytest.mark.skipif(not (FONT_DIR / "DejaVuSans.ttf").exists(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")

STRINGS = ["Samhandlingsklima", "Læring på tvers: æøå ÆØÅ", "4,2 [3,9–4,5]", "no\u00a0break", "", "(parentes) og \\",
           "Tilbakemelding → 3,1", "Samhandlingsklima"]


def _canvas() -> Canvas:
    canvas = Canvas(io.BytesIO(), invariant=1)  # the bytes: _pdf
    canvas.setFont(fonts().regular, 8.5, 10.2)
    return canvas


def _pdf(canvas: Canvas) -> bytes:
    canvas.showPage()
    canvas.save()
    return canvas._filename.getvalue()


def _strings(draw) -> tuple[list[str], bytes]:
    canvas = _canvas()
    rng = random.Random(3)
    many = STRINGS + ["".join(chr(rng.randint(0x20, 0x24F)) for _ in range(30)) for _ in range(40)]  # past 256 codes
    for n, value in enumerate(many):
        if n == 20:
            canvas.setFont(fonts().bold, 11, 13)
        draw(canvas, 40 + n, 800 - 7.25 * n, value, n % 3 == 0)
    code = list(canvas._code)
    return code, _pdf(canvas)


def test_a_string_is_drawn_as_reportlab_draws_it():
    def reportlab(canvas, x, y, value, centred):
        (canvas.drawCentredString if centred else canvas.drawString)(x, y, value)

    def ours(canvas, x, y, value, centred):
        plain_text.show(canvas, x, y, value, centred=centred)

    assert _strings(ours) == _strings(reportlab)


def _styles() -> list[ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts().regular, fontSize=9.5, leading=12.5)
    return [base, ParagraphStyle("grey", parent=base, textColor=colors.HexColor("#333333"), fontSize=8, leading=10),
            ParagraphStyle("indented", parent=base, leftIndent=12), ParagraphStyle("bold", parent=base, fontName=fonts().bold),
            ParagraphStyle("centred", parent=base, alignment=TA_CENTER), ParagraphStyle("first", parent=base, firstLineIndent=8)]


TEXTS = ["Kort", "Hei på deg, dette er en lang tekst som skal brytes over flere linjer i rapporten for enheten.",
         "Uforholdsmessigvanskeligordsomikkeførpåénlinje og litt til", "Med <b>fet</b> skrift", "x &amp; y"]


def _paragraphs(fast: bool) -> tuple[list[str], bytes, list[bool]]:
    canvas, took = _canvas(), []
    y = 800
    for style in _styles():
        for value in TEXTS:
            for width in (60, 200):
                paragraph = Paragraph(value, style)
                _, height = paragraph.wrap(width, 500)
                paragraph.canv = canvas
                canvas.saveState()
                canvas.translate(40, y - height)
                drawn = fast and plain_text.draw_paragraph(paragraph)
                took.append(drawn)
                if not drawn:
                    paragraph.draw()
                canvas.restoreState()
                del paragraph.canv
                y -= height + 2
                if y < 100:
                    canvas.showPage()
                    y = 800
    code = list(canvas._code)
    return code, _pdf(canvas), took


def test_a_plain_paragraph_is_drawn_as_reportlab_draws_it_and_others_by_reportlab():
    code, pdf, took = _paragraphs(fast=True)
    want_code, want_pdf, _ = _paragraphs(fast=False)
    assert code == want_code
    assert pdf == want_pdf
    assert sum(took) > len(took) / 3, "plain paragraphs take the fast way"
    assert not all(took), "markup, centred, indented first lines and squeezed lines are reportlab's"
