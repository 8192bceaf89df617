"""Text from data shown exactly as typed: unit names, round names and instrument texts.

Streamlit renders Markdown in ``st.markdown``, titles and headers, messages, widget labels and
help, radio options, button and expander labels: links, images, bare web addresses (GitHub's
autolinks), e-mail addresses, HTML, ``$maths$`` and its own ``:colour[...]`` and
``:emoji:`` codes. A unit named ``![x](http://evil.example/x.png)`` would then make every
respondent's browser fetch an image from another server, telling it who opens the anonymous
answer page and when, and ``[click](http://evil.example)`` would put a link on it.
:func:`plain` backslash-escapes what could start such markup (CommonMark lets any ASCII
punctuation be escaped). Escaping does not stop GitHub's autolinks, which Streamlit finds in
the text after parsing (``http://``, ``www.``, ``name@host``), so an invisible WORD JOINER
(U+2060) is put inside each of those. The text is shown as it is and nothing is loaded or
linked (tests/browser/test_respond_plain_text.py checks this in Chromium). Select-box options
are plain text in Streamlit already and are not escaped.
"""

from __future__ import annotations

import re

# Anywhere in a line: code, emphasis, links and images, HTML and autolinks, headings, tables,
# strikethrough, maths, entities, directives and emoji codes, e-mail autolinks.
_ANYWHERE = re.compile(r"([\\`*_\[\]<>!#|~$&:@])")
# At the start of a line: list bullets, setext heading underlines and ordered-list numbers.
_LINE_START = re.compile(r"^([ \t]*)([-+=]|\d+(?=[.)]))", re.MULTILINE)
# GitHub autolinks: a scheme's "://", "www." and the "@" of an e-mail address.
_AUTOLINK = re.compile(r"(?i)(://|\bwww(?=\.)|@)")
JOINER = "\u2060"


def plain(text) -> str:
    """``text`` escaped so that Streamlit's Markdown shows every character as typed.

    >>> plain("![x](http://evil.example/x.png) [click](http://evil.example)")
    '\\\\!\\\\[x\\\\](http\\\\:\\u2060//evil.example/x.png) \\\\[click\\\\](http\\\\:\\u2060//evil.example)'
    >>> plain("www.x.no, ola@x.no")
    'w\\u2060ww.x.no, ola\\\\@\\u2060x.no'
    >>> plain("Hjemmetjenesten sone Nord, dagteam 1")
    'Hjemmetjenesten sone Nord, dagteam 1'
    """
    text = _AUTOLINK.sub(lambda m: m.group(1)[0] + JOINER + m.group(1)[1:], str(text))
    text = _ANYWHERE.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit() else m.group(2) + "\\"), text)
