"""CFA agrees with lavaan 0.6 / semTools 0.5 (fixtures in tests/reference, written by cfa.R).

Iterative results must agree to 1e-3 (docs/psychometrics.md); df and parameter counts exactly.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.errors import UserError
from scoring.instrument.catalog import bundled
from scoring.instrument.measurement import model_from_instrument
from scoring.stats.cfa.estimate import cfa, measurement_invariance
from scoring.stats.cfa.fit import rmsea
from scoring.stats.cfa.syntax import parse_model

REF = Path(__file__).parents[1] / "reference"
SAMPLE = Path(__file__).parents[2] / "sample_data"
TOL = 1e-3  # iterative fits
M3 = "g1 =~ i1 + i2 + i3 + i4\ng2 =~ i5 + i6 + i7 + i8\ng3 =~ i9 + i10 + i11 + i12"
M2 = "f1 =~ x1 + x2 + x3\nf2 =~ x4 + x5 + x6"


@lru_cache(maxsize=None)
def fixture(name: str) -> dict:
    path = REF / "fixtures" / f"{name}.json"
    if not path.exists():
        pytest.fail(f"R fixture {path} is missing: run tests/reference/run.sh")
    return json.loads(path.read_text())


@lru_cache(maxsize=None)
def data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / "data" / f"{name}.csv")


@lru_cache(maxsize=None)
def fitted(fixture_name: str, block: str):
    """Our fit of the model that produced ``fixture_name[block]``, with the same options."""
    b = fixture(fixture_name)[block]
    return cfa(
        data(b_dataset(fixture_name)),
        b["model"],
        ordinal=b["estimator"] == "DWLS",
        missing="ml" if b["missing"] == "ml" else "listwise",
    )


def b_dataset(fixture_name: str) -> str:
    return fixture(fixture_name)["dataset"]


ML_BLOCKS = [
    ("cfa_bifactor", "three_factor"),
    ("cfa_bifactor", "one_factor"),
    ("cfa_bifactor", "one_factor_12_ml"),
    ("cfa_bifactor_missing", "three_factor_listwise"),
    ("cfa_bifactor_missing", "three_factor_fiml"),
    ("cfa_bifactor_missing", "one_factor_listwise"),
    ("cfa_bifactor_missing", "one_factor_fiml"),
    ("cfa_ordinal", "ml"),
]
WLSMV_BLOCKS = [
    ("cfa_ordinal", "wlsmv"),
    ("cfa_bifactor", "one_factor_12_wlsmv"),
    ("cfa_bifactor", "three_factor_wlsmv"),
]
FIT_NAMES = {  # lavaan fitMeasures name -> our key
    "chisq": "chisq",
    "pvalue": "pvalue",
    "cfi": "cfi",
    "tli": "tli",
    "rmsea": "rmsea",
    "rmsea.pvalue": "rmsea_pvalue",
    "srmr": "srmr",
}
SCALED_NAMES = {
    "chisq.scaled": "chisq_scaled",
    "pvalue.scaled": "pvalue_scaled",
    "chisq.scaling.factor": "chisq_scaling_factor",
    "cfi.scaled": "cfi_scaled",
    "tli.scaled": "tli_scaled",
    "rmsea.scaled": "rmsea_scaled",
}


def assert_fit_matches(ours: dict, lavaan: dict, names=FIT_NAMES):
    for theirs, mine in names.items():
        assert ours[mine] == pytest.approx(lavaan[theirs], abs=TOL), theirs
    assert ours["df"] == lavaan["df"]
    assert ours["npar"] == lavaan["npar"]


def assert_estimates_match(res, block: dict):
    """Every lavaan parameter we also report: ``est``, ``se`` (free parameters) and ``std.all``."""
    pe = pd.DataFrame(block["parameterEstimates"])
    ss = pd.DataFrame(block["standardizedSolution"])
    labels = block["group.label"]
    ours = res.parameters
    checked = 0
    for (_, r), (_, s) in zip(pe.iterrows(), ss.iterrows()):
        if r["op"] in ("~*~",) or (r["op"] == "~1" and res.estimator == "DWLS"):
            continue
        sel = (ours["lhs"] == r["lhs"]) & (ours["op"] == r["op"]) & (ours["rhs"] == r["rhs"])
        if labels:
            sel &= ours["group"] == labels[int(r["group"]) - 1]
        row = ours[sel]
        assert len(row) == 1, (r["lhs"], r["op"], r["rhs"])
        assert row["est"].iloc[0] == pytest.approx(r["est"], abs=TOL), (r["lhs"], r["op"], r["rhs"])
        if row["free"].iloc[0]:
            assert row["se"].iloc[0] == pytest.approx(r["se"], abs=TOL), (r["lhs"], r["op"], r["rhs"], "se")
            assert row["ci_lower"].iloc[0] == pytest.approx(r["ci.lower"], abs=TOL)
        if r["op"] != "|":
            assert row["std"].iloc[0] == pytest.approx(s["est.std"], abs=TOL), (r["lhs"], r["op"], r["rhs"])
        checked += 1
    assert checked >= len(pe) // 2


# ----------------------------------------------------------------------------- ML and FIML


@pytest.mark.parametrize("fixture_name,block", ML_BLOCKS)
def test_baseline_chisq_is_lavaans_closed_form_to_1e6(fixture_name, block):
    """The independence model's chi-square N (sum log s_jj - log det S) has no iterations with
    complete (or listwise) data: 1e-6. With FIML its saturated and baseline models come from EM: 1e-3."""
    b = fixture(fixture_name)[block]
    res = fitted(fixture_name, block)
    tol = TOL if b["missing"] == "ml" else 1e-6
    assert res.fit["baseline_chisq"] == pytest.approx(b["fitMeasures"]["baseline.chisq"], abs=tol)
    assert res.fit["baseline_df"] == b["fitMeasures"]["baseline.df"]


@pytest.mark.parametrize("fixture_name,block", ML_BLOCKS)
def test_ml_fit_measures_agree_with_lavaan(fixture_name, block):
    b = fixture(fixture_name)[block]
    res = fitted(fixture_name, block)
    assert res.reason is None and res.converged
    assert res.n == sum(b["nobs"]) and res.norig == sum(b["norig"])
    assert_fit_matches(res.fit, b["fit"])
    lo, hi = res.fit["rmsea_ci"]
    assert lo == pytest.approx(b["fit"]["rmsea.ci.lower"], abs=TOL)
    assert hi == pytest.approx(b["fit"]["rmsea.ci.upper"], abs=TOL)


@pytest.mark.parametrize("fixture_name,block", ML_BLOCKS)
def test_ml_estimates_and_standardized_loadings_agree_with_lavaan(fixture_name, block):
    assert_estimates_match(fitted(fixture_name, block), fixture(fixture_name)[block])


@pytest.mark.parametrize("fixture_name,block", ML_BLOCKS + WLSMV_BLOCKS)
def test_omega_agrees_with_semtools_compRelSEM(fixture_name, block):
    expected = fixture(fixture_name)[block]["compRelSEM"]
    res = fitted(fixture_name, block)
    assert expected and len(res.omega) == len(expected)
    for factor, value in expected.items():
        assert res.omega_of(factor) == pytest.approx(value, abs=TOL), factor


def test_chisq_is_n_times_f_ml_with_divisor_n_covariance():
    """lavaan's chi-square uses the biased (divisor N) covariance matrix: chisq = N F_ML."""
    res = fitted("cfa_bifactor", "one_factor")
    x = data("bifactor")[["i1", "i2", "i3", "i4"]].to_numpy(float)
    s = np.cov(x, rowvar=False, bias=True)
    params = res.parameters.set_index(["lhs", "op", "rhs"])["est"]
    lam = np.array([params[("f", "=~", f"i{k}")] for k in range(1, 5)])
    theta = np.diag([params[(f"i{k}", "~~", f"i{k}")] for k in range(1, 5)])
    sigma = np.outer(lam, lam) * params[("f", "~~", "f")] + theta
    f_ml = np.log(np.linalg.det(sigma)) + np.trace(s @ np.linalg.inv(sigma)) - np.log(np.linalg.det(s)) - 4
    assert res.fit["chisq"] == pytest.approx(600 * f_ml, rel=1e-9)
    assert res.fit["chisq"] == pytest.approx(9.49174022940866, abs=1e-6)


