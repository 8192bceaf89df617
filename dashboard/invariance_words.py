"""An invariance verdict (:class:`scoring.reporting.invariance.InvarianceVerdict`) in the reader's words."""

from __future__ import annotations

from dashboard.describe import number
from dashboard.i18n import t
from scoring.reporting.invariance import FAILS


def failing_step(verdict, lang: str) -> tuple[str, str] | None:
    """(the first step that fails, which criteria failed and by how much), or None when none fails."""
    steps = verdict.steps.set_index("model")
    for step, failed in (("metric", verdict.metric_failed), ("scalar", verdict.scalar_failed)):
        if getattr(verdict, step) == FAILS and failed:
            criteria = "; ".join(
                t(f"inv_criterion_{c}", lang, value=number(abs(steps.loc[step, c]), lang, 3)) for c in failed
            )
            return t(f"inv_step_{step}", lang), criteria
    return None
