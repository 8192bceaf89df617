"""``samklima item-quality``: the JSON contract, both --items forms, reverse keying, one clear message (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.cli import main

DATA = Path(__file__).parents[1] / "reference" / "data" / "item_quality.csv"
ITEM_KEYS = {"distribution", "dont_know", "missing", "floor", "ceiling", "item_rest_r", "alpha_if_dropped", "loading",
             "information", "information_share", "flags", "warnings"}


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_json_holds_every_item_figure_and_the_warnings(capsys):
    code, out, _ = run(capsys, "item-quality", DATA, "--items", "q1", "q2", "q3", "q4", "q5", "q6",
                       "--low", "1", "--high", "5", "--dont-know", "9", "--json")
    assert code == 0
    payload = json.loads(out, parse_constant=lambda c: pytest.fail(c))
    assert set(payload["items"]["q5"]) == ITEM_KEYS
    assert payload["items"]["q5"]["item_rest_r"] == pytest.approx(0.0985434839808576, abs=1e-6)  # psych r.drop
    assert "alpha_rises" in payload["items"]["q5"]["flags"] and payload["items"]["q1"]["flags"] == []
    assert payload["information_method"].startswith("item information of the graded model")


def test_comma_form_and_reverse_keying_leave_dont_know_codes_alone(capsys):
    code, out, _ = run(capsys, "item-quality", DATA, "--items", "q1,q2,q3", "--items", "q4", "--reverse", "q4",
                       "--low", "1", "--high", "5", "--dont-know", "9", "--no-information", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["items"]["q4"]["item_rest_r"] < 0 and "negative_item_rest" in payload["items"]["q4"]["flags"]
    assert payload["items"]["q4"]["dont_know"] == pytest.approx(0.015)
    assert payload["information_reason"] == "not asked"


@pytest.mark.parametrize(("args", "message"), [
    (["--items", "q1", "q2", "--low", "1", "--high", "5"], "row 6: code 9 is outside 1..5"),
    (["--items", "q1", "nope"], "nope"),
    (["--items", "q1"], "at least two items"),
    (["--items", "q1", "q2", "--reverse", "q2"], "--reverse needs --low and --high"),
    (["--items", "q1", "q2", "--low", "1"], "both --low and --high"),
])
def test_bad_input_is_one_clear_message(capsys, args, message):
    code, _, err = run(capsys, "item-quality", DATA, *args)
    assert code == 2 and message in err


def test_instrument_scale_brings_items_reverse_keys_limits_and_dont_know_codes(capsys):
    import pandas as pd

    sample = Path(__file__).parents[2] / "sample_data" / "responses.csv"
    code, out, _ = run(capsys, "item-quality", sample, "--instrument", "samhandlingsklima", "--scale", "sk_info",
                       "--no-information", "--json")
    assert code == 0
    payload = json.loads(out)
    assert list(payload["items"]) == ["sk_info1", "sk_info2", "sk_info3", "sk_info4"] and payload["codes"] == ["1", "2", "3", "4", "5"]
    assert payload["items"]["sk_info4"]["item_rest_r"] > 0.3, "sk_info4 is reverse-keyed by the instrument"
    raw = pd.read_csv(sample)["sk_info2"]
    assert payload["items"]["sk_info2"]["dont_know"] == pytest.approx((raw == 9).mean())
    code, _, err = run(capsys, "item-quality", sample, "--instrument", "samhandlingsklima", "--items", "sk_info1")
    assert code == 2 and "go without --instrument" in err
