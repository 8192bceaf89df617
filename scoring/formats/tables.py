"""The one writer of tables and JSON: CSV, Excel (.xlsx), SPSS (.sav) and strict JSON.

Every CSV and Excel file Samklima writes, from the CLI or a dashboard download, goes through
:func:`write_csv` / :func:`csv_bytes` or :func:`write_xlsx` / :func:`xlsx_bytes`, so all of
them neutralise spreadsheet formulas the same way (OWASP, "CSV Injection"): a text cell, or a
column heading, that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so a spreadsheet shows it as text instead of running it (``=HYPERLINK(...)``
in a unit name or an answer would otherwise be a live formula for whoever opens the file).
Numbers are left alone, and so is text that is a plain number (``-0,35``, ``+1.5``), which no
spreadsheet runs as a formula.

Files meant for Excel (the dashboard's downloads) start with a UTF-8 byte-order mark, without
which Excel reads UTF-8 as a legacy code page and garbles æ, ø and å; files meant for programs
(the CLI's output, exports for SPSS, R and Stata users) have none.

JSON (:func:`json_text`, :func:`frame_records`) is strict: NaN, infinity, ``pd.NA`` and
``NaT`` become ``null``, NumPy scalars become Python numbers, dates ISO text, and ``json.dumps``
runs with ``allow_nan=False``. JSON is read by programs, never run by a spreadsheet, so its
text is written exactly as it is.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.strict_json import frame_records, json_text, jsonable

__all__ = [
    "csv_bytes", "frame_records", "json_text", "jsonable", "neutralise_formulas", "write_csv", "write_table", "write_xlsx", "xlsx_bytes",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff".encode("utf-8")
# A signed plain number (decimal point or comma, optional exponent, thousands spaces): no
# spreadsheet runs it as a formula, so it keeps its sign.
_PLAIN_NUMBER = r"^[+\-\u2212]?(?:\d[\d\u00a0\u202f ]*)?[.,]?\d+(?:[eE][+\-]?\d+)?$"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` in which no text cell or heading can start a spreadsheet formula.

    A text cell starting with = + - @ (or a tab/carriage return) gets a leading apostrophe
    (OWASP "CSV injection"), unless it is a plain number such as ``-0,35``. Numeric columns,
    and numbers inside mixed columns, are left alone.

    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "-0,35", "ok"], "b": [-1.5, 2.0, 3.0]})).to_dict("list")
    {'a': ["'=1+1", '-0,35', 'ok'], 'b': [-1.5, 2.0, 3.0]}
    """
    out = frame.copy()
    for position in range(out.shape[1]):  # by position: column names may repeat
        values = out.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        is_text = _text_cells(values)
        if not is_text.any():
            continue
        text = values.astype("string")
        risky = (text.str.startswith(FORMULA_STARTS) & ~text.str.fullmatch(_PLAIN_NUMBER)).fillna(False).to_numpy(dtype=bool) & is_text
        if risky.any():
            fixed = values.astype(object).copy()
            fixed[risky] = ("'" + text[risky]).to_numpy(dtype=object)
            out.isetitem(position, fixed)
    out.columns = [_neutralise_text(c) for c in out.columns]
    return out


def _text_cells(values: pd.Series) -> np.ndarray:
    """Which cells hold text (not numbers, dates or blanks); one C-level scan when the column
    is all text, as it almost always is."""
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        return values.notna().to_numpy(dtype=bool)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":
        return values.notna().to_numpy(dtype=bool)
    if kind in ("empty", "integer", "floating", "decimal", "boolean", "date", "datetime", "timedelta", "time", "period"):
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))


def _neutralise_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not re.fullmatch(_PLAIN_NUMBER, value):
        return "'" + value
    return value


# --- CSV -------------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, target: str | Path | BinaryIO, *, excel: bool = False, float_format: str | None = None) -> None:
    """Write CSV (UTF-8, header, no index, ``\\n`` line ends) to a path or a binary stream,
    formulas neutralised; ``excel`` puts a byte-order mark first.

    pyarrow's C++ writer is used because pandas formats floats in Python, which made writing
    the scores of 150,000 responses take longer than reading and scoring them together. With a
    ``float_format`` (``"%.1f"``) pandas writes instead, for files whose decimals are fixed.
    """
    safe = neutralise_formulas(frame)
    if isinstance(target, (str, Path)):
        with open(target, "wb") as handle:
            _write_csv(safe, handle, excel, float_format)
    else:
        _write_csv(safe, target, excel, float_format)


def _write_csv(frame: pd.DataFrame, handle: BinaryIO, excel: bool, float_format: str | None) -> None:
    if excel:
        handle.write(BOM)
    if float_format is not None:
        handle.write(frame.to_csv(index=False, lineterminator="\n", float_format=float_format).encode("utf-8"))
        return
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(_arrow_ready(frame), preserve_index=False)
    pacsv.write_csv(table, handle, write_options=pacsv.WriteOptions(quoting_style="needed"))


def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns pyarrow can type: a column mixing text and numbers (``n`` with "for få svar")
    is written as the text of each cell; headings become text."""
    out = frame.copy()
    for position in range(out.shape[1]):
        values = out.iloc[:, position]
        if pd.api.types.is_object_dtype(values) and pd.api.types.infer_dtype(values, skipna=True).startswith("mixed"):
            out.isetitem(position, values.map(lambda v: v if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)))
    out.columns = [str(c) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, *, excel: bool = True) -> bytes:
    """The CSV of :func:`write_csv` as bytes (for a download button; for Excel by default)."""
    buffer = io.BytesIO()
    write_csv(frame, buffer, excel=excel)
    return buffer.getvalue()


# --- Excel -----------------------------------------------------------------------------------


def write_xlsx(sheets: pd.DataFrame | Mapping[str, pd.DataFrame], target: str | Path | BinaryIO, *, neutralise: bool = True) -> None:
    """Write one sheet (a frame) or several (name -> frame) to an .xlsx workbook.

    Formulas are neutralised as in CSV. With ``neutralise=False`` (an XLSForm, whose cells are
    read as text by pyxform and ODK, where an apostrophe would become part of a label) the text
    is kept exactly, and every cell that openpyxl would store as a formula is stored as text.
    """
    frames = {"Sheet1": sheets} if isinstance(sheets, pd.DataFrame) else dict(sheets)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in frames.items():
            (neutralise_formulas(frame) if neutralise else frame).to_excel(writer, sheet_name=name, index=False)
            if not neutralise:
                for row in writer.sheets[name].iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            cell.data_type = "s"


def xlsx_bytes(sheets: pd.DataFrame | Mapping[str, pd.DataFrame]) -> bytes:
    """The workbook of :func:`write_xlsx` as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


# --- by file name ----------------------------------------------------------------------------


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to ``path``; the suffix chooses the format (.csv, .xlsx or .sav)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.exists():
        raise UserError.single("the folder does not exist", file=str(path.parent))
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        write_xlsx(frame, path)
    elif suffix == ".sav":
        import pyreadstat

        pyreadstat.write_sav(frame, str(path))
    else:
        raise UserError.single(f"unsupported output type '{suffix}' (use .csv, .xlsx or .sav)", file=str(path))


# --- JSON ------------------------------------------------------------------------------------
