"""The paper form carries the background questions; a round without dates gets no links, codes,
posters or paper forms until it has them; ``samklima codes`` without --pdf prints one code a line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from dashboard import printables
from scoring.errors import UserError
from scoring.formats.pdf import format_date
from scoring.instrument import background
from scoring.store import api
from tests.formats.test_printables import TEAMS, cli, engine  # noqa: F401 (fixtures)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_paper_form_asks_the_background_questions_with_every_answer(engine, tmp_path, lang):
    text = " ".join(pdf_text(printables.paper_form(engine, "2026-2", TEAMS[0], lang), tmp_path).split())
    assert background.section_texts()["title"][lang] in text
    questions = {q.id: q for q in background.staff_background()}
    for field, question in questions.items():
        assert question.label[lang] in text and f"[{field}]" in text
        for code, labels in question.options:
            assert labels[lang] in text, (field, code)
    assert text.index(questions["role"].label[lang]) < text.index("mb_egen1"), "before the items"


def test_the_nynorsk_paper_form_is_in_nynorsk(engine, tmp_path):
    text = " ".join(pdf_text(printables.paper_form(engine, "2026-2", TEAMS[0], "nn"), tmp_path).split())
    assert "Spørjeskjema" in text and "Kor lenge har du arbeidd i eininga?" in text
    assert "I kva grad kan du sjølv velje korleis du løyser arbeidsoppgåvene dine?" in text


def test_a_round_without_dates_gets_nothing_printed_until_it_has_them(cli, engine, tmp_path):
    api.create_round(engine, "udatert", ["medbestemmelse"], TEAMS)
    for args in (("links",), ("codes", "--unit", TEAMS[0], "--count", 2), ("posters", "--pdf", tmp_path / "p.pdf"),
                 ("paper", "--unit", TEAMS[0], "--pdf", tmp_path / "f.pdf")):
        code, err = cli(*args, "--round", "udatert")
        assert code == 2, args
        assert "round 'udatert' has no first day" in err and "samklima round dates udatert --opens" in err
    assert list(tmp_path.glob("*.pdf")) == [] and api.code_counts(engine, "udatert").empty
    with pytest.raises(UserError, match="no first day"):
        printables.code_slips(engine, "udatert", TEAMS[0], 2)

    code, err = cli("round", "dates", "udatert", "--opens", "2026-04-01", "--closes", "2026-03-01")
    assert code == 2 and "closes (2026-03-01) is before opens (2026-04-01)" in err
    assert cli("round", "dates", "udatert", "--opens", "2026-03-01", "--closes", "2026-03-28")[0] == 0
    info = api.round_info(engine, "udatert")
    assert (info.opens, info.closes) == ("2026-03-01", "2026-03-28")
    assert cli("links", "--round", "udatert")[0] == 0


def test_round_create_asks_for_both_dates(cli, engine):
    before = [r.name for r in api.list_rounds(engine)]
    code, err = cli("round", "create", "--name", "ny", "--instrument", "medbestemmelse", "--opens", "2026-03-01")
    assert code == 2 and "--closes: a round needs a last day (YYYY-MM-DD)" in err
    assert [r.name for r in api.list_rounds(engine)] == before


def test_codes_without_pdf_are_printed_one_per_line(engine, capsys, monkeypatch):
    from scoring.cli import main
    from scoring.store.db import get_engine

    monkeypatch.setenv("SAMKLIMA_DATABASE_URL", str(engine.url))
    get_engine.cache_clear()
    try:
        assert main(["codes", "--round", "2026-2", "--unit", TEAMS[0], "--count", "4"]) == 0
    finally:
        get_engine.cache_clear()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(re.fullmatch(r"[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){2}", line) for line in lines)


def test_printed_dates_read_the_norwegian_way_in_nynorsk_too():
    day = dt.date(2026, 12, 4)
    assert format_date(day, "nb") == "4. desember 2026" and format_date(day, "nn") == "4. desember 2026"
    assert format_date(day, "en") == "4 December 2026"