def test_semopy_rmsea_divides_by_n_minus_1_and_ours_by_n_as_lavaan():
    """semopy's RMSEA = sqrt((chi2/df - 1) / (N - 1)); lavaan and we use N."""
    import semopy

    x = data("bifactor")
    model = semopy.Model(M3)
    model.fit(x)
    stats = semopy.calc_stats(model).T["Value"]
    chi2, df, n = stats["chi2"], stats["DoF"], len(x)
    lavaan = fixture("cfa_bifactor")["three_factor"]["fit"]
    assert chi2 == pytest.approx(lavaan["chisq"], abs=TOL)  # same ML chi-square
    assert stats["RMSEA"] == pytest.approx(math.sqrt((chi2 / df - 1) / (n - 1)), rel=1e-9)
    assert abs(stats["RMSEA"] - lavaan["rmsea"]) > 1e-5  # semopy's value is not lavaan's
    assert rmsea(chi2, df, n) == pytest.approx(lavaan["rmsea"], abs=1e-5)  # the correction
    assert cfa(x, M3).fit["rmsea"] == pytest.approx(lavaan["rmsea"], abs=1e-6)


def test_fiml_on_complete_data_reproduces_the_ml_chi_square():
    fiml = cfa(data("bifactor"), M3, missing="ml")
    ml = fitted("cfa_bifactor", "three_factor")
    assert fiml.fit["chisq"] == pytest.approx(ml.fit["chisq"], abs=1e-6)
    assert fiml.fit["cfi"] == pytest.approx(ml.fit["cfi"], abs=1e-9)
    assert fiml.loadings["est"].to_numpy() == pytest.approx(ml.loadings["est"].to_numpy(), abs=1e-6)


