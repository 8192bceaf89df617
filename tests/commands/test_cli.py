"""The samklima command: exit codes 0 / 2 / 1, messages without tracebacks, real output."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pyreadstat
import pytest

from scoring.cli import main


def run(capsys, *args):
    code = main(list(map(str, args)))
    out, err = capsys.readouterr()
    return code, out, err


def test_instruments_json_contract(capsys):
    code, out, _ = run(capsys, "instruments", "--json")
    assert code == 0
    listing = json.loads(out)
    sk = next(i for i in listing if i["id"] == "samhandlingsklima")
    assert set(sk) == {"id", "version", "title", "languages", "status", "language_status", "scales", "items"}
    assert set(sk["title"]) >= {"nb", "en"}
    scale = sk["scales"][0]
    assert set(scale) == {"id", "name", "items", "reverse", "scoring", "min_answered"}
    assert scale["reverse"] and set(scale["reverse"]) <= set(scale["items"])
    assert set(sk["items"][0]) == {"id", "text", "response_scale", "reverse"}


def test_instruments_plain_listing(capsys):
    code, out, _ = run(capsys, "instruments")
    assert code == 0 and "samhandlingsklima" in out and "medbestemmelse" in out


def test_validate_ok_and_bad(capsys, mini_path, tmp_path):
    assert run(capsys, "validate", mini_path)[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(mini_path.read_text(encoding="utf-8").replace("mi_v1, mi_v2]", "mi_v1, mi_vx]"), encoding="utf-8")
    code, _, err = run(capsys, "validate", bad)
    assert code == 2
    assert f"{bad}:" in err and "scales[3].items[1]: unknown item 'mi_vx'" in err
    assert "Traceback" not in err


def test_validate_missing_file_is_a_user_error(capsys, tmp_path):
    code, _, err = run(capsys, "validate", tmp_path / "nope.yaml")
    assert code == 2 and "file not found" in err


def test_schema_matches_committed_file(capsys):
    from tests.conftest import REPO

    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out) == json.loads((REPO / "instruments" / "schema.json").read_text(encoding="utf-8"))


def test_committed_instruments_obey_the_json_schema():
    import jsonschema
    from ruamel.yaml import YAML

    from scoring.instrument.catalog import bundled_files
    from tests.conftest import REPO

    schema = json.loads((REPO / "instruments" / "schema.json").read_text(encoding="utf-8"))
    for path in bundled_files():
        data = json.loads(json.dumps(YAML(typ="safe").load(path.read_text(encoding="utf-8")), default=str))
        jsonschema.validate(data, schema)


def _responses(tmp_path):
    df = pd.DataFrame(
        {"response": ["r1", "r2"], "unit": ["A", "B"], "mi_a1": [5, 1], "mi_a2": [4, 9], "mi_a3": [2, 5],
         "mi_a4": [3, None], "mi_v1": [7.5, 0.0], "mi_v2": [8.0, 0.1]}
    )
    return df


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav"])
def test_score_reads_csv_xlsx_sav(capsys, tmp_path, mini_path, suffix):
    df = _responses(tmp_path)
    path = tmp_path / f"data{suffix}"
    if suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix == ".xlsx":
        df.to_excel(path, index=False)
    else:
        pyreadstat.write_sav(df, str(path), missing_ranges={"mi_a2": [9]})
    out = tmp_path / "scores.csv"
    code, _, err = run(capsys, "score", "--instrument", mini_path, path, "--out", out)
    assert code == 0, err
    scores = pd.read_csv(out)
    assert list(scores.columns) == ["response", "unit", "mi_a", "mi_a_sum", "mi_a_pomp", "mi_v"]
    assert scores.loc[0, "mi_a"] == pytest.approx(4.0)
    # r2: 1, (9 = vet ikke), reversed 5 -> 1, blank: two of four answered -> mean 1
    assert scores.loc[1, "mi_a"] == pytest.approx(1.0)
    assert scores.loc[1, "mi_v"] == pytest.approx(0.1)


def test_score_bad_data_exits_2_with_rows_and_columns(capsys, tmp_path, mini_path):
    df = _responses(tmp_path)
    df.loc[1, "mi_a1"] = 6
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    code, out, err = run(capsys, "score", "--instrument", mini_path, path)
    assert code == 2 and out == ""
    assert "row 2: mi_a1: value 6 is not on the response scale" in err


def test_score_unknown_instrument(capsys, tmp_path):
    path = tmp_path / "data.csv"
    _responses(tmp_path).to_csv(path, index=False)
    code, _, err = run(capsys, "score", "--instrument", "nosuch", path)
    assert code == 2 and "no bundled instrument 'nosuch'" in err


def test_console_script_exit_code_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "scoring", "validate", str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "YAML syntax error" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_option_value_is_a_usage_error_not_a_crash(capsys, tmp_path):
    code, _, err = run(capsys, "sample", "--out", tmp_path, "--respondents", "abc")
    assert code == 2 and "Traceback" not in err and "internal error" not in err
