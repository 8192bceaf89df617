"""The respondent page in Debian's Chromium at phone size (360 x 740), as a respondent meets it:
a unit link, every subscale page (one by keyboard), the review, one stored response; a used
code and a wrong link get a friendly page; axe-core finds no serious or critical problem.

The app runs on a database of its own, prepared before the server starts (units, a round with
unit links, one-time codes), so the test can look the answer up in the database afterwards.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.form_pages import form_pages
from scoring.instrument.catalog import bundled
from scoring.store import api
from scoring.store.db import make_engine, migrate
from tests.browser.conftest import REPO, free_port, screenshot, start_streamlit

VIEWPORT = {"width": 360, "height": 740}
AXE = REPO / "tests" / "browser" / "vendor" / "axe.min.js"
STAFF = ["samhandlingsklima", "medbestemmelse"]
UNIT, OTHER, THIRD = "k1.ho.hj1.t1", "k1.ho.hj1.t2", "k1.ho.hj1.t3"
PAGES = form_pages([bundled(i) for i in STAFF])
SHORT_PAGES = form_pages([bundled("medbestemmelse")])

STREAMLIT_INTERNAL: dict[str, str] = {}
"""axe rules left out because the problem sits in Streamlit's own markup, with the reason.
Empty: Streamlit 1.67 gives the respondent page no serious or critical violation."""


@pytest.fixture(scope="module")
def survey(browser, tmp_path_factory):
    """A running app on a prepared database; yields (base URL, engine, unit links, codes)."""
    data_dir = tmp_path_factory.mktemp("respond-browser")
    engine = make_engine(f"sqlite:///{data_dir}/samklima.db")
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "høst", STAFF, [UNIT])
    api.create_round(engine, "kort", ["medbestemmelse"], [OTHER])
    api.create_round(engine, "igjen", ["medbestemmelse"], [THIRD])
    links = {link.unit: link.token for name in ("høst", "kort", "igjen") for link in api.make_links(engine, name)}
    codes = api.make_codes(engine, "høst", UNIT, 3)
    env = {**os.environ, "SAMKLIMA_DATA_DIR": str(data_dir), "SAMKLIMA_DEMO": "0"}
    env.pop("SAMKLIMA_DATABASE_URL", None)
    port = free_port()
    proc = start_streamlit(env, port)
    try:
        yield f"http://127.0.0.1:{port}", engine, links, codes
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        engine.dispose()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=VIEWPORT, is_mobile=True, has_touch=True, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def tall_screenshot(page, name: str) -> None:
    """The whole page at 360 px wide (Streamlit scrolls inside its own container, so the
    viewport is made as tall as the content for the picture)."""
    height = page.evaluate("Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], int(height) + 120)})
    page.wait_for_timeout(500)
    screenshot(page, name)
    page.set_viewport_size(VIEWPORT)


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page, without the documented
    Streamlit-internal ones."""
    if page.evaluate("typeof axe === 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
            v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical") and v["id"] not in STREAMLIT_INTERNAL]


def heading(page, text: str):
    page.get_by_role("heading", name=text).first.wait_for()


QUESTIONS = ".st-key-respond_questions [data-testid='stRadio']"


def radio_groups(page):
    return page.locator(QUESTIONS)


def wait_for_questions(page, count: int) -> None:
    """Until the page shows exactly ``count`` questions (the previous page's may linger while
    the next one is drawn)."""
    page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length === n", arg=[QUESTIONS, count])


def settle(page) -> None:
    """Until the page's last run has finished drawing (no element left from the run before)."""
    page.wait_for_function("document.querySelectorAll('[data-stale=\"true\"]').length === 0")
    page.wait_for_timeout(100)


DRAFTS = """() => Object.keys(localStorage).filter(k => k.startsWith('samklima-draft-')).sort()
    .map(k => k + '=' + localStorage.getItem(k)).join('|')"""
"""The browser's drafts as one string. The page writes its draft (answers and page number) at the
end of every run, so a change means the run a click started has finished."""


def drafts(page) -> str:
    return page.evaluate(DRAFTS)


def taken(page, before: str, timeout: int) -> bool:
    """Whether the draft changes from ``before`` within ``timeout`` ms."""
    try:
        page.wait_for_function(f"(before) => ({DRAFTS})() !== before", arg=before, timeout=timeout)
        return True
    except PlaywrightTimeout:
        return False


def until_taken(page, act, shown=lambda: False, what: str = "") -> None:
    """Do ``act`` (a click or a key) and wait until the app has taken it (the draft changed).

    A click that lands while Streamlit redraws the element under it can be lost on a loaded
    machine (CI lost a "Neste" and an answer this way): nothing changes on the screen, and a
    person taps again; so does this, once. If the screen shows the choice (``shown()``) but the
    app never took it, that would be an answer lost behind the respondent's back: the test fails.
    """
    before = drafts(page)
    act()
    if taken(page, before, 15_000):
        return
    assert not shown(), f"{what}: the page shows it, but after 15 s the app has not taken it"
    act()
    assert taken(page, before, 30_000), f"{what}: done twice, the app took neither"


def option_input(page, question: int, option: int):
    return radio_groups(page).nth(question).locator("input[type=radio]").nth(option)


def answer_by_mouse(page, option: int, only: range | None = None) -> None:
    """Click answer ``option`` of every question (or of the questions numbered ``only``); each
    click reruns the page (the answer goes into the browser's draft at once), and the next
    click waits for that, as a person sees the choice marked before going on."""
    settle(page)
    groups = radio_groups(page)
    for n in only if only is not None else range(groups.count()):
        if option_input(page, n, option).is_checked():
            continue
        label = groups.nth(n).locator("[data-testid='stRadioOption']").nth(option)
        until_taken(page, label.click, lambda n=n: option_input(page, n, option).is_checked(), f"answer {option} to question {n}")
    settle(page)


def start(page) -> None:
    """Press "Start" once the browser has told the page what it kept (the page writes its draft
    from then on; a click before that would be taken by the run the report starts)."""
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('samklima-draft-'))")
    press(page, "Start")


