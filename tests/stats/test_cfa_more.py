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

from scoring.errors import UserError
from scoring.stats.cfa.estimate import cfa, measurement_invariance
from tests.stats.test_cfa import M2, M3, TOL, assert_estimates_match, assert_fit_matches, run

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


# ----------------------------------------------------------------------------- strict and partial invariance


@lru_cache(maxsize=None)
def invariance(strict: bool, partial: tuple[str, ...]):
    return measurement_invariance(dataset("twogroup"), M2, "group", strict=strict, group_partial=partial)


@pytest.mark.parametrize(
    "block,equal,partial",
    [
        ("strict", ("loadings", "intercepts", "residuals"), ()),
        ("partial_scalar", ("loadings", "intercepts"), ("x3~1",)),
        ("partial_strict", ("loadings", "intercepts", "residuals"), ("x3 ~ 1", "x6~~x6")),
    ],
)
def test_strict_and_partial_invariance_models_agree_with_lavaan(block, equal, partial):
    b = fixture("invariance_strict")[block]
    res = cfa(dataset("twogroup"), M2, group="group", group_equal=equal, group_partial=partial)
    assert res.reason is None
    assert_fit_matches(res.fit, b["fitMeasures"])
    assert_estimates_match(res, b)
    theta = res.parameters[(res.parameters["op"] == "~~") & (res.parameters["lhs"] == res.parameters["rhs"])]
    x6 = theta[theta["lhs"] == "x6"]["est"].to_numpy()
    assert (x6[0] == pytest.approx(x6[1])) == ("residuals" in equal and "x6~~x6" not in partial)


def test_invariance_sequence_with_strict_step_agrees_with_lavTestLRT():
    table = invariance(True, ()).table  # with group_partial: the CLI test below
    ref = pd.DataFrame(fixture("invariance_strict")["lavTestLRT"])
    assert list(table["model"]) == ["configural", "metric", "scalar", "strict"]
    assert table["chisq"].to_numpy() == pytest.approx(ref["Chisq"].to_numpy(), abs=TOL)
    assert list(table["df"]) == list(ref["Df"])
    assert table["delta_chisq"][1:].to_numpy() == pytest.approx(ref["Chisq diff"][1:].to_numpy(float), abs=TOL)
    assert table["p"][1:].to_numpy() == pytest.approx(ref["Pr(>Chisq)"][1:].to_numpy(float), abs=TOL)


@pytest.mark.parametrize(
    "options,fragment",
    [
        ({"group_equal": ("loadings", "thresholds")}, "thresholds is for ordered items"),
        ({"group_equal": ("intercepts",), "group_partial": ("x9~1",)}, "x9~1"),
        ({"group_equal": ("intercepts",), "group_partial": ("f1=~x4",)}, "not a loading"),
        ({"group_partial": ("x3~1",)}, "needs group_equal"),
    ],
)
def test_bad_group_equal_or_partial_is_a_user_error(options, fragment):
    with pytest.raises(UserError, match=fragment):
        cfa(dataset("twogroup"), M2, group="group", **options)


