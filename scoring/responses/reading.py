"""Read response tables and check them against an instrument, without coercing anything.

A response table has one row per response, item ids as columns and any other columns passed
through. :func:`code_responses` turns the raw answers into numeric codes with user-missing
("vet ikke") and blank answers as NaN, or raises :class:`UserError` naming the rows and columns
at fault (the first 20, and the total). Checks are vectorised per column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.errors import Problem, UserError
from scoring.instrument.model import Instrument, ResponseScale

ID_COLUMNS = ("response", "response_id", "id")
MAX_LISTED = 20
MAX_PER_COLUMN = 3
MISSING_TEXT = ("", "NA", "NaN", ".")
"""Cells that mean "not answered" in a numeric item column (compared after stripping spaces,
ignoring case): empty, R's ``NA`` and ``NaN`` (``write.csv`` writes them), and ``.`` (system
missing as SPSS, SAS and Stata print it). Any other text is an error naming file, row and column."""
_MISSING_LOWER = frozenset(t.lower() for t in MISSING_TEXT)


@dataclass(frozen=True)
class CodedResponses:
    """Answers checked against an instrument.

    ``items``: one float column per item (raw codes, not reverse-keyed; NaN = not answered or
    user-missing); ``user_missing``: boolean mask of answers given as a missing code;
    ``other``: the columns passed through (including ``id_column``), same index.
    """

    items: pd.DataFrame
    user_missing: pd.DataFrame
    other: pd.DataFrame
    id_column: str


def read_table(path: str | Path, text_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a .csv, .xlsx or .sav file as it is (SPSS user-missing codes kept as values).

    ``text_columns`` of a CSV file are read as text, so an id such as ``0105...`` keeps its
    leading zero. Excel TRUE/FALSE and formula cells are refused (:mod:`scoring.responses.excel`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise UserError.single("file not found", file=str(path))
    try:
        if suffix == ".csv":
            return pd.read_csv(
                path, sep=_csv_separator(path), keep_default_na=False, na_values=[""], encoding="utf-8-sig",
                dtype={column: "string" for column in text_columns},
            )  # fmt: skip
        if suffix in (".xlsx", ".xlsm"):
            from scoring.responses.excel import read_excel

            return read_excel(path)
        if suffix == ".sav":
            import pyreadstat

            frame, _meta = pyreadstat.read_sav(str(path), user_missing=True)
            return frame
    except UnicodeDecodeError as err:
        raise UserError.single(f"not UTF-8 text ({err.reason} at byte {err.start})", file=str(path)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise UserError.single(f"cannot read the table: {err}", file=str(path)) from None
    except Exception as err:  # pyreadstat raises its own ReadstatError/PyreadstatError
        if type(err).__module__.startswith("pyreadstat"):
            raise UserError.single(f"cannot read the SPSS file: {err}", file=str(path)) from None
        raise
    raise UserError.single(f"unsupported file type '{suffix}' (use .csv, .xlsx or .sav)", file=str(path))


def _csv_separator(path: Path) -> str:
    """``;`` when the header line has semicolons and no commas (Excel in a Norwegian locale,
    some survey tools), else ``,``."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    return ";" if ";" in header and "," not in header else ","


