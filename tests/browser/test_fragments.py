"""A fragment's run passes neither ``app.py`` nor the page's guard, so every fragment checks the
session first (:func:`dashboard.auth.still_signed_in`). Compare's two fragments are tested in
``test_compare.py``; here the administration page's response status, which reruns by itself
every ``REFRESH_SECONDS``: an administrator deactivated while it is open is logged out by its
next refresh, without touching the page."""

from __future__ import annotations

from tests.browser.conftest import login, open_page


def test_the_response_status_refresh_logs_out_a_deactivated_administrator(app_server, app_data_dir, page):
    from scoring.store import api

    page.goto(app_server)
    page.get_by_label("Brukernavn").wait_for()  # the first page made the demo database
    engine = api.get_engine(f"sqlite:///{app_data_dir / 'samklima.db'}")
    api.create_account(engine, "admin-fragment", "demo", "admin", replace=True)
    login(page, "admin-fragment")
    open_page(page, "Administrasjon")
    page.get_by_role("heading", name="Svar per enhet i").first.wait_for(timeout=90_000)

    api.set_active(engine, "admin-fragment", False)
    page.get_by_role("button", name="Logg inn").wait_for(timeout=90_000)  # the refresh comes within 30 s
    assert page.get_by_text("Innlogget som").count() == 0
    assert page.get_by_role("heading", name="Svar per enhet i").count() == 0, "the status is gone with the session"
