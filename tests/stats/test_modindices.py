"""Modification indices agree with lavaan::modindices (tests/reference/validation/modindices.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.stats.cfa.estimate import cfa
from scoring.stats.modindices import modification_indices

HERE = Path(__file__).parents[1] / "reference" / "validation"
SCALES = ["info", "koord", "laer", "mote", "likeverd", "ansvar", "forank", "trygg"]
MODEL = "\n".join(f"sk_{s} =~ " + " + ".join(f"sk_{s}{i}" for i in range(1, 5)) for s in SCALES)


@pytest.fixture(scope="module")
def indices():
    data = pd.read_csv(HERE / "sk_2026_complete.csv").astype(float)
    fit = cfa(data, MODEL)
    return modification_indices(fit.parameters, np.cov(data.to_numpy().T, bias=True), fit.n, list(data.columns))


def test_every_cross_loading_and_residual_covariance_is_a_candidate(indices):
    reference = json.loads((HERE / "modindices.json").read_text())
    assert len(indices) == reference["rows"] == 8 * 28 + 32 * 31 // 2


def test_indices_and_expected_changes_agree_with_lavaan(indices):
    reference = pd.DataFrame(json.loads((HERE / "modindices.json").read_text())["top"])
    mine = indices.set_index(["lhs", "op", "rhs"])
    for row in reference.itertuples():
        got = mine.loc[(row.lhs, row.op, row.rhs)]
        assert got["mi"] == pytest.approx(row.mi, rel=2e-4, abs=1e-3), (row.lhs, row.op, row.rhs)
        assert got["epc"] == pytest.approx(row.epc, rel=2e-4, abs=1e-4)
        assert got["sepc_all"] == pytest.approx(row._6, rel=2e-4, abs=1e-4)
    assert list(indices.head(10)[["lhs", "op", "rhs"]].itertuples(index=False, name=None)) == \
        list(reference.head(10)[["lhs", "op", "rhs"]].itertuples(index=False, name=None))
