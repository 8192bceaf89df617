"""Load: 5 app server processes against one PostgreSQL, respondents submitting and managers browsing at once.

Starts a throwaway PostgreSQL server (Debian's ``postgresql`` binaries, as the tests do, with
``fsync`` on), loads a demo organisation with ``--respondents`` earlier answers in ``--units``
units (``scoring.samples.generator.generate_sample`` + ``load_demo``: the demo accounts with
the password ``demo``), opens a new round for both staff instruments and a short one
(medbestemmelse) for the browser respondents, and starts ``--servers`` app servers
(``streamlit run app.py``, each its own process and port, all on ``SAMKLIMA_DATABASE_URL``).
Then, at the same time:

- ``--managers`` managers (half ``leder``, half ``admin``), each a Playwright page in Debian's
  Chromium on server i mod 5: log in, then ``--views`` times Forside and Sammenlign enheter,
  each timed from the click to the fully drawn page (charts, table, script finished);
- ``--browser-respondents`` respondents in real Chromium pages on the respondent page (the
  short round: Start, Om deg, five pages of questions clicked one by one, review, send),
  timed per page change and from "Send inn svarene" to "Takk for svaret!";
- the other respondents (``--respondents-now`` in all, 200 by default) submit through the
  store's submit path, the code the respondent page runs on its server: ``--servers`` worker
  processes (one per app server, each with its own connection pool as an app server has)
  with a thread per respondent, arriving evenly over ``--spread`` seconds; each opens its
  unit link (:func:`~scoring.store.submit.resolve_access`) and sends 52 answers
  (:func:`~scoring.store.submit.submit_response`). A real browser per respondent would
  need 200 Chromium pages on a 2-core machine, which measures Chromium, not Samklima.

Prints p50/p95/max per kind of request, the number of errors (a timeout, an exception, an
error box on a page, a refused submission) and the load average before and after; then checks
that every submission was stored exactly once. Never asserts.

    python bench/bench_load.py [--servers 5] [--managers 20] [--respondents-now 200]
                               [--browser-respondents 5] [--views 3] [--respondents 20000] [--units 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STAFF = ["samhandlingsklima", "medbestemmelse"]
FIELDS = {"role": "sykepleier"}
TIMEOUT_MS = int(os.environ.get("BENCH_LOAD_TIMEOUT_MS", 180_000))
# The page's own heading drawn, its charts drawn and the script finished. (Not "no stale
# element": one element of the page before stays marked stale on this Streamlit version.)
IDLE = """([heading, charts]) => {
  const heads = [...document.querySelectorAll('h1, h2, h3')].map(h => h.innerText);
  if (heading && !heads.some(h => h.includes(heading))) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < charts || plots.some(p => !p.querySelector('.main-svg'))) return false;
  return !document.querySelector("[data-testid='stStatusWidgetRunningIcon'], [data-testid='stStatusWidgetRunningManIcon']");
}"""
QUESTIONS = ".st-key-respond_questions [data-testid='stRadio']"
SETTLED = "document.querySelectorAll('[data-stale=\"true\"]').length === 0"


def answers_for(index: int, items: list[str]) -> dict:
    """Deterministic answers: codes 1-5, some 9 ("vet ikke"), some blank."""
    answers = {}
    for position, item in enumerate(items):
        value = (index * 7 + position * 3) % 7
        if value:
            answers[item] = 9 if value == 6 else value
    return answers


# ----------------------------------------------------------------------------- set-up


def prepare(url: str, respondents: int, units: int) -> dict:
    """Demo organisation with earlier answers, a new staff round and a short round; their links."""
    from sqlalchemy import text

    from scoring.samples.demo import DemoTables, load_demo
    from scoring.samples.generator import generate_sample
    from scoring.store import api
    from scoring.store.db import make_engine

    engine = make_engine(url)
    sample = generate_sample(respondents=respondents, units=units, rounds=1, seed=7)
    load_demo(engine, DemoTables(sample.units, sample.responses, sample.feedback, sample.headcount))
    tree = api.read_units(engine)
    leaves = sorted(set(tree["unit"]) - set(tree["parent"].dropna()))
    api.create_round(engine, "last", STAFF, leaves)
    api.create_round(engine, "kort", ["medbestemmelse"], leaves)
    links = [link.token for link in api.make_links(engine, "last")]
    short = [link.token for link in api.make_links(engine, "kort")]
    with engine.connect() as conn:
        items = conn.execute(text("SELECT items FROM rounds WHERE name = 'last'")).scalar_one()
    engine.dispose()
    return {"links": links, "short": short, "items": items if isinstance(items, list) else json.loads(items)}


# ----------------------------------------------------------------------------- direct respondents


def submitter(url: str, items: list[str], jobs: list[tuple[int, str, float]], start_at: float, results) -> None:
    """One app server's share of the respondents: a thread each, arriving at its offset."""
    from scoring.store.db import make_engine
    from scoring.store.submit import resolve_access, submit_response

    engine = make_engine(url)
    lock = threading.Lock()
    out: dict[str, list] = {"open link": [], "submit": [], "errors": []}

    def respondent(job):
        index, token, offset = job
        time.sleep(max(0.0, start_at + offset - time.time()))
        try:
            began = time.perf_counter()
            resolve_access(engine, token=token)
            opened = time.perf_counter()
            submit_response(engine, token=token, answers=answers_for(index, items), language="nb",
                            idempotency_key=f"load-{index}", fields=FIELDS)
            done = time.perf_counter()
            with lock:
                out["open link"].append(opened - began)
                out["submit"].append(done - opened)
        except Exception as err:  # counted and printed, the run goes on
            with lock:
                out["errors"].append(f"respondent {index}: {type(err).__name__}: {err}")

    with ThreadPoolExecutor(max_workers=max(1, len(jobs))) as pool:
        list(pool.map(respondent, jobs))
    engine.dispose()
    results.put(out)


# ----------------------------------------------------------------------------- browsers


async def seen(page) -> str:
    """What the page showed when something went wrong (its first words), for the error line."""
    try:
        text = await page.evaluate("document.querySelector('[data-testid=stMain]')?.innerText || document.body.innerText")
        state = await page.evaluate("""() => ({running: !!document.querySelector("[data-testid='stStatusWidgetRunningIcon'], [data-testid='stStatusWidgetRunningManIcon']"),
            stale: document.querySelectorAll("[data-stale='true']").length, plots: document.querySelectorAll('.js-plotly-plot').length,
            heads: [...document.querySelectorAll('h1, h2, h3')].length})""")
    except Exception:  # the page itself is gone
        return ""
    return f" | state {state} | page: " + " ".join(text.split())[:120]


async def manager(browser, base: str, user: str, views: int, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        await page.goto(base)
        await page.get_by_label("Brukernavn").fill(user)
        await page.get_by_label("Passord").fill("demo")
        began = time.perf_counter()
        await page.get_by_role("button", name="Logg inn").click()
        await page.get_by_text("Innlogget som").wait_for()
        await page.wait_for_function(IDLE, arg=["", 0], timeout=TIMEOUT_MS, polling=50)
        out["login"].append(time.perf_counter() - began)
        for _ in range(views):
            for link, heading, charts, kind in (("Forside", "Samklima", 0, "Forside"), ("Sammenlign enheter", "Sammenlign enheter", 0, "Sammenlign enheter")):
                began = time.perf_counter()
                await page.get_by_role("link", name=link).click()
                await page.wait_for_timeout(50)  # the click's rerun has started
                await page.wait_for_function(IDLE, arg=[heading, charts], timeout=TIMEOUT_MS, polling=50)
                out[kind].append(time.perf_counter() - began)
                if await page.locator("[data-testid='stException']").count():
                    out["errors"].append(f"{user} on {base}: an error box on {link}")
    except Exception as err:  # a timeout or a crash is an error of the run, not of the bench
        out["errors"].append(f"{user} on {base}: {type(err).__name__}: {str(err).splitlines()[0]}{await seen(page)}")
    finally:
        await context.close()


async def browser_respondent(browser, base: str, token: str, pages, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="nb-NO")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    async def step(name: str, then) -> None:
        await page.wait_for_function(SETTLED)
        began = time.perf_counter()
        await page.get_by_role("button", name=name).click()
        await then()
        out["page change"].append(time.perf_counter() - began)

    try:
        await page.goto(f"{base}/svar?t={token}")
        await step("Start", lambda: page.get_by_role("heading", name="Om deg").wait_for())
        for n, form_page in enumerate(pages):
            title = form_page.title("nb")
            await step("Neste", lambda title=title: page.get_by_role("heading", name=title).first.wait_for())
            await page.wait_for_function("([s, n]) => document.querySelectorAll(s).length === n", arg=[QUESTIONS, len(form_page.items)])
            groups = page.locator(QUESTIONS)
            for q in range(len(form_page.items)):
                await page.wait_for_function(SETTLED)
                await groups.nth(q).locator("[data-testid='stRadioOption']").nth(3).click()
            if n == len(pages) - 1:
                await step("Se over svarene", lambda: page.get_by_role("heading", name="Se over svarene").wait_for())
        await page.wait_for_function(SETTLED)
        began = time.perf_counter()
        await page.get_by_role("button", name="Send inn svarene").click()
        await page.get_by_role("heading", name="Takk for svaret!").wait_for()
        out["send (browser)"].append(time.perf_counter() - began)
    except Exception as err:
        out["errors"].append(f"browser respondent on {base}: {type(err).__name__}: {str(err).splitlines()[0]}{await seen(page)}")
    finally:
        await context.close()


async def browse(bases: list[str], managers: int, views: int, short: list[str], n_browser: int, out: dict) -> float:
    from playwright.async_api import async_playwright

    from dashboard.form_pages import form_pages
    from scoring.instrument.catalog import bundled
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    pages = form_pages([bundled("medbestemmelse")])
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        began = time.perf_counter()
        tasks = [manager(browser, bases[m % len(bases)], "leder" if m % 2 == 0 else "admin", views, out) for m in range(managers)]
        tasks += [browser_respondent(browser, bases[r % len(bases)], short[r], pages, out) for r in range(n_browser)]
        await asyncio.gather(*tasks)
        wall = time.perf_counter() - began
        await browser.close()
    return wall


# ----------------------------------------------------------------------------- report


def quantiles(values: list[float]) -> str:
    if not values:
        return f"{'-':>7} {'-':>7} {'-':>7}"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered):7.2f} {p95:7.2f} {ordered[-1]:7.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=5)
    parser.add_argument("--managers", type=int, default=20)
    parser.add_argument("--respondents-now", type=int, default=200, help="respondents submitting during the run, browsers included")
    parser.add_argument("--browser-respondents", type=int, default=5, help="of those, how many use the respondent page in Chromium")
    parser.add_argument("--views", type=int, default=3, help="Forside + Sammenlign enheter visits per manager")
    parser.add_argument("--spread", type=float, default=30.0, help="seconds over which the direct respondents arrive")
    parser.add_argument("--respondents", type=int, default=20_000, help="earlier answers in the database")
    parser.add_argument("--units", type=int, default=200)
    args = parser.parse_args()

    from tests.browser.conftest import chromium_path, free_port, start_streamlit
    from tests.postgres.server import find_binaries, start_postgres

    if find_binaries() is None or not chromium_path():
        print("load: skipped (needs Debian's postgresql and chromium)")
        return
    load_before = os.getloadavg()
    server = start_postgres(max_connections=40 * args.servers + 50, durable=True)
    apps = []
    try:
        url = server.create_database("load")
        started = time.perf_counter()
        setup = prepare(url, args.respondents, args.units)
        print(f"data: {args.respondents:,} earlier answers in {args.units} units loaded in {time.perf_counter() - started:.1f} s; "
              f"{len(setup['links'])} unit links in the new round")
        with tempfile.TemporaryDirectory(prefix="samklima-load-") as tmp:
            bases = []
            for i in range(args.servers):
                folder = Path(tmp) / f"app{i}"
                folder.mkdir()
                env = {**os.environ, "SAMKLIMA_DATA_DIR": str(folder), "SAMKLIMA_DATABASE_URL": url, "SAMKLIMA_DEMO": "0"}
                port = free_port()
                apps.append(start_streamlit(env, port))
                bases.append(f"http://127.0.0.1:{port}")
            print(f"{args.servers} app servers up; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs")

            direct = max(0, args.respondents_now - args.browser_respondents)
            rng = random.Random(1)
            jobs = [(i, setup["links"][i % len(setup["links"])], rng.uniform(0, args.spread)) for i in range(direct)]
            ctx = multiprocessing.get_context("forkserver")
            results = ctx.Queue()
            start_at = time.time() + 3.0  # the workers have imported by then
            workers = [ctx.Process(target=submitter, args=(url, setup["items"], jobs[w::args.servers], start_at, results))
                       for w in range(args.servers)]
            for worker in workers:
                worker.start()
            out: dict[str, list] = {k: [] for k in ("login", "Forside", "Sammenlign enheter", "page change", "send (browser)", "errors")}
            time.sleep(max(0.0, start_at - time.time()))
            wall = asyncio.run(browse(bases, args.managers, args.views, setup["short"], args.browser_respondents, out))
            submitted = {"open link": [], "submit": [], "errors": []}
            for _ in workers:
                part = results.get(timeout=900)
                for key, values in part.items():
                    submitted[key] += values
            for worker in workers:
                worker.join()
            load_after = os.getloadavg()
    finally:
        for app in apps:
            app.terminate()
            app.wait(30)

    from sqlalchemy import text

    from scoring.store.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT r.name, count(*) FROM responses x JOIN rounds r ON r.id = x.round_id "
                                        "WHERE r.name IN ('last', 'kort') GROUP BY r.name")).all())
    engine.dispose()
    server.stop()

    print(f"\n{args.servers} app servers, one PostgreSQL; {args.managers} managers browsing ({args.views} x Forside + Sammenlign enheter each), "
          f"{direct} direct + {args.browser_respondents} browser respondents; browsers ran {wall:.0f} s")
    print(f"load average before {' '.join(f'{v:.1f}' for v in load_before)}, after {' '.join(f'{v:.1f}' for v in load_after)} on {os.cpu_count()} CPUs")
    print(f"{'request':<34}{'n':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    rows = [("manager: login to first page", out["login"]), ("manager: Forside", out["Forside"]),
            ("manager: Sammenlign enheter", out["Sammenlign enheter"]), ("respondent (browser): page change", out["page change"]),
            ("respondent (browser): send", out["send (browser)"]), ("respondent (direct): open link", submitted["open link"]),
            ("respondent (direct): submit", submitted["submit"])]
    for label, values in rows:
        print(f"{label:<34}{len(values):>5} {quantiles(values)}")
    errors = out["errors"] + submitted["errors"]
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:20]))
    print(f"stored: {stored.get('last', 0)} of {direct} direct submissions, {stored.get('kort', 0)} of {args.browser_respondents} from browsers")


if __name__ == "__main__":
    main()
