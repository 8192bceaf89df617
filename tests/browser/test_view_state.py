"""The chosen view in Debian's Chromium: the round, unit and scale chosen on one page stay chosen
on the next and through a browser refresh, and a copied link opens the same view for a colleague
after login (dashboard/view_state.py, app.py)."""

from __future__ import annotations

from tests.browser.conftest import login, open_page, screenshot

ROUND, UNIT, UNIT_ID, SCALE = "2025-1", "Hjemmetjenesten sone Nord", "k1.ho.hj1", "Psykologisk trygghet og tillit"


def choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).first.click()
    page.get_by_role("option", name=option, exact=True).first.click()


def shown(page, label: str) -> str:
    """The option a select box shows."""
    return page.get_by_role("combobox", name=label).first.input_value()


def assert_items_view(page) -> None:
    page.locator("h1").filter(has_text="Spørsmål").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    assert ROUND in shown(page, "Runde") and UNIT in shown(page, "Enhet") and SCALE in shown(page, "Skala")
    assert f"runde={ROUND}" in page.url and f"enhet={UNIT_ID}" in page.url and "skala=" in page.url


def test_the_view_stays_across_pages_and_a_refresh_and_a_copied_link_opens_it_after_login(browser, app_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    colleague = None
    try:
        page.goto(app_server)
        login(page, "leder")
        open_page(page, "Sammenlign enheter")
        page.get_by_text("Alle skalaer, runde 2026-1").wait_for()  # the newest round with results by default
        choose(page, "Runde", ROUND)
        page.get_by_text(f"Alle skalaer, runde {ROUND}").wait_for()
        choose(page, "Vis enhet med underenheter", UNIT)
        page.wait_for_url(f"**enhet={UNIT_ID}**")
        choose(page, "Skala", SCALE)
        page.get_by_text(f"{SCALE}, runde {ROUND}").first.wait_for()
        assert f"runde={ROUND}" in page.url

        open_page(page, "Utvikling")  # no round box here, the unit and scale carry over
        page.wait_for_url(f"**enhet={UNIT_ID}**")
        assert UNIT in shown(page, "Vis enhet med underenheter") and SCALE in shown(page, "Skala")
        open_page(page, "Spørsmål")
        assert_items_view(page)

        page.reload()  # a new Streamlit session: the session cookie and the address keep it all
        assert_items_view(page)
        screenshot(page, "view-state-items-after-refresh")
        link = page.url

        colleague = browser.new_context(viewport={"width": 1280, "height": 900})
        other = colleague.new_page()
        other.set_default_timeout(60_000)
        other.goto(link)
        other.get_by_text("Logg inn for å åpne denne siden").wait_for()
        assert f"enhet={UNIT_ID}" in other.url
        login(other, "admin")  # a colleague who may see the unit
        assert_items_view(other)
        screenshot(other, "view-state-copied-link")
    finally:
        if colleague is not None:
            colleague.close()
        context.close()
