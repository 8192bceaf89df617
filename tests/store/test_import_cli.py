"""``samklima import``: answers collected elsewhere (CSV, Excel, .sav, an ODK/KoBoToolbox export),
validated against the round's instruments; all or nothing unless --good-rows-only, in which case
the bad rows come back in the --rejected file, ready to be fixed and imported again."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pandas as pd
import pyreadstat
import pytest
from sqlalchemy import select

from scoring.store import api
from scoring.store.db import make_engine, migrate
from scoring.store.models import Response
from tests.cli_database import cli_engine, run
from tests.conftest import FIXTURES, REPO

SAMPLE = REPO / "sample_data"
STAFF = ["samhandlingsklima", "medbestemmelse"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A migrated SQLite file with the sample units and an open round 2026-1, made once."""
    path = tmp_path_factory.mktemp("template") / "samklima.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    api.import_units(engine, SAMPLE / "units.csv")
    api.create_round(engine, "2026-1", STAFF, "all", opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    engine.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture
def engine(template, tmp_path, monkeypatch):
    """A copy of the template database, the one the CLI uses (SAMKLIMA_DATABASE_URL)."""
    shutil.copyfile(template, tmp_path / "samklima.db")
    yield from cli_engine(tmp_path / "samklima.db", monkeypatch)


def stored(engine) -> pd.DataFrame:
    return api.read_responses(engine, "2026-1")


def sample_rows(n: int = 10) -> pd.DataFrame:
    """The first rows of the sample responses for round 2026-1, with two bad rows (3 and 7)."""
    rows = pd.read_csv(SAMPLE / "responses.csv", dtype=str, keep_default_na=False).head(n)
    rows["round"] = "2026-1"
    rows.loc[rows.index[2], "sk_info1"] = "7"
    rows.loc[rows.index[6], "unit"] = "k1"  # a unit outside the round
    return rows


def write(rows: pd.DataFrame, path):
    """As a CSV of text, or as Excel / SPSS with numeric item columns (as those programs store them)."""
    if path.suffix == ".csv":
        rows.to_csv(path, index=False)
        return path
    numeric = rows.copy()
    items = [c for c in rows.columns if c.startswith(("sk_", "mb_")) and c != "sk_partner"]
    numeric[items] = numeric[items].apply(pd.to_numeric, errors="coerce")
    if path.suffix == ".xlsx":
        numeric.to_excel(path, index=False)
    else:
        pyreadstat.write_sav(numeric, str(path))
    return path


def test_a_file_with_bad_rows_stores_nothing_and_reports_every_bad_row(engine, capsys, tmp_path):
    path = write(sample_rows(), tmp_path / "answers.csv")
    code, _, err = run(capsys, "import", path, "--round", "2026-1")
    assert code == 2
    assert f"{path}: row 3: sk_info1: value 7 is not on the response scale (1..5, missing code 9)" in err
    assert f"{path}: row 7: unit: unit 'k1' is not part of round '2026-1'" in err
    assert "2 bad row(s) of 10" in err and "Nothing was stored" in err and "--good-rows-only" in err
    assert len(stored(engine)) == 0


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".sav"])
def test_good_rows_only_stores_the_good_rows_and_returns_the_bad_ones_as_a_file(engine, capsys, tmp_path, suffix):
    path = write(sample_rows(), tmp_path / f"answers{suffix}")
    rejected = tmp_path / "rejected.csv"
    code, out, err = run(capsys, "import", path, "--round", "2026-1", "--good-rows-only", "--rejected", rejected, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["stored"], report["bad"], report["rejected_file"]) == (8, 2, str(rejected))
    back = pd.read_csv(rejected, dtype=str, keep_default_na=False)
    assert list(back["row"]) == ["3", "7"]
    assert list(back["problem"]) == [
        "sk_info1: value 7 is not on the response scale (1..5, missing code 9)",
        "unit: unit 'k1' is not part of round '2026-1'",
    ]
    assert list(back.columns[2:]) == list(sample_rows().columns)  # the rows as they were read
    assert len(stored(engine)) == 8

    back.loc[0, "sk_info1"] = "4"
    back.loc[1, "unit"] = "k1.ho.shj1"
    back.to_csv(rejected, index=False)  # fixed by the user, imported again
    fixed = tmp_path / "fixed.csv"
    rejected.rename(fixed)
    code, out, err = run(capsys, "import", fixed, "--round", "2026-1", "--json")
    assert code == 0, err
    assert json.loads(out)["stored"] == 2 and set(json.loads(out)["ignored_columns"]) == {"row", "problem"}
    assert len(stored(engine)) == 10
    code, out, _ = run(capsys, "import", path, "--round", "2026-1", "--good-rows-only", "--rejected", rejected, "--json")
    assert json.loads(out)["skipped"] == 8 and len(stored(engine)) == 10  # importing again adds nothing


