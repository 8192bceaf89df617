"""EFA, KMO, Bartlett and parallel analysis agree with R's psych (fixtures in tests/reference/).

Tolerances: 1e-3 for the iterative fits (loadings, communalities, Phi, chi-square, TLI, RMSEA
and its CI, BIC), 1e-6 for the closed-form KMO, Bartlett and the observed eigenvalues.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.stats.efa.factors import bartlett, correlation_input, efa, kmo, parallel_analysis
from scoring.stats.efa.rotation import oblimin

REF = Path(__file__).parents[1] / "reference"
DATASETS = ("bifactor", "bifactor_missing")
FITS = [f"{fm}_{rot}" for fm in ("minres", "ml") for rot in ("oblimin", "varimax", "promax", "none")]


def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def table(obj: dict) -> pd.DataFrame:
    return pd.DataFrame(obj).set_index("row")


def data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / "data" / f"{name}.csv")


@pytest.fixture(scope="module", params=DATASETS)
def dataset(request):
    return request.param, data(request.param), fixture(f"efa_{request.param}")


# ---------------------------------------------------------------------------------------------
# psych::fa
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", FITS)
def test_efa_matches_psych_fa(dataset, key):
    name, x, fx = dataset
    ref = fx["fits"][key]
    method, rotation = key.split("_")
    result = efa(x, 3, method=method, rotation=rotation)

    loadings = table(ref["loadings"])
    # psych's factor names, column order and signs, not just the same solution up to permutation
    assert result.factors == ref["factors"] == list(loadings.columns)
    np.testing.assert_allclose(result.loadings.to_numpy(), loadings.to_numpy(), atol=1e-3)
    np.testing.assert_allclose(result.communalities.to_numpy(), list(ref["communality"].values()), atol=1e-3)
    np.testing.assert_allclose(result.uniquenesses.to_numpy(), list(ref["uniquenesses"].values()), atol=1e-3)
    np.testing.assert_allclose(result.complexity.to_numpy(), list(ref["complexity"].values()), atol=1e-3)
    np.testing.assert_allclose(result.eigenvalues, ref["values"], atol=1e-3)
    np.testing.assert_allclose(result.e_values, ref["e.values"], atol=1e-10)
    if ref["Phi"] is None:
        assert result.phi is None
    else:
        np.testing.assert_allclose(result.phi.to_numpy(), table(ref["Phi"]).to_numpy(), atol=1e-3)
        assert list(result.phi.columns) == ref["factors"]
    np.testing.assert_allclose(result.variance.to_numpy(), table(ref["Vaccounted"]).to_numpy()[:3], atol=1e-3)

    fit = result.fit
    assert fit.df == ref["dof"] == 33
    assert fit.n_obs == ref["n.obs"] == 600
    assert fit.chisq == pytest.approx(ref["STATISTIC"], abs=1e-3)
    assert fit.p == pytest.approx(ref["PVAL"], abs=1e-6)
    assert fit.objective == pytest.approx(ref["objective"], abs=1e-6)
    assert fit.tli == pytest.approx(ref["TLI"], abs=1e-3)
    assert fit.rmsea == pytest.approx(ref["RMSEA"]["RMSEA"], abs=1e-3)
    assert fit.rmsea_ci == pytest.approx((ref["RMSEA"]["lower"], ref["RMSEA"]["upper"]), abs=1e-3)
    assert fit.bic == pytest.approx(ref["BIC"], abs=1e-3)
    assert fit.sabic == pytest.approx(ref["SABIC"], abs=1e-3)
    assert fit.null_chisq == pytest.approx(ref["null.chisq"], abs=1e-6)
    assert fit.chisq_empirical == pytest.approx(ref["chi"], abs=1e-3)
    assert fit.rms == pytest.approx(ref["rms"], abs=1e-6)
    assert fit.crms == pytest.approx(ref["crms"], abs=1e-6)
    assert fit.ebic == pytest.approx(ref["EBIC"], abs=1e-3)
    assert result.warnings == []


def test_efa_follows_psychs_optimiser_path_to_machine_precision():
    """The 1e-3 tolerance above is what the design allows for iterative fits; with R's optim
    settings our L-BFGS-B takes psych's steps, so the agreement is far closer."""
    ref = fixture("efa_bifactor")["fits"]["minres_oblimin"]
    result = efa(data("bifactor"), 3)
    np.testing.assert_allclose(result.loadings.to_numpy(), table(ref["loadings"]).to_numpy(), atol=1e-9)
    # psych's `communalities` = 1 - psi where its optimiser stopped (not at the exact optimum)
    np.testing.assert_allclose(1 - result.psi.to_numpy(), list(ref["communalities"].values()), atol=1e-9)
    assert result.fit.rmsea == pytest.approx(ref["RMSEA"]["RMSEA"], abs=1e-9)


