"""``samklima analyse``: the table of every scale, JSON, the round chosen, one clear message (exit 2)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from scoring.cli import main
from tests.conftest import REPO

DATA = REPO / "sample_data" / "responses.csv"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_every_scale_of_the_instruments_in_the_data(capsys):
    code, out, _ = run(capsys, "analyse", DATA, "--unit", "unit", "--round", "2025-1", "--bootstrap", "100", "--seed", "4", "--json")
    assert code == 0
    payload = json.loads(out, parse_constant=lambda c: pytest.fail(c))
    table = pd.DataFrame(payload["table"])
    assert sorted(set(table["instrument"])) == ["medbestemmelse", "samhandlingsklima"] and len(table) == 14
    assert (table["ci_method"] == "bootstrap").all() and (table["ci_low"] < table["alpha"]).all()
    total = next(s for s in payload["scales"] if s["reliability"]["scale"] == "sk_total")
    row = table.set_index("scale").loc["sk_total"]
    assert row["alpha"] == total["reliability"]["alpha"] and row["icc2"] == total["aggregation"]["icc2"]
    assert row["units_shown"] == total["aggregation"]["n_shown"]


def test_one_instrument_and_feldt_without_the_bootstrap(tmp_path, capsys):
    one_round = tmp_path / "round.csv"
    table = pd.read_csv(DATA)
    table[table["round"] == "2024-1"].to_csv(one_round, index=False)
    code, out, _ = run(capsys, "analyse", one_round, "-u", "unit", "-i", "medbestemmelse", "--bootstrap", "0")
    assert code == 0
    assert "alpha's 95% CI: Feldt" in out and "mb_tillit" in out and "sk_total" not in out


@pytest.mark.parametrize(("args", "message"), [
    ([], "holds 3 rounds (2024-1, 2025-1, 2026-1); choose one with --round"),
    (["--round", "2030-1"], "no round '2030-1' in the table"),
    (["--round", "2026-1", "--bootstrap", "-1"], "--bootstrap must be 0 or more"),
    (["--round", "2026-1", "--min-n", "1"], "min_n"),
    (["--round", "2026-1", "-i", "no_such_instrument"], "no_such_instrument"),
])
def test_bad_input_gets_one_message_and_exit_2(capsys, args, message):
    code, _, err = run(capsys, "analyse", DATA, "--unit", "unit", *args)
    assert code == 2
    assert message in err


def test_a_missing_unit_column_is_named(capsys):
    code, _, err = run(capsys, "analyse", DATA, "--unit", "team", "--round", "2026-1")
    assert code == 2 and "no unit column 'team'" in err