def test_fiml_uses_all_rows_and_listwise_only_complete_ones():
    fiml = fitted("cfa_bifactor_missing", "three_factor_fiml")
    listwise = fitted("cfa_bifactor_missing", "three_factor_listwise")
    assert (fiml.n, listwise.n, listwise.norig) == (600, 229, 600)
    assert fiml.missing == "ml" and "full-information" in fiml.summary()
    assert "371 of 600 rows dropped" in listwise.summary()


# ----------------------------------------------------------------------------- ordered items


@pytest.mark.parametrize("fixture_name,block", WLSMV_BLOCKS)
def test_wlsmv_fit_measures_agree_with_lavaan(fixture_name, block):
    b = fixture(fixture_name)[block]
    res = fitted(fixture_name, block)
    assert res.reason is None and res.estimator == "DWLS"
    assert_fit_matches(res.fit, b["fit"], {**FIT_NAMES, **SCALED_NAMES})
    for ours, theirs in (("rmsea_ci", ""), ("rmsea_ci_scaled", ".scaled")):
        lo, hi = res.fit[ours]
        assert lo == pytest.approx(b["fit"][f"rmsea.ci.lower{theirs}"], abs=TOL)
        assert hi == pytest.approx(b["fit"][f"rmsea.ci.upper{theirs}"], abs=TOL)


@pytest.mark.parametrize("fixture_name,block", WLSMV_BLOCKS)
def test_wlsmv_estimates_thresholds_and_standardized_loadings_agree_with_lavaan(fixture_name, block):
    assert_estimates_match(fitted(fixture_name, block), fixture(fixture_name)[block])


