"""Printable material for a survey round: QR posters, one-time code slips, paper questionnaires.

Drawn with reportlab in DejaVu Sans (Debian's fonts-dejavu-core), so æ, ø and å print; if the
font is missing, reportlab's Helvetica is used. QR codes come from segno and are drawn as
vector squares (sharp at any size), with error correction level M. The texts are in the
translation table :data:`TEXT` (nb, nn and en); the instruments bring their own wording, and the
background questions theirs (:mod:`scoring.instrument.background`). Each PDF
is drawn in memory and written whole through :mod:`scoring.formats.atomic`: a drawing that fails
leaves no file, and an older file of the same name as it was.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from scoring.errors import UserError, check_choice
from scoring.formats.atomic import write_bytes
from scoring.formats.subset_font import SubsetFont
from scoring.instrument import background
from scoring.instrument.model import Instrument
from scoring.reporting.numbers import NORWEGIAN

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

TEXT = {
    "nb": {
        "poster_title": "Hva mener du?",
        "poster_lead": "Vi vil gjerne høre hvordan du opplever arbeidet og samarbeidet i enheten din.",
        "poster_scan": "Skann QR-koden med mobilkameraet, eller skriv inn adressen:",
        "poster_anon": "Det tar 5–10 minutter. Svaret er anonymt: vi lagrer ikke navnet ditt, IP-adressen eller klokkeslettet.",
        "closes": "Svarfrist",
        "open_until_further": "Åpen til videre",
        "slip_title": "Spørreundersøkelse",
        "slip_how": "Skann QR-koden, eller gå til adressen og skriv inn koden. Koden kan brukes én gang.",
        "code": "Kode",
        "paper_title": "Spørreskjema",
        "paper_unit": "Enhet",
        "paper_round": "Runde",
        "paper_number": "Skjemanr. (fylles ut av den som registrerer)",
        "paper_how": "Sett ett kryss for hvert utsagn. Skriv tydelig. Ikke skriv navnet ditt på skjemaet.",
        "paper_line": "Sett en loddrett strek på linjen.",
        "paper_field": "Skriv her",
        "paper_thanks": "Takk for at du svarte! Legg skjemaet i den forseglede svarkassen.",
        "paper_online": "Du kan også svare på nett:",
        "paper_one_box": "Sett ett kryss, eller la være å svare.",
        "item": "Utsagn",
        "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
    },
    "nn": {
        "paper_online": "Du kan òg svare på nettet:",
        "poster_title": "Kva meiner du?",
        "poster_lead": "Vi vil gjerne høyre korleis du opplever arbeidet og samarbeidet i eininga di.",
        "poster_scan": "Skann QR-koden med mobilkameraet, eller skriv inn adressa:",
        "poster_anon": "Det tek 5–10 minutt. Svaret er anonymt: vi lagrar ikkje namnet ditt, IP-adressa eller klokkeslettet.",
        "closes": "Svarfrist",
        "open_until_further": "Open inntil vidare",
        "slip_title": "Spørjeundersøking",
        "slip_how": "Skann QR-koden, eller gå til adressa og skriv inn koden. Koden kan brukast éin gong.",
        "code": "Kode",
        "paper_title": "Spørjeskjema",
        "paper_unit": "Eining",
        "paper_round": "Runde",
        "paper_number": "Skjemanr. (fyllast ut av den som registrerer)",
        "paper_how": "Set eitt kryss for kvart utsegn. Skriv tydeleg. Ikkje skriv namnet ditt på skjemaet.",
        "paper_line": "Set ein loddrett strek på linja.",
        "paper_field": "Skriv her",
        "paper_thanks": "Takk for at du svarte! Legg skjemaet i den forsegla svarkassen.",
        "paper_one_box": "Set eitt kryss, eller la vere å svare.",
        "item": "Utsegn",
        "months": ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"],
    },
    "en": {
        "poster_title": "Have your say",
        "poster_lead": "We would like to hear how you experience the work and the collaboration in your unit.",
        "poster_scan": "Scan the QR code with your phone camera, or type the address:",
        "poster_anon": "It takes 5–10 minutes. Your answer is anonymous: we do not store your name, IP address or the time of day.",
        "closes": "Closes",
        "open_until_further": "Open until further notice",
        "slip_title": "Survey",
        "slip_how": "Scan the QR code, or go to the address and type the code. The code can be used once.",
        "code": "Code",
        "paper_title": "Questionnaire",
        "paper_unit": "Unit",
        "paper_round": "Round",
        "paper_number": "Form no. (filled in by the person entering the data)",
        "paper_how": "Mark one box for each statement. Write clearly. Do not write your name on the form.",
        "paper_line": "Draw a vertical stroke on the line.",
        "paper_field": "Write here",
        "paper_thanks": "Thank you for answering! Put the form in the sealed answer box.",
        "paper_online": "You can also answer online:",
        "paper_one_box": "Mark one box, or leave it blank.",
        "item": "Statement",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    },
}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    mono: str


_FONTS: Fonts | None = None


def fonts() -> Fonts:
    """DejaVu Sans (regular, bold, mono) registered once (:class:`~scoring.formats.subset_font.SubsetFont`);
    Helvetica/Courier if not installed."""
    global _FONTS
    if _FONTS is None:
        files = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf", "DejaVuSansMono": "DejaVuSansMono.ttf"}
        if all((FONT_DIR / f).exists() for f in files.values()):
            for name, filename in files.items():
                pdfmetrics.registerFont(SubsetFont(name, str(FONT_DIR / filename)))
            _FONTS = Fonts("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono")
        else:
            _FONTS = Fonts("Helvetica", "Helvetica-Bold", "Courier")
    return _FONTS


def format_date(day: dt.date | None, lang: str) -> str:
    if day is None:
        return TEXT[lang]["open_until_further"]
    month = TEXT[lang]["months"][day.month - 1]
    return f"{day.day}. {month} {day.year}" if lang in NORWEGIAN else f"{day.day} {month} {day.year}"


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` as vector squares, ``size`` wide, lower-left corner at (x, y)."""
    qr = segno.make(data, error="m")
    matrix = [list(row) for row in qr.matrix]
    quiet = 2
    n = len(matrix) + 2 * quiet
    module = size / n
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(x + (c + quiet) * module, y + size - (r + quiet + 1) * module, module * 1.01, module * 1.01, stroke=0, fill=1)
    canvas.restoreState()


