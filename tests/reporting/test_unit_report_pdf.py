"""The unit report PDF, read back with pdftotext: every figure is the viewer's publication cell,
no hidden figure appears, a unit with hidden scales says why, every page carries round, date and
page number, fonts are embedded; nb, nn and en with their number formats."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from scoring.formats.unit_report_pdf import unit_report_bytes
from scoring.instrument.model import Instrument
from scoring.privacy.publication import publish
from scoring.reporting.numbers import NBSP, number, percent
from scoring.reporting.unit_report import unit_report
from tests.reporting.test_landing import MANAGER, R1, R2, SCALES, STATUS, TREE, actions_frame

# In CI (.ci/run installs poppler-utils) a missing pdftotext fails the tests instead of skipping them.
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None and os.environ.get("CI") != "true",
                                reason="pdftotext (poppler-utils) is not installed")

LIKERT = {"kind": "ordinal", "min": 1, "max": 5, "labels": {c: {"nb": f"svar {c}", "en": f"answer {c}"} for c in range(1, 6)},
          "missing": {9: {"nb": "Vet ikke", "en": "Don't know"}}}
INSTRUMENT = Instrument.model_validate({
    "id": "test", "version": "1", "status": "unvalidated", "languages": ["nb", "en"], "title": {"nb": "Test", "en": "Test"},
    "response_scales": {"enig5": LIKERT},
    "items": [{"id": f"{s}1", "text": {"nb": f"Påstand {s.upper()}", "en": f"Statement {s.upper()}"}, "response_scale": "enig5"}
              for s in SCALES],
    "scales": [{"id": "s", "name": {"nb": "Informasjon", "en": "Information"}, "items": ["s1"],
                "discussion": [{"nb": "Hvem ringer vi?", "nn": "Kven ringjer vi?", "en": "Whom do we call?"}]},
               {"id": "t", "name": {"nb": "Koordinering", "en": "Coordination"}, "items": ["t1"]}],
})
MADE = dt.date(2026, 4, 20)
ACTIONS = actions_frame([(1, "r1", "a", "s", None, "Tavlemøte hver mandag", "enhetsleder", dt.date(2025, 9, 1), "done", None, MADE)])


@pytest.fixture(scope="module")
def publication():
    return publish(TREE, [R1, R2], MANAGER)


def pdf_text(report, tmp_path, name="r.pdf") -> tuple[str, list[str]]:
    path = tmp_path / name
    path.write_bytes(unit_report_bytes(report))
    whole = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    whole = whole.replace(NBSP, " ")  # pdftotext may give a non-breaking space as either
    return whole, whole.split("\f")[:-1], path


def make(publication, unit, lang="nb"):
    return unit_report(publication, TREE, unit, "r2", STATUS, ACTIONS, [INSTRUMENT], lang, MADE)


def test_every_figure_in_the_report_is_the_publications(publication, tmp_path):
    report = make(publication, "a")
    text, pages, _ = pdf_text(report, tmp_path)
    for scale, name in (("s", "Informasjon"), ("t", "Koordinering")):
        cell = publication.select("compare", "r2", unit="a", scale=scale).iloc[0]
        row = report.landing.scales.set_index("scale").loc[scale]
        assert re.search(rf"{name}\s+{cell['n']}\s+{number(cell['mean'], 'nb')} \[{number(row['ci_low'], 'nb')}–{number(row['ci_high'], 'nb')}\]", text)
    overview = publication.select("overview", "r2", unit="a").iloc[0]
    assert f"{overview['n']} svar av 40 inviterte ({percent(overview['n'] / 40, 'nb')})".replace(NBSP, " ") in text
    # Every decimal figure printed is a published mean, or an interval or change made from published cells.
    table = report.landing.scales
    allowed = {number(v, "nb") for column in ("mean", "ci_low", "ci_high", "org_mean", "type_mean", "previous_mean")
               for v in table[column].dropna()}
    allowed |= {number(abs(v), "nb") for v in table["change"].dropna()}
    allowed |= {number(v, "nb") for v in report.landing.actions[["then_mean", "next_mean"]].stack().dropna()}
    allowed |= {number(abs(v), "nb") for v in report.landing.actions["change"].dropna()}
    printed = set(re.findall(r"\d+,\d\d", text))
    assert printed and printed <= allowed, printed - allowed
    item = publication.select("items", "r2", unit="a", item="s1")
    assert not item["hidden"].any(), "a's items are published, so the report draws them"
    assert re.search(rf"Påstand S\s+{item[item['category'].isna()]['n'].iloc[0]}", text)


def test_a_hidden_unit_shows_no_hidden_number_and_says_why(publication, tmp_path):
    assert publication.select("compare", "r2", unit="b")["hidden"].all(), "the dashboard hides b"
    report = make(publication, "b")
    text, _, _ = pdf_text(report, tmp_path)
    truth = R2.scores[R2.unit == "b"]
    for j in range(len(SCALES)):
        assert number(truth[:, j].mean(), "nb") not in text, "a hidden mean must not be printed"
    assert "3 svar" not in text and "Antall svar vises ikke: for få svar." in text
    assert "Skjult i denne rapporten: Informasjon (for få svar); Koordinering (for få svar)." in re.sub(r"\s+", " ", text)
    assert "Informasjon: svarfordelingen vises ikke (for få svar)." in re.sub(r"\s+", " ", text)
    benchmarks = {number(m, "nb") for m in publication.select("compare", "r2", unit="type:team")["mean"]}
    assert set(re.findall(r"\d+,\d\d", text)) == benchmarks, "b has no figure of its own; only its unit type's is printed"
    # The reason stands in the table's wide column, on the scale's line (in the 1 cm n column it
    # was broken into pieces of a few letters, one per line: "for", "få s", "var").
    assert re.search(r"^\s*Informasjon\s+for få svar\s+skjult\s+\d,\d\d", text, re.M)


def test_a_hidden_scales_reason_in_the_chart_steps_aside_for_the_organisations_mark():
    from scoring.formats.unit_report_pdf import _beside, fonts

    f, text = fonts().regular, "skjult for å verne en mindre gruppe"
    assert _beside(text, f, 7, 150, 500, None) == 150, "no organisation mark: at the left of the axis"
    assert _beside(text, f, 7, 150, 500, 480) == 150, "the mark is right of the whole text"
    assert _beside(text, f, 7, 150, 500, 200) == 206, "the mark is under the text: the text starts right of it"
    assert _beside(text, f, 7, 150, 300, 200) == 150, "no room right of the mark: left, as before"


def test_actions_appear_with_the_change_in_their_scale(publication, tmp_path):
    report = make(publication, "a")
    text, _, _ = pdf_text(report, tmp_path)
    flat = re.sub(r"\s+", " ", text)
    action = report.landing.actions.iloc[0]
    assert "Tavlemøte hver mandag (enhetsleder," in flat and "2025-09-01)" in flat and "gjennomført" in flat
    assert f"{number(action['then_mean'], 'nb')} → {number(action['next_mean'], 'nb')} (r2)" in flat
    assert action["change_reading"] == "higher" and "klart høyere" in flat


def test_every_page_has_round_date_and_number_and_fonts_are_embedded(publication, tmp_path):
    _, pages, path = pdf_text(make(publication, "a"), tmp_path)
    assert len(pages) >= 3
    for i, page in enumerate(pages, start=1):
        assert f"runde r2 · laget 2026-04-20 · side {i}" in page
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    used = [line for line in fonts.splitlines() if "DejaVu" in line]
    assert used and all(" yes " in line for line in used)


@pytest.mark.parametrize("lang, title, mean_format", [("en", "Results for A", r"\d\.\d\d"), ("nn", "Resultat for A", r"\d,\d\d")])
def test_languages_and_number_formats(publication, tmp_path, lang, title, mean_format):
    text, _, _ = pdf_text(make(publication, "a", lang), tmp_path, f"{lang}.pdf")
    assert title in text
    cell = publication.select("compare", "r2", unit="a", scale="s").iloc[0]
    assert number(cell["mean"], lang) in text and re.fullmatch(mean_format, number(cell["mean"], lang))
    assert ("Questions for the discussion" if lang == "en" else "Spørsmål til samtalen") in text


def test_discussion_questions_come_from_the_instrument_in_the_reports_language(publication, tmp_path):
    for lang, own, generic in (("nb", "Hvem ringer vi?", "Hva kjenner vi oss igjen i?"), ("nn", "Kven ringjer vi?", "Kva kjenner vi oss att i?"),
                               ("en", "Whom do we call?", "What do we recognise?")):
        text, pages, _ = pdf_text(make(publication, "a", lang), tmp_path, f"q-{lang}.pdf")
        last = pages[-1]
        assert own in last, "scale s has its own question in the YAML"
        assert generic in last, "scale t has none: the generic questions are used"


def _item_rows(n: int) -> tuple[list, list]:
    """``n`` item rows as the report draws them (wording, count, answer bar) and the column widths."""
    from reportlab.lib.units import cm

    from scoring.formats import unit_report_pdf as pdf

    st, f, bar_w = pdf._styles(), pdf.fonts(), 6.2 * cm
    rows = [[pdf._para(f"Påstand {i}: vi vet hvem vi skal ringe når noe endrer seg" + " igjen" * (i % 4), st["cell"]),
             str(20 + i), pdf._stacked_bar({1.0: 3 + i % 5, 2.0: 5, 3.0: 7, 9.0: 1}, [1.0, 2.0, 3.0, 9.0], bar_w, f)]
            for i in range(n)]
    return rows, [pdf.WIDTH - bar_w - 1.2 * cm, 1.0 * cm, bar_w + 0.2 * cm]


def _pdf(path, flowables, together=None):
    """``flowables`` in an A4 document; ``together``: the class that keeps a heading with what
    follows it (reportlab's ``KeepTogether`` by default, the report's ``_Together``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import KeepTogether, SimpleDocTemplate

    from scoring.formats.unit_report_pdf import MARGIN

    SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                      keepTogetherClass=together or KeepTogether).build(flowables)
    return path