def test_wlsmv_chisq_is_n_minus_1_times_the_dwls_discrepancy():
    """lavaan scales the DWLS statistic by N - 1 (ML: N); unscaled chi-square 1.580 on 9 df."""
    res = fitted("cfa_ordinal", "wlsmv")
    assert res.fit["chisq"] == pytest.approx(1.58032868113184, abs=1e-5)
    assert res.fit["chisq_scaled"] == pytest.approx(3.26773189995929, abs=1e-5)


# ----------------------------------------------------------------------------- invariance


@pytest.fixture(scope="module")
def invariance():
    return measurement_invariance(data("twogroup"), M2, "group")


def test_invariance_models_agree_with_lavaan(invariance):
    fx = fixture("invariance_twogroup")
    for name in ("configural", "metric", "scalar"):
        res = invariance.models[name]
        assert res.reason is None and res.groups == ["a", "b"] and res.nobs == [400, 400]
        assert_fit_matches(res.fit, fx[name]["fit"])
        lo, hi = res.fit["rmsea_ci"]
        assert (lo, hi) == pytest.approx((fx[name]["fit"]["rmsea.ci.lower"], fx[name]["fit"]["rmsea.ci.upper"]), abs=TOL)
        assert_estimates_match(res, fx[name])


def test_invariance_table_agrees_with_lavTestLRT(invariance):
    fx = fixture("invariance_twogroup")
    lrt = pd.DataFrame(fx["lavTestLRT"])
    table = invariance.table
    assert list(table["model"]) == ["configural", "metric", "scalar"]
    assert list(table["df"]) == list(lrt["Df"])
    assert table["chisq"].to_numpy() == pytest.approx(lrt["Chisq"].to_numpy(), abs=TOL)
    assert table.loc[0, ["delta_chisq", "delta_df", "p", "delta_cfi"]].isna().all()
    for row, key in ((1, "metric_vs_configural"), (2, "scalar_vs_metric")):
        delta = fx["deltas"][key]
        assert table.loc[row, "delta_chisq"] == pytest.approx(lrt["Chisq diff"][row], abs=TOL)
        assert table.loc[row, "delta_df"] == lrt["Df diff"][row] == delta["delta_df"]
        assert table.loc[row, "p"] == pytest.approx(lrt["Pr(>Chisq)"][row], abs=TOL)
        assert table.loc[row, "delta_cfi"] == pytest.approx(delta["delta_cfi"], abs=TOL)
        assert table.loc[row, "delta_rmsea"] == pytest.approx(delta["delta_rmsea"], abs=TOL)
    # scalar invariance fails: x3's intercept differs between the groups (gen_data.R)
    assert table.loc[2, "p"] < 1e-5 and table.loc[2, "delta_cfi"] < -0.01


def test_invariance_omega_per_group_agrees_with_compRelSEM(invariance):
    fx = fixture("invariance_twogroup")
    for name in ("configural", "metric", "scalar"):
        expected = fx[name]["compRelSEM"]
        res = invariance.models[name]
        for g, label in enumerate(expected["group"]):
            for factor in ("f1", "f2"):
                assert res.omega_of(factor, label) == pytest.approx(expected[factor][g], abs=TOL)


def test_invariance_with_std_lv_is_the_same_model(invariance):
    """Unit factor variances in group 1 (free in group 2 once loadings are equal) is an
    equivalent identification: identical chi-squares."""
    std = measurement_invariance(data("twogroup"), M2, "group", std_lv=True)
    assert std.table["chisq"].to_numpy() == pytest.approx(invariance.table["chisq"].to_numpy(), abs=1e-6)
    assert list(std.table["df"]) == [16, 20, 24]


def test_scalar_model_frees_factor_means_in_the_second_group_only(invariance):
    p = invariance.models["scalar"].parameters
    means = p[p["op"] == "~1"].set_index(["group", "lhs"])
    assert not means.loc[("a", "f1"), "free"] and means.loc[("b", "f1"), "free"]
    nu = means[means.index.get_level_values("lhs").str.startswith("x")]["est"].unstack(0)
    assert nu["a"].to_numpy() == pytest.approx(nu["b"].to_numpy(), abs=1e-12)