def _wrap(canvas: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if canvas.stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _centred_lines(canvas: Canvas, text: str, font: str, size: float, y: float, width: float, leading: float | None = None) -> float:
    """Draw wrapped, centred text from baseline ``y`` down; return the y below it."""
    page_w = canvas._pagesize[0]
    for line in _wrap(canvas, text, font, size, width):
        canvas.setFont(font, size)
        canvas.drawCentredString(page_w / 2, y, line)
        y -= leading or size * 1.3
    return y


@dataclass(frozen=True)
class Poster:
    unit_name: str
    url: str


def posters_pdf(path: str | Path, *, round_name: str, posters: Sequence[Poster], closes: dt.date | None, titles: Sequence[str] = ()) -> Path:
    """One A4 poster per unit: title (nb, en), unit name, a large QR code, the address,
    the closing date and a short note on anonymity in both languages."""
    f = fonts()
    path = writable_pdf(path)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"Samklima {round_name}: QR")
    width, height = A4
    text_w = width - 4 * cm
    for poster in posters:
        y = height - 3 * cm
        y = _centred_lines(canvas, TEXT["nb"]["poster_title"], f.bold, 40, y, text_w)
        canvas.setFillColor(colors.HexColor("#555555"))
        y = _centred_lines(canvas, TEXT["en"]["poster_title"], f.regular, 22, y - 2, text_w)
        canvas.setFillColor(colors.black)
        y = _centred_lines(canvas, poster.unit_name, f.bold, 24, y - 0.6 * cm, text_w)
        if titles:
            y = _centred_lines(canvas, " · ".join(titles), f.regular, 13, y - 0.1 * cm, text_w)
        qr_size = 11 * cm
        y -= qr_size + 0.3 * cm
        draw_qr(canvas, poster.url, (width - qr_size) / 2, y, qr_size)
        y -= 0.8 * cm
        canvas.setFont(f.mono, 11)
        canvas.drawCentredString(width / 2, y, poster.url)
        y -= 1.1 * cm
        closes_text = f"{TEXT['nb']['closes']}: {format_date(closes, 'nb')}   ·   {TEXT['en']['closes']}: {format_date(closes, 'en')}"
        y = _centred_lines(canvas, closes_text, f.bold, 14, y, text_w)
        y -= 0.3 * cm
        for lang, size, shade in (("nb", 12, "#000000"), ("en", 11, "#555555")):
            canvas.setFillColor(colors.HexColor(shade))
            y = _centred_lines(canvas, TEXT[lang]["poster_lead"] + " " + TEXT[lang]["poster_anon"], f.regular, size, y, text_w)
            y -= 0.2 * cm
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.setFont(f.regular, 8)
        canvas.drawCentredString(width / 2, 1.2 * cm, f"Samklima · {round_name}")
        canvas.setFillColor(colors.black)
        canvas.showPage()
    canvas.save()
    return write_bytes(path, buffer.getvalue())