def press(page, name: str) -> None:
    """Click the button once the page has finished drawing, and wait until the app has taken
    the click (the draft holds the new page; a button pressed twice cannot skip a page, as each
    page's buttons have keys of their own)."""
    settle(page)
    until_taken(page, page.get_by_role("button", name=name).click, what=f"the button {name!r}")


def chosen(page) -> list[int | None]:
    """The position of the checked answer of every question on the page (None: none checked)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].map(g => {
            const i = [...g.querySelectorAll('input[type=radio]')].findIndex(r => r.checked); return i < 0 ? null : i; })""",
        QUESTIONS,
    )


def scrolled(page) -> int:
    """How far the page is scrolled, whichever element scrolls."""
    return page.evaluate("Math.max(window.scrollY, ...[...document.querySelectorAll('*')].map(e => e.scrollTop))")


def answer_by_keyboard(page, option: int) -> None:
    """Focus the first answer, then only keys: Space chooses, arrows move, Tab to the next
    question; at the end Tab to "Neste" and Enter."""
    groups = radio_groups(page)
    groups.first.locator("input[type=radio]").first.focus()
    for _question in range(groups.count()):
        page.keyboard.press("Space")
        for _ in range(option):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past "Tilbake"
    # Every key above started a rerun; Enter pressed while one is still drawing can land on a
    # button that is being replaced (CI once lost it). Wait until the answers are in and the page
    # is drawn, as a person sees the page settle before going on.
    page.wait_for_function(
        """([sel, option]) => [...document.querySelectorAll(sel)].every(g =>
            [...g.querySelectorAll('input[type=radio]')].findIndex(r => r.checked) === option)""",
        arg=[QUESTIONS, option],
    )
    settle(page)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")
    focused = page.evaluate("document.activeElement.innerText")
    assert focused.strip() in ("Neste", "Se over svarene"), f"focus is on {focused!r}"
    until_taken(page, lambda: page.keyboard.press("Enter"), what="Enter on the page's forward button")


