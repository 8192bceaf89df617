"""UI text in bokmål (nb) and English (en). No UI string lives outside these tables.

Each page keeps its texts in ``dashboard/texts/<page>.py`` (a ``TEXT`` dict of
``key -> {"nb": ..., "en": ...}``); this module merges them and refuses duplicate keys, so
pages can be written side by side without stepping on each other.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from dashboard import texts

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
            merged[key] = value
    return merged


def t(key: str, lang: str, **values) -> str:
    """The text ``key`` in ``lang`` (falls back to bokmål), with ``{placeholders}`` filled."""
    entry = table()[key]
    text = entry.get(lang) or entry["nb"]
    return text.format(**values) if values else text
