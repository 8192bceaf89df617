"""Scale scores from coded item answers: reverse keys, missing data rules, scoring rules.

Input is the clean numeric item table from :func:`scoring.responses.reading.code_responses` (one row per
response, user-missing and blank answers as NaN). Everything is vectorised over the whole table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.instrument.model import Instrument, Scale


def reverse_key(values: np.ndarray | pd.Series, low: float, high: float):
    """Reverse-key answers on a scale from ``low`` to ``high``: x' = (low + high) - x.

    Applying it twice gives the original values; NaN stays NaN.
    """
    return (low + high) - values


def keyed_items(items: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Apply the instrument's reverse keys to the item columns present in ``items``."""
    keyed = items.copy()
    for item in instrument.items:
        if item.reverse and item.id in keyed.columns:
            rs = instrument.response_scale_of(item.id)
            keyed[item.id] = reverse_key(keyed[item.id].to_numpy(dtype=float), rs.min, rs.max)
    return keyed


def scale_score(keyed: np.ndarray, scale: Scale, low: float, high: float) -> np.ndarray:
    """Score one scale from a (responses x items) array of keyed answers with NaN for missing.

    With m the number of answered items out of k, and mean the mean of the answered items,
    a score is computed only when m / k >= ``scale.min_answered``:

    - ``mean``: mean;  ``sum``: sum of the items;  ``prorated_sum``: mean * k;
    - ``pomp`` (percent of maximum possible; Cohen, Cohen, Aiken & West 1999):
      100 * (mean - low) / (high - low);
    - ``tscore``: 50 + 10 * (mean - norms.mean) / norms.sd.
    """
    k = keyed.shape[1]
    missing = np.isnan(keyed)
    answered = k - np.count_nonzero(missing, axis=1)
    enough = answered >= scale.min_answered * k - 1e-9
    enough &= answered > 0
    total = np.sum(keyed, axis=1, where=~missing)  # no copy of the answers with 0 for NaN
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / answered
    if scale.scoring == "mean":
        score = mean
    elif scale.scoring == "sum":
        score = total
    elif scale.scoring == "prorated_sum":
        score = mean * k
    elif scale.scoring == "pomp":
        score = 100.0 * (mean - low) / (high - low)
    elif scale.scoring == "tscore":
        score = 50.0 + 10.0 * (mean - scale.norms.mean) / scale.norms.sd
    else:  # pragma: no cover - the instrument model admits no other rule
        raise ValueError(scale.scoring)
    return np.where(enough, score, np.nan)


def score_scales(items: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Every scale score of ``instrument`` for each row of the coded item table.

    Items are reverse-keyed here; pass raw (unreversed) coded answers. Columns are named by
    scale id, in the instrument's order; the index is kept.
    """
    # One float array for all items (one copy), reverse-keyed in place; each scale takes its columns.
    columns = {c: j for j, c in enumerate(items.columns)}
    keyed = items.to_numpy(dtype=float, copy=True)
    for item in instrument.items:
        if item.reverse and item.id in columns:
            rs = instrument.response_scale_of(item.id)
            keyed[:, columns[item.id]] = reverse_key(keyed[:, columns[item.id]], rs.min, rs.max)
    out = {}
    for scale in instrument.scales:
        rs = instrument.response_scale_of(scale.items[0])
        at = [columns[i] for i in scale.items]
        consecutive = at == list(range(at[0], at[0] + len(at)))
        block = keyed[:, at[0] : at[0] + len(at)] if consecutive else keyed[:, at]  # a view where it can be (a total scale)
        out[scale.id] = scale_score(block, scale, rs.min, rs.max)
    return pd.DataFrame(out, index=items.index)
