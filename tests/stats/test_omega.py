"""Omega (Schmid-Leiman) agrees with R's psych::omega (fixtures in tests/reference/).

omega_h, omega_total, ECV and the Schmid-Leiman loadings at 1e-3 (iterative fits); alpha and
G6, closed-form given R, at 1e-6.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main
from scoring.stats.reliability.omega import omega

REF = Path(__file__).parents[1] / "reference"
DATASETS = ("bifactor", "bifactor_missing")


def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def table(obj: dict) -> pd.DataFrame:
    return pd.DataFrame(obj).set_index("row")


def data(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / "data" / f"{name}.csv")


def assert_matches_psych(result, ref: dict, *, fit_tol: float = 1e-3) -> None:
    assert result.reason is None
    assert result.omega_h == pytest.approx(ref["omega_h"], abs=1e-3)
    assert result.omega_total == pytest.approx(ref["omega.tot"], abs=1e-3)
    assert result.omega_limit == pytest.approx(ref["omega.lim"], abs=1e-3)
    assert result.ecv == pytest.approx(ref["ECV"], abs=1e-3)
    sl = table(ref["schmid"]["sl"])
    assert list(result.loadings.columns) == list(sl.columns)
    np.testing.assert_allclose(result.loadings.to_numpy(), sl.to_numpy(), atol=1e-3)
    if result.n_factors > 1:
        np.testing.assert_allclose(result.phi.to_numpy(), table(ref["schmid"]["phi"]).to_numpy(), atol=1e-3)
        np.testing.assert_allclose(result.oblique.to_numpy(), table(ref["schmid"]["oblique"]).to_numpy(), atol=1e-3)
    np.testing.assert_allclose(result.omega_group.to_numpy(), table(ref["omega.group"]).to_numpy(), atol=1e-3)
    np.testing.assert_allclose(result.key.to_numpy(), list(ref["key"].values()))
    schmid = ref["schmid"]
    assert result.fit.df == schmid["dof"]
    assert result.fit.chisq == pytest.approx(schmid["STATISTIC"], abs=fit_tol)
    assert result.fit.rmsea == pytest.approx(schmid["RMSEA"]["RMSEA"], abs=1e-3)
    assert result.fit.bic == pytest.approx(schmid["BIC"], abs=fit_tol)
    assert result.fit.rms == pytest.approx(schmid["rms"], abs=1e-5)
    gstats = ref["gstats"]
    assert result.general_fit.df == gstats["dof"]
    assert result.general_fit.chisq == pytest.approx(gstats["STATISTIC"], rel=1e-5, abs=fit_tol)
    assert result.general_fit.rmsea == pytest.approx(gstats["RMSEA"]["RMSEA"], abs=1e-3)


@pytest.mark.parametrize("name", DATASETS)
def test_omega_matches_psych(name):
    ref = fixture(f"omega_{name}")["omega"]
    result = omega(data(name), n_factors=3)
    assert_matches_psych(result, ref)
    # closed-form given R
    assert result.alpha == pytest.approx(ref["alpha"], abs=1e-6)
    assert result.g6 == pytest.approx(ref["G6"], abs=1e-6)
    np.testing.assert_allclose(result.g_loadings.to_numpy(), table(ref["schmid"]["gloading"]).to_numpy()[:, 0], atol=1e-3)
    assert result.n_obs == 600 and result.missing == "pairwise" and result.correlation == "pearson"
    assert result.warnings == []


def test_without_the_fit_interval_only_the_rmsea_interval_is_left_out():
    """alpha's omega (only the two omegas shown) skips the RMSEA interval's root finding; every
    other figure, fit and warning is the same as omega's in full."""
    x = data("bifactor_missing")
    full, short = omega(x, n_factors=3), omega(x, n_factors=3, fit_interval=False)
    assert all(math.isfinite(v) for v in full.fit.rmsea_ci)
    for fit_full, fit_short in ((full.fit, short.fit), (full.general_fit, short.general_fit)):
        assert all(math.isnan(v) for v in fit_short.rmsea_ci)
        assert {k: v for k, v in fit_full.to_dict().items() if k != "rmsea_ci"} == {k: v for k, v in fit_short.to_dict().items() if k != "rmsea_ci"}
    assert (short.omega_h, short.omega_total, short.warnings) == (full.omega_h, full.omega_total, full.warnings)
    np.testing.assert_array_equal(short.loadings.to_numpy(), full.loadings.to_numpy())


