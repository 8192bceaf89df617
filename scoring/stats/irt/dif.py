"""Differential item functioning between two groups: likelihood-ratio tests on the graded model.

For each studied item j, two multiple-group graded models are compared (Thissen, Steinberg &
Wainer 1993; mirt's ``DIF(multipleGroup(...), scheme = "add")`` from a constrained model):

- restricted: item j's parameters equal in both groups, like every anchor item; the reference
  group's latent density is N(0, 1), the focal group's mean and SD are free;
- free: the same, but item j's slope and intercepts are estimated separately in each group.

G2 = 2 (l_free - l_restricted) is referred to chi-square with df = the item's number of
parameters (K_j: one slope, K_j - 1 intercepts). p-values are adjusted across the studied items
by Benjamini & Hochberg (1995). The anchor starts as all other items; because a DIF item in
the anchor biases the focal mean and makes clean items look biased the other way, the anchor
is then purified (Candell & Drasgow 1988): items flagged at p_adjusted < .05 are freed in both
models and every item is tested again, until the flagged set no longer changes.

Effect sizes (Meade 2010), from the model in which item j is free, with E_R and E_F the
expected item scores (0..K-1) under the reference and focal parameters, integrated over the
focal group's estimated N(mu_F, sigma_F^2) on the quadrature:

- SIDS (signed item difference in the sample) = integral (E_R - E_F) dG_F: positive when the
  item gives focal respondents lower scores than reference respondents at the same theta;
- UIDS (unsigned) = integral |E_R - E_F| dG_F;
- ESSD (expected score standardized difference) = SIDS / pooled within-group SD of the item's
  observed scores.

An item whose categories are not all used in both groups cannot have its own thresholds in
each group; it is reported with NaN and a reason.

References: Thissen, D., Steinberg, L. & Wainer, H. (1993). Detection of differential item
functioning using the parameters of item response models. In Holland & Wainer (eds.),
Differential item functioning. Meade, A. W. (2010). A taxonomy of effect size measures for the
differential functioning of items and scales. Journal of Applied Psychology 95, 728-743.
Benjamini, Y. & Hochberg, Y. (1995). JRSS B 57, 289-300.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from scoring.errors import Coded
from scoring.result import Result
from scoring.stats.irt import graded
from scoring.stats.irt._json import clean, fmt, records
from scoring.stats.irt.mml import Estimates, MarginalModel, start_values
from scoring.stats.irt.responses import MIN_RESPONDENTS, code_items, group_patterns

ALPHA = 0.05
MAX_PURIFICATION = 10


@dataclass(frozen=True, repr=False)
class DIFResult(Result):
    """One row per studied item: ``G2``, ``df``, ``p``, ``p_adjusted`` (BH), ``SIDS``, ``UIDS``,
    ``ESSD``, slopes in both groups, and ``flag`` (p_adjusted < 0.05)."""

    reference: str
    focal: str
    table: pd.DataFrame
    n_reference: int
    n_focal: int
    loglik_constrained: float
    focal_mean: float
    focal_sd: float
    anchor: list[str]
    iterations: int
    reasons: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        return {
            "method": "likelihood-ratio test per item, graded model, anchor = all other items, iteratively purified",
            "reference": self.reference,
            "focal": self.focal,
            "n_reference": self.n_reference,
            "n_focal": self.n_focal,
            "loglik_constrained": clean(self.loglik_constrained),
            "focal_mean": clean(self.focal_mean),
            "focal_sd": clean(self.focal_sd),
            "anchor": list(self.anchor),
            "purification_rounds": self.iterations,
            "p_adjust": "BH",
            "alpha": ALPHA,
            "items": records(self.table),
            "reasons": dict(self.reasons),
            "warnings": list(self.warnings),
        }

    def summary(self, digits: int = 3) -> str:
        lines = [
            "DIF: graded model, likelihood-ratio test per item",
            f"anchor (items equal in both groups): {', '.join(self.anchor)}; {self.iterations} purification round(s)",
            f"reference = {self.reference} (n = {self.n_reference}), focal = {self.focal} (n = {self.n_focal});"
            f" focal latent mean = {fmt(self.focal_mean)}, SD = {fmt(self.focal_sd)} (constrained model)",
            "p_adjusted: Benjamini-Hochberg; SIDS/UIDS: signed/unsigned expected item score difference"
            " (reference - focal) over the focal group; ESSD = SIDS / pooled SD",
            "",
            self.table.round(digits).to_string(na_rep="NA"),
        ]
        lines.extend(f"{item}: {why}" for item, why in self.reasons.items())
        lines.extend(f"Warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __repr__(self) -> str:
        flagged = int(self.table["flag"].sum())
        return f"DIFResult(reference={self.reference!r}, focal={self.focal!r}, items={len(self.table)}, flagged={flagged})"


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (R ``p.adjust(p, "BH")``); NaN stays NaN and is not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if len(ok) == 0:
        return out
    order = ok[np.argsort(p[ok])]
    m = len(order)
    adjusted = p[order] * m / np.arange(1, m + 1)
    out[order] = np.minimum(1.0, np.minimum.accumulate(adjusted[::-1])[::-1])
    return out


def _testable(coded, studied: list[str], g: np.ndarray, names: tuple[str, str]) -> tuple[list[str], dict[str, str]]:
    """The studied items every category of which is used in both groups (``g`` 0 and 1, named
    ``names``), and for the others the reason they are not tested."""
    tested: list[str] = []
    reasons: dict[str, str] = {}
    for item in studied:
        j = coded.items.index(item)
        unused = [
            (f"{coded.levels[j][k]:g}", name)
            for name, gv in zip(names, (0, 1))
            for k in range(coded.n_categories[j])
            if not np.any(coded.codes[g == gv, j] == k)
        ]
        if unused:
            listing = "; ".join(f"{code} ({name})" for code, name in unused)
            reasons[item] = Coded("not tested: " + "; ".join(f"category {code} not used in group '{name}'" for code, name in unused),
                                  "dif_category_unused", categories=listing)
        else:
            tested.append(item)
    return tested, reasons


def _purify(coded, tested: list[str], g: np.ndarray, fit, fits: dict):
    """Iterative purification: test every item against the anchor (the items not flagged in the
    previous round; at first all others) until the flagged set repeats.

    ``fit(free, start)`` fits (and caches in ``fits``) the model whose items ``free`` differ
    between groups. Returns (items free in the final base model, test rows, rounds run, a
    warning or None).
    """
    anchor_free: frozenset = frozenset()
    for iteration in range(1, MAX_PURIFICATION + 1):
        base = fit(anchor_free, None if not fits else fits[frozenset()][0].estimates)
        rows = []
        for item in tested:
            if item in anchor_free:
                restricted, unrestricted = fit(anchor_free - {item}, base[0].estimates), base
            else:
                restricted, unrestricted = base, fit(anchor_free | {item}, base[0].estimates)
            rows.append(_test_row(item, coded.items.index(item), restricted, unrestricted, coded.codes, g, coded.n_categories))
        p_adjusted = benjamini_hochberg(np.array([r[3] for r in rows]))
        flagged = frozenset(r[0] for r, pa in zip(rows, p_adjusted) if pa < ALPHA)
        if flagged == anchor_free:
            return anchor_free, rows, iteration, None
        if len(flagged) >= len(coded.items):
            return anchor_free, rows, iteration, Coded("every item was flagged: no anchor is left; results of the first stage are shown", "dif_no_anchor")
        anchor_free = flagged
    return anchor_free, rows, MAX_PURIFICATION, Coded(f"purification did not settle after {MAX_PURIFICATION} rounds", "dif_not_settled", rounds=MAX_PURIFICATION)


def dif_graded(
    frame: pd.DataFrame, group, *, reference=None, items: list[str] | None = None, min_respondents: int = MIN_RESPONDENTS
) -> DIFResult:
    """LR DIF tests of ``items`` (default: all columns of ``frame``) between the two levels of
    ``group`` (a Series or array aligned with ``frame``; rows with a missing group are left out).

    Raises ``ValueError`` unless ``group`` has exactly two levels with ``min_respondents`` each.
    """
    frame = pd.DataFrame(frame)
    group = pd.Series(np.asarray(group, dtype=object), index=frame.index)
    keep = group.notna()
    frame, group = frame[keep], group[keep].astype(str)
    levels = sorted(group.unique())
    if len(levels) != 2:
        raise ValueError(f"DIF needs exactly two groups; the group column has {len(levels)}: {', '.join(levels[:10])}")
    reference = levels[0] if reference is None else str(reference)
    if reference not in levels:
        raise ValueError(f"reference group '{reference}' is not one of {', '.join(levels)}")
    focal = levels[1] if reference == levels[0] else levels[0]
    coded = code_items(frame, min_respondents=min_respondents)
    g = (group.loc[coded.rows] == focal).to_numpy().astype(int)
    n_ref, n_foc = int((g == 0).sum()), int((g == 1).sum())
    for name, n in ((reference, n_ref), (focal, n_foc)):
        if n < min_respondents:
            raise ValueError(Coded(f"group '{name}' has {n} respondents; DIF needs at least {min_respondents} in each group",
                                   "dif_group_small", group=name, rows=n, min=min_respondents))
    studied = coded.items if items is None else list(items)
    K = coded.n_categories
    codes = coded.codes

    warnings = list(coded.warnings)
    tested, reasons = _testable(coded, studied, g, (reference, focal))
    fits: dict[frozenset, object] = {}

    def fit(free: frozenset, start: Estimates | None):
        if free not in fits:
            fits[free] = _fit_split(codes, g, K, [coded.items.index(i) for i in sorted(free)], start)
        return fits[free]

    anchor_free, rows, iteration, problem = _purify(coded, tested, g, fit, fits)
    if problem:
        warnings.append(problem)
    for free, (result, _, _) in fits.items():
        if not result.converged:
            warnings.append(Coded(f"a model with free item(s) {', '.join(sorted(free)) or 'none'} did not converge ({result.message})",
                                  "dif_no_convergence", items=", ".join(sorted(free)) or "–", detail=str(result.message)))
    base_est = fit(anchor_free, None)[0].estimates
    rows += [[item] + [np.nan] * 9 + [False] for item in studied if item in reasons]
    rows.sort(key=lambda r: studied.index(r[0]))
    table = pd.DataFrame(rows, columns=["item", "G2", "df", "p", "p_adjusted", "SIDS", "UIDS", "ESSD",
                                        "a_reference", "a_focal", "flag"]).set_index("item")
    table["p_adjusted"] = benjamini_hochberg(table["p"].to_numpy())
    table["flag"] = (table["p_adjusted"] < ALPHA).fillna(False).astype(bool)
    table["df"] = table["df"].astype("Int64")
    anchor = [i for i in coded.items if i not in anchor_free]
    return DIFResult(reference, focal, table, n_ref, n_foc, fit(anchor_free, None)[0].loglik, float(base_est.means[1]),
                     float(base_est.sds[1]), anchor, iteration, reasons, list(dict.fromkeys(warnings)))


def _fit_split(codes: np.ndarray, g: np.ndarray, K: np.ndarray, free: list[int], start: Estimates | None):
    """The two-group graded model with the items ``free`` estimated separately in the focal
    group (their focal answers moved to extra columns). Returns (fit, model, free)."""
    split = codes.copy()
    extra = []
    for j in free:
        extra.append(np.where(g == 1, codes[:, j], -1))
        split[g == 1, j] = -1
    split = np.column_stack([split] + extra).astype(np.int16) if extra else split
    K_split = np.concatenate([K, K[free]]).astype(int)
    model = MarginalModel(group_patterns(split, g), K_split, n_groups=2, free_groups=(1,))
    if start is None:
        start = start_values(codes, K)
    J = len(K)
    a, d = np.asarray(start.a[:J]), [np.asarray(x) for x in start.d[:J]]
    begin = Estimates(np.concatenate([a, a[free]]), d + [d[j].copy() for j in free], start.means, start.sds)
    return model.fit(model.pack(begin), se=False), model, list(free)


def _test_row(item, j, restricted, unrestricted, codes, g, K) -> list:
    """G2 of freeing item j, and Meade's effect sizes from the model where it is free."""
    r_fit, u_fit, u_model, u_free = restricted[0], unrestricted[0], unrestricted[1], unrestricted[2]
    g2 = max(0.0, 2.0 * (u_fit.loglik - r_fit.loglik))
    df = int(K[j])
    e = u_fit.estimates
    focal_col = len(K) + u_free.index(j)
    weights = np.exp(u_model.log_weights(e)[1])
    diff = graded.expected_score(e.a[j], e.d[j], u_model.theta) - graded.expected_score(e.a[focal_col], e.d[focal_col], u_model.theta)
    sids, uids = float(weights @ diff), float(weights @ np.abs(diff))
    answered = codes[:, j] >= 0
    ref, foc = codes[answered & (g == 0), j], codes[answered & (g == 1), j]
    pooled = np.sqrt(((len(ref) - 1) * np.var(ref, ddof=1) + (len(foc) - 1) * np.var(foc, ddof=1)) / (len(ref) + len(foc) - 2))
    return [item, g2, df, float(stats.chi2.sf(g2, df)), np.nan, sids, uids,
            sids / pooled if pooled > 0 else np.nan, e.a[j], e.a[focal_col], False]

