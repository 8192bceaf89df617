"""Values computed once per data frame object, for frames that are read and never changed in
place (the unit tree as the store returns it).

A report batch asks the same tree for its depths and its hash for each of 1,500 scopes; keying
on the frame's identity (with a weak reference, so that a new frame at a recycled address is
never mistaken for the old one) turns those into dictionary look-ups. A frame changed in place
would keep its old values: callers memoise only frames they do not change.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

_MEMO: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}


def memo(frame: Any, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` the first time ``name`` is asked of this very ``frame``, then the same value."""
    key = id(frame)
    entry = _MEMO.get(key)
    if entry is None or entry[0]() is not frame:
        entry = (weakref.ref(frame, lambda _, key=key: _MEMO.pop(key, None)), {})
        _MEMO[key] = entry
    values = entry[1]
    if name not in values:
        values[name] = compute()
    return values[name]
