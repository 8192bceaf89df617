"""Strict JSON for every result and table Samklima writes: NaN, infinity, ``pd.NA`` and ``NaT``
become ``null``, NumPy scalars become Python numbers, dates ISO text, and ``json.dumps`` runs
with ``allow_nan=False`` (RFC 8259 has no NaN). The writers in :mod:`scoring.formats.tables`
use it; it lives at the bottom layer so that results in :mod:`scoring.stats` can use it too.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd


def jsonable(value: Any) -> Any:
    """``value`` with every part JSON can hold: NaN/inf/NA/NaT -> None, NumPy scalars and
    arrays -> Python, dates and timestamps -> ISO text, tuples and sets -> lists, keys -> text.

    >>> jsonable({"a": np.float64("nan"), "b": (np.int64(2), pd.Timestamp("2026-03-01"))})
    {'a': None, 'b': [2, '2026-03-01']}
    """
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def json_text(value: Any, *, indent: int | None = 2) -> str:
    """``value`` as strict JSON text (:func:`jsonable`; UTF-8 kept, ``allow_nan=False``)."""
    return json.dumps(jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """One JSON-ready dict per row; a whole number in a float column (a code read with blanks
    around it) is written as a whole number, ``4`` rather than ``4.0``."""
    records = frame.astype(object).to_dict(orient="records")
    return [{str(k): _whole(jsonable(v)) for k, v in row.items()} for row in records]


def _whole(value):
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value
