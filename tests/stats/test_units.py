"""Aggregation to units: every number as R's multilevel prints it, the unit table, the CLI.

Reference numbers: tests/reference/fixtures/multilevel_multilevel.json (multilevel.R on
data/multilevel.csv) and multilevel_responses.json (responses.R on sample_data/responses.csv,
latest round). Closed-form statistics agree to 1e-6.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scoring.cli import main
from scoring.errors import UserError
from scoring.reporting.aggregation import aggregate_instrument, aggregate_scale
from scoring.stats.multilevel import (
    READINGS,
    ad_m,
    awg,
    expected_variance,
    icc,
    reading,
    rwg,
    rwg_j,
)

REF = Path(__file__).parents[1] / "reference"
ITEMS = ["m1", "m2", "m3", "m4"]
TOL = 1e-6


def fixture(name: str) -> dict:
    """Load a reference fixture; a missing one fails the test (it is never skipped)."""
    path = REF / "fixtures" / f"{name}.json"
    assert path.exists(), f"{path} is missing: run `bash tests/reference/run.sh`"
    return json.loads(path.read_text(encoding="utf-8"))


def table(block: dict) -> pd.DataFrame:
    return pd.DataFrame(block["table"]).set_index("grpid")


def same(ours: pd.Series, theirs: pd.Series) -> None:
    """Equal to 1e-6, with NaN exactly where R has NA, unit by unit."""
    ours = ours.reindex(theirs.index).astype(float)
    theirs = theirs.astype(float)
    assert list(ours.isna()) == list(theirs.isna()), pd.DataFrame({"ours": ours, "R": theirs})
    np.testing.assert_allclose(ours.dropna(), theirs.dropna(), rtol=0, atol=TOL)


@pytest.fixture(scope="module")
def ml():
    return pd.read_csv(REF / "data" / "multilevel.csv")


@pytest.fixture(scope="module")
def ref():
    return fixture("multilevel_multilevel")


@pytest.fixture(scope="module")
def score(ml):
    """rowMeans(items, na.rm = TRUE), NA when no item is answered (as the fixture)."""
    return ml[ITEMS].mean(axis=1)


# ----------------------------------------------------------------------------- multilevel numbers


def check_icc(result, block):
    assert result.icc1 == pytest.approx(block["ICC1"], abs=TOL)
    assert result.icc2 == pytest.approx(block["ICC2"], abs=TOL)
    assert result.msb == pytest.approx(block["MSB"], abs=TOL)
    assert result.msw == pytest.approx(block["MSW"], abs=TOL)
    assert (result.df_between, result.df_within) == (block["df_between"], block["df_within"])
    assert (result.n, result.n_units) == (block["n_used"], block["n_groups"])
    assert result.k == pytest.approx(block["gsize_used"], abs=TOL)
    assert result.f == pytest.approx(block["F"], abs=TOL)
    assert result.p == pytest.approx(block["p"], rel=1e-6)


def test_icc_of_the_score_is_multilevels_with_k_the_plain_mean_unit_size(ml, ref, score):
    result = icc(score, ml["unit"])
    check_icc(result, ref["icc_score"])
    assert result.k == pytest.approx(933 / 45)  # N/J over the rows aov used, not k0
    assert result.note is None


@pytest.mark.parametrize("item", ITEMS)
def test_icc_of_each_item_drops_its_missing_answers_as_aov_does(ml, ref, item):
    check_icc(icc(ml[item], ml["unit"]), ref["icc_items"][item])


def test_rwg_of_one_item_truncates_at_the_uniform_variance_and_is_na_for_one_answer(ml, ref):
    theirs = table(ref["rwg"])
    ours = rwg(ml["m1"], ml["unit"], ranvar=ref["rwg"]["ranvar"])
    same(ours["rwg"], theirs["rwg"])
    assert (ours["gsize"].reindex(theirs.index) == theirs["gsize"]).all()
    assert np.isnan(ours.loc["u01", "rwg"])  # one valid m1 answer in u01
    assert ours.loc["u07", "rwg"] == 0.0  # variance above sigma2_EU = 2, truncated


def test_rwg_j_is_listwise_with_the_mean_item_variance(ml, ref):
    theirs = table(ref["rwg.j"])
    ours = rwg_j(ml[ITEMS], ml["unit"], ranvar=expected_variance(5))
    same(ours["rwg_j"], theirs["rwg.j"])
    assert (ours["gsize"].reindex(theirs.index) == theirs["gsize"]).all()


@pytest.mark.parametrize("key, data", [("awg_score", "score"), ("awg_items", "items")])
def test_awg_with_brown_and_hauensteins_bounds(ml, ref, score, key, data):
    x = score if data == "score" else ml[ITEMS]
    same(awg(x, ml["unit"], 1, 5)["awg"], table(ref[key])["a.wg"])


@pytest.mark.parametrize("key, center, data", [
    ("ad_mean_score", "mean", "score"),
    ("ad_median_score", "median", "score"),
    ("ad_mean_items", "mean", "items"),
    ("ad_median_items", "median", "items"),
])
def test_average_deviation_about_the_mean_and_the_median(ml, ref, score, key, center, data):
    x = score if data == "score" else ml[ITEMS]
    same(ad_m(x, ml["unit"], center)["ad"], table(ref[key])["AD.M"])


def test_unit_means_and_the_summaries_over_the_units_shown(ml, ref, score):
    result = aggregate_scale(score, ml["unit"], items=ml[ITEMS])
    units = result.units.set_index("unit")
    means = pd.DataFrame(ref["unit_means"]).set_index("grpid")
    shown = units.index[~units["suppressed"]]
    np.testing.assert_allclose(units.loc[shown, "mean"], means.loc[shown, "score_mean"], atol=TOL)
    assert (units["n"] == means["score_n"]).all()
    rwgj = table(ref["rwg.j"])["rwg.j"].astype(float).loc[shown]
    assert result.rwg_j_mean == pytest.approx(rwgj.mean(), abs=TOL)
    assert result.rwg_j_median == pytest.approx(rwgj.median(), abs=TOL)
    assert result.awg_mean == pytest.approx(table(ref["awg_items"])["a.wg"].astype(float).loc[shown].mean(), abs=TOL)
    assert result.ad_mean == pytest.approx(table(ref["ad_mean_items"])["AD.M"].astype(float).loc[shown].mean(), abs=TOL)
    assert result.ad_md_mean == pytest.approx(table(ref["ad_median_items"])["AD.M"].astype(float).loc[shown].mean(), abs=TOL)
    assert result.icc.icc1 == pytest.approx(ref["icc_score"]["ICC1"], abs=TOL)


# ----------------------------------------------------------------------------- the sample data


@pytest.fixture(scope="module")
def responses_ref():
    ref = fixture("multilevel_responses")
    source = REF.parent.parent / ref["source"]
    md5 = hashlib.md5(source.read_bytes()).hexdigest()
    if md5 != ref["source_md5"]:
        pytest.fail(f"{source} changed since multilevel_responses.json was made: rerun `bash tests/reference/run.sh`")
    return ref, source


@pytest.mark.parametrize("instrument_id, prefix", [("samhandlingsklima", "sk_"), ("medbestemmelse", "mb_")])
def test_instrument_scales_on_the_sample_agree_with_multilevel(responses_ref, instrument_id, prefix):
    from scoring.instrument.catalog import bundled
    from scoring.responses.reading import code_responses, read_table
    from scoring.responses.scores import keyed_items, score_scales

    ref, source = responses_ref
    inst = bundled(instrument_id)
    data = read_table(source)
    data = data[data["round"].astype(str) == ref["round"]].reset_index(drop=True)
    coded = code_responses(data, inst)
    keyed = keyed_items(coded.items, inst)
    scores = score_scales(coded.items, inst)
    result = aggregate_instrument(coded.items, data["unit"], inst)
    scales = [s for s in ref["scales"] if s.startswith(prefix)]
    assert set(scales) <= {s.scale for s in result.scales}
    for agg in (s for s in result.scales if s.scale in scales):
        block = ref["scales"][agg.scale]
        items = keyed[ref["scale_items"][agg.scale]]
        same(rwg_j(items, data["unit"], 2.0)["rwg_j"], table(block["rwg.j"])["rwg.j"])
        check_icc(icc(scores[agg.scale], data["unit"]), block["icc_score_min50"])
        assert agg.icc.icc1 == pytest.approx(block["icc_score_min50"]["ICC1"], abs=TOL)
        units = agg.units.set_index("unit")
        shown = units.index[~units["suppressed"]]
        same(units.loc[shown, "rwg_j"], table(block["rwg.j"])["rwg.j"].loc[shown])


# ----------------------------------------------------------------------------- the unit table


def test_units_under_min_n_show_nothing_not_even_their_n(ml, score):
    result = aggregate_scale(score, ml["unit"], items=ml[ITEMS])
    hidden = {u["unit"]: u for u in result.to_dict()["units"] if u["suppressed"]}
    assert set(hidden) == {"u01", "u02", "u03", "u04", "u05", "u06", "u07"}  # sizes 2-4
    for entry in hidden.values():
        assert {k: v for k, v in entry.items() if k not in ("unit", "suppressed")} == dict.fromkeys(
            ["n", "mean", "sd", "ci", "rwg_j", "rwg_lindell", "awg", "ad"]
        )


def test_the_ci_is_t_based():
    units = ["a"] * 6 + ["b"] * 8
    values = np.array([1, 2, 2, 3, 4, 4, 3, 3, 4, 4, 5, 2, 3, 4], dtype=float)
    row = aggregate_scale(values, units).units.set_index("unit").loc["a"]
    a = values[:6]
    lo, hi = stats.t.interval(0.95, len(a) - 1, loc=a.mean(), scale=a.std(ddof=1) / np.sqrt(len(a)))
    assert (row["n"], row["mean"], row["sd"]) == (6, pytest.approx(a.mean()), pytest.approx(a.std(ddof=1)))
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(lo), pytest.approx(hi))


def test_a_lone_small_unit_takes_the_smallest_other_unit_with_it():
    units = ["a"] * 3 + ["b"] * 6 + ["c"] * 20
    values = np.tile([2.0, 3.0, 4.0], 10)[:29]
    result = aggregate_scale(values, units)
    hidden = set(result.units.loc[result.units["suppressed"], "unit"])
    # the total is published, so total - c would give a: b is hidden too
    assert hidden == {"a", "b"}
    assert result.n == 29 and result.n_shown == 1


def test_fewer_than_min_n_answers_in_all_shows_nothing():
    result = aggregate_scale([3.0, 4.0, 2.0, 5.0], ["a", "a", "b", "b"])
    out = result.to_dict()
    assert out["n"] is None and out["mean"] is None and out["icc1"] is None
    assert out["reading"]["code"] == "too_few_units"
    assert all(u["suppressed"] for u in out["units"])


@pytest.mark.parametrize("min_n", [2, 1, 0])
def test_min_n_below_three_is_refused(min_n):
    with pytest.raises(UserError, match="at least 3"):
        aggregate_scale([3.0] * 10, ["a"] * 10, min_n=min_n)


def test_min_n_can_be_lowered_to_three(ml, score):
    hidden = set(aggregate_scale(score, ml["unit"], items=ml[ITEMS], min_n=3).units.query("suppressed")["unit"])
    assert {"u01", "u02", "u07"} <= hidden and "u03" not in hidden


# ----------------------------------------------------------------------------- definitions


def test_expected_variance_is_that_of_a_uniform_answer():
    assert expected_variance(5) == 2.0
    assert expected_variance(7) == 4.0
    assert expected_variance(101, 0.1) == pytest.approx(0.01 * (101**2 - 1) / 12)
    with pytest.raises(UserError):
        expected_variance(1)


def test_rwg_j_by_hand():
    # item variances 1 and 1/3 -> mean 2/3; ratio 1/3; rwg(j) = 2(2/3) / (2(2/3) + 1/3) = 0.8
    items = np.array([[1, 2], [2, 2], [3, 3], [9, 9]], dtype=float)
    items[3] = np.nan
    out = rwg_j(items, ["a", "a", "a", "a"], ranvar=2.0)
    assert out.loc["a", "rwg_j"] == pytest.approx(0.8)
    assert out.loc["a", "gsize"] == 3


def test_awg_is_one_at_the_ends_of_the_scale_undefined_near_them_and_not_truncated():
    out = awg([5, 5, 5, 1, 5, 2, 5], ["a", "a", "a", "b", "b", "c", "c"], 1, 5)
    assert out.loc["a", "awg"] == 1.0  # M = H
    # k = 2, M = 3: S2 = 8, the largest possible; a_wg = 1 - 2*8 / ((6*3 - 9 - 5) * 2) = -1
    assert out.loc["b", "awg"] == pytest.approx(-1.0)
    assert np.isnan(out.loc["c", "awg"])  # k = 2, M = 3.5 > (H(k-1) + L)/k = 3


def test_degenerate_icc_is_nan_with_a_reason():
    assert "fewer than two units" in icc([1.0, 2.0, 3.0], ["a"] * 3).note
    assert "no unit has two" in icc([1.0, 2.0, 3.0], ["a", "b", "c"]).note
    flat = icc([1.0, 2.0, 1.0, 2.0], ["a", "a", "b", "b"])
    assert np.isnan(flat.icc1) and flat.note == "no variance between units"


@pytest.mark.parametrize("median, icc1, icc2, code", [
    (0.80, 0.10, 0.75, "report_unit_means"),
    (0.70, 0.01, 0.70, "report_unit_means"),
    (0.80, -0.02, 0.75, "agree_units_alike"),
    (0.80, 0.05, 0.50, "agree_units_alike"),
    (0.69, 0.20, 0.90, "moderate_agreement"),
    (0.49, 0.20, 0.90, "low_agreement"),
    (float("nan"), 0.2, 0.9, "too_few_units"),
    (0.8, float("nan"), float("nan"), "too_few_units"),
])
def test_the_reading_rule(median, icc1, icc2, code):
    result = reading(median, icc1, icc2)
    assert result.code == code
    assert (result.nb, result.en) == (READINGS[code]["nb"], READINGS[code]["en"])


def test_the_reading_of_high_agreement_in_both_languages():
    assert READINGS["report_unit_means"]["nb"].startswith(
        "Enighet innad i enhetene er høy nok til å rapportere et enhetsgjennomsnitt"
    )
    assert READINGS["report_unit_means"]["en"].startswith("Agreement within units is high enough to report a unit mean")


# ----------------------------------------------------------------------------- CLI


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def no_nan(text: str):
    def refuse(constant):
        raise AssertionError(f"{constant} in JSON output")

    return json.loads(text, parse_constant=refuse)


SCALE_KEYS = {"scale", "icc1", "icc2", "rwg_j_mean", "rwg_j_median", "awg_mean", "ad_mean", "units", "reading"}
UNIT_KEYS = {"unit", "n", "mean", "sd", "ci", "rwg_j", "suppressed"}


def test_cli_items_gives_one_entry_for_the_items_mean(capsys, ref):
    code, out, _ = run(capsys, "aggregate", REF / "data" / "multilevel.csv", "--items", "m1,m2", "--items", "m3,m4", "--unit", "unit", "--json")
    assert code == 0
    (entry,) = no_nan(out)["scales"]
    assert SCALE_KEYS <= set(entry) and set(entry["reading"]) >= {"nb", "en"}
    assert entry["icc1"] == pytest.approx(ref["icc_score"]["ICC1"], abs=TOL)
    u08 = next(u for u in entry["units"] if u["unit"] == "u08")
    assert UNIT_KEYS <= set(u08) and len(u08["ci"]) == 2 and u08["n"] == 15
    assert u08["rwg_j"] == pytest.approx(table(ref["rwg.j"]).loc["u08", "rwg.j"], abs=TOL)


def test_cli_score_uses_rwg_with_a_options(capsys, ref):
    code, out, _ = run(capsys, "aggregate", REF / "data" / "multilevel.csv", "--score", "m1", "--unit", "unit", "--options", "5", "--json")
    assert code == 0
    (entry,) = no_nan(out)["scales"]
    assert entry["scale"] == "m1" and entry["items"] == 1
    rwg_m1 = table(ref["rwg"])["rwg"]
    for unit in entry["units"]:
        if not unit["suppressed"]:
            assert unit["rwg_j"] == pytest.approx(rwg_m1[unit["unit"]], abs=TOL)


def test_cli_instrument_gives_one_entry_per_scale(capsys):
    sample = REF.parent.parent / "sample_data" / "responses.csv"
    code, out, _ = run(capsys, "aggregate", sample, "--instrument", "samhandlingsklima", "--unit", "unit", "--json")
    assert code == 0
    result = no_nan(out)
    assert [s["scale"] for s in result["scales"]][:2] == ["sk_info", "sk_koord"]
    assert all(SCALE_KEYS <= set(s) and s["options"] == 5 for s in result["scales"])


def test_cli_prints_a_table_without_json(capsys):
    code, out, _ = run(capsys, "aggregate", REF / "data" / "multilevel.csv", "--items", "m1,m2,m3,m4", "--unit", "unit")
    assert code == 0
    assert "ICC(1) = 0.11" in out and "too few answers" in out and "u45" in out


@pytest.mark.parametrize("args, message", [
    (["--items", "m1", "--score", "m2"], "exactly one of"),
    ([], "exactly one of"),
    (["--score", "m1", "--min-n", "2"], "at least 3"),
    (["--score", "nope"], "not in the table"),
    (["--score", "m1", "--options", "3"], "outside 1..3"),
])
def test_cli_user_errors_exit_2(capsys, args, message):
    code, _, err = run(capsys, "aggregate", REF / "data" / "multilevel.csv", "--unit", "unit", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_unknown_unit_column(capsys):
    code, _, err = run(capsys, "aggregate", REF / "data" / "multilevel.csv", "--unit", "team", "--score", "m1")
    assert code == 2 and "no unit column 'team'" in err


@pytest.mark.parametrize("seed", range(4))
def test_unit_medians_by_counting_codes_equal_pandas_medians(seed):
    """AD about the median reads each unit's median off counts per (unit, code) for whole-number
    answers: the same medians as pandas' grouped median (the mean of the two middle values of
    an even count, NaN for a unit without rows), and answers that are not whole numbers still go
    to pandas."""
    from scoring.stats.multilevel import _group_median

    rng = np.random.default_rng(seed)
    for _ in range(50):
        n, groups, k = int(rng.integers(1, 300)), int(rng.integers(1, 30)), int(rng.integers(1, 5))
        codes = rng.integers(0, groups, size=n)
        mat = rng.integers(1, int(rng.integers(2, 8)), size=(n, k)).astype(float)
        if seed == 3:
            mat += rng.random(mat.shape).round(1)  # tenths: not whole numbers
        expected = pd.DataFrame(mat).groupby(codes, sort=True).median().reindex(range(groups)).to_numpy()
        np.testing.assert_array_equal(_group_median(mat, codes, groups), expected)
