"""The JSON contracts of issue 3, command by command, with the numbers R printed.

Every command runs through ``scoring.cli.main`` as a user would. Key sets are those the issue
lists (scripts rely on them); values are compared with the R fixtures in tests/reference
(psych 2.2.9, lavaan 0.6.14, multilevel 2.7): 1e-6 for closed-form statistics, 1e-3 for
iterative fits (EFA, omega, CFA), 1e-4 for the polychoric-based ordinal alpha. Data: the R
data sets of tests/reference/data (generated with known structure, with and without missing
values), sample_data/responses.csv, and a small sample generated here.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.cli import main

REF = Path(__file__).parents[1] / "reference"
SAMPLE = Path(__file__).parents[2] / "sample_data" / "responses.csv"
CLOSED = 1e-6  # closed-form statistics
ITERATIVE = 1e-3  # iterative fits

RELIABILITY_KEYS = {"scale", "n", "n_items", "missing", "alpha", "alpha_ci", "std_alpha", "g6", "lambda2", "average_r",
                    "omega_total", "omega_h", "ordinal_alpha", "items", "warnings"}
RELIABILITY_ITEM_KEYS = {"item", "n", "mean", "sd", "item_rest_r", "alpha_if_dropped", "floor", "ceiling", "missing_share"}
EFA_KEYS = {"loadings", "communalities", "phi", "fit", "kmo", "bartlett", "parallel"}
EFA_FIT_KEYS = {"chisq", "df", "tli", "rmsea", "rmsea_ci", "bic"}
OMEGA_KEYS = {"omega_h", "omega_total", "ecv", "alpha"}
CFA_FIT_KEYS = {"chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci", "srmr"}
INVARIANCE_KEYS = {"model", "chisq", "df", "cfi", "rmsea", "delta_chisq", "delta_df", "p", "delta_cfi"}
AGGREGATE_KEYS = {"scale", "icc1", "icc2", "rwg_j_mean", "rwg_j_median", "awg_mean", "ad_mean", "units"}
UNIT_KEYS = {"unit", "n", "mean", "sd", "ci", "rwg_j", "suppressed"}
ITEMS12 = [f"i{j}" for j in range(1, 13)]
M3 = "g1 =~ i1 + i2 + i3 + i4; g2 =~ i5 + i6 + i7 + i8; g3 =~ i9 + i10 + i11 + i12"


@lru_cache(maxsize=None)
def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def table(obj: dict) -> pd.DataFrame:
    return pd.DataFrame(obj).set_index("row")


def close(ours, theirs, tol):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=0, atol=tol)


def strict_json(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON output")

    return json.loads(text, parse_constant=refuse)


def run_json(capsys, *args) -> dict:
    code = main([str(a) for a in args] + ["--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    return strict_json(out)


@pytest.fixture(scope="module")
def latest_round(tmp_path_factory) -> Path:
    """The latest round of sample_data/responses.csv, as tests/reference/responses.R analysed it."""
    fx = fixture("alpha_responses")
    if hashlib.md5(SAMPLE.read_bytes()).hexdigest() != fx["source_md5"]:
        pytest.fail("sample_data/responses.csv changed since the R fixtures were made: rerun tests/reference/run.sh")
    raw = pd.read_csv(SAMPLE, keep_default_na=False, na_values=[""])
    path = tmp_path_factory.mktemp("latest") / "latest.csv"
    raw[raw["round"] == fx["round"]].to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A small sample from the generator: 400 staff in 12 units, one round."""
    from scoring.samples.generator import generate_sample

    out = tmp_path_factory.mktemp("generated")
    generate_sample(respondents=400, units=12, rounds=1, seed=5).write(out)
    return out / "responses.csv"


# --------------------------------------------------------------------------- reliability


