"""Issue 16 defects: a CSV as R writes it (missing = ``NA``) reads as the same data with empty
cells in every command that takes a data file, and ``--items`` takes one form everywhere (space-
separated after one flag, comma-separated, or repeated, in any mix).

The R file is tests/reference/data/multilevel_r_na.csv (``write.csv`` defaults, by rcsv.R): 300
rows, ``id``, ``unit``, ``m1..m4`` with 21 NA cells. The empty-cell twin is written here from it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer

from scoring.cli import main
from scoring.commands import register_all
from scoring.commands._options import split_names

R_CSV = Path(__file__).parents[1] / "reference" / "data" / "multilevel_r_na.csv"
ITEMS = ["m1", "m2", "m3", "m4"]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def empty_twin(tmp_path_factory) -> Path:
    """The R file with every NA cell written as an empty cell (pandas/Excel style)."""
    text = R_CSV.read_text(encoding="utf-8")
    assert text.count(",NA") == 21  # the fixture has the NA cells this test is about
    path = tmp_path_factory.mktemp("twin") / "multilevel_empty.csv"
    path.write_text(re.sub(r"(?<=,)NA(?=,|\n)", "", text), encoding="utf-8")
    return path


COMMANDS = {
    "reliability": ["reliability", "{data}", "--items", *ITEMS],
    "efa": ["efa", "{data}", "--items", *ITEMS, "--factors", "1"],
    "omega": ["omega", "{data}", "--items", *ITEMS, "--factors", "1"],
    "aggregate": ["aggregate", "{data}", "--items", *ITEMS, "--unit", "unit"],
    "cfa": ["cfa", "{data}", "--model", "f =~ m1 + m2 + m3 + m4", "--missing", "ml"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_an_r_written_csv_gives_the_numbers_of_the_same_data_with_empty_cells(capsys, empty_twin, name):
    results = []
    for data in (R_CSV, empty_twin):
        code, out, err = run(capsys, *[data if a == "{data}" else a for a in COMMANDS[name]], "--json")
        assert code == 0, err
        results.append(json.loads(out))
    assert results[0] == results[1]
    if name == "reliability":  # the NA cells are missing answers, not dropped rows
        assert results[0]["scales"][0]["n"] == 300


def test_irt_and_polychoric_read_an_r_written_csv_as_empty_cells(capsys, empty_twin, tmp_path):
    """The graded model on the first 120 rows (kept small for time): same fit from both files."""
    small = {}
    for label, data in (("r", R_CSV), ("empty", empty_twin)):
        lines = data.read_text(encoding="utf-8").splitlines()[:121]
        small[label] = tmp_path / f"{label}.csv"
        small[label].write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ",NA" in small["r"].read_text()
    outs = []
    for data in small.values():
        code, out, err = run(capsys, "irt", data, "--items", *ITEMS, "--json")
        assert code == 0, err
        outs.append(json.loads(out)["parameters"])
    assert outs[0] == outs[1]
    polys = []
    for data in small.values():
        code, out, err = run(capsys, "polychoric", data, "--items", *ITEMS, "--json")
        assert code == 0, err
        polys.append(json.loads(out))
    assert polys[0] == polys[1] and min(min(row) for row in polys[0]["n_pairs"]) < 120  # pairwise: NA cells left out


def test_other_text_in_an_item_is_one_message_with_file_row_and_column(capsys, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('"unit","m1","m2","m3"\n"a",1,NA,3\n"a",2,2,N/A\n"b",.,3,NaN\n', encoding="utf-8")
    for command in (["reliability"], ["efa"], ["omega", "--factors", "1"], ["aggregate", "--unit", "unit"], ["irt"], ["polychoric"]):
        code, _, err = run(capsys, command[0], path, "--items", "m1", "m2", "m3", *command[1:])
        assert code == 2, (command, err)
        assert f"{path}: row 2: m3: text 'N/A' in a numeric item" in err and "Traceback" not in err, (command, err)
        assert "'NA'" not in err and "'.'" not in err and "'NaN'" not in err


# ------------------------------------------------------------------ one --items form everywhere

FORMS = {
    "space-separated": ["--items", "m1", "m2", "m3"],
    "comma-separated": ["--items", "m1,m2,m3"],
    "repeated": ["--items", "m1", "--items", "m2", "--items", "m3"],
    "mixed": ["--items", "m1,m2", "--items", "m3"],
}
ITEM_COMMANDS = {
    "reliability": [],
    "efa": ["--factors", "1"],
    "omega": ["--factors", "1"],
    "aggregate": ["--unit", "unit"],
    "irt": [],
    "polychoric": [],
}


def _parsed(name: str, args: list[str]) -> dict:
    """The parameters click gives the command for ``args`` (parsing only, nothing is computed)."""
    app = typer.Typer()
    register_all(app)
    command = typer.main.get_command(app).commands[name]
    with command.make_context(name, list(args)) as ctx:
        return ctx.params


@pytest.mark.parametrize("name", list(ITEM_COMMANDS))
@pytest.mark.parametrize("form", list(FORMS))
def test_every_command_takes_items_in_every_form(name, form):
    params = _parsed(name, ["data.csv", *FORMS[form], *ITEM_COMMANDS[name]])
    assert split_names(params["items"]) == ["m1", "m2", "m3"] and str(params["data"]) == "data.csv"


@pytest.mark.parametrize("name", list(ITEM_COMMANDS))
def test_data_after_a_space_separated_list_is_still_the_data_file(name):
    params = _parsed(name, ["--items", "m1", "m2", "m3", "answers.CSV", *ITEM_COMMANDS[name]])
    assert split_names(params["items"]) == ["m1", "m2", "m3"] and str(params["data"]) == "answers.CSV"


def test_space_separated_items_run_the_same_analysis_as_commas(capsys):
    """One end-to-end check that the parsed forms reach the analysis (efa, the cheapest)."""
    outs = []
    for form in ("space-separated", "comma-separated"):
        code, out, err = run(capsys, "efa", R_CSV, *FORMS[form], "--json")
        assert code == 0, err
        outs.append(json.loads(out))
    assert outs[0] == outs[1] and outs[0]["items"] == ["m1", "m2", "m3"]


def test_reliability_reverse_and_cfa_scale_take_the_same_forms():
    params = _parsed("reliability", ["d.csv", "--items", "m1", "m2", "m3", "--reverse", "m1,m2"])
    assert split_names(params["reverse"]) == ["m1", "m2"]
    params = _parsed("cfa", ["d.csv", "--instrument", "x", "--scale", "a", "b", "--scale", "c,d"])
    assert split_names(params["scales"]) == ["a", "b", "c", "d"]


def test_instrument_commands_read_na_as_missing_as_code_responses_does(capsys, tmp_path):
    """score and reliability --instrument go through code_responses: NA, NaN, . and empty are the
    same missing answer (the mini instrument of tests/fixtures; 9 stays its user-missing code)."""
    header = '"response","unit","mi_a1","mi_a2","mi_a3","mi_a4","mi_v1","mi_v2"\n'
    rows = [
        '"r1","a",1,2,NA,4,5.5,NA', '"r2","a",2,NA,3,9,6,7', '"r3","b",3,3,NaN,2,.,1',
        '"r4","b",5,4,2,1,2,3', '"r5","a",4,5,1,NA,8,9.5', '"r6","b",2,2,4,3,1,0',
    ]
    r_file, twin = tmp_path / "r.csv", tmp_path / "empty.csv"
    r_file.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    twin.write_text(header + "\n".join(re.sub(r"(?<=,)(NA|NaN|\.)(?=,|$)", "", row) for row in rows) + "\n", encoding="utf-8")
    mini = Path(__file__).parents[1] / "fixtures" / "mini.yaml"
    outs = []
    for data in (r_file, twin):
        code, out, err = run(capsys, "score", data, "--instrument", mini)
        assert code == 0, err
        code, rel, err = run(capsys, "reliability", data, "--instrument", mini, "--json")
        assert code == 0, err
        outs.append((out, json.loads(rel)))
    assert outs[0] == outs[1]
    assert outs[0][1]["scales"][0]["n"] == 6
