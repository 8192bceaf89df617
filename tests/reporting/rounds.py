"""Small rounds for the reporting tests: one scale ``s`` scored from one item, or a real instrument."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.privacy.answers import ItemSpec, RoundAnswers, ScaleSpec


def one_scale(values_by_unit: dict[str, list[float]], name: str = "r1", min_n: int = 5, partner=None) -> RoundAnswers:
    """Every respondent has a score on ``s`` (their one item's answer)."""
    units = [u for u, values in values_by_unit.items() for _ in values]
    values = np.array([v for vs in values_by_unit.values() for v in vs], dtype=float)
    scale = ScaleSpec("s", "test", ("s1",), {"nb": "S", "en": "S"}, partner is not None)
    item = ItemSpec("s1", "s", (1.0, 2.0, 3.0, 4.0, 5.0), (9.0,))
    partner = np.full(len(units), "", dtype=object) if partner is None else np.array(partner, dtype=object)
    return RoundAnswers(name, min_n, np.array(units, dtype=object), partner, values[:, None], values[:, None], (scale,), (item,))


def tree(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["unit", "parent", "unit_type"])
    frame.insert(1, "name", frame["unit"].str.upper())
    return frame
