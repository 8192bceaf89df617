"""Reliability (scoring.stats.reliability.alpha) agrees with R's psych, and the CLI keeps its JSON contract.

Fixtures: tests/reference/fixtures/alpha_*.json and ordinal_*.json (psych 2.2.9; layout in
tests/reference/README.md). Closed-form statistics agree to 1e-6 (in practice ~1e-14).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.cli import main
from scoring.stats import bootstrap as bootstrap_module
from scoring.stats.bootstrap import distinct_rows, resample_counts, weighted_covariances
from scoring.stats.reliability.alpha import (
    alpha,
    alpha_ase,
    alpha_bootstrap,
    alpha_bootstrap_scales,
    alpha_ci_duhachek,
    alpha_ci_feldt,
    alpha_from_covariance,
    alpha_scales,
    item_statistics,
    pairwise_covariance,
    split_half,
)

REF = Path(__file__).parents[1] / "reference"
REPO = Path(__file__).parents[2]
TOL = 1e-6


def fixture(name: str) -> dict:
    return json.loads((REF / "fixtures" / f"{name}.json").read_text(encoding="utf-8"))


def table(obj: dict) -> pd.DataFrame:
    return pd.DataFrame(obj).set_index("row")


def data(name: str, items: list[str] | None = None) -> pd.DataFrame:
    frame = pd.read_csv(REF / "data" / f"{name}.csv")
    return frame[items] if items else frame


def assert_close(ours, theirs, tol=TOL):
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=0, atol=tol)


def assert_matches_alpha_block(result, block, *, n_for_ci=None, compare_missing_share=True):
    """Every closed-form number of a psych::alpha block."""
    total = block["total"]
    assert_close(
        [result.alpha, result.std_alpha, result.g6, result.average_r, result.s_n, result.ase,
         result.mean, result.sd, result.median_r, result.var_r],
        [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"], total["S/N"], total["ase"],
         total["mean"], total["sd"], total["median_r"], block["var.r"]],
    )
    assert_close(result.feldt_ci, [block["feldt"]["lower.ci"], block["feldt"]["upper.ci"]])
    z = stats.norm.ppf(0.975)  # psych prints alpha +- 1.96 ase; we use the exact quantile
    assert_close(result.duhachek_ci, [total["raw_alpha"] - z * total["ase"], total["raw_alpha"] + z * total["ase"]])
    assert_close(result.duhachek_ci, [block["duhachek"]["lower"], block["duhachek"]["upper"]], tol=1e-5)

    items = result.items.set_index("item")
    item_stats = table(block["item.stats"])
    drop = table(block["alpha.drop"])
    used = list(item_stats.index)
    items = items.loc[used]
    assert_close(items["n"], item_stats["n"], tol=0)
    for ours, theirs in [("mean", "mean"), ("sd", "sd"), ("raw_r", "raw.r"), ("std_r", "std.r"),
                         ("r_cor", "r.cor"), ("item_rest_r", "r.drop")]:
        assert_close(items[ours], item_stats[theirs])
    for ours, theirs in [("alpha_if_dropped", "raw_alpha"), ("std_alpha_if_dropped", "std.alpha"),
                         ("g6_if_dropped", "G6(smc)"), ("average_r_if_dropped", "average_r"),
                         ("ase_if_dropped", "alpha se")]:
        assert_close(items[ours], drop[theirs])
    freq = table(block["response.freq"])
    codes = [c for c in freq.columns if c != "miss"]
    assert_close(result.frequencies.loc[used, codes], freq[codes])
    if compare_missing_share:
        assert_close(result.frequencies.loc[used, "miss"], freq["miss"])
        assert_close(items["missing_share"], freq["miss"])


# --------------------------------------------------------------------------- agreement with psych


@pytest.mark.parametrize("dataset", ["bifactor", "bifactor_missing", "twogroup", "ordinal"])
def test_pairwise_alpha_and_item_statistics_agree_with_psych(dataset):
    fx = fixture(f"alpha_{dataset}")
    result = alpha(data(dataset, fx["items"]))
    assert result.n == fx["n_rows"] and result.missing == "pairwise"
    assert_matches_alpha_block(result, fx["pairwise"])


@pytest.mark.parametrize("dataset", ["bifactor", "bifactor_missing", "twogroup", "multilevel"])
def test_listwise_alpha_agrees_with_psych_on_complete_rows(dataset):
    fx = fixture(f"alpha_{dataset}")
    result = alpha(data(dataset, fx["items"]), missing="listwise")
    assert result.n == fx["listwise"]["n"] == fx["n_complete"]
    # psych's listwise run is alpha(na.omit(x)): its "miss" is 0; ours is the share of the rows given.
    assert_matches_alpha_block(result, fx["listwise"], compare_missing_share=False)


def test_rows_without_any_answer_are_left_out_unlike_psych():
    """Deliberate difference: psych counts the all-missing row in n (Feldt, ASE); we do not."""
    fx = fixture("alpha_multilevel")
    x = data("multilevel", fx["items"])
    result = alpha(x)
    assert fx["n_rows"] == 934 and result.n == 933 and result.n_rows == 934
    assert any("1 row(s) without any answer" in w for w in result.warnings)
    total = fx["pairwise"]["total"]
    assert_close([result.alpha, result.std_alpha, result.g6, result.mean, result.sd],
                 [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["mean"], total["sd"]])
    # With psych's n the interval and ASE are psych's.
    assert_close(alpha_ci_feldt(result.alpha, 934, 4), [fx["pairwise"]["feldt"]["lower.ci"], fx["pairwise"]["feldt"]["upper.ci"]])
    assert_close(alpha_ase(result.covariance.to_numpy(), 934), total["ase"])
    assert result.ase > total["ase"]


@pytest.mark.parametrize("dataset", ["bifactor", "bifactor_missing"])
def test_feldt_duhachek_and_lambda2_by_hand(dataset):
    fx = fixture(f"alpha_{dataset}")["pairwise"]
    result = alpha(data(dataset, fixture(f"alpha_{dataset}")["items"]))
    feldt = fx["feldt_by_hand"]
    assert_close(alpha_ci_feldt(result.alpha, feldt["n"], feldt["k"]), [feldt["lower"], feldt["upper"]])
    cov = result.covariance.to_numpy()
    duh = fx["duhachek_by_hand"]
    assert_close(alpha_ase(cov, duh["n"]), duh["ase"])
    z = stats.norm.ppf(0.975)
    assert_close(alpha_ci_duhachek(cov, duh["n"]), [result.alpha - z * duh["ase"], result.alpha + z * duh["ase"]])
    assert_close(alpha_ci_duhachek(cov, duh["n"], level=0.90), [result.alpha - stats.norm.ppf(0.95) * duh["ase"], result.alpha + stats.norm.ppf(0.95) * duh["ase"]])
    assert_close(alpha_from_covariance(cov)["q"], duh["Q"])
    lam = fx["lambdas_cov_by_hand"]
    assert_close([result.lambda2, result.alpha], [lam["lambda2"], lam["lambda3_alpha"]])
    assert result.lambda2 >= result.alpha


def test_pairwise_covariance_is_r_cov_use_pairwise():
    x = data("bifactor_missing")
    cov, n_pair = pairwise_covariance(x.to_numpy())
    assert_close(cov, x.cov().to_numpy(), tol=1e-12)  # pandas: pairwise-complete, n - 1
    assert n_pair[0, 0] == x["i1"].notna().sum() and n_pair[0, 1] == (x["i1"].notna() & x["i2"].notna()).sum()


@pytest.mark.parametrize("dataset", ["bifactor", "bifactor_missing", "twogroup", "ordinal", "multilevel"])
@pytest.mark.parametrize("variant", ["splitHalf", "splitHalf_covar", "splitHalf_listwise"])
def test_split_half_agrees_with_psych(dataset, variant):
    fx = fixture(f"alpha_{dataset}")
    kwargs = {"splitHalf": {}, "splitHalf_covar": {"covariances": True}, "splitHalf_listwise": {"missing": "listwise"}}[variant]
    result = split_half(data(dataset, fx["items"]), **kwargs)
    ref = fx[variant]
    assert result.enumerated
    assert_close([result.best, result.worst, result.mean, result.alpha, result.lambda2, result.lambda6, result.average_r, result.median_r],
                 [ref["maxrb"], ref["minrb"], ref["meanr"], ref["alpha"], ref["lambda2"], ref["lambda6"], ref["av.r"], ref["med.r"]])
    assert {frozenset(h) for h in result.best_split} == {frozenset(ref["maxAB"]["A"]), frozenset(ref["maxAB"]["B"])}
    assert {frozenset(h) for h in result.worst_split} == {frozenset(ref["minAB"]["A"]), frozenset(ref["minAB"]["B"])}


def test_split_half_counts_every_split_once_and_samples_beyond_twenty_items():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 1)) + rng.normal(size=(200, 22))
    assert split_half(x[:, :12]).n_splits == math.comb(12, 6) // 2 == 462
    assert split_half(x[:, :7]).n_splits == math.comb(7, 3)
    sampled = split_half(x, seed=3)
    assert not sampled.enumerated and sampled.n_splits == 10_000
    assert split_half(x, seed=3).best == sampled.best
    assert sampled.worst <= sampled.mean <= sampled.best


def test_a_negatively_keyed_item_is_named_and_alpha_is_psychs_check_keys_false():
    fx = fixture("alpha_bifactor")["reversed_i4"]
    x = data("bifactor")
    flipped = x.assign(i4=6 - x["i4"])
    result = alpha(flipped, low=1, high=5)
    assert_matches_alpha_block(result, fx["check_keys_FALSE"])
    assert any("i4" in w and "reverse-keyed" in w for w in result.warnings)
    assert "probably \nshould be reversed" in fx["check_keys_FALSE"]["warnings"][0]
    # Reverse-keying i4 back gives psych's check.keys = TRUE result.
    assert alpha(flipped.assign(i4=6 - flipped["i4"])).alpha == pytest.approx(fx["check_keys_TRUE"]["total"]["raw_alpha"], abs=TOL)


def test_pingouin_listwise_alpha_agrees():
    pingouin = pytest.importorskip("pingouin")
    x = data("bifactor_missing")
    expected, _ci = pingouin.cronbach_alpha(x, nan_policy="listwise")
    assert alpha(x, missing="listwise").alpha == pytest.approx(expected, abs=1e-12)
    assert alpha(x, missing="pairwise").alpha != pytest.approx(expected, abs=1e-3)


# --------------------------------------------------------------------------- ordinal alpha


@pytest.mark.parametrize("dataset", ["ordinal", "bifactor"])
def test_ordinal_alpha_agrees_with_psych(dataset):
    fx = fixture(f"ordinal_{dataset}")
    rho = table(fx["polychoric"]["rho"]).to_numpy()
    # Closed form on psych's own polychoric matrix: 1e-6.
    on_psych_rho = alpha_from_covariance(rho)
    total = fx["ordinal_alpha_nobs"]["total"]
    assert_close([on_psych_rho["alpha"], on_psych_rho["std_alpha"], on_psych_rho["g6"], on_psych_rho["average_r"], on_psych_rho["median_r"]],
                 [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"], total["median_r"]])
    assert_close(alpha_ase(rho, fx["n_rows"]), total["ase"])
    # From the data, through our polychoric estimates: 1e-4 (psych's optimiser stops at ~1e-4).
    result = alpha(data(dataset, fx["items"]), ordinal=True)
    assert result.ordinal_alpha == pytest.approx(total["raw_alpha"], abs=1e-4)
    assert math.isnan(alpha(data(dataset, fx["items"])).ordinal_alpha)


def test_ordinal_alpha_of_a_continuous_scale_is_nan_with_a_reason():
    x = np.random.default_rng(2).normal(size=(100, 4)).round(2)
    result = alpha(x, ordinal=True)
    assert math.isnan(result.ordinal_alpha)
    assert any("ordinal alpha not computed" in w for w in result.warnings)


# --------------------------------------------------------------------------- degenerate input


def test_constant_item_is_left_out_as_psych_does_and_collinear_items_are_named():
    fx = fixture("alpha_constant")
    x = data("constant")
    result = alpha(x, low=1, high=5)
    assert result.items_used == ["c1", "c3", "c4"]
    assert any("c2 has no variance" in w for w in result.warnings)
    assert any("c4 and c1" in w and "singular" in w for w in result.warnings)
    assert "Item = c2 had no variance and was deleted" in fx["alpha_default"]["warnings"][0]
    assert_matches_alpha_block(result, fx["alpha_default"]["result"])
    c2 = result.items.set_index("item").loc["c2"]
    assert (c2["n"], c2["mean"], c2["sd"]) == (5, 3.0, 0.0)
    assert math.isnan(c2["item_rest_r"]) and math.isnan(c2["alpha_if_dropped"])


def test_two_items_give_item_rest_r_but_no_alpha_if_dropped():
    fx = fixture("alpha_constant")["alpha_c1_c3"]["result"]
    result = alpha(data("constant", ["c1", "c3"]))
    total = fx["total"]
    assert_close([result.alpha, result.std_alpha, result.g6, result.ase], [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["ase"]])
    assert_close(result.items["item_rest_r"], table(fx["item.stats"])["r.drop"])
    assert result.items["alpha_if_dropped"].isna().all()  # psych reports C12/C22 here, which is not an alpha


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (pd.DataFrame({"a": [1.0, 2, 3, 4]}), "at least 2 items"),
        (pd.DataFrame({"a": [1.0, 2], "b": [2.0, 1]}), "at least 3 respondents"),
        (pd.DataFrame({"a": [1.0, 2, 3, np.nan, np.nan, np.nan], "b": [np.nan, np.nan, np.nan, 1.0, 2, 3]}), "fewer than 2 common respondents"),
        (pd.DataFrame({"a": [3.0, 3, 3], "b": [2.0, 2, 2]}), "no variance"),
        (pd.DataFrame({"a": [np.nan] * 4, "b": [np.nan] * 4}), "no answers"),
        (pd.DataFrame({"a": [], "b": []}, dtype=float), "no answers"),
    ],
)
def test_degenerate_input_gives_nan_and_a_reason(frame, reason):
    result = alpha(frame)
    assert math.isnan(result.alpha) and math.isnan(result.std_alpha) and math.isnan(result.g6)
    assert any(reason in w for w in result.warnings), result.warnings
    json.dumps(result.to_dict(), allow_nan=False)
    assert result.summary()


def test_all_missing_item_is_left_out_and_the_rest_is_computed():
    x = data("bifactor", ["i1", "i2", "i3"]).assign(i4=np.nan)
    result = alpha(x)
    assert result.items_used == ["i1", "i2", "i3"]
    assert result.alpha == pytest.approx(alpha(x[["i1", "i2", "i3"]]).alpha, abs=1e-15)
    assert any("i4 has no answers" in w for w in result.warnings)
    assert result.items.set_index("item").loc["i4", "missing_share"] == 1.0


def test_non_positive_definite_pairwise_matrix_is_reported():
    # Three items answered in disjoint pairs: each pair perfectly (anti)correlated -> impossible matrix.
    x = pd.DataFrame({
        "a": [1, 2, 3, 1, 2, 3, np.nan, np.nan, np.nan],
        "b": [1, 2, 3, np.nan, np.nan, np.nan, 1, 2, 3],
        "c": [np.nan, np.nan, np.nan, 3, 2, 1, 1, 2, 3],
    }, dtype=float)
    result = alpha(x)
    assert np.isfinite(result.alpha)
    assert any("not positive definite" in w or "singular" in w or "perfectly correlated" in w for w in result.warnings)


def test_bad_arguments_are_value_errors():
    x = data("bifactor", ["i1", "i2"])
    with pytest.raises(ValueError, match="missing"):
        alpha(x, missing="everything")
    with pytest.raises(ValueError, match="low"):
        alpha(x, low=5, high=1)
    with pytest.raises(ValueError, match="n_boot"):
        alpha(x, ci="bootstrap")


# --------------------------------------------------------------------------- item statistics


def test_item_statistics_floor_ceiling_and_missing():
    x = pd.DataFrame({"a": [1, 1, 1, 2, 3, 4, 5, np.nan, 3, 2], "b": [5, 4, 5, 5, 3, 2, 1, 2, 3, np.nan], "c": [2, 3, 2, 3, 4, 3, 2, 3, 3, 4]}, dtype=float)
    stats_ = item_statistics(x, low=1, high=5).set_index("item")
    assert stats_.loc["a", "floor"] == pytest.approx(3 / 9) and stats_.loc["a", "ceiling"] == pytest.approx(1 / 9)
    assert bool(stats_.loc["a", "floor_effect"]) and not bool(stats_.loc["c", "floor_effect"])
    assert stats_.loc["b", "ceiling"] == pytest.approx(3 / 9) and bool(stats_.loc["b", "ceiling_effect"])
    assert stats_.loc["c", "floor"] == 0.0 and stats_.loc["c", "ceiling"] == 0.0
    assert stats_.loc["a", "missing_share"] == pytest.approx(0.1)
    result = alpha(x, low=1, high=5)
    assert list(result.frequencies.columns) == ["1", "2", "3", "4", "5", "miss"]
    assert any("a (floor)" in w and "b (ceiling)" in w for w in result.warnings)
    assert any("observed range" in w for w in alpha(x).warnings)


def test_result_frame_and_dict_are_tidy_and_json_ready():
    result = alpha(data("bifactor_missing"), n_boot=50, seed=1)
    frame = result.to_frame()
    assert list(frame["item"]) == [f"i{j}" for j in range(1, 13)]
    d = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert d["alpha_ci_method"] == "bootstrap" and d["bootstrap"]["n_boot"] == 50
    assert d["items"][0]["frequencies"] == pytest.approx({"1": 0.115942028985507, "2": 0.282608695652174, "3": 0.304347826086957, "4": 0.242753623188406, "5": 0.0543478260869565})
    text = result.summary()
    assert "raw_alpha" in text and "Reliability if an item is dropped" in text and "i12" in text


# --------------------------------------------------------------------------- bootstrap


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    x = data("bifactor_missing")
    a = alpha_bootstrap(x, n_boot=300, seed=11)
    b = alpha_bootstrap(x, n_boot=300, seed=11)
    c = alpha_bootstrap(x, n_boot=300, seed=12)
    np.testing.assert_array_equal(a.alpha, b.alpha)
    assert not np.array_equal(a.alpha, c.alpha)
    estimate = alpha(x).alpha
    assert a.ci[0] < estimate < a.ci[1]
    assert a.std_ci[0] < alpha(x).std_alpha < a.std_ci[1]
    assert a.n_failed == 0
    # The percentile interval is about as wide as Feldt's for n = 600.
    feldt = alpha(x).feldt_ci
    assert 0.5 < (a.ci[1] - a.ci[0]) / (feldt[1] - feldt[0]) < 2


@pytest.mark.parametrize(
    ("dataset", "items", "rows", "patterns"),
    [
        ("bifactor", ["i1", "i2", "i3", "i5", "i6"], 120, False),  # rows barely repeat: rows resampled
        ("bifactor_missing", ["i1", "i2", "i3", "i5", "i6"], 120, False),
        ("bifactor", ["i1", "i2", "i3"], 600, True),  # 125 patterns for 600 rows: patterns resampled
        ("bifactor_missing", ["i1", "i2", "i3"], 600, True),
    ],
)
def test_vectorised_bootstrap_equals_a_loop_over_the_same_resamples(dataset, items, rows, patterns):
    x = data(dataset, items).iloc[:rows]
    boot = alpha_bootstrap(x, n_boot=40, seed=5)
    distinct = distinct_rows(x.to_numpy())
    assert (distinct is not None) == patterns
    values, weights = distinct if distinct is not None else (x.to_numpy(), len(x))
    counts = np.vstack(list(resample_counts(weights, 40, 5)))
    assert (counts.sum(axis=1) == rows).all()
    slow = []
    for row in counts.astype(int):
        resample = pd.DataFrame(np.repeat(values, row, axis=0), columns=items)
        slow.append(alpha(resample).alpha)  # pandas' pairwise cov, one resample at a time
    np.testing.assert_allclose(boot.alpha, slow, rtol=0, atol=1e-12)


def test_weighted_covariances_with_non_integer_answers():
    """The float64 path (answers that are not whole numbers) against pandas, resample by resample."""
    x = data("bifactor_missing", ["i1", "i2", "i3", "i5", "i6"]).iloc[:120]
    noisy = x + np.random.default_rng(1).normal(scale=0.01, size=x.shape)
    assert distinct_rows(noisy.to_numpy()) is None
    counts = np.vstack(list(resample_counts(len(x), 3, 5)))
    covs = weighted_covariances(noisy.to_numpy(), counts)
    for b in range(3):
        expected = noisy.iloc[np.repeat(np.arange(len(x)), counts[b].astype(int))].cov().to_numpy()
        np.testing.assert_allclose(covs[b], expected, rtol=0, atol=1e-12)


def test_resampling_patterns_is_the_same_bootstrap_as_resampling_rows(monkeypatch):
    """Pattern counts are multinomial(n; f/n): the distribution of resampled alphas matches."""
    x = data("bifactor_missing", ["i1", "i2", "i3"])
    assert distinct_rows(x.to_numpy()) is not None
    by_pattern = alpha_bootstrap(x, n_boot=2000, seed=1).alpha
    monkeypatch.setattr(bootstrap_module, "MAX_PATTERN_SHARE", 0.0)  # force the rows path
    assert distinct_rows(x.to_numpy()) is None
    by_row = alpha_bootstrap(x, n_boot=2000, seed=2).alpha
    se = by_row.std()
    assert abs(by_pattern.mean() - by_row.mean()) < 4 * se / math.sqrt(1000)
    assert by_pattern.std() == pytest.approx(se, rel=0.1)


def test_bootstrap_is_one_matrix_product_not_a_loop_over_resamples(monkeypatch):
    """1000 resamples of a small scale: one chunk of counts (one draw call) and one product."""
    calls = []
    original = bootstrap_module._CrossProducts.weighted_sums
    monkeypatch.setattr(bootstrap_module._CrossProducts, "weighted_sums", lambda self, counts: calls.append(counts.shape) or original(self, counts))
    x = data("bifactor_missing", ["i1", "i2", "i3"])
    boot = alpha_bootstrap(x, n_boot=1000, seed=1)
    assert calls == [(1000, len(distinct_rows(x.to_numpy())[1]))]
    assert boot.n_boot == 1000 and boot.n_failed == 0


@pytest.mark.parametrize("weights", [50, np.array([5, 1, 20, 3, 21])])
def test_resample_counts_do_not_depend_on_chunking(weights):
    whole = np.vstack(list(resample_counts(weights, 7, 3)))
    chunked = np.vstack(list(resample_counts(weights, 7, 3, chunk=2)))
    np.testing.assert_array_equal(whole, chunked)
    assert (whole.sum(axis=1) == 50).all() and whole.shape == (7, 50 if np.ndim(weights) == 0 else 5)


def test_rows_drawn_by_groups_are_the_same_bootstrap_whatever_the_threads(monkeypatch):
    """Rows resampled group by group (three groups of at most 50 rows): the vectorised
    covariances equal a loop over the counts resample_counts gives, with one worker or two."""
    monkeypatch.setattr(bootstrap_module, "GROUP_ROWS", 50)
    x = data("bifactor_missing", ["i1", "i2", "i3", "i5", "i6"]).iloc[:120]
    assert distinct_rows(x.to_numpy()) is None
    counts = np.vstack(list(resample_counts(len(x), 30, 4)))
    assert counts.shape == (30, 120) and (counts.sum(axis=1) == 120).all()
    by_worker = {}
    for workers in (1, 2):
        monkeypatch.setattr(bootstrap_module, "WORKERS", workers)
        by_worker[workers] = bootstrap_module.bootstrap_covariances(x.to_numpy(), 30, 4)
    np.testing.assert_array_equal(by_worker[1], by_worker[2])
    for b in (0, 17, 29):
        expected = x.iloc[np.repeat(np.arange(len(x)), counts[b].astype(int))].cov().to_numpy()
        np.testing.assert_allclose(by_worker[2][b], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("group_rows", [8, 6])
def test_counts_drawn_by_groups_are_multinomial(monkeypatch, group_rows):
    """Drawing n rows with replacement: each row's count has mean 1 and variance 1 - 1/n, and two
    rows' counts covary by -1/n, within a group and across groups alike (group totals drawn
    independently, e.g. as Poisson, would make rows in different groups uncorrelated). Groups of
    8 rows draw their rows from the generator's raw bits (a power of two, as the full groups of
    2**14), groups of 6 with Generator.integers."""
    monkeypatch.setattr(bootstrap_module, "GROUP_ROWS", group_rows)
    n = 24
    counts = np.vstack(list(resample_counts(n, 40_000, 11))).astype(float)
    assert (counts.sum(axis=1) == n).all()
    np.testing.assert_allclose(counts.mean(axis=0), 1.0, rtol=0, atol=0.03)  # every row as likely (SE 0.005)
    cov = np.cov(counts, rowvar=False)
    group = np.arange(n) // group_rows
    off = ~np.eye(n, dtype=bool)
    within = cov[off & (group[:, None] == group[None, :])].mean()
    across = cov[group[:, None] != group[None, :]].mean()
    assert counts.mean() == pytest.approx(1.0)
    assert np.diag(cov).mean() == pytest.approx(1 - 1 / n, abs=0.01)
    assert within == pytest.approx(-1 / n, abs=0.002)
    assert across == pytest.approx(-1 / n, abs=0.002)


def _one_draw(rng: np.random.Generator, size: int, count: int) -> np.ndarray:
    """All of a group's row indices in one draw, as the bootstrap defines them: 16-bit pieces of
    the raw output masked to a power-of-two size, else Generator.integers."""
    if size & (size - 1) == 0:
        return rng.bit_generator.random_raw(-(-count // 4)).view(np.uint16)[:count] & np.uint16(size - 1)
    return rng.integers(0, size, size=count, dtype=np.uint32)


@pytest.mark.parametrize("group_rows", [8, 6])
def test_a_groups_counts_are_how_often_each_row_was_drawn(monkeypatch, group_rows):
    """RowDraws.counts tallies the drawn row indices stage by stage (scipy's dense conversion of
    (resample, row) pairs): each resample's counts equal np.bincount of its own draws, in every
    group (full and the last, short one) and in the last, short stage of resamples."""
    monkeypatch.setattr(bootstrap_module, "GROUP_ROWS", group_rows)
    draws = bootstrap_module.RowDraws(21, 37, 5)  # 37 resamples: two stages of 16 and one of 5
    assert [stop - start for start, stop in draws.groups][-1] < group_rows
    for group, (start, stop) in enumerate(draws.groups):
        totals = draws._totals[0][:, group]
        index = _one_draw(bootstrap_module._stream(draws.root, 0, group), stop - start, int(totals.sum()))
        ends = np.cumsum(totals)
        expected = np.vstack([np.bincount(index[end - total:end], minlength=stop - start) for total, end in zip(totals, ends)])
        counts = draws.counts(0, group)
        assert counts.flags.f_contiguous and counts.dtype == np.float32
        np.testing.assert_array_equal(counts, expected)


def test_one_scale_bootstrapped_with_others_equals_it_alone():
    x = data("bifactor_missing")
    alone = alpha_bootstrap(x[["i1", "i2", "i3", "i4"]], n_boot=200, seed=3)
    together = alpha_bootstrap_scales(x, {"a": ["i1", "i2", "i3", "i4"]}, n_boot=200, seed=3)["a"]
    np.testing.assert_allclose(together.alpha, alone.alpha, rtol=0, atol=1e-12)  # the same resamples
    np.testing.assert_allclose(together.std_alpha, alone.std_alpha, rtol=0, atol=1e-12)


def test_nested_scales_share_the_resamples_of_the_respondents():
    """A subscale's resampled alpha is its alpha on the same resample of all respondents."""
    x = data("bifactor_missing").iloc[:150]
    scales = {"total": [f"i{j}" for j in range(1, 13)], "first": ["i1", "i2", "i3", "i4"], "last": ["i9", "i10", "i11", "i12"]}
    boots = alpha_bootstrap_scales(x, scales, n_boot=25, seed=8)
    assert distinct_rows(x.to_numpy()) is None  # rows resampled, counts as resample_counts gives them
    counts = np.vstack(list(resample_counts(len(x), 25, 8)))
    for name, columns in scales.items():
        slow = [alpha(x.iloc[np.repeat(np.arange(len(x)), row)][columns]).alpha for row in counts.astype(int)]
        np.testing.assert_allclose(boots[name].alpha, slow, rtol=0, atol=1e-12)


