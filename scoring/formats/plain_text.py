"""Plain text onto a reportlab canvas without reportlab's text objects: the same page code.

reportlab draws a string (``Canvas.drawString``) and a paragraph (``Paragraph.drawPara``)
through a ``PDFTextObject``: a Python object per string, a colour setter, a font setter, the
string's width measured whether or not it is used. A unit report draws about 180 strings in its
tables and charts and 160 paragraphs, and those objects were a fifth of drawing it
(docs/performance.md). For the plain cases that the report uses (a string in a
:class:`~scoring.formats.subset_font.SubsetFont`; a left-aligned paragraph of one style, no
markup, no indents, bullets, borders or lines wider than the frame) the functions here append
the very operators reportlab would, built the way reportlab builds them (``fp_str`` numbers,
the font's own subset encoding and names, the canvas's escaping), so the page is byte for byte
the same (tests/formats/test_plain_text.py compares them on the same canvas state). Anything
else is left to reportlab: :func:`show` and :func:`draw_paragraph` say whether they drew.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.rl_config import paraFontSizeHeightOffset

from scoring.formats.subset_font import SubsetFont


def _shown(canvas, font, size: float, leading: float, text: str, current: int = -1) -> tuple[str, int]:
    """``PDFTextObject._formatText`` of ``text`` in a subset font, for a text object whose
    current subset is ``current`` (-1: none yet): (the operators, the subset current after)."""
    doc, escape = canvas._doc, canvas._escape
    parts, setting = [], None
    for subset, chunk in font.splitString(text, doc):
        if subset != current:  # the font is named where the subset changes, as reportlab does
            setting = setting or f"{fp_str(size)} Tf {fp_str(leading)} TL"
            parts.append(f"{font.getSubsetInternalName(subset, doc)} {setting}")
            current = subset
        parts.append(f"({escape(chunk)}) Tj")
    return " ".join(parts), current


def show(canvas, x: float, y: float, text, centred: bool = False) -> None:
    """``canvas.drawString(x, y, text)`` (``drawCentredString`` when ``centred``), by
    reportlab's text object where the string or font is not a plain case."""
    font = pdfmetrics.getFont(canvas._fontname)
    if type(font) is not SubsetFont or not isinstance(text, str) or not canvas.bottomup:
        (canvas.drawCentredString if centred else canvas.drawString)(x, y, text)
        return
    size = canvas._fontsize
    if centred:  # as drawCentredString: the width as reportlab measures it
        x = x - 0.5 * pdfmetrics.stringWidth(text, canvas._fontname, size)
    canvas._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {_shown(canvas, font, size, canvas._leading, text)[0]} T* ET")


def draw_paragraph(paragraph) -> bool:
    """``paragraph.drawPara()`` for a plain paragraph (module docstring) on its canvas; False,
    and nothing drawn, for any other."""
    style, lines = paragraph.style, paragraph.blPara
    if (lines.kind != 0 or style.alignment != TA_LEFT or paragraph.bulletText or paragraph.debug
            or style.backColor or (getattr(style, "borderWidth", None) and getattr(style, "borderColor", None))
            or getattr(paragraph, "autoLeading", getattr(style, "autoLeading", "")) or style.firstLineIndent
            or any(getattr(paragraph, "_offsets", [0])) or style.wordWrap == "RTL" or not paraFontSizeHeightOffset
            or getattr(lines, "us_lines", None) or getattr(lines, "link", None) or not paragraph.canv.bottomup
            or "preformatted" in type(paragraph).__name__.lower()):
        return False
    font = pdfmetrics.getFont(lines.fontName)
    if type(font) is not SubsetFont or not lines.lines:
        return False
    if any(extra <= -1e-8 and len(words) > 1 for extra, words in lines.lines):  # a squeezed line gets word spacing
        return False
    canvas = paragraph.canv
    code, current = [], -1  # one text object for the paragraph: its subset carries over from line to line
    for _, words in lines.lines:
        line, current = _shown(canvas, font, lines.fontSize, style.leading, " ".join(words), current)
        code.append(f"{line} T*")
    top = paragraph.height - lines.fontSize
    text = f"BT 1 0 0 1 {fp_str(style.leftIndent, top)} Tm {' '.join(code)} ET"
    colour = lines.textColor
    if type(colour) is Color and colour.alpha == 1 and not canvas._enforceColorSpace and canvas._extgstate.getValue("ca") == 1:
        # What saveState, setFillColor and restoreState write for an opaque RGB colour when the
        # fill is already opaque (the state they push and pop is left as it was): the colour
        # operator, and the PDF version that setting any alpha asks for.
        canvas._doc.ensureMinPdfVersion("transparency")
        canvas._code.extend(("q", f"{fp_str((colour.red, colour.green, colour.blue))} rg", text, "Q"))
        return True
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas._code.append(text)
    canvas.restoreState()
    return True