def go_through(page, pages, option_of, keyboard_page: int | None = None, name: str | None = None) -> None:
    start(page)
    heading(page, "Om deg")
    press(page, "Neste")
    for n, form_page in enumerate(pages):
        heading(page, form_page.title("nb"))
        page.get_by_text(f"Side {n + 2} av {len(pages) + 1}").wait_for()
        wait_for_questions(page, len(form_page.items))
        if n == keyboard_page:
            answer_by_keyboard(page, option_of(n))
            continue
        answer_by_mouse(page, option_of(n))
        if n == 0 and name:
            tall_screenshot(page, f"{name}-first-page")
            assert serious_violations(page) == []
        press(page, "Se over svarene" if n == len(pages) - 1 else "Neste")
    heading(page, "Se over svarene")


def option_of(page: int) -> int:
    """The answer chosen on each page: the 3rd label on the keyboard page (code 3), "vet ikke"
    on the 3rd page (code 9), the 4th label (code 4) elsewhere."""
    return {1: 2, 2: 5}.get(page, 3)


def test_a_unit_link_on_a_phone_answered_to_the_end_is_stored_once(survey, phone):
    base, engine, links, _ = survey
    phone.goto(f"{base}/svar?t={links[UNIT]}")
    heading(phone, "Spørreundersøkelse")
    phone.get_by_text("Hjemmetjenesten sone Nord, dagteam 1").wait_for()
    assert phone.locator("[data-testid='stSidebar']").count() == 0, "nothing of the app but the questionnaire"
    tall_screenshot(phone, "respond-360-start")
    assert serious_violations(phone) == []
    phone.set_viewport_size({"width": 1280, "height": 900})  # the same page on a desktop
    assert serious_violations(phone) == []
    phone.set_viewport_size(VIEWPORT)
    no_overflow = phone.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth <= window.innerWidth")
    assert no_overflow, "nothing wider than the phone"

    go_through(phone, PAGES, option_of, keyboard_page=1, name="respond-360")
    tall_screenshot(phone, "respond-360-review")
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Send inn svarene").click()
    heading(phone, "Takk for svaret!")
    tall_screenshot(phone, "respond-360-thanks")

    stored = api.read_responses(engine, "høst")
    assert len(stored) == 1
    row = stored.iloc[0]
    assert (row["unit"], row["language"]) == (UNIT, "nb")
    assert [row[i] for i in PAGES[0].items] == [4, 4, 4, 4]
    assert [row[i] for i in PAGES[1].items] == [3, 3, 3, 3], "the keyboard page: Space, ArrowDown x2"
    assert [row[i] for i in PAGES[2].items] == [9, 9, 9, 9], "vet ikke"
    assert row[list(PAGES[-1].items)].tolist() == [4, 4, 4, 4]


def test_a_double_click_on_send_stores_one_response(survey, phone):
    base, engine, links, _ = survey
    phone.goto(f"{base}/svar?t={links[OTHER]}")
    heading(phone, "Spørreundersøkelse")
    go_through(phone, SHORT_PAGES, lambda n: 1, name="respond-360-short")
    phone.get_by_role("button", name="Send inn svarene").dblclick()
    heading(phone, "Takk for svaret!")
    phone.wait_for_timeout(1500)  # let a second run finish, if there was one
    assert len(api.read_responses(engine, "kort")) == 1


def test_a_used_code_and_a_wrong_link_get_a_friendly_page(survey, phone):
    base, engine, _, codes = survey
    api.submit_response(engine, code=codes[0], answers={"sk_info1": 2}, language="nb", idempotency_key="browser-used")
    unit_names = set(api.read_units(engine)["name"])

    phone.goto(f"{base}/svar?kode={codes[0]}")
    heading(phone, "Lenken eller koden kan ikke brukes")
    phone.get_by_text("Koden er ikke gyldig, eller den er allerede brukt").wait_for()
    tall_screenshot(phone, "respond-360-used-code")
    assert serious_violations(phone) == []

    phone.goto(f"{base}/svar?t=not-a-real-token")
    heading(phone, "Lenken eller koden kan ikke brukes")
    phone.get_by_text("Lenken eller koden er ikke gyldig").wait_for()
    text = phone.locator("[data-testid='stMain']").inner_text()
    assert not any(name in text for name in unit_names), "a refused link names no unit"

    phone.get_by_role("textbox", name="Kode").fill(codes[1].lower())
    phone.get_by_role("button", name="Fortsett").click()
    phone.get_by_text("Hjemmetjenesten sone Nord, dagteam 1").wait_for()
    phone.get_by_role("button", name="Start").wait_for()


