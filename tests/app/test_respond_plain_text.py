"""The anonymous answer page shows unit names and instrument texts as plain text: a Markdown
image, link, bare web address, HTML or Streamlit colour code in a name or an instrument file
renders as the characters typed, never as something that loads from or links to elsewhere.

Every string the page hands to Streamlit's Markdown (text, headings, messages, widget labels
and help, radio options, button and expander labels) is rendered here with a CommonMark
parser; tests/browser/test_respond_plain_text.py checks the same in Chromium."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from ruamel.yaml import YAML
from streamlit.testing.v1 import AppTest

from dashboard.plain import JOINER
from scoring.instrument.catalog import instruments_dir
from scoring.store import api
from tests.app.survey_database import own_database
from tests.conftest import REPO

EVIL = "![x](http://evil.example/x.png) [click](http://evil.example)"
EXTRA = " <img src=http://evil.example/y.png> www.evil.example :red[rød] $x^2$ <b>fet</b>"
UNIT = "k1.ho.hj1.t1"
# CommonMark plus the GitHub extensions Streamlit turns on (tables, strikethrough).
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What Streamlit's own Markdown would still turn into links or markup: GitHub autolinks (found
# in the text after parsing, so escaping is not enough), directives, maths, HTML.
UNESCAPED = re.compile(r"https?://|www\.|@\w|(?<!\\)(?::[a-z]+\[|\$|<)")


def evil_instrument(folder) -> str:
    """medbestemmelse with every text kind the page shows set to the evil text."""
    yaml = YAML(typ="rt")
    data = yaml.load((instruments_dir() / "medbestemmelse.yaml").read_text(encoding="utf-8"))
    data["id"] = "medbestemmelse-evil"
    for lang in ("nb", "en"):
        data["title"][lang] = "Tittel " + EVIL
        data["instructions"][lang] = "Les dette: " + EVIL + EXTRA
        data["items"][0]["text"][lang] = "Spørsmål " + EVIL + EXTRA
        data["scales"][0]["name"][lang] = "Skala " + EVIL
        data["response_scales"]["grad5"]["labels"][1][lang] = "Svar " + EVIL
    path = folder / "evil.yaml"
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return str(path)


@pytest.fixture(scope="module")
def evil_link(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    with own_database(folder) as engine:
        units = api.read_units(engine)
        units.loc[units["unit"] == UNIT, "name"] = EVIL + EXTRA
        api.import_units(engine, units.fillna(""))
        api.create_round(engine, "runde " + EVIL, [evil_instrument(folder)], [UNIT])
        (link,) = api.make_links(engine, "runde " + EVIL)
        yield link.token


def markdown_strings(at: AppTest) -> list[str]:
    """Every string on the page that Streamlit renders as Markdown."""
    found = [e.value for kind in ("markdown", "title", "header", "subheader", "caption", "info", "warning", "error", "success") for e in getattr(at, kind)]
    for radio in at.radio:
        found += [radio.label, *map(str, radio.options), radio.help or ""]
    for widget in [*at.text_input, *at.number_input, *at.selectbox]:
        found += [widget.label, widget.help or ""]
    found += [b.label for b in at.button] + [e.label for e in at.expander]
    return [s for s in found if isinstance(s, str)]


def assert_plain(strings: list[str]) -> None:
    for text in strings:
        html = MARKDOWN.render(text)
        assert "<a " not in html and "<img" not in html and "<b>" not in html, (text, html)
        assert not UNESCAPED.search(text), f"unescaped address or markup in {text!r}"


def click(at: AppTest, label: str) -> None:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception


def test_unit_names_and_instrument_texts_render_as_typed(evil_link):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.session_state["lang"] = "nb"
    at.query_params["t"] = evil_link
    at.run()
    assert not at.exception, at.exception
    shown = markdown_strings(at)
    assert any("evil.example" in s for s in shown), "the unit name and title are on the start page"
    assert_plain(shown)
    rendered = MARKDOWN.render(" ".join(shown)).replace(JOINER, "")
    assert "![x](http://evil.example/x.png) [click](http://evil.example) &lt;img" in rendered, "the text itself is shown"

    click(at, "Start")
    click(at, "Neste")  # "Om deg" -> the first subscale, with the instructions
    first_items = markdown_strings(at)
    assert sum("evil.example" in s for s in first_items) >= 4, "title, instructions, scale, item and answer label"
    assert_plain(first_items)

    while not at.title or at.title[0].value != "Se over svarene":
        labels = [b.label for b in at.button]
        click(at, "Se over svarene" if "Se over svarene" in labels else "Neste")
    review = markdown_strings(at)
    assert any("evil.example" in s for s in review)
    assert_plain(review)