def test_rejected_without_good_rows_only_reports_every_bad_row_in_the_file_and_stores_nothing(engine, capsys, tmp_path):
    rows = sample_rows(40)
    rows.loc[rows.index[10:35], "mb_egen1"] = "0"  # 25 more bad rows: more than the message lists
    path = write(rows, tmp_path / "answers.csv")
    rejected = tmp_path / "bad.xlsx"
    code, _, err = run(capsys, "import", path, "--round", "2026-1", "--rejected", rejected)
    assert code == 2 and "27 bad row(s) of 40; the first 20 problems are listed" in err
    assert f"Every bad row, with its problems, is in {rejected}" in err
    assert len(pd.read_excel(rejected)) == 27
    assert len(stored(engine)) == 0


def test_good_rows_only_without_rejected_writes_the_bad_rows_beside_the_file(engine, capsys, tmp_path):
    path = write(sample_rows(), tmp_path / "answers.csv")
    code, out, _ = run(capsys, "import", path, "--round", "2026-1", "--good-rows-only")
    assert code == 0 and f"the bad rows, with their problems, are in {tmp_path / 'answers-rejected.csv'}" in out
    assert len(pd.read_csv(tmp_path / "answers-rejected.csv")) == 2


# --- ODK Central / KoBoToolbox exports of the XLSForm ---------------------------------------------

def test_a_kobotoolbox_export_is_all_or_nothing_through_the_same_checks(engine, capsys, tmp_path):
    """tests/fixtures/kobo_export.csv: group-prefixed columns (sk_info/sk_info1, bakgrunn/role),
    Kobo metadata (_uuid, _submission_time, _submitted_by...); row 3 has a 7, row 5 a unit
    outside the round."""
    source = FIXTURES / "kobo_export.csv"
    code, _, err = run(capsys, "import", source, "--round", "2026-1")
    assert code == 2
    assert f"{source}: row 3: sk_info2: value 7 is not on the response scale" in err
    assert f"{source}: row 5: unit: unit 'k1.ho' is not part of round '2026-1'" in err
    assert len(stored(engine)) == 0

    rejected = tmp_path / "kobo-rejected.csv"
    code, out, err = run(capsys, "import", source, "--round", "2026-1", "--good-rows-only", "--rejected", rejected, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["layout"], report["stored"], report["bad"]) == ("xlsform", 3, 2)
    assert {"_submitted_by", "_submission_time", "start", "end"} <= set(report["ignored_columns"])
    back = pd.read_csv(rejected, dtype=str, keep_default_na=False)
    assert list(back["row"]) == ["3", "5"] and "sk_info/sk_info2" in back.columns  # as exported, to fix and re-import

    wide = stored(engine)
    first = wide.iloc[0]
    assert (first["unit"], first["role"], first["tenure"], first["position"], first["sk_partner"]) == (
        "k1.ho.hj1.t1", "sykepleier", "<1", "100", "nav1",
    )  # fmt: skip
    assert first["date"] == pd.Timestamp("2026-03-02")  # the form's `today`, no time of day
    kobo = pd.read_csv(source, dtype=str, keep_default_na=False)
    expected = pd.to_numeric(kobo.loc[0, "sk_info/sk_info1":"mb_tillit/mb_tillit4"], errors="coerce").to_numpy()
    assert first["sk_info1":"mb_tillit4"].to_numpy(dtype=float) == pytest.approx(expected, nan_ok=True)
    with engine.connect() as conn:
        fields = conn.execute(select(Response.fields)).scalars().all()
    assert "nettbrett3" not in json.dumps(fields)  # the submitter's name is never stored

    back.loc[back["row"] == "3", "sk_info/sk_info2"] = "4"
    back = back[back["row"] == "3"]
    back.to_csv(tmp_path / "kobo-fixed.csv", index=False)
    code, out, err = run(capsys, "import", tmp_path / "kobo-fixed.csv", "--round", "2026-1", "--json")
    assert code == 0, err
    assert json.loads(out)["stored"] == 1
    assert len(stored(engine)) == 4
    code, out, _ = run(capsys, "import", source, "--round", "2026-1", "--good-rows-only", "--rejected", rejected, "--json")
    assert (json.loads(out)["stored"], json.loads(out)["skipped"]) == (0, 3)  # instance ids make a repeat harmless
    assert len(stored(engine)) == 4


