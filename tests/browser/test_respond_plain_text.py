"""In Chromium: a unit name and instrument texts full of Markdown and HTML show on the answer
page as the characters typed; the page has no image or link to the other server and the
browser never asks it for anything."""

from __future__ import annotations

import os
import subprocess

import pytest

from dashboard.plain import JOINER
from scoring.store import api
from scoring.store.db import make_engine, migrate
from tests.app.test_respond_plain_text import EVIL, EXTRA, UNIT, evil_instrument
from tests.browser.conftest import REPO, free_port, screenshot, start_streamlit
from tests.browser.test_respond import press, start


@pytest.fixture(scope="module")
def evil_survey(browser, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("respond-evil")
    engine = make_engine(f"sqlite:///{data_dir}/samklima.db")
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    units = api.read_units(engine)
    units.loc[units["unit"] == UNIT, "name"] = EVIL + EXTRA
    api.import_units(engine, units.fillna(""))
    api.create_round(engine, "runde", [evil_instrument(data_dir)], [UNIT])
    (link,) = api.make_links(engine, "runde")
    env = {**os.environ, "SAMKLIMA_DATA_DIR": str(data_dir), "SAMKLIMA_DEMO": "0"}
    env.pop("SAMKLIMA_DATABASE_URL", None)
    port = free_port()
    proc = start_streamlit(env, port)
    try:
        yield f"http://127.0.0.1:{port}/svar?t={link.token}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        engine.dispose()


def test_markdown_in_names_and_texts_loads_and_links_nothing(browser, evil_survey):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "evil.example" in request.url else None)
    try:
        page.goto(evil_survey)
        page.get_by_role("button", name="Start").wait_for()
        main = page.locator("[data-testid='stMain']")

        def nothing_from_elsewhere() -> None:
            found = main.locator("img[src*='evil.example'], a[href*='evil.example'], b")
            assert found.count() == 0, [found.nth(i).evaluate("e => e.outerHTML") for i in range(found.count())]
            assert main.locator("[data-testid='stMarkdownColoredText'], .katex").count() == 0

        nothing_from_elsewhere()
        assert "![x](http://evil.example/x.png) [click](http://evil.example)" in main.inner_text().replace(JOINER, "")
        screenshot(page, "respond-plain-text-start")
        # The respondent's tests' own steps: each click waits until the page has drawn and
        # until the app has taken it (a "Neste" clicked during the Start run was lost in CI).
        start(page)
        press(page, "Neste")
        page.get_by_text("Les dette:").wait_for()
        nothing_from_elsewhere()
        text = main.inner_text().replace(JOINER, "")
        assert "Spørsmål ![x](http://evil.example/x.png)" in text and "<img src=http://evil.example/y.png>" in text
        assert "Svar ![x](http://evil.example/x.png)" in text, "the answer labels (radio options) too"
        screenshot(page, "respond-plain-text-items")
        assert asked == []
    finally:
        context.close()
