"""rwg and rwg(j) with a null variance given directly, non-uniform nulls, a scale that is not 1..A,
and Lindell's r*wg(j): the numbers R's multilevel 2.7 prints.

Reference: tests/reference/fixtures/agreement_null_multilevel.json (agreement_null.R on
data/multilevel.csv): rwg(m1) and rwg.j with the slight-skew null of LeBreton & Senter (2008)
(σ²E = 1.34), rwg.j of the items doubled (2, 4, .., 10: uniform σ²E = 8), rwg.j.lindell with
σ²E = 2 and 1.34. Closed-form statistics: 1e-6, unit by unit, NA where R has NA.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.errors import UserError
from scoring.reporting.aggregation import aggregate_scale
from scoring.stats.multilevel import expected_variance, null_variance, rwg, rwg_j, rwg_j_lindell
from tests.stats.test_units import ITEMS, REF, fixture, same, table

FX = fixture("agreement_null_multilevel")
SKEW = FX["null_variances"]["skew"]


@pytest.fixture(scope="module")
def ml():
    return pd.read_csv(REF / "data" / "multilevel.csv")


def test_null_variance_of_a_skewed_and_of_a_shifted_uniform_null():
    assert null_variance(FX["null_variances"]["skew_p"]) == pytest.approx(SKEW, abs=1e-12)
    assert null_variance([0.2] * 5, low=2, step=2) == pytest.approx(FX["null_variances"]["doubled"], abs=1e-12)
    assert null_variance([0.2] * 5) == pytest.approx(expected_variance(5), abs=1e-12)
    for bad in ([0.5, 0.6], [1.0], [-0.1, 1.1], [np.nan, 1]):
        with pytest.raises(UserError, match="shares"):
            null_variance(bad)


def test_rwg_and_rwg_j_with_a_skewed_null_are_multilevels(ml):
    same(rwg(ml["m1"], ml["unit"], ranvar=SKEW)["rwg"], table(FX["rwg_m1_skew"])["rwg"])
    same(rwg_j(ml[ITEMS], ml["unit"], ranvar=SKEW)["rwg_j"], table(FX["rwg_j_skew"])["rwg.j"])


def test_rwg_j_on_a_scale_of_2_to_10_in_steps_of_2(ml):
    same(rwg_j(2 * ml[ITEMS], ml["unit"], ranvar=expected_variance(5, step=2))["rwg_j"], table(FX["rwg_j_doubled"])["rwg.j"])


@pytest.mark.parametrize(("block", "ranvar"), [("lindell_uniform", 2.0), ("lindell_skew", SKEW)])
def test_lindell_index_is_multilevels_rwg_j_lindell(ml, block, ranvar):
    ours = rwg_j_lindell(ml[ITEMS], ml["unit"], ranvar=ranvar)
    theirs = table(FX[block])
    same(ours["rwg_lindell"], theirs["rwg.lindell"])
    assert (ours["gsize"].reindex(theirs.index) == theirs["gsize"]).all()
    assert (theirs["rwg.lindell"].dropna() < 0).any()  # not truncated: the case that tells it from rwg(j)


def test_the_unit_table_carries_lindell_and_the_given_null_variance(ml):
    score = ml[ITEMS].mean(axis=1)
    result = aggregate_scale(score, ml["unit"], items=ml[ITEMS], ranvar=SKEW, min_n=3)
    shown = result.units.set_index("unit").query("~suppressed")
    same(shown["rwg_j"], table(FX["rwg_j_skew"])["rwg.j"].reindex(shown.index))
    same(shown["rwg_lindell"], table(FX["lindell_skew"])["rwg.lindell"].reindex(shown.index))
    assert result.to_dict()["ranvar"] == SKEW and result.rwg_lindell_median == pytest.approx(np.nanmedian(shown["rwg_lindell"]))
    with pytest.raises(UserError, match="null variance"):
        aggregate_scale(score, ml["unit"], ranvar=0.0)


def run_json(capsys, *args) -> dict:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["scales"][0]


def _units(entry: dict) -> pd.DataFrame:
    return pd.DataFrame(entry["units"]).set_index("unit").query("~suppressed")


def test_cli_ranvar_and_null_probs_give_the_same_skewed_rwg_j(capsys):
    data = REF / "data" / "multilevel.csv"
    given = run_json(capsys, "aggregate", data, "--items", *ITEMS, "--unit", "unit", "--ranvar", SKEW, "--min-n", 3, "--json")
    probs = run_json(capsys, "aggregate", data, "--items", *ITEMS, "--unit", "unit", "--null-probs", ".05,.15,.20,.35,.25", "--min-n", 3, "--json")
    assert given["ranvar"] == pytest.approx(SKEW) and probs["ranvar"] == pytest.approx(SKEW, abs=1e-12)
    units = _units(given)
    same(units["rwg_j"], table(FX["rwg_j_skew"])["rwg.j"].reindex(units.index))
    same(units["rwg_lindell"], table(FX["lindell_skew"])["rwg.lindell"].reindex(units.index))
    np.testing.assert_allclose(_units(probs)["rwg_j"].astype(float), units["rwg_j"].astype(float), atol=1e-12)


def test_cli_step_for_a_scale_of_2_to_10(capsys, tmp_path):
    doubled = pd.read_csv(REF / "data" / "multilevel.csv")
    doubled[ITEMS] = 2 * doubled[ITEMS]
    path = tmp_path / "doubled.csv"
    doubled.to_csv(path, index=False)
    entry = run_json(capsys, "aggregate", path, "--items", *ITEMS, "--unit", "unit", "--low", 2, "--step", 2, "--min-n", 3, "--json")
    assert entry["ranvar"] == 8
    units = _units(entry)
    same(units["rwg_j"], table(FX["rwg_j_doubled"])["rwg.j"].reindex(units.index))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ranvar", 2, "--null-probs", ".2,.2,.2,.2,.2"], "not both"),
        (["--ranvar", -1], "--ranvar must be a positive number"),
        (["--null-probs", ".5,.6"], "sum to 1"),
        (["--null-probs", ".5,.5", "--options", 5], "2 shares but --options is 5"),
        (["--null-probs", "a,b"], "not a list of numbers"),
    ],
)
def test_cli_bad_null_options_are_one_clear_message(capsys, args, message):
    code = main([str(a) for a in ["aggregate", REF / "data" / "multilevel.csv", "--items", *ITEMS, "--unit", "unit", *args]])
    _, err = capsys.readouterr()
    assert code == 2 and message in err and "Traceback" not in err
