"""Every page read in nynorsk (and bokmål) as the administrator, who sees the most: no raw
``None``, ``nan``, ``NaT`` or ``<NA>`` and no table headed by a field name
(:func:`tests.app.dashboard_pages.assert_nothing_raw`, which ``open_page`` applies)."""

from __future__ import annotations

import pytest

from tests.app.dashboard_pages import open_page

PAGES = ("landing", "overview", "compare", "trends", "items", "plans", "partners", "admin", "export")


@pytest.mark.parametrize("page", PAGES)
def test_the_page_in_nynorsk_has_nothing_raw(page):
    at = open_page(page, "admin", "nn")
    assert not at.exception, at.exception
    assert at.title and not any("tilgang" in e.value for e in at.error), "the page itself, not a refusal"


@pytest.mark.parametrize("page", ("overview", "items", "admin"))
def test_the_page_in_bokmal_has_nothing_raw(page):
    at = open_page(page, "admin", "nb")
    assert not at.exception, at.exception
