"""The validation report of an instrument in one round: the psychometric section of a paper.

This module computes nothing itself: each section calls the library function that the
matching ``samklima`` command calls, with that command's options, so every number in the
report equals the command's ``--json`` output on the same answers (tests/reporting/
test_validation_report.py checks this for the sample organisation):

============================  =================================================================
section                       function (command)
============================  =================================================================
items                         :func:`scoring.stats.item_quality.item_quality` (``item-quality --instrument --scale``)
reliability                   :func:`scoring.stats.reliability.alpha.alpha_scales` with omega and ordinal alpha (``reliability --instrument --ordinal``)
EFA, parallel analysis        :func:`scoring.stats.efa.factors.efa_of`, ``parallel_of``, ``kmo``, ``bartlett`` (``efa --instrument --factors K --parallel``)
CFA                           :func:`scoring.stats.cfa.estimate.cfa`, FIML (``cfa --instrument --missing ml``)
modification indices          :func:`scoring.stats.modindices.modification_indices` of the listwise ML fit (lavaan ``modindices``)
invariance                    :func:`scoring.reporting.invariance.invariance_across_professions` (``cfa --group role --invariance --missing ml``)
graded model (IRT)            :func:`scoring.stats.irt.fit_graded` (``irt --items``)
aggregation                   :func:`scoring.reporting.aggregation.aggregate_instrument` (``aggregate --instrument --unit unit``)
norms                         scale scores of :func:`scoring.responses.scores.score_scales` (``score``): mean, SD; SEM = SD sqrt(1 - alpha); RCI
============================  =================================================================

The intended structure is the instrument's own claim: one factor per scale that is not a total
(:func:`scoring.instrument.measurement.model_from_instrument`), correlated; the EFA extracts that
many factors and the parallel analysis says how many the data support.

Norms (Jacobson & Truax 1991): SEM = SD sqrt(1 - r_xx) with r_xx the scale's alpha from these
data; the smallest reliable change of one person between two measurements is
1.96 sqrt(2) SEM (|RC| > 1.96).

Anonymity (docs/privacy.md): every coefficient pools the respondents of the whole round; the
report holds no respondent-level rows and names no unit. Unit-level sections (agreement) use
only units with at least ``min_n`` answers, after the complementary suppression of
:func:`~scoring.reporting.aggregation.aggregate_scale`, and show summaries over them (how many,
the median rwg(j)), never a unit's figures. Background counts are shown where
:func:`scoring.privacy.breakdown_allowed` allows them, with groups below ``min_n`` merged into
one "other" group first (larger groups join it until it has ``min_n``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.instrument.background import staff_background
from scoring.instrument.measurement import model_from_instrument
from scoring.instrument.model import Instrument
from scoring.privacy import DEFAULT_MIN_N, breakdown_allowed, check_min_n
from scoring.reporting.aggregation import Aggregation, aggregate_instrument
from scoring.reporting.invariance import InvarianceVerdict, invariance_across_professions
from scoring.reporting.quality import subscales_of
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items, score_scales
from scoring.result import Result
from scoring.stats.cfa.estimate import CfaResult, cfa
from scoring.stats.efa.factors import EFAResult, KMOResult, ParallelResult, bartlett, correlation_input, efa_of, kmo, parallel_of
from scoring.stats.irt import GradedFit, fit_graded
from scoring.stats.item_quality import ItemQualityResult, item_quality
from scoring.stats.modindices import modification_indices
from scoring.stats.reliability.alpha import ReliabilityResult, alpha_scales

MIN_RESPONDENTS = 50
"""Fewer answers than this make no validation report: a factor analysis of a few dozen
answers says nothing a reviewer would accept (and most fits would not converge)."""
PARALLEL_ITERATIONS = 20  # psych fa.parallel's default n.iter
PARALLEL_SEED = 0  # `samklima efa --parallel` default seed
TOP_MODIFICATION_INDICES = 10
RCI_Z = 1.96


@dataclass(frozen=True)
class BackgroundTable:
    """Respondents per group of one background question, for the whole round.

    ``rows``: (code, n) with groups below min_n merged into ``other``; ``shown`` False with
    ``reason`` (:class:`scoring.privacy.Breakdown`) when even the merged table may not be shown.
    """

    question: str
    label: dict[str, str]
    rows: list[tuple[str, int]]
    merged: int
    shown: bool
    reason: str
    options: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class EfaSection:
    efa: EFAResult
    kmo: KMOResult
    bartlett: object
    parallel: ParallelResult


@dataclass(frozen=True)
class CfaSection:
    fit: CfaResult  # FIML, every respondent with an answer
    listwise_n: int
    modification: pd.DataFrame  # top indices of the listwise ML fit


@dataclass(frozen=True, repr=False)
class ValidationReport(Result):
    """Every section of the validation report (module docstring); ``report_id`` is derived from
    the numbers, so the same answers and options give the same id."""

    instrument: Instrument
    round: str
    made: dt.date
    min_n: int
    n: int
    n_units: int
    n_units_shown: int
    leaf_scales: list[str]
    background: list[BackgroundTable]
    items: dict[str, ItemQualityResult]
    reliability: list[ReliabilityResult]
    efa: EfaSection
    cfa: CfaSection
    invariance: list[InvarianceVerdict]
    irt: dict[str, GradedFit]
    aggregation: Aggregation
    norms: pd.DataFrame
    group_column: str = "role"
    irt_reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def report_id(self) -> str:
        numbers = json.dumps(_rounded(self.numbers()), sort_keys=True, default=str)
        digest = hashlib.sha256(numbers.encode()).hexdigest()[:10]
        return f"{self.instrument.id}-{self.round}-{digest}"

    def reliability_of(self, scale: str) -> ReliabilityResult:
        return next(r for r in self.reliability if r.scale == scale)

    def numbers(self) -> dict:
        """The headline numbers of every section (JSON-ready, NaN as None): ``--json``'s contract."""
        fit = self.cfa.fit
        return _clean({
            "instrument": self.instrument.id, "version": self.instrument.version, "round": self.round,
            "min_n": self.min_n, "n": self.n, "units": self.n_units, "units_shown": self.n_units_shown,
            "background": {b.question: {"shown": b.shown, "reason": b.reason, "rows": dict(b.rows) if b.shown else None}
                           for b in self.background},
            "reliability": {r.scale: {"n": r.n, "alpha": r.alpha, "feldt_ci": list(r.feldt_ci), "duhachek_ci": list(r.duhachek_ci),
                                      "omega_total": r.omega_total, "omega_h": r.omega_h, "ordinal_alpha": r.ordinal_alpha}
                            for r in self.reliability},
            "efa": {"factors": self.efa.efa.n_factors, "n_obs": self.efa.efa.n_obs, "kmo": self.efa.kmo.overall,
                    "bartlett": {"chisq": self.efa.bartlett.chisq, "df": self.efa.bartlett.df, "p": self.efa.bartlett.p},
                    "parallel_suggested": self.efa.parallel.suggested_factors,
                    "tli": self.efa.efa.fit.tli, "rmsea": self.efa.efa.fit.rmsea, "bic": self.efa.efa.fit.bic},
            "cfa": {"n": fit.n, "reason": fit.reason, **{k: fit.fit.get(k) for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")},
                    "rmsea_ci": list(fit.fit.get("rmsea_ci", (math.nan, math.nan))), "listwise_n": self.cfa.listwise_n,
                    "omega": dict(zip(fit.omega["factor"], fit.omega["omega"])),
                    "modification": self.cfa.modification.to_dict(orient="records")},
            "invariance": {v.scale: v.to_dict() for v in self.invariance},
            "irt": {s: {"marginal_reliability": f.marginal_reliability, "n_obs": f.n_obs,
                        "a": f.parameters["a"].to_dict()} for s, f in self.irt.items()},
            "aggregation": {s.scale: {"icc1": s.icc.icc1, "icc2": s.icc.icc2, "units": s.icc.n_units, "units_shown": s.n_shown,
                                      "rwg_j_median": median_rwg(s), "rwg_j_share_70": share_rwg(s)}
                            for s in self.aggregation.scales},
            "norms": self.norms.set_index("scale").to_dict(orient="index"),
        })

    def to_dict(self) -> dict:
        return {"id": self.report_id, "made": self.made.isoformat(), **self.numbers()}

    def to_frame(self) -> pd.DataFrame:
        return self.norms.copy()

    def summary(self) -> str:
        head = f"Validation report {self.report_id}: {self.instrument.id} {self.instrument.version}, round {self.round}, n = {self.n}"
        rows = [f"{r.scale}: alpha {r.alpha:.3f} [{r.feldt_ci[0]:.3f}, {r.feldt_ci[1]:.3f}], omega {r.omega_total:.3f}" for r in self.reliability]
        return "\n".join([head, *rows])


def _clean(value):
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _rounded(value, digits: int = 4):
    """Numbers rounded for the id: the same answers read in another row order give iterative
    fits that differ in the last digits, and must give the same id."""
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    if isinstance(value, float):
        return round(value, digits) + 0.0  # -0.0 -> 0.0
    return value


def shown_units(scale) -> pd.DataFrame:
    """The agreement table's units with at least min_n answers that the suppression shows."""
    return scale.units[~scale.units["suppressed"].astype(bool)]


def median_rwg(scale) -> float:
    """The median rwg(j) over the units shown (``samklima aggregate``'s ``rwg_j_median``)."""
    return float(scale.rwg_j_median)


def share_rwg(scale) -> float:
    """The share of the units shown whose rwg(j) reaches the usual .70."""
    values = shown_units(scale)["rwg_j"].dropna()
    return float((values >= 0.70).mean()) if len(values) else math.nan


def leaf_scales(instrument: Instrument) -> list[str]:
    """The scales of the intended structure: every scale that is not a total of others."""
    leaves = [s.id for s in instrument.scales if not subscales_of(instrument, s)]
    return leaves or [s.id for s in instrument.scales]


def background_tables(responses: pd.DataFrame, min_n: int) -> list[BackgroundTable]:
    """Respondents per background group (module docstring: merging and when a table is shown)."""
    out = []
    for question in staff_background():
        if question.id not in responses.columns:
            continue
        answered = responses[question.id].dropna().astype(str).str.strip()
        counts = answered[answered != ""].value_counts()
        order = [c for c in question.codes if c in counts.index] + sorted(c for c in counts.index if c not in question.codes)
        counts = counts[order]
        small = counts[counts < min_n]
        big = counts[counts >= min_n].sort_values(kind="stable")
        other = int(small.sum())
        while 0 < other < min_n and len(big):  # the smallest large group joins "other"
            other += int(big.iloc[0])
            big = big.iloc[1:]
        rows = [(code, int(counts[code])) for code in order if code in big.index]
        if other:
            rows.append(("other", other))
        verdict = breakdown_allowed(dict(rows), min_n=min_n, total=len(responses))
        out.append(BackgroundTable(question.id, dict(question.label), rows if verdict.allowed else [],
                                   len(counts) - len(big), verdict.allowed, verdict.reason, dict(question.options)))
    return out


def _items_section(raw: pd.DataFrame, instrument: Instrument, scales: list[str]) -> dict[str, ItemQualityResult]:
    """item_quality of each scale as ``samklima item-quality --instrument --scale`` computes it:
    raw codes, reverse keys applied to valid answers only, "vet ikke" codes counted."""
    out = {}
    for scale_id in scales:
        scale = instrument.scale(scale_id)
        rs = instrument.response_scale_of(scale.items[0])
        codes = [float(c) for c in rs.missing]
        frame = raw[list(scale.items)].astype(float)
        for name in instrument.reverse_items(scale):
            frame[name] = frame[name].where(frame[name].isin(codes), rs.min + rs.max - frame[name])
        try:
            out[scale_id] = item_quality(frame, low=rs.min, high=rs.max, dont_know=codes, information=True)
        except ValueError as err:  # as `samklima item-quality` reports it, in words
            raise UserError.single(f"item distributions of {scale_id}: {err}", path="--round") from None
    return out


def _efa_section(keyed: pd.DataFrame, items: list[str], factors: int) -> EfaSection:
    """As ``samklima efa --factors K --parallel`` (Pearson, pairwise, minres, oblimin)."""
    frame = keyed[items]
    inp = correlation_input(frame, missing="pairwise", cor="pearson")
    pa = parallel_of(inp, n_iter=PARALLEL_ITERATIONS, seed=PARALLEL_SEED)
    return EfaSection(efa_of(inp, factors, method="minres", rotation="oblimin"), kmo(frame, missing="pairwise"),
                      bartlett(frame, missing="pairwise"), pa)


def _cfa_section(keyed: pd.DataFrame, model: str, items: list[str]) -> CfaSection:
    """The intended model by FIML, and the modification indices of its listwise ML fit."""
    fiml = cfa(keyed, model, missing="ml")
    complete = keyed[items].dropna()
    listwise = cfa(complete, model)
    if listwise.reason is None and listwise.converged:
        cov = np.cov(complete.to_numpy(dtype=float).T, bias=True)
        mi = modification_indices(listwise.parameters, cov, listwise.n, items).head(TOP_MODIFICATION_INDICES)
    else:
        mi = pd.DataFrame(columns=["lhs", "op", "rhs", "mi", "epc", "sepc_all"])
    return CfaSection(fiml, len(complete), mi)


def norms_table(coded_items: pd.DataFrame, instrument: Instrument, reliability: list[ReliabilityResult]) -> pd.DataFrame:
    """Per scale: n, mean, SD of the scale scores, r_xx (alpha), SEM and the reliable change."""
    scores = score_scales(coded_items, instrument)
    rxx = {r.scale: r.alpha for r in reliability}
    rows = []
    for scale in instrument.scales:
        values = scores[scale.id].dropna()
        sd = float(values.std(ddof=1)) if len(values) > 1 else math.nan
        sem = sd * math.sqrt(1 - rxx[scale.id]) if rxx[scale.id] < 1 else math.nan
        rows.append({"scale": scale.id, "n": len(values), "mean": float(values.mean()), "sd": sd, "rxx": rxx[scale.id],
                     "sem": sem, "rci": RCI_Z * math.sqrt(2) * sem})
    return pd.DataFrame(rows)


STEPS = ("sample", "items", "reliability", "efa", "cfa", "invariance", "irt", "aggregation", "norms")


def validation_report(
    responses: pd.DataFrame,
    instrument: Instrument,
    round_name: str,
    *,
    min_n: int = DEFAULT_MIN_N,
    group_column: str = "role",
    made: dt.date | None = None,
    progress=None,
) -> ValidationReport:
    """The validation report of ``instrument`` from the answers of ``round_name`` in ``responses``
    (the wide response table with raw codes; other rounds are ignored).

    ``progress(step)``, if given, is called after each of :data:`STEPS`. Raises
    :class:`~scoring.errors.UserError` with fewer than :data:`MIN_RESPONDENTS` answers.
    """
    min_n = check_min_n(min_n)
    step = progress or (lambda name: None)
    this = responses[responses["round"] == round_name].reset_index(drop=True)
    items_present = [c for c in instrument.item_ids if c in this.columns]
    if items_present:
        this = this[this[items_present].notna().any(axis=1)].reset_index(drop=True)
    if len(this) < MIN_RESPONDENTS:
        raise UserError.single(
            f"round '{round_name}' has {len(this)} answers to '{instrument.id}'; a validation report needs at least {MIN_RESPONDENTS}",
            path="--round")
    coded = code_responses(this[["response", "unit", "round", *items_present]], instrument)
    keyed = keyed_items(coded.items, instrument)
    leaves = leaf_scales(instrument)
    leaf_items = [i for s in leaves for i in instrument.scale(s).items]
    background = background_tables(this, min_n)
    step("sample")
    raw = this[items_present].apply(pd.to_numeric, errors="coerce")
    items = _items_section(raw, instrument, leaves)
    step("items")
    kinds = {s.id: instrument.response_scale_of(s.items[0]) for s in instrument.scales}
    reliability = alpha_scales(
        keyed, {s.id: list(s.items) for s in instrument.scales},
        limits={k: (rs.min, rs.max) for k, rs in kinds.items() if rs.has_limits},
        missing="pairwise", level=0.95, ordinal=[k for k, rs in kinds.items() if rs.kind == "ordinal"], omega=True)
    step("reliability")
    efa_part = _efa_section(keyed, leaf_items, len(leaves))
    step("efa")
    cfa_part = _cfa_section(keyed, model_from_instrument(instrument, leaves), leaf_items)
    step("cfa")
    invariance = []
    if group_column in this.columns:
        invariance = [invariance_across_professions(this, instrument, s, column=group_column, min_n=min_n) for s in leaves]
    step("invariance")
    irt, irt_reasons = {}, {}
    for s in leaves:  # a graded model per ordinal scale; degenerate answers give a reason, not a crash
        if kinds[s].kind != "ordinal":
            continue
        try:
            irt[s] = fit_graded(keyed[list(instrument.scale(s).items)])
        except ValueError as err:
            irt_reasons[s] = str(err)
    step("irt")
    aggregation = aggregate_instrument(coded.items, this["unit"], instrument, min_n=min_n)
    step("aggregation")
    norms = norms_table(coded.items, instrument, reliability)
    step("norms")
    units = this["unit"].value_counts()
    return ValidationReport(
        instrument=instrument, round=round_name, made=made or dt.date.today(), min_n=min_n, n=len(this),
        n_units=int((units > 0).sum()), n_units_shown=int((units >= min_n).sum()), leaf_scales=leaves, background=background,
        items=items, reliability=reliability, efa=efa_part, cfa=cfa_part, invariance=invariance, irt=irt,
        aggregation=aggregation, norms=norms, group_column=group_column, irt_reasons=irt_reasons,
    )