# ----------------------------------------------------------------------------- syntax


def test_syntax_splits_on_newlines_and_semicolons_and_skips_comments():
    spec = parse_model("f1 =~ a + b + c  # first\n\n! note\nf2 =~ d + e; f2 =~ f ; f1 ~~ f2")
    assert spec.factors == ["f1", "f2"]
    assert spec.observed == ["a", "b", "c", "d", "e", "f"]
    assert [st.line for st in spec.statements] == [1, 4, 4, 4]


@pytest.mark.parametrize(
    "model,line,fragment",
    [
        ("f =~ i1 + i2 + i3\ng ~ i4", 2, "'~' is not supported"),
        ("f =~ i1 + i2 + i3\n\ng =~ i4 + + i5", 3, "a term is missing"),
        ("f =~ i1 + 2x*i2", 1, "cannot read the modifier"),
        ("f =~ i1 + i2\nf =~ i2", 2, "listed twice"),
        ("f =~ i1 + i2 + i3; g =~ f + i4", 1, "higher-order"),
        ("f =~ i1 + i2; i3 ~~ f", 1, "mixes a factor"),
        ("i1 ~~ i2", None, "no factor"),
        ("f =~ i1 + i2 + i3\nh =~ i4 + nope + i5", 2, "unknown variable 'nope'"),
    ],
)
def test_bad_syntax_and_unknown_variables_raise_user_error_naming_the_line(model, line, fragment):
    with pytest.raises(UserError) as err:
        cfa(data("bifactor"), model)
    problem = err.value.problems[0]
    assert fragment in problem.message
    assert problem.line == line
    if line is not None:
        assert f"model line {line}" in str(err.value)


def test_na_modifier_with_fixed_variance_equals_std_lv():
    one = "f =~ i1 + i2 + i3 + i4"
    by_syntax = cfa(data("bifactor"), "f =~ NA*i1 + i2 + i3 + i4; f ~~ 1*f")
    by_option = cfa(data("bifactor"), one, std_lv=True)
    marker = fitted("cfa_bifactor", "one_factor")
    assert by_syntax.fit["chisq"] == pytest.approx(marker.fit["chisq"], abs=1e-8)
    assert by_option.fit["df"] == marker.fit["df"] == 2
    assert by_syntax.loadings["est"].to_numpy() == pytest.approx(by_option.loadings["est"].to_numpy(), abs=1e-6)
    assert by_option.loadings["std"].to_numpy() == pytest.approx(marker.loadings["std"].to_numpy(), abs=1e-6)


def test_labels_constrain_loadings_equal_and_cost_one_df():
    free = fitted("cfa_bifactor", "one_factor")
    equal = cfa(data("bifactor"), "f =~ i1 + a*i2 + a*i3 + i4")
    load = equal.loadings.set_index("item")["est"]
    assert load["i2"] == load["i3"]
    assert equal.fit["df"] == free.fit["df"] + 1
    assert equal.fit["chisq"] > free.fit["chisq"]


def test_fixed_zero_factor_covariance_gives_orthogonal_factors():
    res = cfa(data("bifactor"), M3 + "\ng1 ~~ 0*g2; g1 ~~ 0*g3; g2 ~~ 0*g3")
    assert res.fit["df"] == fitted("cfa_bifactor", "three_factor").fit["df"] + 3
    cov = res.parameters[(res.parameters["op"] == "~~") & (res.parameters["lhs"] != res.parameters["rhs"])]
    assert (cov["est"] == 0).all() and not cov["free"].any()


# ----------------------------------------------------------------------------- degenerate input


def assert_nan_with_reason(res, fragment: str):
    assert res.reason is not None and fragment in res.reason
    assert not res.converged
    for key in ("chisq", "pvalue", "cfi", "tli", "rmsea", "srmr"):
        assert math.isnan(res.fit[key])
    assert res.parameters.loc[res.parameters["free"], "est"].isna().all()
    assert res.loadings["std"].isna().all()
    json.dumps(res.to_dict(), allow_nan=False)  # NaN -> null
    assert "Not estimated" in res.summary()