def test_reliability_call_reads_omega_total_and_omega_h():
    ref = fixture("omega_bifactor_missing")["omega"]
    result = omega(data("bifactor_missing"), n_factors=3)
    assert result.omega_total == pytest.approx(0.878014364100581, abs=1e-3) == ref["omega.tot"]
    assert result.omega_h == pytest.approx(0.733161562422167, abs=1e-3)


@pytest.mark.parametrize("name, n_factors", [("bifactor", 3), ("ordinal", 1)])
def test_omega_on_psychs_polychoric_matrix_matches_psych(name, n_factors):
    fx = fixture(f"ordinal_{name}")
    ref = fx["ordinal_omega"]
    rho = table(fx["polychoric"]["rho"])
    result = omega(corr=rho, n_factors=n_factors, n_obs=fx["n_rows"])
    assert_matches_psych(result, ref)
    assert result.alpha == pytest.approx(ref["alpha"], abs=1e-6)
    assert result.correlation == "matrix"


@pytest.mark.parametrize("name, n_factors", [("bifactor", 3), ("ordinal", 1)])
def test_ordinal_omega_with_our_polychoric_matches_psych(name, n_factors):
    """scoring.stats.polychoric agrees with psych's polychoric to ~1e-4, so the chi-square of the
    fitted model differs by up to ~0.03; the coefficients still agree at 1e-3."""
    fx = fixture(f"ordinal_{name}")
    ref = fx["ordinal_omega"]
    result = omega(data(name), n_factors=n_factors, ordinal=True)
    assert_matches_psych(result, ref, fit_tol=0.05)
    assert result.alpha == pytest.approx(ref["alpha"], abs=1e-3)
    assert result.correlation == "polychoric" and result.n_obs == fx["n_rows"]


def test_one_factor_omega_warns_that_omega_h_is_not_meaningful():
    fx = fixture("ordinal_ordinal")
    result = omega(corr=table(fx["polychoric"]["rho"]), n_factors=1, n_obs=500)
    assert result.ecv == 1.0 and result.phi is None
    assert any("not meaningful with one factor" in w for w in result.warnings)
    assert any("not meaningful with one factor" in w for w in fx["ordinal_omega"]["warnings"])


def test_two_factors_use_psychs_equal_loadings_option_with_a_warning():
    result = omega(data("bifactor"), n_factors=2)
    phi12 = result.phi.iloc[0, 1]
    np.testing.assert_allclose(result.g_loadings.to_numpy(), [math.sqrt(phi12), math.sqrt(phi12)])
    assert any("three factors are needed" in w for w in result.warnings)


def test_reversed_item_is_flipped_as_psych_does():
    x = data("bifactor")
    base = omega(x, 3)
    x["i1"] = 6 - x["i1"]
    flipped = omega(x, 3)
    assert flipped.key["i1"] == -1 and (flipped.key.drop("i1") == 1).all()
    assert flipped.omega_h == pytest.approx(base.omega_h, abs=1e-9)
    assert flipped.omega_total == pytest.approx(base.omega_total, abs=1e-9)
    assert flipped.loadings.loc["i1", "g"] > 0
    assert any("reversed" in w and "i1" in w for w in flipped.warnings)


def test_omega_promax_and_ml_run():
    x = data("bifactor")
    pro = omega(x, 3, rotation="promax")
    ml = omega(x, 3, method="ml")
    base = omega(x, 3)
    assert abs(pro.omega_total - base.omega_total) < 1e-12  # omega_total uses only h2
    assert abs(ml.omega_h - base.omega_h) < 0.02
    with pytest.raises(ValueError, match="rotation"):
        omega(x, 3, rotation="varimax")


