"""Does a scale measure the same thing in two rounds, or in several professions? Read before comparing.

A change of a scale mean between rounds (Trends) or a difference between professions means a
change in the climate only if the scale measures the same construct on the same metric in
each group. :func:`invariance_between` fits the scale's model (one factor for a subscale,
correlated subscale factors for a total; :func:`scoring.reporting.quality.scale_model`) as a
multi-group CFA with full-information ML, configural -> metric (equal loadings) -> scalar
(equal loadings and intercepts) (:func:`scoring.stats.cfa.estimate.measurement_invariance`),
and :func:`verdict` reads each step by the usual change-in-fit criteria:

* a step **fails** when CFI drops by more than .01 (delta CFI < -.01; Cheung & Rensvold 2002)
  **or** RMSEA rises by more than .015 (delta RMSEA > .015; Chen 2007); the verdict names which
  criterion failed;
* means may be compared only under **scalar** invariance; under metric but not scalar
  invariance, differences in means may come from items that work differently in the groups.

The chi-square difference test is in the result too but is not used for the verdict: with
hundreds of respondents it rejects trivial differences (Cheung & Rensvold 2002).

Anonymity: the models pool every respondent of the groups compared, in the whole organisation,
and isolate no unit. For professions only groups with at least ``min_group`` respondents (never
below the publication's ``min_n``) are compared; the verdict carries no counts, only the
professions compared and the changes in fit (chi-square and RMSEA together would give the n).

References: Cheung, G. W. & Rensvold, R. B. (2002). Structural Equation Modeling 9, 233-255.
Chen, F. F. (2007). Structural Equation Modeling 14, 464-504.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from scoring.errors import Coded, coded_from_dict, coded_to_dict
from scoring.instrument.model import Instrument
from scoring.reporting.quality import scale_model
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.result import Result
from scoring.stats.cfa.estimate import InvarianceResult, measurement_invariance

DELTA_CFI = -0.01  # a CFI drop beyond this fails the step (Cheung & Rensvold 2002)
DELTA_RMSEA = 0.015  # an RMSEA rise beyond this fails the step (Chen 2007)
MIN_GROUP = 30  # respondents per profession for a multi-group CFA of a short scale

HOLDS, FAILS, UNKNOWN = "holds", "fails", "unknown"


STEP_COLUMNS = ["model", "cfi", "rmsea", "delta_cfi", "delta_rmsea"]


@dataclass(frozen=True, repr=False)
class InvarianceVerdict(Result):
    """Whether ``scale`` measures the same across ``groups`` (values of ``column``).

    ``metric``/``scalar``: :data:`HOLDS`, :data:`FAILS` or :data:`UNKNOWN` (a model could not
    be estimated, ``reason`` says why); ``metric_failed``/``scalar_failed``: the criteria that
    failed (``delta_cfi``, ``delta_rmsea``); ``steps``: model, cfi, rmsea, delta_cfi,
    delta_rmsea per step (no chi-square: with RMSEA it would give the number of respondents).
    """

    scale: str
    column: str
    groups: list[str]
    metric: str
    scalar: str
    metric_failed: list[str]
    scalar_failed: list[str]
    steps: pd.DataFrame
    reason: str | None = None
    left_out: list[str] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        """Means may be compared across the groups (scalar invariance holds)."""
        return self.scalar == HOLDS

    def to_frame(self) -> pd.DataFrame:
        return self.steps.copy()

    def to_dict(self) -> dict:
        steps = self.steps.astype(object).where(self.steps.notna(), None).to_dict(orient="records")
        return {"scale": self.scale, "column": self.column, "groups": list(self.groups), "metric": self.metric,
                "scalar": self.scalar, "metric_failed": list(self.metric_failed), "scalar_failed": list(self.scalar_failed),
                "criteria": {"delta_cfi": DELTA_CFI, "delta_rmsea": DELTA_RMSEA}, "steps": steps,
                "reason": self.reason, "reason_code": coded_to_dict(self.reason),
                "left_out": list(self.left_out)}

    @classmethod
    def from_dict(cls, data: dict) -> InvarianceVerdict:
        """The verdict :meth:`to_dict` wrote (the criteria are this module's constants)."""
        steps = pd.DataFrame.from_records(data["steps"], columns=STEP_COLUMNS)
        numeric = [c for c in STEP_COLUMNS if c != "model"]
        steps[numeric] = steps[numeric].astype(float)
        known = {f.name for f in fields(cls)} - {"steps", "reason"}
        reason = coded_from_dict(data.get("reason"), data.get("reason_code"))  # the page says it in its language
        return cls(**{k: v for k, v in data.items() if k in known}, steps=steps, reason=reason)

    def summary(self) -> str:
        def part(name: str, state: str, failed: list[str]) -> str:
            return f"{name} {state}" + (f" ({', '.join(failed)})" if failed else "")

        head = f"Invariance of {self.scale} across {self.column} {', '.join(self.groups)}: "
        head += part("metric", self.metric, self.metric_failed) + "; " + part("scalar", self.scalar, self.scalar_failed)
        return head + ("" if self.reason is None else f"\n{self.reason}")


def failed_criteria(delta_cfi: float, delta_rmsea: float) -> list[str]:
    """Which change-in-fit criteria a step fails: ``delta_cfi`` (< -.01), ``delta_rmsea`` (> .015)."""
    out = []
    if np.isfinite(delta_cfi) and delta_cfi < DELTA_CFI:
        out.append("delta_cfi")
    if np.isfinite(delta_rmsea) and delta_rmsea > DELTA_RMSEA:
        out.append("delta_rmsea")
    return out


def verdict(result: InvarianceResult, scale: str, column: str, groups: list[str], left_out: list[str] | None = None) -> InvarianceVerdict:
    """Read a configural/metric/scalar comparison by the change-in-fit criteria."""
    table = result.table.set_index("model")
    failed_models = [(name, m.reason) for name, m in result.models.items() if m.reason]
    reasons = [f"{name}: {why}" for name, why in failed_models]
    states, failed = {}, {}
    for step in ("metric", "scalar"):
        d_cfi, d_rmsea = float(table.loc[step, "delta_cfi"]), float(table.loc[step, "delta_rmsea"])
        failed[step] = failed_criteria(d_cfi, d_rmsea)
        states[step] = UNKNOWN if reasons or math.isnan(d_cfi) else (FAILS if failed[step] else HOLDS)
    if states["metric"] == FAILS:  # scalar adds to metric: it cannot hold when metric fails
        states["scalar"] = FAILS
    steps = result.table[STEP_COLUMNS].reset_index(drop=True)
    return InvarianceVerdict(scale, column, [str(g) for g in groups], states["metric"], states["scalar"], failed["metric"],
                             failed["scalar"], steps, _model_reason(reasons, failed_models), list(left_out or []))


def _model_reason(reasons: list[str], failed_models: list[tuple[str, str]]) -> Coded | None:
    """Every model's reason, "; "-joined; on a page the first one (the later models build on it)."""
    if not failed_models:
        return None
    name, why = failed_models[0]
    return Coded("; ".join(reasons), "invariance_model_failed", model=Coded(name, f"step_{name}"), reason=why)


def invariance_between(
    responses: pd.DataFrame, instrument: Instrument, scale_id: str, column: str, groups: list[str] | None = None, *,
    progress=None,
) -> InvarianceVerdict:
    """Invariance of ``scale_id`` across the values ``groups`` of ``column`` (default: every value
    present), from the wide response table (raw codes; rows in other groups are left out)."""
    groups = sorted(responses[column].dropna().astype(str).unique()) if groups is None else [str(g) for g in groups]
    rows = responses[responses[column].astype(str).isin(groups)].reset_index(drop=True)
    columns = ["response", "unit", "round", *[c for c in instrument.item_ids if c in rows.columns]]
    keyed = keyed_items(code_responses(rows[columns], instrument).items, instrument)
    keyed["_group"] = rows[column].astype(str).to_numpy()
    model, _ = scale_model(instrument, instrument.scale(scale_id))
    return verdict(measurement_invariance(keyed, model, "_group", missing="ml", progress=progress, se=False), scale_id, column, groups)


def professions_to_compare(responses: pd.DataFrame, column: str = "role", *, min_group: int = MIN_GROUP, min_n: int = 5) -> tuple[list[str], list[str]]:
    """(professions with at least max(min_group, min_n) respondents, the professions left out);
    none where the round did not ask for the profession (no ``column``)."""
    if column not in responses.columns:
        return [], []
    counts = responses[column].dropna().astype(str).value_counts()
    counts = counts[counts.index != ""]
    enough = counts >= max(min_group, min_n)
    return sorted(counts.index[enough]), sorted(counts.index[~enough])


def invariance_across_professions(
    responses: pd.DataFrame, instrument: Instrument, scale_id: str, *, column: str = "role", min_group: int = MIN_GROUP,
    min_n: int = 5, progress=None,
) -> InvarianceVerdict:
    """Invariance of ``scale_id`` across the professions with enough respondents
    (:func:`professions_to_compare`); UNKNOWN with a reason when fewer than two qualify."""
    groups, left_out = professions_to_compare(responses, column, min_group=min_group, min_n=min_n)
    if len(groups) < 2:
        empty = pd.DataFrame(columns=STEP_COLUMNS)
        why = Coded(f"fewer than two professions with at least {max(min_group, min_n)} respondents", "too_few_professions",
                    min=max(min_group, min_n))
        return InvarianceVerdict(scale_id, column, groups, UNKNOWN, UNKNOWN, [], [], empty, why, left_out)
    result = invariance_between(responses, instrument, scale_id, column, groups, progress=progress)
    return InvarianceVerdict(**{**result.__dict__, "left_out": left_out})
