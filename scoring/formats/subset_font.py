"""A TrueType font whose text is encoded for the page without a Python loop per character.

reportlab embeds a TrueType font as subsets of up to 256 glyphs and encodes every string drawn
into them (``TTFont.splitString``: each character looked up, and given the next free code the
first time a document uses it). That loop runs over every character of every string: a unit
report draws about 500 strings, and the loop was the largest single cost of drawing it
(docs/performance.md).

Once every character of a string has its code in the document's first subset (the common case
after the first lines of a page), the result is the string translated through the document's
code table: ``str.translate`` with the same table, in C; a string drawn before in the same
document is looked up (its codes cannot change). Anything else (a new character, a
character the font lacks, a no-break space, a document with more than one subset, bytes) goes to
reportlab's own method, which assigns the codes as before, so the PDF is byte for byte the one
reportlab writes (tests/formats/test_subset_font.py compares both on the same strings).

Each document embeds its subsets of the font (the glyphs of its codes, in code order), made
and compressed anew by reportlab for every document. Reports of a batch use the same few
subsets (in 154 national reports, 308 subsets embedded, 40 distinct), so a subset's font file
is made and compressed once per process and the same bytes are written again
(:class:`_SubsetFace`).
"""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFont, TTFontFace

_KEPT_SUBSETS = 256  # font files kept per face (a few dozen distinct in a national batch)


class SubsetFont(TTFont):
    """:class:`reportlab.pdfbase.ttfonts.TTFont` with a fast :meth:`splitString` and its subsets'
    font files made once (module docstring)."""

    def __init__(self, name, filename, validate=0, subfontIndex=0, asciiReadable=None, shapable=True):  # noqa: N803
        super().__init__(name, filename, validate, subfontIndex, asciiReadable, shapable)
        self.face.__class__ = _SubsetFace  # the face reportlab made, its subsets kept
        self.face.kept = {}

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - reportlab's name
        state = self.state.get(doc)
        if state is None or not isinstance(text, str):
            return super().splitString(text, doc, encoding)
        # A string's codes never change within a document once given, and a report draws more
        # than half of its strings again ("n", the answer labels, the percentages in its bars).
        known = state.__dict__.setdefault("samklima_encoded", {})
        split = known.get(text)
        if split is None:
            if text and not state.frozen and state.nextCode <= 256 and set(map(ord, text)) <= state.assignments.keys():
                # Every code is below 256, so all are in subset 0; a no-break space is never a
                # key (reportlab draws it as a space), so it takes the slow way.
                split = [(0, text.translate(state.assignments).encode("latin-1"))]
            else:
                split = super().splitString(text, doc, encoding)
            known[text] = split
        return split  # reportlab only iterates over it


class _SubsetFace(TTFontFace):
    """reportlab's font face whose subsets' font files are made and compressed once per subset
    (module docstring); the PDF objects written are the ones :meth:`TTFontFace.addSubsetObjects`
    writes, byte for byte."""

    kept: dict[tuple, tuple[int, bytes]]

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: N802 - reportlab's name
        if not doc.compression or not isinstance(doc.encrypt, pdfdoc.NoEncryption):  # reportlab's way for these
            return super().addSubsetObjects(doc, fontname, subset)
        key = tuple(subset)
        made = self.kept.get(key)
        if made is None:
            if len(self.kept) >= _KEPT_SUBSETS:
                self.kept.clear()
            raw = self.makeSubset(subset)
            made = self.kept[key] = (len(raw), zlib.compress(raw))  # as reportlab's Flate filter does
        font_file = pdfdoc.PDFStream()
        font_file.content = made[1]
        font_file.dictionary["Length1"] = made[0]
        # A stream whose dictionary names its filter is written as it is (the filter was applied).
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName(pdfdoc.PDFZCompress.pdfname)])
        font_file_ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor", "Ascent": self.ascent, "CapHeight": self.capHeight, "Descent": self.descent,
            "Flags": (self.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC, "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname), "ItalicAngle": self.italicAngle, "StemV": self.stemV,
            "FontFile2": font_file_ref, "MissingWidth": self.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)