def test_constant_item_gives_nan_with_reason():
    assert_nan_with_reason(cfa(data("constant"), "f =~ c1 + c2 + c3"), "constant item(s): c2")
    assert_nan_with_reason(cfa(data("constant"), "f =~ c1 + c2 + c3", ordinal=True), "constant item(s): c2")


def test_collinear_items_give_nan_with_reason():
    assert_nan_with_reason(cfa(data("constant"), "f =~ c1 + c3 + c4"), "not positive definite")


def test_too_few_rows_give_nan_with_reason():
    assert_nan_with_reason(cfa(data("bifactor").head(1), "f =~ i1 + i2 + i3"), "too few rows")
    assert_nan_with_reason(cfa(data("bifactor").head(4), M3), "not positive definite")


def test_more_parameters_than_moments_is_unidentified():
    assert_nan_with_reason(cfa(data("bifactor"), "f =~ i1 + i2"), "not identified")


def test_locally_unidentified_model_is_reported():
    # two orthogonal two-indicator factors: df = 2, but each factor alone is unidentified
    res = cfa(data("bifactor"), "f =~ i1 + i2; g =~ i5 + i6; f ~~ 0*g")
    assert_nan_with_reason(res, "not identified")
    assert (res.fit["npar"], res.fit["df"]) == (8, 2)


def test_non_convergence_gives_nan_with_reason(monkeypatch):
    import scoring.stats.cfa.estimate as cfa_module
    from scoring.stats.cfa.ml import MlFit

    monkeypatch.setattr(
        cfa_module, "fit_ml", lambda pt, groups: MlFit(np.zeros(pt.npar), np.nan, 0.0, False, "did not converge", 5000)
    )
    assert_nan_with_reason(cfa(data("bifactor"), "f =~ i1 + i2 + i3 + i4"), "did not converge")


def test_heywood_case_is_reported_as_a_warning_not_hidden():
    # r_ab r_ac / r_bc = .8 * .6 / .4 = 1.2 > 1: a's standardised loading exceeds 1
    corr = np.array([[1.0, 0.8, 0.6], [0.8, 1.0, 0.4], [0.6, 0.4, 1.0]])
    x = np.random.default_rng(7).multivariate_normal(np.zeros(3), corr, size=2000)
    res = cfa(pd.DataFrame(x, columns=["a", "b", "c"]), "f =~ a + b + c")
    assert res.reason is None and res.fit["df"] == 0
    theta_a = res.parameters.set_index(["lhs", "op", "rhs"]).loc[("a", "~~", "a"), "est"]
    assert theta_a < -0.05
    assert len(res.warnings) == 1 and "negative variance of a" in res.warnings[0]
    assert "Heywood" in res.summary()


# ----------------------------------------------------------------------------- result object


def test_result_to_dict_summary_and_frame():
    res = fitted("cfa_bifactor", "three_factor")
    out = res.to_dict()
    assert set(out["fit"]) >= {"chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci", "srmr"}
    assert out["loadings"][1] == {
        "factor": "g1",
        "item": "i2",
        "est": pytest.approx(0.793827, abs=1e-3),
        "se": pytest.approx(0.058151, abs=1e-3),
        "ci_lower": pytest.approx(0.679853, abs=1e-3),
        "ci_upper": pytest.approx(0.907800, abs=1e-3),
        "std": pytest.approx(0.617362, abs=1e-3),
    }
    assert out["loadings"][0]["se"] is None  # the fixed marker loading
    assert [o["factor"] for o in out["omega"]] == ["g1", "g2", "g3"]
    text = res.summary()
    assert "Chi-square (df = 51)" in text and "69.448" in text and "[0.004, 0.038]" in text
    assert "g3 =~ i12" in text and "compRelSEM" in text
    frame = res.to_frame()
    assert list(frame.columns) == ["group", "lhs", "op", "rhs", "free", "est", "se", "z", "pvalue", "ci_lower", "ci_upper", "std"]
    assert len(frame) == 12 + 12 + 6