def code_slips_pdf(
    path: str | Path, *, round_name: str, unit_name: str, codes: Sequence[str], urls: Sequence[str], answer_url: str, closes: dt.date | None
) -> Path:
    """Slips to cut out, 2 x 5 per A4 page: each with its QR code (which carries the code),
    the code in large type, the address to type it at, and the closing date (nb and en)."""
    f = fonts()
    path = writable_pdf(path)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"Samklima {round_name}: {unit_name}")
    width, height = A4
    cols, rows = 2, 5
    margin = 1 * cm
    slip_w, slip_h = (width - 2 * margin) / cols, (height - 2 * margin) / rows
    for i, (code, url) in enumerate(zip(codes, urls)):
        spot = i % (cols * rows)
        if i and spot == 0:
            canvas.showPage()
        col, row = spot % cols, spot // cols
        x0, y0 = margin + col * slip_w, height - margin - (row + 1) * slip_h
        canvas.setDash(3, 3)
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.rect(x0, y0, slip_w, slip_h, stroke=1, fill=0)
        canvas.setDash()
        qr = 3.2 * cm
        draw_qr(canvas, url, x0 + 0.3 * cm, y0 + slip_h - qr - 0.35 * cm, qr)
        tx = x0 + qr + 0.6 * cm
        tw = slip_w - qr - 0.9 * cm
        y = y0 + slip_h - 0.75 * cm
        canvas.setFillColor(colors.black)
        canvas.setFont(f.bold, 8.5)
        canvas.drawString(tx, y, f"{TEXT['nb']['slip_title']} / {TEXT['en']['slip_title']}")
        y -= 0.4 * cm
        canvas.setFont(f.regular, 8.5)
        canvas.drawString(tx, y, round_name)
        y -= 0.4 * cm
        for line in _wrap(canvas, unit_name, f.regular, 8.5, tw)[:2]:
            canvas.drawString(tx, y, line)
            y -= 0.38 * cm
        canvas.setFont(f.regular, 7.5)
        canvas.drawString(tx, y, f"{TEXT['nb']['code']} / {TEXT['en']['code']}:")
        y -= 0.48 * cm
        groups = code.split("-")
        lines = ["-".join(groups[:4]), "-".join(groups[4:])] if len(groups) > 4 else [code]
        canvas.setFont(f.mono, 11.5)
        for part in lines:
            if part:
                canvas.drawString(tx, y, part)
                y -= 0.46 * cm
        # Bottom block, stacked upwards: address and closing date, then the instructions.
        canvas.setFont(f.mono, 6.5)
        canvas.drawString(x0 + 0.3 * cm, y0 + 0.25 * cm, answer_url)
        canvas.setFont(f.regular, 6.5)
        canvas.drawRightString(x0 + slip_w - 0.3 * cm, y0 + 0.25 * cm, f"{TEXT['nb']['closes']}: {format_date(closes, 'nb')}")
        y = y0 + 0.62 * cm
        for lang in ("en", "nb"):
            for line in reversed(_wrap(canvas, TEXT[lang]["slip_how"], f.regular, 6.5, slip_w - 0.6 * cm)[:2]):
                canvas.drawString(x0 + 0.3 * cm, y, line)
                y += 0.27 * cm
    canvas.showPage()
    canvas.save()
    return write_bytes(path, buffer.getvalue())


class _Box(Flowable):
    """An empty check box to tick."""

    def __init__(self, size: float = 4.2 * mm):
        super().__init__()
        self.size = size
        self.width = self.height = size

    def draw(self):
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