@pytest.mark.parametrize("header", [False, True])
def test_a_grid_draws_exactly_what_the_platypus_table_drew(tmp_path, header):
    """The report's tables are drawn straight onto the canvas (speed); rendered, the page is the
    Table's pixel for pixel (pdftoppm, 100 dpi), with and without a bold header row."""
    from scoring.formats.unit_report_pdf import _Grid, _table

    def rows():
        made, widths = _item_rows(6)
        return ([["Påstand", "n", "Svar"]] if header else []) + made, widths

    table = _pdf(tmp_path / "table.pdf", [_table(*rows(), header=header)])
    grid = _pdf(tmp_path / "grid.pdf", [_Grid(*rows(), header=header)])
    pages = []
    for path in (table, grid):
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))], check=True)
        pages.append(next(tmp_path.glob(f"{path.stem}-*.pgm")).read_bytes())
    assert pages[0] == pages[1]


def test_a_grid_taller_than_a_page_splits_over_pages_with_its_header(tmp_path):
    from scoring.formats.unit_report_pdf import _Grid

    rows, widths = _item_rows(90)
    path = _pdf(tmp_path / "long.pdf", [_Grid([["Påstand", "n", "Svar"], *rows], widths)])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("\f") >= 3, "90 rows of about 26 pt take several A4 pages"
    assert all(f"Påstand {i}:" in text for i in range(90))
    assert all(page.split()[:3] == ["Påstand", "n", "Svar"] for page in text.split("\f")[:-1]), "the header is repeated on every page"


