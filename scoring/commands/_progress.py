"""A progress bar on the terminal for commands that can take more than a couple of seconds
(issue 15): tqdm on standard error, and nothing at all when standard error is not a terminal,
so pipes, scripts and tests see only the command's own output."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(label: str, total: int, unit: str = "step") -> Iterator[Callable[..., None]]:
    """A bar of ``total`` steps; yields ``step(name=None, n=1)``, which names what was just done
    and moves the bar on."""
    from tqdm import tqdm

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, disable=None, leave=False, dynamic_ncols=True) as bar:

        def step(name: str | None = None, n: int = 1) -> None:
            if name:
                bar.set_postfix_str(name, refresh=False)
            bar.update(n)

        yield step