def numeric_cells(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """One column as numbers: (float values with NaN where missing, mask of cells holding other text).

    Missing are empty cells and the spellings of :data:`MISSING_TEXT`. Numeric columns (pandas
    already parsed them) pass unchanged. The one rule every command and import applies.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.to_numpy(dtype=float), np.zeros(len(raw), dtype=bool)
    as_text = raw.astype("string").str.strip()
    missing = (as_text.isna() | as_text.str.lower().isin(_MISSING_LOWER)).to_numpy(dtype=bool)
    values = pd.to_numeric(as_text.where(~missing), errors="coerce").to_numpy(dtype=float)
    return values, ~missing & np.isnan(values)


def text_message(value) -> str:
    """What a cell of text in a numeric item column is told (the accepted missing spellings included)."""
    hint = " (use a decimal point)" if "," in str(value) else ""
    return f"text {str(value)!r} in a numeric item{hint}; a missing answer is an empty cell, NA, NaN or ."


def numeric_items(table: pd.DataFrame, columns: list[str], file: str | None = None) -> pd.DataFrame:
    """The ``columns`` of ``table`` as floats (NaN = missing, see :func:`numeric_cells`).

    Raises :class:`UserError` listing cells of text by row (numbered from 1 after the header line)
    and column, the first :data:`MAX_PER_COLUMN` of each column (at most :data:`MAX_LISTED`),
    with the total.
    """
    out, cells = {}, []
    total = 0
    for j, name in enumerate(columns):
        values, text = numeric_cells(table[name])
        rows = np.flatnonzero(text)
        total += len(rows)
        cells += [(int(r), j, name) for r in rows[:MAX_PER_COLUMN]]  # a text column is a few lines, not 20
        out[name] = values
    if cells:
        cells.sort()
        problems = [Problem(text_message(table[name].iloc[r]), file=file, row=r + 1, path=name) for r, _j, name in cells[:MAX_LISTED]]
        more = f"; {len(problems)} are listed (the first rows of each column)" if total > len(problems) else ""
        raise UserError(problems, summary=f"{total} cell(s) of text in the item columns{more}")
    return pd.DataFrame(out, index=table.index, columns=list(columns))


def code_responses(
    table: pd.DataFrame, instrument: Instrument, *, id_column: str | None = None, file: str | None = None
) -> CodedResponses:
    """Check ``table`` against ``instrument`` and return the coded answers.

    Problems reported (all at once, first 20 cells listed): no id column or blank ids,
    duplicate ids, unknown item columns (a column with the instrument's item prefix that is
    not one of its items), item columns missing, text in a numeric item (empty cells and the
    spellings of :data:`MISSING_TEXT` are missing answers, not text), values outside the
    response scale or off its step (e.g. 2.5 on a 1-5 scale).
    """
    problems: list[Problem] = []
    id_column = find_id_column(table, id_column, file)
    ids = table[id_column]
    blank = ids.isna() | (ids.astype(str).str.strip() == "")
    cells: list[tuple[int, str, str]] = [(int(r), id_column, "the response id is missing") for r in np.flatnonzero(blank.to_numpy())]
    dup = ids.duplicated(keep="first") & ~blank
    cells += [(int(r), id_column, f"duplicate response id '{ids.iloc[r]}'") for r in np.flatnonzero(dup.to_numpy())[:MAX_LISTED]]
    total_bad = int(blank.sum()) + int(dup.sum())

    problems += _column_problems(table, instrument, file)

    present = [i for i in instrument.item_ids if i in table.columns]
    # Each column is written into one block per table (the layout pandas keeps), so the
    # coded answers exist once, not once per column and again in the DataFrame.
    coded = np.empty((len(present), len(table)), dtype=float)
    user_missing = np.empty((len(present), len(table)), dtype=bool)
    for j, item_id in enumerate(present):
        coded[j], user_missing[j], bad = _code_column(table[item_id], instrument.response_scale_of(item_id))
        for kind, mask in bad:
            rows = np.flatnonzero(mask)
            total_bad += len(rows)
            cells += [(int(r), item_id, kind(table[item_id].iloc[r])) for r in rows[:MAX_LISTED]]

    if cells:
        cells.sort(key=lambda c: (c[0], table.columns.get_loc(c[1])))
        problems += [Problem(msg, file=file, row=r + 1, path=col) for r, col, msg in cells[:MAX_LISTED]]
    if problems:
        summary = None
        if total_bad:
            shown = min(total_bad, MAX_LISTED)
            summary = (
                f"{total_bad} bad value(s) in all; {'the first ' + str(shown) + ' are' if total_bad > shown else 'all are'} "
                "listed (rows are numbered from 1 after the header line). Nothing was changed."
            )
        raise UserError(problems, summary=summary)

    other_cols = [c for c in table.columns if c not in set(present)]
    return CodedResponses(
        items=pd.DataFrame(coded.T, index=table.index, columns=present, copy=False),
        user_missing=pd.DataFrame(user_missing.T, index=table.index, columns=present, copy=False),
        other=table[other_cols],
        id_column=id_column,
    )


def find_id_column(table: pd.DataFrame, id_column: str | None, file: str | None) -> str:
    """The response id column: ``id_column`` if given (it must exist), else the first of
    :data:`ID_COLUMNS` in the table."""
    if id_column is not None:
        if id_column not in table.columns:
            raise UserError.single(f"the id column '{id_column}' is not in the table", file=file, path=id_column)
        return id_column
    for name in ID_COLUMNS:
        if name in table.columns:
            return name
    raise UserError.single(
        "no response id column (looked for " + ", ".join(ID_COLUMNS) + "; name another with --id)", file=file
    )


def _column_problems(table: pd.DataFrame, instrument: Instrument, file: str | None) -> list[Problem]:
    problems = []
    known = set(instrument.item_ids) | {f.id for f in instrument.fields}
    by_lower = {i.lower(): i for i in known}
    prefix = instrument.item_prefix
    for col in map(str, table.columns):
        if col in known:
            continue
        if col.lower() in by_lower:
            problems.append(Problem(f"unknown item column; did you mean '{by_lower[col.lower()]}'? (ids are case-sensitive)", file=file, path=col))
        elif prefix and col.startswith(prefix):
            problems.append(Problem(f"unknown item column: '{instrument.id}' has no item '{col}'", file=file, path=col))
    absent = [i for i in instrument.item_ids if i not in table.columns]
    if len(absent) == len(instrument.item_ids):
        problems.append(Problem(f"no item column of instrument '{instrument.id}' (expected e.g. {', '.join(instrument.item_ids[:3])})", file=file))
    elif absent:
        problems.append(Problem("item column(s) missing: " + ", ".join(absent), file=file))
    return problems


def _code_column(raw: pd.Series, rs: ResponseScale):
    """Numeric values (NaN for blank or user-missing), the user-missing mask and bad-cell masks."""
    values, text = numeric_cells(raw)
    codes = np.array(sorted(rs.missing), dtype=float)
    is_missing = np.isin(values, codes) if len(codes) else np.zeros(len(values), dtype=bool)
    answered = ~np.isnan(values) & ~is_missing
    valid = _on_scale(values, rs)
    outside = answered & ~valid
    missing_text = ", missing codes " + ", ".join(f"{c:g}" for c in codes) if len(codes) else ""
    limits = f"{rs.min:g}..{rs.max:g}" + (f" in steps of {rs.step:g}" if rs.step != 1 else "")
    bad = [
        (text_message, text),
        (lambda v: f"value {v} is not on the response scale ({limits}{missing_text})", outside),
    ]
    clean = np.where(answered, values, np.nan)
    return clean, is_missing, bad


def _on_scale(values: np.ndarray, rs: ResponseScale) -> np.ndarray:
    if not rs.has_limits:
        return np.isin(values, np.array(sorted(rs.labels), dtype=float))
    with np.errstate(invalid="ignore"):
        steps = (values - rs.min) / rs.step
        return (values >= rs.min - 1e-9) & (values <= rs.max + 1e-9) & (np.abs(steps - np.round(steps)) < 1e-6)
