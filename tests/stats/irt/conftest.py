"""Data for the IRT tests: the reference data sets of tests/reference/irt, expanded to rows."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).parent.parent.parent / "reference" / "irt"


@cache
def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def expand(name: str) -> pd.DataFrame:
    """A frequency table (last column ``freq``) as one row per respondent (mirt ``expand.table``)."""
    table = pd.read_csv(REF / "data" / f"{name}.csv")
    items = [c for c in table.columns if c != "freq"]
    return pd.DataFrame(np.repeat(table[items].to_numpy(), table["freq"], axis=0), columns=items)


@pytest.fixture(scope="session")
def lsat7() -> pd.DataFrame:
    return expand("lsat7")


@pytest.fixture(scope="session")
def science() -> pd.DataFrame:
    return expand("science")


def simulate_graded(n, a, d, *, seed, mean=0.0, sd=1.0, missing=0.0):
    """Responses 1..K from the graded model with slopes ``a`` and intercepts ``d`` (J x K-1)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(mean, sd, n)
    x = np.empty((n, len(a)))
    for j in range(len(a)):
        p = 1.0 / (1.0 + np.exp(-(a[j] * theta[:, None] + np.asarray(d[j])[None, :])))
        x[:, j] = (rng.random(n)[:, None] < p).sum(axis=1) + 1
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    return pd.DataFrame(x, columns=[f"q{j + 1}" for j in range(len(a))]), theta