def test_alpha_scales_gives_alpha_per_scale_and_one_bootstrap():
    x = data("bifactor_missing")
    scales = {"g1": ["i1", "i2", "i3", "i4"], "g2": ["i5", "i6", "i7", "i8"], "all": [f"i{j}" for j in range(1, 13)]}
    results = alpha_scales(x, scales, limits={"g1": (1, 5)}, n_boot=100, seed=2)
    assert [r.scale for r in results] == ["g1", "g2", "all"]
    for result in results:
        alone = alpha(x[scales[result.scale]], scale=result.scale)
        assert_close([result.alpha, result.std_alpha, result.g6, result.lambda2], [alone.alpha, alone.std_alpha, alone.g6, alone.lambda2], tol=0)
        assert result.alpha_ci_method == "bootstrap" and result.alpha_ci == result.bootstrap.ci
        assert result.alpha_ci[0] < result.alpha < result.alpha_ci[1]
    assert results[0].limits == (1, 5) and results[1].limits_observed
    listwise = alpha_scales(x, scales, missing="listwise", n_boot=50, seed=2, ci="duhachek")
    assert listwise[0].alpha_ci == listwise[0].duhachek_ci and listwise[0].bootstrap.n_boot == 50
    np.testing.assert_array_equal(listwise[0].bootstrap.alpha, alpha_bootstrap(x[scales["g1"]], n_boot=50, seed=2, missing="listwise").alpha)