def test_omega_result_renders():
    result = omega(data("bifactor_missing"), 3)
    text = result.summary()
    assert "Omega Hierarchical:    0.73" in text and "Omega Total            0.88" in text and "F3*" in text
    frame = result.to_frame()
    assert list(frame.columns) == ["g", "F1*", "F2*", "F3*", "h2", "u2", "p2"]
    d = result.to_dict()
    json.dumps(d, allow_nan=False)
    assert set(d) >= {"omega_h", "omega_total", "ecv", "alpha", "loadings", "warnings"}


# Degenerate input ---------------------------------------------------------------------------


def test_constant_item_is_left_out_with_a_reason():
    x = data("bifactor")
    x["i2"] = 4
    result = omega(x, 3)
    assert result.reason is None and 0 < result.omega_total < 1
    assert "i2: left out, constant (no variance)" in result.warnings
    assert result.loadings.loc["i2"].isna().all()


def test_too_few_rows_items_or_too_many_factors_give_nan_with_reason():
    x = data("bifactor")
    for result, reason in (
        (omega(x.head(2), 3), "too few responses"),
        (omega(x[["i1"]], 1), "too few usable items"),
        (omega(x[["i1", "i2", "i3"]], 3), "cannot be extracted from 3 usable item(s)"),
        (omega(x.iloc[:, :4] * 0 + 1, 1), "too few usable items"),
    ):
        assert math.isnan(result.omega_h) and math.isnan(result.omega_total) and math.isnan(result.alpha)
        assert reason in result.reason
        json.dumps(result.to_dict(), allow_nan=False)


def test_collinear_items_still_give_omega_with_a_warning():
    x = data("bifactor")
    x["copy"] = x["i5"]
    result = omega(x, 3)
    assert result.reason is None and 0 < result.omega_h < result.omega_total < 1
    assert any("singular" in w for w in result.warnings)


# CLI ----------------------------------------------------------------------------------------

ITEMS = ",".join(f"i{j}" for j in range(1, 13))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_omega_json_contract(capsys):
    code, out, err = run(capsys, "omega", REF / "data" / "bifactor_missing.csv", "--items", ITEMS, "--factors", 3, "--json")
    assert code == 0, err
    d = json.loads(out)
    ref = fixture("omega_bifactor_missing")["omega"]
    assert d["omega_h"] == pytest.approx(ref["omega_h"], abs=1e-3)
    assert d["omega_total"] == pytest.approx(ref["omega.tot"], abs=1e-3)
    assert d["ecv"] == pytest.approx(ref["ECV"], abs=1e-3)
    assert d["alpha"] == pytest.approx(ref["alpha"], abs=1e-6)
    assert d["loadings"]["i12"]["g"] == pytest.approx(table(ref["schmid"]["sl"]).loc["i12", "g"], abs=1e-3)


def test_cli_omega_ordinal_and_summary(capsys):
    code, out, err = run(capsys, "omega", REF / "data" / "ordinal.csv", "--items", "o1,o2,o3,o4,o5,o6", "--factors", 1, "--ordinal", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["correlation"] == "polychoric"
    assert d["omega_total"] == pytest.approx(fixture("ordinal_ordinal")["ordinal_omega"]["omega.tot"], abs=1e-3)
    code, out, _ = run(capsys, "omega", REF / "data" / "bifactor.csv", "--items", ITEMS)
    assert code == 0 and "Omega Hierarchical" in out


def test_cli_omega_user_errors(capsys, tmp_path):
    code, _, err = run(capsys, "omega", REF / "data" / "bifactor.csv", "--items", ITEMS, "--rotation", "varimax")
    assert code == 2 and "--rotation must be one of oblimin, promax" in err
    path = tmp_path / "x.csv"
    path.write_text("a,b,c,d\n1,2,3,1\n2,2.5x,3,1\n", encoding="utf-8")
    code, _, err = run(capsys, "omega", path, "--items", "a,b,c,d")
    assert code == 2 and "text '2.5x' in a numeric item" in err