def test_heywood_case_reaches_psychs_optimum():
    """psych 2.2.9: fa(read.csv("tests/reference/data/ordinal.csv"), 2, fm = "ml", rotate = "oblimin")
    puts o1's uniqueness at the 0.005 bound. The ML criterion has several local optima here; a
    tighter optimiser ends elsewhere (h2 of o1 0.56), R's settings end where psych does."""
    result = efa(data("ordinal"), 2, method="ml")
    assert result.factors == ["ML2", "ML1"]
    np.testing.assert_allclose(
        result.loadings.to_numpy(),
        [[0.002570455979, 0.99549908004], [0.714788129948, 0.03939770017], [0.654487230162, 0.02638857647],
         [0.652841808617, 0.00681173847], [0.620603223573, -0.06528720953], [0.558131085544, -0.03261085495]],
        atol=1e-5,
    )
    np.testing.assert_allclose(
        result.communalities.to_numpy(),
        [0.9950000166, 0.5562197423, 0.4558787534, 0.4331568063, 0.3264707075, 0.2843000204], atol=1e-5,
    )
    assert result.phi.iloc[0, 1] == pytest.approx(0.7767032373, abs=1e-5)
    assert result.fit.chisq == pytest.approx(2.322603227, abs=1e-5)
    assert result.fit.tli == pytest.approx(1.007111288, abs=1e-5)


def test_pairwise_correlations_and_counts_are_psychs(dataset):
    name, x, fx = dataset
    inp = correlation_input(x)
    kmo_fx = fixture(f"kmo_{name}")
    np.testing.assert_allclose(inp.corr, table(kmo_fx["R"]).to_numpy(), atol=1e-12)
    assert inp.n_obs == fx["n_rows"] == 600  # psych's n.obs is the number of rows, also with NaN
    ref_np = table(fx["fits"]["minres_oblimin"]["np.obs"]).to_numpy()
    np.testing.assert_array_equal(inp.np_obs, ref_np)


def test_one_factor_has_no_phi_and_psych_name():
    result = efa(data("bifactor"), 1, rotation="oblimin")
    assert result.factors == ["MR1"] and result.phi is None
    assert (result.loadings["MR1"] > 0).all()
    assert result.fit.df == 54


def test_listwise_uses_complete_rows_only():
    x = data("bifactor_missing")
    result = efa(x, 3, missing="listwise")
    complete = x.dropna()
    assert result.n_obs == len(complete) < len(x)
    assert result.missing == "listwise"
    np.testing.assert_allclose(result.corr.to_numpy(), complete.corr().to_numpy(), atol=1e-12)
    assert any("listwise deletion" in w for w in result.warnings)


def test_efa_from_a_correlation_matrix_needs_n_for_tests():
    ref = fixture("efa_bifactor")["fits"]["minres_oblimin"]
    r = data("bifactor").corr()
    with_n = efa(corr=r, n_factors=3, n_obs=600)
    assert with_n.fit.chisq == pytest.approx(ref["STATISTIC"], abs=1e-3)
    without_n = efa(corr=r, n_factors=3)
    np.testing.assert_allclose(without_n.loadings.to_numpy(), table(ref["loadings"]).to_numpy(), atol=1e-3)
    assert math.isnan(without_n.fit.chisq) and math.isnan(without_n.fit.rmsea)