def test_a_reload_mid_way_keeps_every_answer_and_a_new_page_starts_at_the_top(survey, phone):
    """Answers on earlier pages and on the current page survive a reload (kept in the phone's
    own browser); after sending, the same link says this browser has answered, and may answer
    again."""
    base, engine, links, _ = survey
    earlier = set(api.read_responses(engine, "igjen")["response"])  # other tests of the module answer this round too
    url = f"{base}/svar?t={links[THIRD]}"
    phone.goto(url)
    heading(phone, "Spørreundersøkelse")
    assert phone.get_by_text("Denne nettleseren har allerede sendt").count() == 0
    start(phone)
    heading(phone, "Om deg")
    under_a_year = phone.get_by_role("radio", name="Under 1 år")
    until_taken(phone, phone.get_by_text("Under 1 år").click, under_a_year.is_checked, "Under 1 år")
    press(phone, "Neste")
    first, second = SHORT_PAGES[0], SHORT_PAGES[1]
    heading(phone, first.title("nb"))
    wait_for_questions(phone, len(first.items))
    answer_by_mouse(phone, 1)
    assert scrolled(phone) > 200, "the last question and Neste sit below the fold on a phone"
    press(phone, "Neste")
    heading(phone, second.title("nb"))
    phone.wait_for_timeout(600)
    assert scrolled(phone) == 0, "the new page is shown from its top"
    tall_screenshot(phone, "respond-360-second-page")
    answer_by_mouse(phone, 3, only=range(2))
    # The draft is written by the browser just after the page's run for the last click.
    phone.wait_for_function(
        "(text) => Object.keys(localStorage).some(k => k.startsWith('samklima-draft-') && localStorage[k].includes(text))",
        arg=f'"{second.items[1]}":4',
    )

    phone.reload()
    heading(phone, second.title("nb"))
    wait_for_questions(phone, len(second.items))
    settle(phone)
    assert chosen(phone) == [3, 3, None, None], "the current page's answers are back"
    answer_by_mouse(phone, 4, only=range(2, len(second.items)))
    press(phone, "Tilbake")
    heading(phone, first.title("nb"))
    settle(phone)
    assert chosen(phone) == [1] * len(first.items), "and the page before it"
    assert scrolled(phone) == 0
    press(phone, "Neste")
    for n, form_page in enumerate(SHORT_PAGES[1:], start=1):
        heading(phone, form_page.title("nb"))
        if n > 1:
            answer_by_mouse(phone, 0)
        press(phone, "Se over svarene" if n == len(SHORT_PAGES) - 1 else "Neste")
    heading(phone, "Se over svarene")
    phone.get_by_role("button", name="Send inn svarene").click()
    heading(phone, "Takk for svaret!")

    stored = api.read_responses(engine, "igjen")
    stored = stored[~stored["response"].isin(earlier)]
    assert len(stored) == 1
    row = stored.iloc[0]
    assert row["tenure"] == "<1"
    assert row[list(first.items)].tolist() == [2] * len(first.items)
    assert row[list(second.items)].tolist() == [4, 4, 5, 5]
    for form_page in SHORT_PAGES[2:]:
        assert row[list(form_page.items)].tolist() == [1] * len(form_page.items)
    phone.wait_for_function("Object.keys(localStorage).filter(k => k.startsWith('samklima-draft-')).length === 0")  # draft removed

    phone.goto(url)
    heading(phone, "Spørreundersøkelse")
    phone.get_by_text("Denne nettleseren har allerede sendt et svar").wait_for()
    tall_screenshot(phone, "respond-360-answered-before")
    start(phone)
    heading(phone, "Om deg")
    assert phone.get_by_role("radio", name="Under 1 år").is_checked() is False, "a new form starts empty"


