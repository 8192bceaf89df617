"""UI text in bokmål (nb), nynorsk (nn) and English (en). No UI string lives outside these tables.

Each page keeps its texts in ``dashboard/texts/<page>.py`` (a ``TEXT`` dict of
``key -> {"nb": ..., "nn": ..., "en": ...}``); this module merges them and refuses duplicate
keys, so pages can be written side by side without stepping on each other. The nynorsk of the
tables written before nynorsk came lives beside them in ``dashboard/texts_nn/<page>.py`` (an
``NN`` dict of ``key -> text``) and is merged in here; a key there that no table has is an error.
A text missing in a language falls back to bokmål.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from dashboard import texts, texts_nn

LANGUAGES = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, str]]:
    """Every text of every page, merged; a key defined twice is a programming error."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(texts.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, value in module.TEXT.items():
            if key in merged:
                raise KeyError(f"text key {key!r} defined twice (dashboard/texts/{info.name}.py)")
            merged[key] = dict(value)
    for info in sorted(pkgutil.iter_modules(texts_nn.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{texts_nn.__name__}.{info.name}")
        for key, value in module.NN.items():
            if key not in merged:
                raise KeyError(f"nynorsk text {key!r} has no entry in the tables (dashboard/texts_nn/{info.name}.py)")
            merged[key].setdefault("nn", value)
    return merged


def t(key: str, lang: str, **values) -> str:
    """The text ``key`` in ``lang`` (falls back to bokmål), with ``{placeholders}`` filled."""
    entry = table()[key]
    text = entry.get(lang) or entry["nb"]
    return text.format(**values) if values else text
