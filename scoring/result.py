"""The one protocol every statistical and reporting result follows.

A result (alpha, omega, EFA, CFA, IRT, aggregation, a comparison table, the publication, a
client's feedback course...) is a **frozen dataclass** made once and never changed, with

* ``to_dict()`` — JSON-ready (NaN as ``None``), the CLI's ``--json`` and the contract of record;
* ``to_frame()`` — a tidy DataFrame, where the result is tabular;
* ``summary()`` — a readable report for the terminal (like the print of R's psych);
* a short ``repr`` — the class and its one-line headline, never the whole arrays.

:class:`Result` derives the rest: ``str(result)`` is the summary and ``to_json()`` strict JSON.
Subclasses are declared ``@dataclass(frozen=True, repr=False)`` so that this ``repr`` is used.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from scoring.strict_json import json_text

REPR_WIDTH = 100


@runtime_checkable
class ResultProtocol(Protocol):
    """What callers (the CLI, the dashboard, reports) may rely on."""

    def to_dict(self) -> dict: ...

    def summary(self) -> str: ...

    def to_json(self, *, indent: int | None = 2) -> str: ...


class Result:
    """Base of every result: ``str(result)`` is ``summary()``, ``to_json()`` is ``to_dict()`` as JSON."""

    def to_dict(self) -> dict:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def summary(self) -> str:
        """The report for the terminal; by default the tidy table."""
        to_frame = getattr(self, "to_frame", None)
        if to_frame is None:  # pragma: no cover - every result is tabular or defines summary()
            raise NotImplementedError
        return to_frame().to_string(index=False)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        """``ClassName(first line of the summary)``, cut to :data:`REPR_WIDTH` characters."""
        try:
            lines = [line.strip() for line in self.summary().splitlines() if line.strip()]
        except Exception:  # noqa: BLE001 - a repr must never raise (debuggers call it on half-made objects)
            lines = []
        head = lines[0] if lines else ""
        if len(head) > REPR_WIDTH:
            head = head[: REPR_WIDTH - 1] + "…"
        return f"{type(self).__name__}({head})"

    def to_json(self, *, indent: int | None = 2) -> str:
        """``to_dict()`` as strict JSON (no NaN or Infinity: they are null), UTF-8 text kept as is."""
        return json_text(self.to_dict(), indent=indent)
