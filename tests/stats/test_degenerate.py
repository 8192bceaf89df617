"""Degenerate input never crashes and never gives a silently wrong number (issue 3).

Six kinds of bad data — a constant item, fewer than 3 respondents, an item nobody answered, a
single item, two identical (perfectly collinear) items, a pairwise correlation matrix that is not
positive definite — go through every analysis: alpha, omega, EFA (with KMO and Bartlett),
polychoric correlations, CFA (ML and WLSMV) and the aggregation to units. Each either gives a
number that is right for what is left (e.g. alpha of the items with variance, as psych) with a
warning that says what was left out, or NaN with a stated reason. NumPy and SciPy run-time
warnings are errors here, so that nothing is computed from 0/0 unnoticed. Through the CLI every
case exits 0 with the reason in the JSON, or 2 with a one-line message, never with a traceback.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.reporting.aggregation import aggregate_scale
from scoring.stats.cfa.estimate import cfa
from scoring.stats.efa.factors import bartlett, efa, kmo
from scoring.stats.polychoric import polychoric
from scoring.stats.reliability.alpha import alpha
from scoring.stats.reliability.omega import omega

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


def _base(n: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    g = rng.normal(size=(n, 1))
    return pd.DataFrame(np.clip(np.round(3 + 0.9 * g + rng.normal(size=(n, 4))), 1, 5), columns=list("abcd"))


def _not_positive_definite() -> pd.DataFrame:
    """Three items answered in disjoint pairs: r(a,b) = r(b,c) = 1 and r(a,c) = -1, impossible jointly."""
    block = {"a": [1, 2, 3, 1, 2, 3, None, None, None], "b": [1, 2, 3, None, None, None, 1, 2, 3],
             "c": [None, None, None, 3, 2, 1, 1, 2, 3]}
    return pd.DataFrame({k: v * 4 for k, v in block.items()}, dtype=float)


CASES = {
    "constant_item": lambda: _base().assign(b=3.0),
    "two_respondents": lambda: _base().iloc[:2],
    "unanswered_item": lambda: _base().assign(b=np.nan),
    "one_item": lambda: _base()[["a"]],
    "collinear_items": lambda: _base().assign(b=lambda d: d["a"]),
    "not_positive_definite": _not_positive_definite,
}


def finite(value) -> bool:
    return value is not None and math.isfinite(value)


def said(texts, *fragments) -> bool:
    joined = " | ".join(t for t in texts if t)
    return any(f in joined for f in fragments)


# --------------------------------------------------------------------------- alpha


def test_alpha_of_a_constant_or_unanswered_item_is_alpha_of_the_others_with_a_warning():
    for case, reason in (("constant_item", "b has no variance"), ("unanswered_item", "b has no answers")):
        x = CASES[case]()
        result = alpha(x, omega=True, ordinal=True, n_boot=50, seed=1)
        others = alpha(x[["a", "c", "d"]])
        assert result.items_used == ["a", "c", "d"] and said(result.warnings, reason)
        assert result.alpha == pytest.approx(others.alpha, abs=1e-12) and result.g6 == pytest.approx(others.g6, abs=1e-12)
        row = result.items.set_index("item").loc["b"]
        assert math.isnan(row["item_rest_r"]) and math.isnan(row["alpha_if_dropped"])
        assert np.isfinite(result.bootstrap.ci).all() and finite(result.omega_total)


@pytest.mark.parametrize(("case", "reason"), [("two_respondents", "at least 3 respondents"), ("one_item", "at least 2 items")])
def test_alpha_is_nan_with_a_reason(case, reason):
    result = alpha(CASES[case](), omega=True, ordinal=True, n_boot=50, seed=1)
    assert all(math.isnan(v) for v in (result.alpha, result.std_alpha, result.g6, result.lambda2, *result.feldt_ci, *result.duhachek_ci))
    assert math.isnan(result.omega_total) and math.isnan(result.ordinal_alpha) and result.bootstrap is None
    assert said(result.warnings, reason)
    json.loads(result.to_json())  # strict JSON: NaN written as null
    assert "NA" in str(result)


def test_alpha_of_identical_items_is_computed_and_names_them():
    x = CASES["collinear_items"]()
    result = alpha(x)
    c = x.cov().to_numpy()
    assert result.alpha == pytest.approx(4 / 3 * (1 - np.trace(c) / c.sum()), abs=1e-12)  # still the formula
    assert said(result.warnings, "perfectly correlated items (b and a)")


def test_alpha_of_a_non_positive_definite_matrix_says_so():
    result = alpha(CASES["not_positive_definite"]())
    assert finite(result.alpha)
    assert said(result.warnings, "not positive definite") and said(result.warnings, "possible only with pairwise deletion")


# --------------------------------------------------------------------------- omega, efa, kmo, bartlett, polychoric


@pytest.mark.parametrize("case", list(CASES))
def test_efa_kmo_bartlett_and_omega_give_numbers_or_reasons(case):
    x = CASES[case]()
    for result in (efa(x, 1), omega(x, 1), omega(x, 3)):
        notes = [result.reason, *result.warnings]
        if result.reason:
            assert result.loadings.isna().all().all()
        else:
            assert notes or case == "never"  # every degenerate case leaves a note
        json.loads(result.to_json())
    for result in (kmo(x), bartlett(x)):
        assert result.reason or finite(result.to_dict().get("overall", result.to_dict().get("chisq")))
        json.loads(result.to_json())


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("constant_item", "b: left out, constant"),
        ("unanswered_item", "b: left out, no answers"),
        ("two_respondents", "too few responses (n = 2"),
        ("one_item", "too few usable items (1"),
        ("collinear_items", "singular"),
        ("not_positive_definite", "not positive definite"),
    ],
)
def test_each_case_states_its_reason_in_efa_and_omega(case, fragment):
    x = CASES[case]()
    for result in (efa(x, 1), omega(x, 1)):
        assert said([result.reason, *result.warnings], fragment), (result.reason, result.warnings)


def test_kmo_and_bartlett_of_a_singular_matrix_are_nan_with_a_reason():
    x = CASES["collinear_items"]()
    assert math.isnan(kmo(x).overall) and "singular" in kmo(x).reason
    assert math.isnan(bartlett(x).chisq) and "singular" in bartlett(x).reason


def test_a_heywood_case_from_an_impossible_matrix_is_flagged():
    result = efa(CASES["not_positive_definite"](), 1)
    assert said(result.warnings, "ultra-Heywood")


def test_polychoric_leaves_out_unanswered_items_and_flags_identical_ones():
    assert polychoric(CASES["unanswered_item"]()).dropped == ["b"]
    assert said(polychoric(CASES["collinear_items"]()).warnings, "polychoric correlation of +-1", "a and b")
    result = omega(CASES["collinear_items"](), 1, ordinal=True)
    assert said(result.warnings, "polychoric correlation of +-1")


# --------------------------------------------------------------------------- cfa


@pytest.mark.parametrize(
    ("case", "ml_reason", "wlsmv_reason"),
    [
        ("constant_item", "constant item(s): b", "constant item(s): b"),
        ("two_respondents", "not positive definite", "too few complete rows (2"),
        ("unanswered_item", "too few rows (0)", "too few complete rows (0"),
        ("one_item", "not identified", "not identified"),
        ("collinear_items", "not positive definite", "polychoric correlation of +-1 between a and b"),
        ("not_positive_definite", "too few rows (0)", "too few complete rows (0"),
    ],
)
def test_cfa_is_nan_with_a_reason(case, ml_reason, wlsmv_reason):
    x = CASES[case]()
    model = "f =~ " + " + ".join(x.columns)
    for result, reason in ((cfa(x, model), ml_reason), (cfa(x, model, ordinal=True), wlsmv_reason)):
        assert result.reason and reason in result.reason, result.reason
        assert math.isnan(result.fit["chisq"]) and math.isnan(result.fit["cfi"]) and not result.converged
        json.loads(result.to_json())
        assert "Not estimated" in str(result)


# --------------------------------------------------------------------------- aggregation


UNITS = np.repeat([f"u{i:02d}" for i in range(12)], 10)


def test_aggregation_of_too_few_answers_hides_everything_and_says_why():
    x = CASES["two_respondents"]()
    result = aggregate_scale(x.mean(axis=1).to_numpy(), UNITS[:2], items=x.to_numpy(), min_n=3)
    assert result.n is None and math.isnan(result.mean) and math.isnan(result.icc.icc1)
    assert result.units["suppressed"].all() and result.units[["mean", "sd", "rwg_j"]].isna().all().all()
    assert said(result.warnings, "hidden") and said(result.warnings, "ICC(1) and ICC(2) not computed")
    json.loads(result.to_json())


def test_aggregation_with_an_unanswered_item_has_no_rwg_j_and_says_why():
    x = CASES["unanswered_item"]()
    result = aggregate_scale(x.mean(axis=1).to_numpy(), UNITS, items=x.to_numpy())
    assert finite(result.icc.icc1)  # the score is fine; only rwg(j) needs every item
    assert result.units["rwg_j"].isna().all() and math.isnan(result.rwg_j_median)
    assert said(result.warnings, "rwg(j) not defined for 12 shown unit(s)")
    assert result.reading.code == "too_few_units"


def test_aggregation_of_one_unit_has_no_icc_and_says_why():
    x = _base(30)
    result = aggregate_scale(x.mean(axis=1).to_numpy(), ["u1"] * 30, items=x.to_numpy())
    assert math.isnan(result.icc.icc1) and said(result.warnings, "fewer than two units")
    assert finite(result.units.loc[0, "mean"]) and not result.units.loc[0, "suppressed"]


def test_aggregation_of_a_constant_score_has_no_icc_and_says_why():
    result = aggregate_scale(np.full(120, 3.0), UNITS, items=np.full((120, 2), 3.0))
    assert math.isnan(result.icc.icc1) and said(result.warnings, "no variance")
    assert (result.units["rwg_j"] == 1.0).all()  # everyone agrees perfectly


# --------------------------------------------------------------------------- through the CLI


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("degenerate")
    paths = {}
    for name, make in CASES.items():
        frame = make()
        frame = frame.assign(unit=[f"u{i % 4}" for i in range(len(frame))], grp=["x", "y"] * (len(frame) // 2) + ["x"] * (len(frame) % 2))
        paths[name] = out / f"{name}.csv"
        frame.to_csv(paths[name], index=False)
    return paths


def commands(columns: list[str]) -> list[list[str]]:
    listed = ",".join(columns)
    model = "f =~ " + " + ".join(columns)
    return [
        ["reliability", "--items", *columns, "--bootstrap", "50", "--seed", "1", "--ordinal"],
        ["efa", "--items", listed, "--factors", "1", "--parallel"],
        ["omega", "--items", listed, "--factors", "1"],
        ["omega", "--items", listed, "--factors", "1", "--ordinal"],
        ["cfa", "--model", model],
        ["cfa", "--model", model, "--ordinal"],
        ["cfa", "--model", model, "--group", "grp", "--invariance"],
        ["aggregate", "--items", listed, "--unit", "unit", "--min-n", "3"],
    ]


def notes_in(payload) -> list[str]:
    """Every warning, reason and note anywhere in a JSON answer."""
    found = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in ("warnings", "reason", "note") and value:
                found += value if isinstance(value, list) else [value]
            else:
                found += notes_in(value)
    elif isinstance(payload, list):
        for value in payload:
            found += notes_in(value)
    return found


@pytest.mark.parametrize("case", list(CASES))
def test_cli_exits_0_with_the_reason_in_the_json_never_a_traceback(capsys, files, case):
    columns = [c for c in pd.read_csv(files[case]).columns if c not in ("unit", "grp")]
    for args in commands(columns):
        code = main([args[0], str(files[case]), *args[1:], "--json"])
        out, err = capsys.readouterr()
        assert "Traceback" not in err and "Warning" not in err, (args, err)
        if code == 2:  # a user error: one clear message
            assert err.strip() and not out, (args, err)
            continue
        assert code == 0, (args, err)
        payload = json.loads(out, parse_constant=lambda c, args=args: pytest.fail(f"{c} in JSON of {args}"))
        # The unit table of a constant, single or duplicated item is well defined: nothing to say.
        if args[0] != "aggregate" or case in ("two_respondents", "unanswered_item", "not_positive_definite"):
            assert notes_in(payload), (case, args)  # something says what went wrong
