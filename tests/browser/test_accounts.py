"""A real organisation's first steps in Debian's Chromium, on a database that is not the demo:
the first admin is made with ``samklima users add`` and logs in; a poster is refused while
``SAMKLIMA_PUBLIC_URL`` points at localhost; a manager stays logged in through a browser refresh
and logging out ends the session (a refresh after it shows the login form).

The database is prepared with the ``samklima`` command, as a coordinator would, before the app
starts (``SAMKLIMA_DEMO=0``, ``SAMKLIMA_PUBLIC_URL=http://localhost:8501``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.browser.conftest import REPO, free_port, open_page, screenshot, start_streamlit

ADMIN_PASSWORD = "en lang og god passordfrase"
MANAGER_PASSWORD = "lederens lange passord"


def samklima(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scoring", *args], input=stdin, env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def real_app(browser, tmp_path_factory):
    """A running app on a fresh, non-demo database set up with the command line; yields
    (base URL, environment, the refused ``samklima posters`` run)."""
    data_dir = tmp_path_factory.mktemp("accounts-browser")
    env = {**os.environ, "SAMKLIMA_DATA_DIR": str(data_dir), "SAMKLIMA_DEMO": "0", "SAMKLIMA_PUBLIC_URL": "http://localhost:8501"}
    env.pop("SAMKLIMA_DATABASE_URL", None)
    env.pop("SAMKLIMA_SECRET", None)
    for args, stdin in [
        (("users", "add", "sjef", "--role", "admin", "--name", "Sjefen", "--password-stdin"), ADMIN_PASSWORD + "\n"),
        (("units", "import", str(REPO / "sample_data" / "units.csv")), ""),
        (("users", "add", "kari", "--role", "manager", "--unit", "k1.ho", "--password-stdin"), MANAGER_PASSWORD + "\n"),
        (("round", "create", "--name", "høst-2026", "--instrument", "medbestemmelse", "--units", "k1.ho.hj1.t1,k1.ho.hj1.t2",
          "--opens", "2026-09-01", "--closes", "2026-09-30"), ""),
    ]:
        done = samklima(env, *args, stdin=stdin)
        assert done.returncode == 0, done.stderr
    refused = samklima(env, "posters", "--round", "høst-2026", "--pdf", str(data_dir / "plakater.pdf"))
    port = free_port()
    proc = start_streamlit(env, port)
    try:
        yield f"http://127.0.0.1:{port}", env, refused
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def log_in(page, username: str, password: str) -> None:
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()


def test_the_first_admin_made_with_the_cli_logs_in_and_the_login_page_says_no_demo(real_app, page):
    url, _, _ = real_app
    page.goto(url)
    page.get_by_role("heading", name="Logg inn").wait_for()
    assert "demo" not in page.locator("[data-testid='stMain']").inner_text().lower()
    log_in(page, "sjef", ADMIN_PASSWORD)
    page.get_by_text("Innlogget som sjef (administrator)").wait_for()
    open_page(page, "Administrasjon")
    page.get_by_role("tab", name="Kontoer").click(timeout=90_000)
    page.get_by_role("button", name="Opprett kontoen").wait_for()
    page.wait_for_timeout(500)
    screenshot(page, "accounts-first-admin")


def test_a_localhost_poster_is_refused_outside_the_demo(real_app, page):
    url, _, refused = real_app
    assert refused.returncode == 2 and "SAMKLIMA_PUBLIC_URL" in refused.stderr and "localhost" in refused.stderr
    page.goto(url)
    log_in(page, "sjef", ADMIN_PASSWORD)
    page.get_by_text("Innlogget som sjef (administrator)").wait_for()
    open_page(page, "Administrasjon")
    page.get_by_role("tab", name="Lenker og utskrifter").click(timeout=90_000)
    page.get_by_text("SAMKLIMA_PUBLIC_URL er http://localhost:8501, som peker på denne maskinen").wait_for()
    assert page.get_by_role("button", name="Last ned plakater for alle enheter (PDF)").count() == 0
    screenshot(page, "accounts-localhost-refused")


def test_a_refresh_keeps_the_manager_logged_in_and_logging_out_ends_it(real_app, page):
    url, _, _ = real_app
    page.goto(url)
    log_in(page, "kari", MANAGER_PASSWORD)
    page.get_by_text("Innlogget som kari (leder)").wait_for()
    page.wait_for_function("document.cookie.includes('samklima_session=v1.')")
    page.reload()
    page.get_by_text("Innlogget som kari (leder)").wait_for()
    (kept,) = [c for c in page.context.cookies() if c["name"] == "samklima_session"]
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("heading", name="Logg inn").wait_for()
    page.wait_for_function("!document.cookie.includes('samklima_session=v1.')")
    page.reload()
    page.get_by_role("heading", name="Logg inn").wait_for()
    assert page.get_by_text("Innlogget som kari").count() == 0
    page.context.add_cookies([kept])  # a copy taken before logging out is refused by the server
    page.reload()
    page.get_by_role("heading", name="Logg inn").wait_for()
    page.wait_for_timeout(1000)
    assert page.get_by_text("Innlogget som kari").count() == 0