@pytest.mark.parametrize("items", [[f"i{j}" for j in range(1, 13)], ["i1", "i2", "i3"]])
def test_bootstrap_in_many_chunks_equals_one_chunk(monkeypatch, items):
    """Counts are drawn ahead in a second thread into alternating buffers: no chunk is overwritten."""
    x = data("bifactor_missing", items)
    whole = alpha_bootstrap(x, n_boot=60, seed=4).alpha
    monkeypatch.setattr(bootstrap_module, "CHUNK_CELLS", 7 * len(x))  # at most 7 resamples per chunk
    np.testing.assert_allclose(alpha_bootstrap(x, n_boot=60, seed=4).alpha, whole, rtol=0, atol=1e-12)


def test_bootstrap_failures_are_counted_not_hidden():
    # A tiny sample: a resample without the last row has no variance at all (alpha = 0/0).
    x = pd.DataFrame({"a": [1.0, 1, 1, 2], "b": [1.0, 1, 1, 2], "c": [1.0, 1, 1, 3]})
    boot = alpha_bootstrap(x, n_boot=200, seed=1)
    assert boot.n_failed > 0 and np.isfinite(boot.ci).all()
    result = alpha(x, n_boot=200, seed=1)
    assert any("bootstrap resamples gave no alpha" in w for w in result.warnings)