def test_an_empty_form_is_not_sent(survey, phone):
    base, engine, links, _ = survey
    before = len(api.read_responses(engine, "igjen"))
    phone.goto(f"{base}/svar?t={links[THIRD]}")
    start(phone)
    heading(phone, "Om deg")
    press(phone, "Neste")
    for n, form_page in enumerate(SHORT_PAGES):
        heading(phone, form_page.title("nb"))
        press(phone, "Se over svarene" if n == len(SHORT_PAGES) - 1 else "Neste")
    heading(phone, "Se over svarene")
    phone.get_by_text("Du har ikke svart på noen spørsmål").wait_for()
    assert phone.get_by_role("button", name="Send inn svarene").is_disabled()
    tall_screenshot(phone, "respond-360-empty")
    assert len(api.read_responses(engine, "igjen")) == before


def test_a_short_code_typed_in_lower_case_with_dashes_opens_the_form_once(survey, phone):
    base, engine, _, _ = survey
    code = api.make_codes(engine, "igjen", THIRD, 1)[0]
    before = len(api.read_responses(engine, "igjen"))
    phone.goto(f"{base}/svar")
    heading(phone, "Skriv inn koden din")
    phone.get_by_role("textbox", name="Kode").fill(code.lower())
    tall_screenshot(phone, "respond-360-code")
    phone.get_by_role("button", name="Fortsett").click()
    phone.get_by_text("Hjemmetjenesten sone Nord, kveldsteam").wait_for()
    assert "kode=" in phone.url, "a reload finds the code (and its draft) again"
    start(phone)
    heading(phone, "Om deg")
    press(phone, "Neste")
    heading(phone, SHORT_PAGES[0].title("nb"))
    answer_by_mouse(phone, 2)
    for n, form_page in enumerate(SHORT_PAGES):
        heading(phone, form_page.title("nb"))
        press(phone, "Se over svarene" if n == len(SHORT_PAGES) - 1 else "Neste")
    heading(phone, "Se over svarene")
    phone.get_by_role("button", name="Send inn svarene").click()
    heading(phone, "Takk for svaret!")
    stored = api.read_responses(engine, "igjen")
    assert len(stored) == before + 1
    # Rows come in random order: find this one by its answers (no other test answers 3 here).
    assert (stored[list(SHORT_PAGES[0].items)] == 3).all(axis=1).sum() == 1
    phone.goto(f"{base}/svar?kode={code.lower()}")
    phone.get_by_text("Koden er ikke gyldig, eller den er allerede brukt").wait_for()


def test_a_respondent_answers_in_nynorsk(survey, phone):
    base, engine, links, _ = survey
    phone.goto(f"{base}/svar?t={links[THIRD]}")
    heading(phone, "Spørreundersøkelse")
    phone.wait_for_function("document.documentElement.lang === 'nb'")  # Streamlit's own page says "en"
    phone.get_by_text("Norsk nynorsk").click()
    heading(phone, "Spørjeundersøking")
    phone.wait_for_function("document.documentElement.lang === 'nn'")
    phone.get_by_text("Du svarar for").wait_for()
    tall_screenshot(phone, "respond-360-nn-start")
    assert serious_violations(phone) == []
    start(phone)
    heading(phone, "Om deg")
    phone.get_by_text("Kor lenge har du arbeidd i eininga?").wait_for()
    press(phone, "Neste")
    first = SHORT_PAGES[0]
    heading(phone, first.title("nn"))
    phone.get_by_text("I kva grad kan du sjølv velje korleis du løyser arbeidsoppgåvene dine?").wait_for()
    answer_by_mouse(phone, 0)
    tall_screenshot(phone, "respond-360-nn-first-page")
    press(phone, "Neste")
    for n, form_page in enumerate(SHORT_PAGES[1:], start=1):
        heading(phone, form_page.title("nn"))
        press(phone, "Sjå over svara" if n == len(SHORT_PAGES) - 1 else "Neste")
    heading(phone, "Sjå over svara")
    phone.get_by_role("button", name="Send inn svara").click()
    heading(phone, "Takk for svaret!")
    stored = api.read_responses(engine, "igjen")
    rows = stored[stored["language"] == "nn"]
    assert len(rows) == 1 and rows[list(first.items)].iloc[0].tolist() == [1] * len(first.items)