def test_result_objects_render():
    result = efa(data("bifactor_missing"), 3)
    text = result.summary()
    assert "MR3" in text and "TLI = 0.962" in text and "RMSEA = 0.044 (90% CI 0.030 - 0.058)" in text
    frame = result.to_frame()
    assert list(frame.columns) == ["MR3", "MR1", "MR2", "h2", "u2", "com"]
    d = result.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["loadings"]["i1"]["MR3"] == pytest.approx(0.757338, abs=1e-3)
    assert set(d["fit"]) >= {"chisq", "df", "tli", "rmsea", "rmsea_ci", "bic"}


# ---------------------------------------------------------------------------------------------
# KMO, Bartlett, parallel analysis
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_kmo_and_bartlett_match_psych(name):
    ref = fixture(f"kmo_{name}")
    x = data(name)
    k = kmo(x)
    assert k.overall == pytest.approx(ref["KMO"]["MSA"], abs=1e-6)
    np.testing.assert_allclose(k.items.to_numpy(), list(ref["KMO"]["MSAi"].values()), atol=1e-6)
    assert k.overall == pytest.approx(ref["KMO_raw"]["MSA"], abs=1e-6)
    b = bartlett(x)
    assert b.chisq == pytest.approx(ref["bartlett"]["chisq"], abs=1e-6)
    assert b.df == ref["bartlett"]["df"] == 66
    assert b.p == pytest.approx(ref["bartlett"]["p.value"], abs=1e-6)
    assert b.n_obs == 600


@pytest.mark.parametrize("name", DATASETS)
def test_parallel_analysis_observed_eigenvalues_and_suggestion_match_psych(name):
    ref = fixture(f"parallel_{name}")
    result = parallel_analysis(data(name), n_iter=20, seed=20261123)
    np.testing.assert_allclose(result.observed, ref["fa.values"], atol=1e-6)
    np.testing.assert_allclose(result.components, ref["pc.values"], atol=1e-6)
    # R's random numbers differ: the simulated eigenvalues agree only in distribution (the mean of
    # 20 first eigenvalues has a standard error of about 0.04)
    np.testing.assert_allclose(result.simulated, ref["fa.sim"], atol=0.15)
    assert result.suggested_factors == ref["nfact"] == 3
    assert result.quantile == 0.95 and np.all(result.simulated_quantile >= result.simulated)


def test_parallel_analysis_is_reproducible_with_a_seed():
    x = data("bifactor")
    a = parallel_analysis(x, n_iter=5, seed=3)
    b = parallel_analysis(x, n_iter=5, seed=3)
    np.testing.assert_array_equal(a.simulated, b.simulated)
    assert parallel_analysis(x, n_iter=5, seed=4).simulated[0] != a.simulated[0]


# ---------------------------------------------------------------------------------------------
# factor_analyzer 0.5.1 disagrees with psych; these tests document where and why
# ---------------------------------------------------------------------------------------------


def _factor_analyzer(x, **kw):
    from factor_analyzer import FactorAnalyzer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FactorAnalyzer(**kw).fit(x)


