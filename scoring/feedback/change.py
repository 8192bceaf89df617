"""Reliable and clinically significant change of an outcome total (Jacobson & Truax 1991).

With x1 the intake score, x2 a later score, SD the standard deviation and rxx the reliability
of the scale:

- standard error of measurement  SE = SD * sqrt(1 - rxx)
- standard error of a difference  S_diff = sqrt(2 * SE^2) = sqrt(2) * SD * sqrt(1 - rxx)
- reliable change index  RC = (x2 - x1) / S_diff; |RC| > 1.96 is a reliable change
  (improved if RC > 1.96, deteriorated if RC < -1.96, else unchanged). Higher is better.
- minimal reliable difference  MRD = 1.96 * S_diff: the half-width of the band around the
  intake score inside which a later score is not a reliable change.

Clinically significant change needs a point that separates the dysfunctional population
(mean M0, SD0) from the functional one (M1, SD1), M1 > M0:

- a: beyond two SD of the dysfunctional mean, toward the functional one:  a = M0 + 2 SD0
- b: within two SD of the functional mean:  b = M1 - 2 SD1
- c: closer to the functional mean than to the dysfunctional one, in SD units:
  c = (SD0 * M1 + SD1 * M0) / (SD0 + SD1)

A score is on the functional side of a point when it is at or above it. Jacobson & Truax's
classification of a client: *recovered* (reliably improved and moved from below the point to
at or above it), *improved* (reliably improved otherwise), *unchanged*, *deteriorated*
(reliably worse). The point is the instrument's stored ``cutoff`` by default, or one of a, b, c.

References
----------
Jacobson, N. S., & Truax, P. (1991). Clinical significance: A statistical approach to defining
meaningful change in psychotherapy research. Journal of Consulting and Clinical Psychology,
59(1), 12-19.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import UserError
from scoring.instrument.model import NormGroup, Scale

Z_RELIABLE = 1.96
IMPROVED, UNCHANGED, DETERIORATED, RECOVERED = "improved", "unchanged", "deteriorated", "recovered"

SOURCE_INSTRUMENT = "instrument"
SOURCE_GIVEN = "given"


def standard_error_of_difference(sd, rxx):
    """S_diff = sqrt(2 * (SD * sqrt(1 - rxx))^2) (Jacobson & Truax 1991, eq. 2)."""
    return np.sqrt(2.0 * (np.asarray(sd, dtype=float) * np.sqrt(1.0 - np.asarray(rxx, dtype=float))) ** 2)


def reliable_change_index(x1, x2, sd, rxx):
    """RC = (x2 - x1) / sqrt(2 * (SD * sqrt(1 - rxx))^2), elementwise; NaN where a score is NaN.

    >>> round(float(reliable_change_index(20.0, 29.0, sd=5.0, rxx=0.82)), 6)
    3.0
    """
    x1 = np.asarray(x1, dtype=float)
    x2 = np.asarray(x2, dtype=float)
    return (x2 - x1) / standard_error_of_difference(sd, rxx)


def minimal_reliable_difference(sd, rxx, z: float = Z_RELIABLE):
    """MRD = z * sqrt(2) * SD * sqrt(1 - rxx): the smallest change that is reliable.

    >>> round(float(minimal_reliable_difference(5.0, 0.82)), 6)
    5.88
    """
    return z * standard_error_of_difference(sd, rxx)


def reliable_change_category(rc) -> np.ndarray:
    """'improved' (RC > 1.96), 'deteriorated' (RC < -1.96), 'unchanged', or None where RC is NaN."""
    rc = np.asarray(rc, dtype=float)
    out = np.full(rc.shape, None, dtype=object)
    known = ~np.isnan(rc)
    out[known] = UNCHANGED
    out[known & (rc > Z_RELIABLE)] = IMPROVED
    out[known & (rc < -Z_RELIABLE)] = DETERIORATED
    return out


def csc_criteria(functional: NormGroup, dysfunctional: NormGroup) -> dict[str, float]:
    """Jacobson & Truax's cut-off points a, b and c (module docstring), for higher = better.

    >>> from scoring.instrument.model import NormGroup
    >>> c = csc_criteria(NormGroup(mean=30, sd=6), NormGroup(mean=19, sd=7))
    >>> c["a"], c["b"], round(c["c"], 4)
    (33.0, 18.0, 24.9231)
    """
    if functional.mean <= dysfunctional.mean:
        raise UserError.single(
            f"the functional mean ({functional.mean:g}) must be above the dysfunctional mean "
            f"({dysfunctional.mean:g}): higher outcome totals mean better functioning",
            path="norms",
        )
    m1, s1, m0, s0 = functional.mean, functional.sd, dysfunctional.mean, dysfunctional.sd
    return {"a": m0 + 2.0 * s0, "b": m1 - 2.0 * s1, "c": (s0 * m1 + s1 * m0) / (s0 + s1)}


def classify_change(x1, x2, rc, point: float | None) -> np.ndarray:
    """Jacobson & Truax's classes per client: recovered / improved / unchanged / deteriorated.

    ``point`` is the cut-off for recovery (None: nobody can be classed as recovered). None
    where RC is NaN (one score only).
    """
    x1 = np.asarray(x1, dtype=float)
    x2 = np.asarray(x2, dtype=float)
    out = reliable_change_category(rc)
    if point is not None and not math.isnan(point):
        crossed = (x1 < point) & (x2 >= point)
        out[(out == IMPROVED) & crossed] = RECOVERED
    return out


@dataclass(frozen=True)
class Reliability:
    """The reliability and SD used for reliable change, and where each came from.

    ``rxx_source`` and ``sd_source``: ``"instrument"`` (the scale's stored norms),
    ``"intake data (n=..)"`` (estimated from the service's intake answers: alpha of the items
    and the SD of the totals at each client's first contact) or ``"given"``. ``reason`` says why
    a value is NaN (``rxx_reason``, ``sd_reason``; ``reason`` joins them).
    """

    rxx: float
    sd: float
    rxx_source: str
    sd_source: str
    rxx_reason: str | None = None
    sd_reason: str | None = None

    @property
    def reason(self) -> str | None:
        return "; ".join(r for r in (self.rxx_reason, self.sd_reason) if r) or None

    @property
    def source(self) -> str:
        """One source when both values share it, else ``"rxx: ..; sd: .."``."""
        if self.rxx_source == self.sd_source:
            return self.rxx_source
        return f"rxx: {self.rxx_source}; sd: {self.sd_source}"

    @property
    def s_diff(self) -> float:
        return float(standard_error_of_difference(self.sd, self.rxx))

    @property
    def mrd(self) -> float:
        """The minimal reliable difference 1.96 * S_diff."""
        return float(minimal_reliable_difference(self.sd, self.rxx))

    @property
    def usable(self) -> bool:
        return 0 < self.rxx < 1 and self.sd > 0

    def to_dict(self) -> dict:
        return {
            "rxx": _none(self.rxx),
            "sd": _none(self.sd),
            "rxx_source": self.rxx_source,
            "sd_source": self.sd_source,
            "source": self.source,
            "s_diff": _none(self.s_diff) if self.usable else None,
            "minimal_reliable_difference": _none(self.mrd) if self.usable else None,
            "reason": self.reason,
        }


def intake_reliability(items: pd.DataFrame, totals: pd.Series) -> Reliability:
    """Alpha of the intake items (listwise) and the SD (n - 1) of the intake totals.

    ``items``: one row per client (the answers at the client's first contact), the scale's
    items as columns, NaN = missing. Alpha is :func:`scoring.stats.reliability.alpha.alpha` with
    ``missing="listwise"``: k/(k-1) * (1 - sum of item variances / variance of the total) on
    the clients who answered every item. Degenerate data (fewer than 3 complete clients, no
    variance, alpha <= 0) give NaN and a reason.
    """
    from scoring.stats.reliability.alpha import alpha

    complete = items.dropna()
    n_alpha = len(complete)
    totals = pd.Series(totals, dtype=float).dropna()
    n_sd = len(totals)
    rxx, rxx_reason = float("nan"), None
    if n_alpha < 3:
        rxx_reason = f"alpha needs at least 3 clients with every intake item answered ({n_alpha})"
    else:
        rxx = float(alpha(complete.to_numpy(dtype=float), missing="listwise").alpha)
        if not 0 < rxx < 1:
            rxx_reason = f"intake alpha is {rxx:.3f}; reliable change needs 0 < rxx < 1"
            rxx = float("nan")
    sd, sd_reason = float("nan"), None
    if n_sd < 3:
        sd_reason = f"the SD needs at least 3 intake totals ({n_sd})"
    else:
        sd = float(totals.std(ddof=1))
        if not sd > 0:
            sd_reason, sd = "the intake totals do not vary", float("nan")
    return Reliability(rxx, sd, f"intake data (n={n_alpha})", f"intake data (n={n_sd})", rxx_reason, sd_reason)


def instrument_reliability(scale: Scale) -> Reliability:
    """rxx and SD from the scale's stored norms (NaN with a reason where absent)."""
    norms = scale.norms
    rxx = norms.rxx if norms is not None and norms.rxx is not None else float("nan")
    sd = norms.sd if norms is not None and norms.sd is not None else float("nan")
    return Reliability(
        rxx,
        sd,
        SOURCE_INSTRUMENT,
        SOURCE_INSTRUMENT,
        f"the scale {scale.id} has no stored rxx" if math.isnan(rxx) else None,
        f"the scale {scale.id} has no stored sd" if math.isnan(sd) else None,
    )


def check_given(rxx: float | None, sd: float | None) -> None:
    """Refuse a given reliability outside (0, 1) or a given SD that is not positive."""
    if rxx is not None and not (0 < rxx < 1):
        raise UserError.single(f"rxx must be between 0 and 1 (got {rxx:g})", path="rxx")
    if sd is not None and not sd > 0:
        raise UserError.single(f"sd must be positive (got {sd:g})", path="sd")


def combine(base: Reliability, rxx: float | None = None, sd: float | None = None) -> Reliability:
    """``base`` with the given rxx and/or SD put in its place (source ``"given"``)."""
    check_given(rxx, sd)
    given_rxx, given_sd = rxx is not None, sd is not None
    return Reliability(
        rxx=float(rxx) if given_rxx else base.rxx,
        sd=float(sd) if given_sd else base.sd,
        rxx_source=SOURCE_GIVEN if given_rxx else base.rxx_source,
        sd_source=SOURCE_GIVEN if given_sd else base.sd_source,
        rxx_reason=None if given_rxx else base.rxx_reason,
        sd_reason=None if given_sd else base.sd_reason,
    )


def _none(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
