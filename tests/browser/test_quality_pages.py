"""Spørsmål, Samarbeidspartnere and Kvalitet in Debian's Chromium, as a researcher sees them."""

from __future__ import annotations

from tests.browser.conftest import login, open_page, screenshot

SLOW = 180_000  # the quality page fits its models on first view


def settle(page) -> None:
    """Wait until Streamlit has finished the run (no spinner, no 'running' status)."""
    page.wait_for_timeout(500)
    page.locator("[data-testid='stSpinner']").wait_for(state="detached", timeout=SLOW)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=SLOW)


def test_researcher_opens_items_partners_and_quality(app_server, page):
    page.set_viewport_size({"width": 1280, "height": 2000})  # Streamlit scrolls inside the page: show it all
    page.goto(app_server)
    login(page, "forsker")

    open_page(page, "Spørsmål")
    page.locator(".js-plotly-plot").first.wait_for(timeout=SLOW)
    settle(page)
    assert page.get_by_text("Helt uenig").first.is_visible()
    assert page.get_by_text("Vet ikke / ikke svart").first.is_visible()
    screenshot(page, "items-forsker")
    assert not page.locator(".sk-items").is_visible(), "the phone's list only on a phone"
    page.set_viewport_size({"width": 360, "height": 2000})  # a phone: one bar per item under its full text
    page.locator(".sk-items").wait_for(state="visible")
    assert not page.locator(".js-plotly-plot").first.is_visible(), "the chart's item texts were cut off at 360 px"
    assert page.locator(".sk-likert").count() >= 4
    assert page.evaluate("document.querySelector('.sk-items').getBoundingClientRect().right <= 360")
    screenshot(page, "items-forsker-phone")
    page.set_viewport_size({"width": 1280, "height": 2000})

    open_page(page, "Samarbeidspartnere")
    page.locator(".js-plotly-plot").first.wait_for(timeout=SLOW)
    settle(page)
    # Drawn after the first chart in the same run; the status widget can be hidden for a moment
    # between runs, so wait for the texts themselves (CI once checked before they were drawn).
    page.get_by_text("Begge veier").wait_for(state="visible", timeout=SLOW)
    page.get_by_text("for få svar").first.wait_for(state="visible", timeout=SLOW)
    screenshot(page, "partners-forsker")

    page.set_viewport_size({"width": 1280, "height": 3400})  # the quality page is long
    open_page(page, "Kvalitet")
    page.get_by_text("Alle skalaer").wait_for(timeout=SLOW)
    page.get_by_text("Måler skalaen det samme i alle runder?").wait_for(timeout=SLOW)
    settle(page)
    assert page.get_by_text("Gir et enhetsgjennomsnitt mening her?").is_visible()
    assert page.locator(".js-plotly-plot").count() == 2
    screenshot(page, "quality-forsker")