# --------------------------------------------------------------------------- CLI


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


CONTRACT = {"scale", "n", "n_items", "missing", "alpha", "alpha_ci", "std_alpha", "g6", "lambda2", "average_r",
            "omega_total", "omega_h", "ordinal_alpha", "items", "warnings"}
ITEM_CONTRACT = {"item", "n", "mean", "sd", "item_rest_r", "alpha_if_dropped", "floor", "ceiling", "missing_share"}


@pytest.fixture(scope="module")
def responses_csv(tmp_path_factory) -> Path:
    path = REPO / "sample_data" / "responses.csv"
    if path.exists():
        return path
    # No sample data yet: a small table in the instrument's format.
    from scoring.instrument.catalog import bundled

    inst = bundled("samhandlingsklima")
    rng = np.random.default_rng(4)
    g = rng.normal(size=(300, 1))
    answers = np.clip(np.round(3 + g + rng.normal(size=(300, len(inst.item_ids)))), 1, 5)
    frame = pd.DataFrame(answers.astype(int), columns=inst.item_ids)
    frame.insert(0, "response", [f"r{i}" for i in range(300)])
    out = tmp_path_factory.mktemp("sample") / "responses.csv"
    frame.to_csv(out, index=False)
    return out


def test_cli_json_contract_on_sample_data(capsys, responses_csv):
    code, out, err = run(capsys, "reliability", responses_csv, "--instrument", "samhandlingsklima", "--json")
    assert code == 0, err
    scales = json.loads(out)["scales"]
    from scoring.instrument.catalog import bundled

    assert [s["scale"] for s in scales] == [s.id for s in bundled("samhandlingsklima").scales]
    for entry in scales:
        assert CONTRACT <= set(entry)
        assert entry["missing"] == "pairwise" and len(entry["alpha_ci"]) == 2
        assert entry["n_items"] == len(entry["items"])
        assert all(ITEM_CONTRACT <= set(item) for item in entry["items"])
        assert entry["ordinal_alpha"] is None
        assert 0 < entry["alpha"] < 1 and entry["alpha_ci"][0] < entry["alpha"] < entry["alpha_ci"][1]
    total = next(s for s in scales if s["scale"] == "sk_total")
    assert total["n_items"] == 32 and total["omega_total"] is not None and total["omega_h"] is not None
    info = next(s for s in scales if s["scale"] == "sk_info")
    assert info["omega_h"] is None  # 4 items: one factor, omega hierarchical undefined


