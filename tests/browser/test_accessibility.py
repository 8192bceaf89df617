"""axe-core on every page of the dashboard, for every role and without login, at 1280 px and at
360 px (a phone), in Debian's Chromium: no serious or critical violation (colour contrast
included), and nothing wider than the phone.

One browser context per role; each page in its menu is opened once, checked when it has
settled, narrowed to 360 px and checked again. Which pages each role sees follows
:data:`scoring.store.access.PAGES_BY_ROLE`, and the test asserts that the menu shows exactly
those, so no page is left out unnoticed. The answer page ("Svar på undersøkelsen") is the same
for everyone and is checked here without login (the questionnaire itself: test_respond.py).
Every role has a demo account with the password ``demo`` (``koordinator`` the coordinator).
"""

from __future__ import annotations

from dashboard.i18n import t
from dashboard.pages_registry import PAGES
from scoring.store.access import PAGES_BY_ROLE
from tests.browser.conftest import REPO, login

AXE = REPO / "tests" / "browser" / "vendor" / "axe.min.js"
WIDTHS = (1280, 360)
USERS = {"admin": "admin", "coordinator": "koordinator", "manager": "leder", "clinician": "kliniker", "researcher": "forsker"}
SLOW = 180_000  # the first view of a page may fit models or decide rounds

SETTLED = """() => !document.querySelector('[data-stale="true"], [data-testid="stSpinner"], [data-testid="stSkeleton"]')"""
VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')})`)"""
CHANGED = "(before) => { const h = document.querySelector('h1'); return h && h.innerText !== before; }"
WIDER_THAN_WINDOW = """() => { const main = document.querySelector('[data-testid=stMain]');
    return Math.max(document.documentElement.scrollWidth, main ? main.scrollWidth : 0) - window.innerWidth; }"""


def settle(page) -> None:
    """Until Streamlit has finished the run: nothing stale, no spinner, the status widget gone."""
    page.wait_for_timeout(100)
    page.wait_for_function(SETTLED, timeout=SLOW, polling=100)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=SLOW)
    page.wait_for_function(SETTLED, timeout=SLOW, polling=100)


def check_widths(page, where: str, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)
        if page.evaluate("typeof axe === 'undefined'"):
            page.add_script_tag(path=str(AXE))
        problems += [f"{where} at {width} px: {v}" for v in page.evaluate(VIOLATIONS)]
        wider = page.evaluate(WIDER_THAN_WINDOW)
        if wider > 0:
            problems.append(f"{where} at {width} px: the page scrolls sideways by {wider} px")


def menu_titles(page) -> list[str]:
    return [text.split("\n")[-1].strip() for text in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


def check_role(browser, base: str, role: str | None, problems: list[str]) -> None:
    """Open every page of ``role``'s menu (anonymous: ``None``) and check it at both widths."""
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(base)
        page.get_by_label("Brukernavn").wait_for(timeout=SLOW)
        if role is not None:
            login(page, USERS[role], "demo")
        settle(page)
        keys = ["home", *(PAGES_BY_ROLE[role] if role else ()), "respond"]
        expected = {t(PAGES[key].title, "nb") for key in keys}
        titles = menu_titles(page)
        assert set(titles) == expected, f"{role}: the menu shows {titles}, the role's pages are {sorted(expected)}"
        answer_page = t(PAGES["respond"].title, "nb")
        current = t(PAGES["landing" if "landing" in keys else "home"].title, "nb")  # where a login lands
        for title in titles:
            if role is not None and title == answer_page:
                continue  # the same page for everyone: checked without login
            if title != current:
                heading = page.locator("h1").first.inner_text()
                page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).first.click()
                page.wait_for_function(CHANGED, arg=heading, timeout=SLOW)
                current = title
            settle(page)
            check_widths(page, f"{role or 'anonymous'} / {title}", problems)
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    finally:
        context.close()


def test_every_page_for_every_role_passes_axe_at_1280_and_360_px(app_server, browser):
    problems: list[str] = []
    check_role(browser, app_server, None, problems)  # the first visit also builds the demo database
    for role in USERS:
        check_role(browser, app_server, role, problems)
    assert problems == [], "\n".join(problems)
