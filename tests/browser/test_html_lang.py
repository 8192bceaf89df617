"""``<html lang>`` follows the language chosen in the sidebar (screen readers pick their voice
from it), on the dashboard as on the answer page."""

from __future__ import annotations


def test_html_lang_follows_the_chosen_language(app_server, page):
    page.goto(app_server)
    page.wait_for_function("document.documentElement.lang === 'nb'")
    page.locator("[data-testid='stSidebar']").get_by_text("Norsk nynorsk").click()
    page.wait_for_function("document.documentElement.lang === 'nn'")
    page.locator("[data-testid='stSidebar']").get_by_text("English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
