"""``st.progress`` for work on a page that can take more than two seconds (issue 15).

The library functions take a ``progress`` callback (the same one ``samklima``'s tqdm bar uses,
:mod:`scoring.commands._progress`): called with a step's name (``progress("metric")``) or
with ``(done, total)`` (:func:`scoring.reporting.quality.round_quality`). :func:`progress_bar`
turns either into a bar with the page's own text, and removes the bar when the work is done.

Inside a ``st.cache_data`` function the bar must be made inside the function too (Streamlit
replays the elements a cached function draws, and refuses one that writes to an element made
outside it): such functions take the bar's text as an argument left out of the cache key
(``_bar``) and call :func:`bar_or_nothing`; on a cache hit the replayed bar is removed at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext

import streamlit as st


@contextmanager
def progress_bar(text: str, total: int, *, lazy: bool = False) -> Iterator[Callable[..., None]]:
    """A bar of ``total`` steps labelled ``text`` (already translated); yields ``step(*args)``:
    ``step(done, total)`` sets the share done, anything else (a name or nothing) is one step.
    ``lazy``: the bar appears at the first step (work that may turn out to be a stored result
    read in an instant, where a bar would only flash; that work calls ``step(0, n)`` as it starts)."""
    bar = [None if lazy else st.progress(0.0, text=text)]
    done = [0.0]

    def step(*args) -> None:
        if len(args) == 2 and all(isinstance(a, int) for a in args) and args[1] > 0:
            done[0] = args[0] / args[1]
        else:
            done[0] += 1 / max(total, 1)
        if bar[0] is None:
            bar[0] = st.progress(0.0, text=text)
        bar[0].progress(min(1.0, done[0]), text=text)

    try:
        yield step
    finally:
        if bar[0] is not None:
            bar[0].empty()


def bar_or_nothing(text: str | None, total: int, *, lazy: bool = False):
    """:func:`progress_bar` when ``text`` is given, else a context yielding a callback that does nothing."""
    return progress_bar(text, total, lazy=lazy) if text else nullcontext(lambda *args: None)
