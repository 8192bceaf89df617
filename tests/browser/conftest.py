"""Browser tests: `streamlit run app.py` on a free port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium (``SAMKLIMA_CHROMIUM``
overrides). Without it these tests skip, and with CI=true a skip here fails the run.
Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return os.environ.get("SAMKLIMA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_answers(port: int) -> bool:
    """Something already listens on ``port`` (127.0.0.1)."""
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def start_streamlit(env: dict[str, str], port: int) -> subprocess.Popen:
    """Start the app on ``port`` and wait until it is healthy. A server left running on the port
    (a run stopped half-way) would answer the health check for the new one, which cannot bind,
    and every figure or test after it would be of the old code and its warm caches: refused."""
    if port_answers(port):
        raise RuntimeError(f"port {port} is already in use (a server left running?); not starting another")
    cmd = [
        sys.executable, "-m", "dashboard.serve",  # streamlit run app.py, the dashboard's modules imported first
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    log = open(env["SAMKLIMA_DATA_DIR"] + "/streamlit.log", "w")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited: " + Path(env["SAMKLIMA_DATA_DIR"], "streamlit.log").read_text())
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200 and proc.poll() is None:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 90 s")


@pytest.fixture(scope="session")
def app_data_dir(tmp_path_factory) -> Path:
    """The data directory of :func:`app_server` (its demo database, once a page has been opened)."""
    return tmp_path_factory.mktemp("appdata")


@pytest.fixture(scope="session")
def app_server(app_data_dir):
    """A running app on a fresh data directory; yields its base URL."""
    data_dir = app_data_dir
    env = {**os.environ, "SAMKLIMA_DATA_DIR": str(data_dir)}
    env.pop("SAMKLIMA_DATABASE_URL", None)
    port = free_port()
    proc = start_streamlit(env, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, username: str, password: str = "demo") -> None:
    """Log in through the form on the first page."""
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_text("Innlogget som").wait_for()
    # The session cookie is written by a script in the run after login (after the switch to the
    # landing page), which can come after "Innlogget som" is drawn; a test that opens another
    # address at once must find it there, or that address opens the login form (seen in CI).
    page.wait_for_function("() => document.cookie.includes('samklima_session=')", timeout=90_000)


def open_page(page, title: str, timeout: float = 90_000) -> None:
    """Open a page from the sidebar and wait for its title.

    A click on a navigation link while Streamlit is still finishing the run that logged the
    user in can be dropped under load (seen in CI on two busy cores), so the click is repeated
    once if the page's title has not appeared after a while.
    """
    link = page.locator("[data-testid='stSidebarNav']").get_by_text(title, exact=True).first
    heading = page.locator("h1").filter(has_text=title).first
    link.click()
    try:
        heading.wait_for(timeout=timeout / 3)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; retry the click once
        link.click()
        heading.wait_for(timeout=timeout)
