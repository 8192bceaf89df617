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
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont


class SubsetFont(TTFont):
    """:class:`reportlab.pdfbase.ttfonts.TTFont` with a fast :meth:`splitString` (module docstring)."""

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
