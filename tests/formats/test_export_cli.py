"""``samklima export`` and ``samklima import-sav`` on a demo database (``samklima demo`` into a
temporary SQLite file): every format, the JSON contract, clear errors, and the .sav round trip
back into the database."""

from __future__ import annotations

import json

import pandas as pd
import pyreadstat
import pytest

from scoring.cli import main
from scoring.formats.files import FORMATS
from scoring.formats.spss import build_export, write_sav
from scoring.store.db import database_url, ready_engine
from scoring.store.organisation import read_units
from scoring.store.read import read_responses
from tests.pspp.sample_export import demo_database, staff_instruments

STAFF = ("-i", "samhandlingsklima", "-i", "medbestemmelse")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("db")
    with demo_database(folder):
        assert main(["demo"]) == 0
        assert main(["round", "create", "--name", "2027-1", "--instrument", "samhandlingsklima", "--instrument", "medbestemmelse", "--opens", "2027-03-01", "--closes", "2027-03-28"]) == 0
        yield folder


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_every_format_with_its_companions_and_a_json_report(demo, capsys, fmt):
    out = demo / f"runde.{fmt}"
    code, stdout, err = run(capsys, "export", "--round", "2024-1", "--format", fmt, "--scores", "--out", out, "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert set(report) == {"round", "rounds", "layout", "format", "responses", "variables", "min_n", "files", "warnings"}
    assert report["round"] == "2024-1" and report["responses"] == 200 and report["min_n"] == 5
    expected = {"data"} | ({"syntax"} if fmt in ("sav", "zsav") else set()) | (set() if fmt == "xlsx" else {"codebook_html", "codebook_csv"})
    assert set(report["files"]) == expected
    assert all(pd.io.common.file_exists(p) for p in report["files"].values())
    assert any("anonymity (min_n = 5)" in w for w in report["warnings"])


def test_export_reads_the_rounds_frozen_instruments_and_database_ids(demo, capsys):
    out = demo / "en.sav"
    assert run(capsys, "export", "--round", "2026-1", "--lang", "en", "--out", out)[0] == 0
    data, meta = pyreadstat.read_sav(str(out), user_missing=True)
    assert len(data) == 204
    assert meta.column_names_to_labels["unit"] == "Unit"
    assert meta.variable_value_labels["instrument_version"] == {1.0: "samhandlingsklima 1.0.0, medbestemmelse 1.0.0"}
    assert meta.original_variable_types["response"] == "A32"  # the random ids of the database
    assert data["response"].str.fullmatch("[0-9a-f]{32}").all()
    assert (out.parent / "en.sps").read_text(encoding="utf-8-sig").startswith("* Encoding: UTF-8.")


def test_unknown_round_empty_round_and_bad_options_are_user_errors(demo, capsys):
    code, _, err = run(capsys, "export", "--round", "nope", "--out", demo / "x.sav")
    assert code == 2 and "no round named 'nope' (rounds: 2024-1, 2025-1, 2026-1, 2027-1)" in err
    code, _, err = run(capsys, "export", "--round", "2027-1", "--out", demo / "x.sav")
    assert code == 2 and "round '2027-1' has no responses: nothing to export" in err
    code, _, err = run(capsys, "export", "--round", "2024-1", "--format", "sas", "--lang", "de", "--out", demo / "x.sav")
    assert code == 2 and "--format must be one of" in err and "not 'sas'" in err and "--language must be one of" in err and "not 'de'" in err
    code, _, err = run(capsys, "export", "--round", "2024-1", "--format", "dta", "--out", demo / "x.sav")
    assert code == 2 and "should end in .dta" in err
    code, _, err = run(capsys, "export", "--round", "2024-1", "--min-n", "3", "--out", demo / "x.sav")
    assert code == 2 and "promises min_n = 5" in err
    assert not (demo / "x.sav").exists()
    assert "Traceback" not in err


def test_a_higher_min_n_merges_more_units(demo, capsys):
    code, stdout, _ = run(capsys, "export", "--round", "2024-1", "--min-n", "15", "--out", demo / "m.csv", "--format", "csv", "--json")
    assert code == 0 and json.loads(stdout)["min_n"] == 15
    units = pd.read_csv(demo / "m.csv", dtype=str)["unit"].dropna()
    assert units.value_counts().min() >= 15


def test_an_export_from_the_database_is_sorted_by_the_unit_shown_then_the_random_id(demo, capsys):
    """Small units are merged into their parent; their rows are not grouped by the smaller unit."""
    out = demo / "sorted.csv"
    code, stdout, _ = run(capsys, "export", "--round", "2024-1", "--min-n", "15", "--out", out, "--format", "csv", "--json")
    assert code == 0 and any("merged" in w for w in json.loads(stdout)["warnings"])
    frame = pd.read_csv(out, dtype=str)
    rank = {u: i for i, u in enumerate(read_units(ready_engine(database_url()))["unit"])}
    keys = [(rank.get(u, len(rank)) if isinstance(u, str) else len(rank) + 1, r) for u, r in zip(frame["unit"], frame["response"])]
    assert keys == sorted(keys)


def _copy_for_round(engine, round_name: str) -> tuple[pd.DataFrame, str]:
    """A round's responses from units with at least 5 answers, as if collected for ``round_name``."""
    responses = read_responses(engine, "2025-1")
    counts = responses["unit"].value_counts()
    responses = responses[responses["unit"].isin(counts[counts >= 5].index)].reset_index(drop=True)
    return responses.assign(round=round_name), "2025-1 (copy for a test)"


def test_import_sav_round_trip_stores_the_same_answers_once(demo, capsys):
    engine = ready_engine(database_url())
    responses, label = _copy_for_round(engine, "2027-1")
    export = build_export(responses, staff_instruments(), read_units(engine), scores=True, round_name=label)
    write_sav(export, demo / "copy.sav")

    code, stdout, err = run(capsys, "import-sav", demo / "copy.sav", *STAFF, "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert report["responses"] == len(responses) and report["stored"] is None
    sk = report["instruments"][0]
    items = staff_instruments()[0].item_ids
    assert sk["user_missing"] == int((responses[items] == 9).sum().sum())
    assert sk["blank"] == int(responses[items].isna().sum().sum())
    assert "sk_info" in report["dropped_columns"]

    code, stdout, err = run(capsys, "import-sav", demo / "copy.sav", *STAFF, "--round", "2027-1", "--json")
    assert code == 0, err
    assert json.loads(stdout)["stored"] == len(responses)
    stored = read_responses(engine, "2027-1")
    assert len(stored) == len(responses)
    assert not set(stored["response"]) & set(responses["response"])  # new random ids, not the file's
    all_items = [i for inst in staff_instruments() for i in inst.item_ids]
    compared = ["unit", "language", "role", "tenure", "position", "sk_partner", "date", *all_items]

    def rows(frame):  # the same rows, whatever their order (the store sorts by unit and random id)
        text = frame[compared].astype(str).replace({"<NA>": "", "None": "", "nan": ""})
        return text.sort_values(compared).reset_index(drop=True)

    pd.testing.assert_frame_equal(rows(stored), rows(responses.astype({i: float for i in all_items})))

    code, stdout, _ = run(capsys, "import-sav", demo / "copy.sav", *STAFF, "--round", "2027-1", "--json")
    assert code == 0 and json.loads(stdout)["stored"] == 0 and json.loads(stdout)["skipped"] == len(responses)


def test_import_sav_refuses_a_code_off_the_scale_and_stores_nothing(demo, capsys):
    engine = ready_engine(database_url())
    responses, label = _copy_for_round(engine, "2027-1")
    responses = responses.assign(response=responses["response"] + "-copy")
    responses.loc[2, "mb_egen3"] = 7
    export_frame = responses.copy()
    export_frame.loc[2, "mb_egen3"] = 3  # the builder checks codes too; the edit happens "in SPSS"
    export = build_export(export_frame, staff_instruments(), read_units(engine), round_name=label)
    export.frame.loc[2, "mb_egen3"] = 7
    write_sav(export, demo / "bad.sav")
    before = len(read_responses(engine, "2027-1"))
    code, _, err = run(capsys, "import-sav", demo / "bad.sav", *STAFF, "--round", "2027-1")
    assert code == 2 and "row 3: mb_egen3: value 7.0 is not on the response scale" in err
    assert len(read_responses(engine, "2027-1")) == before


def test_import_sav_refuses_to_store_an_export_in_its_own_round_again(demo, capsys):
    assert run(capsys, "export", "--round", "2024-1", "--out", demo / "own.sav")[0] == 0
    code, _, err = run(capsys, "import-sav", demo / "own.sav", *STAFF, "--round", "2024-1")
    assert code == 2 and "Samklima export of round '2024-1'" in err and "count every response twice" in err


# --- several rounds, wide, and the actions table (issue 16) ------------------------------------


def test_several_rounds_long_with_the_actions_table_beside_them(demo, capsys):
    code, _, err = run(capsys, "actions", "add", "--round", "2024-1", "--unit", "k1.ho.hj1", "--scale", "sk_info",
                       "--what", "=HYPERLINK(\"http://x\")", "--owner", "Enhetsleder", "--due", "2024-06-01")  # fmt: skip
    assert code == 0, err
    out = demo / "to.sav"
    code, stdout, err = run(capsys, "export", "--round", "2025-1", "--round", "2024-1", "--actions", "--out", out, "--json")
    assert code == 0, err
    report = json.loads(stdout)
    assert report["rounds"] == ["2024-1", "2025-1"] and report["layout"] == "long"
    assert report["actions"]["rows"] == 1 and set(report["actions"]["files"]) == {"data", "syntax", "codebook_html", "codebook_csv"}
    data, meta = pyreadstat.read_sav(str(out), user_missing=True)
    assert report["responses"] == len(data) == 200 + 196
    assert meta.variable_value_labels["round"] == {1.0: "2024-1 (2024-03-01–2024-03-28)", 2.0: "2025-1 (2025-03-01–2025-03-28)"}
    actions, actions_meta = pyreadstat.read_sav(str(demo / "to.actions.sav"))
    assert actions_meta.variable_value_labels["unit"] == meta.variable_value_labels["unit"]
    assert actions_meta.variable_value_labels["unit"][actions["unit"][0]] == "Hjemmetjenesten sone Nord (k1.ho.hj1)"
    assert actions["what"][0] == "=HYPERLINK(\"http://x\")"  # SPSS runs no formulas; CSV and Excel escape them
    assert run(capsys, "export", "--round", "2024-1", "--round", "2025-1", "--actions", "--format", "csv", "--out", demo / "to.csv")[0] == 0
    assert pd.read_csv(demo / "to.actions.csv", dtype=str)["what"][0] == "'=HYPERLINK(\"http://x\")"
    code, _, err = run(capsys, "import-sav", out, *STAFF, "--round", "2025-1")  # either of its rounds
    assert code == 2 and "Samklima export of round '2025-1'" in err and "count every response twice" in err


def test_wide_from_the_cli_is_the_organisations_publication(demo, capsys, monkeypatch):
    """The publication itself is tested in tests/privacy; here a stand-in with one shown and one
    hidden cell checks that the command asks for the rounds' organisation-wide publication."""
    import types

    import scoring.store.publication as store_publication

    asked = []

    def fake_publication(engine, rounds, viewer=None):
        asked.append((list(rounds), viewer))
        rows = [("overview", "2024-1", "k1", None, 141, None, None, False), ("compare", "2024-1", "k1", "sk_info", 140, 3.7, 0.7, False),
                ("compare", "2024-1", "k1.ho.hj1.t2", "sk_info", None, None, None, True)]
        cells = pd.DataFrame(rows, columns=["page", "round", "unit", "scale", "n", "mean", "sd", "hidden"]).assign(partner=None)
        return types.SimpleNamespace(cells=cells)

    monkeypatch.setattr(store_publication, "publication", fake_publication)
    out = demo / "wide.sav"
    code, stdout, err = run(capsys, "export", "--round", "2024-1", "--layout", "wide", "--lang", "en", "--out", out, "--json")
    assert code == 0, err
    assert asked == [(["2024-1"], None)] and json.loads(stdout)["units"] == 2
    data, meta = pyreadstat.read_sav(str(out))
    assert list(data["responses_r1"].fillna(-1)) == [141, -1] and data["sk_info_mean_r1"][0] == pytest.approx(3.7)
    assert data["sk_info_mean_r1"].isna()[1]
    assert meta.column_names_to_labels["sk_info_mean_r1"].endswith("mean, round 2024-1")


def test_wide_clients_from_the_cli_has_one_row_per_client_and_no_client_id(demo, capsys):
    out = demo / "klienter.sav"
    code, stdout, err = run(capsys, "export", "--round", "2024-1", "--round", "2025-1", "--layout", "wide", "--clients",
                            "--out", out, "--json")  # fmt: skip
    assert code == 0, err
    report = json.loads(stdout)
    data, meta = pyreadstat.read_sav(str(out))
    feedback = pd.read_csv("sample_data/feedback.csv", dtype=str)
    dates = pd.to_datetime(feedback["date"])
    in_periods = feedback[dates >= "2024-03-01"].groupby(["unit", "client"]).ngroups
    assert report["clients"] == len(data) == in_periods and report["layout"] == "wide"
    assert {"contacts_r1", "fu_total_first_r1", "fs_total_last_r2"} <= set(data.columns)
    assert sorted(data["client"]) == list(range(1, len(data) + 1))
    assert meta.file_label == "Samklima, klienter, runder 2024-1–2025-1"
    assert not set(feedback["client"]) & set(open(demo / "klienter.sps", encoding="utf-8").read().split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--layout", "wide"), "give --round NAME (once or more for several rounds) or --all-rounds"),
        (("--round", "2024-1", "--round", "nope", "--round", "nix"), "no round named 'nix'"),
        (("--round", "2024-1", "--all-rounds"), "or --all-rounds, not both"),
        (("--round", "2024-1", "--layout", "tall"), "--layout must be one of"),
        (("--round", "2024-1", "--layout", "wide", "--scores"), "--scores belongs to the long layout"),
        (("--round", "2024-1", "--round", "2025-1", "--min-n", "4"), "promises min_n = 5"),
        (("--round", "2024-1", "--clients"), "--clients is the wide layout"),
        (("--round", "2024-1", "--layout", "wide", "--clients", "--scores"), "--scores belongs to the staff long layout"),
        (("--round", "2024-1", "--layout", "wide", "--clients", "--min-n", "3"), "may not use less"),
    ],
)
def test_bad_multi_round_requests_are_user_errors_that_write_nothing(demo, capsys, args, message):
    target = demo / "bad-rounds.sav"
    code, _, err = run(capsys, "export", *args, "--out", target)
    assert code == 2 and message in err and "Traceback" not in err
    assert not target.exists()
