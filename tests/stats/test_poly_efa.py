"""EFA and parallel analysis on polychoric correlations, and the polychoric matrix command.

Reference: tests/reference/fixtures/poly_efa_{ordinal,bifactor}.json (poly_efa.R): psych 2.2.9
``polychoric(x)``, ``lavaan::lavCor(x, ordered = colnames(x))``, ``fa(x, nfactors, cor = "poly")``
(minres, oblimin) and ``fa.parallel(x, fa = "fa", cor = "poly")``. Tolerances (see
docs/psychometrics.md): psych's polychoric stops its optimiser at ~1e-4, so rho agrees to 1e-4
with psych and to 1e-6 with lavaan's (an exact maximiser, as ours); loadings and eigenvalues to
1e-3; chi-square-based fit to a relative 1e-3. The simulated eigenvalues of parallel analysis
depend on R's random numbers and are not compared; the suggested number of factors is.
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.stats.efa.factors import correlation_input, efa_of, parallel_of
from tests.stats.test_units import REF, fixture

CASES = {"ordinal": 1, "bifactor": 3}


def tab(block: dict) -> pd.DataFrame:
    return pd.DataFrame(block).set_index("row")


@cache
def prepared(dataset: str):
    """The polychoric input, once per data set (it is the slow step)."""
    return correlation_input(pd.read_csv(REF / "data" / f"{dataset}.csv"), cor="poly")


@pytest.mark.parametrize("dataset", list(CASES))
def test_polychoric_matrix_is_psychs_and_lavaans(dataset):
    fx = fixture(f"poly_efa_{dataset}")
    inp = prepared(dataset)
    assert inp.correlation == "polychoric" and inp.used == fx["items"] and inp.n_obs == fx["n_rows"]
    np.testing.assert_allclose(inp.corr, tab(fx["polychoric"]["rho"]).loc[inp.used, inp.used], atol=1e-4)
    np.testing.assert_allclose(inp.corr, tab(fx["lavCor"]["rho"]).loc[inp.used, inp.used], atol=1e-6)


@pytest.mark.parametrize("dataset", list(CASES))
def test_efa_on_polychoric_correlations_is_psychs_fa_cor_poly(dataset):
    fx = fixture(f"poly_efa_{dataset}")["fa_poly"]
    result = efa_of(prepared(dataset), CASES[dataset])
    assert result.factors == fx["factors"] and result.to_dict()["correlation"] == "polychoric"
    np.testing.assert_allclose(result.loadings[fx["factors"]], tab(fx["loadings"]), atol=1e-3)
    np.testing.assert_allclose(result.communalities.to_numpy(), list(fx["communality"].values()), atol=1e-3)
    np.testing.assert_allclose(result.eigenvalues, fx["values"], atol=1e-3)
    if fx["Phi"] is not None:
        np.testing.assert_allclose(result.phi.loc[fx["factors"], fx["factors"]], tab(fx["Phi"]), atol=1e-3)
    fit = result.fit
    assert fit.df == fx["dof"]
    assert fit.chisq == pytest.approx(fx["STATISTIC"], rel=1e-3)
    assert fit.tli == pytest.approx(fx["TLI"], abs=1e-3) and fit.rmsea == pytest.approx(fx["RMSEA"]["RMSEA"], abs=1e-3)
    assert fit.bic == pytest.approx(fx["BIC"], abs=0.05) and fit.rms == pytest.approx(fx["rms"], abs=1e-4)


@pytest.mark.parametrize("dataset", list(CASES))
def test_parallel_analysis_on_polychoric_correlations(dataset):
    fx = fixture(f"poly_efa_{dataset}")["parallel"]
    result = parallel_of(prepared(dataset), n_iter=5, seed=1)  # few data sets: the simulated side is not R's anyway
    np.testing.assert_allclose(result.observed, fx["fa.values"], atol=1e-3)
    np.testing.assert_allclose(fx["fa.values"], fx["check_fa_values"], atol=1e-12)  # what psych calls fa.values
    assert result.suggested_factors == fx["nfact"] == CASES[dataset]
    assert result.to_dict()["correlation"] == "polychoric"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_polychoric_and_efa_cor_poly(capsys):
    fx = fixture("poly_efa_ordinal")
    data = REF / "data" / "ordinal.csv"
    code, out, err = run(capsys, "polychoric", data, "--items", *fx["items"], "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["items"] == fx["items"] and d["n"] == 500 and d["n_pairs"][0][1] == 500
    np.testing.assert_allclose(np.array(d["rho"]), tab(fx["lavCor"]["rho"]).loc[fx["items"], fx["items"]], atol=1e-6)
    np.testing.assert_allclose(np.array(d["tau"]), tab(fx["polychoric"]["tau"]), atol=1e-6)
    code, out, err = run(capsys, "polychoric", data, "--items", *fx["items"][:3])
    assert code == 0 and "Polychoric correlations" in out and "Thresholds" in out
    code, out, err = run(capsys, "efa", data, "--items", *fx["items"], "--cor", "poly", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["correlation"] == "polychoric" and d["kmo"]["overall"] > 0.5
    ours = [d["loadings"][i]["MR1"] for i in fx["items"]]
    np.testing.assert_allclose(ours, tab(fx["fa_poly"]["loadings"])["MR1"], atol=1e-3)


def test_cli_polychoric_user_errors(capsys, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2.5,3\n2,2,1\n3,3,1\n1,2,2\n", encoding="utf-8")
    for args in (["polychoric", path, "--items", "a", "b", "c"], ["efa", path, "--items", "a,b,c", "--cor", "poly"]):
        code, _, err = run(capsys, *args)
        assert code == 2 and "whole-number category codes" in err and "Traceback" not in err, err
    code, _, err = run(capsys, "efa", path, "--items", "a,b,c", "--cor", "spearman")
    assert code == 2 and "--cor must be one of pearson, poly" in err


def test_polychoric_efa_on_degenerate_input_says_why_and_names_items():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.integers(1, 6, size=(40, 4)).astype(float), columns=list("abcd"))
    first, second = np.arange(40) < 20, np.arange(40) >= 20
    assert "too few responses" in efa_of(correlation_input(x.head(2), cor="poly"), 1).reason
    constant = efa_of(correlation_input(x.assign(b=3.0), cor="poly"), 1)
    assert constant.reason is None and "b: left out, constant (no variance)" in constant.warnings
    disjoint = correlation_input(x.assign(a=x.a.where(first), b=x.b.where(second)), cor="poly")
    assert "a-b" in disjoint.warnings[0] and len(disjoint.used) == 3
    with pytest.raises(ValueError, match="whole-number"):
        correlation_input(x + 0.5 * (x.index.to_numpy()[:, None] % 2), cor="poly")
