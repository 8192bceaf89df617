"""Strict-JSON helpers for the IRT results (NaN and infinities become null)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def clean(v):
    """A JSON-ready scalar: NumPy numbers as Python numbers, NaN/inf as None."""
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    return v


def values(seq) -> list:
    return [clean(v) for v in np.asarray(seq).tolist()]


def category_codes(seq) -> list:
    """Category codes: integers where they are whole numbers."""
    return [int(v) if float(v).is_integer() else float(v) for v in seq]


def records(frame: pd.DataFrame) -> dict:
    """{row label: {column: value}} with clean values."""
    return {str(r): {str(c): clean(frame.loc[r, c]) for c in frame.columns} for r in frame.index}


def fmt(v, digits: int = 3) -> str:
    return "NA" if v is None or (isinstance(v, float) and not math.isfinite(v)) else f"{v:.{digits}f}"
