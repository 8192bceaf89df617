"""The quality report of an instrument in one round: reliability, aggregation and factor fit.

This module computes nothing itself; it runs, for each scale, the functions a researcher would
run one by one and collects what the quality page shows:

* reliability — :func:`scoring.stats.reliability.alpha.alpha` (raw alpha with the Feldt 95% CI, pairwise
  covariances as psych) and :func:`scoring.stats.reliability.omega.omega` (omega total; omega hierarchical with one
  group factor per subscale for a total scale — a 4-item subscale has no group factors, so no
  omega hierarchical);
* aggregation to units — :func:`scoring.reporting.aggregation.aggregate_instrument`: ICC(1), ICC(2), rwg(j),
  a_wg, AD and the reading "is a unit mean meaningful here?" (:func:`scoring.stats.multilevel.reading`);
* factor structure — :func:`scoring.stats.cfa.estimate.cfa` with full-information ML (``missing="ml"``): a
  one-factor model for a subscale, the instrument's correlated-factors model
  (:func:`scoring.instrument.measurement.model_from_instrument`) for a total scale;
* invariance across rounds — :func:`scoring.stats.cfa.estimate.measurement_invariance` (configural, metric,
  scalar) with rounds as groups.

Anonymity: reliability, ICCs, fit and invariance pool every respondent and isolate no unit.
The per-unit agreement listing shows a unit only where the viewer's publication
(:mod:`scoring.privacy.publication`) shows its scale figure, with that figure's n, so it
publishes nothing the unit pages hide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from scoring.errors import Coded, coded_from_dict, coded_to_dict
from scoring.instrument.measurement import model_from_instrument
from scoring.instrument.model import Instrument, Scale
from scoring.privacy import DEFAULT_MIN_N, check_min_n
from scoring.privacy.answers import round_answers
from scoring.privacy.publication import Publication, publish
from scoring.reporting.aggregation import aggregate_instrument
from scoring.responses.reading import code_responses
from scoring.responses.scores import keyed_items
from scoring.result import Result
from scoring.stats.cfa.estimate import InvarianceResult, cfa, measurement_invariance
from scoring.stats.multilevel import Reading, reading
from scoring.stats.reliability.alpha import alpha
from scoring.stats.reliability.omega import omega

AGREEMENT_COLUMNS = ["unit", "n", "rwg_j", "awg", "ad", "suppressed"]


@dataclass(frozen=True)
class ScaleQuality:
    """Every quality figure of one scale in one round; NaN where a figure cannot be computed.

    ``n_items`` items; ``n`` respondents behind alpha (at least one item answered); Feldt 95%
    ``alpha_ci``; ``omega_h`` NaN for a scale without subscales. ICCs pool ``icc_n`` respondents
    in ``icc_units`` units. ``rwg_j_median``/``ad_mean`` summarise the units shown in ``units``
    and ``reading`` (:func:`scoring.stats.multilevel.reading`) is judged on them. ``model`` is
    the CFA's lavaan syntax, ``factors`` its number of factors, ``fit`` its fit measures
    (``chisq``, ``df``, ``cfi``, ``tli``, ``rmsea``, ``rmsea_ci``, ``srmr``) and ``fit_n`` its n
    (FIML: every respondent with an answer); ``fit_reason`` says why a fit is missing.
    ``units``: the agreement listing (:data:`AGREEMENT_COLUMNS`).
    """

    scale: str
    name: dict[str, str]
    n_items: int
    n: int
    alpha: float
    alpha_ci: tuple[float, float]
    omega_total: float
    omega_h: float
    icc1: float
    icc2: float
    icc_n: int
    icc_units: int
    rwg_j_median: float
    ad_mean: float
    reading: Reading
    model: str
    factors: int
    fit: dict
    fit_n: int
    fit_reason: str | None
    units: pd.DataFrame = field(repr=False)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-able: NaN as None; the reasons' codes beside them (``warnings_code``,
        ``fit_reason_code``), so that :meth:`from_dict` gives back what a page translates."""
        out = {k: _clean(v) for k, v in self.__dict__.items() if k not in ("units", "reading", "fit")}
        out["fit"] = {k: _clean(v) for k, v in self.fit.items()}
        out["reading"] = self.reading.to_dict()
        out["units"] = self.units.astype(object).where(self.units.notna(), None).to_dict(orient="records")
        out["warnings"] = [str(w) for w in self.warnings]
        out["warnings_code"] = [coded_to_dict(w) for w in self.warnings]
        out["fit_reason"] = None if self.fit_reason is None else str(self.fit_reason)
        out["fit_reason_code"] = coded_to_dict(self.fit_reason)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> ScaleQuality:
        """The scale's figures as :meth:`to_dict` wrote them (None back to NaN, lists to tuples)."""
        known = {f.name for f in fields(cls)}
        plain = {k: _unclean(v) for k, v in data.items() if k in known and k not in ("name", "units", "reading", "fit", "warnings", "fit_reason")}
        units = pd.DataFrame.from_records(data["units"], columns=AGREEMENT_COLUMNS)
        units = units.astype({"unit": str, "rwg_j": float, "awg": float, "ad": float, "suppressed": bool})
        units["n"] = pd.array(units["n"].tolist(), dtype="Int64")
        codes = data.get("warnings_code") or [None] * len(data["warnings"])
        return cls(**plain, name=dict(data["name"]), units=units, reading=Reading(**data["reading"]),
                   fit={k: _unclean(v) for k, v in data["fit"].items()},
                   warnings=[coded_from_dict(w, c) for w, c in zip(data["warnings"], codes)],
                   fit_reason=coded_from_dict(data["fit_reason"], data.get("fit_reason_code")))


