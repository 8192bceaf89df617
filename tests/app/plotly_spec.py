"""Read the Plotly figure a page drew (AppTest): Plotly 6+ sends arrays base64-encoded."""

from __future__ import annotations

import base64
import json

import numpy as np


def _decode(value):
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            return array.reshape(value["shape"]) if "shape" in value and isinstance(value["shape"], list) else array
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def figure(at) -> dict:
    """The one Plotly chart on the page as a plain dict with NumPy arrays."""
    (element,) = at.get("plotly_chart")
    return _decode(json.loads(element.proto.spec))


def figures(at) -> list[dict]:
    return [_decode(json.loads(e.proto.spec)) for e in at.get("plotly_chart")]