def test_cli_agrees_with_psych_on_the_sample_data(capsys, tmp_path):
    """alpha_responses.json: psych on the latest round of sample_data/responses.csv (9 -> NA, item 4 reversed)."""
    fx = fixture("alpha_responses")
    path = REPO / "sample_data" / "responses.csv"
    if not path.exists():
        pytest.fail("sample_data/responses.csv is missing; alpha_responses.json was made from it")
    if hashlib.md5(path.read_bytes()).hexdigest() != fx["source_md5"]:
        pytest.fail("sample_data/responses.csv changed since tests/reference/fixtures/alpha_responses.json was made: rerun tests/reference/run.sh")
    raw = pd.read_csv(path, keep_default_na=False, na_values=[""])
    latest = raw[raw["round"] == fx["round"]]
    latest_csv = tmp_path / "latest.csv"
    latest.to_csv(latest_csv, index=False)
    for instrument in ("samhandlingsklima", "medbestemmelse"):
        for rule in ("pairwise", "listwise"):
            code, out, err = run(capsys, "reliability", latest_csv, "--instrument", instrument, "--missing", rule, "--json")
            assert code == 0, err
            for entry in json.loads(out)["scales"]:
                if entry["scale"] not in fx["alpha"]:
                    continue
                block = fx["alpha"][entry["scale"]][rule]
                total = block["total"]
                assert_close([entry["alpha"], entry["std_alpha"], entry["g6"], entry["average_r"]],
                             [total["raw_alpha"], total["std.alpha"], total["G6(smc)"], total["average_r"]])
                stats_ = table(block["item.stats"])
                assert_close([i["item_rest_r"] for i in entry["items"]], stats_["r.drop"])
                assert_close([i["alpha_if_dropped"] for i in entry["items"]], table(block["alpha.drop"])["raw_alpha"])
                if rule == "listwise":
                    assert entry["n"] == block["n"]
                    assert_close(entry["feldt_ci"], [block["feldt"]["lower.ci"], block["feldt"]["upper.ci"]])


