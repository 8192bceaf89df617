"""Every CSV download of every dashboard page is made for Excel by the one table writer: a
byte-order mark first, and no text cell that a spreadsheet would run as a formula, even when
unit and partner names are written like formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from scoring.formats.tables import BOM, FORMULA_STARTS
from scoring.samples.demo import load_demo, sample_tables
from tests.app.dashboard_pages import open_page
from tests.app.survey_database import own_database

NAMES = {
    "k1": "+Fjordvik kommune",
    "k1.ho.shj1": '=HYPERLINK("http://evil.example","Fjordtun sykehjem")',
    "k1.ho.hj1.t1": "-Dagteam 1",
    "nav1": "@SUM(1+1) NAV Fjordvik",
}
PAGES = ("overview", "compare", "trends", "items", "partners", "quality")


@pytest.fixture(scope="module")
def formula_demo(tmp_path_factory):
    """The demo organisation with unit and partner names written like formulas."""
    tables = sample_tables()
    units = tables.units.copy()
    units["name"] = units["unit"].map(NAMES).fillna(units["name"])
    with own_database(tmp_path_factory.mktemp("downloads")) as engine:
        load_demo(engine, replace(tables, units=units))
        yield engine


@pytest.fixture
def downloads(monkeypatch):
    """Every CSV handed to a download button in this test: file name -> bytes."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if filename and filename.endswith(".csv") and isinstance(path_or_data, bytes):
            seen[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return seen


def formula_cells(data: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    return [c for row in rows for c in row if c.startswith(FORMULA_STARTS) and not c.lstrip("+-−").replace(",", "").replace(".", "").replace("\u00a0", "").isdigit()]


def test_every_page_download_is_for_excel_and_runs_no_formula(formula_demo, downloads):
    for page in PAGES:
        at = open_page(page, "admin")
        assert not at.exception, (page, at.exception)
    open_page("home", "admin")  # the front page's table of unit means
    assert len(downloads) >= len(PAGES) + 1, sorted(downloads)
    for name, data in downloads.items():
        assert data.startswith(BOM), name
        assert formula_cells(data) == [], name
    everything = b"".join(downloads.values()).decode("utf-8-sig").replace("\ufeff", "")
    for unit in ("k1.ho.shj1", "k1.ho.hj1.t1"):
        assert "'" + NAMES[unit] in everything.replace('""', '"'), f"{NAMES[unit]} is in a download, neutralised"
