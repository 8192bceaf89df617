"""The admin page's PDFs: posters, code slips and paper forms as bytes, codes stored as hashes."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import printables
from scoring.errors import UserError
from scoring.store import api
from scoring.store.db import make_engine, migrate
from tests.conftest import REPO

TEAMS = ["k1.ho.hj1.t1", "k1.ho.hj1.t2"]


PUBLIC = "https://samklima.example.no"


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("SAMKLIMA_PUBLIC_URL", PUBLIC)
    engine = make_engine(f"sqlite:///{tmp_path}/samklima.db")
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "2026-2", ["medbestemmelse"], TEAMS, opens=dt.date(2026, 3, 1), closes=dt.date(2026, 3, 28))
    yield engine
    engine.dispose()


def test_posters_make_the_missing_unit_links(engine):
    pdf = printables.posters(engine, "2026-2")
    assert pdf.startswith(b"%PDF")
    assert len(api.make_links(engine, "2026-2")) == 2


def test_code_slips_make_new_codes_each_time(engine):
    first = printables.code_slips(engine, "2026-2", TEAMS[0], 3)
    second = printables.code_slips(engine, "2026-2", TEAMS[0], 2)
    assert first.startswith(b"%PDF") and second.startswith(b"%PDF")
    assert api.code_counts(engine, "2026-2").set_index("unit").loc[TEAMS[0], "codes"] == 5
    with pytest.raises(UserError, match="not part of round"):
        printables.code_slips(engine, "2026-2", "d1.pol", 1)


def test_a_paper_form_for_a_unit_and_language(engine):
    assert printables.paper_form(engine, "2026-2", TEAMS[1], "en").startswith(b"%PDF")
    with pytest.raises(UserError, match="unknown unit"):
        printables.paper_form(engine, "2026-2", "nope", "nb")


# --- samklima codes|posters|paper --pdf: a failing call writes no file ---------------------------

@pytest.fixture
def cli(engine, tmp_path, monkeypatch, capsys):
    """``samklima`` on the test database; returns (exit code, stderr)."""
    from scoring.cli import main
    from scoring.store.db import get_engine

    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", str(engine.url))
    get_engine.cache_clear()

    def run(*args):
        code = main([str(a) for a in args])
        return code, capsys.readouterr().err

    yield run
    get_engine.cache_clear()


def broken_drawing(monkeypatch):
    """Make every PDF fail at the end of its first page (the printer driver breaks)."""
    from scoring.formats import pdf

    def show_page(self):
        raise RuntimeError("the printer driver broke")

    monkeypatch.setattr(pdf.Canvas, "showPage", show_page)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".pdf"))


def test_codes_that_cannot_be_printed_are_not_stored_and_leave_no_file(cli, engine, tmp_path, monkeypatch):
    code, err = cli("codes", "--round", "2026-2", "--unit", TEAMS[0], "--count", 3, "--pdf", tmp_path / "missing" / "slips.pdf")
    assert code == 2 and "the folder does not exist" in err
    broken_drawing(monkeypatch)
    code, err = cli("codes", "--round", "2026-2", "--unit", TEAMS[0], "--count", 12, "--pdf", tmp_path / "slips.pdf")
    assert code == 1 and "the printer driver broke" in err
    assert leftovers(tmp_path) == [] and not any(p.name.startswith(".slips") for p in tmp_path.iterdir())
    assert api.code_counts(engine, "2026-2").empty  # codes nobody can print would be lost: none were stored


def test_a_failed_code_print_keeps_the_old_file_as_it_was(cli, engine, tmp_path, monkeypatch):
    out = tmp_path / "slips.pdf"
    assert cli("codes", "--round", "2026-2", "--unit", TEAMS[0], "--count", 2, "--pdf", out)[0] == 0
    before = out.read_bytes()
    broken_drawing(monkeypatch)
    assert cli("codes", "--round", "2026-2", "--unit", TEAMS[0], "--count", 12, "--pdf", out)[0] == 1
    assert out.read_bytes() == before and leftovers(tmp_path) == ["slips.pdf"]
    assert api.code_counts(engine, "2026-2").set_index("unit").loc[TEAMS[0], "codes"] == 2


def test_posters_and_paper_forms_that_fail_leave_no_file(cli, engine, tmp_path, monkeypatch):
    code, err = cli("posters", "--round", "2026-2", "--units", f"{TEAMS[0]},nope", "--pdf", tmp_path / "posters.pdf")
    assert code == 2 and "nope" in err and leftovers(tmp_path) == []
    code, err = cli("paper", "--round", "2026-2", "--unit", TEAMS[0], "--language", "de", "--pdf", tmp_path / "paper.pdf")
    assert code == 2 and leftovers(tmp_path) == []
    broken_drawing(monkeypatch)
    assert cli("posters", "--round", "2026-2", "--pdf", tmp_path / "posters.pdf")[0] == 1
    assert cli("paper", "--round", "2026-2", "--unit", TEAMS[0], "--pdf", tmp_path / "paper.pdf")[0] == 1
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".*pdf")) == []


def test_printing_works_when_nothing_fails(cli, engine, tmp_path):
    for args in (("codes", "--unit", TEAMS[1], "--count", 2), ("posters",), ("paper", "--unit", TEAMS[1])):
        out = tmp_path / f"{args[0]}.pdf"
        code, err = cli(*args, "--round", "2026-2", "--pdf", out)
        assert code == 0, err
        assert out.read_bytes().startswith(b"%PDF")
    assert api.code_counts(engine, "2026-2").set_index("unit").loc[TEAMS[1], "codes"] == 2
