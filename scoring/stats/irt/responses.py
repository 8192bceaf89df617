"""Item answers as IRT models need them: integer categories 0..K-1 and grouped response patterns.

Codes are the integers in the data (1-5, 0-4, ...). Each item's observed codes, sorted, become
categories 0..K_j-1, as mirt recodes them; a code that lies between observed codes but is never
used (1, 2, 4 observed: no 3) is not a category, and a warning says so. NaN is a missing answer:
it drops out of the likelihood for that item. Respondents who answered none of the items are
left out (mirt drops "completely missing" rows too).

Identical answer vectors (with their missing cells) are grouped into patterns with counts, so
that a fit costs O(patterns x nodes), not O(respondents x nodes): 150,000 respondents to eight
five-category items give far fewer distinct patterns than rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import Coded

MIN_RESPONDENTS = 50


@dataclass(frozen=True)
class CodedItems:
    """Answers coded 0..K_j-1 (-1 = missing), one row per respondent kept.

    ``codes``: (n, J) int16; ``levels``: the original code of each category, per item;
    ``rows``: index labels of the kept rows in the input; ``dropped``: rows left out because
    they answered no item.
    """

    items: list[str]
    codes: np.ndarray
    levels: list[np.ndarray]
    rows: pd.Index
    dropped: int
    warnings: list[str] = field(default_factory=list)

    @property
    def n_categories(self) -> np.ndarray:
        return np.array([len(lv) for lv in self.levels])


@dataclass(frozen=True)
class Patterns:
    """Distinct (group, answers) rows with their counts; ``inverse`` maps respondents to rows."""

    codes: np.ndarray  # (P, J) int16, -1 = missing
    counts: np.ndarray  # (P,) float
    group: np.ndarray  # (P,) int
    inverse: np.ndarray  # (n,) int


def code_items(frame: pd.DataFrame, *, min_respondents: int = MIN_RESPONDENTS) -> CodedItems:
    """Validate and code the item columns of ``frame`` (rows = respondents, NaN = missing).

    Raises ``ValueError`` naming the item for a non-numeric or non-integer code, an item with
    fewer than two observed categories, or fewer than ``min_respondents`` respondents.
    """
    if frame.shape[1] == 0:
        raise ValueError("no items given")
    items = [str(c) for c in frame.columns]
    values = np.empty(frame.shape, dtype=float)
    for j, column in enumerate(frame.columns):
        try:
            values[:, j] = pd.to_numeric(frame[column], errors="raise").to_numpy(dtype=float)
        except (ValueError, TypeError):
            raise ValueError(f"item '{items[j]}': answers must be integer codes (found text)") from None
    answered = ~np.isnan(values)
    bad = answered & (np.abs(values - np.round(np.where(answered, values, 0.0))) > 1e-9)
    if bad.any():
        j = int(np.flatnonzero(bad.any(axis=0))[0])
        row = int(np.flatnonzero(bad[:, j])[0])
        raise ValueError(f"item '{items[j]}': answers must be integer codes, not {values[row, j]:g} (row {row + 1})")
    keep = answered.any(axis=1)
    values, answered = values[keep], answered[keep]
    if len(values) < min_respondents:
        raise ValueError(Coded(f"{len(values)} respondents answered these items; an IRT model needs at least {min_respondents}",
                               "irt_too_few_rows", rows=len(values), min=min_respondents))
    codes = np.full(values.shape, -1, dtype=np.int16)
    levels, warnings = [], []
    for j in range(values.shape[1]):
        observed = np.unique(values[answered[:, j], j])
        if len(observed) < 2:
            what = "no answers" if len(observed) == 0 else f"only one observed category ({observed[0]:g})"
            raise ValueError(Coded(f"item '{items[j]}' has {what}; an IRT model needs at least two", "irt_one_category", item=items[j]))
        gaps = np.setdiff1d(np.arange(observed[0], observed[-1] + 1), observed)
        if len(gaps):
            unused = ", ".join(f"{g:g}" for g in gaps)
            warnings.append(Coded(
                f"item '{items[j]}': code(s) {unused} never used; the {len(observed)} observed codes are its categories",
                "irt_codes_unused", item=items[j], codes=unused, categories=len(observed)
            ))
        codes[answered[:, j], j] = np.searchsorted(observed, values[answered[:, j], j])
        levels.append(observed)
    return CodedItems(items, codes, levels, frame.index[keep], int((~keep).sum()), warnings)


def group_patterns(codes: np.ndarray, group: np.ndarray | None = None) -> Patterns:
    """Distinct rows of ``codes`` (within each ``group``) with counts."""
    group = np.zeros(len(codes), dtype=np.int16) if group is None else np.asarray(group, dtype=np.int16)
    keyed = np.column_stack([group, codes]).astype(np.int16)
    unique, inverse, counts = np.unique(keyed, axis=0, return_inverse=True, return_counts=True)
    return Patterns(unique[:, 1:].copy(), counts.astype(float), unique[:, 0].astype(int), inverse.reshape(-1))
