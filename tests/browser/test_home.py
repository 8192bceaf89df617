"""The first page in Debian's Chromium, as a person sees it after `make run`."""

from __future__ import annotations

from tests.browser.conftest import login, screenshot


def test_first_page_then_login_shows_unit_means(app_server, page):
    page.goto(app_server)
    page.get_by_text("Organisasjonen").wait_for()
    page.get_by_text("Spørreskjemaer").wait_for()
    screenshot(page, "home-before-login")
    login(page, "admin")
    page.get_by_role("heading", name="Mine enheter").wait_for()  # the coordinator lands on their own page
    page.get_by_role("link", name="Forside").click()
    page.get_by_text("Scoremiddel per enhet").wait_for()
    page.locator("[data-testid='stDataFrame']").nth(2).wait_for()
    assert page.locator("[data-testid='stDataFrame']").count() == 3
    screenshot(page, "home-admin")
