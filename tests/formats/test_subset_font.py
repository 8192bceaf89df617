"""SubsetFont encodes text as reportlab's TTFont does: the same codes, subsets and state for the
same strings in the same order, and the same PDF bytes (scoring/formats/subset_font.py)."""

from __future__ import annotations

import io
import random
from contextlib import contextmanager

import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from scoring.formats.pdf import FONT_DIR
from scoring.formats.subset_font import SubsetFont

REGULAR = FONT_DIR / "DejaVuSans.ttf"
pytestmark = pytest.mark.skipif(not REGULAR.exists(), reason="DejaVu Sans is not installed (fonts-dejavu-core)")

TEXTS = [
    "Samhandlingsklima", "Samhandlingsklima", "Læring på tvers: æøå ÆØÅ", "4,2 [3,9–4,5]",
    "no\u00a0break", "", "\u2603 snø", "Helt uenig", "Helt enig", "skjult for å verne en mindre gruppe",
    "\U0001d400 not in the font", "Tilbakemelding → 3,1 (2025-1)",
]


class _Doc:
    """A stand-in document: the fonts keep their per-document state in a weak dictionary."""


def _split_all(font_class, texts, doc) -> tuple[list, dict, list, int]:
    font = font_class("Probe", str(REGULAR))
    out = [font.splitString(t, doc) for t in texts]
    state = font.state[doc]
    return out, dict(state.assignments), [list(s) for s in state.subsets], state.nextCode


def test_the_same_codes_subsets_and_state_as_reportlab_for_the_same_strings():
    doc_a, doc_b = _Doc(), _Doc()
    assert _split_all(SubsetFont, TEXTS, doc_a) == _split_all(TTFont, TEXTS, doc_b)


def test_more_than_one_subset_still_the_same():
    """Past 256 codes reportlab opens a second subset; the fast way steps aside."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x20, 0x24F) if chr(c).isprintable()]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    texts += texts[:50]  # strings seen before, now all in known subsets
    doc_a, doc_b = _Doc(), _Doc()
    fast, slow = _split_all(SubsetFont, texts, doc_a), _split_all(TTFont, texts, doc_b)
    assert len(slow[2]) > 1, "the probe must reach a second subset"
    assert fast == slow


@contextmanager
def _registered(font):
    """``font`` registered in a registry of its own for the block: reportlab maps a second font
    of a face already registered (DejaVu Sans, by the reports) to the first font object, so two
    fonts of one face would otherwise be the same font."""
    from reportlab.pdfbase import pdfmetrics

    saved = pdfmetrics._fonts, pdfmetrics._dynFaceNames
    pdfmetrics._fonts, pdfmetrics._dynFaceNames = {}, {}
    try:
        pdfmetrics.registerFont(font)
        assert pdfmetrics.getFont(font.fontName) is font
        yield font
    finally:
        pdfmetrics._fonts, pdfmetrics._dynFaceNames = saved


def _pdf(font_class, name: str) -> bytes:
    with _registered(font_class(name, str(REGULAR))):
        return _one_pdf(name)


def _one_pdf(name: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    canvas.setFont(name, 9)
    for n, line in enumerate(TEXTS * 3):
        canvas.drawString(40, 800 - 12 * n, line)
    canvas.save()
    return buffer.getvalue().replace(name.encode(), b"FONT")


def test_the_same_pdf_bytes():
    assert _pdf(SubsetFont, "ProbeFast") == _pdf(TTFont, "ProbeSlow")


def test_the_fast_way_is_taken():
    """A string seen before is encoded without reportlab's loop (else this module is dead weight)."""
    font, doc = SubsetFont("Probe", str(REGULAR)), _Doc()
    font.splitString("Samhandlingsklima", doc)
    calls = []
    original = TTFont.splitString
    TTFont.splitString = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        assert font.splitString("klima", doc) == [(0, bytes(font.state[doc].assignments[ord(c)] for c in "klima"))]
        assert calls == []
        font.splitString("ny: ø", doc)
        assert len(calls) == 1, "a new character goes to reportlab"
    finally:
        TTFont.splitString = original


def _compressed_pdf(font, texts) -> bytes:
    with _registered(font):
        return _one_compressed_pdf(font.fontName, texts)


def _one_compressed_pdf(name: str, texts) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)  # compressed, as the reports are
    canvas.setFont(name, 9)
    for n, line in enumerate(texts):
        canvas.drawString(40, 800 - 12 * n, line)
    canvas.save()
    return buffer.getvalue().replace(name.encode(), b"FONT")


def test_a_subset_made_once_is_written_again_byte_for_byte():
    """The second and later documents with the same subset reuse its font file: the same bytes
    as reportlab writes, for documents with the same and with other subsets."""
    kept, plain = SubsetFont("ProbeKept", str(REGULAR)), TTFont("ProbePlain", str(REGULAR))
    made = []
    for texts in (TEXTS, TEXTS, ["Læring æøå"], TEXTS[::-1], TEXTS):
        fast, slow = _compressed_pdf(kept, texts), _compressed_pdf(plain, texts)
        assert fast.replace(b"ProbeKept", b"FONT") == slow.replace(b"ProbePlain", b"FONT")
        made.append(len(kept.face.kept))
    assert made == [1, 1, 2, 3, 3], "a subset seen before is not made again"
