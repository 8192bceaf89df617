"""CFA cases added for issue 16, against lavaan 0.6 (fixtures written by tests/reference/cfa_more.R).

Reverse-keyed marker indicators (single- and multi-group, ML and FIML), robust ML (MLR),
strict and partial invariance. Tolerance 1e-3 as for every iterative fit (docs/psychometrics.md).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.stats.cfa.estimate import cfa
from tests.stats.test_cfa import M2, M3, TOL, assert_estimates_match, assert_fit_matches

REF = Path(__file__).parents[1] / "reference"


@lru_cache(maxsize=None)
def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text())


@lru_cache(maxsize=None)
def dataset(name: str) -> pd.DataFrame:
    """The data sets of cfa_more.R (transformations as in its header)."""
    if name == "bifactor_reversed":
        d = pd.read_csv(REF / "data" / "bifactor.csv")
        d["i1"], d["i5"] = 6 - d["i1"], 6 - d["i5"]
    elif name == "bifactor_missing_reversed":
        d = pd.read_csv(REF / "data" / "bifactor_missing.csv")
        d["i1"] = 6 - d["i1"]
    elif name in ("twogroup_reversed", "twogroup_na"):
        d = pd.read_csv(REF / "data" / "twogroup.csv")
        d["x1"] = 6 - d["x1"]
        if name == "twogroup_na":
            r = np.arange(1, len(d) + 1)
            d.loc[r % 7 == 0, "x2"] = np.nan
            d.loc[r % 11 == 3, "x5"] = np.nan
            d.loc[r % 13 == 5, "x1"] = np.nan
    else:
        d = pd.read_csv(REF / "data" / f"{name}.csv")
    return d


def lavaan_fit(block: dict) -> dict:
    """fitMeasures in the shape assert_fit_matches expects (rmsea CI checked separately)."""
    return block["fitMeasures"]


REVERSED = {  # block -> (data set, model, cfa options)
    "ml": ("bifactor_reversed", M3, {}),
    "ml_std_lv": ("bifactor_reversed", M3, {"std_lv": True}),
    "fiml": ("bifactor_missing_reversed", M3, {"missing": "ml"}),
    "mg_ml": ("twogroup_reversed", M2, {"group": "group"}),
    "mg_ml_scalar": ("twogroup_reversed", M2, {"group": "group", "group_equal": ("loadings", "intercepts")}),
    "mg_fiml": ("twogroup_na", M2, {"group": "group", "missing": "ml"}),
    "mg_fiml_metric": ("twogroup_na", M2, {"group": "group", "missing": "ml", "group_equal": ("loadings",)}),
}


@pytest.mark.parametrize("block", list(REVERSED))
def test_reverse_keyed_marker_converges_and_agrees_with_lavaan(block):
    name, model, options = REVERSED[block]
    b = fixture("cfa_reversed")[block]
    res = cfa(dataset(name), model, **options)
    assert res.reason is None and b["converged"]
    assert_fit_matches(res.fit, lavaan_fit(b))
    lo, hi = res.fit["rmsea_ci"]
    assert (lo, hi) == pytest.approx((b["fitMeasures"]["rmsea.ci.lower"], b["fitMeasures"]["rmsea.ci.upper"]), abs=TOL)
    assert_estimates_match(res, b)
    # the reverse-keyed marker and the other indicators of its factor load with opposite signs
    lam = res.loadings.set_index(["group", "item"])["std"]
    first, second = ("i1", "i2") if "g1" in model else ("x1", "x2")
    for g in set(res.loadings["group"]):
        assert lam[(g, first)] * lam[(g, second)] < 0