def test_cli_strict_partial_invariance_and_group_equal(capsys):
    path = REF / "data" / "twogroup.csv"
    code, out, _ = run(capsys, "cfa", path, "--model", M2, "--group", "group", "--invariance", "--strict",
                       "--group-partial", "x3~1,x6~~x6", "--json")
    assert code == 0
    rows = json.loads(out)["invariance"]
    ref = fixture("invariance_strict")["lavTestLRT_partial"]
    assert [r["model"] for r in rows] == ["configural", "metric", "scalar", "strict"]
    assert [r["chisq"] for r in rows] == pytest.approx(ref["Chisq"], abs=TOL)
    assert [r["delta_chisq"] for r in rows[1:]] == pytest.approx(ref["Chisq diff"][1:], abs=TOL)
    assert [r["p"] for r in rows[1:]] == pytest.approx(ref["Pr(>Chisq)"][1:], abs=TOL)
    code, out, _ = run(capsys, "cfa", path, "--model", M2, "--group", "group", "--group-equal", "loadings",
                       "--group-equal", "intercepts", "--group-partial", "x3~1", "--json")
    assert code == 0
    assert json.loads(out)["fit"]["chisq"] == pytest.approx(fixture("invariance_strict")["partial_scalar"]["fitMeasures"]["chisq"], abs=TOL)


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--strict"], "--strict needs --invariance"),
        (["--group-equal", "loadings"], "--group-equal needs --group"),
        (["--group", "group", "--group-equal", "loading"], "unknown constraint"),
        (["--group", "group", "--group-equal", "intercepts", "--group-partial", "x7~1"], "x7~1"),
        (["--group", "group", "--group-partial", "x3~1"], "--group-partial needs"),
    ],
)
def test_cli_invariance_option_errors_exit_2(capsys, args, fragment):
    code, _, err = run(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", M2, *args)
    assert code == 2
    assert fragment in err


# ----------------------------------------------------------------------------- robust ML (MLR)

MLR = {  # block -> (data set, model, cfa options)
    "complete": ("bifactor", M3, {}),
    "reversed": ("bifactor_reversed", M3, {}),
    "fiml": ("bifactor_missing", M3, {"missing": "ml"}),
    "mg": ("twogroup", M2, {"group": "group"}),
    "mg_metric": ("twogroup", M2, {"group": "group", "group_equal": ("loadings",)}),
}
MLR_NAMES = {
    "chisq": "chisq",
    "chisq.scaled": "chisq_scaled",
    "pvalue.scaled": "pvalue_scaled",
    "chisq.scaling.factor": "chisq_scaling_factor",
    "baseline.chisq.scaled": "baseline_chisq_scaled",
    "baseline.chisq.scaling.factor": "baseline_chisq_scaling_factor",
    "cfi.scaled": "cfi_scaled",
    "tli.scaled": "tli_scaled",
    "rmsea.scaled": "rmsea_scaled",
    "cfi": "cfi",
    "rmsea": "rmsea",
    "srmr": "srmr",
}
ROBUST_NAMES = {"cfi.robust": "cfi_robust", "tli.robust": "tli_robust", "rmsea.robust": "rmsea_robust"}


@lru_cache(maxsize=None)
def mlr_fit(block: str):
    name, model, options = MLR[block]
    return cfa(dataset(name), model, estimator="MLR", **options)


@pytest.mark.parametrize("block", list(MLR))
def test_mlr_scaled_test_robust_indices_and_sandwich_se_agree_with_lavaan(block):
    b = fixture("cfa_mlr")[block]
    fm = b["fitMeasures"]
    res = mlr_fit(block)
    assert res.reason is None and res.estimator == "MLR"
    assert b["test"] == ["yuan.bentler.mplus"] and b["se"] == "robust.huber.white"
    # under FIML the robust indices are lavaan's FIML-corrected ones (tested in detail below)
    assert_fit_matches(res.fit, fm, {**MLR_NAMES, **ROBUST_NAMES})
    assert res.fit["rmsea_ci_scaled"] == pytest.approx((fm["rmsea.ci.lower.scaled"], fm["rmsea.ci.upper.scaled"]), abs=TOL)
    assert res.fit["rmsea_ci_robust"] == pytest.approx((fm["rmsea.ci.lower.robust"], fm["rmsea.ci.upper.robust"]), abs=TOL)
    assert_estimates_match(res, b)  # estimates equal ML's; se are the sandwich ones


MLR_FIML = {  # block of cfa_mlr_fiml.json -> (data set, model, cfa options)
    "single": ("bifactor_missing", M3, {}),
    "mg": ("twogroup_na", M2, {"group": "group"}),
    "mg_metric": ("twogroup_na", M2, {"group": "group", "group_equal": ("loadings",)}),
}


@pytest.mark.parametrize("block", list(MLR_FIML))
def test_mlr_fiml_robust_indices_use_the_fiml_corrected_statistics_as_lavaan(block):
    """cfi.robust, tli.robust, rmsea.robust under MLR + missing = "ml": Zhang & Savalei's
    FIML-corrected statistics (lavaan:::lav_fit_fiml_corrected, V3) with the independence
    model fitted by the same estimator and missing-data handling (cfa_mlr_fiml.R)."""
    b = fixture("cfa_mlr_fiml")[block]
    assert (b["estimator"], b["missing"]) == ("ML", "ml") and b["baseline_model"]["missing"] == "ml"
    name, model, options = MLR_FIML[block]
    res = cfa(dataset(name), model, estimator="MLR", missing="ml", **options)
    fm, fc = b["fitMeasures"], b["fiml_corrected"]
    assert res.fit["fiml_corrected_chisq"] == pytest.approx(fc["XX3"], abs=TOL)
    # lavaan's independence model is fitted iteratively (to about 1e-6 relative); ours is closed form
    assert res.fit["fiml_corrected_baseline_chisq"] == pytest.approx(fc["XX3.null"], rel=1e-5)
    assert res.fit["fiml_corrected_scaling_factor"] == pytest.approx(fc["c.hat3"], abs=TOL)
    assert res.fit["fiml_corrected_baseline_scaling_factor"] == pytest.approx(fc["c.hat3.null"], abs=TOL)
    assert res.fit["baseline_chisq"] == pytest.approx(b["baseline_model"]["chisq"], abs=TOL)
    assert res.fit["baseline_chisq_scaled"] == pytest.approx(b["baseline_model"]["chisq.scaled"], abs=TOL)
    for theirs, mine in {**ROBUST_NAMES, "cfi.scaled": "cfi_scaled", "tli.scaled": "tli_scaled"}.items():
        assert res.fit[mine] == pytest.approx(fm[theirs], abs=TOL), theirs
    assert res.fit["rmsea_ci_robust"] == pytest.approx((fm["rmsea.ci.lower.robust"], fm["rmsea.ci.upper.robust"]), abs=TOL)


def test_mlr_standard_errors_differ_from_ml_and_estimates_do_not():
    ml = cfa(dataset("bifactor"), M3)
    robust = mlr_fit("complete")
    assert robust.parameters["est"].to_numpy() == pytest.approx(ml.parameters["est"].to_numpy(), abs=1e-6)
    free = ml.parameters["free"].to_numpy()
    assert np.max(np.abs(robust.parameters["se"][free] - ml.parameters["se"][free])) > 1e-3


def test_mlr_invariance_uses_the_satorra_bentler_2001_scaled_difference():
    inv = measurement_invariance(dataset("twogroup"), M2, "group", estimator="MLR")
    ref = pd.DataFrame(fixture("cfa_mlr")["lavTestLRT"])
    table = inv.table
    assert table["delta_chisq"][1:].to_numpy() == pytest.approx(ref["Chisq diff"][1:].to_numpy(float), abs=TOL)
    assert table["p"][1:].to_numpy() == pytest.approx(ref["Pr(>Chisq)"][1:].to_numpy(float), abs=TOL)
    scalar = fixture("cfa_mlr")["mg_scalar"]["fitMeasures"]
    assert table["cfi"].iloc[2] == pytest.approx(scalar["cfi.robust"], abs=TOL)
    assert list(table["indices"]) == ["robust"] * 3
    assert "Satorra-Bentler" in inv.summary()


def test_cli_estimator_option(capsys):
    code, out, _ = run(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", M2, "--group", "group", "--estimator", "MLR", "--json")
    assert code == 0
    res = json.loads(out)
    assert res["estimator"] == "MLR"
    assert res["fit"]["chisq_scaled"] == pytest.approx(fixture("cfa_mlr")["mg"]["fitMeasures"]["chisq.scaled"], abs=TOL)
    code, _, err = run(capsys, "cfa", REF / "data" / "ordinal.csv", "--model", "f =~ o1 + o2", "--estimator", "mlm")
    assert code == 2 and "--estimator" in err
    code, _, err = run(capsys, "cfa", REF / "data" / "ordinal.csv", "--model", "f =~ o1 + o2", "--ordinal", "--estimator", "mlr")
    assert code == 2 and "WLSMV" in err


# ----------------------------------------------------------------------------- ordered items, several groups

ORDINAL = {  # fixture block -> cfa options (twogroup, x1..x6 as ordered items)
    "measEq_configural": {"std_lv": True},
    "configural": {},  # lavaan's plain multi-group model, marker identification: the same fit
    "measEq_loadings_thresholds": {"std_lv": True, "group_equal": ("thresholds", "loadings")},
}
ORDINAL_NAMES = {**{k: k.replace(".", "_") for k in ("chisq", "pvalue", "cfi", "tli", "rmsea", "srmr")}, **{
    "chisq.scaled": "chisq_scaled",
    "pvalue.scaled": "pvalue_scaled",
    "chisq.scaling.factor": "chisq_scaling_factor",
    "baseline.chisq": "baseline_chisq",
    "baseline.chisq.scaled": "baseline_chisq_scaled",
    "cfi.scaled": "cfi_scaled",
    "tli.scaled": "tli_scaled",
    "rmsea.scaled": "rmsea_scaled",
}}


@lru_cache(maxsize=None)
def ordinal_fit(block: str):
    return cfa(dataset("twogroup"), M2, ordinal=True, group="group", **ORDINAL[block])


@pytest.mark.parametrize("block", list(ORDINAL))
def test_multigroup_wlsmv_agrees_with_lavaan_and_measEq(block):
    b = fixture("invariance_ordinal")[block]
    assert b["parameterization"] == "delta"
    res = ordinal_fit(block)
    assert res.reason is None and res.n_groups == 2
    assert_fit_matches(res.fit, b["fitMeasures"], ORDINAL_NAMES)
    assert res.fit["rmsea_ci_scaled"] == pytest.approx(
        (b["fitMeasures"]["rmsea.ci.lower.scaled"], b["fitMeasures"]["rmsea.ci.upper.scaled"]), abs=TOL
    )
    assert_estimates_match(res, b)  # loadings, factor (co)variances, thresholds with robust se


def test_thresholds_loadings_model_frees_intercepts_and_scales_in_group_2_as_measEq():
    b = fixture("invariance_ordinal")["measEq_loadings_thresholds"]
    pe = pd.DataFrame(b["parameterEstimates"])
    ours = ordinal_fit("measEq_loadings_thresholds").parameters
    for op in ("~1", "~*~"):
        ref = pe[(pe["op"] == op) & (pe["group"] == 2) & pe["lhs"].str.startswith("x")]
        mine = ours[(ours["op"] == op) & (ours["group"] == "b")]
        assert mine["est"].to_numpy() == pytest.approx(ref["est"].to_numpy(), abs=TOL)
        assert mine["se"].to_numpy() == pytest.approx(ref["se"].to_numpy(), abs=TOL)
    # x3 was generated with a higher intercept in group b
    x3 = mine = ours[(ours["op"] == "~1") & (ours["group"] == "b") & (ours["lhs"] == "x3")]["est"].iloc[0]
    assert x3 > 0.3


@pytest.mark.parametrize(
    "options,fragment",
    [
        ({"group_equal": ("loadings",)}, "thresholds and loadings, then also intercepts"),
        ({"group_equal": ("thresholds", "loadings", "residuals")}, "thresholds and loadings, then also intercepts"),
        ({"group_equal": ("thresholds", "loadings"), "group_partial": ("x3~1",)}, "add intercepts to group_equal"),
        ({"group_equal": ("thresholds", "loadings", "intercepts"), "group_partial": ("f1=~x2",)}, "only x~1 and x~~x"),
        ({"group_equal": ("thresholds", "loadings", "intercepts"), "group_partial": ("x6~~x6",)}, "needs residuals"),
    ],
)
def test_ordinal_group_option_errors(options, fragment):
    with pytest.raises(UserError, match=fragment):
        cfa(dataset("twogroup"), M2, ordinal=True, group="group", **options)


def test_ordinal_thresholds_need_the_same_categories_in_every_group():
    d = dataset("twogroup").copy()
    d.loc[(d["group"] == "b") & (d["x2"] == 5), "x2"] = 4
    res = cfa(d, M2, ordinal=True, group="group", group_equal=("thresholds", "loadings"))
    assert res.reason is not None and "different answer categories" in res.reason and "x2" in res.reason


def test_cli_ordinal_invariance_uses_lavaans_wlsmv_difference_test(capsys):
    code, out, _ = run(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", M2, "--group", "group", "--ordinal",
                       "--invariance", "--std-lv", "--json")
    assert code == 0
    rows = pd.DataFrame(json.loads(out)["invariance"])
    fx = fixture("invariance_ordinal")
    lrt = pd.DataFrame(fx["lavTestLRT"])
    assert list(rows["model"]) == ["configural", "thresholds_loadings", "scalar"]
    assert list(rows["df"][:2]) == list(lrt["Df"])  # scalar: tested against ordinal_strict.R below
    assert rows["delta_chisq"].iloc[1] == pytest.approx(lrt["Chisq diff"].iloc[1], abs=TOL)  # Satorra (2000)
    assert rows["p"].iloc[1] == pytest.approx(lrt["Pr(>Chisq)"].iloc[1], abs=TOL)
    assert rows["delta_cfi"].iloc[1] == pytest.approx(fx["deltas"]["delta_cfi_scaled"], abs=TOL)
    assert rows["delta_rmsea"].iloc[1] == pytest.approx(fx["deltas"]["delta_rmsea_scaled"], abs=TOL)
    assert list(rows["indices"]) == ["scaled"] * 3


# ----------------------------------------------------------------------------- ordinal scalar, strict, partial

THETA = {  # block of invariance_ordinal_strict.json -> (group_equal, group_partial)
    "scalar": (("thresholds", "loadings", "intercepts"), ()),
    "strict": (("thresholds", "loadings", "intercepts", "residuals"), ()),
    "partial_scalar": (("thresholds", "loadings", "intercepts"), ("x3~1",)),
    "partial_strict": (("thresholds", "loadings", "intercepts", "residuals"), ("x3~1", "x6~~x6")),
}


@lru_cache(maxsize=None)
def theta_fit(block: str):
    equal, partial = THETA[block]
    return cfa(dataset("twogroup"), M2, ordinal=True, group="group", group_equal=equal, group_partial=partial)


@pytest.mark.parametrize("block", list(THETA))
def test_ordinal_scalar_strict_and_partial_models_agree_with_measEq_theta(block):
    """measEq.syntax(parameterization = "theta", ID.cat = "Wu.Estabrook.2016") fits
    (tests/reference/ordinal_strict.R): fit measures, and every parameter's est and se."""
    b = fixture("invariance_ordinal_strict")[block]
    assert b["parameterization"] == "theta" and b["estimator"] == "DWLS"
    res = theta_fit(block)
    assert res.reason is None
    assert_fit_matches(res.fit, b["fitMeasures"], ORDINAL_NAMES)
    pe = pd.DataFrame(b["parameterEstimates"])
    pe = pe[pe["op"] != "~*~"]  # theta: the scale factors are derived, not parameters
    labels = dict(enumerate(b["group.label"], start=1))
    ref = pe.assign(group=pe["group"].map(labels), rhs=pe["rhs"].fillna("")).set_index(["group", "lhs", "op", "rhs"])
    ours = res.parameters.set_index(["group", "lhs", "op", "rhs"])
    assert set(ours.index) == set(ref.index)
    joined = ours[["est", "se"]].merge(ref[["est", "se"]], left_index=True, right_index=True, suffixes=("", "_lavaan"))
    assert len(joined) == len(ref)
    assert joined["est"].to_numpy() == pytest.approx(joined["est_lavaan"].to_numpy(), abs=TOL)
    free = joined["se_lavaan"] > 0
    assert joined.loc[free, "se"].to_numpy() == pytest.approx(joined.loc[free, "se_lavaan"].to_numpy(), abs=TOL)


@pytest.mark.parametrize(("partial", "key"), [((), "lavTestLRT"), (("x3~1", "x6~~x6"), "lavTestLRT_partial")])
def test_ordinal_invariance_with_strict_and_partial_steps_agrees_with_lavTestLRT(partial, key):
    inv = measurement_invariance(dataset("twogroup"), M2, "group", ordinal=True, strict=True, group_partial=partial)
    rows = inv.table
    lrt = pd.DataFrame(fixture("invariance_ordinal_strict")[key])
    assert list(rows["model"]) == ["configural", "thresholds_loadings", "scalar", "strict"]
    assert list(rows["df"]) == list(lrt["Df"])
    assert list(rows["chisq"]) == pytest.approx(list(lrt["Chisq"]), abs=TOL)
    assert list(rows["delta_chisq"][1:]) == pytest.approx(list(lrt["Chisq diff"][1:]), abs=TOL)  # Satorra (2000)
    assert list(rows["p"][1:]) == pytest.approx(list(lrt["Pr(>Chisq)"][1:]), abs=TOL)
    fx = fixture("invariance_ordinal_strict")
    names = ("scalar", "strict") if not partial else ("partial_scalar", "partial_strict")
    for model, block in zip(("scalar", "strict"), names):
        row = rows.set_index("model").loc[model]
        assert row["cfi"] == pytest.approx(fx[block]["fitMeasures"]["cfi.scaled"], abs=TOL)
        assert row["rmsea"] == pytest.approx(fx[block]["fitMeasures"]["rmsea.scaled"], abs=TOL)
    if not partial:  # x3's intercept differs between the groups by construction: scalar fails
        assert rows.set_index("model").loc["scalar", "p"] < 1e-4


def test_cli_ordinal_strict_partial_invariance(capsys):
    code, out, err = run(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", M2, "--group", "group", "--ordinal",
                         "--invariance", "--strict", "--group-partial", "x3~1,x6~~x6", "--json")  # fmt: skip
    assert code == 0, err
    rows = pd.DataFrame(json.loads(out)["invariance"])
    lrt = pd.DataFrame(fixture("invariance_ordinal_strict")["lavTestLRT_partial"])
    assert list(rows["df"]) == list(lrt["Df"])
    assert rows["delta_chisq"].iloc[3] == pytest.approx(lrt["Chisq diff"].iloc[3], abs=TOL)