def test_reliability_items_json_is_psychs_alpha(capsys):
    fx = fixture("alpha_bifactor_missing")
    block = fx["pairwise"]
    (entry,) = run_json(capsys, "reliability", REF / "data" / "bifactor_missing.csv", "--items", *ITEMS12)["scales"]
    assert RELIABILITY_KEYS <= set(entry) and all(RELIABILITY_ITEM_KEYS <= set(i) for i in entry["items"])
    assert entry["n"] == fx["n_rows"] and entry["n_items"] == 12 and entry["missing"] == "pairwise"
    total = block["total"]
    close([entry["alpha"], entry["std_alpha"], entry["g6"], entry["average_r"], entry["lambda2"]],
          [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"], block["lambdas_cov_by_hand"]["lambda2"]], CLOSED)
    assert entry["alpha_ci_method"] == "feldt"
    close(entry["alpha_ci"], [block["feldt"]["lower.ci"], block["feldt"]["upper.ci"]], CLOSED)
    stats_, drop, freq = table(block["item.stats"]), table(block["alpha.drop"]), table(block["response.freq"])
    items = pd.DataFrame(entry["items"]).set_index("item").loc[ITEMS12]
    close(items["n"], stats_["n"], 0)
    for ours, theirs in [("mean", "mean"), ("sd", "sd"), ("item_rest_r", "r.drop")]:
        close(items[ours], stats_[theirs], CLOSED)
    close(items["alpha_if_dropped"], drop["raw_alpha"], CLOSED)
    close(items["missing_share"], freq["miss"], CLOSED)
    close(items["floor"], freq["1"], CLOSED)  # observed limits 1-5: floor = share answering 1
    close(items["ceiling"], freq["5"], CLOSED)
    omega = fixture("omega_bifactor_missing")["omega"]  # 12 items: 3 group factors, as psych::omega
    close([entry["omega_total"], entry["omega_h"]], [omega["omega.tot"], omega["omega_h"]], ITERATIVE)
    assert entry["ordinal_alpha"] is None
    assert any("observed range 1-5" in w for w in entry["warnings"])


def test_reliability_listwise_is_psych_on_complete_rows(capsys):
    fx = fixture("alpha_bifactor_missing")
    block = fx["listwise"]
    (entry,) = run_json(capsys, "reliability", REF / "data" / "bifactor_missing.csv", "--items", *ITEMS12, "--missing", "listwise")["scales"]
    assert entry["missing"] == "listwise" and entry["n"] == block["n"] == fx["n_complete"]
    total = block["total"]
    close([entry["alpha"], entry["std_alpha"], entry["g6"], entry["average_r"]],
          [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"]], CLOSED)
    close(entry["alpha_ci"], [block["feldt"]["lower.ci"], block["feldt"]["upper.ci"]], CLOSED)
    close([i["item_rest_r"] for i in entry["items"]], table(block["item.stats"])["r.drop"], CLOSED)
    assert any("listwise deletion: 229 of 600 rows" in w for w in entry["warnings"])


def test_reliability_duhachek_and_seeded_bootstrap_intervals(capsys):
    path = REF / "data" / "bifactor.csv"
    total = fixture("alpha_bifactor")["pairwise"]["total"]
    (duh,) = run_json(capsys, "reliability", path, "--items", *ITEMS12, "--ci", "duhachek")["scales"]
    z = stats.norm.ppf(0.975)
    assert duh["alpha_ci_method"] == "duhachek"
    close(duh["alpha_ci"], [total["raw_alpha"] - z * total["ase"], total["raw_alpha"] + z * total["ase"]], CLOSED)
    args = ("reliability", path, "--items", *ITEMS12, "--bootstrap", 1000, "--seed", 11)
    (boot,) = run_json(capsys, *args)["scales"]
    assert boot["alpha_ci_method"] == "bootstrap" and boot["bootstrap"]["n_boot"] == 1000 and boot["bootstrap"]["seed"] == 11
    assert boot["alpha_ci"] == boot["bootstrap"]["ci"] and boot["alpha_ci"][0] < boot["alpha"] < boot["alpha_ci"][1]
    # About as wide as Feldt's interval (n = 600), and the same seed gives the same interval.
    width = boot["alpha_ci"][1] - boot["alpha_ci"][0]
    assert 0.7 < width / (duh["feldt_ci"][1] - duh["feldt_ci"][0]) < 1.4
    assert run_json(capsys, *args)["scales"][0]["alpha_ci"] == boot["alpha_ci"]
    assert run_json(capsys, *args[:-1], 12)["scales"][0]["alpha_ci"] != boot["alpha_ci"]


def test_reliability_ordinal_alpha_is_psychs_alpha_of_the_polychoric_matrix(capsys):
    fx = fixture("ordinal_ordinal")
    (entry,) = run_json(capsys, "reliability", REF / "data" / "ordinal.csv", "--items", *fx["items"], "--ordinal")["scales"]
    assert entry["ordinal_alpha"] == pytest.approx(fx["ordinal_alpha_nobs"]["total"]["raw_alpha"], abs=1e-4)
    assert entry["ordinal_alpha"] > entry["alpha"]


def test_reliability_items_reverse_keying_uses_min_max_or_says_it_used_the_observed_limits(capsys, tmp_path):
    x = pd.read_csv(REF / "data" / "bifactor.csv")
    flipped = tmp_path / "flipped.csv"
    x.assign(i4=6 - x["i4"]).to_csv(flipped, index=False)
    expected = fixture("alpha_bifactor")["pairwise"]["total"]["raw_alpha"]
    (plain,) = run_json(capsys, "reliability", flipped, "--items", *ITEMS12)["scales"]
    assert any("i4 correlate negatively" in w and "probably should be reverse-keyed" in w for w in plain["warnings"])
    (given,) = run_json(capsys, "reliability", flipped, "--items", *ITEMS12, "--reverse", "i4", "--min", 1, "--max", 5)["scales"]
    assert given["alpha"] == pytest.approx(expected, abs=CLOSED) and not any("observed limits" in w for w in given["warnings"])
    (observed,) = run_json(capsys, "reliability", flipped, "--items", *ITEMS12, "--reverse", "i4")["scales"]
    assert observed["alpha"] == pytest.approx(expected, abs=CLOSED)
    assert any("reverse keying used the observed limits 1-5" in w for w in observed["warnings"])
    assert not any("reverse-keyed" in w for w in observed["warnings"])


def test_reliability_instrument_on_the_sample_data_is_psych_per_scale(capsys, latest_round):
    fx = fixture("alpha_responses")["alpha"]
    for instrument in ("samhandlingsklima", "medbestemmelse"):
        scales = run_json(capsys, "reliability", latest_round, "--instrument", instrument)["scales"]
        for entry in scales:
            assert RELIABILITY_KEYS <= set(entry)
            if entry["scale"] not in fx:
                continue
            total = fx[entry["scale"]]["pairwise"]["total"]
            close([entry["alpha"], entry["std_alpha"], entry["g6"], entry["average_r"]],
                  [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"]], CLOSED)
            close([i["alpha_if_dropped"] for i in entry["items"]], table(fx[entry["scale"]]["pairwise"]["alpha.drop"])["raw_alpha"], CLOSED)
            assert entry["items"][0]["floor"] is not None and entry["limits"] == [1, 5]  # the instrument's limits


# --------------------------------------------------------------------------- efa and omega


def test_efa_json_is_psychs_fa_kmo_bartlett_and_parallel(capsys):
    ref = fixture("efa_bifactor")["fits"]["minres_oblimin"]
    d = run_json(capsys, "efa", REF / "data" / "bifactor.csv", "--items", ",".join(ITEMS12), "--factors", 3, "--parallel")
    assert EFA_KEYS <= set(d) and EFA_FIT_KEYS <= set(d["fit"])
    assert {"overall", "items"} <= set(d["kmo"]) and {"chisq", "df", "p"} <= set(d["bartlett"])
    assert "suggested_factors" in d["parallel"]
    loadings = table(ref["loadings"])
    close([[d["loadings"][i][f] for f in ref["factors"]] for i in ITEMS12], loadings[ref["factors"]].to_numpy(), ITERATIVE)
    close([d["communalities"][i] for i in ITEMS12], [ref["communality"][i] for i in ITEMS12], ITERATIVE)
    phi = table(ref["Phi"])
    close([[d["phi"][a][b] for b in ref["factors"]] for a in ref["factors"]], phi.loc[ref["factors"], ref["factors"]].to_numpy(), ITERATIVE)
    fit = d["fit"]
    assert fit["df"] == ref["dof"]
    close([fit["chisq"], fit["tli"], fit["rmsea"], *fit["rmsea_ci"], fit["bic"]],
          [ref["STATISTIC"], ref["TLI"], ref["RMSEA"]["RMSEA"], ref["RMSEA"]["lower"], ref["RMSEA"]["upper"], ref["BIC"]], ITERATIVE)
    kmo = fixture("kmo_bifactor")
    close([d["kmo"]["overall"], *[d["kmo"]["items"][i] for i in ITEMS12]], [kmo["KMO"]["MSA"], *[kmo["KMO"]["MSAi"][i] for i in ITEMS12]], CLOSED)
    close([d["bartlett"]["chisq"], d["bartlett"]["df"]], [kmo["bartlett"]["chisq"], kmo["bartlett"]["df"]], CLOSED)
    assert d["parallel"]["suggested_factors"] == fixture("parallel_bifactor")["nfact"] == 3


def test_omega_json_is_psychs_omega(capsys):
    ref = fixture("omega_bifactor_missing")["omega"]
    d = run_json(capsys, "omega", REF / "data" / "bifactor_missing.csv", "--items", ",".join(ITEMS12), "--factors", 3)
    assert OMEGA_KEYS <= set(d)
    close([d["omega_h"], d["omega_total"], d["ecv"]], [ref["omega_h"], ref["omega.tot"], ref["ECV"]], ITERATIVE)
    assert d["alpha"] == pytest.approx(ref["alpha"], abs=CLOSED)  # closed form on cor(x, use = "pairwise")


# --------------------------------------------------------------------------- cfa


def test_cfa_json_is_lavaans_fit_and_standardized_loadings(capsys):
    ref = fixture("cfa_bifactor")["three_factor"]
    d = run_json(capsys, "cfa", REF / "data" / "bifactor.csv", "--model", M3)
    assert CFA_FIT_KEYS <= set(d["fit"]) and d["reason"] is None
    fit, lavaan = d["fit"], ref["fit"]
    assert fit["df"] == lavaan["df"]
    close([fit[k] for k in ("chisq", "pvalue", "cfi", "tli", "rmsea", "srmr")] + fit["rmsea_ci"],
          [lavaan[k] for k in ("chisq", "pvalue", "cfi", "tli", "rmsea", "srmr", "rmsea.ci.lower", "rmsea.ci.upper")], ITERATIVE)
    std = pd.DataFrame(ref["standardizedSolution"])
    std = std[std["op"] == "=~"].set_index("rhs")["est.std"]
    assert len(d["loadings"]) == 12 and all({"factor", "item", "est", "std"} <= set(row) for row in d["loadings"])
    close([row["std"] for row in d["loadings"]], std.loc[[row["item"] for row in d["loadings"]]], ITERATIVE)


def test_cfa_ordinal_json_is_lavaans_wlsmv(capsys):
    ref = fixture("cfa_ordinal")["wlsmv"]["fit"]
    d = run_json(capsys, "cfa", REF / "data" / "ordinal.csv", "--model", "f =~ o1 + o2 + o3 + o4 + o5 + o6", "--ordinal")
    assert CFA_FIT_KEYS <= set(d["fit"]) and d["estimator"] == "DWLS"
    assert d["fit"]["df"] == ref["df"]
    close([d["fit"][k] for k in ("chisq", "chisq_scaled", "pvalue_scaled", "cfi_scaled", "tli_scaled", "srmr")],
          [ref[k] for k in ("chisq", "chisq.scaled", "pvalue.scaled", "cfi.scaled", "tli.scaled", "srmr")], ITERATIVE)


def test_cfa_invariance_json_is_lavtestlrt_with_delta_cfi(capsys):
    ref = fixture("invariance_twogroup")
    lrt = table(ref["lavTestLRT"])
    d = run_json(capsys, "cfa", REF / "data" / "twogroup.csv", "--model", ref["model"], "--group", "group", "--invariance")
    rows = d["invariance"]
    assert [r["model"] for r in rows] == ["configural", "metric", "scalar"]
    assert all(INVARIANCE_KEYS <= set(r) for r in rows)
    assert all(rows[0][k] is None for k in ("delta_chisq", "delta_df", "p", "delta_cfi"))
    close([r["chisq"] for r in rows], lrt["Chisq"], ITERATIVE)
    assert [r["df"] for r in rows] == list(lrt["Df"])
    for row, lrt_row, delta in zip(rows[1:], ["metr", "scal"], ["metric_vs_configural", "scalar_vs_metric"]):
        assert row["delta_df"] == int(lrt.loc[lrt_row, "Df diff"]) == 4 and isinstance(row["delta_df"], int)
        close([row["delta_chisq"], row["p"], row["delta_cfi"]],
              [lrt.loc[lrt_row, "Chisq diff"], lrt.loc[lrt_row, "Pr(>Chisq)"], ref["deltas"][delta]["delta_cfi"]], ITERATIVE)
    # The configural model's fit and loadings are also where a single model puts them.
    assert CFA_FIT_KEYS <= set(d["fit"]) and d["fit"]["chisq"] == rows[0]["chisq"]
    assert len(d["loadings"]) == 12 and {row["group"] for row in d["loadings"]} == {"a", "b"}


# --------------------------------------------------------------------------- aggregate


def test_aggregate_items_json_is_multilevels_icc_rwgj_and_unit_means(capsys):
    ref = fixture("multilevel_multilevel")
    d = run_json(capsys, "aggregate", REF / "data" / "multilevel.csv", "--items", "m1,m2,m3,m4", "--unit", "unit")
    (entry,) = d["scales"]
    assert AGGREGATE_KEYS <= set(entry) and all(UNIT_KEYS <= set(u) for u in entry["units"])
    close([entry["icc1"], entry["icc2"]], [ref["icc_score"]["ICC1"], ref["icc_score"]["ICC2"]], CLOSED)
    means = table(ref["unit_means"]).set_index("grpid")
    rwgj = table(ref["rwg.j"]["table"]).set_index("grpid")["rwg.j"]
    shown = [u for u in entry["units"] if not u["suppressed"]]
    hidden = [u for u in entry["units"] if u["suppressed"]]
    assert {u["unit"] for u in hidden} >= set(means.index[means["score_n"] < 5])
    assert all(u["mean"] is None and u["sd"] is None and u["ci"] is None and u["n"] is None and u["rwg_j"] is None for u in hidden)
    close([u["mean"] for u in shown], means.loc[[u["unit"] for u in shown], "score_mean"], CLOSED)
    assert [u["n"] for u in shown] == list(means.loc[[u["unit"] for u in shown], "score_n"])
    close([u["rwg_j"] for u in shown], rwgj.loc[[u["unit"] for u in shown]], CLOSED)
    assert entry["rwg_j_median"] == pytest.approx(float(np.median(rwgj.loc[[u["unit"] for u in shown]].dropna())), abs=CLOSED)
    assert any("hidden" in w for w in entry["warnings"])


def test_aggregate_score_gives_one_entry_for_that_column(capsys, tmp_path):
    ref = fixture("multilevel_multilevel")
    x = pd.read_csv(REF / "data" / "multilevel.csv")
    path = tmp_path / "scored.csv"
    x.assign(score=x[["m1", "m2", "m3", "m4"]].mean(axis=1)).to_csv(path, index=False)
    (entry,) = run_json(capsys, "aggregate", path, "--score", "score", "--unit", "unit")["scales"]
    assert entry["scale"] == "score" and entry["items"] == 1
    close([entry["icc1"], entry["icc2"]], [ref["icc_score"]["ICC1"], ref["icc_score"]["ICC2"]], CLOSED)


def test_aggregate_instrument_on_the_sample_data_is_multilevel_per_scale(capsys, latest_round):
    ref = fixture("multilevel_responses")["scales"]
    d = run_json(capsys, "aggregate", latest_round, "--instrument", "samhandlingsklima", "--unit", "unit", "--min-n", 3)
    for entry in d["scales"]:
        assert AGGREGATE_KEYS <= set(entry)
        if entry["scale"] in ref:  # the instrument's score: mean of the items when at least half are answered
            close([entry["icc1"], entry["icc2"]], [ref[entry["scale"]]["icc_score_min50"]["ICC1"], ref[entry["scale"]]["icc_score_min50"]["ICC2"]], CLOSED)
        assert all(u["mean"] is None for u in entry["units"] if u["suppressed"])


# --------------------------------------------------------------------------- a generated sample, every command


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (["reliability", "--instrument", "medbestemmelse", "--bootstrap", 200, "--seed", 1, "--ordinal"], None),
        (["efa", "--instrument", "samhandlingsklima", "--scale", "sk_total", "--factors", 2, "--parallel"], EFA_KEYS),
        (["omega", "--instrument", "samhandlingsklima", "--scale", "sk_total", "--factors", 3], OMEGA_KEYS),
        (["cfa", "--instrument", "medbestemmelse"], {"fit", "loadings"}),
        (["cfa", "--instrument", "medbestemmelse", "--scale", "mb_egen,mb_tillit", "--ordinal"], {"fit", "loadings"}),
        (["cfa", "--instrument", "medbestemmelse", "--scale", "mb_egen,mb_tillit", "--group", "language", "--invariance"], {"fit", "loadings", "invariance"}),
        (["aggregate", "--instrument", "samhandlingsklima", "--unit", "unit"], {"scales"}),
    ],
)
def test_every_command_on_a_generated_sample(capsys, generated, args, keys):
    d = run_json(capsys, args[0], generated, *args[1:])
    if keys is not None:
        assert keys <= set(d)
    if args[0] == "reliability":
        assert len(d["scales"]) == 5
        for entry in d["scales"]:
            assert RELIABILITY_KEYS <= set(entry) and entry["alpha_ci_method"] == "bootstrap"
            assert entry["alpha_ci"][0] < entry["alpha"] < entry["alpha_ci"][1] and entry["ordinal_alpha"] > 0.5
    if args[0] == "aggregate":
        assert all(AGGREGATE_KEYS <= set(s) and len(s["units"]) == 12 for s in d["scales"])
    if args[0] == "cfa":
        assert CFA_FIT_KEYS <= set(d["fit"]) and d["reason"] is None and math.isfinite(d["fit"]["cfi"])


@pytest.mark.parametrize(
    "args",
    [
        ["reliability", "--instrument", "samhandlingsklima", "--scale", "sk_info"],
        ["efa", "--instrument", "samhandlingsklima", "--scale", "sk_total", "--factors", 2],
        ["omega", "--instrument", "samhandlingsklima", "--scale", "sk_total"],
        ["cfa", "--instrument", "samhandlingsklima", "--scale", "sk_info,sk_koord"],
        ["aggregate", "--instrument", "samhandlingsklima", "--unit", "unit"],
    ],
)
def test_every_command_prints_a_readable_report_without_json(capsys, generated, args):
    code = main([str(a) for a in [args[0], generated, *args[1:]]])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() and not out.lstrip().startswith("{")


# --------------------------------------------------------------------------- result objects


def test_every_result_prints_a_summary_and_gives_a_tidy_frame_and_json():
    """print(result) is the psych-like report; to_frame() a DataFrame; to_json() strict JSON of to_dict()."""
    from scoring.reporting.aggregation import aggregate_scale
    from scoring.stats.cfa.estimate import cfa, measurement_invariance
    from scoring.stats.efa.factors import bartlett, efa, kmo, parallel_analysis
    from scoring.stats.multilevel import icc
    from scoring.stats.polychoric import polychoric
    from scoring.stats.reliability.alpha import alpha, split_half
    from scoring.stats.reliability.omega import omega

    bifactor = pd.read_csv(REF / "data" / "bifactor_missing.csv")
    multilevel = pd.read_csv(REF / "data" / "multilevel.csv")
    twogroup = pd.read_csv(REF / "data" / "twogroup.csv")
    score = multilevel[["m1", "m2", "m3", "m4"]].mean(axis=1).to_numpy()
    reliability = alpha(bifactor, n_boot=100, seed=1)
    results = {
        "alpha": (reliability, "raw_alpha"),
        "split half": (split_half(bifactor), "lambda 4"),
        "bootstrap": (reliability.bootstrap, "percentile CI"),
        "omega": (omega(bifactor, 3), "Omega Hierarchical"),
        "efa": (efa(bifactor, 3), "Standardized loadings"),
        "kmo": (kmo(bifactor), "Kaiser-Meyer-Olkin"),
        "bartlett": (bartlett(bifactor), "Bartlett"),
        "parallel": (parallel_analysis(bifactor, n_iter=5, seed=1), "Parallel analysis"),
        "polychoric": (polychoric(pd.read_csv(REF / "data" / "ordinal.csv")), "Polychoric"),
        "cfa": (cfa(bifactor, M3), "Model fit"),
        "invariance": (measurement_invariance(twogroup, fixture("invariance_twogroup")["model"], "group"), "Measurement invariance"),
        "icc": (icc(score, multilevel["unit"]), "ICC(1)"),
        "aggregation": (aggregate_scale(score, multilevel["unit"], items=multilevel[["m1", "m2", "m3", "m4"]].to_numpy()), "rwg(j)"),
    }
    for name, (result, phrase) in results.items():
        text = str(result)
        assert text == result.summary() and phrase.lower() in text.lower(), name
        frame = result.to_frame()
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name
        assert strict_json(result.to_json()) == strict_json(json.dumps(result.to_dict(), allow_nan=False)), name
