"""``samklima report``: a PDF for every unit of the sample organisation, as its manager sees it;
bad input exits 2 with one clear message and writes nothing."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from scoring.privacy.publication import Viewer
from scoring.store import api
from scoring.store.publication import publication
from scoring.store.unit_reports import unit_viewer
from tests.cli_database import cli_engine, demo_database, run


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo database (three rounds of the sample organisation), made once."""
    return demo_database(tmp_path_factory.mktemp("report") / "samklima.db")


@pytest.fixture
def engine(demo, monkeypatch):
    yield from cli_engine(demo, monkeypatch)


def test_a_report_for_every_unit_of_the_sample_organisation(engine, capsys, tmp_path):
    code, out, err = run(capsys, "report", "--round", "2026-1", "--all-units", "--as", "admin", "--language", "en", "--out", tmp_path)
    assert code == 0, err
    made = sorted(p.name for p in tmp_path.glob("*.pdf"))
    surveyed = api.read_units(engine).query("unit_type != 'partner'")["unit"]
    assert made == sorted(f"2026-1-{u}.pdf" for u in surveyed)
    assert f"wrote {len(made)} reports" in out


def test_a_small_team_the_dashboard_hides_says_why_in_its_managers_report(engine, capsys, tmp_path):
    out = tmp_path / "t2.pdf"
    code, _, err = run(capsys, "report", "--round", "2026-1", "--unit", "k1.ho.hj1.t2", "--out", out)
    assert code == 0, err
    tree = api.read_units(engine)
    cells = publication(engine, ["2026-1"], unit_viewer(engine, tree, "k1.ho.hj1.t2"))
    assert cells.select("compare", "2026-1", unit="k1.ho.hj1.t2")["hidden"].all(), "the dashboard hides this team"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Antall svar vises ikke: for få svar." in text and "Skjult i denne rapporten" in text


def test_the_report_shows_the_units_managers_publication(engine):
    tree = api.read_units(engine)
    assert unit_viewer(engine, tree, "k1.ho.hj1").user == "leder", "leder manages k1.ho, above k1.ho.hj1"
    alone = unit_viewer(engine, tree, "d1.pol")
    assert alone.units == frozenset({"d1.pol"}) and alone != Viewer()


@pytest.mark.parametrize("args, message", [
    (["--unit", "k1.ho", "--language", "se"], "--language: unknown language 'se'"),
    (["--unit", "k1.ho", "--all-units"], "--unit: give either --unit UNIT or --all-units"),
    (["--unit", "nope"], "--unit: no unit 'nope'"),
    (["--unit", "d1.pol", "--as", "leder"], "unit: Du har ikke tilgang"),
    (["--unit", "k1.ho", "--as", "ukjent"], "--as: no active user 'ukjent'"),
])
def test_bad_input_exits_2_and_writes_nothing(engine, capsys, tmp_path, args, message):
    out = tmp_path / "r.pdf"
    code, _, err = run(capsys, "report", "--round", "2026-1", *args, "--out", out)
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists()


def test_an_unknown_round_exits_2(engine, capsys, tmp_path):
    code, _, err = run(capsys, "report", "--round", "2030-1", "--unit", "k1.ho", "--out", tmp_path / "r.pdf")
    assert code == 2 and "--round: no round named '2030-1'" in err


def test_the_workers_draw_the_same_reports_as_one_process_and_each_scope_is_cut_in_one_chunk(engine, tmp_path):
    """write_reports in two forked workers (cuts made there, units in chunks of whole scopes)
    gives the same PDF text as drawing in this process, and a progress step for every unit."""
    from scoring.formats.unit_report_pdf import unit_report_pdf
    from scoring.store.unit_reports import ReportMaker, _scope_chunks, write_reports

    maker = ReportMaker(engine, "2026-1", "nb")
    units = maker.units()
    viewers = {u: maker.viewer(u) for u in units}
    chunks = _scope_chunks(units, units, viewers, 3)
    assert sorted(u for chunk in chunks for u, _ in chunk) == sorted(units)
    scopes = [viewers[u].units for chunk in chunks for u, _ in chunk]
    assert all(s not in scopes[:i] or scopes[i - 1] == s for i, s in enumerate(scopes)), "a scope's units are together"
    chosen = units[:6]
    (tmp_path / "one").mkdir(), (tmp_path / "two").mkdir()
    steps: list[str] = []
    one = write_reports(ReportMaker(engine, "2026-1", "nb"), chosen, tmp_path / "one", unit_report_pdf, workers=1)
    two = write_reports(ReportMaker(engine, "2026-1", "nb"), chosen, tmp_path / "two", unit_report_pdf, steps.append, workers=2)
    assert sorted(steps) == sorted(chosen) and [p.name for p in one] == [p.name for p in two]
    if shutil.which("pdftotext"):
        for a, b in zip(one, two):
            read = [subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True).stdout for p in (a, b)]
            assert read[0] == read[1] and read[0], a.name