def test_factor_analyzer_oblimin_communalities_disagree_with_psych():
    """factor_analyzer reports h2 as the row sums of squared *pattern* loadings; psych reports
    diag(L Phi L'), the variance the correlated factors explain. They differ by up to 0.1 here.
    Its extraction is fine (unrotated minres loadings agree with psych); its ``phi_`` is not
    reordered with the loadings it sorts, so L phi_ L' does not give psych's h2 either."""
    x = data("bifactor")
    ref = fixture("efa_bifactor")["fits"]
    psych_h2 = np.array(list(ref["minres_oblimin"]["communality"].values()))

    fa = _factor_analyzer(x, n_factors=3, rotation="oblimin", method="minres")
    fa_h2 = fa.get_communalities()
    np.testing.assert_allclose(fa_h2, np.sum(fa.loadings_**2, axis=1), atol=1e-12)
    assert np.abs(fa_h2 - psych_h2).max() > 0.09
    loadings, phi = fa.loadings_, fa.phi_
    assert np.abs(np.diag(loadings @ phi @ loadings.T) - psych_h2).max() > 0.01

    unrotated = _factor_analyzer(x, n_factors=3, rotation=None, method="minres").loadings_
    np.testing.assert_allclose(unrotated, table(ref["minres_none"]["loadings"]).to_numpy(), atol=1e-3)
    # ... and its GPA oblimin is GPArotation's: from the same start it lands where ours does
    from factor_analyzer import Rotator

    np.testing.assert_allclose(Rotator(method="oblimin").fit_transform(unrotated), oblimin(unrotated).loadings, atol=1e-9)

    ours = efa(x, 3)
    np.testing.assert_allclose(ours.communalities.to_numpy(), psych_h2, atol=1e-3)
    pattern_sums = np.sum(ours.loadings.to_numpy() ** 2, axis=1)
    assert np.abs(pattern_sums - ours.communalities.to_numpy()).max() > 0.09


def test_factor_analyzer_kmo_fails_on_missing_data_ours_uses_pairwise():
    from factor_analyzer.factor_analyzer import calculate_bartlett_sphericity, calculate_kmo

    x = data("bifactor_missing")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(np.linalg.LinAlgError):
            calculate_kmo(x)
        chisq, p = calculate_bartlett_sphericity(x)
    assert math.isnan(chisq) and math.isnan(p)
    ref = fixture("kmo_bifactor_missing")
    assert kmo(x).overall == pytest.approx(ref["KMO"]["MSA"], abs=1e-6)
    assert bartlett(x).chisq == pytest.approx(ref["bartlett"]["chisq"], abs=1e-6)


# ---------------------------------------------------------------------------------------------
# Degenerate input: NaN or a partial result with a reason, never an exception
# ---------------------------------------------------------------------------------------------


def _all_nan(result) -> bool:
    return bool(result.loadings.isna().all().all()) and math.isnan(result.fit.chisq)


def test_constant_item_is_left_out_with_a_reason():
    x = data("bifactor")
    x["i3"] = 3
    result = efa(x, 3)
    assert result.reason is None
    assert "i3: left out, constant (no variance)" in result.warnings
    assert result.loadings.loc["i3"].isna().all() and not result.loadings.loc["i1"].isna().any()
    assert result.used == [c for c in x.columns if c != "i3"]
    assert result.fit.df == 11 * 10 / 2 - 33 + 3
    assert math.isnan(kmo(x).items["i3"]) and not math.isnan(kmo(x).overall)


def test_item_without_answers_is_left_out():
    x = data("bifactor")
    x["i4"] = np.nan
    result = efa(x, 2)
    assert "i4: left out, no answers" in result.warnings
    assert result.loadings.loc["i4"].isna().all()


def test_too_few_rows_give_nan_with_reason():
    result = efa(data("bifactor").head(2), 1)
    assert _all_nan(result) and "too few responses (n = 2" in result.reason
    assert "too few responses" in kmo(data("bifactor").head(2)).reason
    assert math.isnan(bartlett(data("bifactor").head(2)).chisq)


def test_one_item_gives_nan_with_reason():
    result = efa(data("bifactor")[["i1"]], 1)
    assert _all_nan(result) and "too few usable items" in result.reason
    assert parallel_analysis(data("bifactor")[["i1"]]).suggested_factors is None


def test_more_factors_than_items_gives_nan_with_reason():
    result = efa(data("bifactor")[["i1", "i2", "i3"]], 3)
    assert _all_nan(result) and "cannot be extracted from 3 usable item(s)" in result.reason