def test_an_odk_central_export_with_dash_separated_groups_is_read(engine, capsys):
    """tests/fixtures/odk_central_export.csv: ODK Central's layout (mb_egen-mb_egen1,
    meta-instanceID, KEY, SubmissionDate in UTC, SubmitterName), medbestemmelse only."""
    code, out, err = run(capsys, "import", FIXTURES / "odk_central_export.csv", "--round", "2026-1", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["layout"], report["stored"], report["instruments"]) == ("xlsform", 3, ["medbestemmelse"])
    wide = stored(engine)
    assert list(wide["date"].dt.day) == [10, 11, 12]
    assert set(wide["instrument_version"]) == {"medbestemmelse 1.0.0"}
    assert wide["sk_info1"].isna().all() and wide["mb_egen1"].notna().any()


def test_a_plain_table_is_never_taken_for_an_xlsform_export(engine, capsys, tmp_path):
    rows = sample_rows().drop([2, 6])
    rows["KEY"] = "x"  # a stray column named like ODK's does not change the layout of a table with ids
    path = write(rows, tmp_path / "answers.csv")
    code, out, err = run(capsys, "import", path, "--round", "2026-1", "--json")
    assert code == 0, err
    assert json.loads(out)["layout"] == "table" and json.loads(out)["stored"] == 8
    code, _, err = run(capsys, "import", path, "--round", "2026-1", "--layout", "odt")
    assert code == 2 and "--layout must be one of" in err and "not 'odt'" in err


def test_a_semicolon_separated_csv_from_a_norwegian_excel_is_read(engine, capsys, tmp_path):
    rows = sample_rows().drop([2, 6])
    rows.to_csv(tmp_path / "semikolon.csv", index=False, sep=";")
    code, out, err = run(capsys, "import", tmp_path / "semikolon.csv", "--round", "2026-1", "--json")
    assert code == 0, err
    assert json.loads(out)["stored"] == 8


def test_na_nan_and_dot_from_r_or_spss_are_stored_as_missing_answers(engine, capsys, tmp_path):
    """A file written by R's write.csv has NA where an answer is missing: stored as not answered,
    exactly as an empty cell (one rule with every command: scoring.responses.reading.MISSING_TEXT)."""
    rows = sample_rows()
    rows.loc[rows.index[2], "sk_info1"] = "4"
    rows.loc[rows.index[6], "unit"] = rows.loc[rows.index[0], "unit"]
    rows.loc[rows.index[1], "sk_info1"] = "NA"
    rows.loc[rows.index[4], "sk_info2"] = "."
    rows.loc[rows.index[5], "mb_egen1"] = "NaN"
    path = write(rows, tmp_path / "from_r.csv")
    code, out, err = run(capsys, "import", path, "--round", "2026-1", "--json")
    assert code == 0, err
    assert json.loads(out)["stored"] == 10
    answers = stored(engine)
    for column in ("sk_info1", "sk_info2", "mb_egen1"):  # order-free: stored rows get new ids
        given = pd.to_numeric(rows[column].where(~rows[column].str.strip().isin(["", "NA", ".", "NaN"])))
        assert answers[column].isna().sum() == given.isna().sum() >= 1
        assert sorted(answers[column].dropna()) == sorted(given.dropna())
