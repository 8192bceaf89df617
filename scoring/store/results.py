"""Slow analyses a page shows, computed once and kept in the database for every app server.

An invariance verdict (three multi-group CFAs) takes seconds; a process cache forgets it at every
restart and every app server has its own. :func:`remembered` keeps a result as JSON in
``stored_results`` under the SHA-256 of a key that names everything it was computed from (the
rounds and their answer-set versions, the questionnaire, the scale, the method's settings), so
a stored result is never stale: a new answer makes a new key, and the next reader computes and
stores the new result. Results of keys no longer asked for are left behind (a few kilobytes
each; :func:`forget` clears a kind).

JSON, not pickles: a database row must not be able to run code in the app server.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from scoring.store.db import write_transaction
from scoring.store.models import StoredResult

T = TypeVar("T")


def key_of(parts: dict) -> str:
    """SHA-256 of the key parts as canonical JSON."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def remembered(engine: Engine, kind: str, parts: dict, compute: Callable[[], T], dump: Callable[[T], dict],
               load: Callable[[dict], T]) -> T:
    """The stored result of ``kind`` for ``parts``, else ``compute()``, stored as ``dump(result)``
    (a JSON-able dict) and read back later with ``load``."""
    key = key_of(parts)
    with engine.connect() as conn:
        payload = conn.execute(select(StoredResult.payload).where(StoredResult.kind == kind, StoredResult.key == key)).scalar()
    if payload is not None:
        return load(json.loads(payload))
    result = compute()
    text = json.dumps(dump(result), allow_nan=True)
    try:
        with write_transaction(engine) as conn:
            conn.execute(delete(StoredResult).where(StoredResult.kind == kind, StoredResult.key == key))
            conn.execute(StoredResult.__table__.insert(), {"kind": kind, "key": key, "stored_on": dt.date.today(), "payload": text})
    except IntegrityError:  # another server stored the same result at the same moment
        pass
    return result


def forget(engine: Engine, kind: str) -> int:
    """Delete every stored result of ``kind``; the number deleted."""
    with write_transaction(engine) as conn:
        return conn.execute(delete(StoredResult).where(StoredResult.kind == kind)).rowcount
