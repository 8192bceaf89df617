"""Reading the coordinator's small tables (units.csv, headcount.csv) as text, cell by cell."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd

from scoring.errors import Problem, UserError
from scoring.responses.national_id import national_id_problems
from scoring.responses.reading import read_table


def read_text_table(
    source: str | Path | pd.DataFrame, required: tuple[str, ...], *, file: str | None = None, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The table with every cell as stripped text ("" for blank), checked for ``required`` columns.

    A CSV is read as text so that unit codes such as ``0301`` keep their leading zeros. A cell
    in any column that holds a national identity number refuses the whole table
    (:func:`scoring.responses.national_id.national_id_problems`; ``names`` gives the words for a column in
    the message, e.g. ``{"name": "the unit name"}``), before any other check can repeat it.
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        path = Path(source)
        file = file or str(path)
        if path.suffix.lower() == ".csv" and path.exists():
            try:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except UnicodeDecodeError as err:
                raise UserError.single(f"not UTF-8 text ({err.reason} at byte {err.start})", file=file, code="file_not_utf8",
                                       params={"byte": err.start}) from None
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
                raise UserError.single(f"cannot read the table: {err}", file=file, code="file_unreadable") from None
        else:
            frame = read_table(path)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise UserError(
            [Problem(f"column '{c}' is missing (expected columns: {', '.join(required)})", file=file, code="column_missing",
                     params={"column": c, "expected": ", ".join(required)}) for c in missing]
        )
    names = names or {}
    raise_problems(
        national_id_problems(frame, {c: names.get(c, f"column '{c}'") for c in frame.columns}, file=file),
        file or "the table",
    )
    return frame.apply(_as_text)


def _as_text(column: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(column):
        whole = column.dropna()
        if len(whole) and (whole == whole.round()).all():
            return column.map(lambda v: "" if pd.isna(v) else str(int(v)))
    return column.map(lambda v: "" if pd.isna(v) else str(v).strip())


def raise_problems(problems: list[Problem], what: str) -> None:
    """Raise the problems (first 20 listed) with a summary saying nothing was stored."""
    if not problems:
        return
    shown = problems[:20]
    more = f"; the first {len(shown)} are listed" if len(problems) > len(shown) else ""
    raise UserError(
        shown,
        summary=f"{len(problems)} problem(s) in {what}{more} (rows are numbered from 1 after the header line). Nothing was stored.",
        summary_code="problems_listed" if len(problems) == len(shown) else "problems_first_listed",
        summary_params={"n": len(problems), "shown": len(shown)},
    )
