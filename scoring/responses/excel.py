"""Reading the first sheet of an Excel file as a table, refusing cells that are not values.

Two kinds of Excel cell would be read silently wrong: a TRUE/FALSE cell becomes 1/0 (or the
text ``True``), and a formula becomes the value Excel cached when the file was last saved, or a
blank when no program calculated it (a file written by a script). Neither is what the person
meant to type into a survey table, so every such cell is reported with its file, row (numbered
from 1 after the header line, as in every other message), column and Excel cell reference,
before anything is read. The sheet is scanned once with :mod:`openpyxl` in read-only mode, then
read by :func:`pandas.read_excel`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from scoring.errors import Problem, UserError

MAX_LISTED = 20


def cell_problems(path: str | Path) -> list[Problem]:
    """Every TRUE/FALSE or formula cell of the first sheet (the one :func:`pandas.read_excel` reads)."""
    import openpyxl
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as err:
        raise UserError.single(f"cannot read the Excel file: {err}", file=str(path)) from None
    try:
        sheet = book.worksheets[0]
        problems: list[Problem] = []
        header: list[str] = []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            if number == 1:
                header = ["" if c.value is None else str(c.value).strip() for c in row]
            for position, cell in enumerate(row):
                kind = getattr(cell, "data_type", None)
                if kind not in ("b", "f"):
                    continue
                column = header[position] if position < len(header) and header[position] else get_column_letter(position + 1)
                reference = f"{get_column_letter(position + 1)}{number}"
                what = "is TRUE/FALSE, not a number or a text; type the value" if kind == "b" else (
                    f"is a formula ({cell.value}); save the values, not the formulas (paste as values)"
                )
                problems.append(Problem(f"cell {reference} {what}", file=str(path), row=number - 1 if number > 1 else None, path=column))
        return problems
    finally:
        book.close()


def read_excel(path: str | Path) -> pd.DataFrame:
    """The first sheet as a DataFrame; raises :class:`UserError` listing the TRUE/FALSE and
    formula cells (the first 20, and how many there are)."""
    problems = cell_problems(path)
    if problems:
        shown = problems[:MAX_LISTED]
        more = f"; the first {len(shown)} are listed" if len(problems) > len(shown) else ""
        raise UserError(shown, summary=f"{len(problems)} cell(s) of {path} are TRUE/FALSE or formulas{more}. Nothing was stored.")
    return pd.read_excel(path)
