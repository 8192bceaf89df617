"""Unit names that tell units apart where a page lists them side by side.

A national organisation repeats names: every municipality has its "Hjemmetjenesten sone Nord" and
its "NAV". A chart axis or a table's columns named by unit merge or refuse units with the same
name (Plotly draws two categories with one label as one; a table cannot have two columns of one
name), so where names repeat among the units shown, the repeated ones get their parent's name in
brackets, and their id too if that does not tell them apart either.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence


def distinct_names(units: Sequence[str], names: Mapping[str, str], parent: Mapping[str, str | None]) -> dict[str, str]:
    """``{unit: name}`` for ``units`` (the unit's id where it has no name), unique among them:
    ``Name (Parent name)`` for a name shared by several, ``Name (Parent name, id)`` where that is
    shared too. Names used once are left as they are."""
    plain = {u: names.get(u, u) for u in units}
    repeated = {name for name, times in Counter(plain.values()).items() if times > 1}
    out = {}
    for unit, name in plain.items():  # over the units shown (a page's columns), not respondents
        up = parent.get(unit)
        out[unit] = f"{name} ({names.get(up, up)})" if name in repeated and isinstance(up, str) and up else name
    still = {name for name, times in Counter(out.values()).items() if times > 1}
    for unit, name in out.items():
        if name in still:
            out[unit] = f"{name[:-1]}, {unit})" if name.endswith(")") and name != plain[unit] else f"{name} ({unit})"
    return out