def test_unidentified_model_is_fitted_but_not_tested():
    result = efa(data("bifactor")[["i1", "i2", "i3", "i4"]], 3)  # df = -3, as psych reports
    assert result.reason is None and result.fit.df == -3
    assert math.isnan(result.fit.p) and math.isnan(result.fit.rmsea) and math.isnan(result.fit.bic)
    assert any("-3 degrees of freedom" in w for w in result.warnings)


def test_collinear_items_warn_and_kmo_is_nan():
    x = data("bifactor")
    x["copy"] = x["i1"]
    result = efa(x, 3)
    assert result.reason is None and np.isfinite(result.fit.chisq)
    assert any("singular" in w for w in result.warnings)
    assert any("smoothed" in w for w in result.warnings)
    k = kmo(x)
    assert math.isnan(k.overall) and "singular" in k.reason
    assert math.isnan(bartlett(x).chisq)
    ml = efa(x, 3, method="ml")
    assert _all_nan(ml) and "positive definite" in ml.reason


def test_non_positive_definite_pairwise_matrix_is_smoothed():
    rng = np.random.default_rng(0)
    a = rng.normal(size=60)
    x = pd.DataFrame({"a": a, "b": a + rng.normal(scale=0.1, size=60), "c": rng.normal(size=60),
                      "d": -a + rng.normal(scale=0.1, size=60), "e": rng.normal(size=60)})
    x.loc[:29, "b"] = np.nan
    x.loc[30:, "d"] = np.nan
    x.loc[25:34, ["b", "d"]] = np.column_stack([a[25:35], -a[25:35]])
    result = efa(x, 1)
    assert result.reason is None and np.isfinite(result.fit.chisq)
    assert any("not positive definite" in w for w in result.warnings)
    assert "not positive definite" in kmo(x).reason


def test_items_without_common_respondents_are_dropped():
    x = pd.DataFrame({"a": [1, 2, 3, 4, np.nan, np.nan, np.nan], "b": [np.nan, np.nan, np.nan, np.nan, 1, 2, 3],
                      "c": [1, 3, 2, 4, 2, 3, 1], "d": [2, 3, 3, 4, 1, 2, 1]})
    result = efa(x, 1)
    assert any("cannot be computed" in w for w in result.warnings)
    assert len(result.used) == 3


def test_text_in_items_is_a_user_error():
    from scoring.errors import UserError

    with pytest.raises(UserError, match="not a number"):
        efa(pd.DataFrame({"a": ["1", "x", "3"], "b": [1, 2, 3]}), 1)


# ---------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------

ITEMS = ",".join(f"i{j}" for j in range(1, 13))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_efa_json_contract(capsys):
    code, out, err = run(capsys, "efa", REF / "data" / "bifactor_missing.csv", "--items", ITEMS, "--factors", 3, "--json")
    assert code == 0, err
    d = json.loads(out)
    assert set(d) >= {"loadings", "communalities", "phi", "fit", "kmo", "bartlett", "parallel"}
    ref = fixture("efa_bifactor_missing")["fits"]["minres_oblimin"]
    assert list(d["loadings"]["i1"]) == ref["factors"]
    assert d["loadings"]["i1"]["MR3"] == pytest.approx(ref["loadings"]["MR3"][0], abs=1e-3)
    assert d["communalities"]["i12"] == pytest.approx(ref["communality"]["i12"], abs=1e-3)
    assert d["phi"]["MR3"]["MR1"] == pytest.approx(0.682067, abs=1e-3)
    assert set(d["fit"]) >= {"chisq", "df", "tli", "rmsea", "rmsea_ci", "bic"}
    assert d["fit"]["rmsea_ci"] == pytest.approx([ref["RMSEA"]["lower"], ref["RMSEA"]["upper"]], abs=1e-3)
    assert d["kmo"]["overall"] == pytest.approx(0.889278890264179, abs=1e-6) and len(d["kmo"]["items"]) == 12
    assert d["bartlett"] == {"chisq": pytest.approx(2119.5625346475, abs=1e-6), "df": 66, "p": 0.0, "n_obs": 600, "reason": None}
    assert d["parallel"] is None


