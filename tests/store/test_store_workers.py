"""No tests here: the functions the store tests run in child processes (multiprocessing).

They import only the submission path (SQLAlchemy, the instrument model), not pandas, so that
twenty children start quickly. :func:`process_context` gives a ``forkserver`` context that
imports that path once, so each child is a cheap fork instead of a fresh interpreter.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sys
import time

TODAY = dt.date(2026, 3, 10)
PRELOAD = ["tests.store.test_store_workers", "scoring.store.db", "scoring.store.submit", "psycopg"]


def process_context():
    """A ``forkserver`` multiprocessing context whose server has the submission path imported."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def expected_answers(index: int, items: list[str]) -> dict:
    """Deterministic answers for submission ``index``: codes 1-5, some 9 ("vet ikke"), some blank."""
    answers = {}
    for position, item in enumerate(items):
        value = (index * 7 + position * 3) % 7
        if value == 0:
            continue  # blank
        answers[item] = 9 if value == 6 else value
    return answers


def submit_jobs(url: str, items: list[str], jobs: list[tuple], results) -> None:
    """Submit ``(key, index, token, code)`` jobs; put ``(key, outcome)`` on the ``results`` queue.

    An unexpected error is put on the queue as text (instead of a list), so the test fails
    with the child's traceback at once rather than waiting for a result that never comes.
    """
    import traceback

    try:
        from scoring.store.db import make_engine
        from scoring.store.submit import AccessRefused, submit_response

        engine = make_engine(url)
        out = []
        for key, index, token, code in jobs:
            try:
                done = submit_response(
                    engine, token=token, code=code, answers=expected_answers(index, items), language="nb",
                    fields={"role": "sykepleier"}, idempotency_key=key, today=TODAY,
                )
                out.append((key, "created" if done.created else "repeat"))
            except AccessRefused as err:
                out.append((key, err.reason))
        engine.dispose()
        results.put(out)
    except BaseException:  # the parent shows it; a silent child would look like a hang
        results.put(traceback.format_exc())
        raise


def collect(procs, results, deadline_seconds: float = 600) -> list:
    """One result list per process; fail with the child's traceback or exit code, not a timeout.

    CI machines are slow and shared, so the deadline is generous; a child that died is noticed
    within a second instead.
    """
    import queue

    deadline = time.monotonic() + deadline_seconds
    got: list = []
    while len(got) < len(procs):
        try:
            item = results.get(timeout=1)
        except queue.Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead and results.empty():
                raise AssertionError(f"a writer process died with exit code {dead[0]}") from None
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(got)} of {len(procs)} writers reported within {deadline_seconds} s") from None
            continue
        if isinstance(item, str):
            raise AssertionError(f"a writer process failed:\n{item}")
        got.append(item)
    return [o for out in got for o in out]


def submit_forever(url: str, items: list[str], token: str, ready) -> None:
    """Submit responses in a loop until killed; signal ``ready`` after the first one."""
    from scoring.store.db import make_engine
    from scoring.store.submit import submit_response

    engine = make_engine(url)
    index = 0
    while True:
        submit_response(
            engine, token=token, answers=expected_answers(index, items), language="nb",
            idempotency_key=f"loop-{index}", today=TODAY,
        )
        if index == 0:
            ready.set()
        index += 1


def _hang_at_commit(engine, ready) -> None:
    """Make ``engine`` stop just before COMMIT: every row is written, nothing is committed yet.

    SQLAlchemy's ``commit`` event runs before the driver's commit, so a process killed while
    it sleeps here dies in the middle of its write transaction (locks held, rows written).
    """
    from sqlalchemy import event

    @event.listens_for(engine, "commit")
    def _hang(_conn):
        ready.set()
        while True:
            time.sleep(60)


def submit_and_hang(url: str, items: list[str], code: str, ready) -> None:
    """Submit one response with a one-time code and hang before its COMMIT (to be killed)."""
    from scoring.store.db import make_engine
    from scoring.store.submit import submit_response

    engine = make_engine(url)
    _hang_at_commit(engine, ready)
    submit_response(engine, code=code, answers=expected_answers(1, items), language="nb", idempotency_key="hang", today=TODAY)


def import_and_hang(url: str, round_name: str, path: str, ready) -> None:
    """Import a file in one transaction and hang before its COMMIT (to be killed)."""
    from scoring.store.bulk import import_responses
    from scoring.store.db import make_engine

    engine = make_engine(url)
    _hang_at_commit(engine, ready)
    import_responses(engine, round_name, path, today=TODAY)
    sys.exit(0)


def submit_and_wait(url: str, items: list[str], code: str, key: str, ready, go, results) -> None:
    """Submit one response with a one-time code, hold it just before COMMIT (the code's row is
    deleted and locked) until ``go`` is set, then commit; put the response id on ``results``."""
    from sqlalchemy import event

    from scoring.store.db import make_engine
    from scoring.store.submit import submit_response

    engine = make_engine(url)

    @event.listens_for(engine, "commit")
    def _wait(_conn):
        ready.set()
        go.wait(60)

    done = submit_response(engine, code=code, answers=expected_answers(2, items), language="nb", idempotency_key=key, today=TODAY)
    results.put(done.response_id)
    engine.dispose()
