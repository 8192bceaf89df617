"""The Klienter page in Debian's Chromium at tablet size: a clinician records three contacts with
the sliders and sees the course and an alert; client mode shows the questions in large type with
large handles, stores an unanswered slider as missing, locks every address of the app, and is
left only with the password."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import login, screenshot

TABLET = {"width": 1024, "height": 768}
OUTCOME_LABELS = ("Hvordan har du hatt det med deg selv", "Hvordan har det vært mellom deg", "Hvordan har hverdagen fungert", "Alt i alt: Hvordan har livet")
VISIT_LABELS = ("Personen jeg møtte i dag", "Vi brukte tiden på", "Måten vi gjorde ting på", "Alt i alt var samtalen")


def slide(page, label: str, value: float) -> None:
    """Move the slider whose question starts with ``label`` from "not answered" to ``value`` with
    the keyboard, as a person does after tapping its handle: the first step right is 0.0, then
    0.1 a step (from the top end, End, for high values)."""
    thumb = page.locator("[data-testid='stSlider']").filter(has_text=label).first.get_by_role("slider")
    thumb.focus()
    if value >= 5:
        page.keyboard.press("End")
        presses, key = round((10 - value) * 10), "ArrowLeft"
    else:
        presses, key = round(value * 10) + 1, "ArrowRight"
    for _ in range(presses):
        page.keyboard.press(key)


def record(page, contact: int, outcome: float, visit: float) -> None:
    """Open the contact's questions (they fold away after each save), answer and save."""
    if not page.locator("[data-testid='stSlider']").first.is_visible():
        page.get_by_text(f"Ny kontakt (nr. {contact})").click()
    page.locator("[data-testid='stSlider']").first.wait_for()
    for label in OUTCOME_LABELS:
        slide(page, label, outcome)
    for label in VISIT_LABELS:
        slide(page, label, visit)
    page.get_by_role("button", name="Lagre svarene").click()
    page.get_by_text(f"Kontakt {contact} er lagret.").wait_for()


def test_clinician_records_three_contacts_on_a_tablet_and_sees_the_course_and_an_alert(browser, app_server):
    context = browser.new_context(viewport=TABLET, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(app_server)
        login(page, "kliniker")
        page.get_by_role("link", name="Klienter").click()
        page.get_by_role("heading", name="Klienter", exact=True).wait_for()

        page.get_by_text("Registrer ny klient").click()
        page.get_by_label("Klient-id (pseudonym)", exact=True).fill("web-001")
        page.get_by_role("button", name="Registrer", exact=True).click()
        page.get_by_text("Klient web-001 er registrert").wait_for()
        page.get_by_text("Ingen kontakter ennå").wait_for()

        record(page, 1, 5.0, 8.5)  # outcome 5.0 x 4 = 20; visit 8.5 x 4 = 34
        record(page, 2, 4.0, 9.0)  # 16; visit 36
        record(page, 3, 2.0, 4.0)  # 8: reliably worse; visit 16
        page.get_by_text("Pålitelig forverring").first.wait_for()
        page.locator(".js-plotly-plot").first.wait_for()
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(2)  # the outcome and the visit chart
        expect(page.get_by_text("fra 20,0 ved oppstart til 8,0 ved kontakt 3")).to_have_count(1)
        page.wait_for_timeout(800)  # let Plotly finish drawing before the picture
        # Streamlit scrolls inside its main block, so a "full page" picture is one screen: take
        # the top, the course and the visit chart.
        page.get_by_role("heading", name="Klienter", exact=True).scroll_into_view_if_needed()
        screenshot(page, "clients-tablet")
        page.get_by_text("Varsler ved siste kontakt").scroll_into_view_if_needed()
        screenshot(page, "clients-tablet-course")
        page.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
        screenshot(page, "clients-tablet-outcome")
        page.locator("[data-testid='stPlotlyChart']").nth(1).scroll_into_view_if_needed()
        screenshot(page, "clients-tablet-visits")

        page.get_by_role("button", name="Start klientmodus").click()
        page.get_by_text("Det finnes ingen riktige eller gale svar").wait_for()
        page.wait_for_timeout(500)
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(0)
        assert page.locator("[data-testid='stSidebar']").is_hidden()
        assert "klientmodus=1" in page.url, "a refresh stays in client mode"
        question = page.locator("[data-testid='stSlider'] label p").first
        assert float(question.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24, "large type"
        handle = page.locator("[data-testid='stSlider']").first.locator("div:has(> [data-testid='stSliderThumbValue'])").bounding_box()
        assert handle["width"] >= 40 and handle["height"] >= 40, "a handle large enough for a finger"
        expect(page.locator("[data-testid='stSlider']").filter(has_text="Ikke svart")).to_have_count(8)
        page.locator("[data-testid='stSlider']").first.scroll_into_view_if_needed()
        screenshot(page, "clients-client-mode")
        for label in OUTCOME_LABELS:  # the client answers the outcome questions and leaves the visit ones
            slide(page, label, 3.0)
        page.get_by_role("button", name="Lagre svarene").click()
        page.get_by_text("Takk! Svarene er lagret.").wait_for()
        screenshot(page, "clients-client-mode-end")
        expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)  # no menu to leave by


        page.get_by_label("Passordet ditt").fill("gjetning")
        page.get_by_role("button", name="Tilbake til klientlisten").click()
        page.get_by_text("Feil passord. Klientmodus er fortsatt på.").wait_for()
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(0)
        page.get_by_label("Passordet ditt").fill("demo")
        page.get_by_role("button", name="Tilbake til klientlisten").click()
        page.get_by_role("heading", name="Klienter", exact=True).wait_for()
        assert "klientmodus" not in page.url

        page.get_by_text("Rett eller slett en kontakt").click()  # contact 4 is chosen: its stored answers
        fix = page.locator("[data-testid='stExpander']").filter(has_text="Rett eller slett en kontakt")
        fix.locator("[data-testid='stSlider']").first.wait_for()
        assert "3,0" in fix.locator("[data-testid='stSlider']").filter(has_text=OUTCOME_LABELS[0]).first.inner_text()
        for label in VISIT_LABELS:
            assert "Ikke svart" in fix.locator("[data-testid='stSlider']").filter(has_text=label).first.inner_text(), "stored as missing"

        # Client mode is a lock on the whole app: a typed address, with or without a view in
        # it, opens the client's side only (a new page load is locked by the cookie).
        page.get_by_role("button", name="Start klientmodus").click()
        page.get_by_text("Det finnes ingen riktige eller gale svar").wait_for()
        page.wait_for_function("() => document.cookie.includes('samklima_client_mode=1')")
        for address in ("/forside", "/oversikt?runde=2026-1&enhet=k1"):
            page.goto(app_server + address)
            page.get_by_text("Klientmodus er på. Gi nettbrettet tilbake til behandleren.").wait_for()
            expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
            expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(0)
            expect(page.locator("h1")).to_have_count(0)
        page.get_by_label("Passordet ditt").fill("demo")
        page.get_by_role("button", name="Tilbake til klientlisten").click()
        page.get_by_role("heading", name="Klienter", exact=True).wait_for()
        # The run that unlocks deletes the cookie with a script the browser runs once the element
        # arrives, which can be after the heading: wait for it as a clinician's next click would.
        page.wait_for_function("() => !document.cookie.includes('samklima_client_mode=1')")
        page.goto(app_server + "/forside")
        page.get_by_role("heading", name="Samklima").first.wait_for()  # unlocked: the cookie is gone too
    finally:
        context.close()