def test_cli_efa_varimax_phi_is_null_and_parallel_is_filled(capsys):
    code, out, err = run(capsys, "efa", REF / "data" / "bifactor.csv", "--items", ITEMS, "--factors", 3,
                         "--rotation", "varimax", "--method", "ml", "--parallel", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["phi"] is None and d["method"] == "ml"
    assert d["parallel"]["suggested_factors"] == 3
    assert len(d["parallel"]["observed"]) == len(d["parallel"]["simulated"]) == 12


def test_cli_efa_readable_summary(capsys):
    code, out, _ = run(capsys, "efa", REF / "data" / "bifactor.csv", "--items", "i1,i2,i3", "--items", "i4,i5,i6", "--parallel")
    assert code == 0
    assert "Factor analysis: minres, 1 factor(s)" in out and "Kaiser-Meyer-Olkin" in out and "Parallel analysis suggests" in out


def test_cli_efa_text_in_items_is_a_user_error(capsys, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n2,x,3\n3,3,1\n", encoding="utf-8")
    code, _, err = run(capsys, "efa", path, "--items", "a,b,c")
    assert code == 2 and "row 2: b: text 'x' in a numeric item" in err and "Traceback" not in err


def test_cli_efa_needs_items_or_an_instrument(capsys):
    code, _, err = run(capsys, "efa", REF / "data" / "bifactor.csv")
    assert code == 2 and "--items" in err
    code, _, err = run(capsys, "efa", REF / "data" / "bifactor.csv", "--items", "i1,nope")
    assert code == 2 and "nope: no such column" in err
    code, _, err = run(capsys, "efa", REF / "data" / "bifactor.csv", "--items", ITEMS, "--rotation", "quartimax")
    assert code == 2 and "--rotation must be one of" in err


def _mini_responses(tmp_path) -> Path:
    rng = np.random.default_rng(5)
    f = rng.normal(size=200)
    answers = {}
    for item, sign in (("mi_a1", 1), ("mi_a2", 1), ("mi_a3", -1), ("mi_a4", 1)):
        answers[item] = np.clip(np.round(3 + sign * (0.9 * f + rng.normal(scale=0.8, size=200))), 1, 5).astype(int)
    frame = pd.DataFrame({"response": [f"r{i}" for i in range(200)], **answers})
    frame["mi_v1"] = np.round(rng.uniform(0, 10, size=200), 1)
    frame["mi_v2"] = np.round(rng.uniform(0, 10, size=200), 1)
    frame.loc[3, "mi_a2"] = 9  # "vet ikke": user-missing
    path = tmp_path / "mini.csv"
    frame.to_csv(path, index=False)
    return path


def test_cli_efa_instrument_scale_reverse_keys(capsys, tmp_path, mini_path):
    path = _mini_responses(tmp_path)
    code, out, err = run(capsys, "efa", path, "--instrument", mini_path, "--scale", "mi_a", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["items"] == ["mi_a1", "mi_a2", "mi_a3", "mi_a4"]
    assert all(d["loadings"][i]["MR1"] > 0.5 for i in d["items"])  # mi_a3 reverse-keyed
    frame = pd.read_csv(path)
    frame["mi_a3"] = 6 - frame["mi_a3"]
    frame.loc[3, "mi_a2"] = np.nan
    direct = efa(frame[d["items"]], 1)
    assert d["loadings"]["mi_a3"]["MR1"] == pytest.approx(direct.loadings.loc["mi_a3", "MR1"], abs=1e-9)
    code, _, err = run(capsys, "efa", path, "--instrument", mini_path, "--scale", "nope")
    assert code == 2 and "no scale 'nope'" in err
