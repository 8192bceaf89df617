"""``samklima irt``: the JSON contract, the options, and one clear message (exit 2) for bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scoring.cli import main

from .conftest import REF, expand, fixture, simulate_graded

GRADED_KEYS = {"model", "estimation", "quadrature", "items", "n_obs", "n_patterns", "dropped", "loglik", "n_params",
               "aic", "bic", "converged", "iterations", "parameters", "marginal_reliability", "item_fit",
               "information", "scores", "warnings"}
PCM_KEYS = {"model", "estimation", "items", "n_obs", "n_extreme", "dropped", "conditional_loglik", "n_params",
            "converged", "iterations", "parameters", "information", "persons", "warnings"}
DIF_ITEM_KEYS = {"G2", "df", "p", "p_adjusted", "SIDS", "UIDS", "ESSD", "a_reference", "a_focal", "flag"}


def strict(text: str):
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in the JSON output"))


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture(scope="module")
def science_csv(tmp_path_factory):
    """mirt's Science data with a group column, an ``NA`` and an empty cell."""
    frame = expand("science").astype(object)
    frame.insert(0, "unit", np.where(np.arange(len(frame)) % 2, "day", "night"))
    frame.iloc[3, 2] = "NA"
    frame.iloc[5, 3] = ""
    path = tmp_path_factory.mktemp("irt") / "science.csv"
    frame.to_csv(path, index=False)
    return path


def test_graded_json_contract_and_mirt_numbers(capsys, science_csv):
    code, out, _ = run(capsys, "irt", science_csv, "--items", "Comfort Work", "--items", "Future,Benefit", "--json")
    assert code == 0
    payload = strict(out)
    assert set(payload) == GRADED_KEYS
    assert payload["model"] == "graded" and payload["items"] == ["Comfort", "Work", "Future", "Benefit"]
    assert payload["n_obs"] == 392
    first = payload["parameters"]["Comfort"]
    assert set(first) == {"categories", "a", "se_a", "d", "se_d", "b", "se_b"}
    assert first["categories"] == [1, 2, 3, 4] and len(first["d"]) == 3
    # two answers are missing here, so only near mirt's complete-data fit
    ref = fixture("mirt_published")["science"]["coef"]
    assert first["a"] == pytest.approx(ref["a"][0], abs=0.05)
    assert set(payload["item_fit"]["Work"]) == {"S_X2", "df", "RMSEA", "p"}


def test_graded_json_on_complete_data_is_mirts_fit(capsys, tmp_path):
    path = tmp_path / "science.csv"
    expand("science").to_csv(path, index=False)
    code, out, _ = run(capsys, "irt", path, "--items", "Comfort,Work,Future,Benefit", "--json")
    payload = strict(out)
    ref = fixture("mirt_published")["science"]
    assert payload["loglik"] == pytest.approx(ref["logLik"]["value"], abs=1e-3)
    np.testing.assert_allclose([payload["parameters"][i]["a"] for i in payload["items"]], ref["coef"]["a"], atol=1e-2)


def test_pcm_json_contract(capsys, science_csv):
    code, out, _ = run(capsys, "irt", science_csv, "--items", "Comfort Work Future Benefit", "--model", "pcm", "--json")
    assert code == 0
    payload = strict(out)
    assert set(payload) == PCM_KEYS
    assert set(payload["parameters"]["Work"]) == {"categories", "beta", "se_beta", "thresholds", "se_thresholds",
                                                  "location", "se_location"}


def test_dif_column_adds_dif_tests(capsys, science_csv):
    code, out, _ = run(capsys, "irt", science_csv, "--items", "Comfort Work Future Benefit", "--dif", "unit",
                       "--reference", "night", "--json")
    assert code == 0
    dif = strict(out)["dif"]
    assert dif["reference"] == "night" and dif["focal"] == "day"
    assert set(dif["items"]["Comfort"]) == DIF_ITEM_KEYS
    # the split is arbitrary (odd/even rows): nothing should be flagged
    assert not any(row["flag"] for row in dif["items"].values())


def test_text_report_and_scores_file(capsys, science_csv, tmp_path):
    scores = tmp_path / "scores.csv"
    code, out, _ = run(capsys, "irt", science_csv, "--items", "Comfort Work Future Benefit", "--scores", scores)
    assert code == 0
    assert "Graded response model" in out and "Item fit (S-X2)" in out
    table = pd.read_csv(scores)
    assert list(table.columns) == ["row", "theta", "theta_se"] and len(table) == 392
    assert table["row"].tolist() == list(range(1, 393))


def test_binary_items_are_2pl(capsys, tmp_path):
    path = tmp_path / "lsat7.csv"
    expand("lsat7").to_csv(path, index=False)
    code, out, _ = run(capsys, "irt", path, "--items", "Item.1 Item.2 Item.3 Item.4 Item.5", "--json")
    payload = strict(out)
    assert payload["model"] == "2PL"
    assert payload["loglik"] == pytest.approx(fixture("mirt_published")["lsat7"]["logLik"]["value"], abs=1e-3)


def bad_table(tmp_path, change) -> str:
    frame, _ = simulate_graded(120, [1.0, 1.2, 0.8], [[1.0, -1.0]] * 3, seed=9)
    frame = change(frame.astype(object))
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    "change, args, message",
    [
        (lambda f: f.assign(q2=f["q2"].where(f.index != 6, 2.5)), [], "integer codes, not 2.5 (row 7)"),
        (lambda f: f.assign(q1=f["q1"].where(f.index != 4, "often")), [], "row 5: q1: text 'often' in a numeric item"),
        (lambda f: f.assign(q3=1), [], "item 'q3' has only one observed category"),
        (lambda f: f.iloc[:30], [], "30 respondents answered these items; an IRT model needs at least 50"),
        (lambda f: f, ["--items", "q9"], "q9: no such column"),
        (lambda f: f, ["--model", "rasch"], "--model must be one of graded, pcm"),
        (lambda f: f, ["--model", "pcm", "--group", "q1"], "available for the graded model only"),
        (lambda f: f.assign(g=np.resize(["a", "b", "c"], len(f))), ["--group", "g"], "exactly two groups"),
        (lambda f: f.assign(g="a"), ["--group", "g"], "exactly two groups; the group column has 1"),
        (lambda f: f, ["--reference", "a"], "--reference needs --group"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(capsys, tmp_path, change, args, message):
    path = bad_table(tmp_path, change)
    items = [] if "--items" in args else ["--items", "q1 q2 q3"]
    code, out, err = run(capsys, "irt", path, *items, *args, "--json")
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) <= 2


def test_missing_file_and_no_items(capsys, tmp_path):
    code, _, err = run(capsys, "irt", tmp_path / "nope.csv", "--items", "a")
    assert code == 2 and "file not found" in err
    code, _, err = run(capsys, "irt", REF / "data" / "science.csv")
    assert code == 2 and "--items" in err