def _blocks(together) -> list:
    """A heading and a few lines, then 12 item blocks of a heading and a grid: some must move
    whole to the next page."""
    from scoring.formats import unit_report_pdf as pdf

    st = pdf._styles()
    flow = [pdf._para("Spørsmål for spørsmål", st["h2"])]
    for n in range(12):
        rows, widths = _item_rows(2 + n % 4)
        flow.append(together([pdf._para(f"Delskala {n}", st["h3"]), pdf._Grid(rows, widths, header=False)]))
    return flow


def test_a_block_kept_together_lands_as_reportlabs_keeptogether_put_it_and_the_frame_is_not_copied(tmp_path, monkeypatch):
    from reportlab import rl_config
    from reportlab.platypus import KeepTogether

    from scoring.formats.unit_report_pdf import _Together

    monkeypatch.setattr(rl_config, "invariant", 1)
    theirs = _pdf(tmp_path / "keep.pdf", _blocks(KeepTogether)).read_bytes()
    copied = []
    import reportlab.platypus.flowables as flowables

    real = flowables.deepcopy
    monkeypatch.setattr(flowables, "deepcopy", lambda x, *a: copied.append(type(x).__name__) or real(x, *a))
    ours = _pdf(tmp_path / "together.pdf", _blocks(_Together), _Together).read_bytes()
    assert ours == theirs
    assert copied == []
    text = subprocess.run(["pdftotext", str(tmp_path / "together.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("\f") >= 2 and all(f"Delskala {n}" in text for n in range(12))
    for page in text.split("\f")[1:-1]:  # a later page starts with a block's heading, never in a grid
        assert page.lstrip().startswith("Delskala")


def test_a_heading_is_never_left_alone_at_the_foot_of_a_page(tmp_path):
    """Headings keep with what follows them (``keepWithNext``, through ``_Together``): with the
    page filled to just below what a heading and a paragraph need, the heading moves to the
    next page with the paragraph (and a heading style without it is left alone there)."""
    import copy

    from reportlab.platypus import Spacer

    from scoring.formats import unit_report_pdf as pdf

    st = pdf._styles()
    body = "Styrker: samarbeid på tvers. " * 12

    def heading_page(style, height: int) -> str:
        flow = [Spacer(1, height), pdf.Paragraph("Det som skiller seg ut", style), pdf._para(body, st["body"])]
        path = _pdf(tmp_path / f"{style.name}-{height}.pdf", flow, pdf._Together)
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
        return next(page for page in pages if "Det som skiller seg ut" in page)

    loose = 0
    for height in range(600, 680, 8):
        for name in ("h2", "h3"):
            assert "Styrker" in heading_page(st[name], height), (name, height)
            unkept = copy.copy(st[name])
            unkept.name, unkept.keepWithNext = f"{name}-unkept", 0
            loose += "Styrker" not in heading_page(unkept, height)
    assert loose > 0, "the filled heights would leave a heading without keepWithNext alone on its page"
