"""Write result tables in the format a file name asks for (.csv, .xlsx, .sav)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.errors import UserError


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` to ``path``; the suffix chooses the format."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.parent.exists():
        raise UserError.single("the folder does not exist", file=str(path.parent))
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        neutralise_formulas(frame).to_excel(path, index=False)
    elif suffix == ".sav":
        import pyreadstat

        pyreadstat.write_sav(frame, str(path))
    else:
        raise UserError.single(f"unsupported output type '{suffix}' (use .csv, .xlsx or .sav)", file=str(path))


def write_csv(frame: pd.DataFrame, target) -> None:
    """Write CSV (UTF-8, header, no index) to a path or a binary stream, formulas neutralised.

    pyarrow's C++ writer is used because pandas formats floats in Python, which made writing
    the scores of 150,000 responses take longer than reading and scoring them together.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(neutralise_formulas(frame), preserve_index=False)
    pacsv.write_csv(table, target, write_options=pacsv.WriteOptions(quoting_style="needed"))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Escape text cells that a spreadsheet would run as a formula (OWASP "CSV injection").

    A text cell starting with = + - @ (or a tab/carriage return) gets a leading apostrophe;
    numbers are left alone.
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_object_dtype(out[col]) or pd.api.types.is_string_dtype(out[col]):
            text = out[col]
            risky = text.astype("string").str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
            if risky.any():
                out[col] = text.where(~risky, "'" + text.astype("string"))
    return out