def _clean(v):
    """NaN as None, tuples as lists (JSON)."""
    if isinstance(v, (float, np.floating)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, tuple):
        return [_clean(x) for x in v]
    return v


def _unclean(v):
    """:func:`_clean` undone: None as NaN, lists as tuples."""
    if v is None:
        return math.nan
    if isinstance(v, list):
        return tuple(_unclean(x) for x in v)
    return v


@dataclass(frozen=True, repr=False)
class RoundQuality(Result):
    """The quality report of an instrument in one round: one :class:`ScaleQuality` per scale."""

    instrument: str
    round: str
    min_n: int
    n: int
    scales: list[ScaleQuality]

    def scale(self, scale_id: str) -> ScaleQuality:
        return next(s for s in self.scales if s.scale == scale_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per scale with the headline figures."""
        rows = []
        for s in self.scales:
            lo, hi = s.alpha_ci
            f = s.fit
            rlo, rhi = f.get("rmsea_ci", (math.nan, math.nan))
            rows.append({
                "scale": s.scale, "items": s.n_items, "n": s.n, "alpha": s.alpha, "alpha_low": lo, "alpha_high": hi,
                "omega_total": s.omega_total, "omega_h": s.omega_h, "icc1": s.icc1, "icc2": s.icc2,
                "icc_units": s.icc_units, "rwg_j_median": s.rwg_j_median, "ad_mean": s.ad_mean, "reading": s.reading.code,
                "factors": s.factors, "fit_n": s.fit_n, "chisq": f.get("chisq"), "df": f.get("df"), "cfi": f.get("cfi"),
                "tli": f.get("tli"), "rmsea": f.get("rmsea"), "rmsea_low": rlo, "rmsea_high": rhi, "srmr": f.get("srmr"),
            })
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        return {"instrument": self.instrument, "round": self.round, "min_n": self.min_n, "n": self.n,
                "scales": [s.to_dict() for s in self.scales]}

    @classmethod
    def from_dict(cls, data: dict) -> RoundQuality:
        """The report :meth:`to_dict` wrote (kept in the database, :mod:`scoring.store.quality`)."""
        return cls(data["instrument"], data["round"], int(data["min_n"]), int(data["n"]),
                   [ScaleQuality.from_dict(s) for s in data["scales"]])

    def summary(self) -> str:
        frame = self.to_frame().set_index("scale")
        head = f"Quality of {self.instrument}, round {self.round} (n = {self.n}, min_n = {self.min_n})"
        return head + "\n" + frame.drop(columns=["reading"]).to_string(float_format=lambda v: f"{v:.3f}")


def subscales_of(instrument: Instrument, scale: Scale) -> list[Scale]:
    """The other scales whose items all belong to ``scale`` (the subscales of a total)."""
    inside = set(scale.items)
    return [s for s in instrument.scales if s.id != scale.id and set(s.items) < inside]


def scale_model(instrument: Instrument, scale: Scale) -> tuple[str, int]:
    """The CFA model of a scale and its number of factors: correlated subscale factors for a
    total scale, else one factor."""
    subs = subscales_of(instrument, scale)
    if subs:
        return model_from_instrument(instrument, [s.id for s in subs]), len(subs)
    return model_from_instrument(instrument, [scale.id]), 1


def _coded(responses: pd.DataFrame, instrument: Instrument):
    columns = ["response", "unit", "round", *[c for c in instrument.item_ids if c in responses.columns]]
    return code_responses(responses[columns], instrument)


def round_quality(
    responses: pd.DataFrame,
    tree: pd.DataFrame,
    instrument: Instrument,
    round_name: str,
    *,
    min_n: int = DEFAULT_MIN_N,
    scales: list[str] | None = None,
    progress=None,
    publication: Publication | None = None,
) -> RoundQuality:
    """The quality report of ``instrument`` in ``round_name`` (see the module docstring).

    ``responses``: the wide response table (raw codes; other rounds are ignored);
    ``tree``: unit, name, parent, unit_type; ``scales``: a subset of scale ids;
    ``progress``: optional callable ``(done, total)`` called after each scale;
    ``publication``: the viewer's publication, whose shown scale figures (and their n) the
    agreement listing follows (default: the organisation-wide publication of these answers).
    """
    min_n = check_min_n(min_n)
    this = responses[responses["round"] == round_name].reset_index(drop=True)
    coded = _coded(this, instrument)
    keyed = keyed_items(coded.items, instrument)
    wanted = [s for s in instrument.scales if scales is None or s.id in scales]
    if publication is None:
        publication = publish(tree, [round_answers(this, [instrument], round_name, min_n)])
    figures = publication.select("compare", round_name)
    aggregation = aggregate_instrument(coded.items, this["unit"], instrument, min_n=min_n, scales=[s.id for s in wanted])
    results = []
    for done, (scale, agg) in enumerate(zip(wanted, aggregation.scales), start=1):  # a dozen scales
        rs = instrument.response_scale_of(scale.items[0])
        block = keyed[scale.items]
        rel = alpha(block, low=rs.min, high=rs.max, scale=scale.id)
        subs = subscales_of(instrument, scale)
        om = omega(block, max(len(subs), 1))
        warnings = list(rel.warnings) + ([Coded(f"omega: {om.reason}", "omega_reason", reason=om.reason)] if om.reason else [])
        model, factors = scale_model(instrument, scale)
        fit = cfa(keyed, model, missing="ml", se=False)  # the report shows the fit, not the estimates
        mine = figures[(figures["scale"] == scale.id) & ~figures["hidden"]].set_index("unit")["n"]
        listing = agg.units[AGREEMENT_COLUMNS].copy()
        listing = listing[listing["unit"].isin(set(figures["unit"]))].reset_index(drop=True)
        hidden = listing["suppressed"] | ~listing["unit"].isin(mine.index)
        listing["n"] = listing["unit"].map(mine)
        listing.loc[hidden, ["n", "rwg_j", "awg", "ad"]] = np.nan
        listing["suppressed"] = hidden
        listing["n"] = listing["n"].astype("Int64")
        visible = listing.loc[~hidden]
        rwg_median = float(visible["rwg_j"].median()) if visible["rwg_j"].notna().any() else math.nan
        ad_mean = float(visible["ad"].mean()) if visible["ad"].notna().any() else math.nan
        results.append(
            ScaleQuality(
                scale=scale.id, name=dict(scale.name), n_items=len(scale.items), n=rel.n,
                alpha=rel.alpha, alpha_ci=tuple(rel.feldt_ci), omega_total=om.omega_total,
                omega_h=om.omega_h if subs else math.nan,
                icc1=agg.icc.icc1, icc2=agg.icc.icc2, icc_n=agg.icc.n, icc_units=agg.icc.n_units,
                rwg_j_median=rwg_median, ad_mean=ad_mean, reading=reading(rwg_median, agg.icc.icc1, agg.icc.icc2),
                model=model, factors=factors, fit=dict(fit.fit), fit_n=fit.n, fit_reason=fit.reason,
                units=listing.reset_index(drop=True), warnings=warnings,
            )
        )
        if progress is not None:
            progress(done, len(wanted))
    return RoundQuality(instrument.id, round_name, min_n, len(this), results)


def invariance_across_rounds(responses: pd.DataFrame, instrument: Instrument, scale_id: str, *, progress=None) -> InvarianceResult:
    """Configural, metric and scalar invariance of the scale's model (:func:`scale_model`)
    across the rounds in ``responses``, FIML, rounds as groups."""
    coded = _coded(responses, instrument)
    keyed = keyed_items(coded.items, instrument).assign(round=responses["round"].to_numpy())
    model, _ = scale_model(instrument, instrument.scale(scale_id))
    return measurement_invariance(keyed, model, "round", missing="ml", progress=progress, se=False)
