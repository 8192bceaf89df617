"""No tests here: the functions the store tests run in child processes (multiprocessing, spawn).

They import only the submission path (SQLAlchemy, the instrument model), not pandas, so that
twenty children start quickly.
"""

from __future__ import annotations

import datetime as dt
import sys

TODAY = dt.date(2026, 3, 10)


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
    """Submit ``(key, index, token, code)`` jobs; put ``(key, outcome)`` on the ``results`` queue."""
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


def import_big(url: str, round_name: str, path: str, ready) -> None:
    """Import a large file in one transaction (to be killed while it runs)."""
    from scoring.store.bulk import import_responses
    from scoring.store.db import make_engine

    engine = make_engine(url)
    ready.set()
    import_responses(engine, round_name, path, today=TODAY)
    sys.exit(0)
