"""SPSS variable-name rules, shared by the instrument validator and the SPSS export.

IBM SPSS Statistics rules (Command Syntax Reference, "Variable names"): at most 64 bytes; the
first character a letter; then letters, digits, ``_``, ``.``; not ending in ``.`` or ``_``;
unique ignoring case; not one of the reserved words in any case. We also keep names ASCII,
because PSPP, haven and Stata differ in how they treat non-ASCII names.
"""

from __future__ import annotations

import re

RESERVED_WORDS = frozenset({"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"})
MAX_NAME_BYTES = 64
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.]*$")


def spss_name_problem(name: str) -> str | None:
    """Return why ``name`` is not a valid SPSS variable name, or ``None`` when it is valid."""
    if not name:
        return "is empty; an SPSS variable name needs at least one letter"
    if not name.isascii():
        return f"'{name}' has non-ASCII characters; SPSS variable names here are ASCII only"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"'{name}' is longer than {MAX_NAME_BYTES} bytes (the SPSS limit)"
    if not _NAME.match(name):
        return (
            f"'{name}' is not a valid SPSS variable name: it must start with a letter and "
            "contain only letters, digits, '_' and '.'"
        )
    if name.endswith((".", "_")):
        return f"'{name}' ends with '{name[-1]}', which SPSS does not allow"
    if name.upper() in RESERVED_WORDS:
        return f"'{name}' is an SPSS reserved word ({name.upper()})"
    return None
