"""A manager logs in, lands on Mine enheter, makes the unit report, records an action, and sees it
followed up with the next round's value of its scale (Debian's Chromium)."""

from __future__ import annotations

import subprocess

from tests.browser.conftest import login, screenshot


def test_manager_lands_makes_the_report_and_records_an_action(app_server, page):
    page.goto(app_server)
    login(page, "leder")
    page.get_by_role("heading", name="Mine enheter").wait_for()
    page.get_by_role("heading", name="Helse og omsorg, Fjordvik").wait_for(timeout=180_000)  # three rounds decided on first use
    page.get_by_text("Endring siden 2025-1").first.wait_for()
    assert page.get_by_text("Fjordvik DPS").count() == 0, "only the manager's own units"
    screenshot(page, "landing-manager")

    page.get_by_role("button", name="Lag enhetsrapport").click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Last ned enhetsrapport (PDF)").click()
    download = info.value
    assert download.suggested_filename == "samklima-2026-1-k1.ho.pdf"
    text = subprocess.run(["pdftotext", download.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert "Resultater for Helse og omsorg, Fjordvik" in text and "Runde 2026-1" in text

    page.get_by_role("link", name="Tiltak").first.click()
    page.get_by_role("heading", name="Nytt tiltak").wait_for()
    page.get_by_role("combobox", name="Runde").click()
    page.get_by_role("option", name="2025-1").click()
    page.get_by_label("Ansvarlig (rolle)").fill("enhetsleder")
    page.get_by_label("Hva skal dere gjøre?").fill("Fast tavlemøte med DPS hver mandag")
    page.get_by_role("button", name="Lagre tiltak").click()
    page.get_by_text("Tiltaket er lagret.").wait_for()
    screenshot(page, "plans-manager")

    page.get_by_role("link", name="Mine enheter").first.click()
    page.get_by_role("heading", name="Helse og omsorg, Fjordvik").wait_for()
    page.get_by_text("Tiltak og oppfølging").wait_for()
    row = page.locator("[data-testid='stTable'] tr", has_text="Fast tavlemøte med DPS hver mandag")
    row.wait_for()
    assert "planlagt" in row.inner_text() and "(2026-1)" in row.inner_text(), "the next round's value of the scale beside the action"
    screenshot(page, "landing-with-action")


def test_a_manager_on_a_phone_reads_the_scale_table_without_scrolling_sideways(app_server, browser):
    """At 360 px in nynorsk the landing page's scale table leaves out n (the unit's answers
    stand above it) and fits the screen: scale, mean with interval, the organisation and the
    change all in view (it scrolled sideways to show the change). At 1280 px n is there."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    columns = """t => [...t.querySelectorAll('thead th')].map(h => [h.innerText.trim(), getComputedStyle(h).display,
                                                                   Math.round(h.getBoundingClientRect().right)])"""
    try:
        page.goto(app_server + "/?lang=nn")
        page.get_by_label("Brukarnamn").fill("leder")
        page.get_by_label("Passord").fill("demo")
        page.get_by_role("button", name="Logg inn").click()
        page.get_by_role("heading", name="Helse og omsorg, Fjordvik").wait_for(timeout=180_000)
        table = page.locator("div[class*='st-key-landing_scales_'] [data-testid='stTable']").first
        table.wait_for()
        page.wait_for_timeout(500)  # the style element is drawn with the page
        heads = table.evaluate(columns)
        shown = [name for name, display, _ in heads if display != "none"]
        assert "n" not in shown and len(shown) == 4, heads
        assert shown[-1].startswith("Endring"), heads
        assert max(right for _, display, right in heads if display != "none") <= 360, heads
        assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1"), "the table scrolls sideways"
        screenshot(page, "landing-phone-nn")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_timeout(500)
        assert [name for name, display, _ in table.evaluate(columns) if display != "none"][1] == "n"
    finally:
        context.close()
