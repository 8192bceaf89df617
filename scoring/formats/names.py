"""Variable names and labels that SPSS and Stata accept as they are, changed only with a warning.

pyreadstat (ReadStat) writes whatever it is given: it truncates long labels without a word,
and it accepts lower-case reserved words and names that differ only by case, which SPSS and
PSPP then rename on opening (``docs/spss.md``). Everything is therefore checked here, before
writing, and every change is reported.

Names (:func:`safe_names`):

- SPSS (IBM Command Syntax Reference, "Variable names"): at most 64 bytes, a letter first, then
  letters, digits, ``_`` and ``.``; not ending in ``.`` or ``_``; not a reserved word in any case
  (:data:`scoring.instrument.spss_names.RESERVED_WORDS`); unique ignoring case. We also keep names ASCII.
- Stata (``help varname``): at most 32 characters, a letter or ``_`` first, then letters,
  digits and ``_``; not a reserved word (``help reswords``). Names are made unique ignoring
  case as well, so that a file also opens in SPSS and in case-insensitive tools.

Labels (:func:`shorten`): limits are in UTF-8 bytes, so "æ", "ø" and "å" count twice. A label
over its limit is cut at a character boundary and ends with "…".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from scoring.errors import Coded
from scoring.instrument.spss_names import RESERVED_WORDS, spss_name_problem

ELLIPSIS = "…"

SPSS_VARIABLE_LABEL_BYTES = 256
SPSS_VALUE_LABEL_BYTES = 120
SPSS_FILE_LABEL_BYTES = 64
SPSS_DOCUMENT_LINE_BYTES = 80
STATA_VARIABLE_LABEL_CHARS = 80
STATA_FILE_LABEL_CHARS = 80

STATA_RESERVED_WORDS = frozenset(
    {
        "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long",
        "_n", "_N", "_pi", "_pred", "_rc", "_skip", "str", "strL", "using", "with",
    }
)  # fmt: skip
_STATA_RESERVED_LOWER = frozenset(w.lower() for w in STATA_RESERVED_WORDS)
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRANSLITERATE = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa", "ß": "ss"})


@dataclass(frozen=True)
class NameRules:
    """What a target format allows in a variable name."""

    target: str
    max_length: int
    invalid: re.Pattern  # characters to replace by "_"
    first: re.Pattern  # what the first character must match
    trailing: str  # characters a name may not end with

    def problem(self, name: str) -> str | None:
        """Why ``name`` is not valid for this target on its own (uniqueness aside), or None."""
        if self.target == "SPSS":
            return spss_name_problem(name)
        if not name:
            return "is empty"
        if len(name) > self.max_length:
            return f"'{name}' is longer than {self.max_length} characters (the Stata limit)"
        if not _STATA_NAME.match(name):
            return f"'{name}' is not a valid Stata name: letters, digits and '_' only, not starting with a digit"
        if self.reserved(name):
            return f"'{name}' is a Stata reserved word"
        return None

    def reserved(self, name: str) -> bool:
        if self.target == "SPSS":
            return name.upper() in RESERVED_WORDS
        return name.lower() in _STATA_RESERVED_LOWER


SPSS = NameRules("SPSS", 64, re.compile(r"[^A-Za-z0-9_.]"), re.compile(r"[A-Za-z]"), "._")
STATA = NameRules("Stata", 32, re.compile(r"[^A-Za-z0-9_]"), re.compile(r"[A-Za-z_]"), "")


@dataclass(frozen=True)
class Renamed:
    """One variable whose name had to change, and why."""

    original: str
    name: str
    reason: str

    def __str__(self) -> str:
        return f"variable '{self.original}' renamed to '{self.name}' ({self.reason})"

    def warning(self) -> Coded:
        """:meth:`__str__` as an export warning the export page says in its own language."""
        return Coded(str(self), "export_renamed", original=self.original, name=self.name, target=self.reason.split(":", 1)[0])


def _repair(name: str, rules: NameRules) -> str:
    """A name that satisfies ``rules`` on its own, as close to ``name`` as we can make it."""
    text = unicodedata.normalize("NFKD", str(name).translate(_TRANSLITERATE))
    text = "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii")
    text = rules.invalid.sub("_", text.strip())
    text = re.sub(r"_{2,}", "_", text)
    if not text or not rules.first.match(text[0]):
        text = "v" + text
    text = text[: rules.max_length]
    if rules.trailing:
        text = text.rstrip(rules.trailing) or "v"
    if rules.reserved(text):
        text = (text + "_v")[: rules.max_length]
    return text


def _with_suffix(base: str, number: int, rules: NameRules) -> str:
    suffix = f"_{number}"
    stem = base[: rules.max_length - len(suffix)]
    if rules.trailing:
        stem = stem.rstrip(rules.trailing) or "v"
    return stem + suffix


def safe_names(names: list[str], rules: NameRules = SPSS, *, taken: set[str] | None = None) -> tuple[list[str], list[Renamed]]:
    """Names valid for ``rules.target``, unique ignoring case, in the order given.

    A valid name is kept; an invalid one is repaired (æ -> ae, ø -> o, å -> aa, other letters
    without their accents, other characters -> ``_``, a ``v`` in front when the first character
    is not allowed, cut to the length limit, ``_v`` after a reserved word). Valid names keep
    their spelling first; a repaired or later name that collides (ignoring case) gets ``_2``,
    ``_3``, ... ``taken`` holds names (any case) already used elsewhere. Returns the new names
    and one :class:`Renamed` per change.
    """
    used = {n.lower() for n in (taken or set())}
    result: list[str | None] = [None] * len(names)
    # Valid names claim their spelling first, so a repaired name never displaces one.
    for i, name in enumerate(names):
        if rules.problem(str(name)) is None and str(name).lower() not in used:
            result[i] = str(name)
            used.add(str(name).lower())
    renamed = []
    for i, name in enumerate(names):
        if result[i] is not None:
            continue
        problem = rules.problem(str(name))
        candidate = _repair(str(name), rules) if problem else str(name)
        if candidate.lower() in used:
            number = 2
            while _with_suffix(candidate, number, rules).lower() in used:
                number += 1
            candidate = _with_suffix(candidate, number, rules)
            reason = problem or f"'{name}' is the same as another variable name ignoring case"
            if problem:
                reason += "; the repaired name was taken"
        else:
            reason = problem
        used.add(candidate.lower())
        result[i] = candidate
        renamed.append(Renamed(str(name), candidate, f"{rules.target}: {reason}"))
    return [str(r) for r in result], renamed


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def shorten(text: str, max_bytes: int | None = None, *, max_chars: int | None = None) -> str:
    """``text`` unchanged if it fits, else cut at a character boundary and ended with "…".

    ``max_bytes`` counts UTF-8 bytes (SPSS), ``max_chars`` characters (Stata). Trailing
    spaces before the "…" are dropped.
    """
    if max_chars is not None and len(text) > max_chars:
        return text[: max_chars - 1].rstrip() + ELLIPSIS
    if max_bytes is not None and utf8_length(text) > max_bytes:
        budget = max_bytes - utf8_length(ELLIPSIS)
        cut = text.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
        return cut.rstrip() + ELLIPSIS
    return text


def wrap_bytes(text: str, max_bytes: int) -> list[str]:
    """``text`` as lines of at most ``max_bytes`` UTF-8 bytes, broken at spaces where possible
    (SPSS document lines hold 80 bytes)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while utf8_length(word) > max_bytes:  # a word longer than a line: hard break
            head = word.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
            if current:
                lines.append(current)
                current = ""
            lines.append(head)
            word = word[len(head):]
        joined = f"{current} {word}" if current else word
        if utf8_length(joined) <= max_bytes:
            current = joined
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines
