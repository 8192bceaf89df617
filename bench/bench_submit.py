"""Submission speed: responses per second and latency with 20 concurrent writers.

For each backend (an SQLite file in WAL mode with ``synchronous=FULL``, and a throwaway
PostgreSQL server started from Debian's ``postgresql`` binaries as the tests do, with ``fsync``
on), ``--writers`` processes each submit their share of ``--responses`` responses (both staff
instruments, 52 items) through :func:`scoring.store.submit.submit_response`, the path the
respondent page uses: check every answer against the round's form, idempotency key, and store
the response in one statement that checks the link and the round as it stores (each writer
first opens its links with :func:`~scoring.store.submit.resolve_access`, as the page does when
a respondent opens one; that read is not part of the submission).

The floor: the same writers insert the same rows (the JSON exactly as Samklima stores it) with
bare ``INSERT``s through the driver (sqlite3 / psycopg), one transaction per row, since every
response must be committed on its own. Printed side by side with the ratio of the two
throughputs (Samklima / floor), and latency p50/p95 per submission. Prints, never asserts.

    python bench/bench_submit.py [--responses 1000] [--writers 20] [--backend both|sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

STAFF = ["samhandlingsklima", "medbestemmelse"]
FIELDS = {"role": "sykepleier"}


def answers_for(index: int, items: list[str]) -> dict:
    """Deterministic answers: codes 1-5, some 9 ("vet ikke"), some blank."""
    answers = {}
    for position, item in enumerate(items):
        value = (index * 7 + position * 3) % 7
        if value:
            answers[item] = 9 if value == 6 else value
    return answers


def samklima_writer(url: str, items: list[str], jobs: list[tuple[str, str]], barrier, results) -> None:
    from scoring.store.db import make_engine
    from scoring.store.submit import resolve_access, submit_response

    engine = make_engine(url)
    for token in dict.fromkeys(token for _, token in jobs):  # the page opens the link first
        resolve_access(engine, token=token)
    warm = jobs[0][1]
    submit_response(engine, token=warm, answers=answers_for(0, items), language="nb", idempotency_key=f"warm-{jobs[0][0]}", fields=FIELDS)
    barrier.wait()
    start = time.monotonic()
    latencies = []
    for n, (key, token) in enumerate(jobs):
        began = time.perf_counter()
        submit_response(engine, token=token, answers=answers_for(n, items), language="nb", idempotency_key=key, fields=FIELDS)
        latencies.append(time.perf_counter() - began)
    results.put((start, time.monotonic(), latencies))
    engine.dispose()


def floor_writer(url: str, rows: list[tuple], barrier, results) -> None:
    """Bare INSERTs of prepared rows through the driver, one transaction each."""
    sql = (
        "INSERT INTO responses (id, round_id, unit_id, submitted_on, language, instrument_versions, partner, fields, "
        "answers, idempotency_key, source) VALUES ({p})"
    )
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        for pragma in ("busy_timeout = 30000", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            conn.execute(f"PRAGMA {pragma}")
        statement = sql.format(p=", ".join("?" * 11))

        def insert(row):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(statement, row)
            conn.execute("COMMIT")
    else:
        import psycopg

        conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        statement = sql.format(p=", ".join(["%s"] * 7 + ["%s::json", "%s::json", "%s", "%s"]))

        def insert(row):
            conn.execute(statement, row)
            conn.commit()

    insert(rows[0])
    barrier.wait()
    start = time.monotonic()
    latencies = []
    for row in rows[1:]:
        began = time.perf_counter()
        insert(row)
        latencies.append(time.perf_counter() - began)
    results.put((start, time.monotonic(), latencies))
    conn.close()


def run_writers(ctx, target, shares: list[tuple]) -> dict:
    barrier = ctx.Barrier(len(shares))
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*share, barrier, results)) for share in shares]
    for proc in procs:
        proc.start()
    outcomes = [results.get(timeout=900) for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"a writer failed (exit code {proc.exitcode})")
    latencies = sorted(x for _, _, lat in outcomes for x in lat)
    wall = max(end for _, end, _ in outcomes) - min(start for start, _, _ in outcomes)
    return {
        "n": len(latencies),
        "per_s": len(latencies) / wall,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[int(len(latencies) * 0.95)],
    }


def bench_backend(ctx, url: str, responses: int, writers: int) -> dict:
    import datetime as dt

    from sqlalchemy import text

    from scoring.store import api
    from scoring.store.db import make_engine, migrate
    from scoring.store.form import RoundForm

    engine = make_engine(url)
    migrate(engine)
    api.import_units(engine, REPO / "sample_data" / "units.csv")
    api.create_round(engine, "bench", STAFF, "all")
    links = api.make_links(engine, "bench")
    with engine.connect() as conn:
        round_id, items = conn.execute(text("SELECT id, items FROM rounds WHERE name = 'bench'")).one()
    items = items if isinstance(items, list) else json.loads(items)
    from scoring.instrument.catalog import resolve
    from scoring.store.tokens import key_hash, new_response_id

    form = RoundForm(tuple(resolve(i) for i in STAFF))
    today = dt.date.today()

    per_writer = responses // writers
    floor_shares = []
    for w in range(writers):
        rows = []
        for n in range(per_writer + 1):  # the first row is the warm-up
            answers, fields = form.encode(answers_for(n, items), FIELDS)
            link = links[(w + n) % len(links)]
            rows.append(
                (new_response_id(), round_id, link.unit, today.isoformat(), "nb", form.versions, None, json.dumps(fields, separators=(",", ":")),
                 json.dumps(answers, separators=(",", ":")), key_hash(f"floor:{w}:{n}"), "web")
            )  # fmt: skip
        floor_shares.append((url, rows))
    samklima_shares = [
        (url, items, [(f"bench-{w}-{n}", links[(w + n) % len(links)].token) for n in range(per_writer)]) for w in range(writers)
    ]
    floor = run_writers(ctx, floor_writer, floor_shares)
    ours = run_writers(ctx, samklima_writer, samklima_shares)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM responses WHERE round_id = :r"), {"r": round_id}).scalar_one()
    engine.dispose()
    expected = writers * (per_writer + 1) * 2
    if stored != expected:
        raise RuntimeError(f"{stored} rows stored, expected {expected}")
    return {"samklima": ours, "floor": floor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1000, help="responses per backend and run (split over the writers)")
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--backend", choices=["both", "sqlite", "postgresql"], default="both")
    args = parser.parse_args()

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["scoring.store.db", "scoring.store.submit", "psycopg", "sqlite3"])
    results = {}
    with tempfile.TemporaryDirectory(prefix="samklima-bench-") as folder:
        if args.backend in ("both", "sqlite"):
            results["sqlite"] = bench_backend(ctx, f"sqlite:///{folder}/bench.db", args.responses, args.writers)
        if args.backend in ("both", "postgresql"):
            from tests.postgres.server import find_binaries, start_postgres

            if find_binaries() is None:
                print("postgresql: skipped (no /usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)")
            else:
                server = start_postgres(max_connections=args.writers + 20, durable=True)
                try:
                    results["postgresql"] = bench_backend(ctx, server.create_database("bench"), args.responses, args.writers)
                finally:
                    server.stop()

    print(f"{args.writers} concurrent writers, {args.responses // args.writers * args.writers} responses per run, 52 items each")
    print(f"{'backend':<11} {'run':<22} {'responses/s':>11} {'p50 ms':>8} {'p95 ms':>8}")
    for backend, runs in results.items():
        for label, key in (("samklima submit", "samklima"), ("bare INSERT (floor)", "floor")):
            r = runs[key]
            print(f"{backend:<11} {label:<22} {r['per_s']:>11.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
        ratio = runs["samklima"]["per_s"] / runs["floor"]["per_s"]
        print(f"{backend:<11} {'ratio samklima/floor':<22} {ratio:>11.2f}")


if __name__ == "__main__":
    main()