def test_cli_items_with_reverse_keying(capsys, tmp_path):
    x = data("bifactor")
    flipped = tmp_path / "flipped.csv"
    x.assign(i4=6 - x["i4"]).to_csv(flipped, index=False)
    items = [f"i{j}" for j in range(1, 13)]
    code, out, err = run(capsys, "reliability", flipped, "--items", *items, "--reverse", "i4", "--min", 1, "--max", 5, "--json")
    assert code == 0, err
    entry = json.loads(out)["scales"][0]
    assert entry["alpha"] == pytest.approx(fixture("alpha_bifactor")["pairwise"]["total"]["raw_alpha"], abs=TOL)
    assert entry["n_items"] == 12 and entry["scale"] is None
    assert not any("observed limits" in w for w in entry["warnings"])
    code, out, _ = run(capsys, "reliability", flipped, "--items", *items, "--reverse", "i4", "--json")
    entry = json.loads(out)["scales"][0]
    assert any("reverse keying used the observed limits 1-5" in w for w in entry["warnings"])
    assert entry["alpha"] == pytest.approx(fixture("alpha_bifactor")["pairwise"]["total"]["raw_alpha"], abs=TOL)


def test_cli_bootstrap_ordinal_and_listwise(capsys):
    path = REF / "data" / "bifactor_missing.csv"
    args = ["reliability", path, "--items", "i1", "i2", "i3", "i4", "i5", "i6", "--missing", "listwise",
            "--bootstrap", 200, "--seed", 7, "--ordinal", "--json"]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    entry = json.loads(out)["scales"][0]
    assert entry["missing"] == "listwise" and entry["alpha_ci_method"] == "bootstrap"
    assert entry["alpha_ci"] == entry["bootstrap"]["ci"] and entry["alpha_ci"][0] < entry["alpha"] < entry["alpha_ci"][1]
    assert entry["ordinal_alpha"] is not None and entry["ordinal_alpha"] > entry["alpha"]
    assert run(capsys, *args)[1] == out  # seeded: the same output twice


