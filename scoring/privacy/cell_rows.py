"""Which of a publication's cells a reader needs, when it reads only a few units.

A unit report reads two pages whole (Compare and Overview: its unit, the organisation, the unit
type, and which rounds have results) and two only at its own units and in its own round (Items:
the unit's cells; Partners: the shown ratings the unit gave or received; a report of a later
round shows neither for the earlier rounds, and a hidden rating not at all). A national team manager's
cut of a round is 270,000 cells, nearly all of them the organisation's and the unit types'
item and partner cells; a report of one unit reads a few thousand. :class:`CellRows` names the
cells a reader needs, so that a stored cut can be read without the rest
(:func:`scoring.store.decisions.frame_of`); the cells kept are the publication's own, unchanged,
so nothing a reader shows can differ from what the whole cut would show it, and no hidden cell
becomes visible (taking fewer cells only removes numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True, eq=False)
class CellRows:
    """``pages``: page -> the columns of which one must name one of ``units`` for a cell to be
    needed (an empty tuple: every cell of the page). Pages not named are not needed.
    ``where``: page -> column -> the values a needed cell of that page has there (a report
    reads Items and Partners only in its own round, and only the Partners cells shown)."""

    pages: dict[str, tuple[str, ...]]
    units: frozenset[str]
    where: dict[str, dict[str, tuple]] = field(default_factory=dict)

    def covers(self, units) -> bool:
        """Whether the cells taken for these rows hold everything a reader of ``units`` needs."""
        return set(units) <= self.units

    def keep(self, member: Callable[[str, Collection[str]], np.ndarray], count: int) -> np.ndarray:
        """Which of ``count`` cells are needed, given ``member(column, values)``: whether each
        cell's ``column`` is one of ``values`` (the rule in one place; a frame and a stored Arrow
        table test membership their own way)."""
        keep = np.zeros(count, dtype=bool)
        for name, columns in self.pages.items():
            on_page = member("page", (name,))
            if columns:
                on_page = on_page & np.logical_or.reduce([member(c, self.units) for c in columns])
            for column, values in self.where.get(name, {}).items():
                on_page = on_page & member(column, values)
            keep |= on_page
        return keep

    def mask(self, cells: pd.DataFrame) -> np.ndarray:
        """Which rows of a cells frame (:data:`scoring.privacy.publication.CELL_COLUMNS`) are needed."""
        return self.keep(lambda column, values: cells[column].isin(list(values)).to_numpy(dtype=bool), len(cells))
