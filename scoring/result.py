"""The verbs every psychometric result object shares: print, JSON.

A result class (alpha, omega, EFA, CFA, aggregation, ...) defines ``summary()`` (a readable
report like psych's print), ``to_frame()`` (a tidy DataFrame) and ``to_dict()`` (JSON-ready,
NaN as None). :class:`Result` derives the rest from them, so that ``print(result)`` shows the
report rather than the dataclass fields and ``result.to_json()`` is the CLI's ``--json``.
"""

from __future__ import annotations

from scoring.strict_json import json_text


class Result:
    """Mixin: ``str(result)`` is ``result.summary()``; ``result.to_json()`` is ``to_dict()`` as JSON."""

    def summary(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_dict(self) -> dict:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __str__(self) -> str:
        return self.summary()

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as strict JSON (no NaN or Infinity: they are null), UTF-8 text kept as is."""
        return json_text(self.to_dict(), indent=indent)