def test_cli_readable_summary(capsys):
    code, out, _ = run(capsys, "reliability", REF / "data" / "bifactor.csv", "--items", "i1", "i2", "i3", "i4")
    assert code == 0 and "raw_alpha" in out and "Item statistics" in out and "Split half" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--items", "i1", "nope"], "no column 'nope'"),
        (["--items", "i1", "I2"], "did you mean 'i2'"),
        (["--items", "i1", "i2", "--low", 5, "--high", 1], "--low (5) must be below --high (1)"),
        (["--items", "i1", "i2", "--min", 1], "give both --low and --high"),
        (["--items", "i1", "i2", "--reverse", "i3"], "--reverse i3: not one of the --items"),
        ([], "give either --instrument"),
        (["--items", "i1", "i2", "--missing", "some"], "--missing must be pairwise or listwise"),
    ],
)
def test_cli_bad_input_is_a_user_error(capsys, args, message):
    code, _, err = run(capsys, "reliability", REF / "data" / "bifactor.csv", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_unknown_scale_is_a_user_error(capsys, responses_csv):
    code, _, err = run(capsys, "reliability", responses_csv, "--instrument", "samhandlingsklima", "--scale", "sk_info", "sk_nope")
    assert code == 2 and "has no scale 'sk_nope'" in err


def test_cli_several_scales(capsys, responses_csv):
    code, out, err = run(capsys, "reliability", responses_csv, "--instrument", "samhandlingsklima", "--scale", "sk_info", "sk_laer", "--json")
    assert code == 0, err
    assert [s["scale"] for s in json.loads(out)["scales"]] == ["sk_info", "sk_laer"]
