"""Work over a round's stored data in forked worker processes (report batches, preparing a round).

The workers are forked so that they inherit what the parent has read or decided (a national
round's decisions are gigabytes and take minutes): the parent puts them in :data:`_JOB` before
the pool starts and each worker reads them there; only the chunks are sent. A forked worker must
never use the parent's pooled database connections (SQLAlchemy, "Using Connection Pools with
Multiprocessing"), so it drops them first and opens its own.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import Engine

_JOB: tuple | None = None  # (engine, work, shared), inherited by the forked workers


def worker_count(workers: int | None) -> int:
    """``workers``, by default one per core, at most 4."""
    return workers or min(4, os.cpu_count() or 1)


def worth_forking(workers: int, items: int) -> bool:
    """Whether ``items`` are worth ``workers`` forked processes (at least two items each) and this
    platform can fork."""
    return workers > 1 and items >= 2 * workers and "fork" in mp.get_all_start_methods()


def forked_map(engine: Engine, shared, work: Callable, chunks: Iterable, workers: int) -> Iterator:
    """``work(shared, chunk)`` for every chunk in ``workers`` forked processes that inherit
    ``shared``; the results in the chunks' order, each as its chunk finishes."""
    global _JOB
    _JOB = (engine, work, shared)
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=_forget_connections) as pool:
            yield from pool.map(_run, chunks)
    finally:
        _JOB = None


def _forget_connections() -> None:
    if _JOB is not None:
        _JOB[0].dispose(close=False)


def _run(chunk):
    _, work, shared = _JOB
    return work(shared, chunk)