# ----------------------------------------------------------------------------- instruments and CLI


def test_model_from_instrument_one_factor_per_subscale_without_the_total():
    inst = bundled("samhandlingsklima")
    spec = parse_model(model_from_instrument(inst))
    assert spec.factors == [s.id for s in inst.scales if s.id != "sk_total"]
    assert spec.indicators("sk_info")[0].name == "sk_info1"
    assert len(spec.observed) == 32
    assert model_from_instrument(inst, ["sk_info", "sk_trygg"]).count("=~") == 2
    assert parse_model(model_from_instrument(bundled("feedback-samtale"))).factors == ["fs_total"]
    with pytest.raises(UserError, match="unknown scale"):
        model_from_instrument(inst, ["sk_nope"])


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_model_json_contract(capsys):
    model = "g1 =~ i1 + i2 + i3 + i4\ng2 =~ i5 + i6 + i7 + i8; g3 =~ i9 + i10 + i11 + i12"
    code, out, _ = run(capsys, "cfa", REF / "data" / "bifactor.csv", "--model", model, "--json")
    assert code == 0
    res = json.loads(out)
    assert res["fit"]["chisq"] == pytest.approx(69.4478245282784, abs=TOL)
    assert len(res["fit"]["rmsea_ci"]) == 2
    assert set(res["loadings"][0]) >= {"factor", "item", "est", "std"}
    assert len(res["loadings"]) == 12


def test_cli_invariance_json_contract(capsys):
    code, out, _ = run(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", M2, "--group", "group", "--invariance", "--json")
    assert code == 0
    rows = json.loads(out)["invariance"]
    assert [r["model"] for r in rows] == ["configural", "metric", "scalar"]
    assert set(rows[0]) >= {"model", "chisq", "df", "cfi", "rmsea", "delta_chisq", "delta_df", "p", "delta_cfi"}
    assert rows[0]["delta_chisq"] is None and rows[0]["p"] is None and rows[0]["delta_cfi"] is None
    assert rows[2]["delta_df"] == 4 and rows[2]["delta_chisq"] == pytest.approx(35.8687724651652, abs=TOL)


def test_cli_instrument_reverse_keys_and_fits_the_subscales(capsys):
    code, out, _ = run(capsys, "cfa", SAMPLE / "responses.csv", "--instrument", "samhandlingsklima", "--scale", "sk_info,sk_koord", "--json")
    assert code == 0
    res = json.loads(out)
    assert {r["factor"] for r in res["loadings"]} == {"sk_info", "sk_koord"}
    assert res["reason"] is None and res["fit"]["df"] == 19
    # reverse-keyed items load positively once keyed
    assert all(r["std"] > 0 for r in res["loadings"])


def test_cli_ordinal_and_readable_summary(capsys):
    code, out, _ = run(capsys, "cfa", REF / "data" / "ordinal.csv", "--model", "f =~ o1 + o2 + o3 + o4 + o5 + o6", "--ordinal")
    assert code == 0
    assert "DWLS" in out and "Chi-square, scaled (WLSMV)" in out and "f =~ o6" in out


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--model", "f =~ i1 + i2 + i3\ng =~ i4 + bogus"], "model line 2: unknown variable 'bogus'"),
        (["--model", "f =~ i1 + i2 + i3; g ~ i4"], "model line 1: the operator '~'"),
        ([], "exactly one of --model and --instrument"),
        (["--model", "f =~ i1 + i2 + i3", "--invariance"], "--invariance needs --group"),
        (["--model", "f =~ i1 + i2 + i3", "--missing", "pairwise"], "--missing must be one of"),
    ],
)
def test_cli_user_errors_exit_2(capsys, args, fragment):
    code, _, err = run(capsys, "cfa", REF / "data" / "bifactor.csv", *args)
    assert code == 2
    assert fragment in err