class _Line(Flowable):
    """A visual-analogue line with end labels, for continuous items (0–10)."""

    def __init__(self, width: float, left: str, right: str, font: str):
        super().__init__()
        self.width, self.height = width, 11 * mm
        self.left, self.right, self.font = left, right, font

    def draw(self):
        c = self.canv
        y = 7 * mm
        c.setLineWidth(1)
        c.line(0, y, self.width, y)
        c.line(0, y - 2 * mm, 0, y + 2 * mm)
        c.line(self.width, y - 2 * mm, self.width, y + 2 * mm)
        c.setFont(self.font, 7)
        c.drawString(0, 1 * mm, self.left)
        c.drawRightString(self.width, 1 * mm, self.right)


def paper_form_pdf(
    path: str | Path, *, round_name: str, unit: str, unit_name: str, instruments: Sequence[Instrument], language: str = "nb",
    online_url: str | None = None,
) -> Path:
    """A printable questionnaire: every item with a box per answer code and one for the
    user-missing code ("vet ikke"), item ids in small print for punching, the instruments'
    own fields as write-in lines, and a box for the form number. ``online_url`` (the unit's
    link) is printed under the instructions for those who would rather answer online."""
    check_choice(language, tuple(TEXT), "--language")
    f = fonts()
    t = TEXT[language]
    path = writable_pdf(path)
    styles = {
        "title": ParagraphStyle("title", fontName=f.bold, fontSize=18, leading=22, spaceAfter=4),
        "h2": ParagraphStyle("h2", fontName=f.bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=f.regular, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=f.regular, fontSize=7, leading=8.5, alignment=1),
        "id": ParagraphStyle("id", fontName=f.regular, fontSize=6, leading=7, textColor=colors.HexColor("#777777")),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=1.6 * cm, rightMargin=1.6 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm,
        title=f"Samklima {round_name}: {unit_name}",
    )
    story: list = [
        Paragraph(t["paper_title"] + " – " + " / ".join(i.title.get(language, i.id) for i in instruments), styles["title"]),
        Table(
            [[Paragraph(f"<b>{t['paper_unit']}:</b> {_esc(unit_name)} ({_esc(unit)})", styles["body"]),
              Paragraph(f"<b>{t['paper_round']}:</b> {_esc(round_name)}", styles["body"])],
             [Paragraph(t["paper_number"], styles["body"]), ""]],
            colWidths=[11 * cm, 6.8 * cm],
            style=TableStyle([("BOX", (1, 1), (1, 1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("BOTTOMPADDING", (0, 1), (-1, 1), 8), ("TOPPADDING", (0, 1), (-1, 1), 8)]),
        ),
        Spacer(1, 4 * mm),
        Paragraph(t["paper_how"], styles["body"]),
    ]
    if online_url:
        story.append(Paragraph(f"{t['paper_online']} {_esc(online_url)}", styles["body"]))
    usable = A4[0] - 3.2 * cm
    story += _background(language, styles, usable)
    for inst in instruments:
        story.append(Paragraph(_esc(inst.title.get(language, inst.id)), styles["h2"]))
        if inst.instructions and inst.instructions.get(language):
            story.append(Paragraph(_esc(inst.instructions[language]), styles["body"]))
            story.append(Spacer(1, 3 * mm))
        for field in inst.fields:
            story.append(Paragraph(f"<b>{_esc(field.label.get(language, field.id))}</b> <font size=6 color='#777777'>[{field.id}]</font>: ______________________________________", styles["body"]))
            story.append(Spacer(1, 3 * mm))
        story += _item_tables(inst, language, styles, usable, f)
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(t["paper_thanks"], styles["body"]))
    doc.build(story, onFirstPage=_footer(round_name, unit, f), onLaterPages=_footer(round_name, unit, f))
    return write_bytes(path, buffer.getvalue())


def _background(language: str, styles, usable: float, per_row: int = 4) -> list:
    """The optional background questions ("Om deg"): each answer with a box, its stored code in
    small print for whoever enters the form, ``per_row`` answers to a row."""
    texts = background.section_texts()
    flow: list = [
        Paragraph(_esc(texts["title"][language]), styles["h2"]),
        Paragraph(_esc(texts["note"][language]) + " " + TEXT[language]["paper_one_box"], styles["body"]),
    ]
    width = usable / per_row
    for question in background.staff_background():
        field, label = question.id, question.label
        cells = [
            Table(
                [[_Box(), Paragraph(f"{_esc(labels[language])}<br/><font size=6 color='#777777'>{_esc(code)}</font>", styles["body"])]],
                colWidths=[0.6 * cm, width - 0.8 * cm],
                style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 1)]),
            )
            for code, labels in question.options
        ]
        rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
        rows[-1] += [""] * (per_row - len(rows[-1]))
        flow.append(KeepTogether([
            Spacer(1, 2 * mm),
            Paragraph(f"<b>{_esc(label[language])}</b> <font size=6 color='#777777'>[{field}]</font>", styles["body"]),
            Table(rows, colWidths=[width] * per_row, style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")])),
        ]))
    return flow


def _item_tables(inst: Instrument, language: str, styles, usable: float, f: Fonts) -> list:
    """One table per run of items sharing a response scale, header row repeated on new pages."""
    flow: list = []
    runs: list[tuple[str, list]] = []
    for item in inst.items:
        if runs and runs[-1][0] == item.response_scale:
            runs[-1][1].append(item)
        else:
            runs.append((item.response_scale, [item]))
    for scale_name, items in runs:
        rs = inst.response_scales[scale_name]
        if rs.kind == "continuous":
            left = rs.labels.get(int(rs.min), {}).get(language, f"{rs.min:g}") if rs.min is not None else ""
            right = rs.labels.get(int(rs.max), {}).get(language, f"{rs.max:g}") if rs.max is not None else ""
            flow.append(Paragraph(TEXT[language]["paper_line"], styles["body"]))
            for n, item in enumerate(items, start=1):
                flow.append(KeepTogether([
                    Paragraph(f"{n}. {_esc(item.text.get(language, item.id))} <font size=6 color='#777777'>[{item.id}]</font>", styles["body"]),
                    _Line(10 * cm, f"{rs.min:g} {left}", f"{right} {rs.max:g}", f.regular),
                    Spacer(1, 2 * mm),
                ]))
            continue
        codes = [(int(c), rs.labels[int(c)].get(language, str(int(c)))) for c in rs.valid_codes]
        codes += [(int(c), label.get(language, str(c))) for c, label in sorted(rs.missing.items())]
        box_w = 1.55 * cm
        text_w = usable - box_w * len(codes)
        header = [Paragraph(f"<b>{TEXT[language]['item']}</b>", styles["body"])] + [
            Paragraph(f"<b>{code}</b><br/>{_esc(label)}", styles["small"]) for code, label in codes
        ]
        rows = [header]
        for item in items:
            number = inst.items.index(item) + 1
            rows.append(
                [Paragraph(f"{number}. {_esc(item.text.get(language, item.id))}<br/><font size=6 color='#777777'>{item.id}</font>", styles["body"])]
                + [_Box() for _ in codes]
            )
        table = Table(rows, colWidths=[text_w] + [box_w] * len(codes), repeatRows=1)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 1), (-1, -1), "CENTER"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
            ("BACKGROUND", (-len(rs.missing) or len(codes) + 1, 0), (-1, -1), colors.HexColor("#f1f1f1")) if rs.missing else ("TOPPADDING", (0, 0), (0, 0), 3),
            ("TOPPADDING", (0, 1), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
        ]))
        flow.append(table)
    return flow


def _footer(round_name: str, unit: str, f: Fonts):
    def draw(canvas: Canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(f.regular, 7)
        canvas.setFillColor(colors.HexColor("#777777"))
        canvas.drawString(1.6 * cm, 0.9 * cm, f"Samklima · {round_name} · {unit}")
        canvas.drawRightString(A4[0] - 1.6 * cm, 0.9 * cm, str(doc.page))
        canvas.restoreState()

    return draw


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def writable_pdf(path: str | Path) -> Path:
    """``path`` if its folder exists and it ends in .pdf, else a :class:`UserError`."""
    path = Path(path)
    if not path.parent.exists():
        raise UserError.single("the folder does not exist", file=str(path.parent))
    if path.suffix.lower() != ".pdf":
        raise UserError.single("the output file must end in .pdf", file=str(path))
    return path
